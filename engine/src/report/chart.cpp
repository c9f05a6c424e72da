#include "report/chart.hpp"
#include "core/markup.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "report/format.hpp"

namespace infogap::detail {
namespace {

constexpr double k_width = 760;
constexpr double k_height = 320;
constexpr double k_left = 70;
constexpr double k_right = 70;
constexpr double k_top = 44;
constexpr double k_bottom = 52;
constexpr double k_plot_w = k_width - k_left - k_right;
constexpr double k_plot_h = k_height - k_top - k_bottom;

std::string num(double v) {  // SVG coordinates: C locale, 1 decimal
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

double denominator(const std::vector<ReportSite>& sites, double gap_weight_before) {
  double last = 0;
  for (const auto& s : sites) last = std::max(last, s.cumulative_weight);
  const double d = std::max(gap_weight_before, last);
  return d > 0 ? d : 1.0;
}

std::string open_svg(const std::string& title, const std::string& css_class) {
  return "<svg class=\"" + css_class + "\" viewBox=\"0 0 " + num(k_width) + " " + num(k_height) +
         "\" role=\"img\" aria-label=\"" + escape_markup(title) + "\">\n<title>" + escape_markup(title) + "</title>\n";
}

// Horizontal grid lines and tick labels of an axis from 0 to top (pixels from the plot bottom).
std::string y_axis(double top_value, double step, bool right, bool percent, Language language) {
  std::string out;
  const double x = right ? k_left + k_plot_w : k_left;
  out += "<line class=\"axis\" x1=\"" + num(x) + "\" y1=\"" + num(k_top) + "\" x2=\"" + num(x) + "\" y2=\"" +
         num(k_top + k_plot_h) + "\"/>\n";
  const int n = static_cast<int>(std::floor(top_value / step + 1e-9));
  for (int i = 0; i <= n; ++i) {
    const double v = step * i;
    const double y = k_top + k_plot_h - v / top_value * k_plot_h;
    if (!right) {
      out += "<line class=\"grid\" x1=\"" + num(k_left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(k_left + k_plot_w) +
             "\" y2=\"" + num(y) + "\"/>\n";
    }
    const int decimals = step < 1 ? (step < 0.1 ? 2 : 1) : 0;
    const std::string label = percent ? format_percent(v, 0, language) : format_number(v, decimals, language);
    out += "<text class=\"tick\" x=\"" + num(right ? x + 6 : x - 6) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"" +
           (right ? "start" : "end") + "\">" + escape_markup(label) + "</text>\n";
  }
  return out;
}

}  // namespace

double nice_step(double max_value, int target_ticks) {
  if (!(max_value > 0) || target_ticks < 1) return 1.0;
  const double raw = max_value / target_ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / magnitude;
  const double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * magnitude;
}

std::string marginal_gain_svg(const std::vector<ReportSite>& sites, double gap_weight_before, const StringTable& t,
                              Language language) {
  if (sites.empty()) return {};
  const std::size_t n = sites.size();
  const double denom = denominator(sites, gap_weight_before);
  double max_marginal = 0;
  for (const auto& s : sites) max_marginal = std::max(max_marginal, s.marginal_weight);
  const double step = nice_step(max_marginal > 0 ? max_marginal : 1.0, 5);
  const double top = std::max(step, std::ceil((max_marginal > 0 ? max_marginal : 1.0) / step - 1e-9) * step);

  std::string out = open_svg(text_of(t, "chart_title"), "chart chart-marginal");
  // legend
  out += "<rect class=\"bar-key\" x=\"" + num(k_left) + "\" y=\"10\" width=\"14\" height=\"10\"/>\n";
  out += "<text class=\"legend\" x=\"" + num(k_left + 20) + "\" y=\"19\">" + escape_markup(text_of(t, "chart_bars")) +
         "</text>\n";
  out += "<line class=\"cumulative\" x1=\"" + num(k_left + 360) + "\" y1=\"15\" x2=\"" + num(k_left + 380) +
         "\" y2=\"15\"/>\n";
  out += "<text class=\"legend\" x=\"" + num(k_left + 386) + "\" y=\"19\">" + escape_markup(text_of(t, "chart_line")) +
         "</text>\n";

  out += y_axis(top, step, false, false, language);
  out += y_axis(1.0, 0.2, true, true, language);
  out += "<line class=\"axis\" x1=\"" + num(k_left) + "\" y1=\"" + num(k_top + k_plot_h) + "\" x2=\"" +
         num(k_left + k_plot_w) + "\" y2=\"" + num(k_top + k_plot_h) + "\"/>\n";

  const double band = k_plot_w / static_cast<double>(n);
  const std::size_t label_every = std::max<std::size_t>(1, (n + 19) / 20);
  std::string points;
  std::string markers;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& s = sites[i];
    const double cx = k_left + band * (static_cast<double>(i) + 0.5);
    const double h = std::max(0.0, s.marginal_weight) / top * k_plot_h;
    const std::string tip =
        fill(text_of(t, "chart_site_tip"), {{"rank", std::to_string(s.rank)},
                                            {"id", s.id},
                                            {"marginal", format_number(s.marginal_weight, 1, language)},
                                            {"cumulative", format_percent(s.cumulative_weight / denom, 1, language)}});
    out += "<rect class=\"bar\" x=\"" + num(cx - band * 0.35) + "\" y=\"" + num(k_top + k_plot_h - h) + "\" width=\"" +
           num(band * 0.7) + "\" height=\"" + num(h) + "\"><title>" + escape_markup(tip) + "</title></rect>\n";
    const double cy = k_top + k_plot_h - std::clamp(s.cumulative_weight / denom, 0.0, 1.0) * k_plot_h;
    points += num(cx) + "," + num(cy) + " ";
    markers += "<circle class=\"cumulative-point\" cx=\"" + num(cx) + "\" cy=\"" + num(cy) + "\" r=\"3\"><title>" +
               escape_markup(tip) + "</title></circle>\n";
    if (i % label_every == 0 || i + 1 == n) {
      out += "<text class=\"tick\" x=\"" + num(cx) + "\" y=\"" + num(k_top + k_plot_h + 16) +
             "\" text-anchor=\"middle\">" + std::to_string(s.rank) + "</text>\n";
    }
  }
  out += "<polyline class=\"cumulative\" points=\"" + points + "\"/>\n" + markers;
  out += "<text class=\"axis-title\" x=\"" + num(k_left + k_plot_w / 2) + "\" y=\"" + num(k_height - 10) +
         "\" text-anchor=\"middle\">" + escape_markup(text_of(t, "chart_x_rank")) + "</text>\n";
  out += "</svg>\n";
  return out;
}

std::string cost_curve_svg(const std::vector<ReportSite>& sites, double gap_weight_before, const StringTable& t,
                           Language language) {
  double total_cost = 0;
  for (const auto& s : sites) total_cost += std::max(0.0, s.cost_vnd);
  if (!(total_cost > 0)) return {};
  const double denom = denominator(sites, gap_weight_before);
  const double total_m = total_cost / 1e6;  // million VND
  const double step = nice_step(total_m, 6);
  const double right = std::max(step, std::ceil(total_m / step - 1e-9) * step);

  std::string out = open_svg(text_of(t, "chart_cost_title"), "chart chart-cost");
  out += "<text class=\"legend\" x=\"" + num(k_left) + "\" y=\"19\">" + escape_markup(text_of(t, "chart_cost_y")) +
         "</text>\n";
  out += y_axis(1.0, 0.2, false, true, language);
  out += "<line class=\"axis\" x1=\"" + num(k_left) + "\" y1=\"" + num(k_top + k_plot_h) + "\" x2=\"" +
         num(k_left + k_plot_w) + "\" y2=\"" + num(k_top + k_plot_h) + "\"/>\n";
  const int n_ticks = static_cast<int>(std::floor(right / step + 1e-9));
  for (int i = 0; i <= n_ticks; ++i) {
    const double v = step * i;
    const double x = k_left + v / right * k_plot_w;
    out += "<text class=\"tick\" x=\"" + num(x) + "\" y=\"" + num(k_top + k_plot_h + 16) +
           "\" text-anchor=\"middle\">" + escape_markup(format_number(v, step < 1 ? 1 : 0, language)) + "</text>\n";
  }
  std::string path = "M" + num(k_left) + "," + num(k_top + k_plot_h);
  std::string markers;
  double cumulative_cost = 0;
  for (const auto& s : sites) {
    cumulative_cost += std::max(0.0, s.cost_vnd);
    const double x = k_left + cumulative_cost / 1e6 / right * k_plot_w;
    const double y = k_top + k_plot_h - std::clamp(s.cumulative_weight / denom, 0.0, 1.0) * k_plot_h;
    path += " H" + num(x) + " V" + num(y);
    const std::string tip =
        fill(text_of(t, "chart_site_tip"), {{"rank", std::to_string(s.rank)},
                                            {"id", s.id},
                                            {"marginal", format_number(s.marginal_weight, 1, language)},
                                            {"cumulative", format_percent(s.cumulative_weight / denom, 1, language)}});
    markers += "<circle class=\"cumulative-point\" cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"3\"><title>" +
               escape_markup(tip) + "</title></circle>\n";
  }
  out += "<path class=\"cumulative\" d=\"" + path + "\"/>\n" + markers;
  out += "<text class=\"axis-title\" x=\"" + num(k_left + k_plot_w / 2) + "\" y=\"" + num(k_height - 10) +
         "\" text-anchor=\"middle\">" + escape_markup(text_of(t, "chart_cost_x")) + "</text>\n";
  out += "</svg>\n";
  return out;
}

}  // namespace infogap::detail
