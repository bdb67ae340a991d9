// RACK-TLP (RFC 8985) as a pure component: transmissions and ACKs with explicit times, and what it marks
// lost, when its timers are due and what the tail loss probe sends.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "sim/tcp/recovery/rack_tlp.hpp"

namespace wirestep {
namespace tcp_rack_tlp_test {

constexpr std::uint32_t kMss = 1000;
SimTime ms(std::int64_t v) {
  return SimTime::zero() + SimDuration::millis(v);
}

// Segments P0, P1, ... of one MSS each from a base just below 2^32, so the examples wrap.
struct Sender {
  RackTlp rack;
  const SeqNum base{0xFFFFF800u};
  SeqNum p(std::uint32_t i) const { return base + i * kMss; }
  SackBlock seg(std::uint32_t i) const { return {p(i), p(i + 1)}; }
  SackBlock segs(std::uint32_t first, std::uint32_t last) const { return {p(first), p(last + 1)}; }
  void send(SimTime at, std::uint32_t i, bool retransmission = false) {
    rack.on_transmit(at, p(i), kMss, retransmission);
  }
  RackAckResult ack(SimTime at, std::uint32_t cum_segment, std::vector<SackBlock> sacks,
                    SimDuration srtt = SimDuration::millis(100), bool in_recovery = false,
                    SimDuration rtt_sample = SimDuration{}) {
    RackAck a;
    a.now = at;
    a.cum_ack = p(cum_segment);
    a.sacks = sacks;
    a.snd_nxt = p(next);
    a.srtt = srtt;
    a.rtt_sample = rtt_sample;
    a.in_recovery = in_recovery;
    return rack.on_ack(a);
  }
  std::uint32_t next = 0;  // segments sent so far, for SND.NXT
};

TEST(TcpRack, Rfc8985Section3_3ExampleTlpThenRackRepairsTailAndLostRetransmission) {
  // RFC 8985 §3.3, Figure 1 with RTT = 100 ms. (1) P0-P3 sent; P1, P2, P3 dropped.
  Sender s;
  for (std::uint32_t i = 0; i < 4; ++i) s.send(ms(0), i);
  s.next = 4;
  // (2) P0's ACK. Nothing sent after P0 has been delivered, so RACK marks nothing lost.
  RackAckResult r = s.ack(ms(100), 1, {}, SimDuration::millis(100), false, SimDuration::millis(100));
  EXPECT_TRUE(r.newly_lost.empty());
  EXPECT_EQ(s.rack.rack_rtt(), SimDuration::millis(100));
  // (3a) §7.2: the probe timeout is 2·SRTT after the ACK (three segments in flight, no delayed-ACK term).
  const auto pto = s.rack.arm_pto(ms(100), SimDuration::millis(100), ms(1100), false);
  ASSERT_TRUE(pto.has_value());
  EXPECT_EQ(*pto, ms(300));
  // (3b) No new data: the probe retransmits the highest-sequence segment, P3 (§7.3).
  const TlpProbe probe = s.rack.on_pto(ms(300), false);
  ASSERT_EQ(probe.kind, TlpProbeKind::RetransmitLast);
  EXPECT_EQ(probe.segment, s.seg(3));
  s.rack.on_probe_sent(ms(300), probe.segment.start, kMss, true);
  EXPECT_EQ(s.rack.tlp_end_seq(), s.p(4));
  // (4-5) The probe's SACK: P3 was sent at 300 ms, after P1 and P2 (0 ms), and 0 + 100 + 25 ms (the
  // reordering window min_RTT/4) is past, so (5b) RACK marks P1 and P2 lost (§6.2 step 5).
  r = s.ack(ms(400), 1, {s.seg(3)});
  EXPECT_EQ(s.rack.rack_xmit_ts(), ms(300));
  ASSERT_EQ(r.newly_lost.size(), 2u);
  EXPECT_EQ(r.newly_lost[0], s.seg(1));
  EXPECT_EQ(r.newly_lost[1], s.seg(2));
  // (5c) Fast recovery retransmits P1 and P2; the network drops P1 again.
  s.send(ms(400), 1, true);
  s.send(ms(400), 2, true);
  // (6-7a) P2's retransmission is SACKed. P1's retransmission went out at the same time but with a lower
  // sequence, so it counts as sent before (RACK_sent_after); in recovery without reordering the window is
  // 0, and 400 + 100 ms has passed: the lost retransmission is detected without waiting for an RTO.
  r = s.ack(ms(500), 1, {s.segs(2, 3)}, SimDuration::millis(100), true);
  ASSERT_EQ(r.newly_lost.size(), 1u);
  EXPECT_EQ(r.newly_lost[0], s.seg(1));
  EXPECT_FALSE(s.rack.reordering_seen()) << "a retransmission below FACK is not reordering";
  // (7b-8) P1 again, and its ACK covers everything.
  s.send(ms(500), 1, true);
  r = s.ack(ms(600), 4, {}, SimDuration::millis(100), true);
  EXPECT_TRUE(r.newly_lost.empty());
  EXPECT_EQ(s.rack.segments_tracked(), 0u);
}

TEST(TcpRack, SegmentIsLostOnlyAfterTheReorderingWindowPassesAndTheTimerFiresThen) {
  Sender s;
  for (std::uint32_t i = 0; i < 5; ++i) s.send(ms(10 * i), i);
  s.next = 5;
  // P1 arrives before P0: RFC 8985 §6.2 step 3 sees reordering (P0 ends below FACK, not a retransmission).
  s.ack(ms(110), 0, {s.seg(1)});
  s.ack(ms(115), 2, {});
  EXPECT_TRUE(s.rack.reordering_seen());
  EXPECT_EQ(s.rack.min_rtt(), SimDuration::millis(100));
  // P3 (sent at 30 ms) is SACKed at 135 ms: RACK.rtt = 105 ms. P2 was sent at 20 ms: it is lost at
  // 20 + 105 + 25 (min_RTT/4) = 150 ms, not before: the reordering timer is set for then (§6.2 step 5).
  RackAckResult r = s.ack(ms(135), 2, {s.seg(3)});
  EXPECT_TRUE(r.newly_lost.empty());
  ASSERT_TRUE(r.reorder_deadline.has_value());
  EXPECT_EQ(*r.reorder_deadline, ms(150));
  EXPECT_FALSE(s.rack.is_lost(s.p(2)));
  EXPECT_TRUE(s.rack.on_reorder_timeout(ms(149), SimDuration::millis(100), false).newly_lost.empty());
  r = s.rack.on_reorder_timeout(ms(150), SimDuration::millis(100), false);
  ASSERT_EQ(r.newly_lost.size(), 1u);
  EXPECT_EQ(r.newly_lost[0], s.seg(2));
  EXPECT_TRUE(s.rack.is_lost(s.p(2)));
  EXPECT_FALSE(s.rack.is_lost(s.p(4))) << "P4 was sent after P3: no evidence against it";
  // Reported once.
  EXPECT_TRUE(s.rack.on_reorder_timeout(ms(200), SimDuration::millis(100), false).newly_lost.empty());
}

TEST(TcpRack, ReorderingWindowGrowsWithDsackRoundsIsCappedBySrttAndDecays) {
  Sender s;
  for (std::uint32_t i = 0; i < 6; ++i) s.send(ms(0), i);
  s.next = 6;
  s.ack(ms(100), 1, {}, SimDuration::millis(100), false, SimDuration::millis(100));
  EXPECT_EQ(s.rack.reo_wnd(SimDuration::seconds(1), false), SimDuration::millis(25));
  // RFC 8985 §6.2 step 4: a D-SACK (RFC 2883 §4: first block below the ACK) widens the window by
  // min_RTT/4, once per round trip.
  s.ack(ms(110), 1, {s.seg(0)});
  EXPECT_EQ(s.rack.reo_wnd_mult(), 2);
  EXPECT_EQ(s.rack.reo_wnd(SimDuration::seconds(1), false), SimDuration::millis(50));
  s.ack(ms(120), 1, {s.seg(0)});
  EXPECT_EQ(s.rack.reo_wnd_mult(), 2) << "same round";
  s.ack(ms(200), 6, {s.seg(0)});  // the round (SND.NXT when it began) is acknowledged: a new one
  EXPECT_EQ(s.rack.reo_wnd_mult(), 3);
  EXPECT_EQ(s.rack.reo_wnd(SimDuration::millis(60), false), SimDuration::millis(60)) << "capped by SRTT";
  // Sixteen recoveries without a D-SACK bring it back to min_RTT/4.
  for (int i = 0; i < 15; ++i) s.rack.on_recovery_exit();
  EXPECT_EQ(s.rack.reo_wnd_mult(), 3);
  s.rack.on_recovery_exit();
  EXPECT_EQ(s.rack.reo_wnd_mult(), 1);
}

TEST(TcpRack, NoReorderingWindowInRecoveryOrWithDupThreshSegmentsSacked) {
  Sender s;
  for (std::uint32_t i = 0; i < 6; ++i) s.send(ms(0), i);
  s.next = 6;
  s.ack(ms(100), 1, {}, SimDuration::millis(100), false, SimDuration::millis(100));
  EXPECT_EQ(s.rack.reo_wnd(SimDuration::millis(100), true), SimDuration{});  // §6.2 step 4
  s.ack(ms(101), 1, {s.segs(3, 5)});
  EXPECT_EQ(s.rack.reo_wnd(SimDuration::millis(100), false), SimDuration{});
}

TEST(TcpRack, RetransmissionAckedFasterThanMinRttGivesNoRttSample) {
  Sender s;
  s.send(ms(0), 0);
  s.send(ms(0), 1);
  s.next = 2;
  s.ack(ms(100), 1, {}, SimDuration::millis(100), false, SimDuration::millis(100));
  s.send(ms(250), 1, true);  // spurious retransmission: the original's ACK is on its way
  s.ack(ms(260), 2, {});
  // RFC 8985 §6.2 step 2: 10 ms < min_RTT, so this ACK was for the original; RACK.rtt stays.
  EXPECT_EQ(s.rack.rack_rtt(), SimDuration::millis(100));
}

TEST(TcpTlp, ProbeTimeoutIsTwoSrttPlusDelayedAckForOneSegmentCappedByRto) {
  Sender s;
  s.send(ms(0), 0);
  s.next = 1;
  // RFC 8985 §7.2: one segment in flight: 2·SRTT + WCDelAckT (200 ms).
  EXPECT_EQ(s.rack.arm_pto(ms(0), SimDuration::millis(50), ms(1000), false), ms(300));
  // Capped by when the RTO would fire.
  EXPECT_EQ(s.rack.arm_pto(ms(0), SimDuration::millis(50), ms(250), false), ms(250));
  // No SRTT yet: 1 s.
  EXPECT_EQ(s.rack.arm_pto(ms(0), SimDuration{}, std::nullopt, false), ms(1000));
  s.send(ms(1), 1);
  s.next = 2;
  EXPECT_EQ(s.rack.arm_pto(ms(1), SimDuration::millis(50), ms(1000), false), ms(101));
  // Not armed in recovery, nor with SACKed segments (RACK decides those).
  EXPECT_FALSE(s.rack.arm_pto(ms(1), SimDuration::millis(50), ms(1000), true).has_value());
  s.send(ms(2), 2);
  s.next = 3;
  s.ack(ms(60), 0, {s.seg(2)});
  EXPECT_FALSE(s.rack.arm_pto(ms(60), SimDuration::millis(50), ms(1000), false).has_value());
}

TEST(TcpTlp, LinuxProbeTimeoutAddsTwoMillisecondsOrRtoMinAndRoundsUpToJiffies) {
  // RFC 8985 §7.2 as Linux's tcp_schedule_loss_probe (6.7+): usecs_to_jiffies(2·SRTT + 2 ms) with several
  // segments in flight, usecs_to_jiffies(2·SRTT + TCP_RTO_MIN) with one; 1 s with no SRTT; the RTO caps it.
  Sender s{RackTlp(ProbeTimeoutRule::linux_kernel(SimDuration::millis(200), SimDuration::millis(4)))};
  const SimDuration srtt = SimDuration::micros(100);  // a 50 µs link: 2·SRTT alone would be 0.2 ms
  s.send(ms(0), 0);
  s.next = 1;
  EXPECT_EQ(s.rack.arm_pto(ms(0), srtt, ms(1000), false), ms(204));  // 200.2 ms -> 51 jiffies
  EXPECT_EQ(s.rack.arm_pto(ms(0), srtt, ms(201), false), ms(201));
  EXPECT_EQ(s.rack.arm_pto(ms(0), SimDuration{}, ms(5000), false), ms(1000));
  s.send(ms(0), 1);
  s.next = 2;
  EXPECT_EQ(s.rack.arm_pto(ms(0), srtt, ms(1000), false), ms(4));                    // 2.2 ms -> 1 jiffy
  EXPECT_EQ(s.rack.arm_pto(ms(0), SimDuration::millis(3), ms(1000), false), ms(8));  // 8 ms exactly
  EXPECT_EQ(s.rack.arm_pto(ms(0), SimDuration::micros(3'001), ms(1000), false), ms(12));
}

TEST(TcpTlp, ProbeSendsNewDataFirstAndOnlyOneProbeAtATime) {
  Sender s;
  s.send(ms(0), 0);
  s.send(ms(0), 1);
  s.next = 2;
  // RFC 8985 §7.3: an unsent segment the receive window allows goes first.
  TlpProbe p = s.rack.on_pto(ms(200), true);
  EXPECT_EQ(p.kind, TlpProbeKind::NewData);
  s.rack.on_probe_sent(ms(200), s.p(2), kMss, false);
  s.next = 3;
  EXPECT_EQ(s.rack.tlp_end_seq(), s.p(3));
  // A second timeout while that probe is unacknowledged sends nothing (the RTO is re-armed instead).
  p = s.rack.on_pto(ms(500), false);
  EXPECT_EQ(p.kind, TlpProbeKind::Skip);
  // The probe of new data is acknowledged: the episode ends, nothing inferred (§7.4).
  const RackAckResult r = s.ack(ms(600), 3, {}, SimDuration::millis(100), false, SimDuration::millis(100));
  EXPECT_EQ(r.tlp, TlpOutcome::NoLoss);
  EXPECT_FALSE(s.rack.tlp_end_seq().has_value());
}

TEST(TcpTlp, NoProbeWithoutAnRttSampleSinceTheLastProbe) {
  Sender s;
  s.send(ms(0), 0);
  s.next = 1;
  ASSERT_EQ(s.rack.on_pto(ms(200), false).kind, TlpProbeKind::RetransmitLast);
  s.rack.on_probe_sent(ms(200), s.p(0), kMss, true);
  // A pure duplicate ACK for the probe (both copies arrived, no SACK): episode over, no loss.
  s.ack(ms(250), 1, {});
  EXPECT_EQ(s.ack(ms(260), 1, {}).tlp, TlpOutcome::NoLoss);
  s.send(ms(300), 1);
  s.next = 2;
  // §7.3 condition 2: no RTT sample since that probe (its ACK was a retransmission's, ambiguous).
  EXPECT_EQ(s.rack.on_pto(ms(600), false).kind, TlpProbeKind::Skip);
}

TEST(TcpTlp, ProbeThatRepairedALossIsReportedForACongestionResponse) {
  Sender s;
  for (std::uint32_t i = 0; i < 3; ++i) s.send(ms(0), i);
  s.next = 3;
  s.ack(ms(100), 2, {}, SimDuration::millis(100), false, SimDuration::millis(100));
  ASSERT_EQ(s.rack.on_pto(ms(300), false).kind, TlpProbeKind::RetransmitLast);
  s.rack.on_probe_sent(ms(300), s.p(2), kMss, true);  // P2, whose original was lost
  RackAckResult r = s.ack(ms(400), 3, {});
  EXPECT_EQ(r.tlp, TlpOutcome::None) << "ACK at TLP.end_seq: the episode waits (Linux's rule)";
  s.send(ms(400), 3);
  s.next = 4;
  // An ACK beyond TLP.end_seq with no D-SACK for the probe: the probe filled a hole (§7.4.2).
  r = s.ack(ms(500), 4, {});
  EXPECT_EQ(r.tlp, TlpOutcome::LossRepaired);
}

TEST(TcpTlp, DsackForTheProbeMeansNoLoss) {
  Sender s;
  for (std::uint32_t i = 0; i < 3; ++i) s.send(ms(0), i);
  s.next = 3;
  ASSERT_EQ(s.rack.on_pto(ms(300), false).kind, TlpProbeKind::RetransmitLast);
  s.rack.on_probe_sent(ms(300), s.p(2), kMss, true);
  // RFC 8985 §7.4: the receiver had P2 already and reports the probe as a duplicate (RFC 2883 §4).
  const RackAckResult r = s.ack(ms(400), 3, {s.seg(2)});
  EXPECT_EQ(r.tlp, TlpOutcome::NoLoss);
}

TEST(TcpRack, MalformedAndPartialSackBlocksMarkNothing) {
  Sender s;
  for (std::uint32_t i = 0; i < 4; ++i) s.send(ms(0), i);
  s.next = 4;
  // Reversed, and half a segment: RACK counts whole segments only.
  const RackAckResult r = s.ack(ms(100), 0, {{s.p(3), s.p(2)}, {s.p(1), s.p(1) + 500}});
  EXPECT_TRUE(r.newly_lost.empty());
  EXPECT_FALSE(s.rack.rack_xmit_ts().has_value());
}

TEST(TcpRack, AcksBeforeAnyTransmissionOrForUnsentDataMarkNothing) {
  Sender s;
  EXPECT_TRUE(s.ack(ms(10), 3, {s.seg(5)}).newly_lost.empty());
  EXPECT_EQ(s.rack.on_pto(ms(20), false).kind, TlpProbeKind::Skip) << "nothing outstanding to probe";
  s.send(ms(20), 0);
  s.next = 1;
  // A SACK of segments never sent is ignored; P0 stays outstanding.
  const RackAckResult r = s.ack(ms(120), 0, {s.segs(3, 9)});
  EXPECT_TRUE(r.newly_lost.empty());
  EXPECT_EQ(s.rack.segments_tracked(), 1u);
}

}  // namespace tcp_rack_tlp_test
}  // namespace wirestep
