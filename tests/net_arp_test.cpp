// ARP in the routed network (RFC 826, issue #18): the first packet to a neighbour waits for a request and
// its reply, later ones hit the cache, an expired entry is asked again, and a neighbour that never answers
// is given up after Linux's three requests one second apart: host unreachable.
#include <gtest/gtest.h>

#include "net_test_support.hpp"

namespace wirestep {
namespace net_arp_test {

using testing::output_of;
using testing::rows_of;
using testing::run_text;

// A and B on one 5 ms link, B receiving three datagrams on port 9; `network`: the [network] keys.
std::string two_hosts(const std::string& network, const std::string& programs) {
  return testing::two_hosts(network, testing::udp_receiver("rx", "B", 9, 3) + programs);
}

// RFC 826: A broadcasts "who has 10.0.0.2", B answers with its MAC (unicast to A); only then does the
// datagram leave, one round trip (10 ms) after the send call.
TEST(Arp, FirstPacketWaitsForRequestAndReply) {
  const auto r = run_text(two_hosts("arp = true\n", R"(
[[program]]
name = "tx"
host = "A"
[[program.step]]
call = "sendto"
to = "10.0.0.2:9"
text = "x"
)"));
  const auto arp = rows_of(r.trace, Transport::Arp);
  ASSERT_EQ(arp.size(), 2u);
  const wire::ArpPacket req = *r.trace.arp(arp[0]), rep = *r.trace.arp(arp[1]);
  EXPECT_EQ(req.op, 1);
  EXPECT_EQ(req.target_ip, *wire::Ipv4Addr::parse("10.0.0.2"));
  EXPECT_EQ(req.target_mac, wire::MacAddr{});
  EXPECT_EQ(r.trace.hop(arp[0])->dst_mac, wire::kBroadcastMac) << "a request is broadcast";
  EXPECT_EQ(rep.op, 2);
  EXPECT_EQ(rep.sender_mac, wire::sim_mac(1));
  EXPECT_EQ(rep.target_mac, wire::sim_mac(0));
  EXPECT_EQ(r.trace.hop(arp[1])->dst_mac, wire::sim_mac(0)) << "a reply goes to the one who asked";
  const auto udp = rows_of(r.trace, Transport::Udp);
  ASSERT_EQ(udp.size(), 1u);
  EXPECT_EQ(r.trace.packet(udp[0]).time, SimTime{SimDuration::millis(10).ns}) << "waited one round trip";
  EXPECT_EQ(r.trace.hop(udp[0])->dst_mac, wire::sim_mac(1)) << "sent to the MAC ARP found";
}

// The second and third datagrams find B in A's cache: no more ARP, no waiting.
TEST(Arp, LaterPacketsHitTheCache) {
  const auto r = run_text(two_hosts("", R"(
[[program]]
name = "tx"
host = "A"
[[program.step]]
call = "sendto"
to = "10.0.0.2:9"
text = "x{n}"
count = 3
interval = "100ms"
)"));
  EXPECT_EQ(rows_of(r.trace, Transport::Arp).size(), 2u);
  const auto udp = rows_of(r.trace, Transport::Udp);
  ASSERT_EQ(udp.size(), 3u);
  EXPECT_EQ(r.trace.packet(udp[1]).time, SimTime{SimDuration::millis(100).ns});
  EXPECT_EQ(r.trace.packet(udp[2]).time, SimTime{SimDuration::millis(200).ns});
}

// An entry lives `arp_timeout`; a packet after that asks again.
TEST(Arp, ExpiredEntryIsAskedAgain) {
  const auto r = run_text(two_hosts("arp_timeout = \"500ms\"\n", R"(
[[program]]
name = "tx"
host = "A"
[[program.step]]
call = "sendto"
to = "10.0.0.2:9"
text = "x{n}"
count = 3
interval = "400ms"
)"));
  // 0 ms: miss (learnt at 10 ms, valid to 510 ms); 400 ms: hit; 800 ms: expired, ask again.
  EXPECT_EQ(rows_of(r.trace, Transport::Arp).size(), 4u);
  EXPECT_EQ(r.programs[0].received.size(), 3u);
}

// Nobody has the address: three requests one second apart (Linux mcast_solicit, retrans_time), then the
// queued packet is dropped and the sender's own stack reports host unreachable (ping prints it).
TEST(Arp, NoAnswerAfterThreeRequestsIsHostUnreachable) {
  const auto r = run_text(two_hosts("", R"(
[[program]]
name = "ping"
host = "A"
[[program.step]]
call = "ping"
to = "10.0.0.77"
count = 1
)"));
  const auto arp = rows_of(r.trace, Transport::Arp);
  ASSERT_EQ(arp.size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(r.trace.arp(arp[k])->op, 1);
    EXPECT_EQ(r.trace.packet(arp[k]).time, SimTime{SimDuration::seconds(static_cast<std::int64_t>(k)).ns});
  }
  EXPECT_TRUE(rows_of(r.trace, Transport::Icmp).empty()) << "the echo never left A";
  const std::string out = output_of(r, "ping");
  EXPECT_NE(out.find("From 10.0.0.1 icmp_seq=1 Destination Host Unreachable"), std::string::npos) << out;
  EXPECT_NE(out.find("1 packets transmitted, 0 received, +1 errors, 100% packet loss"), std::string::npos)
      << out;
}

// A router that cannot resolve the next hop tells the source with ICMP host unreachable (RFC 1812
// §5.2.7.1), quoting the packet it had to drop.
TEST(Arp, RouterThatCannotResolveSendsHostUnreachable) {
  const auto r = run_text(testing::router_network(R"(
[[program]]
name = "ping"
host = "A"
[[program.step]]
call = "ping"
to = "10.1.0.99"
count = 1
)"));
  const auto icmp = rows_of(r.trace, Transport::Icmp);
  ASSERT_EQ(icmp.size(), 2u);
  const IcmpRecord* err = r.trace.icmp(icmp[1]);
  EXPECT_EQ(err->message.type, 3);
  EXPECT_EQ(err->message.code, 1);
  EXPECT_EQ(err->message.quote->dst, wire::IpAddr::from_v4(*wire::Ipv4Addr::parse("10.1.0.99")));
  EXPECT_NE(output_of(r, "ping").find("From 10.0.0.254 icmp_seq=1 Destination Host Unreachable"),
            std::string::npos)
      << output_of(r, "ping");
}

}  // namespace net_arp_test
}  // namespace wirestep
