// A node's ARP cache and routing table at the time cursor (issue #18), worked out from the scenario and the
// Trace: the cache holds what the ARP packets that reached the node by then taught it (RFC 826 "Packet
// Reception"), each entry gone once its lifetime is over; the routing table lists longest prefix first
// (RFC 1812 §5.2.4.3). And each hop of a routed packet moves along its own link.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/trace/trace.hpp"
#include "test_support.hpp"
#include "ui/model/node_tables.hpp"
#include "ui/model/topology_input.hpp"
#include "ui/model/topology_packets.hpp"

namespace wirestep {
namespace ui_topology_node_tables_test {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kSecond = 1000 * kMs;

wire::Ipv4Addr v4(const char* text) {
  return *wire::Ipv4Addr::parse(text);
}

struct LessonRun {
  Scenario scenario;
  RunResult run;
  TopologyInput topology;
};

LessonRun run_lesson(const std::string& name) {
  auto sc = load_scenario_file(testing::source_path("scenarios/" + name));
  EXPECT_TRUE(sc) << name;
  LessonRun r{*sc, run_scenario(*sc), topology_from_scenario(*sc)};
  return r;
}

// The arrival times of the delivered ARP packets with this operation and target address, in row order.
std::vector<std::int64_t> arp_arrivals(const Trace& tr, std::uint16_t op, wire::Ipv4Addr target) {
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < tr.packet_count(); ++i)
    if (const wire::ArpPacket* a = tr.arp(i);
        a && a->op == op && a->target_ip == target && tr.fate(i) == Fate::Delivered)
      out.push_back(tr.arrive(i).ns);
  return out;
}

std::string route_text(const TopologyNode& n, const TopologyRouteRow& r) {
  std::string s = r.prefix_len == 0 ? "default" : r.network.to_string() + "/" + std::to_string(r.prefix_len);
  if (r.via) s += " via " + r.via->to_string();
  return s + " dev " + n.interfaces.at(r.interface).name;
}

std::vector<std::string> routes_of(const LessonRun& r, const std::string& node) {
  const std::uint32_t n = *r.topology.node_named(node);
  std::vector<std::string> out;
  for (const TopologyRouteRow& row : routing_table_of(r.topology, &r.scenario, n))
    out.push_back(route_text(r.topology.nodes[n], row));
  return out;
}

TEST(TopologyNodeTables, ArpCacheIsEmptyUntilTheFirstReplyReachesTheSender) {
  // net-arp-first-packet: A knows nothing of B until B's reply arrives (RFC 826: the reply's sender pair).
  const LessonRun r = run_lesson("net-arp-first-packet.toml");
  const std::uint32_t a = *r.topology.node_named("A");
  const auto replies = arp_arrivals(r.run.trace, 2, v4("10.0.0.1"));
  ASSERT_EQ(replies.size(), 2u) << "the lesson asks twice: first packet and after expiry";
  NodeTablesSource src(r.run.trace, r.topology, &r.scenario);
  NodeTables t;
  src.tables_at(a, 0, t);
  EXPECT_TRUE(t.arp.empty()) << "nothing learnt at the start";
  src.tables_at(a, replies[0] - 1, t);
  EXPECT_TRUE(t.arp.empty()) << "the question alone teaches the asker nothing";
  src.tables_at(a, replies[0], t);
  ASSERT_EQ(t.arp.size(), 1u);
  EXPECT_EQ(t.arp[0].address, v4("10.0.0.2"));
  EXPECT_EQ(t.arp[0].mac, r.topology.nodes[*r.topology.node_named("B")].interfaces[0].mac);
  EXPECT_EQ(r.topology.nodes[a].interfaces.at(t.arp[0].interface).name, "eth0");
  EXPECT_EQ(t.arp[0].learnt_ns, replies[0]);
  EXPECT_EQ(t.arp[0].expires_ns, replies[0] + kSecond) << "the lesson's arp_timeout is 1 s";
}

TEST(TopologyNodeTables, ArpEntryExpiresAfterTheLessonsTimeoutAndReturnsWithTheNextReply) {
  // The lesson's cache keeps an entry 1 s: gone at exactly 1 s after it was learnt, back after the new reply.
  const LessonRun r = run_lesson("net-arp-first-packet.toml");
  const std::uint32_t a = *r.topology.node_named("A");
  const auto replies = arp_arrivals(r.run.trace, 2, v4("10.0.0.1"));
  ASSERT_EQ(replies.size(), 2u);
  NodeTablesSource src(r.run.trace, r.topology, &r.scenario);
  NodeTables t;
  src.tables_at(a, replies[0] + kSecond - 1, t);
  EXPECT_EQ(t.arp.size(), 1u) << "still fresh a nanosecond before it expires";
  src.tables_at(a, replies[0] + kSecond, t);
  EXPECT_TRUE(t.arp.empty()) << "an expired entry answers nothing (arp_cache.cpp)";
  src.tables_at(a, replies[1] - 1, t);
  EXPECT_TRUE(t.arp.empty());
  src.tables_at(a, replies[1], t);
  ASSERT_EQ(t.arp.size(), 1u);
  EXPECT_EQ(t.arp[0].learnt_ns, replies[1]);
}

TEST(TopologyNodeTables, TheAskedHostLearnsTheAskerFromTheRequest) {
  // RFC 826: B is the target of A's request, so it enters A's pair before answering.
  const LessonRun r = run_lesson("net-arp-first-packet.toml");
  const auto requests = arp_arrivals(r.run.trace, 1, v4("10.0.0.2"));
  ASSERT_FALSE(requests.empty());
  const NodeTables t =
      node_tables_at(r.run.trace, r.topology, &r.scenario, *r.topology.node_named("B"), requests[0]);
  ASSERT_EQ(t.arp.size(), 1u);
  EXPECT_EQ(t.arp[0].address, v4("10.0.0.1"));
  EXPECT_EQ(t.arp[0].mac, r.topology.nodes[*r.topology.node_named("A")].interfaces[0].mac);
}

TEST(TopologyNodeTables, RouterLearnsEachNeighbourOnTheInterfaceItHeardItOn) {
  // net-router-subnets at the end: R heard A on eth0 (A asked for the gateway) and C on eth1 (C answered).
  const LessonRun r = run_lesson("net-router-subnets.toml");
  const std::uint32_t rn = *r.topology.node_named("R");
  const NodeTables t = node_tables_at(r.run.trace, r.topology, &r.scenario, rn, r.run.end.ns);
  ASSERT_EQ(t.arp.size(), 2u);
  const TopologyNode& router = r.topology.nodes[rn];
  EXPECT_EQ(router.interfaces[t.arp[0].interface].name, "eth0");
  EXPECT_EQ(t.arp[0].address, v4("10.0.0.1"));
  EXPECT_EQ(router.interfaces[t.arp[1].interface].name, "eth1");
  EXPECT_EQ(t.arp[1].address, v4("10.1.0.2"));
  const NodeTables sw =
      node_tables_at(r.run.trace, r.topology, &r.scenario, *r.topology.node_named("S"), r.run.end.ns);
  EXPECT_TRUE(sw.arp.empty()) << "a switch learns MAC addresses per port, it keeps no ARP cache";
  EXPECT_TRUE(sw.routes.empty());
}

TEST(TopologyNodeTables, AFloodedRequestForSomeoneElseRefreshesAKnownEntryOnly) {
  // RFC 826 merge: B already knows A when A's request for the gateway comes by the switch, so B refreshes
  // A's entry; C never hears A at all.
  const LessonRun r = run_lesson("net-router-subnets.toml");
  const auto for_gateway = arp_arrivals(r.run.trace, 1, v4("10.0.0.254"));
  ASSERT_FALSE(for_gateway.empty());
  const std::int64_t latest = *std::max_element(for_gateway.begin(), for_gateway.end());
  const NodeTables b =
      node_tables_at(r.run.trace, r.topology, &r.scenario, *r.topology.node_named("B"), r.run.end.ns);
  ASSERT_EQ(b.arp.size(), 1u);
  EXPECT_EQ(b.arp[0].address, v4("10.0.0.1"));
  EXPECT_EQ(b.arp[0].learnt_ns, latest) << "refreshed by the flooded copy B received";
  const NodeTables c =
      node_tables_at(r.run.trace, r.topology, &r.scenario, *r.topology.node_named("C"), r.run.end.ns);
  ASSERT_EQ(c.arp.size(), 1u);
  EXPECT_EQ(c.arp[0].address, v4("10.1.0.254")) << "C learnt the router from its request, nothing else";
}

TEST(TopologyNodeTables, RouterLessonsTablesListConnectedRoutesAndTheDefaultGateway) {
  // What `ip route` shows: a connected route per interface, then the default route through the gateway.
  const LessonRun r = run_lesson("net-router-subnets.toml");
  EXPECT_EQ(routes_of(r, "R"), (std::vector<std::string>{"10.0.0.0/24 dev eth0", "10.1.0.0/24 dev eth1"}));
  EXPECT_EQ(routes_of(r, "A"),
            (std::vector<std::string>{"10.0.0.0/24 dev eth0", "default via 10.0.0.254 dev eth0"}));
  EXPECT_EQ(routes_of(r, "C"),
            (std::vector<std::string>{"10.1.0.0/24 dev eth0", "default via 10.1.0.254 dev eth0"}));
}

TEST(TopologyNodeTables, TraceroutesRoutersListLongestPrefixFirst) {
  // RFC 1812 §5.2.4.3: the most specific route wins, so the list reads in the order a lookup decides.
  const LessonRun r = run_lesson("net-traceroute.toml");
  EXPECT_EQ(routes_of(r, "R1"), (std::vector<std::string>{"10.0.1.0/30 dev eth1", "10.0.0.0/24 dev eth0",
                                                          "default via 10.0.1.2 dev eth1"}));
  EXPECT_EQ(routes_of(r, "R2"), (std::vector<std::string>{"10.0.1.0/30 dev eth0", "10.2.0.0/24 dev eth1",
                                                          "10.0.0.0/16 via 10.0.1.1 dev eth0"}));
  const NodeTables t = node_tables_at(r.run.trace, r.topology, &r.scenario, *r.topology.node_named("R1"), 0);
  ASSERT_EQ(t.routes.size(), 3u);
  EXPECT_EQ(t.routes[0].origin, RouteOrigin::Connected);
  EXPECT_EQ(t.routes[2].origin, RouteOrigin::Static) << "a [[router.route]] to default is configured";
}

TEST(TopologyNodeTables, StaticRouteMoreSpecificThanTheSubnetComesFirst) {
  // A /28 route through another gateway inside the host's own /24 is tried before the connected route.
  auto sc = parse_scenario(R"(
[scenario]
name = "more-specific"
[[host]]
name = "A"
address = "10.0.0.1/24"
gateway = "10.0.0.254"
[[host.route]]
to = "10.0.0.32/28"
via = "10.0.0.253"
[[host]]
name = "B"
address = "10.0.0.2/24"
[[link]]
between = ["A", "B"]
latency = "1ms"
)",
                           "more-specific.toml");
  ASSERT_TRUE(sc) << sc.error().reason;
  const TopologyInput t = topology_from_scenario(*sc);
  const auto rows = routing_table_of(t, &*sc, *t.node_named("A"));
  std::vector<std::string> text;
  for (const auto& row : rows) text.push_back(route_text(t.nodes[0], row));
  EXPECT_EQ(text, (std::vector<std::string>{"10.0.0.32/28 via 10.0.0.253 dev eth0", "10.0.0.0/24 dev eth0",
                                            "default via 10.0.0.254 dev eth0"}));
}

