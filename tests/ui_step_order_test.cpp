// The step-through order (sim/analysis/step_order.hpp): sends, arrivals and events in the order they
// happened, next and previous exact in both directions, and how many events have happened at a cursor.
#include <gtest/gtest.h>

#include "sim/analysis/step_order.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace wirestep::gui {
namespace ui_step_order_test {

RunResult run_lesson(const std::string& name) {
  auto sc = load_scenario_file(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/" + name);
  EXPECT_TRUE(sc.ok());
  return run_scenario(*sc);
}

std::vector<TimelineStep> walk_forward(const StepOrder& order) {
  std::vector<TimelineStep> steps;
  Cursor c{INT64_MIN, std::nullopt};
  while (auto s = order.next(c)) {
    steps.push_back(*s);
    c = Cursor{s->time_ns, s};
    if (steps.size() > 100'000) break;
  }
  return steps;
}

TEST(StepOrderHandshake, EveryPacketSendAndArrivalIsAStepInTimeOrder) {
  const RunResult run = run_lesson("tcp-handshake.toml");
  StepOrder order;
  order.add_trace(run.trace);
  const auto steps = walk_forward(order);
  std::size_t sends = 0, arrivals = 0, events = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (i) {
      EXPECT_LE(steps[i - 1].time_ns, steps[i].time_ns) << "step " << i;
    }
    sends += steps[i].kind == StepKind::Send;
    arrivals += steps[i].kind == StepKind::Arrive;
    events += steps[i].kind == StepKind::Event;
  }
  EXPECT_EQ(sends, run.trace.packet_count());
  EXPECT_EQ(arrivals, run.trace.packet_count());  // a clean link: everything arrives
  std::size_t step_events = 0;
  for (std::size_t e = 0; e < run.trace.event_count(); ++e)
    step_events += is_step_event(run.trace.event_kind(e));
  EXPECT_EQ(events, step_events);
}

TEST(StepOrderHandshake, ArrivalComesBeforeTheStateChangeItCausesAndTheReplyAfter) {
  // At the SYN-ACK's arrival A changes to ESTABLISHED and sends its ACK, all in the same nanosecond.
  const RunResult run = run_lesson("tcp-handshake.toml");
  StepOrder order;
  order.add_trace(run.trace);
  const auto steps = walk_forward(order);
  const auto syn_ack = std::find_if(steps.begin(), steps.end(), [](const TimelineStep& s) {
    return s.kind == StepKind::Arrive && s.index == 1;
  });
  ASSERT_NE(syn_ack, steps.end());
  const auto established = std::find_if(syn_ack, steps.end(), [&](const TimelineStep& s) {
    return s.kind == StepKind::Event && run.trace.event_kind(s.index) == EventKind::StateChange;
  });
  const auto ack_sent = std::find_if(
      syn_ack, steps.end(), [](const TimelineStep& s) { return s.kind == StepKind::Send && s.index == 2; });
  ASSERT_NE(established, steps.end());
  ASSERT_NE(ack_sent, steps.end());
  EXPECT_EQ(established->time_ns, syn_ack->time_ns);
  EXPECT_EQ(ack_sent->time_ns, syn_ack->time_ns);
  EXPECT_LT(established - steps.begin(), ack_sent - steps.begin());
}

TEST(StepOrderHandshake, GoingBackIsExactlyTheReverseOfGoingForward) {
  const RunResult run = run_lesson("tcp-handshake.toml");
  StepOrder order;
  order.add_trace(run.trace);
  const auto forward = walk_forward(order);
  ASSERT_FALSE(forward.empty());
  std::vector<TimelineStep> backward;
  Cursor c{INT64_MAX, std::nullopt};
  while (auto s = order.prev(c)) {
    backward.push_back(*s);
    c = Cursor{s->time_ns, s};
    if (backward.size() > forward.size() + 1) break;
  }
  std::reverse(backward.begin(), backward.end());
  EXPECT_EQ(backward, forward);
  EXPECT_EQ(order.first(), forward.front());
  EXPECT_EQ(order.last(), forward.back());
}

TEST(StepOrderCursor, AFreeCursorStepsToTheFirstStepAfterItAndTheLastBefore) {
  const RunResult run = run_lesson("tcp-handshake.toml");
  StepOrder order;
  order.add_trace(run.trace);
  // The SYN leaves at 1 ms and arrives at 11.05 ms; nothing else happens in between.
  const auto next = order.next(Cursor{5'000'000, std::nullopt});
  ASSERT_TRUE(next);
  EXPECT_EQ(next->kind, StepKind::Arrive);
  EXPECT_EQ(next->index, 0u);
  const auto prev = order.prev(Cursor{5'000'000, std::nullopt});
  ASSERT_TRUE(prev);
  EXPECT_EQ(prev->time_ns, 1'000'000);
  EXPECT_LT(prev->time_ns, 5'000'000);
}

TEST(StepOrderCursor, EventsHappenedCountsEverythingUpToTheCursor) {
  const RunResult run = run_lesson("tcp-handshake.toml");
  StepOrder order;
  order.add_trace(run.trace);
  EXPECT_EQ(order.events_happened(0, Cursor{INT64_MIN, std::nullopt}), 0u);
  EXPECT_EQ(order.events_happened(0, Cursor{INT64_MAX, std::nullopt}), run.trace.event_count());
  // On a step, exactly the events up to that step: the step's own event included, later ones at the same time
  // not.
  const auto steps = walk_forward(order);
  for (const TimelineStep& s : steps) {
    if (s.kind != StepKind::Event) continue;
    EXPECT_EQ(order.events_happened(0, Cursor{s.time_ns, s}), s.index + 1u);
  }
}

TEST(StepOrderComparison, TwoTracesInterleaveByTime) {
  const RunResult a = run_lesson("tcp-handshake.toml");
  const RunResult b = run_lesson("udp-sendto.toml");
  StepOrder order;
  order.add_trace(a.trace);
  order.add_trace(b.trace);
  const auto steps = walk_forward(order);
  bool saw[2] = {false, false};
  for (std::size_t i = 0; i < steps.size(); ++i) {
    saw[steps[i].trace] = true;
    if (i) {
      EXPECT_LE(steps[i - 1].time_ns, steps[i].time_ns);
    }
  }
  EXPECT_TRUE(saw[0] && saw[1]);
}

TEST(StepOrderLoss, ALostPacketHasALossStepWhereTheLinkDroppedIt) {
  const RunResult run = run_lesson("udp-loss.toml");
  StepOrder order;
  order.add_trace(run.trace);
  std::size_t lost = 0;
  for (std::size_t i = 0; i < run.trace.packet_count(); ++i) lost += run.trace.fate(i) == Fate::DroppedByLink;
  ASSERT_GT(lost, 0u);
  std::size_t lost_steps = 0;
  for (const TimelineStep& s : walk_forward(order))
    if (s.kind == StepKind::Arrive && run.trace.fate(s.index) == Fate::DroppedByLink) {
      ++lost_steps;
      EXPECT_EQ(s.time_ns, run.trace.packet(s.index).arrive.ns);
    }
  EXPECT_EQ(lost_steps, lost);
}

}  // namespace ui_step_order_test
}  // namespace wirestep::gui
