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
#include <utility>
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

// Sequence layout: one row per packet sent and per step event, in the order they happened, even when several
// share one nanosecond (a segment's arrival, the state change it causes and the reply all happen at once).
// An instant with k steps has k rows; an instant where packets only arrive (or are lost) has one row.
//
// Time still maps to a row, so everything drawn by time (arrival tips, the cursor, the gutter) stays well
// defined: an instant maps to the FIRST of its rows, and between two instants time runs linearly from the
// last row of the earlier one to the first row of the later one. That mapping is monotonic (never
// decreasing) and time_of_row(row_of(t)) == t. What only time cannot say -- which of an instant's rows a step
// sits on -- is said by the step itself: send_row() and event_row() place an arrow's start and an event's
// mark on their own rows, and a cursor sitting on a step is drawn on that step's row. Hit testing works on
// the arrows as drawn, so it needs nothing more.
class SequenceRows {
 public:
  void clear();
  // Adds a trace's rows (a comparison adds two; rows of one instant: the first trace's first). O(n log n).
  void add_trace(const Trace& trace);
  bool empty() const { return times_.empty(); }
  // Each row's instant, sorted; equal entries are the rows of one instant.
  std::span<const std::int64_t> times() const { return times_; }
  // The row of packet `packet`'s send, of step event `event` (other events: none), in trace `trace`.
  std::span<const std::uint32_t> send_rows(std::size_t trace) const;
  std::span<const std::uint32_t> event_rows(std::size_t trace) const;
  static constexpr std::uint32_t kNoRow = 0xFFFFFFFF;

 private:
  std::vector<std::int64_t> times_;
  std::vector<std::vector<std::uint32_t>> send_rows_, event_rows_;
};

// Ladder layout: y = top + (t - t0) / ns_per_px.
// Sequence layout (`rows` non-empty): rows of `row_px` pixels as SequenceRows describes them. `ns_per_px` is
// then the average over the view, used only for text precision; nothing folds (fold_ns() is 0).
struct TimeMapping {
  std::int64_t t0_ns = 0;
  double ns_per_px = 1.0;
  float top = 0;
  float height = 1;
  std::span<const std::int64_t> rows;
  // One ladder's steps (SequenceRows::send_rows, event_rows); empty: steps sit on their instant's first row.
  std::span<const std::uint32_t> send_rows;
  std::span<const std::uint32_t> event_rows;
  float row_px = 0;
  double row0 = 0;  // fractional row index at the top of the view (sequence layout)

  float y(std::int64_t t_ns) const;
  std::int64_t time_at(float y_px) const;
  std::int64_t end_ns() const { return time_at(top + height); }
  bool sequence() const { return !rows.empty(); }
  // Packets or events closer than `px` fold together; in sequence layout none do (each has its row).
  std::int64_t fold_ns(float px) const;
  // Sequence layout: the fractional row of `t` (an instant: its first row) and its inverse (outside the rows,
  // one row per average gap).
  double row_of(std::int64_t t_ns) const;
  std::int64_t time_of_row(double row) const;
  float row_y(double row) const;
  // Where packet `packet` (sent at `t_ns`) starts and where event `event` (at `t_ns`) sits: their own row in
  // sequence layout, else y(t_ns).
  float send_y(std::uint32_t packet, std::int64_t t_ns) const;
  float event_y(std::uint32_t event, std::int64_t t_ns) const;
  // Sequence layout: the view's top as an instant and how many rows into that instant's rows it starts.
  std::pair<std::int64_t, double> top_of_row(double row) const;
};

// Maps [begin, end] onto `height` pixels starting at `top` (end > begin; a zero span is widened to 1 µs).
TimeMapping make_mapping(std::int64_t begin_ns, std::int64_t end_ns, float top, float height);

// Sequence layout: rows of `row_px` from the first row of instant `begin_ns`, plus `skip_rows` rows (the view
// can start inside an instant's rows); `rows` must outlive the mapping.
TimeMapping make_sequence_mapping(std::span<const std::int64_t> rows, std::int64_t begin_ns, float top,
                                  float height, float row_px, double skip_rows = 0.0);

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
  std::uint32_t last =
      0;  // a fold: the last packet of its row (the fold is those going its way); else packet
  std::uint32_t count = 1;  // > 1: a folded mark standing for this many packets
  std::uint32_t lost = 0;   // folded: how many of them the link or queue lost (estimated when sampled)
  float x0 = 0, y0 = 0;     // sender column at send time
  float x1 = 0, y1 = 0;     // arrow tip: receiver column at arrival, or where it was dropped
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

// The columns a packet's arrow joins: its hop's sender and receiver in a routed run (Trace::hop, issue #18:
// A -> R, then R -> C, each on its own node's lifeline), else its flow's two ends in its direction.
struct LadderEnds {
  std::uint8_t from = 0;
  std::uint8_t to = 0;
  bool operator==(const LadderEnds&) const = default;
};
LadderEnds ladder_ends(const Trace& trace, std::size_t index, const PacketRecord& p,
                       std::span<const FlowColumns> flow_columns);

// Fills `out` (cleared first, capacity kept) with the arrows of packets in `range` that show through
// `filters`, folding dense rows. Records whose arrow lies wholly outside the mapped rows are skipped.
// `analysis`: a capture's analyzer flags, which name its packets' kinds (arrow_kind.hpp); null for a run.
void build_arrows(const Trace& trace, std::span<const FlowColumns> flow_columns, const LadderLayout& layout,
                  const TimeMapping& map, IndexRange range, const Filters& filters,
                  std::vector<ArrowRecord>& out, const TraceAnalysis* analysis = nullptr);

// Whether `packet` is one of the packets record `r` stands for: the packet itself, or for a folded mark one
// of its row's packets drawn the same way (so a packetdrill failure inside a fold colours the fold, issue
// #17).
bool fold_holds(const Trace& trace, std::span<const FlowColumns> flow_columns, const LadderLayout& layout,
                const ArrowRecord& r, std::uint32_t packet);

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