TEST(TopologyNodeTables, DirectRunHasConnectedRouteAndNoArp) {
  // A lesson on the direct wire sends no ARP: the cache stays empty, the route is the subnet's.
  const LessonRun r = run_lesson("udp-loss.toml");
  ASSERT_FALSE(r.topology.nodes.empty());
  const NodeTables t = node_tables_at(r.run.trace, r.topology, &r.scenario, 0, r.run.end.ns);
  EXPECT_TRUE(t.arp.empty());
  ASSERT_EQ(t.routes.size(), 1u);
  EXPECT_EQ(t.routes[0].origin, RouteOrigin::Connected);
}

TEST(TopologyNodeTables, UnknownNodeAndTraceWithoutScenarioGiveNoInventedEntries) {
  // Bad input: a node index past the end is empty; a Trace alone keeps the connected routes and the
  // default 30 s ARP lifetime.
  const LessonRun r = run_lesson("net-arp-first-packet.toml");
  NodeTablesSource src(r.run.trace, r.topology, &r.scenario);
  NodeTables t;
  t.arp.push_back({});
  src.tables_at(99, 0, t);
  EXPECT_TRUE(t.arp.empty());
  EXPECT_TRUE(t.routes.empty());
  const TopologyInput from_trace = topology_from_trace(r.run.trace);
  NodeTablesSource alone(r.run.trace, from_trace, nullptr);
  EXPECT_EQ(alone.arp_lifetime().ns, 30 * kSecond);
  alone.tables_at(0, 2 * kSecond, t);
  ASSERT_EQ(t.routes.size(), 1u);
  EXPECT_EQ(t.arp.size(), 1u) << "with Linux's 30 s the first answer is still fresh at 2 s";
  const NodeTables empty = node_tables_at(Trace{}, TopologyInput{}, nullptr, 0, 0);
  EXPECT_TRUE(empty.arp.empty() && empty.routes.empty());
}

TEST(TopologyPackets, RoutedHopsMoveAlongTheirOwnLinks) {
  // Each hop of a routed packet is its own row (Trace::hop): A -> S, S -> R, R -> C, never straight A -> C.
  const LessonRun r = run_lesson("net-router-subnets.toml");
  const Trace& tr = r.run.trace;
  const auto host_nodes = nodes_of_trace_hosts(tr, r.topology);
  int hops = 0;
  for (std::size_t i = 0; i < tr.packet_count(); ++i) {
    const auto hop = packet_hop(tr, host_nodes, i);
    ASSERT_TRUE(hop) << "row " << i + 1;
    EXPECT_TRUE(r.topology.link_between(hop->from, hop->to))
        << "row " << i + 1 << ": " << r.topology.nodes[hop->from].name << " -> "
        << r.topology.nodes[hop->to].name;
    ++hops;
  }
  EXPECT_GT(hops, 10);
}

}  // namespace ui_topology_node_tables_test
}  // namespace wirestep
