#include "ui/gui/follow_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "ui/cli/follow_format.hpp"
#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {
namespace {

// Wireshark's Follow colours: the client dark red on pink, the server dark blue on lavender.
constexpr unsigned kClientTextHex = 0x7F0000, kClientBgHex = 0xFBEDED;
constexpr unsigned kServerTextHex = 0x00007F, kServerBgHex = 0xEDEDFB;
constexpr unsigned kClientSelectedHex = 0xF2C4C4, kServerSelectedHex = 0xC8C8F2;
constexpr unsigned kGapTextHex = 0x6B7280;

}  // namespace

void FollowPanel::open(const FollowTarget& target) {
  target_ = target;
  open_ = true;
  shown_generation_.reset();
  shown_source_.clear();
}

void FollowPanel::refresh(const Document& doc, Lang lang) {
  const bool stale = shown_generation_ != doc.generation || stream_.target != target_;
  if (stale && shown_generation_ && shown_source_ != doc.source) {
    open_ = false;
    return;
  }
  if (stale) {
    shown_source_ = doc.source;
    stream_ = follow_in_document(doc, target_);
    shown_generation_ = doc.generation;
  }
  if (stale || shown_hex_ != hex_ || shown_encoding_ != encoding_ || shown_lang_ != lang) {
    shown_hex_ = hex_;
    shown_encoding_ = encoding_;
    shown_lang_ = lang;
    build_lines(lang);
  }
}

// One line per text line or hex row; a gap is one line of its own.
void FollowPanel::build_lines(Lang lang) {
  text_.clear();
  lines_.clear();
  ends_line_ = true;
  measured_ = false;
  if (!stream_.stream) return;
  const auto encoding = static_cast<FollowEncoding>(encoding_);
  std::string piece;
  const auto& chunks = stream_.stream->chunks;
  for (std::uint32_t c = 0; c < chunks.size(); ++c) {
    const FollowChunk& chunk = chunks[c];
    piece.clear();
    if (chunk.missing > 0) {
      char buf[96];
      std::snprintf(buf, sizeof buf, tr(lang, T::FollowBytesMissing),
                    static_cast<unsigned long long>(chunk.missing));
      piece = buf;
    } else if (hex_) {
      append_hex_lines(piece, chunk.bytes, chunk.rel_seq, "");
    } else {
      piece = follow_chunk_text(chunk.bytes, encoding);
    }
    // Text runs on across a side's consecutive segments, as the application wrote it: a chunk that does
    // not start a line continues the previous one (which keeps the first chunk, for the click).
    const bool continues = !hex_ && chunk.missing == 0 && c > 0 && chunks[c - 1].missing == 0 &&
                           chunks[c - 1].from_client == chunk.from_client && !lines_.empty() && !ends_line_;
    ends_line_ = piece.empty() || piece.back() == '\n';
    std::size_t start = 0;
    if (continues) {
      const std::size_t nl = piece.find('\n');
      const std::size_t end = nl == std::string::npos ? piece.size() : nl;
      for (std::size_t i = 0; i < end; ++i) text_ += piece[i] == '\t' ? ' ' : piece[i];
      lines_.back().end = static_cast<std::uint32_t>(text_.size());
      start = end + 1;
      if (start >= piece.size()) continue;
    }
    do {
      const std::size_t nl = piece.find('\n', start);
      const std::size_t end = nl == std::string::npos ? piece.size() : nl;
      const auto begin = static_cast<std::uint32_t>(text_.size());
      // Tabs are drawn as spaces: ImGui draws no tab stops.
      for (std::size_t i = start; i < end; ++i) text_ += piece[i] == '\t' ? ' ' : piece[i];
      lines_.push_back(Line{c, begin, static_cast<std::uint32_t>(text_.size())});
      start = end + 1;
      // A chunk ending in a newline ends there: no empty line after it.
    } while (start < piece.size());
  }
}

void FollowPanel::draw(const Document& doc, const ViewState& view, const Fonts& fonts,
                       SelectionCommands& select, NavigationCommands& nav, const PanelRect& over) {
  if (open_) refresh(doc, view.lang);  // may close it: the document is another file
  if (!open_) return;
  char title[96];
  std::snprintf(title, sizeof title, "%s###follow", tr(view.lang, T::FollowStream));
  const ImVec2 size{std::max(over.w - 16.0f, 200.0f), std::max(over.h * 0.6f, 160.0f)};
  const PanelWindow window(title, OverlayPlacement{.anchor = {over.x + 8.0f, over.y + over.h - 8.0f},
                                                   .pivot = {0.0f, 1.0f},
                                                   .min_size = size,
                                                   .max_size = size,
                                                   .bg_alpha = 1.0f});
  if (window.visible()) draw_contents(doc, view, fonts, select, nav);
}

