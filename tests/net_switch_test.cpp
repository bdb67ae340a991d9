// The switch (a learning bridge, IEEE 802.1D §7.7-7.8; issue #18): a broadcast or an unknown address is
// flooded out of every other port, a learnt address goes out of its port alone, and a host ignores a frame
// for another MAC address.
#include <gtest/gtest.h>

#include <set>

#include "net_test_support.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace {

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

}  // namespace
}  // namespace wirestep
