// How the view state follows the document and the user's navigation, without a window
// (ui/gui/view_navigation.hpp): where a new document opens, what a re-run keeps, stepping and playing in
// prediction mode, replay from the end, selection, and a live view following the newest packet.
#include <gtest/gtest.h>

#include "test_support.hpp"
#include "ui/gui/view_navigation.hpp"
#include "ui/model/open_document.hpp"
#include "ui/model/prediction_tracker.hpp"

// Applying commands to the view needs no window either.
#ifdef IMGUI_VERSION
#error "view_navigation.hpp includes imgui.h"
#endif

namespace wirestep::gui {
namespace ui_view_navigation_test {

class ViewNavigation : public ::testing::Test {
 protected:
  void open(const std::string& lesson) {
    ASSERT_EQ(doc_.open(testing::source_path("scenarios/" + lesson)), std::nullopt);
    show_new_document(view_, doc());
  }
  const Document& doc() const { return doc_.doc(); }
  // One frame's navigation commands, as `set` fills them in.
  template <typename Set>
  void navigate(Set&& set) {
    NavigationCommands c;
    set(c);
    apply_navigation(view_, doc(), prediction_.session(), c);
  }
  void start_predicting() {
    prediction_.set_enabled(true);
    view_.cursor = Cursor{doc().begin_ns, std::nullopt};
    prediction_.update(doc(), view_.cursor, view_.filters.relative_seq);
  }

