#include "adapters/gdal/gdal_error.hpp"

namespace infogap::detail {

namespace {
constexpr std::size_t k_max_warnings = 100;
}  // namespace

GdalErrorCapture::GdalErrorCapture() : m_pusher(&GdalErrorCapture::handler, this) {
  CPLErrorReset();
}

void CPL_STDCALL GdalErrorCapture::handler(CPLErr level, CPLErrorNum /*number*/, const char* message) {
  auto* self = static_cast<GdalErrorCapture*>(CPLGetErrorHandlerUserData());
  if (self == nullptr) return;
  const std::string text = message != nullptr ? message : "";
  if (level == CE_Failure || level == CE_Fatal) {
    self->m_failed = true;
    self->m_failures.push_back(text);
  } else if (level == CE_Warning && self->m_warnings.size() < k_max_warnings) {
    self->m_warnings.push_back(text);  // bounded: a bad file may warn on every row
  }
}

std::string GdalErrorCapture::message() const {
  const auto& list = m_failures.empty() ? m_warnings : m_failures;
  std::string out;
  for (const auto& m : list) {
    if (!out.empty()) out += "; ";
    out += m;
  }
  return out;
}

void GdalErrorCapture::clear() noexcept {
  m_failures.clear();
  m_warnings.clear();
  m_failed = false;
  CPLErrorReset();
}

void throw_gdal(ErrorCode code, const std::string& what, const GdalErrorCapture& capture, ErrorContext context) {
  std::string msg = what;
  if (const std::string gdal = capture.message(); !gdal.empty()) msg += ": " + gdal;
  throw_error(code, msg, std::move(context));
}

}  // namespace infogap::detail
