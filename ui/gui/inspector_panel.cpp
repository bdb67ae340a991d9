#include "ui/gui/inspector_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "capture/frame_bytes.hpp"
#include "sim/trace/packet_bytes.hpp"
#include "ui/gui/link_panel.hpp"
#include "ui/gui/packet_text.hpp"
#include "ui/gui/palette.hpp"
#include "ui/gui/truth_panel.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/model/event_text_zh.hpp"

namespace wirestep::gui {
namespace {

unsigned layer_hex(Layer l) {
  switch (l) {
    case Layer::Link:
      return 0x6B7280;
    case Layer::Network:
      return 0x2E8B3E;
    case Layer::Transport:
      return 0x1F5FBF;
    case Layer::Payload:
      return 0x6A3D9A;
  }
  return 0x6B7280;
}

}  // namespace

void InspectorPanel::draw(const Document& doc, const ViewState& view, const Fonts& fonts,
                          const PredictionSession& prediction, const PacketEditing& editing,
                          EditCommands& edit, const PanelRect& r) {
  char title[96];
  std::snprintf(title, sizeof title, "%s###inspector", tr(view.lang, T::Inspector));
  const PanelWindow window(title, r);
  if (window.visible()) draw_contents(doc, view, fonts, prediction, editing, edit);
}

void InspectorPanel::refresh(const Document& doc, const ViewState& view, const Fonts& fonts,
                             const PredictionSession& prediction) {
  const auto& sel = view.selected;
  const std::optional<PredictKind> hidden =
      sel && prediction.hidden() == sel ? prediction.hidden_kind() : std::nullopt;
  const std::size_t analysed =
      sel && sel->trace < doc.traces.size() ? doc.traces[sel->trace]->analysis.packets() : 0;
  if (sel == shown_ && doc.generation == shown_generation_ && view.lang == shown_lang_ &&
      hidden == shown_hidden_ && analysed == shown_analysed_)
    return;
  shown_ = sel;
  shown_generation_ = doc.generation;
  shown_lang_ = view.lang;
  shown_hidden_ = hidden;
  shown_analysed_ = analysed;
  hidden_bytes_.clear();
  analysis_section_ = false;
  bytes_.clear();
  fields_.clear();
  summary_.clear();
  error_.clear();
  hovered_field_ = pinned_field_ = -1;
  if (!sel || sel->trace >= doc.traces.size()) return;
  const LoadedTrace& lt = *doc.traces[sel->trace];
  if (sel->packet >= lt.trace.packet_count()) return;
  const PacketRecord p = lt.trace.packet(sel->packet);
  const TraceFlow& flow = lt.trace.flows().at(p.flow);

  FrameContext ctx;
  ctx.chinese = view.lang == Lang::Zh && fonts.cjk;
  if (doc.capture) {
    auto frame = read_frame_bytes(lt.capture_path, p.payload_ref);
    if (!frame) {
      error_ = frame.error().message();
      return;
    }
    bytes_ = std::move(frame->bytes);
    ctx.ethernet = lt.capture_ethernet;
  } else {
    rebuild_packet(lt.trace, sel->packet, LinkLayer::Ethernet, bytes_);
    // The prefix each host was configured with splits its address into network and host part.
    const std::uint32_t src_host = p.dir == Direction::AtoB ? flow.a_host : flow.b_host;
    const std::uint32_t dst_host = p.dir == Direction::AtoB ? flow.b_host : flow.a_host;
    const auto& hosts = lt.trace.hosts();
    if (src_host < hosts.size()) ctx.src_prefix_len = hosts[src_host].prefix_len;
    if (dst_host < hosts.size()) ctx.dst_prefix_len = hosts[dst_host].prefix_len;
  }
  if (flow.proto == Transport::Tcp && lt.rel) {
    ctx.seq_base = p.seq - lt.rel->seq(p.flow, p.dir, p.seq);
    ctx.ack_base = p.ack - lt.rel->ack(p.flow, p.dir, p.ack);
  }
  fields_ = describe_frame(bytes_, ctx);
  if (hidden) hidden_bytes_ = hide_fields(fields_, *hidden);
  if (flow.proto == Transport::Tcp) refresh_analysis(lt, sel->packet, doc.capture, view.lang);

  char label[160], t0[32], t1[32];
  if (hidden)
    format_hidden_label(label, sizeof label, lt.trace, sel->packet, *hidden);
  else
    format_packet_label(label, sizeof label, lt.trace, sel->packet, lt.rel ? &*lt.rel : nullptr,
                        LabelText::WithPayload, view.lang);
  format_time(t0, sizeof t0, p.time.ns, 1000);
  format_time(t1, sizeof t1, p.arrive.ns, 1000);
  const Lang lang = view.lang;
  char line[384];
  std::snprintf(line, sizeof line, "#%u  %s%s%s\n%s %s", lt.display_number(sel->packet),
                lt.label_in(lang).c_str(), lt.label.empty() ? "" : "  ", label, tr(lang, T::Sent), t0);
  summary_ = line;
  switch (p.fate) {
    case Fate::Delivered:
      summary_ += std::string(", ") + tr(lang, T::Arrived) + " " + t1;
      break;
    case Fate::DroppedByLink:
      summary_ += std::string(" - ") + tr(lang, T::LostOnLink);
      break;
    case Fate::DroppedByQueue:
      summary_ += std::string(" - ") + tr(lang, T::LostInQueue);
      break;
    case Fate::DroppedByHost:
      summary_ += std::string(" - ") + tr(lang, T::DroppedByHost);
      break;
    case Fate::InFlight:
      summary_ += std::string(" - ") + tr(lang, T::StillInFlight);
      break;
    case Fate::Captured:
      break;
  }
  // TCP segments of a run show their cause in the analysis section, beside the analyzer's verdict.
  if (p.fate != Fate::Captured && !hidden && !analysis_section_)
    summary_ += std::string("\n") + tr(lang, T::Cause) + ": " + std::string(cause_name(lang, p.cause));
}

// The simulator's cause beside the analyzer's flags (runs), or the flags alone (captures), with the
// analyzer's explanation of each.
void InspectorPanel::refresh_analysis(const LoadedTrace& lt, std::uint32_t packet, bool capture, Lang lang) {
  const TraceAnalysis& a = lt.analysis;
  analysis_section_ = true;
  analysis_ground_truth_ = !capture && a.has_ground_truth();
  analysis_agrees_ = a.agrees(lt.trace, packet);
  const Cause cause = lt.trace.packet(packet).cause;
  const auto expected = flag_for_cause(cause);
  analysis_simulator_ =
      std::string(cause_name(lang, cause)) + " \xE2\x86\x92 " +
      (expected ? std::string(wireshark_name(*expected)) : std::string(tr(lang, T::NoFlag)));
  analysis_flags_ = flag_names(a.mask_of(packet));
  analysis_why_ = a.explain_packet(lt.trace, packet, lang, lt.source_packets);
}

void InspectorPanel::draw_analysis(Lang lang) {
  char title[128];
  std::snprintf(title, sizeof title, "%s###analysis",
                tr(lang, analysis_ground_truth_ ? T::TruthSection : T::AnalysisSection));
  if (!ImGui::CollapsingHeader(title, ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (shown_hidden_) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", tr(lang, T::TruthPredictFirst));
    ImGui::PopTextWrapPos();
    return;
  }
  const ImVec4 disagree = ImColor(rgb(kDisagreeHex)).Value;
  if (analysis_ground_truth_) {
    ImGui::TextDisabled("%s", tr(lang, T::TruthSimulator));
    ImGui::SameLine(90.0f);
    ImGui::TextUnformatted(analysis_simulator_.c_str());
  }
  ImGui::TextDisabled("%s", tr(lang, T::TruthAnalyzer));
  ImGui::SameLine(90.0f);
  if (analysis_ground_truth_ && !analysis_agrees_)
    ImGui::TextColored(disagree, "%s", analysis_flags_.c_str());
  else
    ImGui::TextUnformatted(analysis_flags_.c_str());
  if (analysis_ground_truth_) {
    ImGui::SameLine(0.0f, 16.0f);
    const unsigned hex = analysis_agrees_ ? kAgreeHex : kDisagreeHex;
    const char* word = tr(lang, analysis_agrees_ ? T::TruthAgree : T::TruthDisagree);
    // A tag with a background: a disagreement must catch the eye.
    const ImVec2 pos = ImGui::GetCursorScreenPos(), size = ImGui::CalcTextSize(word);
    ImGui::GetWindowDrawList()->AddRectFilled({pos.x - 4, pos.y - 1},
                                              {pos.x + size.x + 4, pos.y + size.y + 1},
                                              rgb(analysis_agrees_ ? 0xE3F1E5 : kDisagreeBgHex), 3.0f);
    ImGui::TextColored(ImColor(rgb(hex)).Value, "%s", word);
  }
  if (analysis_why_.empty()) {
    if (!analysis_ground_truth_) ImGui::TextDisabled("%s", tr(lang, T::TruthNoAnalysisFlags));
    return;
  }
  ImGui::PushTextWrapPos(0.0f);
  if (analysis_ground_truth_ && !analysis_agrees_)
    ImGui::TextColored(disagree, "%s", analysis_why_.c_str());
  else
    ImGui::TextUnformatted(analysis_why_.c_str());
  ImGui::PopTextWrapPos();
}

void InspectorPanel::draw_contents(const Document& doc, const ViewState& view, const Fonts& fonts,
                                   const PredictionSession& prediction, const PacketEditing& editing,
                                   EditCommands& edit) {
  refresh(doc, view, fonts, prediction);
  const Lang lang = view.lang;
  if (!shown_) {
    ImGui::TextWrapped("%s", tr(lang, T::SelectPacketHint));
    return;
  }
  if (!error_.empty()) {
    ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1.0f), "%s", error_.c_str());
    return;
  }
  ImGui::TextUnformatted(summary_.c_str());
  if (analysis_section_) draw_analysis(lang);
  // Scenario editing: drop, delay or duplicate this packet and replay (simulated runs only).
  if (editing.editable) {
    ImGui::Separator();
    draw_packet_edit_buttons(doc, view, editing, edit);
  }
  ImGui::Separator();

