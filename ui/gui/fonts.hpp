// The UI's fonts and look: DejaVu Sans for text, DejaVu Sans Mono for the hex dump, a smaller Sans for
// arrow labels, and Simplified Chinese merged into the text font when a CJK font is installed (Noto Sans CJK
// or WenQuanYi). Loaded once into ImGui's atlas, before the first frame.
#pragma once

#include <vector>

#include "ui/model/scenario_list.hpp"

struct ImFont;

namespace wirestep::gui {

struct Fonts {
  ImFont* ui = nullptr;
  ImFont* mono = nullptr;
  ImFont* small = nullptr;  // arrow labels (Latin only)
  bool cjk = false;         // Chinese glyphs were loaded
};

// The light, square-cornered style of the fixed layout; nothing is saved between runs.
void apply_style();

// Adds the fonts to ImGui's atlas (call once, after ImGui::CreateContext) and makes the text font the
// default. The Chinese glyphs cover the common set plus every character the UI's texts and `lessons` use.
// Fonts missing: ImGui's built-in font, and Chinese stays off (Fonts::cjk false).
Fonts load_fonts(const std::vector<ScenarioEntry>& lessons);

}  // namespace wirestep::gui