  OpenDocument doc_;
  ViewState view_;
  PredictionTracker prediction_;
};

TEST_F(ViewNavigation, NewDocumentOpensFittedWithTheCursorWhereTheLastPacketArrived) {
  // The whole diagram drawn, nothing selected, not playing; Space replays from the start.
  open("tcp-handshake.toml");
  view_.selected = PacketRef{0, 1};
  view_.hovered = PacketRef{0, 2};
  view_.playing = true;
  show_new_document(view_, doc());
  EXPECT_FALSE(view_.selected);
  EXPECT_FALSE(view_.hovered);
  EXPECT_FALSE(view_.playing);
  EXPECT_EQ(view_.cursor.time_ns, doc().focus_end_ns);
  EXPECT_EQ(view_.cursor.step, doc().steps.prev(Cursor{doc().focus_end_ns + 1, std::nullopt}));
  const std::int64_t span = doc().focus_end_ns - doc().begin_ns;
  EXPECT_EQ(view_.view_begin_ns, doc().begin_ns - span * 4 / 100);
  EXPECT_EQ(view_.view_end_ns, doc().focus_end_ns + span * 5 / 100);
}

TEST_F(ViewNavigation, RerunKeepsRangeCursorTimeAndOnlyASelectionTheNewRunHas) {
  // After an edit the user looks at the same place; a selected packet past the new run's end is dropped.
  open("udp-loss.toml");
  ViewState kept = view_;
  kept.view_begin_ns = 5'000'000;
  kept.view_end_ns = 45'000'000;
  kept.cursor = Cursor{30'000'000, std::nullopt};
  kept.selected = PacketRef{0, 3};
  show_new_document(view_, doc());
  keep_view_across_rerun(view_, kept, doc());
  EXPECT_EQ(view_.view_begin_ns, kept.view_begin_ns);
  EXPECT_EQ(view_.view_end_ns, kept.view_end_ns);
  EXPECT_EQ(view_.cursor.time_ns, 30'000'000);
  EXPECT_EQ(view_.cursor.step, doc().steps.prev(Cursor{30'000'001, std::nullopt}));
  EXPECT_EQ(view_.selected, kept.selected);

  kept.selected = PacketRef{0, static_cast<std::uint32_t>(doc().traces[0]->trace.packet_count())};
  kept.cursor.time_ns = doc().end_ns + 1'000'000'000;
  show_new_document(view_, doc());
  keep_view_across_rerun(view_, kept, doc());
  EXPECT_FALSE(view_.selected);
  EXPECT_EQ(view_.cursor.time_ns, doc().end_ns) << "the cursor stays inside the run";
}

TEST_F(ViewNavigation, StepForwardOntoTheHiddenSegmentWaitsForAGuess) {
  // Prediction mode: stepping stops on the step before the hidden segment is sent, and says so.
  open("tcp-handshake.toml");
  start_predicting();
  const auto question = prediction_.session().question_step();
  ASSERT_TRUE(question);
  for (int i = 0; i < 50 && !prediction_.session().blocked(); ++i) {
    navigate([](NavigationCommands& c) { c.step = +1; });
    prediction_.update(doc(), view_.cursor, view_.filters.relative_seq);
  }
  ASSERT_TRUE(prediction_.session().blocked());
  EXPECT_EQ(doc().steps.next(view_.cursor), question);
  EXPECT_LT(view_.cursor.time_ns, question->time_ns + 1);

  // The guess reveals it; the next step goes onto it and selects the segment.
  PredictionGuess show;
  show.shown = true;
  prediction_.session().submit(show);
  navigate([](NavigationCommands& c) { c.step = +1; });
  EXPECT_EQ(view_.cursor.step, question);
  EXPECT_EQ(view_.selected, (PacketRef{question->trace, question->index}));
}

TEST_F(ViewNavigation, PlaybackStopsJustBeforeTheHiddenSegment) {
  // However long the frame, playing never shows the hidden segment leaving.
  open("tcp-handshake.toml");
  start_predicting();
  const auto question = prediction_.session().question_step();
  ASSERT_TRUE(question);
  view_.playing = true;
  view_.speed = 1000.0;
  advance_play(view_, doc(), prediction_.session(), 10.0);
  EXPECT_FALSE(view_.playing);
  EXPECT_TRUE(prediction_.session().blocked());
  EXPECT_LT(view_.cursor.time_ns, question->time_ns + 1);
  EXPECT_EQ(doc().steps.next(view_.cursor), question);
}

TEST_F(ViewNavigation, PlayAtTheEndStartsAgainFromTheBeginningInTheOpeningView) {
  open("udp-loss.toml");
  navigate([](NavigationCommands& c) { c.to_end = true; });
  EXPECT_EQ(view_.cursor.time_ns, doc().end_ns);
  view_.view_begin_ns = view_.view_end_ns - 1000;
  navigate([](NavigationCommands& c) { c.toggle_play = true; });
  EXPECT_TRUE(view_.playing);
  EXPECT_EQ(view_.cursor.time_ns, doc().begin_ns);
  ViewState fitted;
  fit_view(fitted, doc());
  EXPECT_EQ(view_.view_begin_ns, fitted.view_begin_ns);
  EXPECT_EQ(view_.view_end_ns, fitted.view_end_ns);
}

TEST_F(ViewNavigation, CommandsMoveTheCursorInsideTheRunAndTheViewOnlyForward) {
  // A cursor dragged past the run stops at its ends; an empty or reversed range is ignored.
  open("udp-loss.toml");
  navigate([](NavigationCommands& c) { c.set_cursor_ns = -5; });
  EXPECT_EQ(view_.cursor.time_ns, doc().begin_ns);
  navigate([](NavigationCommands& c) { c.set_cursor_ns = INT64_MAX; });
  EXPECT_EQ(view_.cursor.time_ns, doc().end_ns);
  const ViewState before = view_;
  navigate([](NavigationCommands& c) { c.set_view = {50, 50}; });
  EXPECT_EQ(view_.view_begin_ns, before.view_begin_ns);
  navigate([](NavigationCommands& c) { c.set_view = {10, 90}; });
  EXPECT_EQ(view_.view_begin_ns, 10);
  EXPECT_EQ(view_.view_end_ns, 90);
  navigate([](NavigationCommands& c) { c.speed = 1e9; });
  EXPECT_EQ(view_.speed, 1000.0);
}

TEST(ViewSelection, HoverLastsOneFrameAndASelectionUntilCleared) {
  ViewState v;
  SelectionCommands c;
  c.select = PacketRef{0, 4};
  c.hover = PacketRef{0, 5};
  apply_selection(v, c);
  EXPECT_EQ(v.selected, (PacketRef{0, 4}));
  EXPECT_EQ(v.hovered, (PacketRef{0, 5}));
  apply_selection(v, SelectionCommands{});
  EXPECT_EQ(v.selected, (PacketRef{0, 4}));
  EXPECT_FALSE(v.hovered);
  c = SelectionCommands{};
  c.clear = true;
  apply_selection(v, c);
  EXPECT_FALSE(v.selected);
}

TEST(ViewLive, FollowingKeepsTheNewestPacketNearTheBottomAtTheUsersZoom) {
  // The view scrolls when the newest packet nears its bottom edge or leaves it (or when asked), keeping its
  // span; the cursor always sits on the newest packet.
  Document doc;
  doc.end_ns = 2'000'000'000;
  ViewState v;
  show_live_start(v);
  EXPECT_EQ(v.view_begin_ns, -40'000'000);
  EXPECT_EQ(v.view_end_ns, 1'000'000'000);
  const std::int64_t span = v.view_end_ns - v.view_begin_ns;
  follow_newest(v, doc, false);
  EXPECT_EQ(v.view_end_ns - v.view_begin_ns, span);
  EXPECT_EQ(v.view_end_ns, doc.end_ns + span / 20);
  EXPECT_EQ(v.cursor.time_ns, doc.end_ns);

  // Further packets keep the newest at the same place near the bottom.
  doc.end_ns += 1'000'000;
  follow_newest(v, doc, false);
  EXPECT_EQ(v.view_end_ns, doc.end_ns + span / 20);
  // The newest well inside the view (the user scrolled down): no scroll, but the cursor moves to it.
  v.view_begin_ns += span / 2;
  v.view_end_ns += span / 2;
  doc.end_ns += 1'000'000;
  const ViewState before = v;
  follow_newest(v, doc, false);
  EXPECT_EQ(v.view_begin_ns, before.view_begin_ns);
  EXPECT_EQ(v.cursor.time_ns, doc.end_ns);
  follow_newest(v, doc, true);
  EXPECT_EQ(v.view_end_ns, doc.end_ns + span / 20);
}

}  // namespace ui_view_navigation_test
}  // namespace wirestep::gui
