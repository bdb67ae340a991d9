#include "ui/gui/twin_panel.hpp"

#include <imgui.h>

#include <cstdio>

#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/gui/wrapped_text.hpp"
#include "ui/model/twin_document.hpp"

namespace wirestep::gui {
namespace {

// Selects the packet and moves the cursor to it, as a click on its arrow would.
void select_packet(const Document& doc, std::size_t trace, std::uint32_t packet, SelectionCommands& select,
                   NavigationCommands& nav) {
  if (trace >= doc.traces.size() || packet >= doc.traces[trace]->trace.packet_count()) return;
  select.select = PacketRef{static_cast<std::uint32_t>(trace), packet};
  nav.set_cursor_ns = doc.traces[trace]->trace.packet_times_ns()[packet];
}

bool is_selected(const ViewState& v, std::size_t trace, const std::optional<std::uint32_t>& packet) {
  return packet && v.selected && v.selected->trace == trace && v.selected->packet == *packet;
}

}  // namespace

void TwinPanel::draw(const Document& doc, const ViewState& view, const Fonts& fonts,
                     SelectionCommands& select, NavigationCommands& nav, const PanelRect& r) {
  char title[96];
  std::snprintf(title, sizeof title, "%s###twin", tr(view.lang, T::TwinTitle));
  const PanelWindow window(title, r);
  if (window.visible() && doc.twin) draw_contents(doc, view, fonts, select, nav);
}

void TwinPanel::draw_contents(const Document& doc, const ViewState& view, const Fonts& fonts,
                              SelectionCommands& select, NavigationCommands& nav) {
  const TwinDocument& twin = *doc.twin;
  // The model's texts are Chinese only where a CJK font can draw them.
  const Lang lang = fonts.cjk ? view.lang : Lang::En;
  const bool zh = lang == Lang::Zh;
  constexpr std::size_t kSim = TwinDocument::kSimTrace, kReal = TwinDocument::kRealTrace;
  ImGui::PushStyleColor(ImGuiCol_Text, ImColor(rgb(twin.comparison.agree() ? 0x2E7D32 : kLostHex)).Value);
  ImGui::TextWrapped("%s", twin.summary(lang).c_str());
  ImGui::PopStyleColor();
  ImGui::TextWrapped("%s", (zh ? twin.first_difference_zh : twin.first_difference).c_str());
  if (twin.differences.empty()) return;
  ImGui::Separator();
  ImGui::TextUnformatted(tr(lang, T::TwinDifferences));
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", tr(lang, T::TwinClickHint));
  ImGui::PopStyleColor();
  for (std::size_t i = 0; i < twin.differences.size(); ++i) {
    const TwinDifference& d = twin.differences[i];
    ImGui::PushID(static_cast<int>(i));
    const bool sim_sel = is_selected(view, kSim, d.sim_packet);
    const bool real_sel = is_selected(view, kReal, d.real_packet);
    // Each row and its two segments wrapped to the panel's width: a narrow panel must not cut them off.
    ImGui::PushStyleColor(ImGuiCol_Text, ImColor(rgb(kLostHex)).Value);
    ImGui::PushID("row");
    const bool row_clicked = wrapped_selectable((zh ? d.text_zh : d.text).c_str(), sim_sel || real_sel);
    ImGui::PopID();
    if (row_clicked) {
      if (d.sim_packet)
        select_packet(doc, kSim, *d.sim_packet, select, nav);
      else if (d.real_packet)
        select_packet(doc, kReal, *d.real_packet, select, nav);
    }
    ImGui::PopStyleColor();
    ImGui::Indent();
    const std::string& sim_line = zh ? d.sim_line_zh : d.sim_line;
    const std::string& real_line = zh ? d.real_line_zh : d.real_line;
    char line[320];
    std::snprintf(line, sizeof line, "%s %s", tr(lang, T::TwinSimulated),
                  sim_line.empty() ? tr(lang, T::TwinNone) : sim_line.c_str());
    ImGui::PushID("sim");
    if (wrapped_selectable(line, sim_sel) && d.sim_packet)
      select_packet(doc, kSim, *d.sim_packet, select, nav);
    ImGui::PopID();
    std::snprintf(line, sizeof line, "%s %s", tr(lang, T::TwinReal),
                  real_line.empty() ? tr(lang, T::TwinNone) : real_line.c_str());
    ImGui::PushID("real");
    if (wrapped_selectable(line, real_sel) && d.real_packet)
      select_packet(doc, kReal, *d.real_packet, select, nav);
    ImGui::PopID();
    ImGui::Unindent();
    ImGui::PopID();
  }
}

}  // namespace wirestep::gui
