#pragma once
// Private: scoped capture of GDAL/CPL error messages. The handler only records text; the adapter
// checks the return value of the GDAL call and throws afterwards (never through the C callback).

#include <cpl_error.h>

#include <string>
#include <vector>

#include "infogap/error.hpp"

namespace infogap::detail {

/// Installs a thread-local CPL error handler for its lifetime (CPLErrorHandlerPusher) and
/// records every message. Not movable: its address is the handler's user data.
class GdalErrorCapture {
 public:
  GdalErrorCapture();
  ~GdalErrorCapture() = default;
  GdalErrorCapture(const GdalErrorCapture&) = delete;
  GdalErrorCapture& operator=(const GdalErrorCapture&) = delete;
  GdalErrorCapture(GdalErrorCapture&&) = delete;
  GdalErrorCapture& operator=(GdalErrorCapture&&) = delete;

  /// True if a CE_Failure or CE_Fatal was reported since construction (or the last clear()).
  bool failed() const noexcept { return m_failed; }
  /// The failure messages joined by "; " (or the warnings if there was no failure).
  std::string message() const;
  /// The warnings recorded (the first 100).
  const std::vector<std::string>& warnings() const noexcept { return m_warnings; }
  /// Forgets what was recorded.
  void clear() noexcept;

 private:
  static void CPL_STDCALL handler(CPLErr level, CPLErrorNum number, const char* message);

  std::vector<std::string> m_failures;
  std::vector<std::string> m_warnings;
  bool m_failed = false;
  CPLErrorHandlerPusher m_pusher;  // last: pushed once the members above exist, popped first
};

/// Throws the infogap exception for `code` with "<what>: <GDAL message>" and the context.
[[noreturn]] void throw_gdal(ErrorCode code, const std::string& what, const GdalErrorCapture& capture,
                             ErrorContext context = {});

}  // namespace infogap::detail
