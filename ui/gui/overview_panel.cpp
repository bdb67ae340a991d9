#include "ui/gui/overview_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "ui/gui/packet_text.hpp"
#include "ui/gui/palette.hpp"
#include "ui/gui/table_cells.hpp"
#include "ui/gui/timeline_mapping.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/model/save_pcap.hpp"

namespace wirestep::gui {
namespace {

constexpr unsigned kTcpTickHex = 0x5B7DB1;  // a TCP packet with no finding: quiet blue-grey
constexpr unsigned kUdpTickHex = 0x4E9AAE;
constexpr unsigned kOtherTickHex = 0x9AA3AD;

// "1.2 MB/s", "830 B/s".
void format_rate(char* buf, std::size_t size, double bytes_per_s) {
  if (bytes_per_s >= 1e6)
    std::snprintf(buf, size, "%.1f MB/s", bytes_per_s / 1e6);
  else if (bytes_per_s >= 1e3)
    std::snprintf(buf, size, "%.1f kB/s", bytes_per_s / 1e3);
  else if (bytes_per_s > 0)
    std::snprintf(buf, size, "%.0f B/s", bytes_per_s);
  else
    std::snprintf(buf, size, "-");
}

}  // namespace

void draw_capture_view_switch(bool overview, Lang lang, DisplayCommands& display) {
  if (ImGui::RadioButton(tr(lang, T::ViewLadder), !overview) && overview) display.overview = false;
  ImGui::SameLine();
  if (ImGui::RadioButton(tr(lang, T::ViewConversations), overview) && !overview) display.overview = true;
}

void OverviewPanel::refresh_list(const CaptureFlows& flows) {
  if (listed_for_ == &flows && listed_filter_ == filter_ && !sort_dirty_) return;
  listed_for_ = &flows;
  listed_filter_ = filter_;
  sort_dirty_ = false;
  flows.list(listed_filter_, true, true, sort_column_, sort_ascending_, listed_);
}

const std::array<bool, kFindingCount>& OverviewPanel::findings_present(const Document& doc,
                                                                       const CaptureFlows& flows) {
  if (present_for_ == &flows && present_generation_ == doc.generation) return present_;
  present_for_ = &flows;
  present_generation_ = doc.generation;
  present_.fill(false);
  for (const FlowRow& row : flows.rows())
    for (const PacketFinding& f : flows.findings_of(row.conversation))
      present_[static_cast<std::size_t>(f.finding)] = true;
  return present_;
}

void OverviewPanel::draw_strip(const Document& doc, const FlowRow& row, const ViewState& view, float x0,
                               float x1, float y0, float y1, std::string& hover_text) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled({x0, y0}, {x1, y1}, rgb(0xF3F5F8));
  const LoadedTrace* whole = doc.whole_capture    ? doc.whole_capture.get()
                             : doc.traces.empty() ? nullptr
                                                  : doc.traces[0].get();
  if (!whole || x1 - x0 < 2.0f || !doc.flows) return;
  const auto width = static_cast<std::size_t>(x1 - x0);
  cells_.resize(width);
  const CaptureFlows& flows = *doc.flows;
  fill_ticks(whole->trace.packet_times_ns(), flows.packets_of(row.conversation),
             flows.findings_of(row.conversation), view.view_begin_ns, view.view_end_ns, cells_);
  const unsigned quiet = row.proto == Transport::Tcp   ? kTcpTickHex
                         : row.proto == Transport::Udp ? kUdpTickHex
                                                       : kOtherTickHex;
  const float mid = (y0 + y1) * 0.5f, half = (y1 - y0) * 0.32f;
  // Quiet ticks first, findings on top and taller: a retransmission is never hidden by its neighbours.
  for (std::size_t c = 0; c < width; ++c)
    if (cells_[c].packets && cells_[c].finding == Finding::None) {
      const float x = x0 + static_cast<float>(c) + 0.5f;
      dl->AddLine({x, mid - half}, {x, mid + half}, rgb(quiet, cells_[c].packets > 1 ? 255 : 170), 1.0f);
    }
  for (std::size_t c = 0; c < width; ++c)
    if (cells_[c].finding != Finding::None) {
      const float x = x0 + static_cast<float>(c) + 0.5f;
      dl->AddRectFilled({x - 1.5f, y0 + 1.0f}, {x + 1.5f, y1 - 1.0f}, rgb(finding_hex(cells_[c].finding)));
    }
  // The time cursor, as on the ladder.
  const std::int64_t span = std::max<std::int64_t>(1, view.view_end_ns - view.view_begin_ns);
  const std::int64_t t = view.cursor.time_ns;
  if (t >= view.view_begin_ns && t <= view.view_end_ns) {
    const float x = x0 + static_cast<float>(static_cast<double>(t - view.view_begin_ns) /
                                            static_cast<double>(span) * static_cast<double>(width));
    dl->AddLine({x, y0}, {x, y1}, rgb(0xE0522D, 200), 1.0f);
  }
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (m.x >= x0 && m.x < x1 && m.y >= y0 && m.y < y1 && ImGui::IsWindowHovered()) {
    // The cell under the mouse and its neighbours: a 1-pixel tick is hard to hit.
    const auto c = static_cast<std::size_t>(m.x - x0);
    std::size_t best = c;
    for (std::size_t d = c > 2 ? c - 2 : 0; d < std::min(width, c + 3); ++d)
      if (cells_[d].finding != Finding::None &&
          (cells_[best].finding == Finding::None || cells_[d].finding < cells_[best].finding))
        best = d;
    const std::int64_t at = view.view_begin_ns +
                            static_cast<std::int64_t>(static_cast<double>(best) / static_cast<double>(width) *
                                                      static_cast<double>(span));
    char when[32];
    format_time(when, sizeof when, at, std::max<std::int64_t>(1000, span / 1000));
    char buf[200];
    std::snprintf(
        buf, sizeof buf, "%s  %u %s%s%s", when, cells_[best].packets, tr(view.lang, T::PacketsWord),
        cells_[best].finding != Finding::None ? "  " : "",
        cells_[best].finding != Finding::None ? tr(view.lang, finding_text(cells_[best].finding)) : "");
    hover_text = buf;
  }
}

