// The timeline's ladder of a routed network (issue #18): one lifeline per node, routers and switches
// included, and one arrow per hop, so a datagram from A to C through the switch S and the router R is drawn
// A -> S, S -> R, R -> C; lanes stand in the order the hops walk. And issue #17's leftover: a folded mark
// knows which packets it stands for, so a packetdrill failure folded into it colours it red.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "ui/cli/ladder_order.hpp"
#include "ui/gui/packet_text.hpp"
#include "ui/gui/timeline_mapping.hpp"
#include "ui/model/loaded_trace.hpp"

namespace wirestep::gui {
namespace ui_ladder_hops_test {

LoadedTrace router_lesson() {
  auto sc = load_scenario_file(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/net-router-subnets.toml");
  EXPECT_TRUE(sc);
  LoadedTrace lt;
  if (!sc) return lt;
  lt.trace = run_scenario(*sc).trace;
  index_trace(lt, false);
  return lt;
}

std::uint32_t node(const Trace& t, const std::string& name) {
  for (std::uint32_t i = 0; i < t.hosts().size(); ++i)
    if (t.hosts()[i].name == name) return i;
  ADD_FAILURE() << "no node " << name;
  return 0;
}

std::string names(const Trace& t, const LadderEnds& e) {
  return t.hosts()[e.from].name + "->" + t.hosts()[e.to].name;
}

// The rows of UDP datagrams, each as "from->to" by the ladder's ends.
std::vector<std::string> udp_hops(const LoadedTrace& lt) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < lt.trace.packet_count(); ++i) {
    const PacketRecord p = lt.trace.packet(i);
    if (lt.trace.flows()[p.flow].proto != Transport::Udp) continue;
    out.push_back(names(lt.trace, ladder_ends(lt.trace, i, p, lt.flow_columns)));
  }
  return out;
}

TEST(UiLadderHops, EveryNodeHasALifelineRoutersAndSwitchesIncluded) {
  const LoadedTrace lt = router_lesson();
  ASSERT_EQ(lt.columns.size(), 5u);
  std::vector<std::string> cols;
  for (const auto& c : lt.columns) cols.push_back(c.name);
  EXPECT_EQ(cols, (std::vector<std::string>{"A", "B", "C", "R", "S"}));
}

TEST(UiLadderHops, DatagramThroughTheRouterIsOneArrowPerHop) {
  // To B: A -> S -> B (same subnet); to C: A -> S -> R -> C (RFC 1122 §3.3.1.1: off-link goes to the
  // gateway).
  const LoadedTrace lt = router_lesson();
  EXPECT_EQ(udp_hops(lt), (std::vector<std::string>{"A->S", "S->B", "A->S", "S->R", "R->C"}));
}

TEST(UiLadderHops, ArpRequestIsFloodedByTheSwitchToEveryOtherPort) {
  const LoadedTrace lt = router_lesson();
  std::vector<std::string> first_request;
  for (std::size_t i = 0; i < lt.trace.packet_count() && first_request.size() < 3; ++i) {
    const PacketRecord p = lt.trace.packet(i);
    if (!p.arp || p.arp->op != 1) continue;
    first_request.push_back(names(lt.trace, ladder_ends(lt.trace, i, p, lt.flow_columns)));
  }
  EXPECT_EQ(first_request, (std::vector<std::string>{"A->S", "S->B", "S->R"}));
}

TEST(UiLadderHops, ArrowsJoinTheLanesOfTheirHopsNodes) {
  const LoadedTrace lt = router_lesson();
  LadderLayout layout;
  layout.columns = 5;
  for (std::uint8_t i = 0; i < 5; ++i) layout.column_x[i] = 100.0f + 100.0f * i;
  const auto times = lt.trace.packet_times_ns();
  const TimeMapping map =
      make_mapping(times.front(), lt.trace.packet(lt.trace.packet_count() - 1).arrive.ns, 0.0f, 100000.0f);
  std::vector<ArrowRecord> arrows;
  build_arrows(lt.trace, lt.flow_columns, layout, map, {0, lt.trace.packet_count()}, Filters{}, arrows);
  ASSERT_EQ(arrows.size(), lt.trace.packet_count()) << "a sparse run: every packet its own arrow";
  for (const ArrowRecord& r : arrows) {
    const Trace::LinkHop* hop = lt.trace.hop(r.packet);
    ASSERT_NE(hop, nullptr);
    EXPECT_EQ(r.x0, layout.column_x[hop->from_node]) << "packet " << r.packet;
    EXPECT_EQ(r.x1, layout.column_x[hop->to_node]) << "packet " << r.packet;
  }
}

TEST(UiLadderHops, LanesStandInTheOrderTheHopsWalk) {
  // Hosts come first in the Trace (A, B, C, R, S); the ladder walks the links from A: A, S, B, R, C.
  const LoadedTrace lt = router_lesson();
  const std::vector<std::uint8_t> slot = ladder_lane_slots(lt.trace, lt.columns.size());
  const Trace& t = lt.trace;
  EXPECT_EQ(slot[node(t, "A")], 0);
  EXPECT_EQ(slot[node(t, "S")], 1);
  EXPECT_EQ(slot[node(t, "B")], 2);
  EXPECT_EQ(slot[node(t, "R")], 3);
  EXPECT_EQ(slot[node(t, "C")], 4);
}

TEST(UiLadderHops, RunWithoutHopsKeepsItsOrder) {
  auto sc = load_scenario_file(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/tcp-two-clients.toml");
  ASSERT_TRUE(sc);
  const Trace t = run_scenario(*sc).trace;
  EXPECT_FALSE(has_hops(t));
  EXPECT_EQ(ladder_lane_slots(t, 3), (std::vector<std::uint8_t>{0, 1, 2}));
}

TEST(UiLadderHops, ArpAndIcmpArrowsReadLikeTsharkInBothLanguages) {
  const LoadedTrace lt = router_lesson();
  std::size_t request = lt.trace.packet_count(), udp = request;
  for (std::size_t i = 0; i < lt.trace.packet_count(); ++i) {
    const PacketRecord p = lt.trace.packet(i);
    if (p.arp && request == lt.trace.packet_count()) request = i;
    if (lt.trace.flows()[p.flow].proto == Transport::Udp && udp == lt.trace.packet_count()) udp = i;
  }
  ASSERT_LT(request, lt.trace.packet_count());
  char buf[192];
  format_packet_label(buf, sizeof buf, lt.trace, request, nullptr, LabelText::Plain, Lang::En);
  EXPECT_STREQ(buf, "ARP who-has 10.0.0.2 tell 10.0.0.1");
  format_packet_label(buf, sizeof buf, lt.trace, request, nullptr, LabelText::Plain, Lang::Zh);
  EXPECT_STREQ(buf, "ARP 谁是 10.0.0.2？请告诉 10.0.0.1");
  // UDP keeps its own label in either language.
  format_packet_label(buf, sizeof buf, lt.trace, udp, nullptr, LabelText::Plain, Lang::Zh);
  EXPECT_EQ(std::string(buf).rfind("UDP ", 0), 0u) << buf;
}

TEST(UiLadderHops, ArpAndIcmpArrowsHaveKindsOfTheirOwnForColourAndLegend) {
  const LoadedTrace lt = router_lesson();
  EXPECT_TRUE(lt.kinds_present[static_cast<std::size_t>(ArrowKind::Arp)]);
  EXPECT_TRUE(lt.kinds_present[static_cast<std::size_t>(ArrowKind::Datagram)]);
  EXPECT_FALSE(lt.kinds_present[static_cast<std::size_t>(ArrowKind::Other)]) << "no arrow is just \"other\"";
  PacketRecord echo;
  echo.icmp = IcmpRecord{};
  EXPECT_EQ(classify(echo, Transport::Icmp), ArrowKind::Icmp);
}

// Eight packets sent together A -> B fold into one mark; a B -> A packet among them is not in it.
TEST(UiLadderHops, FoldedMarkKnowsWhichPacketsItStandsFor) {
  Trace t;
  const auto a = wire::IpAddr::from_v4(*wire::Ipv4Addr::parse("10.0.0.1"));
  const auto b = wire::IpAddr::from_v4(*wire::Ipv4Addr::parse("10.0.0.2"));
  const auto ha = t.add_host({"A", a, 24}), hb = t.add_host({"B", b, 24});
  const auto [flow, dir] = t.flow_for(Transport::Tcp, a, 1000, b, 80, ha, hb);
  (void)dir;
  for (int i = 0; i < 9; ++i) {
    PacketRecord p;
    p.time = SimTime{1000 + i};  // all within one pixel
    p.arrive = SimTime{5'000'000};
    p.flow = flow;
    p.dir = i == 4 ? Direction::BtoA : Direction::AtoB;
    p.tcp_flags = wire::tcp_flag::kAck;
    p.payload_len = 100;
    p.cause = Cause::FirstTransmission;
    t.add_packet(p);
  }
  const std::vector<FlowColumns> fc = {FlowColumns{0, 1}};
  LadderLayout layout;
  layout.columns = 2;
  layout.column_x[0] = 100;
  layout.column_x[1] = 500;
  const TimeMapping map = make_mapping(0, 10'000'000, 0.0f, 500.0f);
  std::vector<ArrowRecord> arrows;
  build_arrows(t, fc, layout, map, {0, t.packet_count()}, Filters{}, arrows);
  const auto fold =
      std::find_if(arrows.begin(), arrows.end(), [](const ArrowRecord& r) { return r.count > 1; });
  ASSERT_NE(fold, arrows.end());
  EXPECT_EQ(fold->count, 8u);
  for (std::uint32_t k = 0; k < 9; ++k)
    EXPECT_EQ(fold_holds(t, fc, layout, *fold, k), k != 4) << "packet " << k;
  EXPECT_FALSE(fold_holds(t, fc, layout, *fold, 9)) << "past the Trace";
}

}  // namespace ui_ladder_hops_test
}  // namespace wirestep::gui
