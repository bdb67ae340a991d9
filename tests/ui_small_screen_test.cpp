// Issue #20: the UI on a projector (1024x768) and a small laptop (1280x720), in English and Chinese. After
// whole headless frames, every tiled panel lies inside the screen and, in the panels that do not scroll (the
// toolbar, the timeline), no control reaches past the panel's edge: ImGui's record of how far the layout
// cursor went (the content extent) stays inside the window.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <string>

#include "headless_app.hpp"
#include "ui/gui/app.hpp"

namespace wirestep::gui {
namespace ui_small_screen_test {

struct ScreenSize {
  float w, h;
};

class SmallScreens : public HeadlessAppTest {
 protected:
  // Frames at the size, then every visible top-level window checked; failures name the window.
  void expect_everything_inside(ScreenSize s, const std::string& what) {
    ImGui::GetIO().DisplaySize = ImVec2(s.w, s.h);
    frame();
    frame();
    ImGuiContext& g = *GImGui;
    int checked = 0;
    for (ImGuiWindow* w : g.Windows) {
      if (!w->WasActive || w->Hidden ||
          (w->Flags & (ImGuiWindowFlags_ChildWindow | ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_Popup)))
        continue;
      if (std::string(w->Name).find("Debug##") == 0) continue;  // ImGui's implicit fallback window
      SCOPED_TRACE(what + ", window " + w->Name);
      ++checked;
      EXPECT_GE(w->Pos.x, -0.5f);
      EXPECT_GE(w->Pos.y, -0.5f);
      EXPECT_LE(w->Pos.x + w->Size.x, s.w + 0.5f);
      EXPECT_LE(w->Pos.y + w->Size.y, s.h + 0.5f);
      if (w->Flags & ImGuiWindowFlags_NoScrollbar) {
        // The furthest any item reached in the last frame, against the inner edge (no scrolling to reach it).
        EXPECT_LE(w->DC.CursorMaxPos.x, w->InnerRect.Max.x + 1.0f) << "a control is cut off at the right";
        EXPECT_LE(w->DC.CursorMaxPos.y, w->InnerRect.Max.y + w->WindowPadding.y + 1.0f)
            << "a control is cut off at the bottom";
      }
    }
    EXPECT_GE(checked, 4) << what;
  }
};

TEST_F(SmallScreens, EveryControlLiesInsideTheWindowAtProjectorAndLaptopSizes) {
  const std::string dir = std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/";
  // The listener lessons fill the state panel's socket list (a listener and several accepted sockets).
  for (const char* lesson : {"tcp-handshake.toml", "compare-tcp-udp-5pct.toml", "udp-sendto.toml",
                             "tcp-two-clients.toml", "tcp-syn-flood.toml"}) {
    ASSERT_EQ(app_->open(dir + lesson), std::nullopt);
    for (bool sequence : {false, true}) {
      app_->view().sequence = sequence;
      for (ScreenSize s : {ScreenSize{1024, 768}, ScreenSize{1280, 720}}) {
        for (Lang lang : {Lang::En, Lang::Zh}) {
          if (lang == Lang::Zh && !app_->fonts().cjk) continue;
          app_->view().lang = lang;
          expect_everything_inside(s, std::string(lesson) + " at " + std::to_string(static_cast<int>(s.w)) +
                                          "x" + std::to_string(static_cast<int>(s.h)) +
                                          (lang == Lang::Zh ? " zh" : " en") +
                                          (sequence ? " sequence" : " time"));
        }
      }
    }
    app_->view().lang = Lang::En;
  }
}

TEST_F(SmallScreens, SequenceLayoutFitsAndDrawsAtProjectorAndLaptopSizes) {
  const std::string dir = std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/";
  for (const char* lesson : {"tcp-handshake.toml", "tcp-peer-close.toml", "compare-tcp-udp-5pct.toml"}) {
    ASSERT_EQ(app_->open(dir + lesson), std::nullopt);
    app_->view().sequence = true;
    EXPECT_GT(frame(), 0) << lesson;
    for (ScreenSize s : {ScreenSize{1024, 768}, ScreenSize{1280, 720}})
      expect_everything_inside(
          s, std::string(lesson) + " in sequence layout at " + std::to_string(static_cast<int>(s.w)));
    // The view learns the end the rows give it: the cursor at the end of the run is kept in view.
    EXPECT_GT(app_->view().view_end_ns, app_->view().view_begin_ns) << lesson;
  }
}

}  // namespace ui_small_screen_test
}  // namespace wirestep::gui
