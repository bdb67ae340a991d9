// The simulated world of one run: the event loop, the Trace, hosts and the links between them.
// One seed drives everything; each link direction and host draws from its own named stream.
// Two modes. Direct (every scenario before issue #18): point-to-point links between host pairs, a packet
// goes straight to the host holding its destination address. Routed (a scenario with routers, gateways,
// several interfaces or [network] arp): links join interfaces, each node looks its routing table up
// (longest-prefix match), routers forward hop by hop (one Trace row per hop), ARP and ICMP run
// (network_routed.cpp, network_arp.cpp, network_icmp.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "sim/core/event_loop.hpp"
#include "sim/net/arp_cache.hpp"
#include "sim/net/host.hpp"
#include "sim/net/icmp_rate_limit.hpp"
#include "sim/net/interface.hpp"
#include "sim/net/link.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

using HostId = std::uint32_t;

class Network {
 public:
  explicit Network(std::uint64_t seed) : seed_(seed) {}
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  std::uint64_t seed() const { return seed_; }
  EventLoop& loop() { return loop_; }
  SimTime now() const { return loop_.now(); }
  Trace& trace() { return trace_; }
  Trace take_trace() { return std::move(trace_); }
  const Trace& trace() const { return trace_; }

  HostId add_host(std::string name, wire::Ipv4Addr addr, int prefix_len = 24);
  Host& host(HostId id) { return *hosts_.at(id); }
  std::size_t host_count() const { return hosts_.size(); }
  std::optional<HostId> host_by_addr(wire::Ipv4Addr addr) const;
  std::optional<HostId> host_by_name(const std::string& name) const;

  // A duplex point-to-point link; each direction has its own parameters and impairments.
  void connect(HostId a, HostId b, LinkParams a_to_b, LinkParams b_to_a);

  // Hands a packet (already filled in except flow/fate) to the link toward `dst`, records it in the Trace and
  // schedules its arrival. Returns the Trace index.
  std::uint32_t send(HostId from, wire::Ipv4Addr dst, PacketRecord rec, Transport proto, std::uint16_t sport,
                     std::uint16_t dport);
  // The same for a packet whose rec.flow and rec.dir the caller already knows (a TCP connection keeps its
  // own), sparing the flow lookup on every segment.
  std::uint32_t send_on_flow(HostId from, wire::Ipv4Addr dst, PacketRecord&& rec, Transport proto);

  // send/send_on_flow's answer when the packet waits for ARP or was answered with an ICMP error instead.
  static constexpr std::uint32_t kNotSent = 0xFFFFFFFF;

  // Runs until `until` or until nothing is left to do; packets still on a link are marked in flight.
  void run(SimTime until);
  // A host's addresses changed: the remembered (sender, destination) -> link answers may be wrong now.
  void forget_paths() { paths_.clear(); }

  // --- Routed mode (issue #18). Call before adding links; hosts keep their first interface ("eth0").
  struct RoutingOptions {
    bool arp = false;  // resolve next hops with ARP (RFC 826) before sending
    SimDuration arp_lifetime = SimDuration::seconds(30);  // Linux's base_reachable_time
  };
  void enable_routing(const RoutingOptions& o);
  bool routed() const { return routed_; }
  bool arp_enabled() const { return routed_ && routing_.arp; }
  // Joins interface `ai` of `a` and `bi` of `b` with a duplex link.
  void connect_interfaces(HostId a, std::uint32_t ai, HostId b, std::uint32_t bi, LinkParams a_to_b,
                          LinkParams b_to_a);
  // The interface and neighbour a packet from `from` to `dst` leaves by; nullopt: no route (ENETUNREACH).
  std::optional<NextHop> next_hop(HostId from, wire::Ipv4Addr dst) const;
  // Sends an ICMP message from node `from` (source address `src`) to `dst`. `body` is echo data or the quote.
  void send_icmp(HostId from, wire::Ipv4Addr src, wire::Ipv4Addr dst, std::uint8_t type, std::uint8_t code,
                 std::uint32_t rest, std::span<const std::uint8_t> body, std::uint8_t ttl = 64);
  // An ICMP error about Trace row `about` (destination unreachable, time exceeded) from node `from` to the
  // row's source, quoting its IP header and first 8 data bytes (RFC 792). A source that is `from` itself
  // gets it without the wire (Linux reports a failed neighbour to the local socket that way).
  void send_icmp_error(HostId from, std::uint32_t about, std::uint8_t type, std::uint8_t code);
  // ARP cache of a node's interface (`ip neigh`), for tests and the UI.
  const ArpCache* arp_cache(HostId h, std::uint32_t ifindex) const;
  // ARP requests and replies sent, ICMP messages sent: what a pcap of the run must hold.
  std::uint32_t arp_sent() const { return arp_sent_; }
  std::uint32_t icmp_sent() const { return icmp_sent_; }
  // Where the other end of a node's interface is linked (nullopt: nothing plugged in).
  std::optional<std::pair<HostId, std::uint32_t>> peer_of(HostId h, std::uint32_t ifindex) const;

