// The fixed, tiled windows the App lays out (STYLE.md: panels do not move; the App decides where they go).
#pragma once

#include "ui/gui/app.hpp"

namespace wirestep::gui {

// Begins an ImGui window at `r` that the user cannot move, resize or collapse. `title` may carry an
// "###id" suffix so the title can change language without losing the window; a window whose contents are
// tabs has no title bar (`titled` false). Always pair with ImGui::End().
bool begin_panel_window(const char* title, const PanelRect& r, bool titled = true);

}  // namespace wirestep::gui
