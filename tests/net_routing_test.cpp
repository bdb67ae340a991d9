// Routing in the simulated network (issue #18): longest-prefix match, the default route, no route ->
// ENETUNREACH as Linux reports it, routers forwarding hop by hop with TTL - 1 and a new header checksum.
#include <gtest/gtest.h>

#include "net_test_support.hpp"
#include "sim/net/routing_table.hpp"
#include "sim/trace/packet_bytes.hpp"
#include "sim/wire/checksum.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace net_routing_test {

using testing::router_network;
using testing::rows_of;
using testing::run_text;

wire::Ipv4Addr ip(const char* s) {
  return *wire::Ipv4Addr::parse(s);
}

// RFC 1812 §5.2.4.3: of the matching routes the longest prefix wins, whatever order they were added in.
TEST(RoutingTable, LongestPrefixWins) {
  RoutingTable t;
  t.add(Route{ip("10.0.0.0"), 8, ip("192.168.0.1"), 0});
  t.add(Route{ip("10.1.2.0"), 24, ip("192.168.0.3"), 2});
  t.add(Route{ip("10.1.0.0"), 16, ip("192.168.0.2"), 1});
  EXPECT_EQ(t.lookup(ip("10.1.2.3"))->ifindex, 2u);
  EXPECT_EQ(t.lookup(ip("10.1.9.9"))->ifindex, 1u);
  EXPECT_EQ(t.lookup(ip("10.200.0.1"))->ifindex, 0u);
}

// The default route (0.0.0.0/0) matches what nothing more specific does; without it there is no route.
TEST(RoutingTable, DefaultRouteCatchesTheRestAndWithoutItThereIsNoRoute) {
  RoutingTable t;
  t.add(Route{ip("10.0.0.0"), 24, std::nullopt, 0});
  EXPECT_FALSE(t.lookup(ip("8.8.8.8")));
  t.add(Route{ip("0.0.0.0"), 0, ip("10.0.0.254"), 0});
  auto r = t.lookup(ip("8.8.8.8"));
  ASSERT_TRUE(r);
  EXPECT_EQ(*r->via, ip("10.0.0.254"));
  EXPECT_FALSE(t.lookup(ip("10.0.0.7"))->via) << "the connected route still wins for its subnet";
}

TEST(RoutingTable, PrefixTextIsParsedAndHostBitsCleared) {
  EXPECT_EQ(parse_prefix("10.1.2.3/16"), (std::pair{ip("10.1.0.0"), 16}));
  EXPECT_EQ(parse_prefix("default"), (std::pair{wire::Ipv4Addr{}, 0}));
  EXPECT_EQ(parse_prefix("10.0.0.1"), (std::pair{ip("10.0.0.1"), 32}));
  EXPECT_FALSE(parse_prefix("10.0.0.0/33"));
  EXPECT_FALSE(parse_prefix("10.0.0/8"));
  EXPECT_FALSE(parse_prefix("10.0.0.0/"));
}

// Linux: sendto to an address no route covers fails at once with ENETUNREACH, and nothing is sent.
TEST(RoutedNetwork, SendtoWithoutRouteFailsWithEnetunreach) {
  const auto r = run_text(testing::two_hosts(
      "arp = true\n", testing::program("s", "A", {"call = \"sendto\"\nto = \"192.168.1.1:9\"\ntext = \"x\""}),
      ""));
  ASSERT_EQ(r.programs.size(), 1u);
  ASSERT_TRUE(r.programs[0].error);
  EXPECT_NE(r.programs[0].error->find("ENETUNREACH"), std::string::npos) << *r.programs[0].error;
  EXPECT_EQ(r.trace.packet_count(), 0u);
}

// The same for TCP: connect() fails before any SYN.
TEST(RoutedNetwork, ConnectWithoutRouteFailsWithEnetunreach) {
  const auto r = run_text(testing::two_hosts(
      "", testing::program("c", "A", {"call = \"connect\"\nto = \"172.16.0.1:80\""}, true), ""));
  ASSERT_TRUE(r.programs[0].error);
  EXPECT_NE(r.programs[0].error->find("ENETUNREACH"), std::string::npos);
  EXPECT_TRUE(rows_of(r.trace, Transport::Tcp).empty());
}

