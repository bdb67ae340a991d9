// The TCP state diagram (RFC 9293 §3.3.2) with each endpoint's state at the cursor filled in its colour and
// the transition it just took drawn bold, and the connection variables at the cursor (cwnd, ssthresh, SRTT,
// RTO, snd.una, snd.nxt, rcv.nxt, windows) from the Trace's events, each with a sparkline of its history.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "ui/gui/app.hpp"
#include "ui/gui/graph_columns.hpp"

namespace wirestep::gui {

class StatePanel {
 public:
  // Draws inside the current window (the lower right "TCP state" tab).
  void draw_contents(const App& app);

 private:
  void draw_diagram(const App& app, const LoadedTrace& lt, std::size_t happened, float height);
  void draw_variables(const App& app, const LoadedTrace& lt, std::size_t happened);

  // Each endpoint's variable histories for the sparklines, built once per document.
  std::uint64_t history_generation_ = 0;
  std::vector<std::array<Series, kTraceVarCount>> histories_;
  std::vector<ColumnAgg> spark_columns_;  // reused by every sparkline
};

}  // namespace wirestep::gui
