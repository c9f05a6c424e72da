#pragma once
/// @file error.hpp  The one exception hierarchy of infogap and the CLI exit code of each error.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace infogap {

/// What went wrong; the CLI exit code is in brackets.
enum class ErrorCode : std::uint16_t {
  invalid_scenario = 10,  ///< YAML malformed, unknown key, value out of range [1]
  invalid_input = 11,     ///< a layer breaks the contract: missing column, no CRS, bad rows with on_bad_rows: fail [1]
  io = 20,                ///< file missing, unreadable or unwritable [1]
  crs = 30,               ///< PROJ cannot build or apply a transformation [1]
  geometry = 40,          ///< GEOS failed on a geometry [2]
  solver = 50,            ///< CBC failed [2]
  internal = 90,          ///< broken invariant [2]
};

/// Where a problem was found. Empty strings / nullopt mean "not applicable".
struct ErrorContext {
  std::string file;                        ///< path of the input file
  std::string layer;                       ///< layer name inside the file
  std::string column;                      ///< column (field) name
  std::optional<std::int64_t> feature_id;  ///< feature id (FID) or 1-based data row for CSV
};

/// Base of every infogap exception. The message is formatted once, in the constructor, and
/// names file, layer, feature and column when the context has them.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message, ErrorContext context = {});
  /// The error code.
  ErrorCode code() const noexcept { return m_code; }
  /// Where the problem was found.
  const ErrorContext& context() const noexcept { return m_context; }
  /// The message without the context prefix.
  const std::string& reason() const noexcept { return m_reason; }

 private:
  ErrorCode m_code;
  ErrorContext m_context;
  std::string m_reason;
};

/// Bad input data or scenario (Python: ValueError).
class InvalidInput : public Error {
 public:
  using Error::Error;
};

/// A file cannot be read or written (Python: OSError).
class IoError : public Error {
 public:
  using Error::Error;
};

/// CLI exit code for an error code: 1 for bad input (the user can fix it), 2 for internal errors.
int exit_code_for(ErrorCode code) noexcept;

/// Human-readable name of a code ("invalid_input").
const char* to_string(ErrorCode code) noexcept;

/// Throws the subclass that fits the code: InvalidInput for invalid_scenario/invalid_input/crs,
/// IoError for io, Error otherwise.
[[noreturn]] void throw_error(ErrorCode code, const std::string& message, ErrorContext context = {});

}  // namespace infogap
