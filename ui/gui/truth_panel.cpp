#include "ui/gui/truth_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>

#include "sim/analysis/ground_truth.hpp"
#include "ui/gui/packet_text.hpp"
#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {
namespace {

bool any_tcp(const Document& doc) {
  for (const auto& lt : doc.traces)
    for (const Conversation& c : lt->analysis.analyzer().conversations())
      if (c.proto == Transport::Tcp) return true;
  return false;
}

}  // namespace

void TruthPanel::draw_contents(const Document& doc, const ViewState& view, SelectionCommands& selection,
                               NavigationCommands& nav) {
  const Lang lang = view.lang;
  if (rows_generation_ != doc.generation || rows_lang_ != lang) {
    rows_generation_ = doc.generation;
    rows_lang_ = lang;
    rows_.clear();
    for (std::uint32_t t = 0; t < doc.traces.size(); ++t) {
      const TraceAnalysis& a = doc.traces[t]->analysis;
      const std::size_t n = doc.capture ? a.analyzer().flagged().size() : a.disagreements().size();
      for (std::uint32_t i = 0; i < n; ++i) rows_.push_back({t, i});
    }
    explanations_.assign(rows_.size(), std::string());
    explained_.assign(rows_.size(), false);
  }
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("%s", tr(lang, doc.capture ? T::TruthCaptureNote : T::TruthIntro));
  ImGui::PopTextWrapPos();
  if (!any_tcp(doc)) {
    ImGui::TextUnformatted(tr(lang, T::TruthNoTcp));
    return;
  }
  draw_counts(doc, lang);
  ImGui::Spacing();
  if (doc.capture) {
    ImGui::Text("%s (%zu)", tr(lang, T::TruthFlagged), rows_.size());
  } else if (rows_.empty()) {
    ImGui::TextColored(ImColor(rgb(kAgreeHex)).Value, "%s", tr(lang, T::TruthAllAgree));
    return;
  } else {
    ImGui::TextColored(ImColor(rgb(kDisagreeHex)).Value, "%s (%zu)", tr(lang, T::TruthDisagreements),
                       rows_.size());
  }
  draw_rows(doc, view, selection, nav);
}

// Per flag: packets the simulator's causes name it, packets the analyzer flagged with it.
void TruthPanel::draw_counts(const Document& doc, Lang lang) {
  std::array<std::uint32_t, kTcpFlagCount> sim{}, ana{};
  for (const auto& lt : doc.traces)
    for (std::size_t f = 0; f < kTcpFlagCount; ++f) {
      sim[f] += lt->analysis.simulator_counts()[f];
      ana[f] += lt->analysis.analyzer_counts()[f];
    }
  const bool truth = !doc.capture;
  ImGui::TextUnformatted(tr(lang, T::TruthCounts));
  const ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_NoHostExtendX;
  if (!ImGui::BeginTable("##counts", truth ? 3 : 2, flags)) return;
  ImGui::TableSetupColumn(tr(lang, T::TruthFlag));
  if (truth) ImGui::TableSetupColumn(tr(lang, T::TruthSimulator));
  ImGui::TableSetupColumn(tr(lang, T::TruthAnalyzer));
  ImGui::TableHeadersRow();
  bool any = false;
  for (std::size_t f = 0; f < kTcpFlagCount; ++f) {
    if (!sim[f] && !ana[f]) continue;
    any = true;
    const auto flag = static_cast<TcpFlag>(f);
    const bool compared = is_cause_flag(flag);
    const bool differ = truth && compared && sim[f] != ana[f];
    ImGui::TableNextRow();
    if (differ) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, rgb(kDisagreeBgHex));
    const ImVec4 col = ImColor(rgb(differ ? kDisagreeHex : kTextHex)).Value;
    ImGui::TableNextColumn();
    const std::string_view name = wireshark_name(flag);
    ImGui::TextColored(col, "%.*s", static_cast<int>(name.size()), name.data());
    if (truth) {
      ImGui::TableNextColumn();
      if (compared)
        ImGui::TextColored(col, "%u", sim[f]);
      else
        ImGui::TextDisabled("-");
    }
    ImGui::TableNextColumn();
    ImGui::TextColored(col, "%u", ana[f]);
  }
  if (!any) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", tr(lang, T::TruthNoAnalysisFlags));
  }
  ImGui::EndTable();
}

const std::string& TruthPanel::row_explanation(const Document& doc, std::size_t row, Lang lang) {
  if (!explained_[row]) {
    explained_[row] = true;
    const LoadedTrace& lt = *doc.traces[rows_[row].trace];
    const TraceAnalysis& a = lt.analysis;
    // Frames cited by the file's own numbers, also when only some flows are shown.
    explanations_[row] =
        doc.capture
            ? a.explain(lt.trace, a.analyzer().flagged()[rows_[row].index], lang, lt.source_packets)
            : a.explain_packet(lt.trace, a.disagreements()[rows_[row].index].packet, lang, lt.source_packets);
  }
  return explanations_[row];
}

