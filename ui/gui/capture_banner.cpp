#include "ui/gui/capture_banner.hpp"

#include <imgui.h>

#include <cinttypes>
#include <cstdio>
#include <string>

#include "capture/capture_reader.hpp"
#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/model/save_pcap.hpp"

namespace wirestep::gui {
namespace {

constexpr unsigned kBannerBgHex = 0xFFF4D6;  // amber: a warning, not an error the user caused
constexpr unsigned kBannerTextHex = 0x7A4B00;

// The document packet of a frame of the file, when the timeline shows the whole capture (a flow view
// renumbers its packets; the banner then only names the frame).
std::optional<PacketRef> packet_of_frame(const Document& doc, std::uint64_t frame) {
  if (!doc.shown_flows.empty() || doc.traces.empty() || frame == 0) return std::nullopt;
  if (doc.capture_info && !doc.capture_info->frame_numbers.empty()) return std::nullopt;  // BPF-filtered
  if (frame > doc.traces[0]->trace.packet_count()) return std::nullopt;
  return PacketRef{0, static_cast<std::uint32_t>(frame - 1)};
}

}  // namespace

bool CaptureBanner::wanted(const Document& doc) {
  const CaptureFileInfo* info = doc.capture_info.get();
  return info && (info->truncated || !info->read_error.empty() || info->decode_error_count > 0);
}

float CaptureBanner::height() {
  return ImGui::GetTextLineHeightWithSpacing() * 2.0f + ImGui::GetStyle().WindowPadding.y * 2.0f;
}

void CaptureBanner::draw(const Document& doc, const ViewState& view, const Fonts& fonts,
                         SelectionCommands& select, NavigationCommands& nav, const PanelRect& r) {
  if (!wanted(doc)) return;
  const CaptureFileInfo& info = *doc.capture_info;
  const Lang lang = view.lang;
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImColor(rgb(kBannerBgHex)).Value);
  ImGui::PushStyleColor(ImGuiCol_Text, ImColor(rgb(kBannerTextHex)).Value);
  {
    const PanelWindow window("###capture-banner", r, {.title_bar = false, .scrollbar = false});
    if (window.visible()) {
      // First line: what happened to the file as a whole.
      char line[512];
      const std::string frames = format_count(info.frames);
      if (info.truncated)
        std::snprintf(line, sizeof line, tr(lang, T::BannerTruncated), frames.c_str());
      else if (!info.read_error.empty())
        std::snprintf(line, sizeof line, tr(lang, T::BannerReadError), frames.c_str(),
                      info.read_error_text(lang).c_str());
      else
        std::snprintf(line, sizeof line, tr(lang, T::BannerMalformed),
                      format_count(info.decode_error_count).c_str());
      ImGui::TextUnformatted(line);
      // Second line: the first reason (the read error, else the first frame that could not be decoded), and
      // the whole list on request.
      const std::size_t listed = info.decode_errors.size();
      if (!info.read_error.empty() && (info.truncated || listed == 0)) {
        ImGui::TextUnformatted(info.read_error_text(lang).c_str());
      } else if (listed > 0) {
        const DecodeError& e = info.decode_errors.front();
        if (lang == Lang::Zh)  // "第一个：第 3 帧：…": Chinese puts the measure word after the number
          ImGui::Text("%s %" PRIu64 " %s：%s", tr(lang, T::BannerFirst), e.frame, tr(lang, T::BannerFrame),
                      e.text(lang).c_str());
        else
          ImGui::Text("%s %" PRIu64 ": %s", tr(lang, T::BannerFirst), e.frame, e.text(lang).c_str());
      }
      if (listed > 0) {
        ImGui::SameLine();
        if (ImGui::SmallButton(tr(lang, T::BannerList))) list_open_ = !list_open_;
      }
    }
  }
  ImGui::PopStyleColor(2);

  if (!list_open_ || info.decode_errors.empty()) return;
  // Every decode error the loader kept: frame, offset in the file, reason. A click shows the frame.
  ImGui::SetNextWindowSize({std::min(760.0f, r.w), 320.0f}, ImGuiCond_Appearing);
  ImGui::SetNextWindowPos({r.x + 20.0f, r.y + r.h + 4.0f}, ImGuiCond_Appearing);
  char title[96];
  std::snprintf(title, sizeof title, "%s###decode-errors", tr(lang, T::BannerListTitle));
  if (ImGui::Begin(title, &list_open_, ImGuiWindowFlags_NoCollapse)) {
    if (fonts.mono) ImGui::PushFont(fonts.mono);
    if (ImGui::BeginTable("errors", 3,
                          ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
      ImGui::TableSetupScrollFreeze(0, 1);
      ImGui::TableSetupColumn(tr(lang, T::BannerFrame));
      ImGui::TableSetupColumn(tr(lang, T::BannerOffset));
      ImGui::TableSetupColumn(tr(lang, T::BannerReason), ImGuiTableColumnFlags_WidthStretch);
      ImGui::TableHeadersRow();
      ImGuiListClipper clipper;
      clipper.Begin(static_cast<int>(info.decode_errors.size()));
      while (clipper.Step())
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
          const DecodeError& e = info.decode_errors[static_cast<std::size_t>(i)];
          ImGui::TableNextRow();
          ImGui::TableSetColumnIndex(0);
          char frame[32];
          std::snprintf(frame, sizeof frame, "%" PRIu64 "##e%d", e.frame, i);
          if (ImGui::Selectable(frame, false, ImGuiSelectableFlags_SpanAllColumns))
            if (const auto p = packet_of_frame(doc, e.frame)) {
              select.select = *p;
              nav.set_cursor_ns = doc.traces[p->trace]->trace.packet_times_ns()[p->packet];
            }
          ImGui::TableSetColumnIndex(1);
          ImGui::Text("0x%" PRIx64, e.offset);
          ImGui::TableSetColumnIndex(2);
          ImGui::TextUnformatted(e.text(lang).c_str());
        }
      ImGui::EndTable();
    }
    if (info.decode_error_count > info.decode_errors.size())
      ImGui::TextDisabled(tr(lang, T::BannerMore),
                          format_count(info.decode_error_count - info.decode_errors.size()).c_str());
    if (fonts.mono) ImGui::PopFont();
  }
  ImGui::End();
}

}  // namespace wirestep::gui
