// The "Truth vs analysis" tab: for a simulated run, every packet where the simulator's cause and the
// Wireshark-style analyzer disagree (click a row to select the packet) and, per flag, how many packets the
// simulator and the analyzer count; for a capture, which has no ground truth, the analyzer's flags alone.
// The comparison itself is ground_truth.hpp, built once per document; this file draws it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/analysis/lang.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/document.hpp"

namespace wirestep::gui {

// Disagreements stand out in one colour wherever they are shown (this tab, the inspector).
inline constexpr unsigned kDisagreeHex = 0xB4530A;    // text
inline constexpr unsigned kDisagreeBgHex = 0xFCE3C4;  // row background
inline constexpr unsigned kAgreeHex = 0x2E8B3E;

class TruthPanel {
 public:
  // Draws inside the current window (the lower right tab). Clicking a row selects its packet and scrolls the
  // timeline to it.
  void draw_contents(const Document& doc, const ViewState& view, SelectionCommands& selection,
                     NavigationCommands& nav);

 private:
  void draw_counts(const Document& doc, Lang lang);
  void draw_rows(const Document& doc, const ViewState& view, SelectionCommands& selection,
                 NavigationCommands& nav);
  const std::string& row_explanation(const Document& doc, std::size_t row, Lang lang);

  // One row per disagreement (simulated) or per flagged packet (captures), over every trace.
  struct Row {
    std::uint32_t trace;
    std::uint32_t index;  // into the trace's disagreements() or analyzer().flagged()
  };
  std::uint64_t rows_generation_ = 0;
  Lang rows_lang_ = Lang::En;  // the language of the kept explanations
  std::vector<Row> rows_;
  // Explanations are written the first time a row is seen and kept: a steady frame allocates nothing.
  std::vector<std::string> explanations_;
  std::vector<bool> explained_;
};

}  // namespace wirestep::gui
