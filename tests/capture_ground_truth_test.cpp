// The analyzer's inferences on the simulator's own lossy TCP export agree with the simulator's ground truth
// (DESIGN.md "Ground truth vs inference"). The deliberate differences are those of
// tshark_tcp_analysis_test.cpp: a NewReno partial-ACK retransmission (RFC 6582 §3.2 step 3) sent within one
// handshake RTT of newer data is "out-of-order" by Wireshark's timing rule, and one that follows two
// duplicate ACKs is a "fast retransmission" by Wireshark's rule; the simulator knows it is neither.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "capture/capture_reader.hpp"
#include "capture/flow_analysis.hpp"
#include "capture_test_support.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace wirestep {
namespace {

using namespace capture_test;

class CaptureGroundTruth : public ::testing::Test {
 protected:
  void SetUp() override {
    pcap_ = dir_.file("bulk.pcap");
    const std::string json_path = dir_.file("bulk.json");
    auto run = testing::run_command_line(testing::wirestep_binary() + " run " +
                                         testing::source_path("scenarios/tcp-bulk-loss.toml") + " --quiet --pcap " +
                                         pcap_ + " --json " + json_path);
    // Exit 1 only says one of the lesson's expectations failed; the exports are written either way.
    ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.output;
    const auto j = nlohmann::json::parse(testing::read_text(json_path));
    for (const auto& p : j["trace"]["packets"]) cause_[p["index"].get<std::uint32_t>() + 1] = p["cause"];
    ASSERT_GT(cause_.size(), 1000u);
    auto loaded = load_capture(pcap_, {}, [&](const PacketRecord& r, const FrameInfo& i) { analysis_.add(r, i); });
    ASSERT_TRUE(loaded) << loaded.error().message();
    analysis_.finish();
    ASSERT_EQ(loaded->info.frames, cause_.size()) << "the pcap holds every packet, frame = index + 1";
    flags_ = our_flags(analysis_);
  }
  std::set<std::uint32_t> with_cause(std::initializer_list<const char*> causes) const {
    std::set<std::uint32_t> out;
    for (const auto& [frame, c] : cause_)
      for (const char* want : causes)
        if (c == want) out.insert(frame);
    return out;
  }

  testing::TempDir dir_;
  std::string pcap_;
  std::map<std::uint32_t, std::string> cause_;
  FlowAnalyzer analysis_;
  std::map<std::string, std::set<std::uint32_t>> flags_;
};

TEST_F(CaptureGroundTruth, DuplicateAcksAreExactlyTheSimulatorsDuplicateAcks) {
  EXPECT_FALSE(flags_["duplicate_ack"].empty());
  EXPECT_EQ(flags_["duplicate_ack"], with_cause({"duplicate-ack"}));
}

TEST_F(CaptureGroundTruth, WindowUpdatesAreExactlyTheSimulatorsWindowUpdates) {
  EXPECT_EQ(flags_["window_update"], with_cause({"window-update"}));
}

TEST_F(CaptureGroundTruth, RetransmissionsAreTheSimulatorsExceptPartialAckOnesCalledOutOfOrder) {
  const auto truth = with_cause({"rto-retransmission", "fast-retransmission", "recovery-retransmission"});
  EXPECT_FALSE(flags_["retransmission"].empty());
  for (auto f : flags_["retransmission"]) EXPECT_TRUE(truth.count(f)) << "frame " << f << " is " << cause_[f];
  for (auto f : truth) {
    if (flags_["retransmission"].count(f)) continue;
    EXPECT_EQ(cause_[f], "recovery-retransmission") << "frame " << f;
    EXPECT_TRUE(flags_["out_of_order"].count(f)) << "frame " << f;
  }
  for (auto f : flags_["out_of_order"]) EXPECT_EQ(cause_[f], "recovery-retransmission") << "frame " << f;
}

TEST_F(CaptureGroundTruth, FastRetransmissionsIncludeEveryThirdDuplicateAckRetransmission) {
  const auto fast = with_cause({"fast-retransmission"});
  EXPECT_FALSE(fast.empty());
  for (auto f : fast) EXPECT_TRUE(flags_["fast_retransmission"].count(f)) << "frame " << f;
  for (auto f : flags_["fast_retransmission"]) {
    if (!fast.count(f)) {
      EXPECT_EQ(cause_[f], "recovery-retransmission") << "frame " << f;
    }
  }
}

TEST_F(CaptureGroundTruth, ASenderSideCaptureShowsNoGapsAndNothingSpurious) {
  // The export is what the sender put on the wire, lost packets included: nothing is missing from it.
  for (const char* flag : {"lost_segment", "ack_lost_segment", "spurious_retransmission", "zero_window",
                           "zero_window_probe", "keep_alive"})
    EXPECT_TRUE(flags_[flag].empty()) << flag << ": " << frames_text(flags_[flag]);
}

TEST_F(CaptureGroundTruth, HandshakeRttIsTheSimulatedOne) {
  // 10 ms one way, 10 Mbit/s: SYN -> SYN-ACK -> ACK takes two one-way delays plus serialization.
  ASSERT_EQ(analysis_.conversations().size(), 1u);
  const TcpConversation& t = analysis_.conversations()[0].tcp;
  ASSERT_TRUE(t.initial_rtt_ns);
  EXPECT_GE(*t.initial_rtt_ns, 20'000'000);
  EXPECT_LT(*t.initial_rtt_ns, 21'000'000);
  EXPECT_GT(t.ack_rtt.count, 100u);
  EXPECT_EQ(to_string(t.end_state[0]), std::string("TIME-WAIT")) << "A closed first";
  EXPECT_EQ(to_string(t.end_state[1]), std::string("CLOSED"));
}

TEST_F(CaptureGroundTruth, AnalysingTheTraceDirectlyGivesTheSameFlags) {
  // The simulated Trace and its pcap are one story: analysing either gives the same flags.
  auto scenario = load_scenario_file(testing::source_path("scenarios/tcp-bulk-loss.toml"));
  ASSERT_TRUE(scenario) << scenario.error().message();
  const RunResult run = run_scenario(*scenario);
  const FlowAnalyzer direct = analyze_trace(run.trace);
  EXPECT_EQ(our_flags(direct), flags_);
}

}  // namespace
}  // namespace wirestep
