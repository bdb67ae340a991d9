// The ladder diagram: endpoints as vertical lines, time running down, one arrow per packet sloped by its real
// delay, a red cross where a packet was lost, socket calls and state changes beside the lanes, the time
// cursor with packets in flight moving along their arrows. A comparison shows its TCP and UDP runs side by
// side on one time axis. Mapping, folding and hit testing are in timeline_mapping.hpp; this file draws.
#pragma once

#include <array>
#include <climits>
#include <vector>

#include "sim/analysis/prediction.hpp"
#include "ui/gui/fonts.hpp"
#include "ui/gui/link_panel.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/panel_window.hpp"
#include "ui/gui/timeline_mapping.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/document.hpp"

namespace wirestep::gui {

class TimelinePanel {
 public:
  // `prediction`: the segment to predict is drawn without its answer. `editing`: right-clicking a packet
  // offers the packet actions. `offer_follow`: a live capture the user scrolled away from gets a button
  // back to the newest packet.
  void draw(const Document& doc, const ViewState& view, const Fonts& fonts,
            const PredictionSession& prediction, const PacketEditing& editing, bool offer_follow,
            NavigationCommands& nav, SelectionCommands& selection, EditCommands& edit, LiveCommands& live,
            DisplayCommands& display, const PanelRect& r);

 private:
  void draw_contents(const Document& doc, const ViewState& view, const Fonts& fonts,
                     const PredictionSession& prediction, const PacketEditing& editing, bool offer_follow,
                     NavigationCommands& nav, SelectionCommands& selection, EditCommands& edit,
                     LiveCommands& live);
  // Draws the legend below the ladder; with `draw` false only measures it. Returns its height.
  float draw_legend(const Document& doc, Lang lang, bool draw = true);

  // Each ladder's lane order (ui/cli/ladder_order.hpp), kept while its Trace stays the same.
  const std::array<std::uint8_t, kMaxLadderColumns>& lane_slots(std::size_t ladder, std::uint64_t generation,
                                                                const Trace& trace, std::uint8_t columns);
  struct LaneSlots {
    std::uint64_t generation = 0;
    const Trace* trace = nullptr;
    std::size_t packets = 0;
    std::uint8_t columns = 0;
    std::array<std::uint8_t, kMaxLadderColumns> slot{};
  };
  std::array<LaneSlots, 2> lane_slots_;

  struct LabelBox {
    float x0, y0, x1, y1;
  };
  bool label_fits(const LabelBox& b);

  std::array<std::vector<ArrowRecord>, 2> arrows_;  // per ladder, reused every frame
  std::vector<EventMark> marks_;
  std::array<LabelBox, 24> labels_{};  // recently placed labels, to keep new ones off them
  std::size_t label_count_ = 0;
  bool panning_ = false;
  bool dragging_cursor_ = false;
  std::int64_t pan_begin_ = 0, pan_end_ = 0;
  // Sequence layout: the document's rows, rebuilt only when the document or its size changes.
  SequenceRows rows_;
  std::uint64_t rows_generation_ = 0;
  std::size_t rows_size_ = 0;
  float last_row_px_ = 0.0f;  // the row height of the last frame: a change (+/-) keeps the cursor's row put
  double pan_row0_ = 0.0;     // the top row when a drag began
  Cursor last_cursor_{INT64_MIN, std::nullopt};  // the last frame's: a moved cursor is kept in view
};

}  // namespace wirestep::gui
