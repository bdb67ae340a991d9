// The window-free half of the timeline (STYLE.md §5, after Tracy): each frame maps time to pixels once,
// finds the visible packets by binary search on the Trace's sorted send times (widened by the longest flight,
// so arrows that started above the view still show), folds packets closer than kFoldPx into one counted
// mark, and produces compact draw records the panel then draws. Hit testing works on the same records.
//
// Time runs down the screen, as in a textbook ladder diagram: the eye follows a conversation top to bottom
// like a transcript, the endpoints stay side by side, and labels are horizontal text on sloped arrows.
//
// Cost per frame: O(rows · log n + records), never O(packets): a dense region is counted with binary
// searches and at most kFoldSamples packets of each 3-pixel row are read. Output vectors are reused.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "sim/analysis/ground_truth.hpp"
#include "sim/analysis/index_range.hpp"
#include "sim/trace/trace.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/arrow_kind.hpp"
#include "ui/model/ladder_columns.hpp"

namespace wirestep::gui {

inline constexpr float kFoldPx = 3.0f;                // packets sent closer than this fold together
inline constexpr std::uint32_t kFoldMinCount = 4;     // ... when at least this many go the same way
inline constexpr std::uint32_t kFoldSamples = 24;     // packets read per dense row to learn its make-up
inline constexpr float kSimultaneousOffsetPx = 6.0f;  // packets sent together: each next one this much lower

inline constexpr float kSequenceRowLines = 1.6f;  // sequence layout: a row is this many text lines high

// Ladder layout: y = top + (t - t0) / ns_per_px.
// Sequence layout (`rows` non-empty): every instant in `rows` (sorted, distinct) gets its own row of `row_px`
// pixels, and time is interpolated linearly between two consecutive instants, so no event can hide behind
// another and arrows still run from their send row to their arrive row. `ns_per_px` is then the average over
// the view, used only for text precision; folding uses fold_ns(), which folds only one instant together.
struct TimeMapping {
  std::int64_t t0_ns = 0;
  double ns_per_px = 1.0;
  float top = 0;
  float height = 1;
  std::span<const std::int64_t> rows;
  float row_px = 0;
  double row0 = 0;  // fractional row index of t0_ns (sequence layout)

  float y(std::int64_t t_ns) const;
  std::int64_t time_at(float y_px) const;
  std::int64_t end_ns() const { return time_at(top + height); }
  bool sequence() const { return !rows.empty(); }
  // Packets or events closer than `px` fold together; in sequence layout only those at one instant.
  std::int64_t fold_ns(float px) const;
  // Sequence layout: the fractional row of `t` and its inverse (outside the rows, one row per average gap).
  double row_of(std::int64_t t_ns) const;
  std::int64_t time_of_row(double row) const;
};

// Maps [begin, end] onto `height` pixels starting at `top` (end > begin; a zero span is widened to 1 µs).
TimeMapping make_mapping(std::int64_t begin_ns, std::int64_t end_ns, float top, float height);

// Sequence layout: rows of `row_px` from the instant `begin_ns` down; `rows` must outlive the mapping.
TimeMapping make_sequence_mapping(std::span<const std::int64_t> rows, std::int64_t begin_ns, float top,
                                  float height, float row_px);

// The sorted, distinct instants at which something happens in `trace` (packet sent, arrived or lost, a step
// event), merged into `out` (kept sorted and distinct). O(n log n); callers cache it.
void add_step_instants(const Trace& trace, std::vector<std::int64_t>& out);

// Zooms by `factor` (< 1 zooms in) keeping the time under `anchor_ns` fixed; clamps to a 1 µs span at least.
void zoom_range(std::int64_t& begin_ns, std::int64_t& end_ns, std::int64_t anchor_ns, double factor);

// Packets whose arrow can cross [begin, end]: sent in [begin - max_flight, end].
IndexRange visible_packets(std::span<const std::int64_t> sorted_send_ns, std::int64_t begin_ns,
                           std::int64_t end_ns, std::int64_t max_flight_ns);

// The longest time any packet spent between send and arrival (or drop): how far to widen the search.
std::int64_t longest_flight_ns(const Trace& trace);

// Where an arrow ends.
enum class ArrowEnd : std::uint8_t { Delivered, LostOnLink, LostInQueue, DroppedByHost, InFlight, Captured };

struct ArrowRecord {
  std::uint32_t packet = 0;  // the packet (a fold: its first packet)
  std::uint32_t count = 1;   // > 1: a folded mark standing for this many packets
  std::uint32_t lost = 0;    // folded: how many of them the link or queue lost (estimated when sampled)
  float x0 = 0, y0 = 0;      // sender column at send time
  float x1 = 0, y1 = 0;      // arrow tip: receiver column at arrival, or where it was dropped
  std::int64_t t0_ns = 0, t1_ns = 0;
  ArrowKind kind = ArrowKind::Other;
  ArrowEnd end = ArrowEnd::Delivered;
};

// Column positions of one ladder (each flow's two ends sit on two of them: FlowColumns).
struct LadderLayout {
  static constexpr std::size_t kMaxColumns = kMaxLadderColumns;
  std::array<float, kMaxColumns> column_x{};
  std::uint8_t columns = 0;
};

// Fills `out` (cleared first, capacity kept) with the arrows of packets in `range` that show through
// `filters`, folding dense rows. Records whose arrow lies wholly outside the mapped rows are skipped.
// `analysis`: a capture's analyzer flags, which name its packets' kinds (arrow_kind.hpp); null for a run.
void build_arrows(const Trace& trace, std::span<const FlowColumns> flow_columns, const LadderLayout& layout,
                  const TimeMapping& map, IndexRange range, const Filters& filters,
                  std::vector<ArrowRecord>& out, const TraceAnalysis* analysis = nullptr);

// The record nearest to (x, y) within `tolerance` pixels of its arrow, if any.
std::optional<std::size_t> hit_test(std::span<const ArrowRecord> records, float x, float y,
                                    float tolerance = 5.0f);
float distance_to_segment(float px, float py, float x0, float y0, float x1, float y1);

// Events beside the lanes: one mark per event, or one counted mark for events closer than kFoldPx on the same
// column. `times` is sorted and parallel to `events` and `columns`.
struct EventMark {
  std::uint32_t event = 0;  // events[slot]: index into the Trace's events (a fold: the first)
  std::uint32_t slot = 0;   // index into the parallel arrays passed in
  std::uint32_t count = 1;
  std::uint8_t column = 0;
  float y = 0;
};
void build_event_marks(std::span<const std::int64_t> times, std::span<const std::uint32_t> events,
                       std::span<const std::uint8_t> columns, const TimeMapping& map,
                       std::vector<EventMark>& out, float fold_px = kFoldPx);

// A pleasant tick spacing (1, 2, 5 × 10^k ns) giving at least `min_px` between ticks.
std::int64_t tick_step_ns(double ns_per_px, float min_px);

}  // namespace wirestep::gui
