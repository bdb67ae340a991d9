#include "ui/model/document.hpp"

#include <algorithm>
#include <climits>
#include <vector>

#include "sim/analysis/flow_list.hpp"

namespace wirestep {

std::optional<std::int64_t> end_of_bulk(std::span<const std::int64_t> sorted_times) {
  const std::size_t n = sorted_times.size();
  if (n < 20) return std::nullopt;
  // The tail: at most 2% of the packets (at least 1, at most 10). Its first packet must follow the bulk
  // after a gap longer than half the bulk's own span.
  const std::size_t tail = std::clamp<std::size_t>(n / 50, 1, 10);
  std::size_t best = 0;
  std::int64_t best_gap = 0;
  for (std::size_t i = n - tail; i < n; ++i) {
    const std::int64_t gap = sorted_times[i] - sorted_times[i - 1];
    if (gap > best_gap) {
      best_gap = gap;
      best = i;
    }
  }
  if (best == 0) return std::nullopt;
  const std::int64_t bulk_span = sorted_times[best - 1] - sorted_times[0];
  if (bulk_span <= 0 || best_gap * 2 <= bulk_span) return std::nullopt;
  return sorted_times[best - 1];
}

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
  // A comparison's axis fits the traffic: one late retransmission (a FIN resent after a long RTO) must not
  // squash a hundred messages into a band. The timeline marks what lies past the view ("+N later").
  if (d.comparison) {
    std::vector<std::int64_t> all;
    std::int64_t flight = 0;
    for (const auto& lt : d.traces) {
      const auto times = lt->trace.packet_times_ns();
      all.insert(all.end(), times.begin(), times.end());
      flight = std::max(flight, lt->max_flight_ns);
    }
    std::sort(all.begin(), all.end());
    if (const auto bulk_end = end_of_bulk(all)) d.focus_end_ns = std::min(d.focus_end_ns, *bulk_end + flight);
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
