// The conversation overview of a capture (issue #19): what a ladder cannot show once a capture has more than
// a few hosts. One row per conversation (endpoints, packets, bytes, rate), and across the row the
// conversation's packets as ticks on the timeline's time range, each tick coloured by Wireshark's most
// telling finding in it (retransmission, lost segment, duplicate ACK, ...). Sortable and filterable like the
// Flows tab; clicking a row opens that conversation's ladder. Draws only the rows on screen, and per row only
// one cell per pixel column (sim/analysis/conversation_ticks.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/analysis/conversation_ticks.hpp"
#include "sim/analysis/flow_list.hpp"
#include "ui/gui/fonts.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/panel_window.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/document.hpp"

namespace wirestep::gui {

class OverviewPanel {
 public:
  void draw(const Document& doc, const ViewState& view, const Fonts& fonts, NavigationCommands& nav,
            FlowCommands& flows, DisplayCommands& display, const PanelRect& r);

 private:
  void refresh_list(const CaptureFlows& flows);
  // Which findings the capture has (the legend): a walk over every conversation's findings, so done once
  // per document generation, not per frame.
  const std::array<bool, kFindingCount>& findings_present(const Document& doc, const CaptureFlows& flows);
  // The ticks of one row inside [x0, x1) x [y0, y1); returns the hovered cell's text, if any.
  void draw_strip(const Document& doc, const FlowRow& row, const ViewState& view, float x0, float x1,
                  float y0, float y1, std::string& hover_text);

  char filter_[128] = {};
  std::vector<std::uint32_t> listed_;
  const CaptureFlows* listed_for_ = nullptr;
  std::string listed_filter_;
  FlowColumn sort_column_ = FlowColumn::Start;
  bool sort_ascending_ = true;
  bool sort_dirty_ = true;
  std::vector<TickCell> cells_;  // reused per row
  std::array<bool, kFindingCount> present_{};
  const CaptureFlows* present_for_ = nullptr;
  std::uint64_t present_generation_ = 0;
};

// Both views of a capture share this switch: "Ladder | Conversations" at the top of the panel.
void draw_capture_view_switch(bool overview, Lang lang, DisplayCommands& display);

}  // namespace wirestep::gui
