#include "ui/gui/graph_columns.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace wirestep::gui {

void aggregate_columns(const Series& s, const TimeMapping& map, std::vector<ColumnAgg>& out) {
  out.clear();
  const IndexRange r = s.between(map.t0_ns, map.end_ns());
  const auto times = s.times();
  std::size_t i = r.first;
  while (i < r.last) {
    const float x = map.top + std::floor(map.y(s.time(i)) - map.top);
    // The column's points: up to the first time that maps into the next column (at least this point, so
    // float rounding can never stall the loop).
    const std::int64_t next_column_ns = map.time_at(x + 1.0f);
    const std::size_t j = static_cast<std::size_t>(
        std::lower_bound(times.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                         times.begin() + static_cast<std::ptrdiff_t>(r.last), next_column_ns) -
        times.begin());
    const MinMax mm = s.range(i, j);
    out.push_back(
        {x, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j - i), mm.min, mm.max, s.lo(j - 1)});
    i = j;
  }
}

std::int64_t throughput_bin_ns(double ns_per_px, float min_px) {
  return tick_step_ns(ns_per_px, min_px);
}

// ----------------------------------------------------------------------------------------------- axes

double value_tick_step(double units_per_px, float min_px) {
  const double want = std::max(units_per_px * static_cast<double>(min_px), 1e-9);
  const double decade = std::pow(10.0, std::floor(std::log10(want)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (decade * m >= want * (1.0 - 1e-9)) return decade * m;
  return decade * 10.0;
}

std::size_t format_compact(char* buf, std::size_t size, double value) {
  if (size == 0) return 0;
  static constexpr struct {
    double scale;
    const char* suffix;
  } kSuffixes[] = {{1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1.0, ""}};
  const double a = std::abs(value);
  double scale = 1.0;
  const char* suffix = "";
  for (const auto& s : kSuffixes)
    if (a >= s.scale * (1.0 - 1e-9)) {
      scale = s.scale;
      suffix = s.suffix;
      break;
    }
  // Two decimals at most, trailing zeros dropped: 1.25M, 12.5k, 200k, 0.5.
  char num[32];
  std::snprintf(num, sizeof num, "%.2f", value / scale);
  if (std::strchr(num, '.')) {
    std::size_t n = std::strlen(num);
    while (n > 0 && num[n - 1] == '0') num[--n] = '\0';
    if (n > 0 && num[n - 1] == '.') num[--n] = '\0';
  }
  if (std::strcmp(num, "-0") == 0) std::snprintf(num, sizeof num, "0");
  const int n = std::snprintf(buf, size, "%s%s", num, suffix);
  return n < 0 ? 0 : std::min(static_cast<std::size_t>(n), size - 1);
}

}  // namespace wirestep::gui
