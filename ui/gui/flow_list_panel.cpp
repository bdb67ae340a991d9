#include "ui/gui/flow_list_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "ui/gui/packet_text.hpp"
#include "ui/gui/palette.hpp"
#include "ui/gui/table_cells.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/model/save_pcap.hpp"

namespace wirestep::gui {
namespace {

constexpr unsigned kTcpHex = 0x1F5FBF;  // as the comparison's TCP and UDP badges on the timeline
constexpr unsigned kUdpHex = 0x0B6E8C;

// An analysis count: blank when zero, so the flows with trouble stand out.
void count_cell(std::uint32_t n, bool tcp, unsigned hex) {
  if (!tcp || n == 0) return;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u", n);
  right_aligned(buf, hex);
}

bool shown(const Document& doc, std::uint32_t conversation) {
  return std::find(doc.shown_flows.begin(), doc.shown_flows.end(), conversation) != doc.shown_flows.end();
}

void row_tooltip(const FlowRow& r, Lang lang, ImFont* ui_font) {
  ImGui::BeginTooltip();
  if (ui_font) ImGui::PushFont(ui_font);  // the rows use the Latin-only small font; the tip may be Chinese
  ImGui::Text("#%u  %s  %s  \xE2\x86\x94  %s", r.conversation, r.proto_text.c_str(), r.a.c_str(),
              r.b.c_str());
  char start[32], length[32];
  format_time(start, sizeof start, r.first_ns, 1000);
  format_time(length, sizeof length, r.last_ns - r.first_ns, 1000);
  ImGui::Text("%s %s, %s %s   %s %s   %s +%s", format_count(r.packets).c_str(), tr(lang, T::ColPackets),
              format_count(r.bytes).c_str(), tr(lang, T::ColBytes), tr(lang, T::ColStart), start,
              tr(lang, T::Time), length);
  if (r.proto == Transport::Tcp) {
    ImGui::Text("SYN %u  FIN %u  RST %u", r.tcp.syn, r.tcp.fin, r.tcp.rst);
    if (r.tcp.initial_rtt_ns) {
      char rtt[32];
      format_time(rtt, sizeof rtt, *r.tcp.initial_rtt_ns, 1000);
      ImGui::Text("initial RTT %s", rtt);
    }
    // Every analysis flag the flow carries, by Wireshark's field name (as `wirestep analyze` prints them).
    for (std::size_t f = 0; f < kTcpFlagCount; ++f)
      if (const std::uint32_t n = r.tcp.flags[f]) {
        const std::string_view name = wireshark_name(static_cast<TcpFlag>(f));
        ImGui::Text("tcp.analysis.%.*s  %u", static_cast<int>(name.size()), name.data(), n);
      }
  }
  ImGui::TextDisabled("%s", tr(lang, T::FlowRowTip));
  if (ui_font) ImGui::PopFont();
  ImGui::EndTooltip();
}

}  // namespace

void FlowListPanel::set_filter(const std::string& text) {
  std::snprintf(filter_, sizeof filter_, "%s", text.c_str());
}

void FlowListPanel::refresh_list(const CaptureFlows& flows, const ViewState& view) {
  if (listed_for_ == &flows && listed_filter_ == filter_ && listed_tcp_ == view.filters.tcp &&
      listed_udp_ == view.filters.udp && !sort_dirty_)
    return;
  listed_for_ = &flows;
  listed_filter_ = filter_;
  listed_tcp_ = view.filters.tcp;
  listed_udp_ = view.filters.udp;
  sort_dirty_ = false;
  flows.list(listed_filter_, listed_tcp_, listed_udp_, sort_column_, sort_ascending_, listed_);
}

void FlowListPanel::draw_row(const Document& doc, Lang lang, const Fonts& fonts, FlowCommands& c,
                             const FlowRow& r) {
  const bool tcp = r.proto == Transport::Tcp;
  ImGui::TableNextRow();
  ImGui::PushID(static_cast<int>(r.conversation));

  ImGui::TableSetColumnIndex(0);
  char number[16];
  std::snprintf(number, sizeof number, "%u", r.conversation);
  const bool is_shown = shown(doc, r.conversation);
  if (ImGui::Selectable(number, is_shown,
                        ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap)) {
    std::vector<std::uint32_t> next;
    if (ImGui::GetIO().KeyCtrl && !doc.flows_side_by_side) {
      // Ctrl+click adds the flow to those shown, or takes it away.
      next = doc.shown_flows;
      if (is_shown)
        next.erase(std::find(next.begin(), next.end(), r.conversation));
      else
        next.push_back(r.conversation);
    } else if (!(is_shown && doc.shown_flows.size() == 1)) {
      next = {r.conversation};  // clicking the one flow shown again brings back all of them
    }
    c.show = next;
  }
  if (ImGui::IsItemHovered()) row_tooltip(r, lang, fonts.ui);
  // Follow stream
  if ((tcp || r.proto == Transport::Udp) && ImGui::BeginPopupContextItem("##flow-menu")) {
    if (ImGui::MenuItem(tr(lang, T::FollowFlowsItem))) c.follow = r.conversation;
    ImGui::EndPopup();
  }

  ImGui::TableSetColumnIndex(1);
  if (tcp || r.proto == Transport::Udp) {
    std::optional<std::uint32_t>& pick = tcp ? pick_tcp_ : pick_udp_;
    bool ticked = pick == r.conversation;
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, {3.0f, 1.0f});
    ImGui::PushStyleColor(ImGuiCol_FrameBg, ImColor(rgb(0xDCE1E8)).Value);  // visible on either row shade
    if (ImGui::Checkbox("##pick", &ticked)) {
      pick = ticked ? std::optional<std::uint32_t>(r.conversation) : std::nullopt;
      if (pick_tcp_ && pick_udp_) {
        c.show = std::vector<std::uint32_t>{*pick_tcp_, *pick_udp_};
        c.side_by_side = true;
      } else if (doc.flows_side_by_side) {
        c.show = std::vector<std::uint32_t>{};
      }
    }
    ImGui::PopStyleColor();
    ImGui::PopStyleVar();
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      if (fonts.ui) ImGui::PushFont(fonts.ui);
      ImGui::TextUnformatted(tr(lang, T::CompareColumnTip));
      if (fonts.ui) ImGui::PopFont();
      ImGui::EndTooltip();
    }
  }

  ImGui::TableSetColumnIndex(2);
  ImGui::TextColored(ImColor(rgb(tcp                         ? kTcpHex
                                 : r.proto == Transport::Udp ? kUdpHex
                                                             : kDimTextHex)),
                     "%s", r.proto_text.c_str());
  ImGui::TableSetColumnIndex(3);
  ImGui::TextUnformatted(r.a.c_str());
  ImGui::TableSetColumnIndex(4);
  ImGui::TextUnformatted(r.b.c_str());
  ImGui::TableSetColumnIndex(5);
  right_aligned(format_count(r.packets).c_str());
  ImGui::TableSetColumnIndex(6);
  right_aligned(format_count(r.bytes).c_str());
  ImGui::TableSetColumnIndex(7);
  count_cell(r.retransmissions, tcp, kLostHex);
  ImGui::TableSetColumnIndex(8);
  count_cell(r.dup_acks, tcp, kTextHex);
  ImGui::TableSetColumnIndex(9);
  count_cell(r.lost_segments, tcp, kLostHex);
  ImGui::TableSetColumnIndex(10);
  count_cell(r.out_of_order, tcp, kTextHex);
  ImGui::TableSetColumnIndex(11);
  count_cell(r.zero_windows, tcp, kTextHex);
  ImGui::TableSetColumnIndex(12);
  char start[32];
  format_time(start, sizeof start, r.first_ns, 1000);
  right_aligned(start, kDimTextHex);
  ImGui::PopID();
}

