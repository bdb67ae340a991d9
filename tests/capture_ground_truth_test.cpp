// The analyzer's inferences on the simulator's own lossy TCP export agree with the simulator's ground truth
// (DESIGN.md "Ground truth vs inference"). The deliberate differences are those of
// tshark_tcp_analysis_test.cpp: a NewReno partial-ACK retransmission (RFC 6582 §3.2 step 3) sent within one
// handshake RTT of newer data is "out-of-order" by Wireshark's timing rule, and one that follows two
// duplicate ACKs is a "fast retransmission" by Wireshark's rule; the simulator knows it is neither.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>

#include "capture/analyzed_capture.hpp"
#include "capture_test_support.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace wirestep {
namespace capture_ground_truth_test {

using namespace capture_test;

// The scenario runs once for the suite: every test reads the same export, ground truth and analysis.
class CaptureGroundTruth : public ::testing::Test {
 protected:
  struct Shared {
    testing::TempDir dir;
    std::map<std::uint32_t, std::string> cause;  // frame -> the simulator's cause
    std::optional<AnalyzedCapture> analyzed;
    std::map<std::string, std::set<std::uint32_t>> flags;
    std::string failure;  // why SetUpTestSuite could not prepare the data
  };
  static inline std::unique_ptr<Shared> shared_;

  static void SetUpTestSuite() {
    shared_ = std::make_unique<Shared>();
    Shared& s = *shared_;
    const std::string pcap = s.dir.file("bulk.pcap"), json_path = s.dir.file("bulk.json");
    auto run = testing::run_command_line(testing::wirestep_binary() + " run " +
                                         testing::source_path("scenarios/tcp-bulk-loss.toml") +
                                         " --quiet --pcap " + pcap + " --json " + json_path);
    // Exit 1 only says one of the lesson's expectations failed; the exports are written either way.
    if (run.exit_code != 0 && run.exit_code != 1) {
      s.failure = "wirestep run failed: " + run.output;
      return;
    }
    const auto j = nlohmann::json::parse(testing::read_text(json_path));
    for (const auto& p : j["trace"]["packets"]) s.cause[p["index"].get<std::uint32_t>() + 1] = p["cause"];
    auto analyzed = load_and_analyze(pcap);
    if (!analyzed) {
      s.failure = analyzed.error().message();
      return;
    }
    s.analyzed.emplace(std::move(*analyzed));
    s.flags = our_flags(s.analyzed->analysis);
  }
  static void TearDownTestSuite() { shared_.reset(); }

  void SetUp() override {
    ASSERT_TRUE(shared_ && shared_->failure.empty()) << (shared_ ? shared_->failure : "");
    ASSERT_GT(shared_->cause.size(), 1000u);
    ASSERT_EQ(shared_->analyzed->capture.info.frames, shared_->cause.size())
        << "the pcap holds every packet, frame = index + 1";
  }
  std::set<std::uint32_t> with_cause(std::initializer_list<const char*> causes) const {
    std::set<std::uint32_t> out;
    for (const auto& [frame, c] : shared_->cause)
      for (const char* want : causes)
        if (c == want) out.insert(frame);
    return out;
  }
  // Read only after SetUp() checked that the suite's data is there.
  std::map<std::string, std::set<std::uint32_t>>& flags() { return shared_->flags; }
  std::map<std::uint32_t, std::string>& cause() { return shared_->cause; }
  const FlowAnalyzer& analysis() { return shared_->analyzed->analysis; }
};

TEST_F(CaptureGroundTruth, DuplicateAcksAreExactlyTheSimulatorsDuplicateAcks) {
  EXPECT_FALSE(flags()["duplicate_ack"].empty());
  EXPECT_EQ(flags()["duplicate_ack"], with_cause({"duplicate-ack"}));
}

TEST_F(CaptureGroundTruth, WindowUpdatesAreExactlyTheSimulatorsWindowUpdates) {
  EXPECT_EQ(flags()["window_update"], with_cause({"window-update"}));
}

TEST_F(CaptureGroundTruth, RetransmissionsAreTheSimulatorsExceptPartialAckOnesCalledOutOfOrder) {
  const auto truth = with_cause({"rto-retransmission", "fast-retransmission", "recovery-retransmission"});
  EXPECT_FALSE(flags()["retransmission"].empty());
  for (auto f : flags()["retransmission"])
    EXPECT_TRUE(truth.count(f)) << "frame " << f << " is " << cause()[f];
  for (auto f : truth) {
    if (flags()["retransmission"].count(f)) continue;
    EXPECT_EQ(cause()[f], "recovery-retransmission") << "frame " << f;
    EXPECT_TRUE(flags()["out_of_order"].count(f)) << "frame " << f;
  }
  for (auto f : flags()["out_of_order"]) EXPECT_EQ(cause()[f], "recovery-retransmission") << "frame " << f;
}

TEST_F(CaptureGroundTruth, FastRetransmissionsIncludeEveryThirdDuplicateAckRetransmission) {
  const auto fast = with_cause({"fast-retransmission"});
  EXPECT_FALSE(fast.empty());
  for (auto f : fast) EXPECT_TRUE(flags()["fast_retransmission"].count(f)) << "frame " << f;
  for (auto f : flags()["fast_retransmission"]) {
    if (!fast.count(f)) {
      EXPECT_EQ(cause()[f], "recovery-retransmission") << "frame " << f;
    }
  }
}

TEST_F(CaptureGroundTruth, ASenderSideCaptureShowsNoGapsAndNothingSpurious) {
  // The export is what the sender put on the wire, lost packets included: nothing is missing from it.
  for (const char* flag : {"lost_segment", "ack_lost_segment", "spurious_retransmission", "zero_window",
                           "zero_window_probe", "keep_alive"})
    EXPECT_TRUE(flags()[flag].empty()) << flag << ": " << frames_text(flags()[flag]);
}

TEST_F(CaptureGroundTruth, HandshakeRttIsTheSimulatedOne) {
  // 10 ms one way, 10 Mbit/s: SYN -> SYN-ACK -> ACK takes two one-way delays plus serialization.
  ASSERT_EQ(analysis().conversations().size(), 1u);
  const TcpConversation& t = analysis().conversations()[0].tcp;
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
  // Other tests of this fixture look flags up with operator[], which adds empty sets: compare non-empty ones.
  auto non_empty = [](std::map<std::string, std::set<std::uint32_t>> m) {
    std::erase_if(m, [](const auto& entry) { return entry.second.empty(); });
    return m;
  };
  EXPECT_EQ(non_empty(our_flags(direct)), non_empty(flags()));
}

}  // namespace capture_ground_truth_test
}  // namespace wirestep
