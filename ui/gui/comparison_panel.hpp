// The TCP-versus-UDP table of a comparison scenario (ui/cli/comparison_table.hpp's rows), shown beside the
// two runs' lanes.
#pragma once

#include <vector>

#include "sim/analysis/lang.hpp"
#include "ui/cli/comparison_table.hpp"
#include "ui/gui/fonts.hpp"
#include "ui/gui/panel_window.hpp"

namespace wirestep::gui {

class ComparisonPanel {
 public:
  void draw(const std::vector<ComparisonRow>& rows, Lang lang, const Fonts& fonts, const PanelRect& r);

 private:
  void draw_contents(const std::vector<ComparisonRow>& rows, Lang lang, const Fonts& fonts);
};

}  // namespace wirestep::gui
