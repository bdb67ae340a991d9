// Issue #20, the sequence layout in whole headless frames: every lesson and a capture draw and step with a
// row per step, and + / - change how many rows the view holds while the cursor stays in it; the state
// panel's socket list draws for a listener with many sockets.
#include <gtest/gtest.h>
#include <imgui.h>

#include <filesystem>

#include "headless_app.hpp"
#include "ui/gui/app.hpp"
#include "ui/gui/view_navigation.hpp"

namespace wirestep::gui {
namespace ui_sequence_layout_test {

class SequenceLayoutFrames : public HeadlessAppTest {
 protected:
  std::string lesson(const char* name) { return std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/" + name; }
};

TEST_F(SequenceLayoutFrames, EveryLessonStepsThroughItsRows) {
  for (const ScenarioEntry& s : app_->scenarios()) {
    SCOPED_TRACE(s.path);
    ASSERT_EQ(app_->open(s.path), std::nullopt);
    app_->view().sequence = true;
    EXPECT_GT(frame(), 1000);
    app_->set_cursor(app_->doc().begin_ns);
    for (int i = 0; i < 16; ++i) {
      const auto next = app_->doc().steps.next(app_->view().cursor);
      if (!next) break;
      app_->view().cursor = Cursor{next->time_ns, next};
      keep_cursor_visible(app_->view());
      frame();
      // The view the rows give always holds the cursor it was scrolled to.
      EXPECT_LE(app_->view().view_begin_ns, next->time_ns);
      EXPECT_GE(app_->view().view_end_ns, next->time_ns);
    }
  }
}

TEST_F(SequenceLayoutFrames, ZoomKeysChangeTheRowCountAroundTheCursor) {
  ASSERT_EQ(app_->open(lesson("tcp-peer-close.toml")), std::nullopt);
  app_->view().sequence = true;
  frame();
  // The cursor on a step in the middle of the run.
  app_->set_cursor(app_->doc().begin_ns);
  for (int i = 0; i < 10; ++i)
    if (const auto next = app_->doc().steps.next(app_->view().cursor))
      app_->view().cursor = Cursor{next->time_ns, next};
  const std::int64_t cursor = app_->view().cursor.time_ns;
  keep_cursor_visible(app_->view());
  frame();
  frame();
  const std::int64_t span = app_->view().view_end_ns - app_->view().view_begin_ns;
  const float lines = app_->view().sequence_row_lines;
  // '+': taller rows, so fewer of them and less time in view, the cursor still in it.
  zoom_view(app_->view(), 0.8);
  frame();
  frame();
  EXPECT_GT(app_->view().sequence_row_lines, lines);
  EXPECT_LT(app_->view().view_end_ns - app_->view().view_begin_ns, span);
  EXPECT_LE(app_->view().view_begin_ns, cursor);
  EXPECT_GE(app_->view().view_end_ns, cursor);
  // '-' twice: shorter rows than at first, more time in view, the cursor still in it.
  zoom_view(app_->view(), 1.25);
  zoom_view(app_->view(), 1.25);
  frame();
  frame();
  EXPECT_LT(app_->view().sequence_row_lines, lines);
  EXPECT_GT(app_->view().view_end_ns - app_->view().view_begin_ns, span);
  EXPECT_LE(app_->view().view_begin_ns, cursor);
  EXPECT_GE(app_->view().view_end_ns, cursor);
  // In the time layout the same keys zoom the time span about the cursor instead.
  app_->view().sequence = false;
  frame();
  const std::int64_t time_span = app_->view().view_end_ns - app_->view().view_begin_ns;
  zoom_view(app_->view(), 0.8);
  EXPECT_LT(app_->view().view_end_ns - app_->view().view_begin_ns, time_span);
}

// A capture has no [view] layout of its own: it opens in the layout in use (the View menu's choice), and a
// lesson opens in its own.
TEST_F(SequenceLayoutFrames, ACaptureOpensInTheLayoutInUseAndDrawsInSequenceLayout) {
  const std::string capture = std::string(WIRESTEP_CORPUS_DIR) + "/tcpdump/ssh.pcap";
  ASSERT_TRUE(std::filesystem::exists(capture));
  ASSERT_EQ(app_->open(capture), std::nullopt);
  EXPECT_FALSE(app_->view().sequence);
  app_->view().sequence = true;  // View > Sequence layout
  ASSERT_EQ(app_->open(capture), std::nullopt);
  EXPECT_TRUE(app_->view().sequence);
  app_->view().overview = false;
  EXPECT_GT(frame(), 1000);
  app_->select(PacketRef{0, 3});
  EXPECT_GT(frame(), 1000);
  EXPECT_GT(app_->view().view_end_ns, app_->view().view_begin_ns);
  ASSERT_EQ(app_->open(lesson("tcp-handshake.toml")), std::nullopt);
  EXPECT_FALSE(app_->view().sequence);  // the lesson's own layout
}

TEST_F(SequenceLayoutFrames, TheSocketListDrawsEveryHalfOpenSocketOfASynFlood) {
  ASSERT_EQ(app_->open(lesson("tcp-syn-flood.toml")), std::nullopt);
  app_->set_cursor(1'000'000'000);
  app_->select(PacketRef{0, 0});
  for (Lang lang : {Lang::En, Lang::Zh}) {
    app_->view().lang = lang;
    EXPECT_GT(frame(), 1000);
    EXPECT_GT(frame(), 1000);
  }
}

}  // namespace ui_sequence_layout_test
}  // namespace wirestep::gui
