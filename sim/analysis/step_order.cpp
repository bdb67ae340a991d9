#include "sim/analysis/step_order.hpp"

#include <algorithm>
#include <limits>

namespace wirestep {

bool is_step_event(EventKind k) {
  switch (k) {
    case EventKind::SocketCall:
    case EventKind::SocketBlocked:
    case EventKind::SocketReturn:
    case EventKind::StateChange:
    case EventKind::TimerFire:
    case EventKind::Note:
      return true;
    case EventKind::TimerArm:
    case EventKind::TimerCancel:
    case EventKind::Variable:
      return false;
  }
  return false;
}

namespace {

bool arrives(Fate f) {
  switch (f) {
    case Fate::Delivered:
    case Fate::DroppedByLink:
    case Fate::DroppedByQueue:
    case Fate::DroppedByHost:
      return true;
    case Fate::InFlight:
    case Fate::Captured:
      return false;
  }
  return false;
}

// First index in [0, n) for which pred is false (pred is true on a prefix).
template <typename Pred>
std::size_t partition_index(std::size_t n, Pred pred) {
  std::size_t lo = 0, hi = n;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (pred(mid))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

StepKey send_key(const Trace& t, std::uint32_t trace, std::size_t i) {
  return {t.packet_times_ns()[i], trace, 1, 2 * static_cast<std::uint64_t>(i) + 1, 0};
}

StepKey event_key(const Trace& t, std::uint32_t trace, std::size_t e) {
  return {t.event_time(e).ns, trace, 1, 2 * static_cast<std::uint64_t>(t.event_packets_before(e)),
          static_cast<std::uint32_t>(e)};
}

}  // namespace

void StepOrder::add_trace(const Trace& trace) {
  PerTrace pt;
  pt.trace = &trace;
  const auto trace_id = static_cast<std::uint32_t>(traces_.size());
  for (std::size_t i = 0; i < trace.packet_count(); ++i)
    if (arrives(trace.fate(i))) pt.arrivals.push_back(static_cast<std::uint32_t>(i));
  pt.arrive_ns.resize(pt.arrivals.size());
  {
    // Arrive times are not a Trace column; read them once and sort by (arrive, index).
    std::vector<std::int64_t> at(trace.packet_count());
    for (std::uint32_t i : pt.arrivals) at[i] = trace.packet(i).arrive.ns;
    std::stable_sort(pt.arrivals.begin(), pt.arrivals.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return at[a] < at[b]; });
    for (std::size_t k = 0; k < pt.arrivals.size(); ++k) pt.arrive_ns[k] = at[pt.arrivals[k]];
  }
  for (std::size_t e = 0; e < trace.event_count(); ++e)
    if (is_step_event(trace.event_kind(e))) pt.events.push_back(static_cast<std::uint32_t>(e));
  // Events are recorded in time order; sorting by key keeps that and guards the binary searches.
  std::stable_sort(pt.events.begin(), pt.events.end(), [&](std::uint32_t a, std::uint32_t b) {
    return event_key(trace, trace_id, a) < event_key(trace, trace_id, b);
  });
  traces_.push_back(std::move(pt));
}

StepKey StepOrder::key(const TimelineStep& s) const {
  const PerTrace& pt = traces_.at(s.trace);
  switch (s.kind) {
    case StepKind::Arrive:
      return {s.time_ns, s.trace, 0, s.index, 0};
    case StepKind::Send:
      return send_key(*pt.trace, s.trace, s.index);
    case StepKind::Event:
      return event_key(*pt.trace, s.trace, s.index);
  }
  return {};
}

StepKey StepOrder::cursor_key(const Cursor& c, bool after) const {
  if (c.step) return key(*c.step);
  if (after)
    return {c.time_ns, std::numeric_limits<std::uint32_t>::max(), std::numeric_limits<std::uint8_t>::max(),
            std::numeric_limits<std::uint64_t>::max(), std::numeric_limits<std::uint32_t>::max()};
  return {c.time_ns, 0, 0, 0, 0};
}

std::optional<TimelineStep> StepOrder::next(const Cursor& c) const {
  const StepKey k = cursor_key(c, true);
  std::optional<TimelineStep> best;
  std::optional<StepKey> best_key;
  auto offer = [&](const TimelineStep& s, const StepKey& sk) {
    if (!best_key || sk < *best_key) {
      best = s;
      best_key = sk;
    }
  };
  for (std::uint32_t t = 0; t < traces_.size(); ++t) {
    const PerTrace& pt = traces_[t];
    const Trace& tr = *pt.trace;
    const auto n = tr.packet_count();
    const std::size_t s = partition_index(n, [&](std::size_t i) { return send_key(tr, t, i) <= k; });
    if (s < n)
      offer(TimelineStep{t, StepKind::Send, static_cast<std::uint32_t>(s), tr.packet_times_ns()[s]},
            send_key(tr, t, s));
    const std::size_t a = partition_index(pt.arrivals.size(), [&](std::size_t j) {
      return StepKey{pt.arrive_ns[j], t, 0, pt.arrivals[j], 0} <= k;
    });
    if (a < pt.arrivals.size()) {
      const TimelineStep st{t, StepKind::Arrive, pt.arrivals[a], pt.arrive_ns[a]};
      offer(st, key(st));
    }
    const auto e =
        std::ranges::partition_point(pt.events, [&](std::uint32_t ev) { return event_key(tr, t, ev) <= k; });
    if (e != pt.events.end())
      offer(TimelineStep{t, StepKind::Event, *e, tr.event_time(*e).ns}, event_key(tr, t, *e));
  }
  return best;
}

std::optional<TimelineStep> StepOrder::prev(const Cursor& c) const {
  const StepKey k = cursor_key(c, false);
  std::optional<TimelineStep> best;
  std::optional<StepKey> best_key;
  auto offer = [&](const TimelineStep& s, const StepKey& sk) {
    if (!best_key || sk > *best_key) {
      best = s;
      best_key = sk;
    }
  };
  for (std::uint32_t t = 0; t < traces_.size(); ++t) {
    const PerTrace& pt = traces_[t];
    const Trace& tr = *pt.trace;
    const auto n = tr.packet_count();
    const std::size_t s = partition_index(n, [&](std::size_t i) { return send_key(tr, t, i) < k; });
    if (s > 0)
      offer(TimelineStep{t, StepKind::Send, static_cast<std::uint32_t>(s - 1), tr.packet_times_ns()[s - 1]},
            send_key(tr, t, s - 1));
    const std::size_t a = partition_index(pt.arrivals.size(), [&](std::size_t j) {
      return StepKey{pt.arrive_ns[j], t, 0, pt.arrivals[j], 0} < k;
    });
    if (a > 0) {
      const TimelineStep st{t, StepKind::Arrive, pt.arrivals[a - 1], pt.arrive_ns[a - 1]};
      offer(st, key(st));
    }
    const auto e =
        std::ranges::partition_point(pt.events, [&](std::uint32_t ev) { return event_key(tr, t, ev) < k; });
    if (e != pt.events.begin()) {
      const std::uint32_t ev = *(e - 1);
      offer(TimelineStep{t, StepKind::Event, ev, tr.event_time(ev).ns}, event_key(tr, t, ev));
    }
  }
  return best;
}

std::size_t StepOrder::events_happened(std::uint32_t trace, const Cursor& c) const {
  const PerTrace& pt = traces_.at(trace);
  const StepKey k = cursor_key(c, true);
  return partition_index(pt.trace->event_count(),
                         [&](std::size_t e) { return event_key(*pt.trace, trace, e) <= k; });
}

}  // namespace wirestep
