// How `wirestep twin` tells from the wire why a segment was retransmitted (capture/twin_repair.hpp): the
// rules on hand-made segment sequences, then against the simulator's own record of why it resent each
// segment (its Trace causes), on linux-profile runs exported to pcap and read back as twin reads them.
#include <gtest/gtest.h>

#include "capture/pcap_export.hpp"
#include "capture/twin_compare.hpp"
#include "capture/twin_repair.hpp"
#include "capture/twin_segments.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/wire/transport.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace capture_twin_repair_test {

using namespace wire::tcp_flag;

constexpr std::uint32_t kSeg = 1000;
constexpr std::int64_t kUs = 1000, kMs = 1'000'000;

// A small capture built segment by segment: A sends data to B, B acknowledges; times in ns.
struct Script {
  std::vector<TwinSegment> segs;
  std::int64_t now = 0;

  Script& at(std::int64_t t) {
    now = t;
    return *this;
  }
  Script& data(std::uint32_t n) {  // A's n-th segment (1-based), kSeg bytes
    TwinSegment s;
    s.from = "A";
    s.to = "B";
    s.flags = kAck;
    s.seq = 1 + (n - 1) * kSeg;
    s.ack = 1;
    s.seq_relative = s.ack_relative = true;
    s.len = kSeg;
    s.time_ns = now;
    segs.push_back(s);
    now += 10 * kUs;
    return *this;
  }
  Script& ack(std::uint32_t through, std::vector<std::pair<std::uint32_t, std::uint32_t>> sacked = {}) {
    TwinSegment s;  // acknowledges segments 1..through; SACK blocks as [first, last] segment numbers
    s.from = "B";
    s.to = "A";
    s.flags = kAck;
    s.seq = 1;
    s.ack = 1 + through * kSeg;
    s.seq_relative = s.ack_relative = true;
    s.time_ns = now;
    for (const auto& [first, last] : sacked)
      s.sack_blocks.emplace_back(1 + (first - 1) * kSeg, 1 + last * kSeg);
    segs.push_back(s);
    now += 10 * kUs;
    return *this;
  }
  std::vector<RepairKind> repairs() {
    classify_repairs(segs);
    std::vector<RepairKind> out;
    for (const auto& s : segs)
      if (s.repair != RepairKind::None) out.push_back(s.repair);
    return out;
  }
};

// A's first n segments, back to back (the rules need no handshake).
Script flight(std::uint32_t n) {
  Script s;
  for (std::uint32_t i = 1; i <= n; ++i) s.data(i);
  return s;
}

TEST(TwinRepair, FirstTransmissionsAreNoRepair) {
  auto s = flight(10);
  s.ack(10);
  EXPECT_TRUE(s.repairs().empty());
}

TEST(TwinRepair, WithSackAResendRightAfterAnAckIsRack_Rfc8985Section6_2) {
  // Linux marks SACK-based losses with RACK alone (tcp_rack_mark_lost), after one SACK or after three.
  auto one = flight(10);
  one.ack(2).ack(2, {{4, 4}}).data(3);
  EXPECT_EQ(one.repairs(), std::vector<RepairKind>{RepairKind::Rack});
  auto three = flight(10);
  three.ack(2).ack(2, {{4, 4}}).ack(2, {{4, 5}}).ack(2, {{4, 6}}).data(3);
  EXPECT_EQ(three.repairs(), std::vector<RepairKind>{RepairKind::Rack});
}

TEST(TwinRepair, ResentByTheReorderTimerMillisecondsAfterASackIsRack_Rfc8985Section6_3) {
  auto s = flight(10);
  s.ack(2).ack(2, {{4, 4}});
  s.at(s.now + 4 * kMs).data(3);  // one 4 ms jiffy later, nothing heard since
  EXPECT_EQ(s.repairs(), std::vector<RepairKind>{RepairKind::Rack});
}

TEST(TwinRepair, WithoutSackResendsOnDuplicateAndPartialAcksAreFast_Rfc6582Section3_2) {
  auto s = flight(6);
  s.ack(2).ack(2).ack(2).ack(2).data(3).ack(3).data(4);
  EXPECT_EQ(s.repairs(), (std::vector<RepairKind>{RepairKind::Fast, RepairKind::Fast}));
}

TEST(TwinRepair, TheSendersAnswerTimeIsMeasuredOnTheHandshake) {
  // A capture next to B: B's ACKs are seen 10 ms before A gets them, and A's answers 10 ms after it sent
  // them. A resend 20 ms after the ACK it answers is still an answer to it, not a timer.
  Script s;
  TwinSegment syn;
  syn.from = "A";
  syn.to = "B";
  syn.flags = kSyn;
  syn.option_kinds = {2, 4, 8};
  syn.seq_relative = true;
  TwinSegment synack = syn;
  synack.from = "B";
  synack.to = "A";
  synack.flags = kSyn | kAck;
  synack.ack = 1;
  synack.ack_relative = true;
  synack.time_ns = 10 * kUs;
  s.segs = {syn, synack};
  s.at(20 * kMs + 10 * kUs).data(1).data(2).data(3).data(4);
  s.at(s.now + 20 * kMs).ack(1, {{3, 4}});
  s.at(s.now + 20 * kMs).data(2);
  EXPECT_EQ(s.repairs(), std::vector<RepairKind>{RepairKind::Rack});
}

