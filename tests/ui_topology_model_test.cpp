// The topology view's model without a window (issue #18): the network read from a scenario or a Trace,
// where each node is drawn, and where each packet is along its link at a cursor time, including the ones
// that died (a loss rule half-way along the wire, a full queue at the sender's end).
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/trace/trace.hpp"
#include "test_support.hpp"
#include "ui/model/topology_input.hpp"
#include "ui/model/topology_layout.hpp"
#include "ui/model/topology_packets.hpp"

namespace wirestep {
namespace ui_topology_model_test {

constexpr std::int64_t kMs = 1'000'000;

std::string lesson(const std::string& name) {
  return testing::source_path("scenarios/" + name);
}

wire::IpAddr ip(std::uint32_t last) {
  return wire::IpAddr::from_v4(wire::Ipv4Addr{0x0A000000u | last});
}

TopologyInput two_hosts() {
  TopologyInput t;
  t.nodes.push_back({"A", NodeKind::Host, {{"eth0", wire::Ipv4Addr{0x0A000001}, 24, {}}}});
  t.nodes.push_back({"B", NodeKind::Host, {{"eth0", wire::Ipv4Addr{0x0A000002}, 24, {}}}});
  t.links.push_back({{0, 0}, {1, 0}, {10 * kMs, 0, false}, {10 * kMs, 0, false}});
  return t;
}

// A handshake's first two segments over a 10 ms link, then a data segment a loss rule drops (it dies half-way
// along, 5 ms after it left) and one a full queue drops as it is sent.
Trace handshake_with_drops() {
  Trace tr;
  tr.add_host({"A", ip(1), 24});
  tr.add_host({"B", ip(2), 24});
  const auto [flow, dir] = tr.flow_for(Transport::Tcp, ip(1), 40000, ip(2), 80, 0, 1);
  namespace f = wire::tcp_flag;
  auto add = [&](std::int64_t sent, std::int64_t arrive, Direction d, std::uint8_t flags, std::uint32_t len,
                 Fate fate) {
    PacketRecord p;
    p.time = SimTime{sent};
    p.arrive = SimTime{arrive};
    p.flow = flow;
    p.dir = d;
    p.tcp_flags = flags;
    p.payload_len = len;
    p.fate = fate;
    p.cause = Cause::FirstTransmission;
    tr.add_packet(p);
  };
  add(0, 10 * kMs, dir, f::kSyn, 0, Fate::Delivered);
  add(10 * kMs, 20 * kMs, opposite(dir), f::kSyn | f::kAck, 0, Fate::Delivered);
  add(20 * kMs, 25 * kMs, dir, f::kAck, 1000, Fate::DroppedByLink);
  add(30 * kMs, 30 * kMs, dir, f::kAck, 1000, Fate::DroppedByQueue);
  return tr;
}

std::vector<PacketOnLink> at(const Trace& tr, const TopologyInput& t, std::int64_t t_ns,
                             std::int64_t mark_ns = 2 * kMs) {
  std::vector<PacketOnLink> out;
  packets_at(tr, t, nodes_of_trace_hosts(tr, t), {t_ns, longest_flight_ns(tr), mark_ns, 256}, out);
  return out;
}

TEST(TopologyPackets, SynIsHalfWayAlongItsLinkHalfWayThroughItsFlight) {
  // The box moves in step with the cursor: at 5 ms of a 10 ms flight it is in the middle of A-B.
  const Trace tr = handshake_with_drops();
  const auto p = at(tr, two_hosts(), 5 * kMs);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].packet, 0u);
  EXPECT_EQ(p[0].hop.from, 0u);
  EXPECT_EQ(p[0].hop.to, 1u);
  ASSERT_TRUE(p[0].link.has_value());
  EXPECT_EQ(*p[0].link, 0u);
  EXPECT_FLOAT_EQ(p[0].fraction, 0.5f);
  EXPECT_EQ(p[0].kind, TopoPacketKind::Control);
  EXPECT_FALSE(p[0].dropped);
}