void FlowListPanel::draw_contents(const Document& doc, const ViewState& view, const Fonts& fonts,
                                  FlowCommands& c) {
  const Lang lang = view.lang;
  if (!doc.flows) return;
  const CaptureFlows& flows = *doc.flows;
  if (picks_for_ != &flows) {
    picks_for_ = &flows;
    pick_tcp_.reset();
    pick_udp_.reset();
  }
  if (doc.flows_side_by_side && doc.shown_flows.size() == 2) {
    // The ticks follow the pair shown, however it was chosen.
    pick_tcp_ = doc.shown_flows[0];
    pick_udp_ = doc.shown_flows[1];
  } else if (pick_tcp_ && pick_udp_) {
    // The pair is no longer shown (another row was clicked): start picking again.
    pick_tcp_.reset();
    pick_udp_.reset();
  }

  ImGui::SetNextItemWidth(-1.0f);
  ImGui::InputTextWithHint("##flow-filter", tr(lang, T::FlowFilterHint), filter_, sizeof filter_);
  refresh_list(flows, view);

  // How many flows the filter lets through, and what the timeline shows.
  ImGui::AlignTextToFramePadding();
  ImGui::Text(tr(lang, T::FlowsListed), listed_.size(), flows.rows().size());
  if (filter_[0] && !listed_.empty()) {
    ImGui::SameLine();
    if (ImGui::SmallButton(tr(lang, T::ShowListed))) {
      std::vector<std::uint32_t> ids;
      for (std::uint32_t i : listed_) ids.push_back(flows.rows()[i].conversation);
      c.show = ids;
    }
  }
  if (!doc.shown_flows.empty()) {
    ImGui::SameLine();
    if (ImGui::SmallButton(tr(lang, T::ShowAllFlows))) c.show = std::vector<std::uint32_t>{};
    if (doc.flows_side_by_side && doc.shown_flows.size() == 2)
      ImGui::TextColored(ImColor(rgb(kTcpHex)), tr(lang, T::TimelineShowsPair), doc.shown_flows[0],
                         doc.shown_flows[1]);
    else if (doc.shown_flows.size() == 1)
      ImGui::TextColored(ImColor(rgb(kTcpHex)), tr(lang, T::TimelineShowsFlow), doc.shown_flows[0]);
    else
      ImGui::TextColored(ImColor(rgb(kTcpHex)), tr(lang, T::TimelineShowsFlows), doc.shown_flows.size());
  }
  bool any_tcp = false, any_udp = false;
  for (const FlowRow& r : flows.rows()) {
    any_tcp = any_tcp || r.proto == Transport::Tcp;
    any_udp = any_udp || r.proto == Transport::Udp;
  }
  if (any_tcp && any_udp && !doc.flows_side_by_side) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", tr(lang, T::CompareHint));
    ImGui::PopTextWrapPos();
  }

  if (listed_.empty()) {
    ImGui::TextDisabled("%s", tr(lang, T::NoFlowMatches));
    return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_Sortable | ImGuiTableFlags_SizingFixedFit |
                                ImGuiTableFlags_Resizable;
  if (!ImGui::BeginTable("flows", 13, flags, ImGui::GetContentRegionAvail())) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  auto column = [&](const char* name, FlowColumn id, ImGuiTableColumnFlags extra = 0) {
    ImGui::TableSetupColumn(name, extra, 0.0f, static_cast<ImGuiID>(id));
  };
  column("#", FlowColumn::Number, ImGuiTableColumnFlags_DefaultSort);
  ImGui::TableSetupColumn(tr(lang, T::ColPair), ImGuiTableColumnFlags_NoSort);
  column(tr(lang, T::ColProto), FlowColumn::Proto);
  column("A", FlowColumn::A);
  column("B", FlowColumn::B);
  column(tr(lang, T::ColPackets), FlowColumn::Packets, ImGuiTableColumnFlags_PreferSortDescending);
  column(tr(lang, T::ColBytes), FlowColumn::Bytes, ImGuiTableColumnFlags_PreferSortDescending);
  column(tr(lang, T::ColRetrans), FlowColumn::Retransmissions, ImGuiTableColumnFlags_PreferSortDescending);
  column(tr(lang, T::ColDupAcks), FlowColumn::DupAcks, ImGuiTableColumnFlags_PreferSortDescending);
  column(tr(lang, T::ColLostSegments), FlowColumn::LostSegments, ImGuiTableColumnFlags_PreferSortDescending);
  column(tr(lang, T::ColOutOfOrder), FlowColumn::OutOfOrder, ImGuiTableColumnFlags_PreferSortDescending);
  column(tr(lang, T::ColZeroWindow), FlowColumn::ZeroWindows, ImGuiTableColumnFlags_PreferSortDescending);
  column(tr(lang, T::ColStart), FlowColumn::Start);
  ImGui::TableHeadersRow();

  if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
    if (specs->SpecsCount > 0) {
      sort_column_ = static_cast<FlowColumn>(specs->Specs[0].ColumnUserID);
      sort_ascending_ = specs->Specs[0].SortDirection != ImGuiSortDirection_Descending;
    }
    specs->SpecsDirty = false;
    sort_dirty_ = true;
    refresh_list(flows, view);
  }

  // Rows in the smaller Latin font (numbers and addresses only): more of the table fits the column.
  ImFont* small = fonts.small;
  if (small) ImGui::PushFont(small);
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(listed_.size()));
  while (clipper.Step())
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
      draw_row(doc, lang, fonts, c, flows.rows()[listed_[static_cast<std::size_t>(i)]]);
  if (small) ImGui::PopFont();
  ImGui::EndTable();
}

}  // namespace wirestep::gui
