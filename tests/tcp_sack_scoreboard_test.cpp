// The RFC 6675 SACK scoreboard: what the sender believes lost and in flight, and what it sends next, from
// cumulative ACKs and SACK blocks (RFC 2018 §3), D-SACK (RFC 2883 §4) and hostile blocks.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "sim/tcp/recovery/sack_scoreboard.hpp"

namespace wirestep {
namespace tcp_sack_scoreboard_test {

constexpr std::uint32_t kSmss = 1000;

// Ten full segments outstanding from `base`; seg(i) is the i-th one's first byte.
struct Board {
  explicit Board(std::uint32_t base_raw = 1'000'000, std::uint32_t segments = 10)
      : base(base_raw), sb(base, kSmss) {
    sb.on_sent(base + segments * kSmss);
  }
  SeqNum seg(std::uint32_t i) const { return base + i * kSmss; }
  SackBlock segs(std::uint32_t first, std::uint32_t last_inclusive) const {
    return {seg(first), seg(last_inclusive + 1)};
  }
  SackUpdate sack(std::vector<SackBlock> blocks, std::optional<SeqNum> cum = std::nullopt) {
    return sb.update(cum.value_or(sb.high_ack()), blocks);
  }
  SeqNum base;
  SackScoreboard sb;
};

TEST(TcpSackScoreboard, SegmentIsLostOnceMoreThanTwoSegmentsAboveItAreSacked) {
  Board b;
  // RFC 6675 §4 IsLost: more than (DupThresh − 1)·SMSS = 2000 SACKed bytes above it.
  b.sack({b.segs(1, 1)});
  EXPECT_FALSE(b.sb.is_lost(b.seg(0)));
  b.sack({b.segs(1, 2)});
  EXPECT_FALSE(b.sb.is_lost(b.seg(0))) << "exactly 2·SMSS above is not more than (DupThresh − 1)·SMSS";
  b.sack({b.segs(1, 3)});
  EXPECT_TRUE(b.sb.is_lost(b.seg(0)));
  EXPECT_FALSE(b.sb.is_lost(b.seg(2))) << "a SACKed segment is not lost";
  EXPECT_FALSE(b.sb.is_lost(b.seg(4))) << "nothing SACKed above segment 4";
  EXPECT_EQ(b.sb.dup_acks(), 3u);
  EXPECT_TRUE(b.sb.should_enter_recovery());
}

TEST(TcpSackScoreboard, ThreeDiscontiguousSackedRunsAboveMakeASegmentLost) {
  Board b;
  // RFC 6675 §4 IsLost: DupThresh discontiguous SACKed sequences, here single segments 2, 4 and 6.
  b.sack({b.segs(6, 6), b.segs(4, 4), b.segs(2, 2)});
  EXPECT_TRUE(b.sb.is_lost(b.seg(0)));
  EXPECT_TRUE(b.sb.is_lost(b.seg(1)));
  EXPECT_FALSE(b.sb.is_lost(b.seg(3))) << "two runs and 2000 bytes above";
  EXPECT_FALSE(b.sb.is_lost(b.seg(5)));
}

TEST(TcpSackScoreboard, PipeCountsUnsackedNotLostSegmentsAndRetransmissions) {
  Board b;
  // RFC 6675 §4 SetPipe: nothing SACKed, all ten in flight.
  EXPECT_EQ(b.sb.pipe(), 10 * kSmss);
  b.sack({b.segs(1, 3)});
  // Segments 1-3 SACKed, segment 0 lost: 10 − 3 − 1 = 6 in the network.
  EXPECT_EQ(b.sb.pipe(), 6 * kSmss);
  b.sb.enter_recovery();
  b.sb.on_retransmitted(b.seg(0), kSmss);
  // SetPipe (b): the retransmission of segment 0 is in the network again.
  EXPECT_EQ(b.sb.pipe(), 7 * kSmss);
  b.sb.on_sent(b.seg(11));
  EXPECT_EQ(b.sb.pipe(), 8 * kSmss);
}

TEST(TcpSackScoreboard, NextSegFollowsRules1To4InOrder) {
  Board b;
  // Segments 3-5 and 8 SACKed: 0-2 lost (3 SACKed segments above), 6-7 a hole not (yet) lost, 9 above
  // every SACK.
  b.sack({b.segs(8, 8), b.segs(3, 5)});
  ASSERT_TRUE(b.sb.should_enter_recovery());
  b.sb.enter_recovery();
  EXPECT_EQ(b.sb.recovery_point(), b.seg(10));
  for (std::uint32_t i = 0; i < 3; ++i) {
    const NextSegment n = b.sb.next_seg(5 * kSmss);  // rule 1 comes before new data
    EXPECT_EQ(n.rule, NextSegRule::LostHole) << i;
    EXPECT_EQ(n.start, b.seg(i));
    EXPECT_EQ(n.length, kSmss);
    b.sb.on_retransmitted(n.start, n.length);
  }
  // Rule 2: the remaining hole (6-7) is not lost, so new data goes first.
  NextSegment n = b.sb.next_seg(5 * kSmss);
  EXPECT_EQ(n.rule, NextSegRule::NewData);
  EXPECT_EQ(n.start, b.seg(10));
  // Rule 3: no new data allowed: the unSACKed hole below the highest SACK, lost or not.
  n = b.sb.next_seg(0);
  EXPECT_EQ(n.rule, NextSegRule::UnsackedHole);
  EXPECT_EQ(n.start, b.seg(6));
  b.sb.on_retransmitted(b.seg(6), 2 * kSmss);
  // Rule 4: the rescue retransmission holds the highest unSACKed byte (segment 9), once per recovery.
  n = b.sb.next_seg(0);
  EXPECT_EQ(n.rule, NextSegRule::Rescue);
  EXPECT_EQ(n.start, b.seg(9));
  EXPECT_EQ(n.length, kSmss);
  b.sb.on_rescue_sent();
  EXPECT_EQ(b.sb.next_seg(0).rule, NextSegRule::None);
}

TEST(TcpSackScoreboard, DsackBelowTheAckIsReportedButNotCountedForLoss) {
  Board b;
  b.sb.update(b.seg(2), {});
  // RFC 2883 §4: a first block below the cumulative ACK is a D-SACK (segment 0 arrived twice).
  const SackUpdate u = b.sack({b.segs(0, 0)});
  ASSERT_TRUE(u.dsack.has_value());
  EXPECT_EQ(*u.dsack, b.segs(0, 0));
  EXPECT_EQ(u.newly_sacked, 0u);
  EXPECT_FALSE(u.dup_ack);
  EXPECT_EQ(b.sb.sacked_bytes(), 0u);
  EXPECT_EQ(b.sb.dup_acks(), 0u);
}

TEST(TcpSackScoreboard, DsackInsideTheSecondBlockDoesNotAddToLossEvidence) {
  Board b;
  b.sack({b.segs(4, 5)});
  // RFC 2883 §4: a first block inside the second reports segment 5 twice; the second block is old news.
  const SackUpdate u = b.sack({b.segs(5, 5), b.segs(4, 5)});
  ASSERT_TRUE(u.dsack.has_value());
  EXPECT_EQ(*u.dsack, b.segs(5, 5));
  EXPECT_EQ(u.newly_sacked, 0u);
  EXPECT_EQ(b.sb.dup_acks(), 1u) << "only the first ACK SACKed new data";
  EXPECT_FALSE(b.sb.is_lost(b.seg(0)));
}

TEST(TcpSackScoreboard, WorksAcrossTheWrapAt2To32) {
  Board b(0xFFFFFFFFu - 2500);  // segment 2 crosses 2^32
  b.sack({b.segs(1, 3)});
  EXPECT_TRUE(b.sb.is_lost(b.seg(0)));
  EXPECT_EQ(b.sb.pipe(), 6 * kSmss);
  EXPECT_EQ(b.sb.sacked_bytes(), 3 * kSmss);
  b.sb.enter_recovery();
  const NextSegment n = b.sb.next_seg(0);
  EXPECT_EQ(n.rule, NextSegRule::LostHole);
  EXPECT_EQ(n.start, b.seg(0));
  // The cumulative ACK crosses zero and takes the SACKed run with it.
  const SackUpdate u = b.sb.update(b.seg(4), {});
  EXPECT_EQ(u.newly_acked, 4 * kSmss);
  EXPECT_EQ(u.delivered, 1 * kSmss) << "RFC 6937 DeliveredData: 4000 acknowledged − 3000 already SACKed";
  EXPECT_EQ(b.sb.sacked_bytes(), 0u);
  EXPECT_EQ(b.sb.high_ack().raw(), b.seg(4).raw());
}

TEST(TcpSackScoreboard, CumulativeAckTrimsSackedRunsAndResetsDupAcks) {
  Board b;
  b.sack({b.segs(2, 3)});
  b.sack({b.segs(6, 7), b.segs(2, 3)});
  EXPECT_EQ(b.sb.dup_acks(), 2u);
  const SackUpdate u = b.sb.update(b.seg(3) + 500, {});  // ends inside the first run
  EXPECT_EQ(u.newly_acked, 3500u);
  EXPECT_EQ(u.delivered, 2000u);
  EXPECT_EQ(b.sb.dup_acks(), 0u) << "RFC 6675 §5 (a): a cumulative ACK resets DupAcks";
  ASSERT_EQ(b.sb.sacked_ranges().size(), 2u);
  EXPECT_EQ(b.sb.sacked_ranges()[0], (SackBlock{b.seg(3) + 500, b.seg(4)}));
}

TEST(TcpSackScoreboard, RecoveryEndsWhenTheAckCoversRecoveryPoint) {
  Board b;
  b.sack({b.segs(1, 3)});
  b.sb.enter_recovery();
  b.sb.on_sent(b.seg(12));  // new data sent during recovery is beyond RecoveryPoint
  EXPECT_FALSE(b.sb.update(b.seg(9), {}).recovery_ended);
  EXPECT_TRUE(b.sb.in_recovery());
  EXPECT_TRUE(b.sb.update(b.seg(10), {}).recovery_ended);  // RFC 6675 §5
  EXPECT_FALSE(b.sb.in_recovery());
}

TEST(TcpSackScoreboard, HostileBlocksAreIgnoredAndMemoryStaysBounded) {
  Board b(7, 200);
  // Reversed, empty, beyond what was sent, and a fifth block in one ACK (RFC 2018 §3 allows four).
  const SackUpdate bad = b.sack(
      {{b.seg(5), b.seg(4)}, {b.seg(6), b.seg(6)}, {b.seg(150), b.seg(250)}, b.segs(10, 10), b.segs(12, 12)});
  EXPECT_EQ(bad.ignored_blocks, 4u);
  EXPECT_EQ(bad.newly_sacked, kSmss);
  EXPECT_EQ(b.sb.sacked_bytes(), kSmss);
  // A peer reporting a new one-byte hole on every ACK: the runs tracked stop at the cap.
  std::uint32_t ignored = 0;
  for (std::uint32_t i = 0; i < 150; ++i) {
    const SeqNum at = b.seg(20) + 2 * i;
    ignored += b.sack({{at, at + 1}}).ignored_blocks;
  }
  EXPECT_EQ(b.sb.sacked_ranges().size(), SackScoreboard::kMaxRanges);
  EXPECT_EQ(ignored, 150u - (SackScoreboard::kMaxRanges - 1));
  // Still consistent: a block merging runs is accepted at the cap.
  EXPECT_EQ(b.sack({{b.seg(20), b.seg(20) + 10}}).ignored_blocks, 0u);
  EXPECT_LT(b.sb.sacked_ranges().size(), SackScoreboard::kMaxRanges);
}

TEST(TcpSackScoreboard, AckOfUnsentDataMovesNothing) {
  Board b;
  const SackUpdate u = b.sb.update(b.seg(11), {});
  EXPECT_EQ(u.newly_acked, 0u);
  EXPECT_EQ(b.sb.high_ack(), b.seg(0));
  EXPECT_EQ(b.sb.pipe(), 10 * kSmss);
}

}  // namespace tcp_sack_scoreboard_test
}  // namespace wirestep
