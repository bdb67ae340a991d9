// Linux's GSO packets in the linux profile (issue 16, TcpConfig::tso_defer): how many segments a packet of
// new data holds (tcp_tso_autosize within tcp_cwnd_test's quota), when a small one waits for the next ACK
// (tcp_tso_should_defer), a loss probe of new data that sends one whole packet (RFC 8985 §7.3 with Linux's
// push_one = 2), the window's partial last segment that goes with its packet (tcp_mss_split_point), and the
// rate limit on answers to out-of-window probes (tcp_oow_rate_limited). Each figure below is what real Linux
// 6.18 sent in the twin lab (scenarios/twin/twin-zero-window.toml: 50 µs each way, a reader asleep for 3 s).
// PSH marks the last segment of a packet of more than one segment (__tcp_transmit_skb).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "tcp_test_harness.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace tcp_linux_tso_test {

using namespace tcptest;

const TcpConfig kLinux = TcpConfig::for_profile(TcpProfile::Linux);

// The twin's zero-window run itself (A sends 300 KB at once to B, whose program sleeps 3 s; frames reach
// B as linear skbs as behind the twin relay), simulated, with Linux's TSO rules on or off.
struct ZeroWindowRun {
  std::vector<WireSeg> wire;
  std::vector<WireSeg> data;  // A's data segments
};

ZeroWindowRun zero_window_run(bool tso_defer, bool oow_limit = true) {
  auto sc = load_scenario_file(testing::source_path("scenarios/twin/twin-zero-window.toml"));
  EXPECT_TRUE(sc) << sc.error().message();
  ZeroWindowRun r;
  if (!sc) return r;
  sc->tcp.tso_defer = tso_defer;
  if (!oow_limit) sc->tcp.oow_ack_ratelimit = SimDuration{};
  const auto run = run_scenario(*sc);
  r.wire = ladder(run.trace);
  r.data = data_segments(r.wire, "A");
  return r;
}

// Segments per packet of new data, read from PSH (a packet of one segment has none) up to `count` segments.
std::vector<int> packet_sizes(const std::vector<WireSeg>& data, std::size_t count) {
  std::vector<int> sizes;
  int run = 0;
  for (std::size_t i = 0; i < data.size() && i < count; ++i) {
    ++run;
    if (data[i].has(flag::kPsh)) {
      sizes.push_back(run);
      run = 0;
    }
  }
  return sizes;
}

// tcp_cwnd_test: a packet holds at most half the cwnd, so the initial window of 10 (RFC 6928) goes as two
// packets of 5; on a path of 100 µs tcp_tso_autosize would allow 45. The ten ACKs of the first flight then
// free 20 segments: after the first ACK a packet of 2 would be small and the next ACK is due at once, so it
// waits (tcp_tso_should_defer); the second ACK lets 4 go (at least a third of the cwnd), and so on: 4, 6, 6,
// 4, exactly as real Linux cut them.
TEST(TcpLinuxTso, FirstFlightsGoAsPacketsOfHalfTheCwndAndSmallOnesWaitForTheNextAck) {
  const auto r = zero_window_run(true);
  ASSERT_GE(r.data.size(), 30u);
  EXPECT_EQ(packet_sizes(r.data, 30), (std::vector<int>{5, 5, 4, 6, 6, 4}));
}

// Without the deferral every ACK sends what the cwnd allows, in packets of tcp_min_tso_segs (2).
TEST(TcpLinuxTso, WithoutDeferralEveryPacketHoldsTwoSegments) {
  const auto r = zero_window_run(false);
  ASSERT_GE(r.data.size(), 30u);
  EXPECT_EQ(packet_sizes(r.data, 30), std::vector<int>(15, 2));
}

