#include "ui/gui/fonts.hpp"

#include <imgui.h>

#include <filesystem>

#include "sim/analysis/prediction.hpp"
#include "ui/cli/arp_icmp_label.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {
namespace {

// Kept for the atlas's lifetime: ImGui reads glyph ranges when it builds the font texture.
ImVector<ImWchar> g_latin_ranges;
ImVector<ImWchar> g_cjk_ranges;

bool file_exists(const char* path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

}  // namespace

void apply_style() {
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a fixed layout; nothing to remember between runs
  ImGui::StyleColorsLight();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 0.0f;
  style.FrameRounding = 3.0f;
  style.GrabRounding = 3.0f;
  style.WindowBorderSize = 1.0f;
  style.WindowPadding = {8, 8};
  style.ItemSpacing = {8, 5};
  style.Colors[ImGuiCol_WindowBg] = ImVec4(0.975f, 0.978f, 0.984f, 1.0f);
  style.Colors[ImGuiCol_TitleBg] = ImVec4(0.89f, 0.91f, 0.94f, 1.0f);
  style.Colors[ImGuiCol_TitleBgActive] = ImVec4(0.84f, 0.88f, 0.94f, 1.0f);
}

Fonts load_fonts(const std::vector<ScenarioEntry>& lessons) {
  ImGuiIO& io = ImGui::GetIO();
  Fonts fonts;
  const char* sans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  const char* mono = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
  // Simplified Chinese: Noto Sans CJK (face 2 of the collection is SC) or WenQuanYi Micro Hei.
  struct Cjk {
    const char* path;
    int face;
  };
  static constexpr Cjk kCjk[] = {{"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2},
                                 {"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0},
                                 {"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0}};
  const Cjk* cjk = nullptr;
  for (const Cjk& c : kCjk)
    if (file_exists(c.path)) {
      cjk = &c;
      break;
    }

  {
    ImFontGlyphRangesBuilder b;
    b.AddRanges(io.Fonts->GetGlyphRangesDefault());
    b.AddText("\xE2\x86\x92\xE2\x88\x9E\xE2\x80\xA6\xC2\xB7\xC3\x97\xC2\xB5\xC2\xA7");  // → ∞ … · × µ §
    g_latin_ranges.clear();
    b.BuildRanges(&g_latin_ranges);
  }
  if (cjk) {
    ImFontGlyphRangesBuilder b;
    b.AddRanges(io.Fonts->GetGlyphRangesChineseSimplifiedCommon());
    // Every character our Chinese texts and the lessons use, even those outside the common set.
    for (const char* s : all_texts(Lang::Zh)) b.AddText(s);
    for (const char* s : prediction_texts(Lang::Zh)) b.AddText(s);
    for (const char* s : arp_icmp_label_texts(Lang::Zh)) b.AddText(s);  // the ladder's ARP and ICMP labels
    for (const auto& s : lessons) {
      b.AddText(s.title_zh.c_str());
      b.AddText(s.explanation_zh.c_str());
    }
    b.AddText("（）：，。、；！？“”");
    g_cjk_ranges.clear();
    b.BuildRanges(&g_cjk_ranges);
  }
  auto merge_cjk = [&](float size) {
    if (!cjk) return;
    ImFontConfig cfg;
    cfg.MergeMode = true;
    cfg.FontNo = cjk->face;
    cfg.OversampleH = 1;  // CJK glyphs are many; horizontal oversampling would triple the atlas
    cfg.PixelSnapH = true;
    io.Fonts->AddFontFromFileTTF(cjk->path, size, &cfg, g_cjk_ranges.Data);
  };

  if (file_exists(sans)) {
    ImFontConfig cfg;
    cfg.OversampleH = 2;
    fonts.ui = io.Fonts->AddFontFromFileTTF(sans, 16.0f, &cfg, g_latin_ranges.Data);
    merge_cjk(16.0f);
    fonts.small = io.Fonts->AddFontFromFileTTF(sans, 13.5f, &cfg, g_latin_ranges.Data);
    merge_cjk(13.5f);  // the timeline's event texts are Chinese too
  } else {
    // Fallback: ImGui's built-in font (ASCII only).
    fonts.ui = io.Fonts->AddFontDefault();
    merge_cjk(13.0f);
    fonts.small = fonts.ui;
  }
  fonts.mono =
      file_exists(mono) ? io.Fonts->AddFontFromFileTTF(mono, 14.5f, nullptr, g_latin_ranges.Data) : nullptr;
  fonts.cjk = cjk != nullptr;
  io.FontDefault = fonts.ui;
  return fonts;
}

}  // namespace wirestep::gui
