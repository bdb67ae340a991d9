// The ladder diagram: endpoints as vertical lines, time running down, one arrow per packet sloped by its real
// delay, a red cross where a packet was lost, socket calls and state changes beside the lanes, the time
// cursor with packets in flight moving along their arrows. A comparison shows its TCP and UDP runs side by
// side on one time axis. Mapping, folding and hit testing are in timeline_mapping.hpp; this file draws.
#pragma once

#include <array>
#include <vector>

#include "ui/gui/app.hpp"
#include "ui/gui/timeline_mapping.hpp"

namespace wirestep::gui {

class TimelinePanel {
 public:
  void draw(const App& app, Commands& c, const PanelRect& r);

 private:
  void draw_contents(const App& app, Commands& c);
  void draw_legend(const App& app);

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
};

}  // namespace wirestep::gui
