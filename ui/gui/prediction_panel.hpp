// The prediction window (teaching): while prediction mode is on, a small window over the bottom of the
// timeline asks for the hidden segment's numbers (seq, ack) or flags (SYN, ACK, FIN, RST), then shows each
// field right or wrong with its reason. The logic is prediction.hpp; this file draws and sends commands.
#pragma once

#include <optional>
#include <string>

#include "sim/analysis/lang.hpp"
#include "sim/analysis/prediction.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/panel_window.hpp"
#include "ui/model/document.hpp"

namespace wirestep::gui {

class PredictionPanel {
 public:
  // `r`: the timeline's area; the window sits at its bottom left.
  void draw(const Document& doc, const PredictionSession& session, Lang lang, PredictionCommands& c,
            const PanelRect& r);

 private:
  void draw_question(const Document& doc, const PredictionSession& session, Lang lang, PredictionCommands& c);
  void draw_result(const Document& doc, const PredictionSession& session, Lang lang);
  void refresh_reasons(const Document& doc, const PredictionSession& session, Lang lang);

  // The learner's inputs, cleared when the question changes.
  std::optional<PacketRef> inputs_for_;
  char seq_buf_[16] = {};
  char ack_buf_[16] = {};
  bool syn_ = false, ack_ = false, fin_ = false, rst_ = false;
  bool was_blocked_ = false;

  // Reasons of the last result, written once per result and language.
  std::optional<PacketRef> reasons_for_;
  Lang reasons_lang_ = Lang::En;
  bool reasons_relative_ = true;
  std::string seq_reason_, ack_reason_, flags_reason_;
};

}  // namespace wirestep::gui
