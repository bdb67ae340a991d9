#include "sim/analysis/connection_state.hpp"

#include "sim/analysis/tcp_end_state.hpp"

#include <algorithm>
#include <map>
#include <string_view>

namespace wirestep {

const std::array<StateBox, 11>& state_diagram_boxes() {
  // The layout of RFC 9293 Figure 5, folded into three columns: opening at the top, the active close down
  // the left, the passive close down the right.
  static const std::array<StateBox, 11> boxes = {{
      {TcpState::Closed, 1, 0},
      {TcpState::Listen, 0, 1},
      {TcpState::SynSent, 2, 1},
      {TcpState::SynReceived, 0, 2},
      {TcpState::Established, 1, 3},
      {TcpState::FinWait1, 0, 4},
      {TcpState::CloseWait, 2, 4},
      {TcpState::FinWait2, 0, 5},
      {TcpState::Closing, 1, 5},
      {TcpState::LastAck, 2, 5},
      {TcpState::TimeWait, 1, 6},
  }};
  return boxes;
}

const std::vector<StateArrow>& state_diagram_arrows() {
  using S = TcpState;
  // RFC 9293 §3.3.2, Figure 5.
  static const std::vector<StateArrow> arrows = {
      {S::Closed, S::Listen},           {S::Closed, S::SynSent},       {S::Listen, S::SynReceived},
      {S::Listen, S::SynSent},          {S::SynSent, S::SynReceived},  {S::SynSent, S::Established},
      {S::SynReceived, S::Established}, {S::SynReceived, S::FinWait1}, {S::Established, S::FinWait1},
      {S::Established, S::CloseWait},   {S::FinWait1, S::FinWait2},    {S::FinWait1, S::Closing},
      {S::FinWait2, S::TimeWait},       {S::Closing, S::TimeWait},     {S::CloseWait, S::LastAck},
      {S::LastAck, S::Closed},          {S::TimeWait, S::Closed},      {S::SynSent, S::Closed},
      {S::Listen, S::Closed},
  };
  return arrows;
}

std::optional<TcpState> parse_from_state(std::string_view detail) {
  const auto arrow = detail.find(" -> ");
  if (arrow == std::string_view::npos) return std::nullopt;
  const std::string_view name = detail.substr(0, arrow);
  for (int s = 0; s <= static_cast<int>(TcpState::TimeWait); ++s)
    if (to_string(static_cast<TcpState>(s)) == name) return static_cast<TcpState>(s);
  return std::nullopt;
}

void ConnectionStates::build(const Trace& trace) {
  endpoints_.clear();
  by_packet_ = false;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> index;
  auto endpoint = [&](std::uint32_t host, std::uint32_t socket) -> Endpoint& {
    auto [it, added] = index.try_emplace({host, socket}, endpoints_.size());
    if (added) endpoints_.push_back(Endpoint{host, socket, {}, {}, {}});
    return endpoints_[it->second];
  };
  for (std::size_t e = 0; e < trace.event_count(); ++e) {
    const EventKind kind = trace.event_kind(e);
    if (kind == EventKind::StateChange) {
      const TraceEvent ev = trace.event(e);
      Endpoint& ep = endpoint(ev.host, ev.socket);
      const auto to = static_cast<TcpState>(ev.value);
      const TcpState from =
          ep.changes.empty() ? parse_from_state(ev.detail).value_or(TcpState::Closed) : ep.changes.back().to;
      const auto colon = ev.detail.find(": ");
      ep.changes.push_back({static_cast<std::uint32_t>(e), ev.time.ns, from, to,
                            colon == std::string::npos ? std::string() : ev.detail.substr(colon + 2)});
    } else if (kind == EventKind::Variable) {
      const TraceEvent ev = trace.event(e);
      if (ev.code >= kTraceVarCount) continue;
      // Variables of sockets that never changed state (none today) are still kept: they may later.
      endpoint(ev.host, ev.socket).vars[ev.code].push_back({static_cast<std::uint32_t>(e), ev.value});
    }
  }
  // Endpoints with variables but no state (should not happen) would show as CLOSED; drop them.
  std::erase_if(endpoints_, [](const Endpoint& ep) { return ep.changes.empty(); });
}

void ConnectionStates::build_inferred(const Trace& trace, std::size_t max_connections) {
  endpoints_.clear();
  by_packet_ = true;
  const auto& flows = trace.flows();
  // Trace flow -> its observer and the index of its first endpoint; only the first few TCP flows.
  struct Watched {
    TcpEndStates ends;
    std::size_t first_endpoint = 0;
  };
  std::map<std::uint32_t, Watched> watched;
  for (std::uint32_t f = 0; f < flows.size() && watched.size() < max_connections; ++f) {
    if (flows[f].proto != Transport::Tcp) continue;
    watched[f].first_endpoint = endpoints_.size();
    endpoints_.push_back(Endpoint{0, 0, wire::endpoint_to_string(flows[f].a, flows[f].a_port), {}, {}});
    endpoints_.push_back(Endpoint{0, 1, wire::endpoint_to_string(flows[f].b, flows[f].b_port), {}, {}});
  }
  if (watched.empty()) return;
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    const auto it = watched.find(trace.flow_of(i));
    if (it == watched.end()) continue;
    Watched& w = it->second;
    const int dir = static_cast<int>(trace.direction(i));
    const std::array<TcpEndState, 2> before{w.ends.state(0), w.ends.state(1)};
    w.ends.on_segment(dir, trace.tcp_flags(i), trace.seq(i), trace.ack(i), trace.payload_len(i));
    for (int end = 0; end < 2; ++end) {
      const TcpEndState now = w.ends.state(end);
      if (!now || now == before[static_cast<std::size_t>(end)]) continue;
      Endpoint& ep = endpoints_[w.first_endpoint + static_cast<std::size_t>(end)];
      // `event` is the packet's index: the change has happened once more than `event` packets were sent.
      ep.changes.push_back({static_cast<std::uint32_t>(i), trace.packet_times_ns()[i],
                            before[static_cast<std::size_t>(end)].value_or(TcpState::Closed), *now,
                            "frame " + std::to_string(i + 1)});
    }
  }
  std::erase_if(endpoints_, [](const Endpoint& ep) { return ep.changes.empty(); });
}

std::optional<EndpointState> ConnectionStates::state_at(std::size_t endpoint,
                                                        std::size_t events_happened) const {
  const Endpoint& ep = endpoints_.at(endpoint);
  const auto it = std::partition_point(ep.changes.begin(), ep.changes.end(),
                                       [&](const Endpoint::Change& c) { return c.event < events_happened; });
  if (it == ep.changes.begin()) return std::nullopt;
  const auto& c = *(it - 1);
  return EndpointState{c.to, c.from, c.event, c.time_ns};
}

std::optional<std::int64_t> ConnectionStates::var_at(std::size_t endpoint, TraceVar v,
                                                     std::size_t events_happened) const {
  const auto& values = endpoints_.at(endpoint).vars.at(static_cast<std::size_t>(v));
  const auto it = std::partition_point(values.begin(), values.end(),
                                       [&](const Endpoint::Value& x) { return x.event < events_happened; });
  if (it == values.begin()) return std::nullopt;
  return (it - 1)->value;
}

}  // namespace wirestep
