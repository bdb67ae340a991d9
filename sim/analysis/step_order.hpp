// The steps of the step-through animation, in the order they happened: a packet leaving its sender, a
// packet arriving (or being lost), and the events worth a step (socket calls, state changes, timer fires,
// notes). Window-free and unit-tested.
//
// Nothing is materialized per step: each trace keeps its sorted send times (the Trace's own column), an
// index of packets sorted by arrival (4 bytes a packet) and an index of step events, and next/previous are
// three binary searches per trace. Steps that share a timestamp keep the order the simulator recorded them
// in (TraceEvent::packets_before), arrivals first: a segment arrives, then the state changes it causes, then
// the reply goes out.
#pragma once

#include <cstdint>
#include <optional>
#include <tuple>
#include <vector>

#include "sim/trace/trace.hpp"

namespace wirestep {

enum class StepKind : std::uint8_t { Arrive = 0, Send = 1, Event = 2 };

// One stop of the step-through: a packet sent or arriving, or an event, in one of the document's traces.
struct TimelineStep {
  std::uint32_t trace = 0;
  StepKind kind = StepKind::Send;
  std::uint32_t index = 0;  // packet index (Send, Arrive) or event index (Event)
  std::int64_t time_ns = 0;
  bool operator==(const TimelineStep&) const = default;
};

// Where the animation is: a time, and the step it sits on when it got there by stepping.
struct Cursor {
  std::int64_t time_ns = 0;
  std::optional<TimelineStep> step;
};

// Total order of steps: (time, trace, phase, a, b). Arrivals: phase 0, a = packet. Sends: phase 1,
// a = 2*packet+1. Events: phase 1, a = 2*packets_before, b = event index, so an event recorded after
// packet i sorts after i's send.
using StepKey = std::tuple<std::int64_t, std::uint32_t, std::uint8_t, std::uint64_t, std::uint32_t>;

// Events that are steps; variables and timer arm/cancel only change the state panel.
bool is_step_event(EventKind k);

class StepOrder {
 public:
  void clear() { traces_.clear(); }
  // The trace must outlive this object (App owns both). O(n log n) once per loaded trace.
  void add_trace(const Trace& trace);
  std::size_t trace_count() const { return traces_.size(); }

  std::optional<TimelineStep> next(const Cursor& c) const;
  std::optional<TimelineStep> prev(const Cursor& c) const;
  std::optional<TimelineStep> first() const { return next(Cursor{INT64_MIN, std::nullopt}); }
  std::optional<TimelineStep> last() const { return prev(Cursor{INT64_MAX, std::nullopt}); }

  // How many of the trace's events (all kinds, by index) have happened at the cursor: a free cursor at t
  // includes everything at t; a cursor on a step includes exactly the steps up to it.
  std::size_t events_happened(std::uint32_t trace, const Cursor& c) const;

  StepKey key(const TimelineStep& s) const;
  // Packets in arrival order (only those that arrive or are lost: not in-flight, not captured).
  const std::vector<std::uint32_t>& arrivals(std::uint32_t trace) const { return traces_.at(trace).arrivals; }

 private:
  struct PerTrace {
    const Trace* trace = nullptr;
    std::vector<std::uint32_t> arrivals;  // packet indices sorted by (arrive, index)
    std::vector<std::uint32_t> events;    // step event indices, in key order
    std::vector<std::int64_t> arrive_ns;  // arrive time of arrivals[k]
  };
  StepKey cursor_key(const Cursor& c, bool after) const;
  std::vector<PerTrace> traces_;
};

}  // namespace wirestep
