#include "ui/gui/panel_window.hpp"

#include <imgui.h>

namespace wirestep::gui {

bool begin_panel_window(const char* title, const PanelRect& r, bool titled) {
  ImGui::SetNextWindowPos({r.x, r.y});
  ImGui::SetNextWindowSize({r.w, r.h});
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 (titled ? 0 : ImGuiWindowFlags_NoTitleBar);
  return ImGui::Begin(title, nullptr, flags);
}

}  // namespace wirestep::gui
