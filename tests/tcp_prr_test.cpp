// Proportional Rate Reduction (RFC 6937 §3), alone and driven by the RFC 6675 scoreboard on the two
// scenarios of RFC 6937's examples: 20 segments in flight and ssthresh 10, with one loss, then with a burst
// of 15. The tables here are computed from the algorithm; what is checked is the shape the RFC describes.
#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <set>
#include <vector>

#include "sim/tcp/recovery/prr.hpp"
#include "sim/tcp/recovery/sack_scoreboard.hpp"

namespace wirestep {
namespace tcp_prr_test {

constexpr std::uint32_t kMss = 1000;

TEST(TcpPrr, ProportionalPartSendsSsthreshOverRecoverFsOfWhatIsDelivered) {
  Prr prr(kMss);
  prr.start(10 * kMss, 20 * kMss);
  // RFC 6937 §3: sndcnt = CEIL(prr_delivered·ssthresh/RecoverFS) − prr_out while pipe > ssthresh.
  // In segments as the RFC's examples count: CEIL(1·10/20) = 1, CEIL(2·10/20) − 1 = 0, CEIL(3·10/20) − 1 = 1.
  EXPECT_EQ(prr.on_ack(kMss, 16 * kMss), kMss);
  prr.on_sent(kMss);
  EXPECT_EQ(prr.on_ack(kMss, 16 * kMss), 0u);
  EXPECT_EQ(prr.on_ack(kMss, 16 * kMss), kMss);
  prr.on_sent(kMss);
  EXPECT_EQ(prr.prr_delivered(), 3u * kMss);
  EXPECT_EQ(prr.prr_out(), 2u * kMss);
  // Bytes that are not whole segments: 10 bytes delivered allow one full segment (CEIL to the MSS).
  Prr small(kMss);
  small.start(10 * kMss, 20 * kMss);
  EXPECT_EQ(small.on_ack(10, 16 * kMss), kMss);
}

TEST(TcpPrr, ReductionBoundsOncePipeIsAtOrBelowSsthresh) {
  for (const PrrBound bound : {PrrBound::Conservative, PrrBound::SlowStart}) {
    Prr prr(kMss, bound);
    prr.start(10 * kMss, 20 * kMss);
    // RFC 6937 §3: pipe 2 segments, 1 delivered, nothing sent yet.
    const std::uint32_t sndcnt = prr.on_ack(kMss, 2 * kMss);
    // PRR-CRB: prr_delivered − prr_out = 1 segment. PRR-SSRB: MAX(1, DeliveredData) + MSS = 2 segments.
    EXPECT_EQ(sndcnt, bound == PrrBound::Conservative ? kMss : 2 * kMss);
    // Never beyond ssthresh − pipe.
    Prr near(kMss, bound);
    near.start(10 * kMss, 20 * kMss);
    EXPECT_EQ(near.on_ack(5 * kMss, 9 * kMss + 500), 500u);
  }
}

// A sender with the scoreboard and PRR, a FIFO path and a receiver that SACKs every run above its
// cumulative ACK. Segment i is sequence base + i·MSS; `drop_first` lists segments whose first
// transmission the path loses. Limited transmit (RFC 3042) is left out, so nothing is sent on the first
// two duplicate ACKs and RecoverFS is the 20 segments in flight.
struct RecoveryRun {
  RecoveryRun(std::set<std::uint32_t> drop, PrrBound bound)
      : drop_first(std::move(drop)), sb(base, kMss), prr(kMss, bound) {
    for (std::uint32_t i = 0; i < 20; ++i) transmit(i, false);
    sb.on_sent(base + next_new * kMss);
  }

  void transmit(std::uint32_t i, bool retransmission) {
    if (!retransmission) next_new = std::max(next_new, i + 1);
    if (!retransmission && drop_first.count(i)) return;
    wire.push_back(i);
  }

  struct AckRow {
    std::uint32_t sent = 0;  // segments sent on this ACK
    std::uint32_t pipe_after = 0;
    bool in_recovery = false;
  };

  // Delivers the next segment on the path and lets the sender answer its ACK.
  AckRow step() {
    AckRow row;
    const std::uint32_t i = wire.front();
    wire.pop_front();
    if (got.size() <= i) got.resize(i + 1, false);
    got[i] = true;
    std::uint32_t cum = 0;
    while (cum < got.size() && got[cum]) ++cum;
    std::vector<SackBlock> blocks;
    for (std::uint32_t j = cum; j < got.size() && blocks.size() < 4;) {
      if (!got[j]) {
        ++j;
        continue;
      }
      std::uint32_t k = j;
      while (k < got.size() && got[k]) ++k;
      blocks.push_back({base + j * kMss, base + k * kMss});
      j = k;
    }
    const SackUpdate u = sb.update(base + cum * kMss, blocks);
    if (u.recovery_ended) cwnd = prr.ssthresh();  // RFC 6937 §3: cwnd = ssthresh when recovery ends
    if (!sb.in_recovery() && !u.recovery_ended && sb.should_enter_recovery()) {
      const std::uint32_t flight = static_cast<std::uint32_t>(sb.high_data() - sb.high_ack());
      sb.enter_recovery();
      prr.start(flight / 2, flight);  // Reno's ssthresh = FlightSize/2; RecoverFS = snd.nxt − snd.una
      recover_fs = flight;
    }
    if (sb.in_recovery()) {
      row.in_recovery = true;
      std::uint32_t sndcnt = prr.on_ack(u.delivered, sb.pipe());
      while (sndcnt >= kMss) {
        const NextSegment n = sb.next_seg(kMss);  // bulk data: always more to send
        const std::uint32_t idx = static_cast<std::uint32_t>(n.start - base) / kMss;
        if (n.rule == NextSegRule::NewData) {
          transmit(idx, false);
          sb.on_sent(n.start + n.length);
        } else {
          transmit(idx, true);
          sb.on_retransmitted(n.start, n.length);
        }
        rules.push_back(n.rule);
        prr.on_sent(n.length);
        sndcnt -= n.length;
        ++row.sent;
      }
    }
    row.pipe_after = sb.pipe();
    return row;
  }

