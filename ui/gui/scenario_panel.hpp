// The bundled lessons, each with its title; the open document's explanation below them, and for a comparison
// the TCP-versus-UDP table. Selecting a lesson runs it.
#pragma once

#include <string>

#include "ui/gui/app.hpp"

namespace wirestep::gui {

class ScenarioPanel {
 public:
  // Draws inside the current window (the left column's "Lessons" tab).
  void draw_contents(const App& app, Commands& c);

 private:
  std::string scrolled_for_;  // the document the list was last scrolled to
};

}  // namespace wirestep::gui
