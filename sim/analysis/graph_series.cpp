#include "sim/analysis/graph_series.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "sim/trace/hop_copy.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {
namespace {

constexpr std::size_t kFanout = 16;  // points per pyramid block: a query reads at most 2·15 per level

bool is_lost(Fate f) {
  return f == Fate::DroppedByLink || f == Fate::DroppedByQueue || f == Fate::DroppedByHost;
}

bool is_retransmission_cause(Cause c) {
  return c == Cause::RtoRetransmission || c == Cause::FastRetransmission ||
         c == Cause::RecoveryRetransmission || c == Cause::RackRetransmission || c == Cause::TailLossProbe;
}

// Copies the link made, and a router's or switch's copy one hop further (hop_copy.hpp), are not something
// the sender sent: graphs of what the sender did leave them out.
bool is_link_copy(const Trace& trace, std::size_t i) {
  return (trace.marks(i) & mark::kDuplicate) != 0 || is_hop_copy(trace, i);
}

// Relative sequence numbers are 32-bit; a long transfer wraps them. Each value is taken as the nearest
// 64-bit number to the previous one (RFC 9293 §3.4: sequence space is compared modulo 2^32).
class Unwrap {
 public:
  std::int64_t operator()(std::uint32_t x) {
    if (!seen_) {
      seen_ = true;
      last_ = x;
      return last_;
    }
    last_ += static_cast<std::int32_t>(x - static_cast<std::uint32_t>(last_));
    return last_;
  }

 private:
  bool seen_ = false;
  std::int64_t last_ = 0;
};

}  // namespace

// ------------------------------------------------------------------------------------------------ Series

void Series::add_point(std::int64_t time_ns, std::int64_t value) {
  time_ns_.push_back(time_ns);
  lo_.push_back(value);
  if (!hi_.empty()) hi_.push_back(value);
}

void Series::add_bar(std::int64_t time_ns, std::int64_t lo, std::int64_t hi) {
  // A bar series stores hi for every point; points added before the first bar get hi = lo.
  if (hi_.size() < lo_.size()) hi_.assign(lo_.begin(), lo_.end());
  time_ns_.push_back(time_ns);
  lo_.push_back(lo);
  hi_.push_back(hi);
}

void Series::finish() {
  levels_.clear();
  if (time_ns_.empty()) return;
  std::vector<MinMax> level((size() + kFanout - 1) / kFanout);
  for (std::size_t i = 0; i < size(); ++i) level[i / kFanout].add(lo(i), hi(i));
  levels_.push_back(std::move(level));
  while (levels_.back().size() > 1) {
    const std::vector<MinMax>& below = levels_.back();
    std::vector<MinMax> above((below.size() + kFanout - 1) / kFanout);
    for (std::size_t j = 0; j < below.size(); ++j) above[j / kFanout].add(below[j]);
    levels_.push_back(std::move(above));
  }
}

MinMax Series::range(std::size_t first, std::size_t last) const {
  MinMax r;
  last = std::min(last, size());
  if (first >= last) return r;
  if (levels_.empty()) {
    // Not finished: a linear scan (only tests and tiny series get here).
    for (std::size_t i = first; i < last; ++i) r.add(lo(i), hi(i));
    return r;
  }
  // Peel unaligned points off both ends, then continue one level up with whole blocks.
  std::size_t l = first, h = last;
  for (; l < h && l % kFanout != 0; ++l) r.add(lo(l), hi(l));
  for (; l < h && h % kFanout != 0; --h) r.add(lo(h - 1), hi(h - 1));
  l /= kFanout;
  h /= kFanout;
  for (std::size_t k = 0; k < levels_.size() && l < h; ++k) {
    const std::vector<MinMax>& level = levels_[k];
    while (l < h && l % kFanout != 0) r.add(level[l++]);
    while (l < h && h % kFanout != 0) r.add(level[--h]);
    l /= kFanout;
    h /= kFanout;
  }
  return r;
}

IndexRange Series::between(std::int64_t begin_ns, std::int64_t end_ns) const {
  const auto lo_it = std::lower_bound(time_ns_.begin(), time_ns_.end(), begin_ns);
  const auto hi_it = std::upper_bound(lo_it, time_ns_.end(), end_ns);
  return {static_cast<std::size_t>(lo_it - time_ns_.begin()),
          static_cast<std::size_t>(hi_it - time_ns_.begin())};
}

std::optional<std::size_t> Series::last_at_or_before(std::int64_t t_ns) const {
  const auto it = std::upper_bound(time_ns_.begin(), time_ns_.end(), t_ns);
  if (it == time_ns_.begin()) return std::nullopt;
  return static_cast<std::size_t>(it - time_ns_.begin()) - 1;
}

// ------------------------------------------------------------------------------------------ flow choice

