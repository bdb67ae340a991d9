// Loss repair with the linux profile: SACK negotiated, so the RFC 6675 scoreboard, RACK-TLP (RFC 8985) and
// PRR (RFC 6937) repair losses, and CUBIC (RFC 9438) reduces the window. A sends 60 full segments (1448
// bytes with timestamps) over a link that serialises about one frame per millisecond, 10 ms each way.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "tcp_test_harness.hpp"

namespace wirestep {
namespace tcp_linux_recovery_test {

using namespace tcptest;

constexpr std::uint64_t kSegments = 60;
constexpr std::uint32_t kPayload = 1448;  // 1460 announced less the 12 bytes of timestamps (RFC 7323 §3)

struct LinuxTransfer {
  explicit LinuxTransfer(std::vector<std::uint32_t> lost_data_segments,
                         TcpConfig config = TcpConfig::for_profile(TcpProfile::Linux))
      : lab(options(std::move(lost_data_segments), config)) {
    lab.establish(at_ms(200));
    if (::testing::Test::HasFatalFailure()) return;
    lab.at(at_ms(200), [this] {
      TcpLab::send(lab.A(), lab.client, {}, kSegments * kPayload, sent);
      TcpLab::read_until_eof(lab.B(), lab.server(), sink);
    });
    lab.at(at_ms(5000), [this] { ASSERT_TRUE(lab.A().close(lab.client).ok()); });
    lab.run(at_ms(10'000));
    wire = lab.wire();
  }
  static LabOptions options(std::vector<std::uint32_t> lost, const TcpConfig& c) {
    LabOptions o;
    o.bandwidth_a_to_b_bps = kOneFullFramePerMs;
    o.tcp_a = c;
    o.tcp_b = c;
    o.a_to_b.push_back(drop(PacketKind::Data, std::move(lost)));
    return o;
  }
  std::vector<WireSeg> retransmissions() const {
    return filter(data_segments(wire, "A"),
                  [](const WireSeg& s) { return s.cause != Cause::FirstTransmission; });
  }
  mutable TcpLab lab;
  CallResult sent;
  Sink sink;
  std::vector<WireSeg> wire;
};

// RFC 6675 §5 and RFC 8985 §6.2: with SACK, every lost segment is found from the blocks and retransmitted
// exactly once, with no retransmission timeout, whether one, three or ten segments of a window are lost.
void expect_sack_repair(const std::vector<std::uint32_t>& lost_nth) {
  LinuxTransfer t(lost_nth);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  ASSERT_TRUE(t.lab.client_conn() == nullptr || t.lab.client_conn()->sack_on());
  EXPECT_EQ(t.sink.data.size(), kSegments * kPayload) << dump(t.wire);
  EXPECT_TRUE(with_cause(t.wire, Cause::RtoRetransmission).empty()) << dump(t.wire);
  const auto lost = filter(t.wire, [](const WireSeg& s) { return s.lost(); });
  ASSERT_EQ(lost.size(), lost_nth.size()) << dump(t.wire);
  std::map<std::uint32_t, int> resent;
  for (const WireSeg& r : t.retransmissions()) {
    ++resent[r.seq];
    EXPECT_TRUE(r.cause == Cause::RackRetransmission || r.cause == Cause::FastRetransmission ||
                r.cause == Cause::TailLossProbe)
        << r.str();
  }
  for (const WireSeg& l : lost) EXPECT_EQ(resent[l.seq], 1) << "segment " << l.str() << "\n" << dump(t.wire);
  EXPECT_EQ(resent.size(), lost.size()) << "only the lost segments are sent again\n" << dump(t.wire);
}

TEST(TcpLinuxRecovery, OneLostSegmentIsRetransmittedOnceFromSackWithoutTimeout) {
  expect_sack_repair({20});
}

TEST(TcpLinuxRecovery, ThreeLostSegmentsAreEachRetransmittedOnceWithoutTimeout) {
  expect_sack_repair({20, 23, 26});
}

TEST(TcpLinuxRecovery, TenLostSegmentsAreEachRetransmittedOnceWithoutTimeout) {
  expect_sack_repair({20, 21, 22, 23, 24, 25, 26, 27, 28, 29});
}

// RFC 8985 §7.2-§7.3: when the tail of a transfer is lost no ACK will report it; a probe timeout of
// 2·SRTT sends the last segment again, and its SACK lets RACK repair the rest, long before an RTO.
TEST(TcpLinuxTailLoss, LostTailIsRepairedByProbeAboutTwoSrttLater) {
  LinuxTransfer t({58, 59, 60});
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(t.sink.data.size(), kSegments * kPayload) << dump(t.wire);
  EXPECT_TRUE(with_cause(t.wire, Cause::RtoRetransmission).empty()) << dump(t.wire);
  const auto probes = with_cause(t.wire, Cause::TailLossProbe);
  ASSERT_EQ(probes.size(), 1u) << dump(t.wire);
  EXPECT_EQ(probes[0].seq, 59 * kPayload + 1) << "the probe repeats the last segment sent";
  // The probe timer is re-armed by each ACK (as on Linux): it fires usecs_to_jiffies(2·SRTT + 2 ms) after
  // the last ACK before it (tcp_schedule_loss_probe, several segments out, 4 ms jiffies).
  SimTime last_ack{};
  for (const WireSeg& s : t.wire)
    if (s.from == "B" && s.arrive < probes[0].time) last_ack = std::max(last_ack, s.arrive);
  // SRTT as A's Trace recorded it when that ACK arrived.
  std::int64_t srtt_ns = 0;
  for (const auto& [when, value] : variable_history(t.lab.trace(), t.lab.a, TraceVar::Srtt))
    if (when <= last_ack) srtt_ns = value;
  ASSERT_GT(srtt_ns, 0);
  const SimDuration gap = probes[0].time - last_ack;
  const std::int64_t jiffy = SimDuration::millis(4).ns;
  EXPECT_EQ(gap.ns, (2 * srtt_ns + SimDuration::millis(2).ns + jiffy - 1) / jiffy * jiffy)
      << "probe " << format_ms(probes[0].time) << " last ACK " << format_ms(last_ack) << "\n"
      << dump(t.wire);
  // The two segments before the probe were repaired from its SACK, once each.
  const auto rack = with_cause(t.wire, Cause::RackRetransmission);
  ASSERT_EQ(rack.size(), 2u) << dump(t.wire);
  EXPECT_EQ(rack[0].seq, 57 * kPayload + 1);
  EXPECT_EQ(rack[1].seq, 58 * kPayload + 1);
}

// RFC 9438 §4.6: a congestion event sets ssthresh to β_cubic = 0.7 of cwnd, and RFC 6937 §3 brings cwnd
// to ssthresh when recovery ends.
TEST(TcpLinuxCubic, LossReducesCwndToSevenTenths) {
  LinuxTransfer t({40});
  ASSERT_FALSE(HasFatalFailure());
  const auto cwnd = variable_history(t.lab.trace(), t.lab.a, TraceVar::Cwnd);
  const auto ssthresh = variable_history(t.lab.trace(), t.lab.a, TraceVar::Ssthresh);
  const auto resent = t.retransmissions();
  ASSERT_FALSE(resent.empty()) << dump(t.wire);
  // The reduction is the last ssthresh change up to the first retransmission (HyStart may have set one
  // before, when slow start ended).
  SimTime reduced_at{};
  std::int64_t reduced = -1;
  for (const auto& [when, value] : ssthresh)
    if (when <= resent[0].time) std::tie(reduced_at, reduced) = std::pair{when, value};
  ASSERT_GT(reduced, 0);
  std::int64_t before = -1;
  for (const auto& [when, value] : cwnd)
    if (when < reduced_at) before = value;
  ASSERT_GT(before, 0);
  EXPECT_EQ(reduced, before * 7 / 10) << "cwnd before the loss " << before;
  // When recovery ends cwnd equals ssthresh (RFC 6937 §3).
  bool reached = false;
  for (const auto& [when, value] : cwnd)
    if (when > reduced_at && value == reduced) reached = true;
  EXPECT_TRUE(reached);
  EXPECT_TRUE(with_cause(t.wire, Cause::RtoRetransmission).empty()) << dump(t.wire);
}

// Without SACK the linux profile falls back to duplicate ACKs (RFC 5681 §3.2): the rfc path is unchanged.
TEST(TcpLinuxRecovery, WithoutSackThreeDuplicateAcksStillRepair) {
  TcpConfig c = TcpConfig::for_profile(TcpProfile::Linux);
  c.sack = false;
  LinuxTransfer t({20}, c);
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(t.sink.data.size(), kSegments * kPayload);
  EXPECT_EQ(with_cause(t.wire, Cause::FastRetransmission).size(), 1u) << dump(t.wire);
  EXPECT_TRUE(with_cause(t.wire, Cause::RackRetransmission).empty());
}

}  // namespace tcp_linux_recovery_test
}  // namespace wirestep