void FollowPanel::draw_contents(const Document& doc, const ViewState& view, const Fonts& fonts,
                                SelectionCommands& select, NavigationCommands& nav) {
  const Lang lang = view.lang;
  refresh(doc, lang);
  if (!open_) return;

  // The mode, the encoding and the close button on one row.
  if (ImGui::RadioButton(tr(lang, T::FollowText), !hex_)) hex_ = false;
  ImGui::SameLine();
  if (ImGui::RadioButton(tr(lang, T::FollowHex), hex_)) hex_ = true;
  ImGui::SameLine(0.0f, 24.0f);
  ImGui::TextUnformatted(tr(lang, T::FollowEncoding));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::CalcTextSize("UTF-8").x * 2.5f);
  ImGui::BeginDisabled(hex_);
  ImGui::Combo("##encoding", &encoding_, "UTF-8\0GBK\0");
  ImGui::EndDisabled();
  const char* close = tr(lang, T::FollowClose);
  ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - ImGui::CalcTextSize(close).x -
                  2 * ImGui::GetStyle().FramePadding.x);
  if (ImGui::Button(close)) open_ = false;

  if (!stream_.stream) {
    ImGui::TextColored(ImColor(rgb(kLostHex)), "%s: %s", tr(lang, T::FollowFailed), stream_.error.c_str());
    ImGui::TextDisabled("%s", tr(lang, T::FollowNoSelection));
    return;
  }
  const FollowStream& s = *stream_.stream;
  // Who is who: the colours name the ends.
  const std::string client = wire::endpoint_to_string(s.client_addr, s.client_port);
  const std::string server = wire::endpoint_to_string(s.server_addr, s.server_port);
  ImGui::TextColored(ImColor(rgb(kClientTextHex)), "%s %s  %llu B", tr(lang, T::FollowClient), client.c_str(),
                     static_cast<unsigned long long>(s.bytes[0]));
  ImGui::SameLine(0.0f, 8.0f);
  ImGui::TextUnformatted(s.proto == Transport::Udp ? "<- UDP ->" : "<- TCP ->");
  ImGui::SameLine(0.0f, 8.0f);
  ImGui::TextColored(ImColor(rgb(kServerTextHex)), "%s %s  %llu B", tr(lang, T::FollowServer), server.c_str(),
                     static_cast<unsigned long long>(s.bytes[1]));
  if (s.truncated) {
    char buf[160];
    std::snprintf(buf, sizeof buf, tr(lang, T::FollowTruncated),
                  static_cast<unsigned long long>(s.truncated_at));
    ImGui::TextColored(ImColor(rgb(kLostHex)), "%s", buf);
  }
  if (!s.errors.empty()) {
    ImGui::TextColored(ImColor(rgb(kLostHex)), "%s %s", tr(lang, T::FollowUnreadable),
                       s.errors.front().message().c_str());
  }
  if (lines_.empty()) {
    ImGui::TextDisabled("%s", tr(lang, T::FollowNothing));
    return;
  }

  // The text font carries the Chinese glyphs; the hex dump wants fixed columns.
  ImFont* font = hex_ && fonts.mono ? fonts.mono : nullptr;
  if (font) ImGui::PushFont(font);
  if (!measured_) {
    widest_ = 0;
    for (const Line& l : lines_)
      widest_ = std::max(widest_, ImGui::CalcTextSize(text_.data() + l.begin, text_.data() + l.end).x);
    measured_ = true;
  }
  ImGui::BeginChild("##follow-lines", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  // Lines touch, so the clipper's fixed line height holds and the colour bands are unbroken.
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, {ImGui::GetStyle().ItemSpacing.x, 0.0f});
  const float line_h = ImGui::GetTextLineHeight();
  const float width = std::max(ImGui::GetContentRegionAvail().x, widest_ + 8.0f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(lines_.size()), line_h);
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const Line& l = lines_[static_cast<std::size_t>(i)];
      const FollowChunk& chunk = s.chunks[l.chunk];
      const ImVec2 at = ImGui::GetCursorScreenPos();
      const bool gap = chunk.missing > 0;
      // The selected packet's lines are shaded darker: where it sits in the conversation.
      const bool selected = view.selected && shown_packet(doc, target_, chunk.packet) == view.selected;
      dl->AddRectFilled(at, {at.x + width, at.y + line_h},
                        rgb(chunk.from_client ? (selected ? kClientSelectedHex : kClientBgHex)
                                              : (selected ? kServerSelectedHex : kServerBgHex)));
      ImGui::PushID(i);
      if (ImGui::Selectable("##line", false, 0, ImVec2(width, line_h))) {
        if (auto ref = shown_packet(doc, target_, chunk.packet)) {
          select.select = *ref;
          // Bring the packet into view when it is off screen, keeping the zoom.
          const LoadedTrace& lt = *doc.traces[ref->trace];
          const std::int64_t t = lt.trace.packet(ref->packet).time.ns;
          if (t < view.view_begin_ns || t > view.view_end_ns) {
            const std::int64_t span = view.view_end_ns - view.view_begin_ns;
            nav.set_view = {t - span / 3, t - span / 3 + span};
          }
        }
      }
      if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::Text(tr(lang, T::FollowFrame), follow_frame_number(doc, target_, chunk.packet),
                    chunk.bytes.size());
        ImGui::TextDisabled("%s", tr(lang, T::FollowClickHint));
        ImGui::EndTooltip();
      }
      ImGui::PopID();
      const unsigned text_hex = gap ? kGapTextHex : chunk.from_client ? kClientTextHex : kServerTextHex;
      dl->AddText(at, rgb(text_hex), text_.data() + l.begin, text_.data() + l.end);
    }
  }
  ImGui::PopStyleVar();
  ImGui::EndChild();
  if (font) ImGui::PopFont();
}

}  // namespace wirestep::gui
