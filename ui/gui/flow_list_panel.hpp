// The left column's "Flows" tab for a capture: every conversation with its endpoints, totals and TCP
// analysis counts (Wireshark's tcp.analysis flags), a text filter and sortable columns. Clicking a row shows
// only that flow in the timeline (Ctrl+click adds flows); ticking one TCP and one UDP flow shows the two side
// by side, as a simulated TCP-vs-UDP comparison does. The rows and each flow's packets come from
// flow_list.hpp, built once when the capture loads; a frame only draws the visible rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/analysis/flow_list.hpp"
#include "ui/gui/fonts.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/document.hpp"

namespace wirestep::gui {

class FlowListPanel {
 public:
  // Draws inside the current window (the left column's tab).
  void draw_contents(const Document& doc, const ViewState& view, const Fonts& fonts, FlowCommands& c);
  // For `wirestep shot --flow-filter`.
  void set_filter(const std::string& text);

 private:
  void refresh_list(const CaptureFlows& flows, const ViewState& view);
  void draw_row(const Document& doc, Lang lang, const Fonts& fonts, FlowCommands& c, const FlowRow& row);

  char filter_[128] = {};
  std::vector<std::uint32_t> listed_;  // row indexes shown, filtered and sorted
  // What listed_ was built from; any change rebuilds it.
  const CaptureFlows* listed_for_ = nullptr;
  std::string listed_filter_;
  bool listed_tcp_ = true, listed_udp_ = true;
  FlowColumn sort_column_ = FlowColumn::Number;
  bool sort_ascending_ = true;
  bool sort_dirty_ = true;
  // The TCP and the UDP flow ticked for the side-by-side view.
  const CaptureFlows* picks_for_ = nullptr;
  std::optional<std::uint32_t> pick_tcp_, pick_udp_;
};

}  // namespace wirestep::gui