std::vector<FlowDirection> list_flow_directions(const Trace& trace, std::uint32_t trace_index) {
  const auto& flows = trace.flows();
  std::vector<std::array<FlowDirection, 2>> per_flow(flows.size());
  for (std::size_t f = 0; f < flows.size(); ++f)
    for (int d = 0; d < 2; ++d)
      per_flow[f][d] = {trace_index, static_cast<std::uint32_t>(f), static_cast<Direction>(d),
                        flows[f].proto};
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    const std::uint32_t f = trace.flow_of(i);
    if (f >= per_flow.size() || is_link_copy(trace, i)) continue;
    FlowDirection& fd = per_flow[f][static_cast<int>(trace.direction(i))];
    fd.payload_bytes += trace.payload_len(i);
    ++fd.packets;
  }
  std::vector<FlowDirection> out;
  for (const auto& both : per_flow)
    for (const FlowDirection& fd : both)
      if (fd.packets && (fd.proto == Transport::Tcp || fd.proto == Transport::Udp)) out.push_back(fd);
  return out;
}

std::optional<std::size_t> default_flow_direction(std::span<const FlowDirection> choices) {
  if (choices.empty()) return std::nullopt;
  const auto tcp = std::find_if(choices.begin(), choices.end(),
                                [](const FlowDirection& fd) { return fd.proto == Transport::Tcp; });
  const FlowDirection& pick = tcp != choices.end() ? *tcp : choices.front();
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (choices[i].trace != pick.trace || choices[i].flow != pick.flow) continue;
    if (!best || choices[i].payload_bytes > choices[*best].payload_bytes) best = i;
  }
  return best;
}

std::string flow_direction_label(const Trace& trace, const FlowDirection& fd) {
  const TraceFlow& f = trace.flows().at(fd.flow);
  auto end = [&](std::uint32_t host, const wire::IpAddr& addr, std::uint16_t port) {
    const std::string name = host < trace.hosts().size() ? trace.hosts()[host].name : addr.to_string();
    return name + ":" + std::to_string(port);
  };
  const std::string a = end(f.a_host, f.a, f.a_port), b = end(f.b_host, f.b, f.b_port);
  return fd.dir == Direction::AtoB ? a + " \xE2\x86\x92 " + b : b + " \xE2\x86\x92 " + a;  // "→"
}

// ------------------------------------------------------------------------------------ sequence vs time

SeqGraph build_seq_graph(const Trace& trace, const RelativeSeq& rel, std::uint32_t flow, Direction dir) {
  SeqGraph g;
  if (flow >= trace.flows().size() || trace.flows()[flow].proto != Transport::Tcp) return g;
  const Direction back = opposite(dir);
  bool have_isn = false;
  Unwrap seq_unwrap, ack_unwrap;
  std::int64_t highest_end = INT64_MIN;
  // RFC 7323 §2.2: windows are scaled only when both SYNs carried the option; SYN windows never are.
  std::array<bool, 2> syn_seen{};
  std::array<std::optional<std::uint8_t>, 2> wscale{};
  struct AckSeen {
    std::int64_t time_ns;
    std::int64_t ack;
    std::int64_t window_edge;
  };
  std::vector<AckSeen> acks;
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    if (trace.flow_of(i) != flow || is_link_copy(trace, i)) continue;
    const PacketRecord p = trace.packet(i);
    const int d = static_cast<int>(p.dir);
    if (p.tcp_flags & wire::tcp_flag::kSyn) {
      syn_seen[d] = true;
      wscale[d] = p.options ? p.options->window_scale : std::nullopt;
    }
    if (p.dir == dir) {
      if (!have_isn) {
        g.isn = p.seq - rel.seq(flow, dir, p.seq);
        have_isn = true;
      }
      if (p.payload_len == 0) continue;
      const std::int64_t lo = seq_unwrap(rel.seq(flow, dir, p.seq));
      const std::int64_t hi = lo + p.payload_len;
      // Captures carry no cause: like tcptrace, a segment ending at or below the highest byte sent so far is
      // a retransmission.
      const bool retransmission =
          is_retransmission_cause(p.cause) || (p.cause == Cause::Captured && hi <= highest_end);
      (retransmission ? g.retransmitted : g.first_sent).add_bar(p.time.ns, lo, hi);
      highest_end = std::max(highest_end, hi);
      if (is_lost(p.fate)) g.lost.add_point(p.time.ns, hi);
    } else if (p.dir == back && (p.tcp_flags & wire::tcp_flag::kAck) &&
               (p.fate == Fate::Delivered || p.fate == Fate::Captured)) {
      // The sender sees an ACK when it arrives (a capture: when it was captured).
      const std::int64_t seen = p.fate == Fate::Captured ? p.time.ns : p.arrive.ns;
      const std::int64_t ack = ack_unwrap(rel.ack(flow, p.dir, p.ack));
      const bool scaled =
          !(p.tcp_flags & wire::tcp_flag::kSyn) && syn_seen[0] && syn_seen[1] && wscale[0] && wscale[1];
      const std::int64_t window = static_cast<std::int64_t>(p.window) << (scaled ? *wscale[d] : 0);
      acks.push_back({seen, ack, ack + window});
    }
  }
  // Arrival order differs from send order when the link reorders.
  std::stable_sort(acks.begin(), acks.end(),
                   [](const AckSeen& a, const AckSeen& b) { return a.time_ns < b.time_ns; });
  std::int64_t cumulative = INT64_MIN;
  for (const AckSeen& a : acks) {
    // An old ACK overtaken by a newer one does not move the sender's snd.una back (RFC 9293 §3.10.7.4).
    cumulative = std::max(cumulative, a.ack);
    g.acked.add_point(a.time_ns, cumulative);
    g.window.add_point(a.time_ns, a.window_edge);
  }
  for (Series* s : {&g.first_sent, &g.retransmitted, &g.lost, &g.acked, &g.window}) s->finish();
  return g;
}

