// The routed network (issue #18): links between interfaces, the routing table looked up at every node,
// routers forwarding hop by hop (RFC 1812 §5.2-5.3: TTL, checksum, ICMP errors), and ICMP messages sent by
// any node. Each hop is its own Trace row, sent by the node that transmits it and received by the node at
// the other end of that link, with that link's MAC addresses (Trace::set_hop).
#include <algorithm>

#include "sim/net/network.hpp"
#include "sim/trace/hop_copy.hpp"
#include "sim/trace/packet_bytes.hpp"
#include "sim/wire/icmp.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {
namespace {
constexpr std::uint32_t kEthernetFraming = 14;
constexpr std::uint32_t kEthernetMinFrame = 60;  // IEEE 802.3: shorter frames (an ARP packet) are padded
}  // namespace

void Network::enable_routing(const RoutingOptions& o) {
  routed_ = true;
  routing_ = o;
}

void Network::connect_interfaces(HostId a, std::uint32_t ai, HostId b, std::uint32_t bi, LinkParams a_to_b,
                                 LinkParams b_to_a) {
  const Host& ha = *hosts_.at(a);
  const Host& hb = *hosts_.at(b);
  const std::string an = ha.name() + ":" + ha.interfaces().at(ai).name;
  const std::string bn = hb.name() + ":" + hb.interfaces().at(bi).name;
  ports_[{a, ai}] =
      Port{b, bi, std::make_unique<LinkDirection>(an + ">" + bn, std::move(a_to_b), seed_, trace_)};
  ports_[{b, bi}] =
      Port{a, ai, std::make_unique<LinkDirection>(bn + ">" + an, std::move(b_to_a), seed_, trace_)};
}

std::optional<std::pair<HostId, std::uint32_t>> Network::peer_of(HostId h, std::uint32_t ifindex) const {
  auto it = ports_.find({h, ifindex});
  if (it == ports_.end()) return std::nullopt;
  return std::pair{it->second.peer, it->second.peer_if};
}

std::optional<NextHop> Network::next_hop(HostId from, wire::Ipv4Addr dst) const {
  const auto r = hosts_.at(from)->routes().lookup(dst);
  if (!r) return std::nullopt;
  return NextHop{r->ifindex, r->via.value_or(dst)};
}

wire::Ipv4Addr Network::row_source(std::uint32_t row) const {
  const TraceFlow& f = trace_.flows().at(trace_.flow_of(row));
  return (trace_.direction(row) == Direction::AtoB ? f.a : f.b).v4();
}

wire::Ipv4Addr Network::row_destination(std::uint32_t row) const {
  const TraceFlow& f = trace_.flows().at(trace_.flow_of(row));
  return (trace_.direction(row) == Direction::AtoB ? f.b : f.a).v4();
}

std::uint32_t Network::drop_unsent(HostId from, wire::Ipv4Addr dst, PacketRecord&& rec, std::uint16_t& rule,
                                   const char* rule_text, const std::string& note) {
  if (!rule) rule = trace_.add_drop_rule(rule_text);
  rec.time = now();
  rec.fate = Fate::DroppedByHost;
  rec.rule = rule;
  rec.arrive = now();
  const auto idx = trace_.add_packet(rec);
  trace_.add_event(TraceEvent{now(), EventKind::Note, from, TraceEvent::kNone, 0,
                              note.empty() ? "no route to " + dst.to_string() + ": packet dropped" : note});
  return idx;
}

std::uint32_t Network::send_routed(HostId from, wire::Ipv4Addr dst, PacketRecord&& rec, Transport proto,
                                   std::optional<std::uint32_t> arrived_row) {
  const auto hop = next_hop(from, dst);
  if (!hop) {
    if (arrived_row) {
      // RFC 1812 §5.2.7.1: a router with no route answers "network unreachable".
      trace_.set_fate(*arrived_row, Fate::DroppedByHost, now(), trace_.packet(*arrived_row).rule);
      trace_.add_event(
          TraceEvent{now(), EventKind::Note, from, TraceEvent::kNone, 0,
                     "no route to " + dst.to_string() + ": ICMP network unreachable to the sender"});
      send_icmp_error(from, *arrived_row, wire::icmp4::kDestinationUnreachable, 0);
      return kNotSent;
    }
    return drop_unsent(from, dst, std::move(rec), no_route_rule_,
                       "no route: no link leads to the destination address", "");
  }
  if (arp_enabled()) {
    if (auto mac = cache(from, hop->ifindex).lookup(now(), hop->neighbour))
      return transmit(from, hop->ifindex, *mac, std::move(rec), proto);
    resolve(from, *hop, QueuedPacket{std::move(rec), proto, dst, arrived_row});
    return kNotSent;
  }
  // Without ARP the frame goes to whatever is plugged in at the other end (a point-to-point link).
  wire::MacAddr mac = wire::kBroadcastMac;
  if (auto peer = peer_of(from, hop->ifindex)) mac = hosts_[peer->first]->interfaces().at(peer->second).mac;
  return transmit(from, hop->ifindex, mac, std::move(rec), proto);
}

