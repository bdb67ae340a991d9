// The simulator's ground truth against Wireshark's TCP analysis, frame by frame (DESIGN.md "Ground truth vs
// inference"): what tshark flags as retransmission / fast retransmission / duplicate ACK must be exactly the
// packets whose cause in our JSON says so. Fails (never skips) without tshark: scripts/test.sh installs it.
// Two exports: the rfc profile's bulk-loss lesson, and the same transfer with the linux profile (issue #16:
// SACK, RACK-TLP, PRR), where Wireshark's rules, restated below, explain every flag that is not our cause.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace wirestep {
namespace tshark_tcp_analysis_test {

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

// One exported run: its pcap and, per frame, what our JSON says about the packet.
struct Frame {
  int number = 0;       // pcap frame number: the pcap holds every packet in Trace order, index + 1
  bool a_to_b = false;  // from the sender
  bool syn_or_fin = false;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint32_t len = 0;       // payload bytes
  std::int64_t time_ns = 0;    // sent (the pcap's timestamp)
  std::int64_t arrive_ns = 0;  // arrived at the peer, or dropped
  std::string cause;
};

class TsharkExport : public ::testing::Test {
 protected:
  void load(const std::string& scenario) {
    WIRESTEP_REQUIRE_TSHARK();
    pcap_ = dir_.file("run.pcap");
    const std::string json_path = dir_.file("run.json");
    auto run = run_command_line(testing::wirestep_binary() + " run " + scenario + " --quiet --pcap " + pcap_ +
                                " --json " + json_path);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const auto j = nlohmann::json::parse(testing::read_text(json_path));
    for (const auto& p : j["trace"]["packets"]) {
      Frame f;
      f.number = p["index"].get<int>() + 1;
      f.a_to_b = p["direction"].get<std::string>() == "a>b";
      const std::string flags = p["flags"].get<std::string>();
      f.syn_or_fin = flags.find("SYN") != std::string::npos || flags.find("FIN") != std::string::npos;
      f.seq = p["seq"].get<std::uint32_t>();
      f.ack = p["ack"].get<std::uint32_t>();
      f.len = p["len"].get<std::uint32_t>();
      f.time_ns = p["time_ns"].get<std::int64_t>();
      f.arrive_ns = p["arrive_ns"].get<std::int64_t>();
      f.cause = p["cause"].get<std::string>();
      cause_[f.number] = f.cause;
      frames_.push_back(f);
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
  std::vector<Frame> frames_;
};

class TsharkTcpAnalysis : public TsharkExport {
 protected:
  void SetUp() override { load(testing::source_path("scenarios/tcp-bulk-loss.toml")); }
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

// The linux-profile export: scenarios/tcp-bulk-loss.toml's link (10 Mbit/s, 10 ms, 2% random loss, a
// 300 ms outage) carrying 2 MB, and a lost tail so that a tail loss probe (RFC 8985 §7.3) runs.
constexpr const char* kLinuxBulkLoss = R"(
[scenario]
name = "tshark-linux-bulk-loss"
title = "Linux TCP bulk transfer over a lossy link"
title_zh = "Linux TCP 在丢包链路上的大量数据传输"
seed = 3

[tcp]
profile = "linux"
msl = "1s"

[[host]]
name = "A"
address = "10.0.0.1/24"

[[host]]
name = "B"
address = "10.0.0.2/24"

[[link]]
between = ["A", "B"]
latency = "10ms"
bandwidth = "10Mbit"
queue = 100

[[link.impairment]]
direction = "A>B"
type = "bernoulli"
loss = "2%"

[[link.impairment]]
direction = "A>B"
type = "drop"
kind = "data"
from = "500ms"
until = "800ms"

# Two more data segments are lost: the last one (with the FIN) and the tail loss probe that repeats it, so the
# tail needs the probe and then the RTO. `nth` counts the data segments the random and outage rules let through,
# so the numbers follow the seed and the sender's segmenting (1,383 at seed 3 with Linux's send buffer and GSO rules).
[[link.impairment]]
direction = "A>B"
type = "drop"
kind = "data"
nth = [1383, 1384]

[[program]]
name = "receiver"
host = "B"
socket = "tcp"

[[program.step]]
call = "bind"
port = 5001

[[program.step]]
call = "listen"

[[program.step]]
call = "accept"

[[program.step]]
call = "recv"
size = 65536
until_eof = true

[[program.step]]
call = "close"

[[program]]
name = "sender"
host = "A"
socket = "tcp"

[[program.step]]
call = "connect"
to = "B:5001"

[[program.step]]
call = "send"
bytes = "2MB"

[[program.step]]
call = "close"

[[expect]]
text = "B reads the 2 MB"
text_zh = "B 读到 2 MB"
program = "receiver"
bytes_received = 2000000
recv_returned_zero = true
)";

// What Wireshark 4.0 flags, restated from its tcp_analyze_sequence_number (epan/dissectors/packet-tcp.c) over
// our frames, so each of its flags is explained frame by frame. For a sender's segment that does not advance
// the highest sequence seen (seq < nextseq), in this order:
//   spurious retransmission: the receiver's last ACK frame already covers it;
//   fast retransmission: two or more duplicate ACKs of exactly its seq, the last ACK frame < 20 ms before;
//   out-of-order: sent less than the handshake RTT after the frame that raised nextseq, and not ending at it;
//   else retransmission (tshark's tcp.analysis.retransmission also marks every fast and spurious one).
struct WiresharkFlags {
  std::set<int> spurious, fast, out_of_order, retransmission;
};

bool seq_before(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) < 0;
}

WiresharkFlags wireshark_rules(const std::vector<Frame>& frames) {
  WiresharkFlags w;
  // Wireshark's ts_first_rtt: the SYN to the ACK that completes the handshake, both the sender's.
  std::int64_t first_rtt = 3'000'000, syn_at = -1;
  for (const Frame& f : frames) {
    if (!f.a_to_b) continue;
    if (f.syn_or_fin && f.len == 0 && syn_at < 0) {
      syn_at = f.time_ns;
    } else if (syn_at >= 0) {
      first_rtt = f.time_ns - syn_at;
      break;
    }
  }
  bool have_next = false, have_ack = false;
  std::uint32_t nextseq = 0, lastack = 0;
  std::int64_t nextseq_at = 0, lastack_at = 0;
  int dupacks = 0;
  for (const Frame& f : frames) {
    if (!f.a_to_b) {
      // Our duplicate-ack cause equals tshark's duplicate ACK flag (DuplicateAcksMatchFrameByFrame); any
      // other ACK frame with a new ACK number restarts the count.
      if (f.cause == "duplicate-ack") {
        ++dupacks;
      } else if (!have_ack || f.ack != lastack) {
        dupacks = 0;
      }
      lastack = f.ack;
      lastack_at = f.time_ns;
      have_ack = true;
      continue;
    }
    const std::uint32_t seg_len = f.len + (f.syn_or_fin ? 1 : 0);
    if (seg_len == 0) continue;
    bool not_advanced = have_next && seq_before(f.seq, nextseq);
    if (f.len > 1 && nextseq - 1 == f.seq) not_advanced = false;
    if (f.len > 0 && have_ack && !seq_before(lastack, f.seq + f.len)) {
      w.spurious.insert(f.number);
      w.retransmission.insert(f.number);
    } else if (not_advanced && dupacks >= 2 && lastack == f.seq && f.time_ns - lastack_at < 20'000'000) {
      w.fast.insert(f.number);
      w.retransmission.insert(f.number);
    } else if (not_advanced && f.time_ns - nextseq_at < first_rtt && nextseq != f.seq + seg_len) {
      w.out_of_order.insert(f.number);
    } else if (not_advanced) {
      w.retransmission.insert(f.number);
    }
    if (!have_next || seq_before(nextseq, f.seq + seg_len)) {
      nextseq = f.seq + seg_len;
      nextseq_at = f.time_ns;
      have_next = true;
    }
  }
  return w;
}

class TsharkLinuxTcpAnalysis : public TsharkExport {
 protected:
  void SetUp() override {
    const std::string scenario = dir_.file("linux-bulk-loss.toml");
    std::ofstream(scenario) << kLinuxBulkLoss;
    load(scenario);
  }
  std::set<int> our_retransmissions() const {
    return ours({"rto-retransmission", "fast-retransmission", "rack-retransmission", "tail-loss-probe",
                 "recovery-retransmission"});
  }
};

TEST_F(TsharkLinuxTcpAnalysis, ExportHasNoMalformedPacketsOrBadChecksums) {
  // SACK blocks, timestamps and window scaling on every segment, all well-formed (RFC 2018 §3, RFC 7323 §3).
  const auto bad = tshark_frames(pcap_ + " -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE",
                                 "_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0 || "
                                 "_ws.expert.severity == error");
  EXPECT_TRUE(bad.empty()) << "frames: " << list(bad);
  EXPECT_FALSE(tshark_frames(pcap_, "tcp.options.sack_le").empty()) << "the receiver sent SACK blocks";
}

TEST_F(TsharkLinuxTcpAnalysis, DuplicateAcksMatchFrameByFrameThoughTheyCarrySack) {
  // RFC 6675 §2: an ACK carrying SACK that does not move SND.UNA is a duplicate ACK; Wireshark counts it
  // too (same ACK and window, no data), whatever its SACK blocks say.
  const auto theirs = tshark_frames(pcap_, "tcp.analysis.duplicate_ack");
  EXPECT_FALSE(theirs.empty());
  EXPECT_EQ(theirs, ours({"duplicate-ack"}));
  EXPECT_EQ(tshark_frames(pcap_, "tcp.analysis.window_update"), ours({"window-update"}));
}

TEST_F(TsharkLinuxTcpAnalysis, EveryRetransmissionOfOursAndNothingElseIsFlaggedByTshark) {
  // Whatever name Wireshark gives it (retransmission, fast retransmission, out-of-order, spurious), the
  // segments it sees going back in sequence are exactly those we sent again: RTO, RACK, fast retransmit, TLP.
  std::set<int> theirs = tshark_frames(pcap_,
                                       "tcp.analysis.retransmission || tcp.analysis.out_of_order || "
                                       "tcp.analysis.spurious_retransmission");
  const auto all = our_retransmissions();
  EXPECT_EQ(theirs, all);
  EXPECT_FALSE(ours({"rack-retransmission"}).empty());
  EXPECT_FALSE(ours({"tail-loss-probe"}).empty());
  EXPECT_FALSE(ours({"rto-retransmission"}).empty());
}

TEST_F(TsharkLinuxTcpAnalysis, FastRetransmissionsAreOursOrFollowTwoDuplicateAcksOfTheirSequence) {
  // Ours: recovery entered on DupThresh SACKed segments (RFC 6675 §5). Wireshark's: any segment resent within
  // 20 ms of two or more duplicate ACKs of its sequence, so a RACK retransmission of the first hole
  // (RFC 8985 §6.2: marked lost by time, not by counting) is "fast" there too. Frame by frame by that rule.
  const auto theirs = tshark_frames(pcap_, "tcp.analysis.fast_retransmission");
  const WiresharkFlags w = wireshark_rules(frames_);
  EXPECT_EQ(theirs, w.fast);
  // Wireshark tests "spurious" first: a fast retransmission whose ACK was in flight is called that instead
  // (SpuriousRetransmissionsAreOnlyThoseWhoseAckWasStillInFlight).
  for (int f : ours({"fast-retransmission"}))
    EXPECT_TRUE(theirs.count(f) || w.spurious.count(f)) << "frame " << f;
  for (int f : theirs)
    EXPECT_TRUE(our_retransmissions().count(f)) << "frame " << f << " is our " << cause_[f];
}

TEST_F(TsharkLinuxTcpAnalysis, OutOfOrderAndPlainRetransmissionsFollowWiresharksTimingRule) {
  // A retransmission sent within one handshake RTT of the newest data is "out-of-order" to Wireshark (it
  // cannot know the sender's intent; the link here never reorders); later ones are plain retransmissions.
  const WiresharkFlags w = wireshark_rules(frames_);
  EXPECT_EQ(tshark_frames(pcap_, "tcp.analysis.out_of_order"), w.out_of_order);
  EXPECT_EQ(tshark_frames(pcap_, "tcp.analysis.retransmission"), w.retransmission);
  // Every RTO and tail loss probe comes after a silence longer than that RTT (RFC 6298 §2.4, RFC 8985 §7.2).
  for (int f : ours({"rto-retransmission", "tail-loss-probe"})) {
    EXPECT_TRUE(w.retransmission.count(f)) << "frame " << f << " " << cause_[f];
  }
}

TEST_F(TsharkLinuxTcpAnalysis, SpuriousRetransmissionsAreOnlyThoseWhoseAckWasStillInFlight) {
  // The pcap orders both directions by sending time, so an ACK the receiver sent before a retransmission
  // left can precede it in the file although it reached the sender only afterwards: Wireshark calls that
  // retransmission spurious; the sender could not have known.
  const auto theirs = tshark_frames(pcap_, "tcp.analysis.spurious_retransmission");
  EXPECT_EQ(theirs, wireshark_rules(frames_).spurious);
  for (int number : theirs) {
    const Frame& seg = frames_[number - 1];
    const Frame* covering = nullptr;
    for (int i = number - 2; i >= 0 && !covering; --i)
      if (!frames_[i].a_to_b) covering = &frames_[i];
    ASSERT_NE(covering, nullptr) << "frame " << number;
    EXPECT_GT(covering->arrive_ns, seg.time_ns) << "frame " << number << " resent data the sender knew acked";
  }
}

TEST_F(TsharkLinuxTcpAnalysis, NoLostSegmentsInTheExport) {
  // Every segment is in the file, dropped ones included: tshark must see no gaps.
  EXPECT_TRUE(tshark_frames(pcap_, "tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment").empty());
}

}  // namespace tshark_tcp_analysis_test
}  // namespace wirestep
