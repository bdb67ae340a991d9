// The drawing half of the graphs panel: a series' points grouped per pixel column, bin widths and axis ticks
// for the visible range. The series themselves are built by the analysis layer (sim/analysis/graph_series).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/analysis/graph_series.hpp"
#include "ui/gui/timeline_mapping.hpp"

namespace wirestep::gui {

// One pixel column of a series: the points whose time falls in it.
struct ColumnAgg {
  float x = 0;              // the column's left edge
  std::uint32_t first = 0;  // index of the column's first point
  std::uint32_t count = 0;  // points in the column
  std::int64_t min = 0;     // lowest lo of its points
  std::int64_t max = 0;     // highest hi
  std::int64_t last = 0;    // the last point's value (lo): a step line leaves the column at it
};

// Fills `out` (cleared, capacity kept) with one record per pixel column of `map` that holds points of `s`
// with time in [map.t0_ns, map.end_ns()]. `map` maps time to x (its `top` is the left edge, `height` the
// width). O(columns · log n).
void aggregate_columns(const Series& s, const TimeMapping& map, std::vector<ColumnAgg>& out);

// A bin width for the visible range: a round time (1, 2, 5 × 10^k ns) at least `min_px` pixels wide.
std::int64_t throughput_bin_ns(double ns_per_px, float min_px);

// --- Axes ----------------------------------------------------------------------------------------------

// A round value step (1, 2, 5 × 10^k) with at least `min_px` between ticks; `units_per_px` > 0.
double value_tick_step(double units_per_px, float min_px);
// "0", "950", "12.5k", "1.25M", "3.2G": short tick labels for byte counts and rates.
std::size_t format_compact(char* buf, std::size_t size, double value);

}  // namespace wirestep::gui
