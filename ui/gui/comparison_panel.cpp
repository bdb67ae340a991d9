#include "ui/gui/comparison_panel.hpp"

#include <imgui.h>

#include <cstdio>

#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {

void ComparisonPanel::draw(const std::vector<ComparisonRow>& rows, Lang lang, const Fonts& fonts,
                           const PanelRect& r) {
  char title[96];
  std::snprintf(title, sizeof title, "%s###comparison", tr(lang, T::Comparison));
  const PanelWindow window(title, r);
  if (window.visible()) draw_contents(rows, lang, fonts);
}

void ComparisonPanel::draw_contents(const std::vector<ComparisonRow>& rows, Lang lang, const Fonts& fonts) {
  const ImGuiTableFlags flags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("##compare", 3, flags)) return;
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 1.8f);
  ImGui::TableSetupColumn("TCP", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn("UDP", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableHeadersRow();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextWrapped("%s", comparison_row_name(rows[i].what, fonts.cjk ? lang : Lang::En));
    ImGui::TableSetColumnIndex(1);
    ImGui::PushStyleColor(ImGuiCol_Text, ImColor(rgb(0x1F5FBF)).Value);
    ImGui::TextWrapped("%s", rows[i].tcp.c_str());
    ImGui::PopStyleColor();
    ImGui::TableSetColumnIndex(2);
    ImGui::PushStyleColor(ImGuiCol_Text, ImColor(rgb(0x0B6E8C)).Value);
    ImGui::TextWrapped("%s", rows[i].udp.c_str());
    ImGui::PopStyleColor();
    ImGui::PopID();
  }
  ImGui::EndTable();
}

}  // namespace wirestep::gui
