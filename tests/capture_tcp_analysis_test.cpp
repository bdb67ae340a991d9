// The conversation table and TCP analysis fed packet by packet (no file): stream separation on port reuse,
// the handshake RTT, phases, end states, UDP statistics, and the explanations each flag carries.
#include <gtest/gtest.h>

#include "capture_test_support.hpp"
#include "sim/analysis/flow_analysis.hpp"
#include "sim/analysis/tcp_explain.hpp"

namespace wirestep {
namespace capture_tcp_analysis_test {

namespace tf = wire::tcp_flag;
using capture_test::v4;

// Builds a Trace and feeds the analyzer as the capture reader would.
class Feed {
 public:
  void tcp(double ms, bool from_a, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
           std::uint16_t win, std::uint32_t len = 0) {
    add(Transport::Tcp, ms, from_a, seq, ack, flags, win, len);
  }
  void udp(double ms, bool from_a, std::uint32_t len) { add(Transport::Udp, ms, from_a, 0, 0, 0, 0, len); }
  const FlowAnalyzer& done() {
    analysis.finish();
    return analysis;
  }
  std::string why(std::size_t i) const {
    const FlaggedPacket& f = analysis.flagged().at(i);
    return explain(f, analysis.conversations().at(f.conversation), trace,
                   [](std::uint32_t p) { return p + 1; });
  }

  Trace trace;
  FlowAnalyzer analysis;