// A datagram to another subnet is two rows: A -> R with TTL 64, then R -> B with TTL 63 and the same IP ID;
// each row is sent by the node that transmits it (Trace::hop) and its header checksum is valid for its TTL.
TEST(RoutedNetwork, RouterForwardsWithTtlMinusOneAndAFreshChecksum) {
  const auto r = run_text(router_network(
      "[network]\narp = false\n" + testing::udp_receiver("rx", "B", 7) +
      testing::program("tx", "A", {"call = \"sendto\"\nto = \"10.1.0.2:7\"\ntext = \"hop\""})));
  const auto udp = rows_of(r.trace, Transport::Udp);
  ASSERT_EQ(udp.size(), 2u);
  const PacketRecord first = r.trace.packet(udp[0]), second = r.trace.packet(udp[1]);
  EXPECT_EQ(first.ttl, 64);
  EXPECT_EQ(second.ttl, 63);
  EXPECT_EQ(first.ip_id, second.ip_id);
  EXPECT_EQ(second.time, first.arrive) << "forwarded the moment it arrived";
  ASSERT_TRUE(r.trace.hop(udp[0]) && r.trace.hop(udp[1]));
  EXPECT_EQ(r.trace.hop(udp[0])->from_node, 0u);  // A
  EXPECT_EQ(r.trace.hop(udp[0])->to_node, 2u);    // R
  EXPECT_EQ(r.trace.hop(udp[1])->from_node, 2u);
  EXPECT_EQ(r.trace.hop(udp[1])->to_node, 1u);  // B
  std::vector<std::uint8_t> a, b;
  rebuild_packet(r.trace, udp[0], LinkLayer::RawIp, a);
  rebuild_packet(r.trace, udp[1], LinkLayer::RawIp, b);
  ASSERT_GE(a.size(), 20u);
  EXPECT_EQ(wire::internet_checksum(wire::Bytes(a.data(), 20)), 0) << "A's header checksum verifies";
  EXPECT_EQ(wire::internet_checksum(wire::Bytes(b.data(), 20)), 0) << "R's recomputed checksum verifies";
  EXPECT_NE(a[10] << 8 | a[11], b[10] << 8 | b[11]) << "RFC 1812 §5.3.1: TTL changed, so did the checksum";
  EXPECT_EQ(r.programs[0].received.size(), 1u);
}

// RFC 1812 §5.3.1 / RFC 792: a packet whose TTL runs out at a router is discarded there and the source gets
// time exceeded (type 11 code 0), quoting the IP header as it arrived (TTL 1) and the UDP ports.
TEST(RoutedNetwork, TtlExpiryAtRouterSendsTimeExceededQuotingTheHeader) {
  const auto r = run_text(router_network(R"(
[network]
arp = false
[[program]]
name = "tr"
host = "A"
[[program.step]]
call = "traceroute"
to = "10.1.0.2"
max_ttl = 1
queries = 1
)"));
  const auto udp = rows_of(r.trace, Transport::Udp);
  ASSERT_EQ(udp.size(), 1u);
  EXPECT_EQ(r.trace.fate(udp[0]), Fate::DroppedByHost);
  const auto icmp = rows_of(r.trace, Transport::Icmp);
  ASSERT_EQ(icmp.size(), 1u);
  const IcmpRecord* m = r.trace.icmp(icmp[0]);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->message.type, 11);
  EXPECT_EQ(m->message.code, 0);
  ASSERT_TRUE(m->message.quote);
  EXPECT_EQ(m->message.quote->src, wire::IpAddr::from_v4(ip("10.0.0.1")));
  EXPECT_EQ(m->message.quote->dst, wire::IpAddr::from_v4(ip("10.1.0.2")));
  EXPECT_EQ(m->message.quote->dst_port, 33434);
  EXPECT_EQ(m->quoted_flow, r.trace.flow_of(udp[0])) << "the error counts on the probe's flow";
  std::vector<std::uint8_t> body;
  r.trace.payload_bytes(icmp[0], body);
  ASSERT_EQ(body.size(), 28u) << "RFC 792: the IP header and 64 bits of data";
  EXPECT_EQ(body[8], 1) << "the quoted TTL is the one that arrived";
  // The error comes from R's address on A's side (RFC 1812 §4.3.2.4).
  const TraceFlow& f = r.trace.flows()[r.trace.flow_of(icmp[0])];
  EXPECT_EQ(f.a, wire::IpAddr::from_v4(ip("10.0.0.254")));
}

// A router with no route for a destination answers network unreachable (RFC 1812 §5.2.7.1).
TEST(RoutedNetwork, RouterWithoutRouteAnswersNetworkUnreachable) {
  const auto r = run_text(router_network("[network]\narp = false\n" +
                                         testing::ping("p", "A", "172.16.9.9", "count = 1\nwait = \"1s\"")));
  const auto icmp = rows_of(r.trace, Transport::Icmp);
  ASSERT_EQ(icmp.size(), 2u);  // the echo request to R, R's error back
  EXPECT_EQ(r.trace.icmp(icmp[1])->message.type, 3);
  EXPECT_EQ(r.trace.icmp(icmp[1])->message.code, 0);
  EXPECT_NE(testing::output_of(r, "p").find("From 10.0.0.254 icmp_seq=1 Destination Net Unreachable"),
            std::string::npos)
      << testing::output_of(r, "p");
}

// Scenarios without routers, gateways or [network] keep the direct wire: no hop rows, no ARP.
TEST(RoutedNetwork, DirectScenariosStayDirect) {
  auto sc = load_scenario_file(testing::source_path("scenarios/udp-sendto.toml"));
  ASSERT_TRUE(sc);
  EXPECT_FALSE(sc->network.routed);
  const auto r = run_scenario(*sc);
  for (std::size_t i = 0; i < r.trace.packet_count(); ++i) EXPECT_FALSE(r.trace.hop(i));
  EXPECT_TRUE(rows_of(r.trace, Transport::Arp).empty());
}

}  // namespace net_routing_test
}  // namespace wirestep
