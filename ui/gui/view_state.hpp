// What the user is looking at, apart from the data (STYLE.md §5): the visible time range, the time cursor
// and the step it sits on, the selected packet, filters and the play state. Plain data: panels read it and
// change it only through Commands (panel_commands.hpp), which the App applies.
#pragma once

#include <cstdint>
#include <optional>

#include "sim/analysis/lang.hpp"
#include "sim/analysis/packet_ref.hpp"
#include "sim/analysis/step_order.hpp"

namespace wirestep::gui {

inline constexpr float kSequenceRowLines = 1.6f;  // sequence layout: a row is this many text lines high

struct Filters {
  bool tcp = true;
  bool udp = true;
  bool pure_acks = true;  // ACKs with no data, no SYN/FIN/RST
  bool events = true;     // socket calls and state changes beside the lanes
  bool relative_seq = true;
};

struct ViewState {
  // Visible time range of the timeline (time runs down the screen).
  std::int64_t view_begin_ns = 0;
  std::int64_t view_end_ns = 1'000'000;
  // The time cursor; `step` is the step it sits on after a step command (nullopt after a drag or play).
  Cursor cursor;
  std::optional<PacketRef> selected;
  std::optional<PacketRef> hovered;
  Filters filters;
  bool playing = false;
  double speed = 0.02;           // simulated seconds per wall second
  bool follow_cursor = true;     // scroll the timeline to keep the cursor visible while playing
  bool following_newest = true;  // a live capture: the view scrolls with the newest packet
  Lang lang = Lang::En;
  // A capture: the conversation overview instead of the ladder (set when a capture with many hosts opens).
  bool overview = false;
  // Sequence layout: each instant something happens gets its own row (a lesson's [view] layout, or the
  // View menu), instead of time running proportionally down the screen.
  bool sequence = false;
  // Sequence layout: the view starts this many rows into the rows of instant view_begin_ns (one instant can
  // have many rows), and a row is this many text lines high (+ and - change it: fewer or more rows in view).
  double sequence_row_skip = 0.0;
  float sequence_row_lines = kSequenceRowLines;
  // The topology view (issue #18) above the ladder: nodes, links and the packets on them at the cursor.
  bool topology = false;
};

}  // namespace wirestep::gui
