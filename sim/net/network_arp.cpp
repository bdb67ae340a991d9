// ARP in the routed network (RFC 826): before an IPv4 packet leaves an interface, the next hop's MAC
// address must be known. A miss queues the packet and broadcasts a request; the reply fills the interface's
// cache and releases the queue. Linux's neighbour defaults: 3 requests one second apart (mcast_solicit,
// retrans_time_ms), then the neighbour is FAILED: queued packets are dropped and their senders hear "host
// unreachable" (a router by ICMP, RFC 1812 §5.2.7.1; a local socket from its own stack).
#include "sim/net/network.hpp"
#include "sim/wire/icmp.hpp"
#include "sim/wire/ipv4.hpp"

namespace wirestep {
namespace {
constexpr std::uint32_t kMcastSolicit = 3;                     // Linux net.ipv4.neigh.*.mcast_solicit
constexpr SimDuration kRetransTime = SimDuration::seconds(1);  // Linux retrans_time_ms = 1000
constexpr std::size_t kUnresolvedQueue = 101;                  // Linux unres_qlen: packets held per neighbour
}  // namespace

ArpCache& Network::cache(HostId h, std::uint32_t ifindex) {
  return arp_caches_.try_emplace({h, ifindex}, routing_.arp_lifetime).first->second;
}

const ArpCache* Network::arp_cache(HostId h, std::uint32_t ifindex) const {
  auto it = arp_caches_.find({h, ifindex});
  return it == arp_caches_.end() ? nullptr : &it->second;
}

void Network::resolve(HostId from, const NextHop& hop, QueuedPacket&& p) {
  Resolution& r = resolving_[{from, hop.ifindex, hop.neighbour}];
  if (r.queue.size() >= kUnresolvedQueue) {
    trace_.add_event(
        TraceEvent{now(), EventKind::Note, from, TraceEvent::kNone, 0,
                   "ARP queue for " + hop.neighbour.to_string() + " full: oldest packet dropped"});
    r.queue.erase(r.queue.begin());
  }
  r.queue.push_back(std::move(p));
  if (r.requests == 0) {
    trace_.add_event(
        TraceEvent{now(), EventKind::Note, from, TraceEvent::kNone, 0,
                   "ARP: who has " + hop.neighbour.to_string() + "? the packet waits for the answer"});
    send_arp_request(from, hop.ifindex, hop.neighbour);
  }
}

void Network::send_arp_request(HostId from, std::uint32_t ifindex, wire::Ipv4Addr target) {
  ++resolving_[{from, ifindex, target}].requests;
  const NetInterface& i = hosts_.at(from)->interfaces().at(ifindex);
  // RFC 826: the requester's own pair, the target's IP, and the target MAC left zero (it is the question).
  send_arp(from, ifindex, wire::ArpPacket{1, i.mac, i.addr, {}, target});
  loop_.after(kRetransTime, [this, from, ifindex, target](SimTime) { on_arp_retry(from, ifindex, target); });
}

void Network::on_arp_retry(HostId from, std::uint32_t ifindex, wire::Ipv4Addr target) {
  auto it = resolving_.find({from, ifindex, target});
  if (it == resolving_.end()) return;  // answered meanwhile
  if (it->second.requests < kMcastSolicit) return send_arp_request(from, ifindex, target);
  std::vector<QueuedPacket> queue = std::move(it->second.queue);
  resolving_.erase(it);
  Host& h = *hosts_.at(from);
  trace_.add_event(TraceEvent{now(), EventKind::Note, from, TraceEvent::kNone, 0,
                              "ARP: no answer from " + target.to_string() + " after " +
                                  std::to_string(kMcastSolicit) + " requests: host unreachable, " +
                                  std::to_string(queue.size()) + " queued packet(s) dropped"});
  for (QueuedPacket& q : queue) {
    if (q.arrived_row) {
      // The packet a router received ends here: its row's fate says so (RFC 1812 §5.2.7.1).
      if (!arp_failed_rule_)
        arp_failed_rule_ =
            trace_.add_drop_rule("no ARP answer for the next hop: the router drops the packet");
      trace_.set_fate(*q.arrived_row, Fate::DroppedByHost, trace_.arrive(*q.arrived_row), arp_failed_rule_);
      send_icmp_error(from, *q.arrived_row, wire::icmp4::kDestinationUnreachable, 1);
      continue;
    }
    // The packet never reached the wire: its sender hears of it from its own stack, quoting its header.
    if (q.rec.icmp && q.rec.icmp->message.is_error()) continue;
    const TraceFlow& f = trace_.flows().at(q.rec.flow);
    const bool fwd = q.rec.dir == Direction::AtoB;
    wire::IcmpMessage m;
    m.type = wire::icmp4::kDestinationUnreachable;
    m.code = 1;
    wire::IcmpQuote quote;
    quote.src = fwd ? f.a : f.b;
    quote.dst = fwd ? f.b : f.a;
    quote.protocol = q.proto == Transport::Udp   ? wire::kIpProtoUdp
                     : q.proto == Transport::Tcp ? wire::kIpProtoTcp
                                                 : wire::kIpProtoIcmp;
    quote.has_ports = q.proto == Transport::Udp || q.proto == Transport::Tcp;
    quote.src_port = fwd ? f.a_port : f.b_port;
    quote.dst_port = fwd ? f.b_port : f.a_port;
    if (q.proto == Transport::Icmp && q.rec.icmp) {
      // ping matches its errors by the echo's identifier and sequence, which the quote's first 8 bytes hold.
      quote.has_ports = false;
    }
    m.quote = quote;
    m.body_len = wire::kIpv4MinHeaderLen + 8;
    Host::IcmpArrival a{m, h.interfaces().at(ifindex).addr, 64, static_cast<std::uint32_t>(m.body_len)};
    if (q.rec.icmp) a.quoted_rest = q.rec.icmp->message.rest;
    if (q.proto == Transport::Tcp) a.quoted_rest = q.rec.seq;  // tcp_v4_err checks the quoted sequence
    h.on_local_icmp(now(), a);
  }
}

std::uint32_t Network::send_arp(HostId from, std::uint32_t ifindex, const wire::ArpPacket& a) {
  PacketRecord rec;
  rec.time = now();
  rec.arp = a;
  rec.ttl = 0;
  rec.cause = Cause::Datagram;
  const auto to = host_by_addr(a.target_ip);
  auto [flow, dir] =
      trace_.flow_for(Transport::Arp, wire::IpAddr::from_v4(a.sender_ip), 0,
                      wire::IpAddr::from_v4(a.target_ip), 0, from, to ? *to : TraceFlow::kNoHost);
  rec.flow = flow;
  rec.dir = dir;
  ++arp_sent_;
  // RFC 826: a request is broadcast, a reply goes to the one who asked.
  return transmit(from, ifindex, a.op == 1 ? wire::kBroadcastMac : a.target_mac, std::move(rec),
                  Transport::Arp);
}

void Network::on_arp(SimTime now, HostId node, std::uint32_t ifindex, std::uint32_t row) {
  const wire::ArpPacket a = *trace_.arp(row);
  const NetInterface& me = hosts_.at(node)->interfaces().at(ifindex);
  ArpCache& c = cache(node, ifindex);
  // RFC 826 "Packet Reception": update the sender's entry if it is known (merge); if I am the target, add
  // it, and answer a request with my own pair.
  const bool known = c.lookup(now, a.sender_ip).has_value();
  if (a.target_ip == me.addr) {
    c.learn(now, a.sender_ip, a.sender_mac);
    if (a.op == 1) send_arp(node, ifindex, wire::ArpPacket{2, me.mac, me.addr, a.sender_mac, a.sender_ip});
  } else if (known) {
    c.learn(now, a.sender_ip, a.sender_mac);
  } else {
    return;  // a broadcast for someone else: nothing to learn
  }
  auto it = resolving_.find({node, ifindex, a.sender_ip});
  if (it == resolving_.end()) return;
  std::vector<QueuedPacket> queue = std::move(it->second.queue);
  resolving_.erase(it);
  for (QueuedPacket& q : queue) transmit(node, ifindex, a.sender_mac, std::move(q.rec), q.proto);
}

}  // namespace wirestep