void OverviewPanel::draw(const Document& doc, const ViewState& view, const Fonts& fonts,
                         NavigationCommands& nav, FlowCommands& flows_cmd, DisplayCommands& display,
                         const PanelRect& r) {
  const Lang lang = view.lang;
  char title[96];
  std::snprintf(title, sizeof title, "%s###timeline", tr(lang, T::ViewConversations));
  const PanelWindow window(title, r, {.scrollbar = false, .scroll_with_mouse = false});
  if (!window.visible() || !doc.flows) return;
  const CaptureFlows& flows = *doc.flows;

  draw_capture_view_switch(true, lang, display);
  ImGui::SameLine(0.0f, 18.0f);
  ImGui::SetNextItemWidth(std::min(260.0f, ImGui::GetContentRegionAvail().x * 0.45f));
  ImGui::InputTextWithHint("##overview-filter", tr(lang, T::FlowFilterHint), filter_, sizeof filter_);
  refresh_list(flows);
  ImGui::SameLine(0.0f, 12.0f);
  ImGui::AlignTextToFramePadding();
  ImGui::TextDisabled(tr(lang, T::ConversationsListed), listed_.size(), flows.rows().size());

  // The legend: what each colour means, only the findings this capture has.
  {
    const std::array<bool, kFindingCount>& present = findings_present(doc, flows);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    bool first = true;
    for (std::size_t k = 1; k < kFindingCount; ++k) {
      if (!present[k]) continue;
      if (!first) ImGui::SameLine(0.0f, 14.0f);
      first = false;
      const ImVec2 p = ImGui::GetCursorScreenPos();
      const float h = ImGui::GetTextLineHeight();
      dl->AddRectFilled({p.x, p.y + 2}, {p.x + 4, p.y + h - 2}, rgb(finding_hex(static_cast<Finding>(k))));
      ImGui::Dummy({7.0f, h});
      ImGui::SameLine(0.0f, 3.0f);
      ImGui::TextUnformatted(tr(lang, finding_text(static_cast<Finding>(k))));
    }
    if (first) ImGui::TextDisabled("%s", tr(lang, T::NoFindings));
  }

  if (listed_.empty()) {
    ImGui::TextDisabled("%s", tr(lang, T::NoFlowMatches));
    return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_Sortable | ImGuiTableFlags_SizingFixedFit |
                                ImGuiTableFlags_Resizable;
  if (!ImGui::BeginTable("overview", 7, flags, ImGui::GetContentRegionAvail())) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  auto column = [&](const char* name, FlowColumn id, ImGuiTableColumnFlags extra = 0) {
    ImGui::TableSetupColumn(name, extra, 0.0f, static_cast<ImGuiID>(id));
  };
  column("#", FlowColumn::Number);
  column("A", FlowColumn::A);
  column("B", FlowColumn::B);
  column(tr(lang, T::ColPackets), FlowColumn::Packets, ImGuiTableColumnFlags_PreferSortDescending);
  column(tr(lang, T::ColBytes), FlowColumn::Bytes, ImGuiTableColumnFlags_PreferSortDescending);
  column(tr(lang, T::ColRate), FlowColumn::Rate, ImGuiTableColumnFlags_PreferSortDescending);
  // The strip's header names the time range it spans (the timeline's, zoomed with the wheel or Fit).
  char across[96], from[32], to[32];
  const std::int64_t res = std::max<std::int64_t>(1000, (view.view_end_ns - view.view_begin_ns) / 100);
  format_time(from, sizeof from, view.view_begin_ns, res);
  format_time(to, sizeof to, view.view_end_ns, res);
  std::snprintf(across, sizeof across, "%s \xE2\x80\x93 %s###across", from, to);
  ImGui::TableSetupColumn(across, ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_DefaultSort,
                          0.0f, static_cast<ImGuiID>(FlowColumn::Start));
  ImGui::TableHeadersRow();
  if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
    if (specs->SpecsCount > 0) {
      sort_column_ = static_cast<FlowColumn>(specs->Specs[0].ColumnUserID);
      sort_ascending_ = specs->Specs[0].SortDirection != ImGuiSortDirection_Descending;
    }
    specs->SpecsDirty = false;
    sort_dirty_ = true;
    refresh_list(flows);
  }

  ImFont* small = fonts.small;
  if (small) ImGui::PushFont(small);
  std::string hover_text;
  std::optional<float> strip_x0, strip_x1;
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(listed_.size()));
  while (clipper.Step())
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const FlowRow& row = flows.rows()[listed_[static_cast<std::size_t>(i)]];
      ImGui::TableNextRow();
      ImGui::PushID(static_cast<int>(row.conversation));
      ImGui::TableSetColumnIndex(0);
      char number[16];
      std::snprintf(number, sizeof number, "%u", row.conversation);
      if (ImGui::Selectable(number, false,
                            ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap)) {
        // The conversation's own ladder.
        flows_cmd.show = std::vector<std::uint32_t>{row.conversation};
        display.overview = false;
      }
      const bool row_hovered = ImGui::IsItemHovered();
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(row.a.c_str());
      ImGui::TableSetColumnIndex(2);
      ImGui::TextUnformatted(row.b.c_str());
      ImGui::TableSetColumnIndex(3);
      right_aligned(format_count(row.packets).c_str());
      ImGui::TableSetColumnIndex(4);
      right_aligned(format_count(row.bytes).c_str());
      ImGui::TableSetColumnIndex(5);
      char rate[32];
      format_rate(rate, sizeof rate, flow_rate(row));
      right_aligned(rate, kDimTextHex);
      ImGui::TableSetColumnIndex(6);
      const ImVec2 p = ImGui::GetCursorScreenPos();
      const float w = ImGui::GetContentRegionAvail().x;
      const float h = ImGui::GetTextLineHeight();
      strip_x0 = p.x;
      strip_x1 = p.x + w;
      std::string cell_text;
      draw_strip(doc, row, view, p.x, p.x + w, p.y, p.y + h, cell_text);
      ImGui::Dummy({w, h});
      if (!cell_text.empty()) hover_text = cell_text;
      if (row_hovered && hover_text.empty()) {
        char tip[200];
        std::snprintf(tip, sizeof tip, "#%u  %s  %s \xE2\x86\x94 %s", row.conversation,
                      row.proto_text.c_str(), row.a.c_str(), row.b.c_str());
        hover_text = std::string(tip) + "\n" + tr(lang, T::OverviewRowTip);
      }
      ImGui::PopID();
    }
  if (small) ImGui::PopFont();
  // The wheel over the strips zooms the shared time range around the mouse, as it does on the ladder.
  const ImGuiIO& io = ImGui::GetIO();
  if (strip_x0 && io.MouseWheel != 0.0f && ImGui::IsWindowHovered() && io.MousePos.x >= *strip_x0 &&
      io.MousePos.x < *strip_x1) {
    const double f = (io.MousePos.x - *strip_x0) / std::max(1.0f, *strip_x1 - *strip_x0);
    const std::int64_t span = view.view_end_ns - view.view_begin_ns;
    const std::int64_t anchor = view.view_begin_ns + static_cast<std::int64_t>(f * static_cast<double>(span));
    std::int64_t b = view.view_begin_ns, e = view.view_end_ns;
    zoom_range(b, e, anchor, io.MouseWheel > 0 ? 0.8 : 1.25);
    nav.set_view = {b, e};
  }
  ImGui::EndTable();
  if (!hover_text.empty()) {
    ImGui::BeginTooltip();
    if (fonts.ui) ImGui::PushFont(fonts.ui);
    ImGui::TextUnformatted(hover_text.c_str());
    if (fonts.ui) ImGui::PopFont();
    ImGui::EndTooltip();
  }
}

}  // namespace wirestep::gui
