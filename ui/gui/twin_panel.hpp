// A twin pair's comparison (issue 16), beside the two lanes: how many segments each run sent, whether they
// agree, the first difference as `wirestep twin` prints it, and every differing row; a click selects the
// row's segment on the simulated lane (or, on the "real Linux:" line, on the real one).
#pragma once

#include "sim/analysis/lang.hpp"
#include "ui/gui/fonts.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/panel_window.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/document.hpp"

namespace wirestep::gui {

class TwinPanel {
 public:
  void draw(const Document& doc, const ViewState& view, const Fonts& fonts, SelectionCommands& select,
            NavigationCommands& nav, const PanelRect& r);

 private:
  void draw_contents(const Document& doc, const ViewState& view, const Fonts& fonts,
                     SelectionCommands& select, NavigationCommands& nav);
};

}  // namespace wirestep::gui
