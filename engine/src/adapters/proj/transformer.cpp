// PROJ adapter: one PJ_CONTEXT per Transformer (so one per thread), network off, axis order
// normalised for visualisation (x = lon/easting), bulk proj_trans_generic, failures → NaN.
#include "adapters/proj/transformer.hpp"

#include <proj.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "infogap/error.hpp"

namespace infogap::detail {
namespace {

struct ContextDeleter {
  void operator()(PJ_CONTEXT* c) const noexcept { proj_context_destroy(c); }
};
struct PjDeleter {
  void operator()(PJ* p) const noexcept { proj_destroy(p); }
};
using ContextPtr = std::unique_ptr<PJ_CONTEXT, ContextDeleter>;
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

/// A PROJ context that is offline and keeps its log messages (instead of printing to stderr).
/// Heap-held message so the log callback's user data stays valid when the owner moves.
struct Context {
  std::unique_ptr<std::string> log = std::make_unique<std::string>();
  ContextPtr ctx;

  Context() {
    ctx.reset(proj_context_create());
    if (!ctx) throw Error(ErrorCode::internal, "proj_context_create failed");
    proj_log_func(ctx.get(), log.get(), &Context::on_log);
    proj_log_level(ctx.get(), PJ_LOG_ERROR);
    proj_context_set_enable_network(ctx.get(), 0);
  }
  static void on_log(void* user, int /*level*/, const char* message) {
    auto* text = static_cast<std::string*>(user);
    if (message == nullptr) return;
    if (!text->empty()) *text += "; ";
    *text += message;
  }
  /// The reason of the last failure: the context errno text plus what PROJ logged.
  std::string reason() {
    std::string out;
    const int err = proj_context_errno(ctx.get());
    if (err != 0) {
      if (const char* s = proj_context_errno_string(ctx.get(), err)) out = s;
    }
    if (!log->empty()) out += (out.empty() ? "" : ": ") + *log;
    log->clear();
    return out.empty() ? std::string("unknown PROJ error") : out;
  }
};

/// "4326" → "EPSG:4326"; everything else unchanged.
std::string user_crs_text(const std::string& crs) {
  bool digits = !crs.empty();
  for (const char c : crs) digits = digits && std::isdigit(static_cast<unsigned char>(c)) != 0;
  return digits ? "EPSG:" + crs : crs;
}

PjPtr create_crs(Context& c, const std::string& crs) {
  if (crs.empty()) throw_error(ErrorCode::crs, "empty CRS");
  PjPtr obj(proj_create(c.ctx.get(), user_crs_text(crs).c_str()));
  if (!obj) throw_error(ErrorCode::crs, "unknown CRS '" + crs + "': " + c.reason());
  if (proj_is_crs(obj.get()) == 0) throw_error(ErrorCode::crs, "'" + crs + "' is not a coordinate reference system");
  return obj;
}

/// The horizontal CRS: the source of a bound CRS, the first part of a compound CRS.
PjPtr horizontal(Context& c, PjPtr obj) {
  for (int guard = 0; guard < 4 && obj; ++guard) {
    const PJ_TYPE t = proj_get_type(obj.get());
    if (t == PJ_TYPE_BOUND_CRS) {
      obj.reset(proj_get_source_crs(c.ctx.get(), obj.get()));
    } else if (t == PJ_TYPE_COMPOUND_CRS) {
      obj.reset(proj_crs_get_sub_crs(c.ctx.get(), obj.get(), 0));
    } else {
      break;
    }
  }
  return obj;
}

int identify_epsg(Context& c, const PJ* obj) {
  const char* auth = proj_get_id_auth_name(obj, 0);
  const char* code = proj_get_id_code(obj, 0);
  if (auth != nullptr && code != nullptr && std::string(auth) == "EPSG") return std::atoi(code);
  int* confidence = nullptr;
  PJ_OBJ_LIST* list = proj_identify(c.ctx.get(), obj, "EPSG", nullptr, &confidence);
  int epsg = 0;
  if (list != nullptr) {
    const int n = proj_list_get_count(list);
    for (int i = 0; i < n && epsg == 0; ++i) {
      if (confidence == nullptr || confidence[i] < 90) continue;
      PjPtr candidate(proj_list_get(c.ctx.get(), list, i));
      const char* ccode = candidate ? proj_get_id_code(candidate.get(), 0) : nullptr;
      if (ccode != nullptr) epsg = std::atoi(ccode);
    }
    proj_list_destroy(list);
  }
  proj_int_list_destroy(confidence);
  c.log->clear();
  return epsg;
}

}  // namespace

struct Transformer::Impl {
  Context context;  // declared first: destroyed after the PJ that belongs to it
  PjPtr pj;
  bool identity = false;
};

Transformer::Transformer(const std::string& source_crs, const std::string& target_crs)
    : m_impl(std::make_unique<Impl>()) {
  Context& c = m_impl->context;
  PjPtr source = create_crs(c, source_crs);
  PjPtr target = create_crs(c, target_crs);
  if (proj_is_equivalent_to_with_ctx(c.ctx.get(), source.get(), target.get(), PJ_COMP_EQUIVALENT) != 0) {
    m_impl->identity = true;
    return;
  }
  PjPtr raw(proj_create_crs_to_crs_from_pj(c.ctx.get(), source.get(), target.get(), nullptr, nullptr));
  if (!raw)
    throw_error(ErrorCode::crs, "no transformation from '" + source_crs + "' to '" + target_crs + "': " + c.reason());
  m_impl->pj.reset(proj_normalize_for_visualization(c.ctx.get(), raw.get()));
  if (!m_impl->pj)
    throw_error(ErrorCode::crs,
                "cannot normalise the axis order of '" + source_crs + "' → '" + target_crs + "': " + c.reason());
}

Transformer::~Transformer() = default;
Transformer::Transformer(Transformer&&) noexcept = default;
Transformer& Transformer::operator=(Transformer&&) noexcept = default;

bool Transformer::is_identity() const noexcept {
  return m_impl->identity;
}

std::size_t Transformer::transform(double* x, double* y, std::size_t n, std::vector<std::size_t>* failed) const {
  if (n == 0) return 0;
  if (!m_impl->identity) {
    proj_errno_reset(m_impl->pj.get());
    proj_trans_generic(m_impl->pj.get(), PJ_FWD, x, sizeof(double), n, y, sizeof(double), n, nullptr, 0, 0, nullptr, 0,
                       0);
  }
  // proj_trans_generic returns n even when points fail: a failed point is HUGE_VAL (inf).
  std::size_t failures = 0;
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isfinite(x[i]) && std::isfinite(y[i])) continue;
    x[i] = nan;
    y[i] = nan;
    ++failures;
    if (failed != nullptr) failed->push_back(i);
  }
  return failures;
}

