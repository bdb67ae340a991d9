// Every TCP socket of each host at the cursor (listener first, then each accepted or connected socket with
// its peer: seed notes 11.5-11.6), the TCP state diagram (RFC 9293 §3.3.2) with each endpoint's state at the
// cursor filled in its colour and the transition it just took drawn bold, and the connection variables at the
// cursor (cwnd, ssthresh, SRTT, RTO, snd.una, snd.nxt, rcv.nxt, windows) from the Trace's events, each with a
// sparkline of its history.
#pragma once

#include <array>
#include <climits>
#include <cstdint>
#include <vector>

#include "sim/analysis/lang.hpp"
#include "sim/analysis/step_order.hpp"
#include "ui/gui/graph_columns.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/document.hpp"

struct ImFont;

namespace wirestep::gui {

class StatePanel {
 public:
  // Draws inside the current window (the lower right "TCP state" tab).
  // `small`: the font of the socket list (null: the UI font).
  void draw_contents(const Document& doc, const ViewState& view, ImFont* small = nullptr);

 private:
  // How many of the trace's events have happened at the cursor (StepOrder::events_happened), recomputed
  // only when the cursor, the trace or the document changes.
  std::size_t events_happened(const Document& doc, std::uint32_t trace, const Cursor& cursor);
  // The socket list, in a scrolling region at most `max_height` high; returns the height it took.
  float draw_sockets(const ViewState& view, std::uint32_t trace, const LoadedTrace& lt, std::size_t happened,
                     float max_height, ImFont* small);
  void draw_diagram(const LoadedTrace& lt, Lang lang, std::size_t happened, float height);
  void draw_variables(const Document& doc, const ViewState& view, const LoadedTrace& lt,
                      std::size_t happened);

  Cursor happened_at_{INT64_MIN, std::nullopt};
  std::uint64_t happened_generation_ = 0;
  std::uint32_t happened_trace_ = 0;
  std::size_t happened_ = 0;

  // Each endpoint's variable histories for the sparklines, built once per document.
  std::uint64_t history_generation_ = 0;
  std::vector<std::array<Series, kTraceVarCount>> histories_;
  std::vector<ColumnAgg> spark_columns_;  // reused by every sparkline
};

}  // namespace wirestep::gui
