#include "sim/net/network.hpp"

#include <algorithm>

#include "sim/wire/ipv4.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {
namespace {
constexpr std::uint32_t kEthernetFraming = 14;  // serialization counts the Ethernet II header too
}

HostId Network::add_host(std::string name, wire::Ipv4Addr addr, int prefix_len) {
  const auto id = static_cast<HostId>(hosts_.size());
  trace_.add_host(TraceHost{name, wire::IpAddr::from_v4(addr), prefix_len});
  hosts_.push_back(std::make_unique<Host>(*this, id, std::move(name), addr, prefix_len));
  forget_paths();
  return id;
}

std::optional<HostId> Network::host_by_addr(wire::Ipv4Addr addr) const {
  for (const auto& h : hosts_)
    if (h->owns(addr)) return h->index();
  return std::nullopt;
}

std::optional<HostId> Network::host_by_name(const std::string& name) const {
  for (const auto& h : hosts_)
    if (h->name() == name) return h->index();
  return std::nullopt;
}

void Network::connect(HostId a, HostId b, LinkParams a_to_b, LinkParams b_to_a) {
  const std::string an = hosts_.at(a)->name(), bn = hosts_.at(b)->name();
  links_[{a, b}] = std::make_unique<LinkDirection>(an + ">" + bn, std::move(a_to_b), seed_, trace_);
  links_[{b, a}] = std::make_unique<LinkDirection>(bn + ">" + an, std::move(b_to_a), seed_, trace_);
  forget_paths();
}

std::uint32_t Network::send(HostId from, wire::Ipv4Addr dst, PacketRecord rec, Transport proto,
                            std::uint16_t sport, std::uint16_t dport) {
  const auto to = host_by_addr(dst);
  // Routed: the source address is the outgoing interface's, as Linux picks it for an unbound socket.
  wire::Ipv4Addr src = hosts_.at(from)->addr();
  if (routed_)
    if (auto hop = next_hop(from, dst)) src = hosts_.at(from)->interfaces().at(hop->ifindex).addr;
  auto [flow, dir] = trace_.flow_for(proto, wire::IpAddr::from_v4(src), sport, wire::IpAddr::from_v4(dst),
                                     dport, from, to ? *to : TraceFlow::kNoHost);
  rec.flow = flow;
  rec.dir = dir;
  return send_on_flow(from, dst, std::move(rec), proto);
}

std::uint32_t Network::send_on_flow(HostId from, wire::Ipv4Addr dst, PacketRecord&& rec, Transport proto) {
  if (routed_) return send_routed(from, dst, std::move(rec), proto, std::nullopt);
  rec.time = now();
  if (from >= paths_.size()) paths_.resize(hosts_.size());
  Path& path = paths_[from];
  if (!path.link || path.dst != dst) {
    path = Path{};
    if (const auto to = host_by_addr(dst)) {
      if (auto it = links_.find({from, *to}); it != links_.end()) path = Path{dst, *to, it->second.get()};
    }
  }
  LinkDirection* link = path.link;
  if (!link) {
    if (!no_route_rule_)
      no_route_rule_ = trace_.add_drop_rule("no route: no link leads to the destination address");
    rec.fate = Fate::DroppedByHost;
    rec.rule = no_route_rule_;
    rec.arrive = now();
    const auto idx = trace_.add_packet(rec);
    trace_.add_event(TraceEvent{now(), EventKind::Note, from, TraceEvent::kNone, 0,
                                "no route to " + dst.to_string() + ": packet dropped"});
    return idx;
  }
  const std::uint32_t header =
      wire::kIpv4MinHeaderLen +
      (proto == Transport::Udp
           ? wire::kUdpHeaderLen
           : wire::kTcpMinHeaderLen + (rec.options ? wire::tcp_options_length(*rec.options) : 0));
  const PacketTraits traits{proto, rec.tcp_flags, rec.payload_len,
                            header + rec.payload_len + kEthernetFraming};
  const LinkVerdict v = link->transmit(now(), traits);
  rec.fate = v.fate;
  rec.rule = v.fate == Fate::Delivered ? v.corrupt_rule : v.rule;
  rec.arrive = v.arrive;
  rec.marks |= v.marks;
  const std::uint32_t idx = trace_.add_packet(rec);
  if (v.fate != Fate::Delivered) return idx;
  longest_flight_ns_ = std::max(longest_flight_ns_, v.arrive.ns - rec.time.ns);
  Host* receiver = hosts_[path.to].get();
  std::uint32_t carried = kNoCarried;
  if (proto == Transport::Tcp && rec.options && !rec.options->empty()) {
    if (free_carried_.empty()) {
      carried = static_cast<std::uint32_t>(carried_options_.size());
      carried_options_.push_back(*rec.options);
    } else {
      carried = free_carried_.back();
      free_carried_.pop_back();
      carried_options_[carried] = *rec.options;
    }
  }
  loop_.at(v.arrive, [this, receiver, idx, carried](SimTime t) {
    if (carried == kNoCarried) return receiver->receive(t, idx);
    // The receiver copies the options before anything it does can send (and so reuse or move the slots).
    receiver->receive(t, idx, &carried_options_[carried]);
    free_carried_.push_back(carried);
  });
  if (v.duplicate) {
    PacketRecord copy = rec;
    copy.cause = Cause::LinkDuplicate;
    copy.marks = static_cast<std::uint8_t>((rec.marks & ~mark::kReordered) | mark::kDuplicate);
    copy.arrive = v.duplicate_arrive;
    copy.rule = 0;
    const std::uint32_t dup = trace_.add_packet(copy);
    longest_flight_ns_ = std::max(longest_flight_ns_, v.duplicate_arrive.ns - copy.time.ns);
    loop_.at(v.duplicate_arrive, [receiver, dup](SimTime t) { receiver->receive(t, dup); });
  }
  return idx;
}

void Network::run(SimTime until) {
  // Packets marked in flight by an earlier pause are still travelling: their arrival events are pending.
  for (std::uint32_t i : in_flight_)
    trace_.set_fate(i, Fate::Delivered, trace_.arrive(i), trace_.packet(i).rule);
  in_flight_.clear();
  loop_.run(until);
  if (loop_.empty()) return;  // everything happened: nothing can still be on a link
  // Stopped by the time limit: whatever arrives after it is on a link now. Only packets sent within the
  // longest flight so far before the limit can be (the send times are sorted).
  const auto times = trace_.packet_times_ns();
  const auto first =
      std::upper_bound(times.begin(), times.end(), until.ns - longest_flight_ns_) - times.begin();
  for (std::size_t i = static_cast<std::size_t>(first); i < trace_.packet_count(); ++i) {
    if (trace_.fate(i) == Fate::Delivered && trace_.arrive(i) > until) {
      trace_.set_fate(i, Fate::InFlight, trace_.packet(i).arrive, trace_.packet(i).rule);
      in_flight_.push_back(static_cast<std::uint32_t>(i));
    }
  }
}

}  // namespace wirestep
