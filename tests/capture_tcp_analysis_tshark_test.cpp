// The hard cases of TCP analysis, each a hand-built capture read by us and by tshark 4.0 (the outside
// oracle), compared frame by frame on every tcp.analysis flag: an ACK of data never captured followed by
// more ACKs with the same stale number, out-of-order segments inside and outside the out-of-order window,
// a spurious retransmission, keep-alives and their ACKs, and a full window. Each test also names the frames
// it was built to flag, so it still says what it means if tshark's rules move. Fails without tshark.
#include <gtest/gtest.h>

#include "capture/analyzed_capture.hpp"
#include "capture_test_support.hpp"
#include "sim/analysis/tcp_explain.hpp"
#include "sim/core/rng.hpp"
#include "sim/tcp/seq_num.hpp"

namespace wirestep {
namespace capture_tcp_analysis_tshark_test {

using namespace capture_test;
namespace tf = wire::tcp_flag;

constexpr std::uint8_t kAck = tf::kAck;

// A conversation 10.0.0.1:5000 (A) <-> 10.0.0.2:80 (B) written to a pcap, one segment per call; times in ms.
class Capture {
 public:
  explicit Capture(const std::string& path) : w_(path, DLT_EN10MB) {}
  void a(double ms, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags, std::uint16_t win,
         std::size_t len = 0) {
    w_.add(ns(ms), ethernet(ipv4_tcp("10.0.0.1", 5000, "10.0.0.2", 80, seq, ack, flags, win, len)));
  }
  void b(double ms, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags, std::uint16_t win,
         std::size_t len = 0) {
    w_.add(ns(ms), ethernet(ipv4_tcp("10.0.0.2", 80, "10.0.0.1", 5000, seq, ack, flags, win, len)));
  }
  // A's SYN at 0 ms, B's SYN-ACK at `rtt_ms` / 2, A's ACK at `rtt_ms`: A's ISN 1000, B's 5000.
  void handshake(double rtt_ms, std::uint16_t win = 8000) {
    a(0, 1000, 0, tf::kSyn, win);
    b(rtt_ms / 2, 5000, 1001, tf::kSyn | kAck, win);
    a(rtt_ms, 1001, 5001, kAck, win);
  }
  void close() { w_.close(); }

