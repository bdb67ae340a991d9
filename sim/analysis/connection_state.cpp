#include "sim/analysis/connection_state.hpp"

#include "sim/analysis/tcp_end_state.hpp"
#include "sim/wire/transport.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <utility>

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

namespace {

// "bind((\"\", 80))" -> ("", 80): the address and port a program bound (sim/net/host.cpp writes the call).
std::optional<std::pair<std::string, std::uint16_t>> parse_bind(std::string_view detail) {
  if (!detail.starts_with("bind((\"")) return std::nullopt;
  const auto quote = detail.find('"', 7);
  const auto comma = detail.find(", ", 7);
  if (quote == std::string_view::npos || comma == std::string_view::npos || comma < quote)
    return std::nullopt;
  unsigned port = 0;
  std::size_t digits = 0;
  for (std::size_t i = comma + 2; i < detail.size() && detail[i] >= '0' && detail[i] <= '9' && digits < 6;
       ++i, ++digits)
    port = port * 10 + static_cast<unsigned>(detail[i] - '0');
  if (digits == 0 || port > 65535) return std::nullopt;
  return std::pair{std::string(detail.substr(7, quote - 7)), static_cast<std::uint16_t>(port)};
}

// The SYN a socket sent right after its first state change (SYN-SENT or SYN-RECEIVED): the simulator
// records the state change, then the segment it causes, so it is among the next few packets at that time.
std::optional<std::size_t> syn_after(const Trace& trace, std::uint32_t host, std::uint32_t packets_before,
                                     std::int64_t time_ns) {
  const auto& flows = trace.flows();
  const std::size_t end = std::min<std::size_t>(trace.packet_count(), std::size_t{packets_before} + 64);
  for (std::size_t i = packets_before; i < end; ++i) {
    if (trace.packet_times_ns()[i] != time_ns) break;
    const std::uint32_t f = trace.flow_of(i);
    if (f >= flows.size() || flows[f].proto != Transport::Tcp) continue;
    const std::uint32_t sender = trace.direction(i) == Direction::AtoB ? flows[f].a_host : flows[f].b_host;
    if (sender == host && (trace.tcp_flags(i) & wire::tcp_flag::kSyn)) return i;
  }
  return std::nullopt;
}

}  // namespace

void ConnectionStates::build(const Trace& trace) {
  endpoints_.clear();
  by_packet_ = false;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> index;
  auto endpoint = [&](std::uint32_t host, std::uint32_t socket) -> Endpoint& {
    auto [it, added] = index.try_emplace({host, socket}, endpoints_.size());
    if (added) {
      Endpoint ep;
      ep.host = host;
      ep.socket = socket;
      endpoints_.push_back(std::move(ep));
    }
    return endpoints_[it->second];
  };
  // Per socket: its first event, its bind(), and the accept() that returned it.
  struct Seen {
    std::uint32_t event = 0;
    std::int64_t time_ns = 0;
    std::optional<std::pair<std::string, std::uint16_t>> bound;
    std::optional<std::uint32_t> accepted_event;
    std::int64_t accepted_ns = 0;
    std::uint32_t first_change_packets_before = 0;
  };
  std::map<std::pair<std::uint32_t, std::uint32_t>, Seen> seen;
  auto first_seen = [&](std::uint32_t host, std::uint32_t socket, std::size_t e, std::int64_t t) -> Seen& {
    auto [it, added] = seen.try_emplace({host, socket});
    if (added) {
      it->second.event = static_cast<std::uint32_t>(e);
      it->second.time_ns = t;
    }
    return it->second;
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
      if (ep.changes.empty())
        first_seen(ev.host, ev.socket, e, ev.time.ns).first_change_packets_before = ev.packets_before;
      ep.changes.push_back({static_cast<std::uint32_t>(e), ev.time.ns, from, to,
                            colon == std::string::npos ? std::string() : ev.detail.substr(colon + 2)});
      if (to == TcpState::Listen) ep.listener = true;
    } else if (kind == EventKind::Variable) {
      const TraceEvent ev = trace.event(e);
      if (ev.code >= kTraceVarCount) continue;
      // Variables of sockets that never changed state (none today) are still kept: they may later.
      endpoint(ev.host, ev.socket).vars[ev.code].push_back({static_cast<std::uint32_t>(e), ev.value});
    } else if (kind == EventKind::SocketCall || kind == EventKind::SocketReturn) {
      const TraceEvent ev = trace.event(e);
      if (ev.socket == TraceEvent::kNone) continue;
      Seen& s = first_seen(ev.host, ev.socket, e, ev.time.ns);
      if (kind == EventKind::SocketCall) {
        if (auto b = parse_bind(ev.detail)) s.bound = std::move(b);
      } else if (ev.detail.starts_with("accept -> new fd") && ev.value >= 0 && ev.value < 0xFFFFFFFF) {
        // sim/net/host_tcp.cpp: accept's return names the new socket in `value` (seed note 11.6).
        Seen& child = first_seen(ev.host, static_cast<std::uint32_t>(ev.value), e, ev.time.ns);
        child.accepted_event = static_cast<std::uint32_t>(e);
        child.accepted_ns = ev.time.ns;
      }
    }
  }
  // Endpoints with variables but no state (should not happen) would show as CLOSED; drop them.
  std::erase_if(endpoints_, [](const Endpoint& ep) { return ep.changes.empty(); });

  const auto& flows = trace.flows();
  const auto& hosts = trace.hosts();
  for (Endpoint& ep : endpoints_) {
    const auto it = seen.find({ep.host, ep.socket});
    if (it == seen.end()) continue;  // cannot happen: its first state change is seen
    const Seen& s = it->second;
    ep.created_event = s.event;
    ep.created_ns = s.time_ns;
    ep.accepted_event = s.accepted_event;
    ep.accepted_ns = s.accepted_ns;
    if (ep.listener) {
      // RFC 9293 §3.3.2: a passive socket has no peer; bound to "" it takes clients on every address.
      if (s.bound)
        ep.local = (s.bound->first.empty() ? std::string("0.0.0.0") : s.bound->first) + ":" +
                   std::to_string(s.bound->second);
      continue;
    }
    if (const auto syn =
            syn_after(trace, ep.host, s.first_change_packets_before, ep.changes.front().time_ns)) {
      const std::uint32_t f = trace.flow_of(*syn);
      const TraceFlow& fl = flows[f];
      const bool a_sent = trace.direction(*syn) == Direction::AtoB;
      ep.flow = f;
      ep.local = wire::endpoint_to_string(a_sent ? fl.a : fl.b, a_sent ? fl.a_port : fl.b_port);
      ep.peer = wire::endpoint_to_string(a_sent ? fl.b : fl.a, a_sent ? fl.b_port : fl.a_port);
    } else if (ep.host < hosts.size() && s.bound) {
      ep.local = wire::endpoint_to_string(hosts[ep.host].addr, s.bound->second);
    }
  }
  group_by_host(trace);
}

