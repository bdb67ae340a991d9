// The TCP-versus-UDP table of a comparison scenario (ui/cli/comparison_table.hpp's rows), shown beside the
// two runs' lanes.
#pragma once

#include "ui/gui/app.hpp"

namespace wirestep::gui {

class ComparisonPanel {
 public:
  void draw(const App& app, Commands& c, const PanelRect& r);

 private:
  void draw_contents(const App& app);
};

}  // namespace wirestep::gui
