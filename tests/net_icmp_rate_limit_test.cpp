// ICMP error rate limiting as Linux does it (net/ipv4/icmp.c; RFC 1812 §4.3.2.8 asks for a limit): error
// types in icmp_ratemask pass the node's bucket (icmp_msgs_per_sec 1000, icmp_msgs_burst 50) and the
// destination's (a burst of 6, then one per icmp_ratelimit = 1000 ms); echo replies are never limited.
#include <gtest/gtest.h>

#include "net_test_support.hpp"
#include "sim/analysis/event_text_zh.hpp"
#include "sim/net/icmp_rate_limit.hpp"

namespace wirestep {
namespace net_icmp_rate_limit_test {

using testing::rows_of;
using testing::run_text;

constexpr std::uint8_t kUnreachable = 3, kPort = 3;
const wire::Ipv4Addr kA{0x0A000001};

SimTime at_ms(std::int64_t ms) {
  return SimTime{SimDuration::millis(ms).ns};
}

TEST(IcmpRateLimiter, SixErrorsToOneDestinationThenOnePerSecond) {
  IcmpRateLimiter lim;
  for (int k = 0; k < 6; ++k) EXPECT_TRUE(lim.allow(at_ms(0), kUnreachable, kPort, kA)) << k;
  EXPECT_FALSE(lim.allow(at_ms(0), kUnreachable, kPort, kA));
  EXPECT_FALSE(lim.allow(at_ms(999), kUnreachable, kPort, kA));
  EXPECT_TRUE(lim.allow(at_ms(1000), kUnreachable, kPort, kA));
  EXPECT_FALSE(lim.allow(at_ms(1500), kUnreachable, kPort, kA));
  // Another destination has its own bucket.
  EXPECT_TRUE(lim.allow(at_ms(1500), kUnreachable, kPort, wire::Ipv4Addr{0x0A000002}));
}

TEST(IcmpRateLimiter, EveryMaskedTypeIsLimitedAndEchoRepliesAndFragNeededAreNot) {
  for (std::uint8_t type : {3, 4, 11, 12}) {
    IcmpRateLimiter lim;
    for (int k = 0; k < 6; ++k) lim.allow(at_ms(0), type, 0, kA);
    EXPECT_FALSE(lim.allow(at_ms(0), type, 0, kA)) << "type " << int{type};
  }
  IcmpRateLimiter lim;
  for (int k = 0; k < 100; ++k) {
    EXPECT_TRUE(lim.allow(at_ms(0), 0, 0, kA)) << "echo reply " << k;
    EXPECT_TRUE(lim.allow(at_ms(0), kUnreachable, 4, kA)) << "fragmentation needed " << k;
  }
}

TEST(IcmpRateLimiter, NodeSendsFiftyInABurstThenAThousandPerSecond) {
  IcmpRateLimiter lim;
  std::uint32_t dst = 0x0A010000;
  for (int k = 0; k < 50; ++k)
    EXPECT_TRUE(lim.allow(at_ms(0), kUnreachable, kPort, wire::Ipv4Addr{++dst})) << k;
  EXPECT_FALSE(lim.allow(at_ms(0), kUnreachable, kPort, wire::Ipv4Addr{++dst}));
  EXPECT_FALSE(lim.allow(at_ms(19), kUnreachable, kPort, wire::Ipv4Addr{++dst}))
      << "refilled after 20 ms at least";
  // 20 ms later: 1000/s x 20 ms = 20 more credits.
  int allowed = 0;
  for (int k = 0; k < 30; ++k) allowed += lim.allow(at_ms(20), kUnreachable, kPort, wire::Ipv4Addr{++dst});
  EXPECT_EQ(allowed, 20);
}

std::string burst_to_closed_port(int count, const char* interval) {
  return testing::two_hosts(
      "arp = false\n",
      testing::program("tx", "A",
                       {"call = \"sendto\"\nto = \"10.0.0.2:9\"\ntext = \"knock {n}\"\ncount = " +
                        std::to_string(count) + "\ninterval = \"" + interval + "\""}));
}

// A burst of 20 datagrams to a closed port: B answers the first 6 and says why it is silent for the rest.
TEST(IcmpRateLimit, BurstToClosedPortGetsSixPortUnreachables) {
  const auto r = run_text(burst_to_closed_port(20, "1ms"));
  EXPECT_EQ(rows_of(r.trace, Transport::Udp).size(), 20u);
  const auto icmp = rows_of(r.trace, Transport::Icmp);
  ASSERT_EQ(icmp.size(), 6u);
  for (std::size_t i : icmp) EXPECT_EQ(r.trace.icmp(i)->message.code, kPort);
  std::size_t notes = 0;
  for (const TraceEvent& e : r.trace.events())
    if (e.kind == EventKind::Note &&
        e.detail.starts_with("ICMP rate limit: the error to 10.0.0.1 is not sent")) {
      ++notes;
      EXPECT_EQ(event_text(Lang::Zh, e.kind, e.detail).find("ICMP rate limit"), std::string::npos);
    }
  EXPECT_EQ(notes, 14u);
}

// Spread out, the bucket refills (inet_peer_xrlim_allow): datagrams every 250 ms for 4 s. The 6 tokens
// plus a quarter second's worth per datagram last until 1.5 s; then one a second: at 2, 3 and 4 s.
TEST(IcmpRateLimit, SlowStreamToClosedPortIsAnsweredOncePerSecondAfterTheBurst) {
  const auto r = run_text(burst_to_closed_port(17, "250ms"));
  const auto icmp = rows_of(r.trace, Transport::Icmp);
  std::vector<std::int64_t> sent_ms;
  for (std::size_t i : icmp) sent_ms.push_back(r.trace.packet(i).time.ns / 1'000'000);
  // Each answer leaves B as the datagram arrives, 5 ms after A sent it.
  EXPECT_EQ(sent_ms, (std::vector<std::int64_t>{5, 255, 505, 755, 1005, 1255, 1505, 2005, 3005, 4005}));
}

// Echo replies are not in icmp_ratemask: a fast ping gets every answer.
TEST(IcmpRateLimit, EchoRepliesAreNeverLimited) {
  const auto r = run_text(testing::router_network(
      "[network]\narp = false\n" + testing::ping("p", "A", "10.1.0.2", "count = 20\ninterval = \"10ms\"")));
  EXPECT_NE(testing::output_of(r, "p").find("20 packets transmitted, 20 received"), std::string::npos)
      << testing::output_of(r, "p");
}

}  // namespace net_icmp_rate_limit_test
}  // namespace wirestep
