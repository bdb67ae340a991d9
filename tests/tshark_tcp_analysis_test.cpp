// The simulator's ground truth against Wireshark's TCP analysis, frame by frame (DESIGN.md "Ground truth vs
// inference"): what tshark flags as retransmission / fast retransmission / duplicate ACK must be exactly the
// packets whose cause in our JSON says so. Fails (never skips) without tshark: scripts/test.sh installs it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <sstream>

#include "test_support.hpp"

namespace wirestep {
namespace {

using testing::run_command_line;

std::set<int> tshark_frames(const std::string& pcap, const std::string& filter) {
  auto r =
      run_command_line("tshark -n -r " + pcap + " -Y '" + filter + "' -T fields -e frame.number 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0) << "tshark failed or is missing: " << r.output;
  std::set<int> frames;
  std::istringstream in(r.output);
  for (int f; in >> f;) frames.insert(f);
  return frames;
}

std::string list(const std::set<int>& s) {
  std::string out;
  for (int f : s) out += (out.empty() ? "" : ",") + std::to_string(f);
  return out.empty() ? "none" : out;
}

class TsharkTcpAnalysis : public ::testing::Test {
 protected:
  void SetUp() override {
    pcap_ = dir_.file("bulk.pcap");
    const std::string json_path = dir_.file("bulk.json");
    auto run = run_command_line(testing::wirestep_binary() + " run " +
                                testing::source_path("scenarios/tcp-bulk-loss.toml") + " --quiet --pcap " +
                                pcap_ + " --json " + json_path);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const auto j = nlohmann::json::parse(testing::read_text(json_path));
    // The pcap holds every packet in Trace order, so frame number = packet index + 1.
    for (const auto& p : j["trace"]["packets"]) {
      const int frame = p["index"].get<int>() + 1;
      cause_[frame] = p["cause"].get<std::string>();
    }
    ASSERT_GT(cause_.size(), 1000u);
  }
  std::set<int> ours(std::initializer_list<const char*> causes) const {
    std::set<int> out;
    for (const auto& [frame, c] : cause_)
      for (const char* want : causes)
        if (c == want) out.insert(frame);
    return out;
  }

  testing::TempDir dir_;
  std::string pcap_;
  std::map<int, std::string> cause_;
};

TEST_F(TsharkTcpAnalysis, BulkLossExportHasNoMalformedPacketsOrBadChecksums) {
  const auto bad = tshark_frames(pcap_ + " -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE",
                                 "_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0 || "
                                 "_ws.expert.severity == error");
  EXPECT_TRUE(bad.empty()) << "frames: " << list(bad);
}

TEST_F(TsharkTcpAnalysis, DuplicateAcksMatchFrameByFrame) {
  const auto theirs = tshark_frames(pcap_, "tcp.analysis.duplicate_ack");
  EXPECT_FALSE(theirs.empty());
  EXPECT_EQ(theirs, ours({"duplicate-ack"}));
}

TEST_F(TsharkTcpAnalysis, WindowUpdatesMatchFrameByFrame) {
  EXPECT_EQ(tshark_frames(pcap_, "tcp.analysis.window_update"), ours({"window-update"}));
}

TEST_F(TsharkTcpAnalysis, RetransmissionsMatchExceptWiresharksOutOfOrderHeuristic) {
  // Every tshark retransmission is one of ours. The deliberate difference: a NewReno partial-ACK
  // retransmission (RFC 6582 §3.2 step 3) sent within one RTT of newer data is labelled "out-of-order" by
  // Wireshark's timing heuristic (it cannot know the sender's intent); we know it is a retransmission.
  const auto theirs = tshark_frames(pcap_, "tcp.analysis.retransmission");
  const auto out_of_order = tshark_frames(pcap_, "tcp.analysis.out_of_order");
  const auto all = ours({"rto-retransmission", "fast-retransmission", "recovery-retransmission"});
  EXPECT_FALSE(theirs.empty());
  for (int f : theirs)
    EXPECT_TRUE(all.count(f)) << "tshark retransmission in frame " << f << " is our " << cause_[f];
  for (int f : all) {
    if (theirs.count(f)) continue;
    EXPECT_EQ(cause_[f], "recovery-retransmission") << "frame " << f << " not flagged by tshark";
    EXPECT_TRUE(out_of_order.count(f))
        << "frame " << f << " is neither retransmission nor out-of-order in tshark";
  }
  // And nothing else is out of order: the link does not reorder in this scenario.
  for (int f : out_of_order) EXPECT_EQ(cause_[f], "recovery-retransmission") << "frame " << f;
}

TEST_F(TsharkTcpAnalysis, FastRetransmissionsMatchExceptPartialAckRetransmissions) {
  // Wireshark calls any retransmission that follows two or more duplicate ACKs for its sequence number a
  // fast retransmission. Ours are only those sent on the third duplicate ACK (RFC 5681 §3.2); a NewReno
  // partial-ACK retransmission that happens to follow duplicate ACKs is "recovery-retransmission" here.
  const auto theirs = tshark_frames(pcap_, "tcp.analysis.fast_retransmission");
  const auto fast = ours({"fast-retransmission"});
  EXPECT_FALSE(fast.empty());
  for (int f : fast)
    EXPECT_TRUE(theirs.count(f)) << "our fast retransmission in frame " << f << " is not tshark's";
  for (int f : theirs) {
    if (!fast.count(f)) {
      EXPECT_EQ(cause_[f], "recovery-retransmission") << "frame " << f;
    }
  }
}

TEST_F(TsharkTcpAnalysis, NoLostSegmentsInASenderSideCapture) {
  // The pcap is taken at the sender, so every segment is in it: tshark must see no gaps.
  EXPECT_TRUE(tshark_frames(pcap_, "tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment").empty());
  EXPECT_TRUE(tshark_frames(pcap_, "tcp.analysis.spurious_retransmission").empty());
}

}  // namespace
}  // namespace wirestep