// --------------------------------------------------------------------------------- congestion window

std::optional<std::size_t> sending_endpoint(const Trace& trace, const ConnectionStates& states,
                                            std::uint32_t flow, Direction dir, std::uint32_t isn) {
  if (flow >= trace.flows().size()) return std::nullopt;
  const TraceFlow& f = trace.flows()[flow];
  const std::uint32_t host = dir == Direction::AtoB ? f.a_host : f.b_host;
  if (host == TraceFlow::kNoHost) return std::nullopt;
  const auto& eps = states.endpoints();
  std::optional<std::size_t> first_with_cwnd;
  for (std::size_t e = 0; e < eps.size(); ++e) {
    if (eps[e].host != host) continue;
    const auto& una = eps[e].vars[static_cast<std::size_t>(TraceVar::SndUna)];
    if (!una.empty() && static_cast<std::uint32_t>(una.front().value) == isn) return e;
    if (!first_with_cwnd && !eps[e].vars[static_cast<std::size_t>(TraceVar::Cwnd)].empty())
      first_with_cwnd = e;
  }
  return first_with_cwnd;
}

Series variable_history(const Trace& trace, const ConnectionStates::Endpoint& endpoint, TraceVar var) {
  Series s;
  // Sequence variables wrap at 2^32 like the numbers on the wire; their history should not fall off a cliff.
  const bool sequence = var == TraceVar::SndUna || var == TraceVar::SndNxt || var == TraceVar::RcvNxt;
  Unwrap unwrap;
  for (const auto& v : endpoint.vars.at(static_cast<std::size_t>(var))) {
    if (var == TraceVar::Ssthresh && v.value >= kInfiniteSsthresh) continue;
    s.add_point(trace.event_time(v.event).ns,
                sequence ? unwrap(static_cast<std::uint32_t>(v.value)) : v.value);
  }
  s.finish();
  return s;
}

CwndGraph build_cwnd_graph(const Trace& trace, const ConnectionStates& states, std::uint32_t flow,
                           Direction dir, std::uint32_t isn) {
  CwndGraph g;
  g.endpoint = sending_endpoint(trace, states, flow, dir, isn);
  if (!g.endpoint) return g;
  const auto& ep = states.endpoints()[*g.endpoint];
  g.cwnd = variable_history(trace, ep, TraceVar::Cwnd);
  g.ssthresh = variable_history(trace, ep, TraceVar::Ssthresh);
  return g;
}

// ----------------------------------------------------------------------------------------- throughput

ThroughputSeries build_throughput(const Trace& trace, std::uint32_t flow, Direction dir) {
  ThroughputSeries s;
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    if (trace.flow_of(i) != flow || trace.direction(i) != dir || is_link_copy(trace, i)) continue;
    const std::uint32_t len = trace.payload_len(i);
    if (len == 0) continue;
    total += len;
    s.time_ns.push_back(trace.packet_times_ns()[i]);
    s.bytes_through.push_back(total);
  }
  return s;
}

void throughput_bins(const ThroughputSeries& s, std::int64_t begin_ns, std::int64_t end_ns,
                     std::int64_t bin_ns, std::vector<ThroughputBin>& out) {
  out.clear();
  if (bin_ns <= 0 || end_ns < begin_ns) return;
  // Bytes sent before `t`.
  auto before = [&](std::int64_t t) -> std::uint64_t {
    const auto it = std::lower_bound(s.time_ns.begin(), s.time_ns.end(), t);
    return it == s.time_ns.begin() ? 0
                                   : s.bytes_through[static_cast<std::size_t>(it - s.time_ns.begin()) - 1];
  };
  // Floor division, so bins stay aligned for negative times too.
  std::int64_t b = begin_ns / bin_ns * bin_ns;
  if (b > begin_ns) b -= bin_ns;
  constexpr std::size_t kMaxBins = 100'000;  // far more than any screen has pixels
  std::uint64_t below = before(b);
  for (; b <= end_ns && out.size() < kMaxBins; b += bin_ns) {
    const std::uint64_t through = before(b + bin_ns);
    out.push_back({b, through - below});
    below = through;
  }
}

}  // namespace wirestep