void ConnectionStates::group_by_host(const Trace& trace) {
  hosts_.clear();
  std::map<std::uint32_t, std::size_t> slot;
  for (std::size_t e = 0; e < endpoints_.size(); ++e) {
    const Endpoint& ep = endpoints_[e];
    auto [it, added] = slot.try_emplace(ep.host, hosts_.size());
    if (added) {
      HostSockets h;
      h.host = ep.host;
      if (by_packet_) {
        h.name = h.address =
            ep.label.substr(0, ep.label.rfind(':'));  // a capture: the address of "addr:port"
      } else if (ep.host < trace.hosts().size()) {
        h.name = trace.hosts()[ep.host].name;
        h.address = trace.hosts()[ep.host].addr.to_string();
      }
      hosts_.push_back(std::move(h));
    }
    hosts_[it->second].endpoints.push_back(e);
  }
  for (HostSockets& h : hosts_)
    std::stable_sort(h.endpoints.begin(), h.endpoints.end(), [&](std::size_t a, std::size_t b) {
      const Endpoint &x = endpoints_[a], &y = endpoints_[b];
      if (x.listener != y.listener) return x.listener;
      return x.created_event < y.created_event;
    });
}

void ConnectionStates::build_inferred(const Trace& trace, std::size_t max_connections) {
  endpoints_.clear();
  hosts_.clear();
  by_packet_ = true;
  const auto& flows = trace.flows();
  // Trace flow -> its observer and the index of its first endpoint; only the first few TCP flows.
  struct Watched {
    TcpEndStates ends;
    std::size_t first_endpoint = 0;
  };
  std::map<std::uint32_t, Watched> watched;
  std::map<std::string, std::uint32_t> address_ids;
  for (std::uint32_t f = 0; f < flows.size() && watched.size() < max_connections; ++f) {
    if (flows[f].proto != Transport::Tcp) continue;
    watched[f].first_endpoint = endpoints_.size();
    // Each end of a connection is one socket; its host is its address (numbered in order of appearance).
    const std::string a = wire::endpoint_to_string(flows[f].a, flows[f].a_port);
    const std::string b = wire::endpoint_to_string(flows[f].b, flows[f].b_port);
    for (int end = 0; end < 2; ++end) {
      Endpoint ep;
      const std::string addr = (end == 0 ? flows[f].a : flows[f].b).to_string();
      ep.host = address_ids.try_emplace(addr, static_cast<std::uint32_t>(address_ids.size())).first->second;
      ep.socket = static_cast<std::uint32_t>(end);
      ep.label = end == 0 ? a : b;
      ep.local = ep.label;
      ep.peer = end == 0 ? b : a;
      ep.flow = f;
      endpoints_.push_back(std::move(ep));
    }
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
  for (Endpoint& ep : endpoints_) {
    ep.created_event = ep.changes.front().event;
    ep.created_ns = ep.changes.front().time_ns;
  }
  group_by_host(trace);
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
