// The Script tab: an open packetdrill script with line numbers, the run's outcome (the failing line in red
// with expected vs actual), the line of the packet or event at the cursor highlighted and kept in view as you
// step, and a click on a line moving the cursor to its time. Which line belongs to which packet is
// ui/model/script_document.hpp; this file draws it.
#pragma once

#include <cstdint>

#include "ui/gui/fonts.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/document.hpp"

namespace wirestep::gui {

class ScriptPanel {
 public:
  // True once for each newly opened script: its tab comes to the front.
  bool take_new_script(const Document& doc);
  // Draws inside the current window (a left column tab); nothing when the document is not a script.
  void draw_contents(const Document& doc, const ViewState& view, const Fonts& fonts, NavigationCommands& nav);

 private:
  void draw_outcome(const Document& doc, Lang lang);

  std::uint64_t seen_generation_ = 0;
  std::uint32_t scrolled_to_line_ = 0;  // the highlighted line last scrolled into view
};

}  // namespace wirestep::gui
