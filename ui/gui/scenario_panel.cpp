#include "ui/gui/scenario_panel.hpp"

#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8

#include <algorithm>
#include <cstdio>

#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {
namespace {

bool cjk(unsigned c) {
  return c >= 0x2E80;
}
// Closing punctuation never starts a line (，。、；：！？）”).
bool closing(unsigned c) {
  return c == 0xFF0C || c == 0x3002 || c == 0x3001 || c == 0xFF1B || c == 0xFF1A || c == 0xFF01 ||
         c == 0xFF1F || c == 0xFF09 || c == 0x201D;
}

// ImGui 1.86 wraps only at spaces, so a Chinese paragraph (no spaces) would break in odd places: wrap after
// any space or CJK character ourselves. Calls `line(begin, end)` for each line; no allocation.
template <typename LineFn>
void for_each_wrapped_line(const char* text, float width, LineFn&& line_fn) {
  ImFont* font = ImGui::GetFont();
  const float scale = ImGui::GetFontSize() / font->FontSize;
  const char* line = text;
  const char* p = text;
  const char* last_break = nullptr;
  float w = 0;
  while (*p) {
    if (*p == '\n') {
      line_fn(line, p);
      line = p = p + 1;
      last_break = nullptr;
      w = 0;
      continue;
    }
    unsigned c = 0;
    const int n = ImTextCharFromUtf8(&c, p, nullptr);
    const float cw = font->GetCharAdvance(static_cast<ImWchar>(c)) * scale;
    if (w + cw > width && p != line && !closing(c)) {
      const char* br = last_break && last_break > line ? last_break : p;
      line_fn(line, br);
      line = br;
      while (*line == ' ') ++line;
      p = line;
      last_break = nullptr;
      w = 0;
      continue;
    }
    w += cw;
    p += n > 0 ? n : 1;
    if (c == ' ' || (cjk(c) && !closing(c))) last_break = p;
    if (closing(c)) last_break = p;
  }
  if (line < p) line_fn(line, p);
}

void wrapped_text(const char* text, float width) {
  for_each_wrapped_line(text, width, [](const char* b, const char* e) { ImGui::TextUnformatted(b, e); });
}

// One lesson in the list: its whole title, wrapped over as many lines as it needs, selectable as one row.
bool lesson_row(const char* title, bool current) {
  const float width = ImGui::GetContentRegionAvail().x;
  const float line_h = ImGui::GetTextLineHeight();
  struct Line {
    const char *begin, *end;
  };
  Line lines[4];
  int count = 0;
  for_each_wrapped_line(title, width, [&](const char* b, const char* e) {
    if (count < 4) lines[count++] = {b, e};
  });
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const bool clicked = ImGui::Selectable("##lesson", current, 0, {0, line_h * static_cast<float>(count)});
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 col = ImGui::GetColorU32(ImGuiCol_Text);
  for (int i = 0; i < count; ++i)
    dl->AddText({at.x, at.y + line_h * static_cast<float>(i)}, col, lines[i].begin, lines[i].end);
  return clicked;
}

}  // namespace

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
    if (lesson_row(title, current)) c.open_path = s.path;
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