  // The header tree: one row per field; hovering a row highlights its bytes, clicking pins it.
  const float hex_h = std::min(
      ImGui::GetContentRegionAvail().y * 0.42f,
      (static_cast<float>((bytes_.size() + 15) / 16) + 1.5f) * ImGui::GetTextLineHeightWithSpacing());
  ImGui::BeginChild("##fields", {0, ImGui::GetContentRegionAvail().y - hex_h}, false);
  hovered_field_ = -1;
  bool open = true;
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    ImGui::PushID(static_cast<int>(i));
    if (f.header) {
      if (i > 0 && open) ImGui::TreePop();
      ImGui::PushStyleColor(ImGuiCol_Text, ImColor(rgb(layer_hex(f.layer))).Value);
      open = ImGui::TreeNodeEx("##layer", ImGuiTreeNodeFlags_DefaultOpen | ImGuiTreeNodeFlags_SpanAvailWidth,
                               "%s  %s", f.name.c_str(), f.value.c_str());
      ImGui::PopStyleColor();
      if (ImGui::IsItemHovered()) hovered_field_ = static_cast<int>(i);
    } else if (open) {
      const bool pinned = pinned_field_ == static_cast<int>(i);
      if (ImGui::Selectable("##f", pinned, ImGuiSelectableFlags_SpanAllColumns))
        pinned_field_ = pinned ? -1 : static_cast<int>(i);
      if (ImGui::IsItemHovered()) hovered_field_ = static_cast<int>(i);
      ImGui::SameLine();
      ImGui::TextDisabled("%s", f.name.c_str());
      ImGui::SameLine();
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(f.value.c_str());
      ImGui::PopTextWrapPos();
    }
    ImGui::PopID();
  }
  if (!fields_.empty() && open) ImGui::TreePop();
  ImGui::EndChild();
  ImGui::Separator();
  draw_hex(lang, fonts);
}

