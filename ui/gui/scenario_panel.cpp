#include "ui/gui/scenario_panel.hpp"

#include <imgui.h>

#include <cstdio>

#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {

void ScenarioPanel::draw(const App& app, Commands& c, const PanelRect& r) {
  ImGui::SetNextWindowPos({r.x, r.y});
  ImGui::SetNextWindowSize({r.w, r.h});
  char title[96];
  std::snprintf(title, sizeof title, "%s###lessons", tr(app.lang(), T::Scenarios));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
  if (ImGui::Begin(title, nullptr, flags)) draw_contents(app, c);
  ImGui::End();
}

void ScenarioPanel::draw_contents(const App& app, Commands& c) {
  const Lang lang = app.lang();
  const Document& doc = app.doc();
  const bool zh = lang == Lang::Zh && app.fonts().cjk;
  for (const ScenarioEntry& s : app.scenarios()) {
    ImGui::PushID(s.path.c_str());
    const char* title = zh && !s.title_zh.empty() ? s.title_zh.c_str() : s.title.c_str();
    const bool current = s.path == doc.source;
    ImGui::PushTextWrapPos(0.0f);
    if (ImGui::Selectable("##pick", current, 0, {0, ImGui::CalcTextSize(title, nullptr, false, ImGui::GetContentRegionAvail().x).y}))
      c.open_path = s.path;
    ImGui::SameLine(ImGui::GetStyle().ItemSpacing.x);
    ImGui::TextUnformatted(title);
    ImGui::PopTextWrapPos();
    ImGui::PopID();
  }
  if (app.scenarios().empty()) ImGui::TextDisabled("(no bundled scenarios found: set WIRESTEP_SCENARIOS)");

  if (!app.error().empty()) {
    ImGui::Separator();
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.1f, 0.1f, 1.0f));
    ImGui::TextWrapped("%s", app.error().c_str());
    ImGui::PopStyleColor();
  }

  ImGui::Separator();
  ImGui::Spacing();
  const std::string& title = zh && !doc.title_zh.empty() ? doc.title_zh : doc.title;
  const std::string& text = zh && !doc.explanation_zh.empty() ? doc.explanation_zh : doc.explanation;
  if (!title.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImColor(rgb(0x1F5FBF)).Value);
    ImGui::TextWrapped("%s", title.c_str());
    ImGui::PopStyleColor();
  }
  if (!text.empty()) {
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr(lang, T::Explanation));
    ImGui::TextWrapped("%s", text.c_str());
  }
}

}  // namespace wirestep::gui