 private:
  static std::int64_t ns(double ms) { return static_cast<std::int64_t>(ms * 1e6 + 0.5); }
  PcapWriter w_;
};

// Our flags and tshark's on `path`, flag by flag; returns ours for the test's own expectations.
std::map<std::string, std::set<std::uint32_t>> expect_same_as_tshark(const std::string& path) {
  auto a = load_and_analyze(path);
  EXPECT_TRUE(a) << (a ? "" : a.error().message());
  if (!a) return {};
  const TsharkResult theirs = tshark_flags(path);
  EXPECT_EQ(theirs.exit_code, 0) << "tshark failed or is missing";
  auto ours = our_flags(a->analysis);
  for (const std::string& flag : tshark_flag_names()) {
    const auto& t = theirs.frames.count(flag) ? theirs.frames.at(flag) : std::set<std::uint32_t>{};
    EXPECT_EQ(ours[flag], t) << "tcp.analysis." << flag << ": ours " << frames_text(ours[flag]) << ", tshark "
                             << frames_text(t);
  }
  return ours;
}

using Frames = std::set<std::uint32_t>;

TEST(CaptureTcpAnalysisTshark, AckedUnseenSegmentIsReportedOncePerGapNotOnEveryStaleAck) {
  // B acknowledges 100 bytes of A's that were never captured, then repeats that ACK (two duplicate ACKs and
  // two data segments): one report, as in Wireshark 4.0, not one per ACK (RFC 9293 §3.4: an ACK names the
  // next byte expected, so repeating it says nothing new about the gap).
  testing::TempDir dir;
  const std::string path = dir.file("stale-ack.pcap");
  {
    Capture c(path);
    c.handshake(20);
    c.a(21, 1001, 5001, kAck, 8000, 100);  // 4
    c.b(31, 5001, 1201, kAck, 8000);       // 5  ACKs 1101..1201, never seen
    c.b(32, 5001, 1201, kAck, 8000);       // 6  dup #1, same stale ACK
    c.b(33, 5001, 1201, kAck, 8000);       // 7  dup #2
    c.b(34, 5001, 1201, kAck, 8000, 50);   // 8  data, same ACK
    c.b(35, 5051, 1201, kAck, 8000, 50);   // 9
    c.a(40, 1201, 5101, kAck, 8000, 100);  // 10 previous segment not captured
    c.b(41, 5101, 1301, kAck, 8000);       // 11 ACKs frame 10: the old gap is still below it
    c.b(42, 5101, 1401, kAck, 8000);       // 12 ACKs 1301..1401, never seen: a new gap
    c.b(43, 5101, 1401, kAck, 8000);       // 13 dup #1
  }
  auto ours = expect_same_as_tshark(path);
  EXPECT_EQ(ours["ack_lost_segment"], (Frames{5, 11, 12}));
  EXPECT_EQ(ours["duplicate_ack"], (Frames{6, 7, 13}));
  EXPECT_EQ(ours["lost_segment"], (Frames{10}));
}

TEST(CaptureTcpAnalysisTshark, AckedUnseenSegmentIsReportedAgainAfterThePeerMovesItsAck) {
  // Once reported, the stale ACK is reported again only when the other side has sent a new ACK since (its
  // own pure ACK re-arms the report; its duplicate ACK does not), as Wireshark 4.0 does.
  testing::TempDir dir;
  const std::string path = dir.file("rearm.pcap");
  {
    Capture c(path);
    c.handshake(20);
    c.a(21, 1001, 5001, kAck, 8000, 100);  // 4
    c.b(31, 5001, 1201, kAck, 8000, 50);   // 5  ACKs unseen data, carries data
    c.a(32, 1101, 5051, kAck, 8000);       // 6  A ACKs it: a new ACK from A
    c.b(33, 5051, 1201, kAck, 8000);       // 7  the same stale ACK: reported again (and dup #1)
    c.a(34, 1101, 5051, kAck, 8000);       // 8  A's duplicate ACK
    c.b(35, 5051, 1201, kAck, 8000);       // 9  not reported
    c.b(36, 5051, 1201, kAck, 9000);       // 10 window update, same stale ACK: not reported
  }
  auto ours = expect_same_as_tshark(path);
  EXPECT_EQ(ours["ack_lost_segment"], (Frames{5, 7}));
  EXPECT_EQ(ours["duplicate_ack"], (Frames{7, 8, 9}));
  EXPECT_EQ(ours["window_update"], (Frames{10}));
}

TEST(CaptureTcpAnalysisTshark, ResendAfterAnAckedUnseenReportIsAFastRetransmission) {
  // Wireshark's quirk, kept: once an ACK of B's has been reported as acknowledging A's unseen data, A's
  // duplicate-ACK counter holds -1 in an unsigned field, which passes "two or more duplicate ACKs", so B
  // resending what A last asked for within 20 ms is a fast retransmission without any duplicate ACK.
  testing::TempDir dir;
  const std::string path = dir.file("fast-after-unseen.pcap");
  {
    Capture c(path);
    c.handshake(20);                       // 1-3
    c.b(21, 5001, 1001, kAck, 8000, 100);  // 4
    c.b(22, 5101, 1001, kAck, 8000, 100);  // 5
    c.a(30, 1001, 5101, kAck, 8000);       // 6  A asks for 5101
    c.b(31, 5201, 1101, kAck, 8000);       // 7  B ACKs 100 bytes A never sent
    c.b(40, 5101, 1101, kAck, 8000, 100);  // 8  10 ms after frame 6: fast retransmission
  }
  auto ours = expect_same_as_tshark(path);
  EXPECT_EQ(ours["ack_lost_segment"], (Frames{7}));
  EXPECT_EQ(ours["fast_retransmission"], (Frames{8}));
  EXPECT_TRUE(ours["duplicate_ack"].empty());
}

TEST(CaptureTcpAnalysisTshark, OutOfOrderWithoutHandshakeMeansWithinThreeMilliseconds) {
  // No SYN captured, so no handshake RTT: a segment filling a hole within 3 ms of the highest segment is
  // out of order; the same hole filled later is a retransmission (Wireshark's default threshold).
  testing::TempDir dir;
  const std::string path = dir.file("ooo-3ms.pcap");
  {
    Capture c(path);
    c.a(0, 1001, 5001, kAck, 8000, 100);    // 1
    c.a(1, 1201, 5001, kAck, 8000, 100);    // 2  previous segment not captured (1101..1201)
    c.a(2.5, 1101, 5001, kAck, 8000, 100);  // 3  1.5 ms after frame 2: out of order
    c.a(10, 1301, 5001, kAck, 8000, 100);   // 4
    c.a(11, 1501, 5001, kAck, 8000, 100);   // 5  previous segment not captured (1401..1501)
    c.a(15, 1401, 5001, kAck, 8000, 100);   // 6  4 ms after frame 5: retransmission
  }
  auto ours = expect_same_as_tshark(path);
  EXPECT_EQ(ours["out_of_order"], (Frames{3}));
  EXPECT_EQ(ours["retransmission"], (Frames{6}));
  EXPECT_EQ(ours["lost_segment"], (Frames{2, 5}));
}

TEST(CaptureTcpAnalysisTshark, OutOfOrderWithHandshakeMeansWithinTheHandshakeRtt) {
  // With a 40 ms handshake RTT the window is 40 ms: a hole filled 30 ms after the highest segment is out of
  // order, one filled 50 ms after is a retransmission. A copy that ends exactly at the highest sequence
  // number is a retransmission even within the window (it is not "earlier data arriving late").
  testing::TempDir dir;
  const std::string path = dir.file("ooo-rtt.pcap");
  {
    Capture c(path);
    c.handshake(40);                        // 1-3
    c.a(41, 1001, 5001, kAck, 8000, 100);   // 4
    c.a(42, 1201, 5001, kAck, 8000, 100);   // 5  previous segment not captured
    c.a(72, 1101, 5001, kAck, 8000, 100);   // 6  30 ms later: out of order
    c.a(80, 1301, 5001, kAck, 8000, 100);   // 7
    c.a(81, 1501, 5001, kAck, 8000, 100);   // 8  previous segment not captured
    c.a(82, 1501, 5001, kAck, 8000, 100);   // 9  1 ms later, ends at the highest: retransmission
    c.a(131, 1401, 5001, kAck, 8000, 100);  // 10 50 ms after frame 8: retransmission
  }
  auto ours = expect_same_as_tshark(path);
  EXPECT_EQ(ours["out_of_order"], (Frames{6}));
  EXPECT_EQ(ours["retransmission"], (Frames{9, 10}));
  EXPECT_EQ(ours["lost_segment"], (Frames{5, 8}));
}

TEST(CaptureTcpAnalysisTshark, HandshakeStampedBackwardsMakesEveryLateFillOutOfOrder) {
  // The SYN-ACK and ACK carry stamps 50 ms before the SYN's (a capture merged from two clocks): Wireshark
  // keeps the negative handshake RTT, and as its unsigned threshold every later hole fill is out of order,
  // even seconds later. No positive round trip is reported.
  testing::TempDir dir;
  const std::string path = dir.file("backwards.pcap");
  {
    Capture c(path);
    c.a(100, 1000, 0, tf::kSyn, 8000);           // 1
    c.b(50, 5000, 1001, tf::kSyn | kAck, 8000);  // 2  stamped before the SYN
    c.a(60, 1001, 5001, kAck, 8000);             // 3  handshake RTT -40 ms
    c.a(61, 1001, 5001, kAck, 8000, 100);        // 4
    c.a(62, 1201, 5001, kAck, 8000, 100);        // 5  previous segment not captured
    c.a(5000, 1101, 5001, kAck, 8000, 100);      // 6  5 s later: still out of order
    c.a(6000, 1001, 5001, kAck, 8000, 100);      // 7
  }
  auto ours = expect_same_as_tshark(path);
  EXPECT_EQ(ours["out_of_order"], (Frames{6, 7}));
  EXPECT_TRUE(ours["retransmission"].empty());
  auto a = load_and_analyze(path);
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->analysis.conversations().at(0).tcp.initial_rtt_ns);
  // The explanation does not claim the 3 ms window for a 5 s gap.
  int explained = 0;
  for (const FlaggedPacket& f : a->analysis.flagged()) {
    if (f.flag != TcpFlag::OutOfOrder || f.frame != 6) continue;
    ++explained;
    const std::string why = explain(f, a->analysis.conversations().at(f.conversation), a->capture.trace,
                                    [](std::uint32_t p) { return p + 1; });
    EXPECT_NE(why.find("negative here"), std::string::npos) << why;
  }
  EXPECT_EQ(explained, 1);
}

TEST(CaptureTcpAnalysisTshark, RetransmittingAlreadyAcknowledgedDataIsSpurious) {
  // B has acknowledged everything up to 1301; A sends 1101..1201 again: every byte already acknowledged, so
  // a spurious retransmission (Wireshark's rule; RFC 9293 §3.10.7.4 has the receiver drop it as a duplicate).
  testing::TempDir dir;
  const std::string path = dir.file("spurious.pcap");
  {
    Capture c(path);
    c.handshake(20);                        // 1-3
    c.a(21, 1001, 5001, kAck, 8000, 100);   // 4
    c.a(22, 1101, 5001, kAck, 8000, 100);   // 5
    c.a(23, 1201, 5001, kAck, 8000, 100);   // 6
    c.b(33, 5001, 1301, kAck, 8000);        // 7  all acknowledged
    c.a(500, 1101, 5001, kAck, 8000, 100);  // 8  spurious retransmission
    c.a(501, 1001, 5001, kAck, 8000, 300);  // 9  spurious too: ends at the ACK
    c.a(502, 1201, 5001, kAck, 8000, 200);  // 10 half new: an ordinary retransmission
  }
  auto ours = expect_same_as_tshark(path);
  EXPECT_EQ(ours["spurious_retransmission"], (Frames{8, 9}));
  EXPECT_EQ(ours["retransmission"], (Frames{8, 9, 10})) << "tshark's retransmission filter covers all kinds";
}

TEST(CaptureTcpAnalysisTshark, KeepAlivesOfZeroAndOneByteAndTheirAcks) {
  // RFC 1122 §4.2.3.6: a keep-alive carries the sequence number one below the next one, with no data or one
  // garbage byte; its ACK repeats the previous ACK. Neither is a retransmission.
  testing::TempDir dir;
  const std::string path = dir.file("keep-alive.pcap");
  {
    Capture c(path);
    c.handshake(20);                           // 1-3
    c.a(21, 1001, 5001, kAck, 8000, 100);      // 4
    c.b(31, 5001, 1101, kAck, 8000);           // 5
    c.a(7200031, 1100, 5001, kAck, 8000);      // 6  keep-alive, no data
    c.b(7200041, 5001, 1101, kAck, 8000);      // 7  keep-alive ACK
    c.a(14400041, 1100, 5001, kAck, 8000, 1);  // 8  keep-alive, one byte
    c.b(14400051, 5001, 1101, kAck, 8000);     // 9  keep-alive ACK
    c.b(14400052, 5001, 1101, kAck, 8000);     // 10 and again: still answers the last keep-alive
  }
  auto ours = expect_same_as_tshark(path);
  EXPECT_EQ(ours["keep_alive"], (Frames{6, 8}));
  EXPECT_EQ(ours["keep_alive_ack"], (Frames{7, 9, 10}));
  EXPECT_TRUE(ours["duplicate_ack"].empty()) << "a keep-alive ACK is not a duplicate ACK";
  EXPECT_TRUE(ours["retransmission"].empty());
}

TEST(CaptureTcpAnalysisTshark, SegmentEndingAtTheRightEdgeOfTheWindowFillsIt) {
  // RFC 9293 §3.8.6: the sender may send up to SND.UNA + SND.WND. B advertises 300 bytes (no window
  // scaling); the segment ending at 1001 + 300 fills the window, and after B's ACK of 1101 with window 250
  // the one ending at 1351 fills it again.
  testing::TempDir dir;
  const std::string path = dir.file("window-full.pcap");
  {
    Capture c(path);
    c.a(0, 1000, 0, tf::kSyn, 8000);            // 1
    c.b(10, 5000, 1001, tf::kSyn | kAck, 300);  // 2
    c.a(20, 1001, 5001, kAck, 8000);            // 3
    c.a(21, 1001, 5001, kAck, 8000, 100);       // 4
    c.a(22, 1101, 5001, kAck, 8000, 200);       // 5  ends at 1301 = 1001 + 300: window full
    c.b(32, 5001, 1101, kAck, 250);             // 6
    c.a(33, 1301, 5001, kAck, 8000, 50);        // 7  ends at 1351 = 1101 + 250: window full
    c.b(43, 5001, 1351, kAck, 300);             // 8
    c.a(44, 1351, 5001, kAck, 8000, 100);       // 9  not full
  }
  auto ours = expect_same_as_tshark(path);
  EXPECT_EQ(ours["window_full"], (Frames{5, 7}));
}

// Random conversations, each on its own port pair, in one capture (one tshark run): segments from either
// side that advance, repeat, skip ahead, fill holes, probe one byte below, ACK data never sent or stale
// numbers, with windows that fill and close (scaled or not), the odd FIN, RST or SYN, at gaps around every
// threshold (3 ms, 20 ms, the handshake RTT). Any rule of Wireshark's we do not follow shows up as a frame
// where the flags differ: this found that a side marked "ACKed unseen reported" passes the fast
// retransmission's "two duplicate ACKs" test (Wireshark's -1 in an unsigned counter).
TEST(CaptureTcpAnalysisTshark, RandomConversationsMatchFrameByFrame) {
  testing::TempDir dir;
  const std::string path = dir.file("random.pcap");
  {
    PcapWriter w(path, DLT_EN10MB);
    Rng rng(20261207);
    double ms = 0;
    for (int conv = 0; conv < 80; ++conv) {
      const auto port = static_cast<std::uint16_t>(10000 + conv);
      std::uint32_t next[2] = {1000u + rng.next_u32() % 1000, 0xFFFFF000u + rng.next_u32() % 0x800};
      std::uint32_t acked[2] = {next[1], next[0]};  // what each side acknowledges of the other
      const auto send = [&](int side, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
                            std::uint16_t win, std::size_t len, wire::TcpOptions options = {}) {
        const auto ip = side == 0
                            ? ipv4_tcp("10.0.0.1", port, "10.0.0.2", 80, seq, ack, flags, win, len, options)
                            : ipv4_tcp("10.0.0.2", 80, "10.0.0.1", port, seq, ack, flags, win, len, options);
        w.add(static_cast<std::int64_t>(ms * 1e6), ethernet(ip));
      };
      static constexpr double kGaps[] = {0.2, 1, 2.9, 3.1, 10, 19, 21, 45, 300};
      static constexpr std::uint16_t kWindows[] = {0, 100, 300, 8000, 8000, 8000};
      static constexpr std::size_t kLens[] = {0, 0, 1, 50, 100, 100};
      if (rng.below(3) != 0) {  // a handshake, sometimes slow
        const double rtt = kGaps[rng.below(9)];
        // Window scaling offered by neither, one or both SYNs (a shift above 14 is used as 14).
        static constexpr std::uint8_t kShifts[] = {0, 2, 7, 15};
        wire::TcpOptions syn, syn_ack;
        if (rng.below(2)) syn.window_scale = kShifts[rng.below(4)];
        if (rng.below(2)) syn_ack.window_scale = kShifts[rng.below(4)];
        send(0, next[0] - 1, 0, tf::kSyn, 8000, 0, syn);
        ms += rtt / 2;
        send(1, next[1] - 1, next[0], tf::kSyn | kAck, 8000, 0, syn_ack);
        ms += rtt / 2;
        send(0, next[0], next[1], kAck, 8000, 0);
      }
      std::uint16_t win[2] = {8000, 8000};
      for (int i = 0; i < 40; ++i) {
        ms += kGaps[rng.below(9)];
        const int side = static_cast<int>(rng.below(2));
        std::uint32_t seq = next[side];
        const std::size_t len = kLens[rng.below(6)];
        switch (rng.below(8)) {
          case 0:
            seq -= 100;
            break;  // repeat or fill a hole
          case 1:
            seq -= 1;
            break;  // one below: keep-alive or probe
          case 2:
            seq += 100;
            break;  // skip ahead: a segment not captured
          case 3:
            seq -= 200;
            break;  // older data
          default:
            break;  // in order
        }
        std::uint32_t ack = acked[side];
        switch (rng.below(6)) {
          case 0:
            ack = next[side ^ 1] + 100;
            break;  // beyond anything sent
          case 1:
            ack = next[side ^ 1];
            break;  // everything
          case 2:
            ack = next[side ^ 1] - 50;
            break;  // part
          default:
            break;  // the same as before
        }
        if (rng.below(4) == 0) win[side] = kWindows[rng.below(6)];
        std::uint8_t flags = kAck;
        if (rng.below(40) == 0) flags |= tf::kFin;
        if (rng.below(60) == 0) flags = rng.below(2) ? tf::kRst : (tf::kSyn | (rng.below(2) ? kAck : 0));
        send(side, seq, ack, flags, win[side], len);
        acked[side] = ack;
        if (SeqNum(seq + static_cast<std::uint32_t>(len)) > SeqNum(next[side]))
          next[side] = seq + static_cast<std::uint32_t>(len);
      }
      ms += 1000;
    }
  }
  auto ours = expect_same_as_tshark(path);
  std::size_t flagged = 0;
  for (const auto& [flag, frames] : ours) flagged += frames.size();
  EXPECT_GT(flagged, 500u) << "the random conversations raise flags";
}

}  // namespace capture_tcp_analysis_tshark_test
}  // namespace wirestep
