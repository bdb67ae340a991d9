#include "ui/gui/scenario_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/gui/wrapped_text.hpp"

namespace wirestep::gui {

void ScenarioPanel::draw_contents(const std::vector<ScenarioEntry>& lessons, const Document& doc,
                                  const std::string& error, Lang lang, const Fonts& fonts, FileCommands& c) {
  const bool zh = lang == Lang::Zh && fonts.cjk;
  // The lessons, each title whole (wrapped), in a scrolling list over the top part; the explanation below.
  const float list_h = ImGui::GetContentRegionAvail().y * 0.45f;
  ImGui::BeginChild("##lessons", {0, list_h}, true);
  for (const ScenarioEntry& s : lessons) {
    ImGui::PushID(s.path.c_str());
    const char* title = zh && !s.title_zh.empty() ? s.title_zh.c_str() : s.title.c_str();
    const bool current = s.path == doc.source;
    if (wrapped_selectable(title, current)) c.open_path = s.path;
    if (current && scrolled_for_ != doc.source) {
      ImGui::SetScrollHereY();
      // A list drawn for the first time has no scroll range yet (ImGui measures it during the frame), so the
      // request would be clamped to the top: ask again until the range exists.
      if (ImGui::GetScrollMaxY() > 0.0f) scrolled_for_ = doc.source;
    }
    ImGui::PopID();
  }
  ImGui::EndChild();
  if (lessons.empty()) ImGui::TextDisabled("(no bundled scenarios found: set WIRESTEP_SCENARIOS)");

  if (!error.empty()) {
    ImGui::Separator();
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.1f, 0.1f, 1.0f));
    ImGui::TextWrapped("%s", error.c_str());
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
    ImGui::BeginChild("##explanation", {0, 0}, false);
    wrapped_text(text.c_str(), ImGui::GetContentRegionAvail().x - 4.0f);
    ImGui::EndChild();
  }
}

}  // namespace wirestep::gui
