// The window-free half of the graphs panel: series built once per document from a Trace, and the per-frame
// level of detail that turns them into at most a few records per pixel column.
//
// Graphs (after tcptrace's time-sequence graph and Stevens' figures): sequence number vs time for one
// direction of a TCP flow (each data segment a bar from seq to seq+len at its send time, the cumulative ACK
// the sender has seen, ACK + advertised window, retransmissions and losses marked), cwnd and ssthresh from
// the Trace's variable events, and payload throughput in time bins.
//
// Cost per frame: every series is sorted by time and carries a min/max pyramid, so a pixel column costs one
// binary search plus an O(log n) range query whatever the number of points in it: O(columns · log n), never
// O(packets). Building the series is the only walk over the Trace.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/analysis/connection_state.hpp"
#include "sim/analysis/index_range.hpp"
#include "sim/analysis/relative_seq.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

struct MinMax {
  std::int64_t min = INT64_MAX;
  std::int64_t max = INT64_MIN;
  bool empty() const { return min > max; }
  void add(std::int64_t lo, std::int64_t hi) {
    min = std::min(min, lo);
    max = std::max(max, hi);
  }
  void add(const MinMax& o) { add(o.min, o.max); }
};

// Values over time, in non-decreasing time. A point series has one value per time (the ACK line, cwnd); a
// bar series gives each time a span [lo, hi] (a segment from seq to seq + len).
class Series {
 public:
  void add_point(std::int64_t time_ns, std::int64_t value);
  void add_bar(std::int64_t time_ns, std::int64_t lo, std::int64_t hi);
  // Builds the min/max pyramid; call once after the last add (queries before it see no data).
  void finish();

  std::size_t size() const { return time_ns_.size(); }
  bool empty() const { return time_ns_.empty(); }
  std::span<const std::int64_t> times() const { return time_ns_; }
  std::int64_t time(std::size_t i) const { return time_ns_[i]; }
  std::int64_t lo(std::size_t i) const { return lo_[i]; }
  std::int64_t hi(std::size_t i) const { return hi_.empty() ? lo_[i] : hi_[i]; }

  // Lowest lo and highest hi over points [first, last): O(log n) with the pyramid.
  MinMax range(std::size_t first, std::size_t last) const;
  // Points with time in [begin, end].
  IndexRange between(std::int64_t begin_ns, std::int64_t end_ns) const;
  // The last point at or before `t`, if any (where a step line enters the view).
  std::optional<std::size_t> last_at_or_before(std::int64_t t_ns) const;

 private:
  std::vector<std::int64_t> time_ns_;
  std::vector<std::int64_t> lo_;
  std::vector<std::int64_t> hi_;  // empty for a point series
  // levels_[k][j]: min/max of raw points [j·16^(k+1), (j+1)·16^(k+1)).
  std::vector<std::vector<MinMax>> levels_;
};

// --- What to graph -------------------------------------------------------------------------------------

// One direction of one flow in one of the document's traces.
struct FlowDirection {
  std::uint32_t trace = 0;
  std::uint32_t flow = 0;
  Direction dir = Direction::AtoB;
  Transport proto = Transport::Other;
  std::uint64_t payload_bytes = 0;  // every transmission counted
  std::uint64_t packets = 0;
};

// Every TCP or UDP flow direction that carries packets, in flow order (A->B before B->A). O(packets).
std::vector<FlowDirection> list_flow_directions(const Trace& trace, std::uint32_t trace_index);
// The first TCP flow (else the first flow) in the direction that carries more payload; nullopt if none.
std::optional<std::size_t> default_flow_direction(std::span<const FlowDirection> choices);
// "A:40000 → B:5001" (host names when the run has them, else addresses).
std::string flow_direction_label(const Trace& trace, const FlowDirection& fd);

// --- Sequence number vs time ---------------------------------------------------------------------------

// Sequence numbers are relative to the direction's ISN and unwrapped to 64 bits; `isn` turns them back into
// what is on the wire.
struct SeqGraph {
  Series first_sent;     // bars [seq, seq + len) of data segments sent for the first time
  Series retransmitted;  // bars of retransmissions (RTO, fast, recovery; for captures: below the highest seq)
  Series lost;           // points at seq + len of segments the link, a queue or the host dropped
  Series acked;          // cumulative ACK the sender has seen, at the time it arrived: non-decreasing
  Series window;  // that ACK's ack + advertised window (scaled, RFC 7323 §2.3): where sending must stop
  std::uint32_t isn = 0;
};
SeqGraph build_seq_graph(const Trace& trace, const RelativeSeq& rel, std::uint32_t flow, Direction dir);

// --- Congestion window ---------------------------------------------------------------------------------

struct CwndGraph {
  Series cwnd;
  Series ssthresh;  // "infinite" before the first loss (values >= kInfiniteSsthresh) is left out
  std::optional<std::size_t> endpoint;  // index into ConnectionStates::endpoints(): the sending socket
};
// RFC 5681 §3.1: ssthresh starts "arbitrarily high"; the simulator records it as a huge number.
inline constexpr std::int64_t kInfiniteSsthresh = 0x3FFFFFFF;

// The sending endpoint of `flow`/`dir`: a socket on the sender's host whose first snd.una is the direction's
// ISN (Full traces record snd.una), else the first socket on that host with cwnd events.
std::optional<std::size_t> sending_endpoint(const Trace& trace, const ConnectionStates& states,
                                            std::uint32_t flow, Direction dir, std::uint32_t isn);
CwndGraph build_cwnd_graph(const Trace& trace, const ConnectionStates& states, std::uint32_t flow,
                           Direction dir, std::uint32_t isn);

// One variable's history (a state-panel sparkline): a point per change, at the change's time. ssthresh's
// "infinite" values are left out so the scale shows the real ones.
Series variable_history(const Trace& trace, const ConnectionStates::Endpoint& endpoint, TraceVar var);

// --- Throughput ----------------------------------------------------------------------------------------

// Payload bytes sent in one flow direction, as a running total over send times (prefix sums), so a bin is
// two binary searches.
struct ThroughputSeries {
  std::vector<std::int64_t> time_ns;
  std::vector<std::uint64_t> bytes_through;  // payload bytes of packets [0, i]
  std::uint64_t total() const { return bytes_through.empty() ? 0 : bytes_through.back(); }
};
ThroughputSeries build_throughput(const Trace& trace, std::uint32_t flow, Direction dir);

struct ThroughputBin {
  std::int64_t begin_ns = 0;  // bins are [begin, begin + width), aligned to multiples of the width
  std::uint64_t bytes = 0;
};
// Fills `out` (cleared, capacity kept) with the bins of width `bin_ns` covering [begin_ns, end_ns].
void throughput_bins(const ThroughputSeries& s, std::int64_t begin_ns, std::int64_t end_ns,
                     std::int64_t bin_ns, std::vector<ThroughputBin>& out);
}  // namespace wirestep
