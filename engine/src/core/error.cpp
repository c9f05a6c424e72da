#include "infogap/error.hpp"

namespace infogap {
namespace {

std::string format_message(ErrorCode code, const std::string& message, const ErrorContext& c) {
  std::string where;
  auto add = [&where](const std::string& label, const std::string& value) {
    if (value.empty()) return;
    if (!where.empty()) where += ", ";
    where += label + " '" + value + "'";
  };
  add("file", c.file);
  add("layer", c.layer);
  if (c.feature_id) {
    if (!where.empty()) where += ", ";
    where += "feature " + std::to_string(*c.feature_id);
  }
  add("column", c.column);
  std::string out = std::string(to_string(code)) + ": ";
  if (!where.empty()) out += where + ": ";
  return out + message;
}

}  // namespace

Error::Error(ErrorCode code, const std::string& message, ErrorContext context)
    : std::runtime_error(format_message(code, message, context)),
      m_code(code),
      m_context(std::move(context)),
      m_reason(message) {}

int exit_code_for(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_scenario:
    case ErrorCode::invalid_input:
    case ErrorCode::io:
    case ErrorCode::crs:
      return 1;
    case ErrorCode::geometry:
    case ErrorCode::solver:
    case ErrorCode::internal:
      return 2;
  }
  return 2;
}

const char* to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_scenario:
      return "invalid_scenario";
    case ErrorCode::invalid_input:
      return "invalid_input";
    case ErrorCode::io:
      return "io";
    case ErrorCode::crs:
      return "crs";
    case ErrorCode::geometry:
      return "geometry";
    case ErrorCode::solver:
      return "solver";
    case ErrorCode::internal:
      return "internal";
  }
  return "unknown";
}

void throw_error(ErrorCode code, const std::string& message, ErrorContext context) {
  switch (code) {
    case ErrorCode::invalid_scenario:
    case ErrorCode::invalid_input:
    case ErrorCode::crs:
      throw InvalidInput(code, message, std::move(context));
    case ErrorCode::io:
      throw IoError(code, message, std::move(context));
    default:
      throw Error(code, message, std::move(context));
  }
}

}  // namespace infogap