// The rows in a narrow table (packet, simulator, analyzer: the panel is a third of the screen wide) and,
// under it, the analyzer's explanation of the selected row, or of the row under the mouse, or of the first.
void TruthPanel::draw_rows(const Document& doc, const ViewState& v, SelectionCommands& selection,
                           NavigationCommands& nav) {
  const Lang lang = v.lang;
  const bool truth = !doc.capture;
  const float line_h = ImGui::GetTextLineHeightWithSpacing() + 2.0f;
  // Room below the table for a few lines of explanation.
  const float why_h = ImGui::GetTextLineHeightWithSpacing() * 5.0f;
  const float table_h = std::clamp(line_h * static_cast<float>(rows_.size() + 1) + 4.0f, line_h * 2.0f,
                                   std::max(ImGui::GetContentRegionAvail().y - why_h, line_h * 3.0f));
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_SizingStretchProp;
  std::optional<std::size_t> focus, hovered_row;
  if (ImGui::BeginTable("##rows", 3, flags, {0, table_h})) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("TCP 00000").x);
    ImGui::TableSetupColumn(tr(lang, truth ? T::TruthSimulator : T::TruthFlag), 0, 1.2f);
    ImGui::TableSetupColumn(truth ? tr(lang, T::TruthAnalyzer) : tr(lang, T::Time), 0, 1.0f);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows_.size()));
    char buf[64], t0[32];
    while (clipper.Step()) {
      for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
        const Row& row = rows_[static_cast<std::size_t>(r)];
        const LoadedTrace& lt = *doc.traces[row.trace];
        const TraceAnalysis& a = lt.analysis;
        const std::uint32_t packet =
            truth ? a.disagreements()[row.index].packet : a.analyzer().flagged()[row.index].packet;
        const PacketRecord p = lt.trace.packet(packet);
        ImGui::TableNextRow();
        if (truth) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, rgb(kDisagreeBgHex));
        ImGui::TableNextColumn();
        const PacketRef ref{row.trace, packet};
        std::snprintf(buf, sizeof buf, "%s%s%u##row%d", lt.label.c_str(), lt.label.empty() ? "" : " ",
                      lt.display_number(packet), r);
        if (ImGui::Selectable(buf, v.selected == ref, ImGuiSelectableFlags_SpanAllColumns)) {
          selection.select = ref;
          // Bring the packet into view when it is off screen, keeping the zoom.
          if (p.time.ns < v.view_begin_ns || p.time.ns > v.view_end_ns) {
            const std::int64_t span = v.view_end_ns - v.view_begin_ns;
            nav.set_view = {p.time.ns - span / 3, p.time.ns - span / 3 + span};
          }
        }
        if (ImGui::IsItemHovered()) hovered_row = static_cast<std::size_t>(r);
        if (v.selected == ref) focus = static_cast<std::size_t>(r);
        ImGui::TableNextColumn();
        if (truth) {
          const Disagreement& d = a.disagreements()[row.index];
          const std::string_view cause = to_string(p.cause);
          ImGui::TextUnformatted(cause.data(), cause.data() + cause.size());
          ImGui::TableNextColumn();
          const std::string names = flag_names(d.analyzer);
          ImGui::TextColored(ImColor(rgb(kDisagreeHex)).Value, "%s", names.c_str());
        } else {
          const std::string_view name = wireshark_name(a.analyzer().flagged()[row.index].flag);
          ImGui::TextUnformatted(name.data(), name.data() + name.size());
          ImGui::TableNextColumn();
          format_time(t0, sizeof t0, p.time.ns, 1000);
          ImGui::TextUnformatted(t0);
        }
      }
    }
    ImGui::EndTable();
  }
  // The selected row may be scrolled out of the clipper's range: find it among all rows.
  if (!focus && v.selected)
    for (std::size_t r = 0; r < rows_.size() && !focus; ++r) {
      const TraceAnalysis& a = doc.traces[rows_[r].trace]->analysis;
      const std::uint32_t packet =
          truth ? a.disagreements()[rows_[r].index].packet : a.analyzer().flagged()[rows_[r].index].packet;
      if (*v.selected == PacketRef{rows_[r].trace, packet}) focus = r;
    }
  const std::size_t shown = hovered_row ? *hovered_row : focus ? *focus : 0;
  if (shown >= rows_.size()) return;
  const Row& row = rows_[shown];
  const LoadedTrace& shown_lt = *doc.traces[row.trace];
  const TraceAnalysis& a = shown_lt.analysis;
  const std::uint32_t packet =
      truth ? a.disagreements()[row.index].packet : a.analyzer().flagged()[row.index].packet;
  ImGui::TextDisabled("%s, #%u", tr(lang, T::TruthWhy), shown_lt.display_number(packet));
  ImGui::BeginChild("##why", {0, 0}, false);
  ImGui::PushTextWrapPos(0.0f);
  const std::string& why = row_explanation(doc, shown, lang);
  if (truth)
    ImGui::TextColored(ImColor(rgb(kDisagreeHex)).Value, "%s", why.c_str());
  else
    ImGui::TextUnformatted(why.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndChild();
}

}  // namespace wirestep::gui
