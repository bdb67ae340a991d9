#include "ui/gui/panel_window.hpp"

namespace wirestep::gui {

PanelWindow::PanelWindow(const char* title, const PanelRect& r, PanelStyle style) {
  ImGui::SetNextWindowPos({r.x, r.y});
  ImGui::SetNextWindowSize({r.w, r.h});
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 (style.title_bar ? 0 : ImGuiWindowFlags_NoTitleBar) |
                                 (style.scrollbar ? 0 : ImGuiWindowFlags_NoScrollbar) |
                                 (style.scroll_with_mouse ? 0 : ImGuiWindowFlags_NoScrollWithMouse);
  visible_ = ImGui::Begin(title, nullptr, flags);
}

PanelWindow::PanelWindow(const char* title, const OverlayPlacement& p) {
  ImGui::SetNextWindowPos(p.anchor, ImGuiCond_Always, p.pivot);
  ImGui::SetNextWindowSizeConstraints(p.min_size, p.max_size);
  ImGui::SetNextWindowBgAlpha(p.bg_alpha);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoResize;
  visible_ = ImGui::Begin(title, nullptr, flags);
}

PanelWindow::~PanelWindow() {
  ImGui::End();
}

}  // namespace wirestep::gui
