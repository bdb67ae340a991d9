#include "ui/gui/save_scenario_dialog.hpp"

#include <imgui.h>

#include <cstdio>
#include <filesystem>

#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {

void SaveScenarioDialog::show(const std::string& document_source) {
  open_request_ = true;
  if (!path_[0]) {
    const std::string name = std::filesystem::path(document_source).stem().string() + "-edited.toml";
    std::snprintf(path_, sizeof path_, "%s", name.c_str());
  }
}

void SaveScenarioDialog::draw(Lang lang, EditCommands& c) {
  if (open_request_) {
    ImGui::OpenPopup("###save-scenario");
    open_request_ = false;
  }
  char title[96];
  std::snprintf(title, sizeof title, "%s###save-scenario", tr(lang, T::SaveScenarioAs));
  if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted(tr(lang, T::SaveScenarioPrompt));
  ImGui::SetNextItemWidth(520.0f);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool enter =
      ImGui::InputText("##scenario-path", path_, sizeof path_, ImGuiInputTextFlags_EnterReturnsTrue);
  if (ImGui::Button(tr(lang, T::SaveScenarioButton)) || enter) {
    if (path_[0]) c.save_scenario_path = std::string(path_);
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button(tr(lang, T::Cancel))) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

}  // namespace wirestep::gui