// After the third burst's last ACK the segments the cwnd still allows wait for an ACK that B, now delaying
// its ACKs, does not send: the tail loss probe fires (RFC 8985 §7.2: 2·SRTT + 2 ms, in 4 ms jiffies) and
// sends them as one packet of new data, ending where the window of the last ACK allows (72400 bytes, as
// real Linux); then B's delayed ACK acknowledges all of it with a window of 10240.
TEST(TcpLinuxTso, HeldSegmentsLeaveAsOneLossProbePacket) {
  const auto r = zero_window_run(true);
  ASSERT_GE(r.data.size(), 52u);
  std::size_t first = 0;
  for (std::size_t i = 1; i < r.data.size() && !first; ++i)
    if (r.data[i].time - r.data[i - 1].time >= SimDuration::millis(2)) first = i;
  ASSERT_GT(first, 30u) << "no data segment waited for a timer";
  std::size_t last = first;
  while (last + 1 < r.data.size() && r.data[last + 1].time == r.data[first].time) ++last;
  EXPECT_GE(last - first + 1, 2u) << "the probe sends a whole packet, not one segment";
  EXPECT_TRUE(r.data[last].has(flag::kPsh)) << r.data[last];
  EXPECT_EQ(r.data[last].seq + r.data[last].len - r.data[0].seq, 50u * 1448) << r.data[last];
  for (std::size_t i = first; i <= last; ++i)
    EXPECT_EQ(r.data[i].cause, Cause::FirstTransmission) << r.data[i];
  bool delayed_ack = false;
  for (const WireSeg& s : r.wire)
    if (s.from == "B" && s.ack - r.data[0].seq == 50u * 1448) {
      EXPECT_EQ(std::uint32_t{s.window} << 7, 10240u) << s;
      EXPECT_GE((s.time - r.data[last].time).ns, SimDuration::millis(30).ns) << "a delayed ACK: " << s;
      delayed_ack = true;
      break;
    }
  EXPECT_TRUE(delayed_ack);
}

// A window of 10240 bytes holds 7 segments and 104 bytes: Linux cuts the packet at the window's edge and
// sends the 104 bytes with it (tcp_mss_split_point; Nagle lets it go, nothing small is unacknowledged),
// where RFC 9293 §3.8.6.2.1 would hold the runt back. The window then closes at 82640 bytes.
TEST(TcpLinuxTso, PartialSegmentAtTheWindowEdgeGoesWithItsPacket) {
  const auto r = zero_window_run(true);
  bool found = false;
  for (const WireSeg& s : r.data)
    if (s.len == 104) {
      EXPECT_EQ(s.seq - r.data[0].seq, 57u * 1448) << s;
      found = true;
      break;
    }
  EXPECT_TRUE(found) << "no 104-byte segment at the window's edge";
  bool zero = false;
  for (const WireSeg& s : r.wire)
    if (s.from == "B" && s.window == 0 && !s.has(flag::kSyn)) {
      EXPECT_EQ(s.ack - r.data[0].seq, 82640u) << s;
      zero = true;
      break;
    }
  EXPECT_TRUE(zero);
}

// The twin's zero-window run with one TcpConfig setting changed.
template <typename Change>
std::vector<WireSeg> zero_window_wire(Change change) {
  auto sc = load_scenario_file(testing::source_path("scenarios/twin/twin-zero-window.toml"));
  EXPECT_TRUE(sc) << sc.error().message();
  if (!sc) return {};
  change(sc->tcp);
  return ladder(run_scenario(*sc).trace);
}

