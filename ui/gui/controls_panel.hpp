// Play/pause, step back and forward, jump to start or end, speed (0.01x to fast-forward), the time cursor as
// a slider, and a sentence saying what the current step is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/analysis/lang.hpp"
#include "sim/analysis/step_order.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/panel_window.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/document.hpp"

namespace wirestep::gui {

class ControlsPanel {
 public:
  // `predicting`: prediction mode is on (its checkbox).
  void draw(const Document& doc, const ViewState& view, bool predicting, NavigationCommands& nav,
            PredictionCommands& predict, const PanelRect& r);
  // The bar's height at `width` pixels: the buttons, speed, Predict and time field on one row when they fit,
  // else on two (a projector's 1024x768), and the step sentence below (two lines when narrow, so nothing is
  // cut off).
  static float height(Lang lang, float width);

 private:
  void draw_contents(const Document& doc, const ViewState& view, bool predicting, NavigationCommands& nav,
                     PredictionCommands& predict);
  // The step sentence is rebuilt only when the step changes (it reads event text).
  bool described_once_ = false;
  std::optional<TimelineStep> described_;
  std::string description_;
  Lang described_lang_ = Lang::En;
  std::uint64_t described_generation_ = 0;
};

// "A sends SYN seq=0 to B", "B: LISTEN -> SYN-RECEIVED: SYN received by a listening socket".
std::string describe_step(const Document& doc, const TimelineStep& s, Lang lang);

}  // namespace wirestep::gui