  const SeqNum base{0xFFFFC000u};  // recovery crosses 2^32
  std::set<std::uint32_t> drop_first;
  SackScoreboard sb;
  Prr prr;
  std::deque<std::uint32_t> wire;
  std::vector<bool> got;
  std::uint32_t next_new = 0;
  std::uint32_t recover_fs = 0;
  std::uint32_t cwnd = 0;
  std::vector<NextSegRule> rules;
};

TEST(TcpPrr, SingleLossSendsOnEveryOtherAckAndEndsAtSsthresh) {
  RecoveryRun run({0}, PrrBound::SlowStart);
  std::vector<RecoveryRun::AckRow> rows;
  while (!run.wire.empty() && rows.size() < 40) {
    rows.push_back(run.step());
    if (run.cwnd != 0) break;
  }
  // 19 duplicate ACKs (segments 1-19 SACKed), then the retransmission's ACK ends recovery.
  ASSERT_EQ(rows.size(), 20u);
  EXPECT_FALSE(rows[0].in_recovery);
  EXPECT_FALSE(rows[1].in_recovery);
  EXPECT_EQ(run.recover_fs, 20 * kMss);
  EXPECT_EQ(run.prr.ssthresh(), 10 * kMss);
  // RFC 6937 §3 and its single-loss example: from the third duplicate ACK on, PRR sends one segment on
  // every other ACK (ssthresh/RecoverFS = 1/2), the first being the retransmission (RFC 6675 NextSeg
  // rule 1), the rest new data, so pipe comes down evenly from 17 segments...
  for (std::size_t k = 2; k < 14; ++k) EXPECT_EQ(rows[k].sent, (k % 2 == 0) ? 1u : 0u) << "ACK " << k + 1;
  ASSERT_FALSE(run.rules.empty());
  EXPECT_EQ(run.rules.front(), NextSegRule::LostHole);
  for (std::size_t r = 1; r < run.rules.size(); ++r) EXPECT_EQ(run.rules[r], NextSegRule::NewData);
  // ...until it reaches ssthresh at ACK 15; from there the reduction bound sends what is delivered and
  // holds pipe at ssthresh, never below it.
  for (std::size_t k = 2; k < 19; ++k) EXPECT_GE(rows[k].pipe_after, 10 * kMss) << "ACK " << k + 1;
  for (std::size_t k = 14; k < 19; ++k) EXPECT_EQ(rows[k].pipe_after, 10 * kMss) << "ACK " << k + 1;
  // 17 ACKs in recovery delivered 17 segments and PRR sent 10 = ssthresh; recovery ends with
  // cwnd = ssthresh, which pipe already is: no burst, no idle.
  EXPECT_EQ(run.prr.prr_out(), 10u * kMss);
  EXPECT_EQ(run.cwnd, 10 * kMss);
}

TEST(TcpPrr, BurstLossSlowStartBoundRebuildsPipeToSsthreshConservativeBoundDoesNot) {
  std::set<std::uint32_t> burst;
  for (std::uint32_t i = 0; i < 15; ++i) burst.insert(i);
  std::uint32_t max_pipe[2] = {0, 0};
  std::uint32_t sent_on_first_recovery_ack[2] = {0, 0};
  for (const PrrBound bound : {PrrBound::Conservative, PrrBound::SlowStart}) {
    const int b = bound == PrrBound::SlowStart ? 1 : 0;
    RecoveryRun run(burst, bound);
    bool entered = false;
    for (int steps = 0; steps < 60 && !run.wire.empty() && run.cwnd == 0; ++steps) {
      const RecoveryRun::AckRow row = run.step();
      if (row.in_recovery && !entered) {
        entered = true;
        sent_on_first_recovery_ack[b] = row.sent;
      }
      if (row.in_recovery) max_pipe[b] = std::max(max_pipe[b], row.pipe_after);
    }
    // Recovery completes (all 15 holes repaired by RFC 6675 rule 1) and ends with cwnd = ssthresh.
    EXPECT_EQ(run.cwnd, 10 * kMss) << b;
    EXPECT_EQ(run.rules.size() >= 15, true) << b;
  }
  // RFC 6937 §3: with pipe (2 segments) far below ssthresh, PRR-SSRB sends DeliveredData + 1 MSS per ACK
  // and rebuilds pipe to ssthresh; PRR-CRB sends only what was delivered, so pipe stays where the loss
  // left it.
  EXPECT_EQ(sent_on_first_recovery_ack[1], 2u);
  EXPECT_EQ(sent_on_first_recovery_ack[0], 1u);
  EXPECT_EQ(max_pipe[1], 10 * kMss);
  EXPECT_LE(max_pipe[0], 3 * kMss);
}

TEST(TcpPrr, RecoveryStartedWithNothingInFlightSendsWithinSsthresh) {
  // RecoverFS = 0 cannot happen with a correct caller; it must not divide by zero or let PRR send more
  // than was delivered while pipe is above ssthresh.
  Prr prr(kMss);
  prr.start(10 * kMss, 0);
  EXPECT_EQ(prr.on_ack(kMss, 12 * kMss), kMss);
  EXPECT_EQ(prr.on_ack(0, 10 * kMss), 0u);
}

}  // namespace tcp_prr_test
}  // namespace wirestep
