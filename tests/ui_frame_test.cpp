// Whole UI frames without a window or GPU (ImGui's own context, font atlas built in memory): every bundled
// lesson, a capture and a million-packet Trace go through open -> frames -> stepping -> playing, in English
// and Chinese, so the panels run under the sanitizers (ImGui asserts on unbalanced Begin/End or ID misuse).
#include <gtest/gtest.h>
#include <imgui.h>

#include <filesystem>

#include "headless_app.hpp"
#include "ui/gui/app.hpp"
#include "ui/gui/synthetic_trace.hpp"

namespace wirestep::gui {
namespace ui_frame_test {

class HeadlessUi : public HeadlessAppTest {};

TEST_F(HeadlessUi, EveryBundledLessonOpensDrawsStepsAndPlays) {
  ASSERT_GE(app_->scenarios().size(), 6u);
  for (const ScenarioEntry& s : app_->scenarios()) {
    SCOPED_TRACE(s.path);
    ASSERT_EQ(app_->open(s.path), std::nullopt);
    EXPECT_GT(frame(), 1000);
    // Step through the first steps from the start, selecting packets as they go.
    app_->set_cursor(app_->doc().begin_ns);
    for (int i = 0; i < 12; ++i) {
      const auto next = app_->doc().steps.next(app_->view().cursor);
      if (!next) break;
      app_->view().cursor = Cursor{next->time_ns, next};
      if (next->kind != StepKind::Event) app_->select(PacketRef{next->trace, next->index});
      frame();
    }
    // Play at fast-forward until the end.
    app_->view().speed = 1000.0;
    app_->view().playing = true;
    for (int i = 0; i < 400 && app_->view().playing; ++i) frame(0.05);
    EXPECT_FALSE(app_->view().playing) << "playing never reached the end";
    app_->view().lang = Lang::Zh;
    frame();
    app_->view().lang = Lang::En;
  }
}

TEST_F(HeadlessUi, ABadFileKeepsTheOpenDocumentAndSaysWhy) {
  ASSERT_EQ(app_->open(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/tcp-handshake.toml"), std::nullopt);
  const auto err = app_->open("/nonexistent/lesson.toml");
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("/nonexistent/lesson.toml"), std::string::npos);
  EXPECT_EQ(app_->doc().title, "TCP: handshake, request and response, teardown");
  EXPECT_GT(frame(), 1000);
}

TEST_F(HeadlessUi, CaptureOpensAndTheInspectorRereadsTheFrame) {
  const std::string capture = std::string(WIRESTEP_CORPUS_DIR) + "/tcpdump/ssh.pcap";
  ASSERT_TRUE(std::filesystem::exists(capture));
  ASSERT_EQ(app_->open(capture), std::nullopt);
  EXPECT_TRUE(app_->doc().capture);
  app_->select(PacketRef{0, 3});
  EXPECT_GT(frame(), 1000);
  EXPECT_GT(frame(), 1000);
}

TEST_F(HeadlessUi, MillionPacketTraceZoomsAndPans) {
  app_->open_trace(make_synthetic_trace(1'000'000), "synthetic");
  EXPECT_GT(frame(), 1000);
  // Zoomed to 1 ms and to 1 s windows, and back out.
  for (std::int64_t span : {1'000'000LL, 1'000'000'000LL, 12'000'000'000LL}) {
    app_->view().view_begin_ns = 5'000'000'000;
    app_->view().view_end_ns = 5'000'000'000 + span;
    app_->set_cursor(5'000'000'000 + span / 2);
    EXPECT_GT(frame(), 1000);
  }
}

}  // namespace ui_frame_test
}  // namespace wirestep::gui
