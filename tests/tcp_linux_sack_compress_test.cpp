// Linux's SACK compression in the linux profile (issue 16, TcpConfig::comp_sack_nr): RFC 5681 §4.2 asks an
// immediate duplicate ACK for every out-of-order segment; Linux (__tcp_ack_snd_check) sends the first three
// for one RCV.NXT at once, enough for the sender's DupThresh, and then one ACK with the SACK blocks for the
// rest, after min(tcp_comp_sack_delay_ns = 1 ms, RTT / 20) plus the hrtimer's slack (tcp_comp_sack_slack_ns
// = 100 µs). Real Linux behind the twin relay did the same (twin-bulk-loss-5ms: five duplicate ACKs at once,
// two of them still quick ACKs, then one 0.6 ms later; twin-bulk-loss at 50 µs: 6 at once, one 129 µs later).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "tcp_test_harness.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace tcp_linux_sack_compress_test {

using namespace tcptest;

// B's ACKs for the first hole of twin-bulk-loss-5ms (its 20th data segment is dropped), simulated.
struct FirstHole {
  std::vector<WireSeg> dupacks;           // B's ACKs carrying SACK blocks with the hole's ACK number
  std::uint32_t segments_after_hole = 0;  // A's segments that arrived beyond the hole before it was filled
};

FirstHole first_hole(std::uint32_t comp_sack_nr) {
  auto sc = load_scenario_file(testing::source_path("scenarios/twin/twin-bulk-loss-5ms.toml"));
  EXPECT_TRUE(sc) << sc.error().message();
  FirstHole h;
  if (!sc) return h;
  sc->tcp.comp_sack_nr = comp_sack_nr;
  const auto run = run_scenario(*sc);
  const auto wire = ladder(run.trace);
  std::uint32_t hole = 0;
  SimTime repaired{};
  for (const WireSeg& s : wire) {
    if (s.from == "A" && s.len > 0 && s.lost() && !hole) hole = s.seq;
    if (hole && s.from == "A" && s.seq == hole && !s.lost() && repaired.ns == 0) repaired = s.arrive;
  }
  EXPECT_NE(hole, 0u) << "nothing was dropped";
  for (const WireSeg& s : wire) {
    if (s.from == "B" && s.ack == hole && s.options && s.options->sack_count > 0 && s.time < repaired)
      h.dupacks.push_back(s);
    if (s.from == "A" && s.len > 0 && s.seq > hole && !s.lost() && s.arrive < repaired)
      ++h.segments_after_hole;
  }
  return h;
}

TEST(TcpLinuxSackCompress, ThreeDuplicateAcksGoAtOnceAndOneAckCarriesTheRest) {
  const FirstHole h = first_hole(44);
  ASSERT_GE(h.dupacks.size(), 4u);
  EXPECT_LT(h.dupacks.size(), h.segments_after_hole) << "some out-of-order segments share an ACK";
  // Those sent when their segment arrived come first, at the burst's instant (at least the three of
  // TCP_FASTRETRANS_THRESH); the last waited RTT / 20 = 10 ms / 20, plus the timer's 100 µs slack, and
  // reports everything received.
  const WireSeg& last = h.dupacks.back();
  const WireSeg& before = h.dupacks[h.dupacks.size() - 2];
  EXPECT_EQ((last.time - before.time).ns, SimDuration::micros(600).ns) << before << "\n" << last;
  std::size_t at_once = 0;
  for (const WireSeg& d : h.dupacks) at_once += d.time == h.dupacks.front().time;
  EXPECT_GE(at_once, 3u);
  EXPECT_EQ(at_once, h.dupacks.size() - 1);
}

TEST(TcpLinuxSackCompress, WithoutCompressionEveryOutOfOrderSegmentIsAcknowledgedAtOnce) {
  const FirstHole h = first_hole(0);  // RFC 5681 §4.2
  EXPECT_EQ(h.dupacks.size(), h.segments_after_hole);
  for (const WireSeg& d : h.dupacks) EXPECT_EQ(d.time, h.dupacks.front().time) << d;
}

}  // namespace tcp_linux_sack_compress_test
}  // namespace wirestep
