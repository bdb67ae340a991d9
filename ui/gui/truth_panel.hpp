// The "Truth vs analysis" tab: for a simulated run, every packet where the simulator's cause and the
// Wireshark-style analyzer disagree (click a row to select the packet) and, per flag, how many packets the
// simulator and the analyzer count; for a capture, which has no ground truth, the analyzer's flags alone.
// The comparison itself is ground_truth.hpp, built once per document; this file draws it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ui/gui/app.hpp"

namespace wirestep::gui {

// Disagreements stand out in one colour wherever they are shown (this tab, the inspector).
inline constexpr unsigned kDisagreeHex = 0xB4530A;    // text
inline constexpr unsigned kDisagreeBgHex = 0xFCE3C4;  // row background
inline constexpr unsigned kAgreeHex = 0x2E8B3E;

class TruthPanel {
 public:
  // Draws inside the current window (the lower right tab).
  void draw_contents(const App& app, Commands& c);

 private:
  void draw_counts(const App& app);
  void draw_rows(const App& app, Commands& c);
  const std::string& row_explanation(const App& app, std::size_t row);

  // One row per disagreement (simulated) or per flagged packet (captures), over every trace.
  struct Row {
    std::uint32_t trace;
    std::uint32_t index;  // into the trace's disagreements() or analyzer().flagged()
  };
  std::uint64_t rows_generation_ = 0;
  std::vector<Row> rows_;
  // Explanations are written the first time a row is seen and kept: a steady frame allocates nothing.
  std::vector<std::string> explanations_;
  std::vector<bool> explained_;
};

}  // namespace wirestep::gui
