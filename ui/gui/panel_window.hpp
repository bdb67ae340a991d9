// The window every panel draws in (STYLE.md §5: a panel's draw() owns Begin/End, draw_contents() the body).
// Tiled panels sit where the App lays them out and cannot be moved, resized or collapsed; an overlay (the
// prediction window) floats at an anchor over another panel and sizes itself to its contents. End() is
// called by the destructor, whatever Begin returned.
#pragma once

#include <imgui.h>

namespace wirestep::gui {

// Where a panel's window goes (the App tiles the screen; panels do not move).
struct PanelRect {
  float x = 0, y = 0, w = 0, h = 0;
};

// How a tiled panel's window looks.
struct PanelStyle {
  bool title_bar = true;          // false: a window whose contents are tabs, or the controls bar
  bool scrollbar = true;          // false: the contents fit, or scroll themselves
  bool scroll_with_mouse = true;  // false: the panel takes the wheel itself (zoom)
};

// A window floating over another panel: `anchor` is where its `pivot` (0..1 of its size) goes; its width
// and height stay within [min_size, max_size].
struct OverlayPlacement {
  ImVec2 anchor, pivot;
  ImVec2 min_size, max_size;
  float bg_alpha = 1.0f;
};

class PanelWindow {
 public:
  // `title` may carry an "###id" suffix so the title can change language without losing the window.
  PanelWindow(const char* title, const PanelRect& r, PanelStyle style = {});
  PanelWindow(const char* title, const OverlayPlacement& p);
  ~PanelWindow();
  PanelWindow(const PanelWindow&) = delete;
  PanelWindow& operator=(const PanelWindow&) = delete;

  // Whether the window shows: draw the contents only then.
  bool visible() const { return visible_; }

 private:
  bool visible_ = false;
};

}  // namespace wirestep::gui