 private:
  void add(Transport proto, double ms, bool from_a, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
           std::uint16_t win, std::uint32_t len) {
    const wire::IpAddr a = wire::IpAddr::from_v4(v4("10.0.0.1")), b = wire::IpAddr::from_v4(v4("10.0.0.2"));
    const auto [flow, dir] =
        from_a ? trace.flow_for(proto, a, 5000, b, 80) : trace.flow_for(proto, b, 80, a, 5000);
    PacketRecord r;
    r.time = r.arrive = SimTime{static_cast<std::int64_t>(ms * 1e6)};
    r.flow = flow;
    r.dir = dir;
    r.tcp_flags = flags;
    r.seq = seq;
    r.ack = ack;
    r.window = win;
    r.payload_len = len;
    r.fate = Fate::Captured;
    r.cause = Cause::Captured;
    FrameInfo info;
    info.packet = trace.add_packet(r);
    info.frame = info.packet + 1;
    info.time_ns = r.time.ns;
    info.wire_len = 54 + len;
    info.proto = proto;
    info.analyzable = proto == Transport::Tcp;
    analysis.add(r, info);
  }
};

TEST(CaptureTcpAnalysis, PortReuseAfterCloseStartsTheNextStream) {
  Feed f;
  f.tcp(0, true, 100, 0, tf::kSyn, 1000);
  f.tcp(1, false, 900, 101, tf::kSyn | tf::kAck, 1000);
  f.tcp(2, true, 101, 901, tf::kAck, 1000);
  f.tcp(3, true, 101, 901, tf::kFin | tf::kAck, 1000);
  f.tcp(4, false, 901, 102, tf::kRst | tf::kAck, 0);
  f.tcp(10, true, 5000, 0, tf::kSyn, 1000);  // same port pair, new initial sequence number
  f.tcp(11, true, 5000, 0, tf::kSyn, 1000);  // its retransmission: same stream
  const FlowAnalyzer& a = f.done();
  ASSERT_EQ(a.conversations().size(), 2u);
  EXPECT_EQ(f.trace.flows().size(), 1u) << "the Trace keeps one flow per 5-tuple";
  EXPECT_EQ(a.conversations()[0].tcp.stream, 0u);
  EXPECT_EQ(a.conversations()[1].tcp.stream, 1u);
  EXPECT_EQ(a.conversations()[0].packets(), 5u);
  EXPECT_EQ(a.conversations()[1].packets(), 2u);
  EXPECT_EQ(a.conversation_of(0, 4), 0u);
  EXPECT_EQ(a.conversation_of(0, 5), 1u);
  EXPECT_EQ(a.conversations()[1].tcp.flags[static_cast<int>(TcpFlag::Retransmission)], 1u)
      << "SYN retransmitted";
  EXPECT_EQ(to_string(a.conversations()[0].tcp.end_state[0]), std::string("CLOSED"))
      << "RST closes both ends";
}

TEST(CaptureTcpAnalysis, HandshakeRttRunsFromTheLastSynToTheFirstAck) {
  // A retransmitted SYN restarts the measurement (Wireshark's ts_mru_syn).
  Feed f;
  f.tcp(0, true, 100, 0, tf::kSyn, 1000);
  f.tcp(1000, true, 100, 0, tf::kSyn, 1000);
  f.tcp(1030, false, 900, 101, tf::kSyn | tf::kAck, 1000);
  f.tcp(1031, true, 101, 901, tf::kAck, 1000);
  f.tcp(1032, true, 101, 901, tf::kAck | tf::kPsh, 1000, 10);
  const Conversation& c = f.done().conversations().at(0);
  ASSERT_TRUE(c.tcp.initial_rtt_ns);
  EXPECT_EQ(*c.tcp.initial_rtt_ns, 31'000'000);
  EXPECT_EQ(c.tcp.phase_of(2), TcpPhase::Handshake);
  EXPECT_EQ(c.tcp.phase_of(4), TcpPhase::Data);
  EXPECT_EQ(to_string(c.tcp.end_state[0]), std::string("ESTABLISHED"));
  EXPECT_EQ(to_string(c.tcp.end_state[1]), std::string("ESTABLISHED"));
  EXPECT_EQ(f.why(0), "retransmission: the SYN was first sent in frame 1; new data would start at seq 1");
}

TEST(CaptureTcpAnalysis, InitiatorIsTheSynSenderEvenWhenOnlyTheSynAckWasCaptured) {
  Feed f;
  f.tcp(0, false, 900, 101, tf::kSyn | tf::kAck, 1000);
  f.tcp(1, true, 101, 901, tf::kAck, 1000);
  const Conversation& c = f.done().conversations().at(0);
  // The Trace names the first sender (the server here) "a"; the initiator is the SYN-ACK's receiver.
  EXPECT_EQ(c.initiator, Direction::BtoA);
  EXPECT_FALSE(c.tcp.initial_rtt_ns) << "no SYN, no handshake RTT";
}

TEST(CaptureTcpAnalysis, EveryFlagExplainsItselfWithTheFramesItRefersTo) {
  Feed f;
  f.tcp(0, true, 1000, 0, tf::kSyn, 8000);
  f.tcp(10, false, 5000, 1001, tf::kSyn | tf::kAck, 8000);
  f.tcp(20, true, 1001, 5001, tf::kAck, 8000);
  f.tcp(21, true, 1001, 5001, tf::kAck, 8000, 100);  // 4
  f.tcp(22, true, 1101, 5001, tf::kAck, 8000, 100);  // 5
  f.tcp(30, false, 5001, 1101, tf::kAck, 8000);      // 6
  f.tcp(31, false, 5001, 1101, tf::kAck, 8000);      // 7  dup #1 of 6
  f.tcp(32, false, 5001, 1101, tf::kAck, 8000);      // 8  dup #2
  f.tcp(33, true, 1101, 5001, tf::kAck, 8000, 100);  // 9  fast retransmission of 5
  f.tcp(40, false, 5001, 1201, tf::kAck, 0);         // 10 zero window
  f.tcp(50, true, 1201, 5001, tf::kAck, 8000, 1);    // 11 zero-window probe
  f.tcp(60, false, 5001, 1201, tf::kRst, 0);         // 12 RST
  const FlowAnalyzer& a = f.done();
  std::vector<std::string> got;
  for (std::size_t i = 0; i < a.flagged().size(); ++i)
    got.push_back("frame " + std::to_string(a.flagged()[i].frame) + " " + f.why(i));
  const std::vector<std::string> want = {
      "frame 7 duplicate ACK #1 of frame 6: ACK 101 again, no data, same window: the receiver is still "
      "missing seq 101",
      "frame 8 duplicate ACK #2 of frame 6: ACK 101 again, no data, same window: the receiver is still "
      "missing seq 101",
      "frame 9 fast retransmission: seq 101-200 resent within 20 ms of duplicate ACK #2 asking for it (frame "
      "8); "
      "first sent in frame 5 (RFC 5681 §3.2)",
      "frame 10 zero window: 10.0.0.2:80 advertises a window of 0: its receive buffer is full and the peer "
      "must "
      "stop sending (RFC 9293 §3.8.6.1)",
      "frame 11 zero-window probe: 1 byte at seq 201 while the peer's window is 0 (frame 10), to learn when "
      "it "
      "opens (RFC 9293 §3.8.6.1)",
      "frame 12 rst: 10.0.0.2:80 resets the connection; both ends drop it at once (RFC 9293 §3.10.7)",
  };
  EXPECT_EQ(got, want);
  const TcpConversation& t = a.conversations()[0].tcp;
  EXPECT_EQ(t.rst, 1u);
  EXPECT_EQ(t.retransmissions(), 1u);
  EXPECT_EQ(t.ack_rtt.count, 4u) << "frames 2, 3, 6 and 10 acknowledge a segment exactly";
}

TEST(CaptureTcpAnalysis, RttSamplesAreKeptOnlyWhenAskedFor) {
  for (bool keep : {false, true}) {
    Feed f;
    f.analysis = FlowAnalyzer(FlowAnalyzer::Options{keep});
    f.tcp(0, true, 1, 1, tf::kAck, 100, 10);
    f.tcp(7, false, 1, 11, tf::kAck, 100);
    const FlowAnalyzer& a = f.done();
    EXPECT_EQ(a.conversations()[0].tcp.ack_rtt.count, 1u);
    EXPECT_EQ(a.conversations()[0].tcp.ack_rtt.min_ns, 7'000'000);
    EXPECT_EQ(a.rtt_samples().size(), keep ? 1u : 0u);
  }
}

TEST(CaptureTcpAnalysis, UdpFlowsCountSizesAndGaps) {
  Feed f;
  f.udp(0, true, 10);
  f.udp(5, true, 30);
  f.udp(6, false, 20);
  f.udp(16, true, 0);
  const Conversation& c = f.done().conversations().at(0);
  EXPECT_EQ(c.proto, Transport::Udp);
  EXPECT_EQ(c.packets(), 4u);
  EXPECT_EQ(c.from_a().packets, 3u);
  EXPECT_EQ(c.from_b().packets, 1u);
  EXPECT_EQ(c.udp.min_payload, 0u);
  EXPECT_EQ(c.udp.max_payload, 30u);
  EXPECT_EQ(c.from_a().payload_bytes + c.from_b().payload_bytes, 60u);
  EXPECT_EQ(c.udp.gaps.count, 3u);
  EXPECT_EQ(c.udp.gaps.min_ns, 1'000'000);
  EXPECT_EQ(c.udp.gaps.max_ns, 10'000'000);
  EXPECT_DOUBLE_EQ(c.udp.gaps.mean_ns(), 16e6 / 3);
}

TEST(CaptureTcpAnalysis, UnackedSegmentsAreBoundedAsInWireshark) {
  // One direction only, no ACKs: Wireshark stops remembering segments at 10000; so do we (bounded memory).
  Feed f;
  for (std::uint32_t i = 0; i < TcpStreamAnalysis::kMaxUnackedSegments + 50; ++i)
    f.tcp(i * 0.001, true, 1 + i * 10, 1, tf::kAck, 100, 10);
  const FlowAnalyzer& a = f.done();
  EXPECT_TRUE(a.flagged().empty());
  EXPECT_EQ(a.conversations()[0].packets(), TcpStreamAnalysis::kMaxUnackedSegments + 50);
}

}  // namespace capture_tcp_analysis_test
}  // namespace wirestep