int utm_epsg_for(double lon_deg, double lat_deg) noexcept {
  if (!std::isfinite(lon_deg) || !std::isfinite(lat_deg)) return 0;
  int zone = static_cast<int>(std::floor((lon_deg + 180.0) / 6.0)) + 1;
  if (zone < 1) zone = 1;
  if (zone > 60) zone = 60;
  return (lat_deg >= 0.0 ? 32600 : 32700) + zone;
}

CrsInfo crs_info(const std::string& crs) {
  Context c;
  PjPtr obj = horizontal(c, create_crs(c, crs));
  if (!obj) throw_error(ErrorCode::crs, "'" + crs + "' has no horizontal CRS: " + c.reason());
  CrsInfo info;
  const PJ_TYPE t = proj_get_type(obj.get());
  info.geographic = t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS || t == PJ_TYPE_GEOGRAPHIC_CRS;
  info.projected = t == PJ_TYPE_PROJECTED_CRS;
  if (const char* name = proj_get_name(obj.get())) info.name = name;
  if (PjPtr cs{proj_crs_get_coordinate_system(c.ctx.get(), obj.get())}) {
    double factor = 0.0;
    const char* unit_name = nullptr;
    if (proj_cs_get_axis_info(c.ctx.get(), cs.get(), 0, nullptr, nullptr, nullptr, &factor, &unit_name, nullptr,
                              nullptr) != 0)
      info.metres = factor == 1.0 && unit_name != nullptr && std::string(unit_name) == "metre";
  }
  // Identify the CRS as given (a bound/compound CRS keeps its own code when it has one).
  PjPtr whole = create_crs(c, crs);
  info.epsg = identify_epsg(c, whole.get());
  if (info.epsg == 0 && whole.get() != obj.get()) info.epsg = identify_epsg(c, obj.get());
  info.normalized = info.epsg != 0 ? "EPSG:" + std::to_string(info.epsg) : crs;
  return info;
}

std::string normalize_crs(const std::string& crs) {
  return crs_info(crs).normalized;
}

int epsg_of(const std::string& crs) {
  try {
    return crs_info(crs).epsg;
  } catch (const Error&) {
    return 0;
  }
}

}  // namespace infogap::detail
