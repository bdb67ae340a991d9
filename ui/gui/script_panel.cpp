#include "ui/gui/script_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/model/script_document.hpp"

namespace wirestep::gui {
namespace {

constexpr unsigned kFailHex = 0xD62728;    // the failing line: the same red as a lost packet
constexpr unsigned kFailBgHex = 0xFADBD8;  // ... and its row
constexpr unsigned kPassHex = 0x2E8B3E;
constexpr unsigned kCurrentBgHex = 0xFFF3B0;  // the line at the cursor

}  // namespace

bool ScriptPanel::take_new_script(const Document& doc) {
  if (!doc.script || doc.generation == seen_generation_) return false;
  seen_generation_ = doc.generation;
  scrolled_to_line_ = 0;
  return true;
}

void ScriptPanel::draw_outcome(const Document& doc, Lang lang) {
  const ScriptDocument& s = *doc.script;
  ImGui::PushTextWrapPos(0.0f);
  if (s.outcome == packetdrill::Outcome::Pass) {
    ImGui::TextColored(ImColor(rgb(kPassHex)).Value, "%s", tr(lang, T::ScriptPassed));
  } else {
    const bool failed = s.outcome == packetdrill::Outcome::Fail;
    const std::string& reason = lang == Lang::Zh ? s.reason.zh : s.reason.en;
    ImGui::TextColored(ImColor(rgb(kFailHex)).Value, "%s %u%s: %s",
                       tr(lang, failed ? T::ScriptFailedAt : T::ScriptUnsupportedAt), s.failed_line,
                       lang == Lang::Zh ? " 行" : "", reason.c_str());
    if (failed && !s.expected.empty()) {
      ImGui::Text("%s %s", tr(lang, T::ScriptExpected), s.expected.c_str());
      ImGui::Text("%s %s", tr(lang, T::ScriptActual),
                  s.actual.empty() ? tr(lang, T::ScriptNothingSent) : s.actual.c_str());
    }
  }
  ImGui::TextDisabled("%s", tr(lang, T::ScriptClickHint));
  ImGui::PopTextWrapPos();
}

void ScriptPanel::draw_contents(const Document& doc, const ViewState& view, const Fonts& fonts,
                                NavigationCommands& nav) {
  if (!doc.script) return;
  const ScriptDocument& s = *doc.script;
  const Lang lang = view.lang;
  draw_outcome(doc, lang);
  ImGui::Separator();
  if (!ImGui::BeginChild("script-lines", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar)) {
    ImGui::EndChild();
    return;
  }
  if (fonts.mono) ImGui::PushFont(fonts.mono);
  const std::uint32_t current = s.line_at(view.cursor);
  char label[64];
  for (std::uint32_t n = 1; n <= s.lines.size(); ++n) {
    const bool failing = n == s.failed_line && s.outcome != packetdrill::Outcome::Pass;
    const std::string& text = s.lines[n - 1];
    ImGui::PushID(static_cast<int>(n));
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeightWithSpacing();
    const float w = ImGui::GetContentRegionAvail().x + ImGui::GetScrollX();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (failing) dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), rgb(kFailBgHex));
    if (n == current) dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), rgb(kCurrentBgHex, failing ? 160 : 255));
    std::snprintf(label, sizeof label, "%4u  ", n);
    if (ImGui::InvisibleButton("line", ImVec2(std::max(w, 1.0f), h)))
      if (const auto t = s.time_of_line(n)) nav.set_cursor_ns = *t;
    ImGui::SetCursorScreenPos(p);
    ImGui::TextDisabled("%s", label);
    ImGui::SameLine(0.0f, 0.0f);
    if (failing)
      ImGui::TextColored(ImColor(rgb(kFailHex)).Value, "%s", text.c_str());
    else
      ImGui::TextUnformatted(text.c_str());
    if (n == current && current != scrolled_to_line_) {
      ImGui::SetScrollHereY(0.4f);  // kept in view as the cursor steps
      scrolled_to_line_ = current;
    }
    if (failing) {
      // The reason under the line, where the expectation broke.
      // In the UI font: the mono font has no Chinese glyphs.
      const std::string& reason = lang == Lang::Zh ? s.reason.zh : s.reason.en;
      // Wrapped at the visible edge, so a long reason is read without scrolling sideways.
      if (fonts.mono) ImGui::PopFont();
      ImGui::PushTextWrapPos(ImGui::GetScrollX() + ImGui::GetWindowContentRegionMax().x);
      ImGui::TextColored(ImColor(rgb(kFailHex)).Value, "      ^ %s", reason.c_str());
      ImGui::PopTextWrapPos();
      if (fonts.mono) ImGui::PushFont(fonts.mono);
    }
    ImGui::PopID();
  }
  if (fonts.mono) ImGui::PopFont();
  ImGui::EndChild();
}

}  // namespace wirestep::gui
