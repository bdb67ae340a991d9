// The bundled lessons, each with its title; the open document's explanation below them, and for a comparison
// the TCP-versus-UDP table. Selecting a lesson runs it.
#pragma once

#include <string>
#include <vector>

#include "sim/analysis/lang.hpp"
#include "ui/gui/fonts.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/model/document.hpp"
#include "ui/model/scenario_list.hpp"

namespace wirestep::gui {

class ScenarioPanel {
 public:
  // Draws inside the current window (the left column's "Lessons" tab). `error`: why the last open failed.
  void draw_contents(const std::vector<ScenarioEntry>& lessons, const Document& doc, const std::string& error,
                     Lang lang, const Fonts& fonts, FileCommands& c);

 private:
  std::string scrolled_for_;  // the document the list was last scrolled to
};

}  // namespace wirestep::gui