std::uint32_t Network::transmit(HostId from, std::uint32_t ifindex, const wire::MacAddr& dst_mac,
                                PacketRecord&& rec, Transport proto, const wire::MacAddr* src_mac) {
  rec.time = now();
  auto it = ports_.find({from, ifindex});
  if (it == ports_.end())
    return drop_unsent(from, wire::Ipv4Addr{}, std::move(rec), no_route_rule_,
                       "no route: no link leads to the destination address",
                       "network interface " + hosts_[from]->interfaces().at(ifindex).name +
                           " has no link: the packet is lost");
  Port& port = it->second;
  std::uint32_t frame = 0;
  if (rec.arp) {
    frame = kEthernetMinFrame;
  } else {
    const std::uint32_t header =
        wire::kIpv4MinHeaderLen +
        (proto == Transport::Udp ? wire::kUdpHeaderLen
         : proto == Transport::Icmp
             ? static_cast<std::uint32_t>(wire::kIcmpHeaderLen)
             : wire::kTcpMinHeaderLen + (rec.options ? wire::tcp_options_length(*rec.options) : 0));
    frame = std::max(header + rec.payload_len + kEthernetFraming, kEthernetMinFrame);
  }
  const LinkVerdict v = port.out->transmit(now(), PacketTraits{proto, rec.tcp_flags, rec.payload_len, frame});
  rec.fate = v.fate;
  rec.rule = v.fate == Fate::Delivered ? v.corrupt_rule : v.rule;
  rec.arrive = v.arrive;
  rec.marks |= v.marks;
  const Trace::LinkHop hop{from, port.peer, src_mac ? *src_mac : hosts_[from]->interfaces().at(ifindex).mac,
                           dst_mac};
  const std::uint32_t idx = trace_.add_packet(rec);
  trace_.set_hop(idx, hop);
  if (v.fate != Fate::Delivered) return idx;
  longest_flight_ns_ = std::max(longest_flight_ns_, v.arrive.ns - rec.time.ns);
  const HostId to = port.peer;
  const std::uint32_t to_if = port.peer_if;
  loop_.at(v.arrive, [this, to, to_if, idx](SimTime t) { on_arrival(t, to, to_if, idx); });
  if (v.duplicate) {
    PacketRecord copy = rec;
    copy.cause = Cause::LinkDuplicate;
    copy.marks = static_cast<std::uint8_t>((rec.marks & ~mark::kReordered) | mark::kDuplicate);
    copy.arrive = v.duplicate_arrive;
    copy.rule = 0;
    const std::uint32_t dup = trace_.add_packet(copy);
    trace_.set_hop(dup, hop);
    longest_flight_ns_ = std::max(longest_flight_ns_, v.duplicate_arrive.ns - copy.time.ns);
    loop_.at(v.duplicate_arrive, [this, to, to_if, dup](SimTime t) { on_arrival(t, to, to_if, dup); });
  }
  return idx;
}

void Network::on_arrival(SimTime now, HostId node, std::uint32_t ifindex, std::uint32_t row) {
  Host& h = *hosts_[node];
  if (h.is_switch()) return bridge(now, node, ifindex, row);
  // A network card takes frames for its own MAC address and broadcasts; a switch flooding an unknown
  // address brings others, which it ignores (IEEE 802.3 address filtering).
  if (const Trace::LinkHop* hop = trace_.hop(row);
      hop && hop->dst_mac != wire::kBroadcastMac && hop->dst_mac != h.interfaces().at(ifindex).mac) {
    if (!other_mac_rule_) other_mac_rule_ = trace_.add_drop_rule(std::string(kOtherMacRule));
    trace_.set_fate(row, Fate::DroppedByHost, now, other_mac_rule_);
    return;
  }
  if (trace_.arp(row)) return on_arp(now, node, ifindex, row);
  if (h.owns(row_destination(row))) return h.receive(now, row);
  if (!h.forwarding()) {
    // RFC 1122 §3.3.4.2: a host that is not a router silently discards a packet not addressed to it.
    if (!not_mine_rule_) not_mine_rule_ = trace_.add_drop_rule("not for this host, and it does not forward");
    trace_.set_fate(row, Fate::DroppedByHost, now, not_mine_rule_);
    return;
  }
  forward(now, node, row);
}