TEST(TopologyPackets, ArrivedSegmentLeavesTheLinkAndTheAnswerStartsAtTheOtherEnd) {
  const Trace tr = handshake_with_drops();
  EXPECT_FLOAT_EQ(at(tr, two_hosts(), 0)[0].fraction, 0.0f);
  const auto p = at(tr, two_hosts(), 10 * kMs);
  ASSERT_EQ(p.size(), 1u) << "the SYN has arrived; only the SYN-ACK is on the link";
  EXPECT_EQ(p[0].packet, 1u);
  EXPECT_EQ(p[0].hop.from, 1u);
  EXPECT_EQ(p[0].hop.to, 0u);
  EXPECT_FLOAT_EQ(p[0].fraction, 0.0f);
  EXPECT_EQ(topo_packet_label(tr, 1), "SYN ACK");
  const auto data = at(tr, two_hosts(), 20 * kMs + kMs / 2);
  ASSERT_EQ(data.size(), 1u) << "the SYN-ACK has arrived; the data segment has left A";
  EXPECT_EQ(data[0].packet, 2u);
}

TEST(TopologyPackets, LinkDropDiesHalfWayAlongTheWireAndStaysMarkedAWhile) {
  // Link.cpp drops a lost packet half-way along the wire (latency / 2 after it left): the ladder's cross.
  const Trace tr = handshake_with_drops();
  const TopologyInput t = two_hosts();
  auto travelling = at(tr, t, 22 * kMs + kMs / 2);
  ASSERT_EQ(travelling.size(), 1u);
  EXPECT_EQ(travelling[0].kind, TopoPacketKind::Data);
  EXPECT_FALSE(travelling[0].dropped);
  EXPECT_FLOAT_EQ(travelling[0].fraction, 0.25f);
  for (std::int64_t t_ns : {25 * kMs, 27 * kMs}) {
    const auto dead = at(tr, t, t_ns);
    ASSERT_EQ(dead.size(), 1u) << t_ns;
    EXPECT_TRUE(dead[0].dropped);
    EXPECT_EQ(dead[0].fate, Fate::DroppedByLink);
    EXPECT_FLOAT_EQ(dead[0].fraction, 0.5f);
  }
  EXPECT_TRUE(at(tr, t, 27 * kMs + 1).empty()) << "marked for 2 ms, then gone";
}

TEST(TopologyPackets, QueueDropIsMarkedAtTheSendersEnd) {
  const Trace tr = handshake_with_drops();
  const auto p = at(tr, two_hosts(), 30 * kMs);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].packet, 3u);
  EXPECT_TRUE(p[0].dropped);
  EXPECT_EQ(p[0].fate, Fate::DroppedByQueue);
  EXPECT_FLOAT_EQ(p[0].fraction, 0.0f);
  EXPECT_EQ(p[0].hop.from, 0u);
}

TEST(TopologyPackets, LimitKeepsTheEarliestAndCountsTheRest) {
  const Trace tr = handshake_with_drops();
  std::vector<PacketOnLink> out;
  const TopologyInput t = two_hosts();
  // At 25 ms with a long mark time: the dead data segment; with a 100 ms mark, also nothing else in flight.
  const std::size_t all =
      packets_at(tr, t, nodes_of_trace_hosts(tr, t), {30 * kMs, longest_flight_ns(tr), 100 * kMs, 1}, out);
  EXPECT_EQ(all, 2u) << "the link drop (still marked) and the queue drop";
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].packet, 2u);
}

TEST(TopologyPackets, HostsMissingFromTheTopologyAreSkippedNotGuessed) {
  // A Trace whose hosts the topology does not know (or a capture's flows with no hosts): nothing drawn.
  const Trace tr = handshake_with_drops();
  TopologyInput other;
  other.nodes.push_back({"X", NodeKind::Host, {}});
  EXPECT_EQ(nodes_of_trace_hosts(tr, other), (std::vector<std::uint32_t>{kNoNode, kNoNode}));
  EXPECT_TRUE(at(tr, other, 5 * kMs).empty());
  EXPECT_TRUE(at(tr, TopologyInput{}, 5 * kMs).empty());
  // Hosts mapped, but no link between them: the packet is reported without a link (drawn straight).
  TopologyInput unlinked = two_hosts();
  unlinked.links.clear();
  const auto p = at(tr, unlinked, 5 * kMs);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_FALSE(p[0].link.has_value());
}

