// Text wrapped for ImGui 1.86, which breaks lines only at spaces (see wrapped_text.hpp).
#include "ui/gui/wrapped_text.hpp"

#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8

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

}  // namespace

void wrapped_text(const char* text, float width) {
  for_each_wrapped_line(text, width, [](const char* b, const char* e) { ImGui::TextUnformatted(b, e); });
}

bool wrapped_selectable(const char* text, bool selected) {
  const float width = ImGui::GetContentRegionAvail().x;
  const float line_h = ImGui::GetTextLineHeight();
  struct Line {
    const char *begin, *end;
  };
  Line lines[kWrappedSelectableLines];
  int count = 0;
  for_each_wrapped_line(text, width, [&](const char* b, const char* e) {
    if (count < kWrappedSelectableLines) lines[count++] = {b, e};
  });
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const bool clicked = ImGui::Selectable("##wrapped", selected, 0, {0, line_h * static_cast<float>(count)});
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 col = ImGui::GetColorU32(ImGuiCol_Text);
  for (int i = 0; i < count; ++i)
    dl->AddText({at.x, at.y + line_h * static_cast<float>(i)}, col, lines[i].begin, lines[i].end);
  return clicked;
}

}  // namespace wirestep::gui
