// The switch (a learning bridge, IEEE 802.1D §7.7-7.8; issue #18): a broadcast or an unknown address is
// flooded out of every other port, a learnt address goes out of its port alone, and a host ignores a frame
// for another MAC address; an address not heard from for 300 s is forgotten (ageing) and flooded again.
#include <gtest/gtest.h>

#include <set>

#include "net_test_support.hpp"
#include "sim/trace/trace_summary.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace net_switch_test {

using testing::rows_of;

TEST(Switch, FloodsTheArpRequestAndForwardsTheReplyToTheLearntPort) {
  auto sc = load_scenario_file(testing::source_path("scenarios/net-router-subnets.toml"));
  ASSERT_TRUE(sc) << sc.error().message();
  const auto r = run_scenario(*sc);
  // Nodes in the scenario's order: A 0, B 1, C 2, R 3, S 4.
  const auto arp = rows_of(r.trace, Transport::Arp);
  ASSERT_GE(arp.size(), 5u);
  auto hop = [&](std::size_t k) { return *r.trace.hop(arp[k]); };
  EXPECT_EQ(hop(0).from_node, 0u);
  EXPECT_EQ(hop(0).to_node, 4u);
  // The request for B: flooded to B and R (not back to A), with A's MAC as the source on every copy.
  EXPECT_EQ(hop(1).from_node, 4u);
  EXPECT_EQ(hop(2).from_node, 4u);
  EXPECT_EQ((std::set<std::uint32_t>{hop(1).to_node, hop(2).to_node}), (std::set<std::uint32_t>{1u, 3u}));
  EXPECT_EQ(hop(1).src_mac, wire::sim_mac(0));
  // B's reply: to the switch, then only to A, whose port the switch learnt from the request.
  EXPECT_EQ(hop(3).from_node, 1u);
  EXPECT_EQ(hop(4).from_node, 4u);
  EXPECT_EQ(hop(4).to_node, 0u);
  // The datagram to B crosses the switch once, out of B's port only.
  const auto udp = rows_of(r.trace, Transport::Udp);
  ASSERT_EQ(udp.size(), 5u);
  EXPECT_EQ(r.trace.hop(udp[1])->from_node, 4u);
  EXPECT_EQ(r.trace.hop(udp[1])->to_node, 1u);
  EXPECT_EQ(r.trace.packet(udp[1]).ttl, 64) << "a switch does not touch the IP header";
  EXPECT_EQ(r.trace.packet(udp[4]).ttl, 63) << "the router does";
}

// IEEE 802.1D §7.9.2 / Linux bridge ageing_time: B's entry, learnt from its ARP reply, is kept for 300 s.
// A datagram at 200 s goes out of B's port alone; one at 400 s finds the entry aged out and is flooded to
// B and R (R's card ignores a frame for B's MAC).
TEST(Switch, ForgetsAnAddressAfterThreeHundredSecondsAndFloodsAgain) {
  auto send_at = [](const char* at, const char* text) {
    return std::string("call = \"sendto\"\nat = \"") + at + "\"\nto = \"10.0.0.2:8080\"\ntext = \"" + text +
           "\"";
  };
  const auto r = testing::run_text(testing::switched_router_network(
      testing::udp_receiver("rx", "B", 8080, 3) +
          testing::program("tx", "A",
                           {send_at("1ms", "now"), send_at("200s", "later"), send_at("400s", "later still")}),
      "arp_timeout = \"1000s\"\n"));
  EXPECT_EQ(r.programs[0].received.size(), 3u);
  const auto udp = rows_of(r.trace, Transport::Udp);
  // Rows per datagram: A -> S, then S's copies.
  auto copies_from_switch = [&](SimDuration from, SimDuration to) {
    std::set<std::uint32_t> out;
    for (std::size_t i : udp) {
      const SimTime t = r.trace.packet(i).time;
      if (t.ns >= from.ns && t.ns < to.ns && r.trace.hop(i)->from_node == 4u)
        out.insert(r.trace.hop(i)->to_node);
    }
    return out;
  };
  EXPECT_EQ(copies_from_switch(SimDuration::seconds(0), SimDuration::seconds(1)),
            (std::set<std::uint32_t>{1u}));
  EXPECT_EQ(copies_from_switch(SimDuration::seconds(200), SimDuration::seconds(201)),
            (std::set<std::uint32_t>{1u}));
  EXPECT_EQ(copies_from_switch(SimDuration::seconds(400), SimDuration::seconds(401)),
            (std::set<std::uint32_t>{1u, 3u}));
  EXPECT_EQ(rows_of(r.trace, Transport::Arp).size(), 5u) << "no new ARP: A's cache entry lives 1000 s";
  // The flooded copy R's card ignored is not what became of the datagram: all three were delivered.
  const TraceSummary s = summarize(r.trace);
  EXPECT_EQ(s.udp.packets, 3u);
  EXPECT_EQ(s.udp.delivered, 3u);
}

}  // namespace net_switch_test
}  // namespace wirestep