TEST(TopologyPackets, EmptyTraceAndTimesOutsideTheRunGiveNothing) {
  const Trace empty;
  EXPECT_TRUE(at(empty, two_hosts(), 0).empty());
  const Trace tr = handshake_with_drops();
  EXPECT_TRUE(at(tr, two_hosts(), -5 * kMs).empty());
  EXPECT_TRUE(at(tr, two_hosts(), 10'000 * kMs).empty());
}

TEST(TopologyPackets, LabelsNameFlagsAndPayloadLength) {
  const Trace tr = handshake_with_drops();
  EXPECT_EQ(topo_packet_label(tr, 0), "SYN");
  EXPECT_EQ(topo_packet_label(tr, 2), "Len=1000");
  EXPECT_EQ(topo_packet_kind(Transport::Udp, 0, 12), TopoPacketKind::Udp);
  EXPECT_EQ(topo_packet_kind(Transport::Arp, 0, 0), TopoPacketKind::Arp);
  EXPECT_EQ(topo_packet_kind(Transport::Icmp, 0, 0), TopoPacketKind::Icmp);
  EXPECT_EQ(topo_packet_kind(Transport::Tcp, wire::tcp_flag::kAck, 0), TopoPacketKind::Ack);
}

TEST(TopologyPackets, LabelsOfTeardownResetAndSynWithDataReadAsOnTheWire) {
  // RFC 9293 §3.1: the control bits named as Wireshark names them, ACK shown only beside another flag.
  Trace tr;
  tr.add_host({"A", ip(1), 24});
  tr.add_host({"B", ip(2), 24});
  const auto [flow, dir] = tr.flow_for(Transport::Tcp, ip(1), 40000, ip(2), 80, 0, 1);
  namespace f = wire::tcp_flag;
  const std::pair<std::uint8_t, std::uint32_t> kSegments[] = {
      {f::kFin | f::kAck, 0}, {f::kRst, 0}, {f::kSyn, 5}, {f::kFin | f::kAck, 7}};
  for (const auto& [flags, len] : kSegments) {
    PacketRecord p;
    p.flow = flow;
    p.dir = dir;
    p.tcp_flags = flags;
    p.payload_len = len;
    tr.add_packet(p);
  }
  EXPECT_EQ(topo_packet_label(tr, 0), "FIN ACK");
  EXPECT_EQ(topo_packet_label(tr, 1), "RST");
  EXPECT_EQ(topo_packet_label(tr, 2), "SYN Len=5");
  EXPECT_EQ(topo_packet_label(tr, 3), "FIN ACK Len=7");
  char tiny[4];
  format_topo_packet_label(tr, 0, tiny, sizeof tiny);  // cut short, never past the buffer
  EXPECT_STREQ(tiny, "FIN");
}

TEST(TopologyInputFromScenario, TwoClientsLessonHasThreeHostsAndTwoLinksWithTheirSettings) {
  auto sc = load_scenario_file(lesson("tcp-two-clients.toml"));
  ASSERT_TRUE(sc) << sc.error().message();
  const TopologyInput t = topology_from_scenario(*sc);
  ASSERT_EQ(t.nodes.size(), 3u);
  EXPECT_EQ(t.nodes[2].name, "S");
  ASSERT_EQ(t.nodes[2].interfaces.size(), 1u);
  EXPECT_EQ(t.nodes[2].interfaces[0].name, "eth0");
  EXPECT_EQ(t.nodes[2].interfaces[0].address->to_string(), "10.0.0.1");
  EXPECT_EQ(t.nodes[2].interfaces[0].prefix_len, 24);
  EXPECT_EQ(t.nodes[2].interfaces[0].mac, wire::sim_mac(2)) << "the MAC the pcap export writes";
  ASSERT_EQ(t.links.size(), 2u);
  EXPECT_EQ(t.link_between(1, 2), 1u);
  EXPECT_EQ(link_label(t.links[0]), "10ms, 10Mbit/s");
  EXPECT_EQ(link_label(t.links[1]), "15ms, 10Mbit/s");
}

// Issue #18: a router keeps every interface and a link joins the interface the scenario names, so the
// view can put the router between its subnets and label each end with that interface's address.
TEST(TopologyInputFromScenario, RouterLessonHasARouterWithTwoInterfacesAndASwitch) {
  auto sc = load_scenario_file(lesson("net-router-subnets.toml"));
  ASSERT_TRUE(sc) << sc.error().message();
  const TopologyInput t = topology_from_scenario(*sc);
  const auto r = t.node_named("R"), s = t.node_named("S"), c = t.node_named("C");
  ASSERT_TRUE(r && s && c);
  EXPECT_EQ(t.nodes[*r].kind, NodeKind::Router);
  EXPECT_EQ(t.nodes[*s].kind, NodeKind::Switch);
  EXPECT_EQ(t.nodes[*c].kind, NodeKind::Host);
  ASSERT_EQ(t.nodes[*r].interfaces.size(), 2u);
  EXPECT_EQ(t.nodes[*r].interfaces[0].address->to_string(), "10.0.0.254");
  EXPECT_EQ(t.nodes[*r].interfaces[1].name, "eth1");
  EXPECT_NE(t.nodes[*r].interfaces[0].mac, t.nodes[*r].interfaces[1].mac);
  EXPECT_FALSE(t.nodes[*s].interfaces.empty() || t.nodes[*s].interfaces[0].address.has_value())
      << "a switch port has no address";
  const auto rc = t.link_between(*r, *c);
  ASSERT_TRUE(rc);
  const TopologyLink& l = t.links[*rc];
  const LinkEnd& router_end = l.a.node == *r ? l.a : l.b;
  EXPECT_EQ(t.nodes[*r].interfaces[router_end.interface].name, "eth1");
}

TEST(TopologyInputFromTrace, LinksAreWhereFlowsJoinTwoHosts) {
  auto sc = load_scenario_file(lesson("tcp-two-clients.toml"));
  ASSERT_TRUE(sc);
  const RunResult run = run_scenario(*sc);
  const TopologyInput t = topology_from_trace(run.trace);
  ASSERT_EQ(t.nodes.size(), 3u);
  ASSERT_EQ(t.links.size(), 2u);
  EXPECT_TRUE(t.link_between(0, 2).has_value());
  EXPECT_TRUE(t.link_between(1, 2).has_value());
  EXPECT_FALSE(t.link_between(0, 1).has_value());
  EXPECT_EQ(link_label(t.links[0]), "") << "a Trace does not know the link's settings";
}

TEST(TopologyLayout, TwoHostsFaceEachOtherAcrossTheView) {
  const auto at = layout_topology(two_hosts());
  ASSERT_EQ(at.size(), 2u);
  EXPECT_FLOAT_EQ(at[0].x, 0.0f);
  EXPECT_FLOAT_EQ(at[1].x, 1.0f);
  EXPECT_FLOAT_EQ(at[0].y, 0.5f);
  EXPECT_FLOAT_EQ(at[1].y, 0.5f);
}

TEST(TopologyLayout, ServerWithTwoClientsFacesThemAsOnTheLadder) {
  auto sc = load_scenario_file(lesson("tcp-two-clients.toml"));
  ASSERT_TRUE(sc);
  const auto at = layout_topology(topology_from_scenario(*sc));
  ASSERT_EQ(at.size(), 3u);
  EXPECT_FLOAT_EQ(at[0].x, 0.0f);  // C1 left, above C2
  EXPECT_FLOAT_EQ(at[1].x, 0.0f);
  EXPECT_LT(at[0].y, at[1].y);
  EXPECT_FLOAT_EQ(at[2].x, 1.0f);  // S right, between them
  EXPECT_FLOAT_EQ(at[2].y, 0.5f);
}

TEST(TopologyLayout, RoutersStandInTheMiddleAndHostsOnTheirSide) {
  // H1, H2 - R1 - R2 - H3, with a switch between R2 and H3.
  TopologyInput t;
  for (const char* name : {"H1", "H2", "R1", "R2", "H3", "SW"}) t.nodes.push_back({name, NodeKind::Host, {}});
  t.nodes[2].kind = t.nodes[3].kind = NodeKind::Router;
  t.nodes[5].kind = NodeKind::Switch;
  constexpr std::pair<std::uint32_t, std::uint32_t> kLinks[] = {{0, 2}, {1, 2}, {2, 3}, {3, 5}, {5, 4}};
  for (const auto& [a, b] : kLinks) t.links.push_back({{a, 0}, {b, 0}, {}, {}});
  const auto at = layout_topology(t);
  ASSERT_EQ(at.size(), 6u);
  EXPECT_FLOAT_EQ(at[0].x, 0.0f);
  EXPECT_FLOAT_EQ(at[1].x, 0.0f);
  EXPECT_FLOAT_EQ(at[4].x, 1.0f);
  EXPECT_GT(at[2].x, 0.0f);
  EXPECT_LT(at[2].x, at[3].x) << "R1 left of R2";
  EXPECT_LT(at[3].x, at[5].x) << "the switch one hop further right";
  EXPECT_LT(at[5].x, 1.0f);
  for (const NodePoint& p : at) {
    EXPECT_GE(p.y, 0.0f);
    EXPECT_LE(p.y, 1.0f);
  }
}

TEST(TopologyLayout, EightNodesAllGetDistinctPlaces) {
  TopologyInput t;
  for (int i = 0; i < 8; ++i) t.nodes.push_back({"N" + std::to_string(i), NodeKind::Host, {}});
  t.nodes[3].kind = t.nodes[4].kind = NodeKind::Router;
  for (std::uint32_t h : {0u, 1u, 2u}) t.links.push_back({{h, 0}, {3, 0}, {}, {}});
  t.links.push_back({{3, 0}, {4, 0}, {}, {}});
  for (std::uint32_t h : {5u, 6u, 7u}) t.links.push_back({{4, 0}, {h, 0}, {}, {}});
  const auto at = layout_topology(t);
  for (std::size_t i = 0; i < at.size(); ++i)
    for (std::size_t j = i + 1; j < at.size(); ++j)
      EXPECT_FALSE(at[i].x == at[j].x && at[i].y == at[j].y) << i << " and " << j << " overlap";
}

TEST(TopologyLayout, EmptyAndLinklessTopologiesDoNotCrash) {
  EXPECT_TRUE(layout_topology(TopologyInput{}).empty());
  TopologyInput one;
  one.nodes.push_back({"A", NodeKind::Host, {}});
  one.links.push_back({{0, 0}, {7, 0}, {}, {}});  // a link to a node that does not exist
  const auto at = layout_topology(one);
  ASSERT_EQ(at.size(), 1u);
  EXPECT_FLOAT_EQ(at[0].x, 0.5f);
}

TEST(TopologyDeterminism, SameRunGivesTheSameLayoutAndTheSamePacketsEveryTime) {
  auto sc = load_scenario_file(lesson("udp-loss.toml"));
  ASSERT_TRUE(sc);
  const RunResult r1 = run_scenario(*sc), r2 = run_scenario(*sc);
  const TopologyInput t = topology_from_scenario(*sc);
  const auto l1 = layout_topology(t), l2 = layout_topology(t);
  for (std::size_t i = 0; i < l1.size(); ++i) {
    EXPECT_EQ(l1[i].x, l2[i].x);
    EXPECT_EQ(l1[i].y, l2[i].y);
  }
  for (std::int64_t t_ns = 0; t_ns < 1100 * kMs; t_ns += 7 * kMs) {
    const auto a = at(r1.trace, t, t_ns), b = at(r2.trace, t, t_ns);
    ASSERT_EQ(a.size(), b.size()) << "t=" << t_ns;
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].packet, b[i].packet);
      EXPECT_EQ(a[i].fraction, b[i].fraction);
      EXPECT_EQ(a[i].dropped, b[i].dropped);
    }
  }
}

TEST(TopologyPackets, EveryLostDatagramOfTheUdpLessonIsMarkedMidLinkWhenItDies) {
  // udp-loss drops about one datagram in ten (RFC 768: nobody resends it); each one shows as a cross.
  auto sc = load_scenario_file(lesson("udp-loss.toml"));
  ASSERT_TRUE(sc);
  const RunResult run = run_scenario(*sc);
  const TopologyInput t = topology_from_scenario(*sc);
  int lost = 0;
  for (std::size_t i = 0; i < run.trace.packet_count(); ++i) {
    if (run.trace.fate(i) != Fate::DroppedByLink) continue;
    ++lost;
    const auto p = at(run.trace, t, run.trace.arrive(i).ns);
    const auto it = std::find_if(p.begin(), p.end(), [&](const PacketOnLink& q) { return q.packet == i; });
    ASSERT_NE(it, p.end()) << "packet " << i + 1;
    EXPECT_TRUE(it->dropped);
    EXPECT_FLOAT_EQ(it->fraction, 0.5f);
    EXPECT_EQ(it->kind, TopoPacketKind::Udp);
  }
  EXPECT_GT(lost, 0) << "the lesson loses datagrams at its seed";
}

}  // namespace ui_topology_model_test
}  // namespace wirestep