void InspectorPanel::draw_hex(Lang lang, const Fonts& fonts) {
  ImGui::TextDisabled("%s (%zu bytes)", tr(lang, T::HexDump), bytes_.size());
  ImGui::BeginChild("##hex", {0, 0}, false, ImGuiWindowFlags_HorizontalScrollbar);
  ImFont* mono = fonts.mono;
  if (mono) ImGui::PushFont(mono);
  const int active = hovered_field_ >= 0 ? hovered_field_ : pinned_field_;
  std::uint32_t hl_begin = 0, hl_end = 0;
  unsigned hl_hex = 0xFFD54F;
  if (active >= 0 && static_cast<std::size_t>(active) < fields_.size()) {
    hl_begin = fields_[static_cast<std::size_t>(active)].offset;
    hl_end = hl_begin + fields_[static_cast<std::size_t>(active)].length;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float cw = ImGui::CalcTextSize("0").x;
  const float lh = ImGui::GetTextLineHeightWithSpacing();
  // Prediction mode: the hidden fields' bytes would give the answer away too.
  auto byte_hidden = [&](std::size_t b) {
    for (const auto& [offset, length] : hidden_bytes_)
      if (b >= offset && b < offset + length) return true;
    return false;
  };
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>((bytes_.size() + 15) / 16), lh);
  char line[96];
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const std::size_t base = static_cast<std::size_t>(row) * 16;
      const ImVec2 pos = ImGui::GetCursorScreenPos();
      // Highlight behind the selected field's bytes, in both the hex and the text column.
      for (std::size_t b = base; b < std::min(base + 16, bytes_.size()); ++b) {
        if (b < hl_begin || b >= hl_end) continue;
        const std::size_t col = b - base;
        const float hx = pos.x + cw * static_cast<float>(6 + col * 3 + (col >= 8 ? 1 : 0));
        dl->AddRectFilled({hx - 1, pos.y}, {hx + cw * 2 + 1, pos.y + lh - 1}, rgb(hl_hex));
        const float ax = pos.x + cw * static_cast<float>(6 + 16 * 3 + 2 + col);
        dl->AddRectFilled({ax, pos.y}, {ax + cw, pos.y + lh - 1}, rgb(hl_hex));
      }
      int n = std::snprintf(line, sizeof line, "%04zx  ", base);
      for (std::size_t col = 0; col < 16; ++col) {
        if (col == 8) line[n++] = ' ';
        if (base + col >= bytes_.size())
          n += std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), "   ");
        else if (byte_hidden(base + col))
          n += std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), "?? ");
        else
          n +=
              std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), "%02x ", bytes_[base + col]);
      }
      line[n++] = ' ';
      for (std::size_t col = 0; col < 16 && base + col < bytes_.size(); ++col) {
        const std::uint8_t c = bytes_[base + col];
        line[n++] = c >= 0x20 && c < 0x7F && !byte_hidden(base + col) ? static_cast<char>(c) : '.';
      }
      line[n] = '\0';
      ImGui::TextUnformatted(line);
    }
  }
  if (mono) ImGui::PopFont();
  ImGui::EndChild();
}

}  // namespace wirestep::gui