 private:
  std::uint64_t seed_;
  EventLoop loop_;
  Trace trace_;
  std::vector<std::unique_ptr<Host>> hosts_;
  std::map<std::pair<HostId, HostId>, std::unique_ptr<LinkDirection>> links_;  // (from, to)
  std::uint16_t no_route_rule_ = 0;
  std::int64_t longest_flight_ns_ = 0;    // the most any delivered packet spent between send and arrival
  std::vector<std::uint32_t> in_flight_;  // marked InFlight when the last run() stopped at its time limit
  // Unrouted mode: each sender's last destination and the host and link that reach it, so a connection's
  // segments skip host_by_addr and the link map (the answer changes only with connect() or new addresses).
  struct Path {
    wire::Ipv4Addr dst;
    HostId to = 0;
    LinkDirection* link = nullptr;
  };
  std::vector<Path> paths_;  // by sender; link == nullptr: nothing remembered
  // A TCP segment's options travel with its arrival event, so the receiver need not decode them back from
  // the Trace's option table: slots reused as segments arrive.
  std::vector<wire::TcpOptions> carried_options_;
  std::vector<std::uint32_t> free_carried_;
  static constexpr std::uint32_t kNoCarried = 0xFFFFFFFF;

  // Routed mode: links by interface ("port"), ARP caches and resolutions in progress.
  struct Port {
    HostId peer = 0;
    std::uint32_t peer_if = 0;
    std::unique_ptr<LinkDirection> out;
  };
  struct QueuedPacket {  // waiting for ARP to answer
    PacketRecord rec;
    Transport proto;
    wire::Ipv4Addr dst;
    std::optional<std::uint32_t> arrived_row;  // the row a router received it as (for an ICMP quote)
  };
  struct Resolution {
    std::uint32_t requests = 0;
    std::vector<QueuedPacket> queue;
  };
  using PortKey = std::pair<HostId, std::uint32_t>;
  bool routed_ = false;
  RoutingOptions routing_;
  std::map<PortKey, Port> ports_;
  std::map<PortKey, ArpCache> arp_caches_;
  std::map<std::tuple<HostId, std::uint32_t, wire::Ipv4Addr>, Resolution> resolving_;
  std::uint32_t arp_sent_ = 0, icmp_sent_ = 0;
  std::uint16_t ttl_rule_ = 0, not_mine_rule_ = 0, other_mac_rule_ = 0, arp_failed_rule_ = 0;
  // A switch's forwarding table (IEEE 802.1D learning): (switch, MAC) -> the port it was last seen on, and
  // when (entries age out: network_switch.cpp).
  struct MacEntry {
    std::uint32_t port = 0;
    SimTime seen{};
  };
  std::map<std::pair<HostId, wire::MacAddr>, MacEntry> mac_table_;
  std::map<HostId, IcmpRateLimiter> icmp_limits_;  // each node's ICMP error budget (icmp_rate_limit.hpp)

  // network_routed.cpp
  std::uint32_t send_routed(HostId from, wire::Ipv4Addr dst, PacketRecord&& rec, Transport proto,
                            std::optional<std::uint32_t> arrived_row);
  // `src_mac`: the frame's source address when it is not the interface's own (a switch forwarding it).
  std::uint32_t transmit(HostId from, std::uint32_t ifindex, const wire::MacAddr& dst_mac, PacketRecord&& rec,
                         Transport proto, const wire::MacAddr* src_mac = nullptr);
  void bridge(SimTime now, HostId node, std::uint32_t ifindex, std::uint32_t row);  // network_switch.cpp
  void on_arrival(SimTime now, HostId node, std::uint32_t ifindex, std::uint32_t row);
  void forward(SimTime now, HostId node, std::uint32_t row);
  std::uint32_t drop_unsent(HostId from, wire::Ipv4Addr dst, PacketRecord&& rec, std::uint16_t& rule,
                            const char* rule_text, const std::string& note);
  wire::Ipv4Addr row_source(std::uint32_t row) const;
  wire::Ipv4Addr row_destination(std::uint32_t row) const;
  // network_arp.cpp
  ArpCache& cache(HostId h, std::uint32_t ifindex);
  void resolve(HostId from, const NextHop& hop, QueuedPacket&& p);
  void send_arp_request(HostId from, std::uint32_t ifindex, wire::Ipv4Addr target);
  void on_arp_retry(HostId from, std::uint32_t ifindex, wire::Ipv4Addr target);
  void on_arp(SimTime now, HostId node, std::uint32_t ifindex, std::uint32_t row);
  std::uint32_t send_arp(HostId from, std::uint32_t ifindex, const wire::ArpPacket& a);
};

}  // namespace wirestep
