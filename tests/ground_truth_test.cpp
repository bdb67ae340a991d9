// Ground truth beside inference in the UI (sim/analysis/ground_truth.hpp): the analyzer's flags per packet,
// the simulator's cause compared with them, the disagreements with their explanations and the counts per
// flag. capture_ground_truth_test.cpp establishes which disagreements the lossy lesson has; this checks the
// UI's model finds exactly those.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>

#include "hand_built_tcp.hpp"
#include "sim/analysis/ground_truth.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace wirestep::gui {
namespace ground_truth_test {

namespace tf = wire::tcp_flag;

const Trace& lesson(const std::string& name) {
  // Each lesson runs once for the whole suite.
  static std::map<std::string, RunResult> runs;
  auto it = runs.find(name);
  if (it == runs.end()) {
    auto sc = load_scenario_file(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/" + name);
    EXPECT_TRUE(sc.ok());
    it = runs.emplace(name, run_scenario(*sc)).first;
  }
  return it->second.trace;
}

// A to B over TCP: a handshake, then segments as given; everything is delivered 10 ms after it is sent.
class HandBuilt : public HandBuiltTcp {
 public:
  HandBuilt() {
    add(0, Direction::AtoB, tf::kSyn, 100, 0, 0, Cause::FirstTransmission);
    add(10, Direction::BtoA, tf::kSyn | tf::kAck, 500, 101, 0, Cause::FirstTransmission);
    add(20, Direction::AtoB, tf::kAck, 101, 501, 0, Cause::PureAck);
  }
  std::uint32_t add(std::int64_t t_ms, Direction dir, std::uint8_t flags, std::uint32_t seq,
                    std::uint32_t ack, std::uint32_t len, Cause cause) {
    return send(t_ms, dir, flags, seq, ack, len, cause);
  }
};

TEST(GroundTruthCauses, EachRetransmissionCauseNamesWiresharksFlagForIt) {
  EXPECT_EQ(flag_for_cause(Cause::RtoRetransmission), TcpFlag::Retransmission);
  EXPECT_EQ(flag_for_cause(Cause::RecoveryRetransmission), TcpFlag::Retransmission);
  EXPECT_EQ(flag_for_cause(Cause::RepeatedSynAnswer), TcpFlag::Retransmission);
  EXPECT_EQ(flag_for_cause(Cause::FastRetransmission), TcpFlag::FastRetransmission);
  EXPECT_EQ(flag_for_cause(Cause::DuplicateAck), TcpFlag::DuplicateAck);
  EXPECT_EQ(flag_for_cause(Cause::WindowUpdate), TcpFlag::WindowUpdate);
  EXPECT_EQ(flag_for_cause(Cause::ZeroWindowProbe), TcpFlag::ZeroWindowProbe);
  EXPECT_EQ(flag_for_cause(Cause::KeepAlive), TcpFlag::KeepAlive);
  EXPECT_EQ(flag_for_cause(Cause::Reset), TcpFlag::Reset);
  EXPECT_FALSE(flag_for_cause(Cause::FirstTransmission));
  EXPECT_FALSE(flag_for_cause(Cause::PureAck));
  EXPECT_FALSE(flag_for_cause(Cause::LinkDuplicate));
  EXPECT_FALSE(flag_for_cause(Cause::Datagram));
}

TEST(GroundTruthCauses, StateFlagsAreNeverComparedWithACause) {
  EXPECT_FALSE(is_cause_flag(TcpFlag::ZeroWindow));
  EXPECT_FALSE(is_cause_flag(TcpFlag::WindowFull));
  EXPECT_FALSE(is_cause_flag(TcpFlag::ZeroWindowProbeAck));
  EXPECT_FALSE(is_cause_flag(TcpFlag::KeepAliveAck));
  EXPECT_TRUE(is_cause_flag(TcpFlag::OutOfOrder));
  EXPECT_TRUE(is_cause_flag(TcpFlag::SpuriousRetransmission));
}

TEST(GroundTruthLesson, CleanHandshakeHasNoFlagsAndNoDisagreements) {
  TraceAnalysis a;
  a.build(lesson("tcp-handshake.toml"), true);
  EXPECT_TRUE(a.has_ground_truth());
  EXPECT_TRUE(a.covers(lesson("tcp-handshake.toml")));
  EXPECT_TRUE(a.disagreements().empty());
  EXPECT_TRUE(a.analyzer().flagged().empty());
  for (std::size_t f = 0; f < kTcpFlagCount; ++f) EXPECT_EQ(a.analyzer_counts()[f], 0u);
}

TEST(GroundTruthLesson, BulkLossDisagreesOnlyOnPartialAckRetransmissions) {
  // As capture_ground_truth_test.cpp shows: Wireshark's timing rules call some NewReno partial-ACK
  // retransmissions out-of-order or fast retransmissions; everything else agrees.
  const Trace& t = lesson("tcp-bulk-loss.toml");
  TraceAnalysis a;
  a.build(t, true);
  ASSERT_GT(a.analyzer().flagged().size(), 10u);
  for (const Disagreement& d : a.disagreements()) {
    EXPECT_EQ(t.packet(d.packet).cause, Cause::RecoveryRetransmission) << "packet " << d.packet + 1;
    EXPECT_EQ(d.simulator, TcpFlag::Retransmission);
    EXPECT_TRUE(d.analyzer & (flag_bit(TcpFlag::OutOfOrder) | flag_bit(TcpFlag::FastRetransmission)))
        << flag_names(d.analyzer);
    EXPECT_FALSE(a.agrees(t, d.packet));
    EXPECT_FALSE(a.explain_packet(t, d.packet).empty());
  }
  std::size_t agreeing = 0;
  for (std::uint32_t i = 0; i < t.packet_count(); ++i) agreeing += a.agrees(t, i);
  EXPECT_EQ(agreeing + a.disagreements().size(), t.packet_count());
}

TEST(GroundTruthLesson, CountsPerFlagAreThePacketsWithEachCauseAndEachFlag) {
  const Trace& t = lesson("tcp-bulk-loss.toml");
  TraceAnalysis a;
  a.build(t, true);
  std::array<std::uint32_t, kTcpFlagCount> sim{}, ana{};
  for (std::uint32_t i = 0; i < t.packet_count(); ++i) {
    if (auto f = flag_for_cause(t.packet(i).cause)) ++sim[static_cast<std::size_t>(*f)];
    for (const FlaggedPacket& f : a.flags_of(i)) ++ana[static_cast<std::size_t>(f.flag)];
  }
  EXPECT_EQ(a.simulator_counts(), sim);
  EXPECT_EQ(a.analyzer_counts(), ana);
  EXPECT_GT(sim[static_cast<std::size_t>(TcpFlag::DuplicateAck)], 0u);
  EXPECT_EQ(sim[static_cast<std::size_t>(TcpFlag::DuplicateAck)],
            ana[static_cast<std::size_t>(TcpFlag::DuplicateAck)]);
}

TEST(GroundTruthHandBuilt, ARetransmissionTheAnalyzerSeesAgreesAndIsExplained) {
  HandBuilt h;
  h.add(20, Direction::AtoB, tf::kAck, 101, 501, 100, Cause::FirstTransmission);
  const auto again = h.add(250, Direction::AtoB, tf::kAck, 101, 501, 100, Cause::RtoRetransmission);
  TraceAnalysis a;
  a.build(h.trace(), true);
  EXPECT_TRUE(a.agrees(h.trace(), again));
  EXPECT_EQ(a.mask_of(again), flag_bit(TcpFlag::Retransmission));
  EXPECT_TRUE(a.disagreements().empty());
  const std::string why = a.explain_packet(h.trace(), again);
  EXPECT_EQ(why.rfind("retransmission: seq 1-100 was first sent in frame 4", 0), 0u) << why;
}

TEST(GroundTruthHandBuilt, ACopyTheLinkMadeIsADisagreementTheAnalyzerExplains) {
  HandBuilt h;
  h.add(20, Direction::AtoB, tf::kAck, 101, 501, 100, Cause::FirstTransmission);
  const auto copy = h.add(20, Direction::AtoB, tf::kAck, 101, 501, 100, Cause::LinkDuplicate);
  TraceAnalysis a;
  a.build(h.trace(), true);
  ASSERT_EQ(a.disagreements().size(), 1u);
  const Disagreement& d = a.disagreements()[0];
  EXPECT_EQ(d.packet, copy);
  EXPECT_FALSE(d.simulator);
  EXPECT_NE(d.analyzer, 0);
  // Wireshark cannot tell a copy from a resent segment: it names a reason of its own, and says which.
  EXPECT_NE(a.explain_packet(h.trace(), copy).find("first sent in frame 4"), std::string::npos)
      << a.explain_packet(h.trace(), copy);
}

TEST(GroundTruthHandBuilt, ACauseTheAnalyzerCannotSeeIsExplainedAsNoFlag) {
  HandBuilt h;
  // Called a retransmission, but it carries new bytes: nothing on the wire says it was resent.
  const auto odd = h.add(20, Direction::AtoB, tf::kAck, 101, 501, 100, Cause::RtoRetransmission);
  TraceAnalysis a;
  a.build(h.trace(), true);
  ASSERT_EQ(a.disagreements().size(), 1u);
  EXPECT_EQ(a.disagreements()[0].packet, odd);
  EXPECT_EQ(a.disagreements()[0].analyzer, 0);
  EXPECT_NE(a.explain_packet(h.trace(), odd).find("nothing marks this segment as retransmission"),
            std::string::npos);
}

TEST(GroundTruthCapture, WithoutGroundTruthFlagsAreKeptAndNothingDisagrees) {
  HandBuilt h;
  h.add(20, Direction::AtoB, tf::kAck, 101, 501, 100, Cause::Captured);
  const auto again = h.add(250, Direction::AtoB, tf::kAck, 101, 501, 100, Cause::Captured);
  TraceAnalysis a;
  a.build(h.trace(), false);
  EXPECT_FALSE(a.has_ground_truth());
  EXPECT_TRUE(a.disagreements().empty());
  EXPECT_TRUE(a.agrees(h.trace(), again));
  EXPECT_EQ(a.analyzer_counts()[static_cast<std::size_t>(TcpFlag::Retransmission)], 1u);
  EXPECT_EQ(a.simulator_counts()[static_cast<std::size_t>(TcpFlag::Retransmission)], 0u);
  ASSERT_EQ(a.flags_of(again).size(), 1u);
  EXPECT_TRUE(a.flags_of(again - 1).empty());
}

TEST(GroundTruthCapture, CoversTellsWhenTheTraceGrewAfterTheBuild) {
  HandBuilt h;
  TraceAnalysis a;
  EXPECT_FALSE(a.covers(h.trace()));
  a.build(h.trace(), false);
  EXPECT_TRUE(a.covers(h.trace()));
  h.add(30, Direction::AtoB, tf::kAck, 101, 501, 100, Cause::Captured);
  EXPECT_FALSE(a.covers(h.trace()));
}

TEST(GroundTruthNames, FlagNamesAreWiresharksFieldNames) {
  EXPECT_EQ(flag_names(0), "none");
  EXPECT_EQ(flag_names(flag_bit(TcpFlag::Retransmission) | flag_bit(TcpFlag::DuplicateAck)),
            "retransmission, duplicate_ack");
}

}  // namespace ground_truth_test
}  // namespace wirestep::gui