void Network::forward(SimTime now, HostId node, std::uint32_t row) {
  PacketRecord rec = trace_.packet(row);
  const Transport proto = trace_.flows().at(rec.flow).proto;
  // RFC 1812 §5.3.1: the router decrements TTL; a packet that would leave with TTL 0 is discarded and the
  // source gets time exceeded, code 0 (RFC 792 "time to live exceeded in transit").
  if (rec.ttl <= 1) {
    if (!ttl_rule_)
      ttl_rule_ = trace_.add_drop_rule("TTL exceeded: a router discards a packet whose TTL reaches 0");
    trace_.set_fate(row, Fate::DroppedByHost, now, ttl_rule_);
    trace_.add_event(TraceEvent{now, EventKind::Note, node, TraceEvent::kNone, 0,
                                "TTL of a packet to " + row_destination(row).to_string() +
                                    " reached 0: discarded, ICMP time exceeded to " +
                                    row_source(row).to_string()});
    send_icmp_error(node, row, wire::icmp4::kTimeExceeded, 0);
    return;
  }
  // The new hop: one less TTL, so a new header checksum (RFC 1812 §5.3.1; rebuild_packet computes it from
  // the fields). Same flow, IP ID and payload: it is the same packet one link further.
  rec.ttl = static_cast<std::uint8_t>(rec.ttl - 1);
  rec.marks &= static_cast<std::uint8_t>(~(mark::kDuplicate | mark::kReordered));
  rec.rule = 0;
  rec.fate = Fate::Delivered;
  send_routed(node, row_destination(row), std::move(rec), proto, row);
}

void Network::send_icmp(HostId from, wire::Ipv4Addr src, wire::Ipv4Addr dst, std::uint8_t type,
                        std::uint8_t code, std::uint32_t rest, std::span<const std::uint8_t> body,
                        std::uint8_t ttl) {
  // The message is encoded and decoded once, so the Trace holds exactly what a capture of it would.
  std::vector<std::uint8_t> msg;
  wire::encode_icmpv4(type, code, rest, body, msg);
  auto decoded = wire::decode_icmp(msg, msg.size(), false);
  if (!decoded) return;  // our own encoder's output: cannot fail
  PacketRecord rec;
  rec.time = now();
  rec.ttl = ttl;
  rec.ip_id = hosts_.at(from)->take_ip_id();
  rec.cause = Cause::Datagram;
  rec.icmp = IcmpRecord{*decoded};
  rec.payload_len = static_cast<std::uint32_t>(body.size());
  rec.payload_ref = trace_.store_payload(body);
  const auto to = host_by_addr(dst);
  auto [flow, dir] = trace_.flow_for(Transport::Icmp, wire::IpAddr::from_v4(src), 0,
                                     wire::IpAddr::from_v4(dst), 0, from, to ? *to : TraceFlow::kNoHost);
  rec.flow = flow;
  rec.dir = dir;
  ++icmp_sent_;
  if (routed_)
    send_routed(from, dst, std::move(rec), Transport::Icmp, std::nullopt);
  else
    send_on_flow(from, dst, std::move(rec), Transport::Icmp);
}

void Network::send_icmp_error(HostId from, std::uint32_t about, std::uint8_t type, std::uint8_t code) {
  // RFC 1812 §4.3.2.7: no ICMP error about an ICMP error (nor about ARP, which has no IP header).
  if (trace_.arp(about)) return;
  if (const IcmpRecord* ic = trace_.icmp(about); ic && ic->message.is_error()) return;
  std::vector<std::uint8_t> bytes;
  rebuild_packet(trace_, about, LinkLayer::RawIp, bytes);
  // RFC 792: the internet header plus the first 64 bits of the original datagram's data.
  const wire::Bytes quote = wire::icmp_quote_of(bytes);
  const wire::Ipv4Addr origin = row_source(about);
  // RFC 1812 §4.3.2.8: the rate of ICMP errors is limited; Linux's limits (icmp_rate_limit.hpp).
  if (!icmp_limits_[from].allow(now(), type, code, origin)) {
    trace_.add_event(TraceEvent{now(), EventKind::Note, from, TraceEvent::kNone, 0,
                                "ICMP rate limit: the error to " + origin.to_string() +
                                    " is not sent (Linux icmp_ratelimit, icmp_msgs_per_sec)"});
    return;
  }
  Host& h = *hosts_.at(from);
  // RFC 1812 §4.3.2.4: the source address is the interface the error leaves by.
  wire::Ipv4Addr me = h.addr();
  if (auto hop = next_hop(from, origin)) me = h.interfaces().at(hop->ifindex).addr;
  send_icmp(from, me, origin, type, code, 0, quote);
}

}  // namespace wirestep