// The writer's skbs were cut from stream offset 0, in whole segments; the 104-byte segment at the window's
// edge shifts every segment after it by 104 bytes. Linux 6.10+ grows each packet's skb from the next one
// before it leaves (tcp_grow_skb), so the skb boundaries do not cut the segments after it short: real Linux
// sent 150 segments of 1448 bytes after the zero window. Without it, the first skb boundary after the cut
// (stream offset 98464) ends a 1344-byte segment. (Later, when a burst's ACKs arrive at one simulated
// instant, a packet of up to 40 segments may grow to the end of the next skb and end short, as Linux would:
// tcp_grow_skb takes from one skb only; real Linux's ACKs arrive microseconds apart and its packets stay
// small. So only the segments of the first bursts are asserted here.)
TEST(TcpLinuxTso, SegmentsAfterTheWindowEdgeCutStayFullSizedAsEachSkbGrowsFromTheNext) {
  for (const bool grow : {true, false}) {
    const auto data = data_segments(zero_window_wire([&](TcpConfig& c) { c.grow_skb = grow; }), "A");
    std::size_t tail = 0;
    while (tail < data.size() && data[tail].len != 104) ++tail;  // the cut at the window's edge
    ASSERT_LT(tail + 61, data.size()) << "no 104-byte segment at the window's edge";
    std::vector<std::uint32_t> short_at;
    for (std::size_t i = tail + 1; i <= tail + 60; ++i)
      if (data[i].cause == Cause::FirstTransmission && data[i].len != 1448)
        short_at.push_back(data[i].seq + data[i].len - data[0].seq);
    if (grow) {
      EXPECT_TRUE(short_at.empty()) << ::testing::PrintToString(short_at);
    } else {
      ASSERT_FALSE(short_at.empty());
      EXPECT_EQ(short_at.front(), 68u * 1448) << "ends at the writer's skb boundary";
    }
  }
}

// The window update that ends the zero window comes 3 s after the last data left: tcp_ack_update_window
// calls tcp_slow_start_after_idle_check there, so cwnd restarts from the initial window (RFC 5681 §4.1,
// tcp_cwnd_restart) and 10 segments leave before the first ACK, as real Linux sent them. With
// tcp_slow_start_after_idle off the old cwnd sends what the whole window allows.
TEST(TcpLinuxTso, TheWindowUpdateAfterThreeIdleSecondsRestartsFromTheInitialWindow) {
  for (const bool restart : {true, false}) {
    const auto wire = zero_window_wire([&](TcpConfig& c) { c.slow_start_after_idle = restart; });
    const auto data = data_segments(wire, "A");
    std::size_t first = 0;
    while (first < data.size() && data[first].time < SimTime::zero() + SimDuration::millis(2900)) ++first;
    ASSERT_LT(first, data.size()) << "nothing was sent after the zero window";
    std::size_t burst = 0;
    for (std::size_t i = first; i < data.size() && data[i].time == data[first].time; ++i) ++burst;
    if (restart)
      EXPECT_EQ(burst, 10u) << data[first];
    else
      EXPECT_GT(burst, 10u) << data[first];
  }
}

// Zero-window probes (SND.UNA - 1, no data) are out of the window: B answers one at most every 500 ms
// (tcp_invalid_ratelimit). The probes come 200+, 400+, 800+ ms apart (RFC 9293 §3.8.6.1's backoff), so the
// second, about 410 ms after the first, goes unanswered, as in the real capture; with the limit off every
// probe is answered (RFC 9293 §3.10.7.4).
TEST(TcpLinuxTso, OutOfWindowProbesAreAnsweredAtMostTwiceASecond) {
  for (const bool limit : {true, false}) {
    const auto r = zero_window_run(true, limit);
    int probes = 0, answers = 0;
    for (std::size_t i = 0; i < r.wire.size(); ++i) {
      const WireSeg& s = r.wire[i];
      if (s.from != "A" || s.len != 0 || s.has(flag::kSyn) || s.has(flag::kFin) || s.time > at_ms(2900))
        continue;
      if (s.time < at_ms(100)) continue;  // the handshake's ACK
      ++probes;
      if (i + 1 < r.wire.size() && r.wire[i + 1].from == "B" &&
          r.wire[i + 1].time - s.time < SimDuration::millis(1))
        ++answers;
    }
    EXPECT_EQ(probes, 3) << (limit ? "limited" : "unlimited");
    EXPECT_EQ(answers, limit ? 2 : 3) << (limit ? "limited" : "unlimited");
  }
}

}  // namespace tcp_linux_tso_test
}  // namespace wirestep
