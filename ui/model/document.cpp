#include "ui/model/document.hpp"

#include <algorithm>
#include <climits>

#include "sim/analysis/flow_list.hpp"

namespace wirestep {

void finish_document(Document& d, std::uint64_t generation) {
  d.begin_ns = INT64_MAX;
  d.end_ns = INT64_MIN;
  d.focus_end_ns = INT64_MIN;
  for (auto& lt : d.traces) {
    if (!lt->rel) index_trace(*lt, d.capture);
    const Trace& t = lt->trace;
    const auto times = t.packet_times_ns();
    if (!times.empty()) {
      d.begin_ns = std::min(d.begin_ns, d.capture ? times.front() : std::int64_t{0});
      d.end_ns = std::max(d.end_ns, times.back() + lt->max_flight_ns);
      d.focus_end_ns = std::max(d.focus_end_ns, times.back() + lt->max_flight_ns);
    }
    if (t.event_count()) {
      d.begin_ns = std::min(d.begin_ns, t.event_time(0).ns);
      d.end_ns = std::max(d.end_ns, t.event_time(t.event_count() - 1).ns);
    }
  }
  if (d.begin_ns == INT64_MAX) d.begin_ns = 0;
  if (d.end_ns <= d.begin_ns) d.end_ns = d.begin_ns + 1'000'000;
  if (d.focus_end_ns <= d.begin_ns) d.focus_end_ns = d.end_ns;
  d.generation = generation;
  // The step index points at the Traces; they stay where they are when the document moves (each is held by
  // a unique_ptr), so it is built here once.
  d.steps.clear();
  for (auto& lt : d.traces) d.steps.add_trace(lt->trace);
}

std::size_t packet_count(const Document& d) {
  std::size_t packets = 0;
  for (const auto& lt : d.traces) packets += lt->trace.packet_count();
  return packets;
}

bool prefers_overview(const Document& d) {
  if (!d.capture || !d.flows) return false;
  if (d.flows->rows().size() > kOverviewConversations) return true;
  const LoadedTrace* whole = d.whole_capture    ? d.whole_capture.get()
                             : d.traces.empty() ? nullptr
                                                : d.traces[0].get();
  return whole && whole->columns.size() >= kMaxLadderColumns;
}

}  // namespace wirestep