TEST(TwinRepair, TheLastSegmentResentAfterAQuietProbeTimeoutIsATailLossProbe_Rfc8985Section7_3) {
  auto s = flight(5);
  s.ack(4);
  s.at(s.now + 3 * kMs).data(5);
  EXPECT_EQ(s.repairs(), std::vector<RepairKind>{RepairKind::Tlp});
}

TEST(TwinRepair, AProbeThatFailsIsFollowedByATimeout_Rfc6298Section5) {
  auto s = flight(5);
  s.ack(4);
  s.at(s.now + 3 * kMs).data(5);
  s.at(s.now + 210 * kMs).data(5);
  EXPECT_EQ(s.repairs(), (std::vector<RepairKind>{RepairKind::Tlp, RepairKind::Rto}));
}

TEST(TwinRepair, SegmentsResentAfterATimeoutUntilItsRecoveryPointArePartOfIt) {
  // Segments 3-6 lost, no SACK: the timer resends 3; the ACK of 3 brings 4, 5, 6 in slow start, all RTO.
  // Once 6 is acknowledged, a new loss (8, after duplicate ACKs) is a fast retransmission again.
  auto s = flight(6);
  s.ack(2);
  s.at(s.now + 220 * kMs).data(3).ack(3).data(4).data(5).ack(5).data(6).ack(6);
  s.data(7).data(8).data(9).data(10).data(11).ack(7).ack(7).ack(7).ack(7).data(8);
  EXPECT_EQ(s.repairs(), (std::vector<RepairKind>{RepairKind::Rto, RepairKind::Rto, RepairKind::Rto,
                                                  RepairKind::Rto, RepairKind::Fast}));
}

TEST(TwinRepair, TheRepairKindIsComparedAndShownInTheListing) {
  auto sim = flight(10), real = flight(10);
  sim.ack(2).ack(2).ack(2).ack(2).data(3);
  real.ack(2).ack(2).ack(2).ack(2);
  real.at(real.now + 250 * kMs).data(3);  // the same segment, by the retransmission timer
  classify_repairs(sim.segs);
  classify_repairs(real.segs);
  const auto c = compare_twin(sim.segs, real.segs, {.compare_window = false});
  ASSERT_TRUE(c.first_difference);
  EXPECT_EQ(c.rows[*c.first_difference].differs, TwinField::Repair);
  EXPECT_TRUE(compare_twin(sim.segs, real.segs, {.compare_window = false, .compare_repair = false}).agree());
  EXPECT_NE(describe_twin_segment(sim.segs.back(), Lang::En).find("[fast]"), std::string::npos);
  EXPECT_NE(describe_twin_segment(sim.segs.back(), Lang::Zh).find("[快速]"), std::string::npos);
  EXPECT_EQ(twin_field_name(TwinField::Repair, Lang::Zh), "重传方式");
}

// The wire reading against the simulator's own reasons, on linux-profile runs with every repair kind.
RepairKind kind_of(Cause c) {
  switch (c) {
    case Cause::FastRetransmission:
    case Cause::RecoveryRetransmission:  // RFC 6582 §3.2: the next hole after a partial ACK, without SACK
      return RepairKind::Fast;
    case Cause::RackRetransmission:
      return RepairKind::Rack;
    case Cause::TailLossProbe:
      return RepairKind::Tlp;
    case Cause::RtoRetransmission:
      return RepairKind::Rto;
    default:
      return RepairKind::None;
  }
}

TEST(TwinRepair, ReadingASimulatedRunFromTheWireFindsTheSimulatorsOwnReasons) {
  for (const char* file : {"scenarios/twin/twin-bulk-loss.toml", "scenarios/tcp-linux-tlp-vs-rto.toml",
                           "scenarios/tcp-linux-sack-vs-nosack.toml"}) {
    SCOPED_TRACE(file);
    auto sc = load_scenario_file(testing::source_path(file));
    ASSERT_TRUE(sc) << sc.error().message();
    const auto run = run_scenario(*sc);
    testing::TempDir dir;
    ASSERT_TRUE(write_pcap(run.trace, dir.file("run.pcap")));
    TwinHostNames hosts;
    for (const auto& h : sc->hosts) hosts.emplace_back(h.address, h.name);
    auto segs = read_twin_segments(dir.file("run.pcap"), hosts);
    ASSERT_TRUE(segs) << segs.error().message();
    std::vector<RepairKind> from_causes, from_wire;
    for (std::size_t i = 0; i < run.trace.packet_count(); ++i) {
      const auto k = kind_of(run.trace.packet(i).cause);
      if (k != RepairKind::None) from_causes.push_back(k);
    }
    for (const auto& s : *segs)
      if (s.repair != RepairKind::None) from_wire.push_back(s.repair);
    EXPECT_FALSE(from_causes.empty());
    EXPECT_EQ(from_wire, from_causes);
  }
}

}  // namespace capture_twin_repair_test
}  // namespace wirestep
