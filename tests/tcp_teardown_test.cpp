// Closing a TCP connection (RFC 9293 §3.6) and resetting one (§3.10.7, RFC 5961 §3.2): the normal and the
// simultaneous close with their states and timers, half-close, a lost FIN, RSTs in every synchronized state,
// and closing with unread data (RFC 2525 §2.17). MSL is 1 s, so TIME-WAIT lasts 2 s.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tcp_test_harness.hpp"

namespace wirestep {
namespace tcp_teardown_test {

using namespace tcptest;

LabOptions short_msl() {
  LabOptions o;
  o.tcp_a.msl = o.tcp_b.msl = SimDuration::seconds(1);
  return o;
}

// RFC 9293 §3.6 figure 12: A closes, B reads end of stream and closes; A waits 2*MSL in TIME-WAIT.
TEST(TcpClose, NormalCloseMatchesFigure12) {
  TcpLab lab(short_msl());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  Sink b_sink;
  lab.at(at_ms(100), [&] {
    TcpLab::read_until_eof(lab.B(), lab.server(), b_sink);
    ASSERT_TRUE(lab.A().close(lab.client).ok());
  });
  lab.at(at_ms(200), [&] { ASSERT_TRUE(lab.B().close(lab.server()).ok()); });
  lab.run(at_ms(10'000));
  const auto w = lab.wire();
  const Lines teardown = lines(w, 3);
  EXPECT_EQ(teardown, (Lines{"100ms A>B <SEQ=1><ACK=1><CTL=FIN,ACK>",  //
                             "110ms B>A <SEQ=1><ACK=2><CTL=ACK>",      //
                             "200ms B>A <SEQ=1><ACK=2><CTL=FIN,ACK>",  //
                             "210ms A>B <SEQ=2><ACK=2><CTL=ACK>"}))
      << dump(w);
  EXPECT_EQ(state_names(lab.client_states()),
            "SYN-SENT -> ESTABLISHED -> FIN-WAIT-1 -> FIN-WAIT-2 -> TIME-WAIT -> CLOSED");
  EXPECT_EQ(state_names(lab.server_states()),
            "SYN-RECEIVED -> ESTABLISHED -> CLOSE-WAIT -> LAST-ACK -> CLOSED");
  const Trace& t = lab.trace();
  EXPECT_EQ(when(entered_at(t, lab.a, lab.client, TcpState::FinWait1)), "100ms");
  EXPECT_EQ(when(entered_at(t, lab.b, lab.server(), TcpState::CloseWait)), "110ms");
  EXPECT_EQ(when(entered_at(t, lab.a, lab.client, TcpState::FinWait2)), "120ms");
  EXPECT_EQ(when(entered_at(t, lab.b, lab.server(), TcpState::LastAck)), "200ms");
  EXPECT_EQ(when(entered_at(t, lab.a, lab.client, TcpState::TimeWait)), "210ms");
  EXPECT_EQ(when(entered_at(t, lab.b, lab.server(), TcpState::Closed)), "220ms");
  // RFC 9293 §3.4.2: TIME-WAIT lasts 2*MSL from the last FIN's arrival.
  EXPECT_EQ(when(entered_at(t, lab.a, lab.client, TcpState::Closed)), "2210ms");
  EXPECT_EQ(when(b_sink.eof_at), "110ms");  // recv() returns 0 when the FIN arrives
}

// RFC 9293 §3.4.2: the connection stays in TIME-WAIT until exactly 2*MSL has passed, not a nanosecond less.
TEST(TcpTimeWait, ClosesExactlyAfterTwoMsl) {
  TcpLab lab(short_msl());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  lab.at(at_ms(100), [&] { ASSERT_TRUE(lab.A().close(lab.client).ok()); });
  lab.at(at_ms(200), [&] { ASSERT_TRUE(lab.B().close(lab.server()).ok()); });
  lab.run(at_ms(2210) - SimDuration::nanos(1));
  EXPECT_EQ(name(lab.client_states().back()), "TIME-WAIT");
  lab.run(at_ms(2210));
  EXPECT_EQ(name(lab.client_states().back()), "CLOSED");
}

// RFC 9293 §3.10.7.4 (TIME-WAIT): a retransmitted FIN is acknowledged again and restarts the 2*MSL wait.
TEST(TcpTimeWait, RetransmittedFinIsAcknowledgedAndRestartsTheWait) {
  LabOptions o = short_msl();
  o.a_to_b.push_back(drop(PacketKind::Ack, {2}));  // #1 is the handshake's ACK, #2 acknowledges B's FIN
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  lab.at(at_ms(100), [&] { ASSERT_TRUE(lab.A().close(lab.client).ok()); });
  lab.at(at_ms(200), [&] { ASSERT_TRUE(lab.B().close(lab.server()).ok()); });
  lab.run(at_ms(10'000));
  const auto w = lab.wire();
  const Lines tail = lines(w, w.size() - 3);
  EXPECT_EQ(tail, (Lines{"210ms A>B <SEQ=2><ACK=2><CTL=ACK> lost",  //
                         "1200ms B>A <SEQ=1><ACK=2><CTL=FIN,ACK>",  //
                         "1210ms A>B <SEQ=2><ACK=2><CTL=ACK>"}))
      << dump(w);
  EXPECT_EQ(w[w.size() - 2].cause, Cause::RtoRetransmission);
  EXPECT_EQ(when(entered_at(lab.trace(), lab.b, lab.server(), TcpState::Closed)), "1220ms");
  EXPECT_EQ(when(entered_at(lab.trace(), lab.a, lab.client, TcpState::Closed)), "3210ms");
}

// RFC 9293 §3.6 figure 13: both close at once; each FIN crosses the other, both pass CLOSING and TIME-WAIT.
TEST(TcpClose, SimultaneousCloseMatchesFigure13) {
  TcpLab lab(short_msl());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  lab.at(at_ms(100), [&] {
    ASSERT_TRUE(lab.A().close(lab.client).ok());
    ASSERT_TRUE(lab.B().close(lab.server()).ok());
  });
  lab.run(at_ms(10'000));
  const auto w = lab.wire();
  const Lines teardown = lines(w, 3);
  EXPECT_EQ(teardown, (Lines{"100ms A>B <SEQ=1><ACK=1><CTL=FIN,ACK>",  //
                             "100ms B>A <SEQ=1><ACK=1><CTL=FIN,ACK>",  //
                             "110ms B>A <SEQ=2><ACK=2><CTL=ACK>",      //
                             "110ms A>B <SEQ=2><ACK=2><CTL=ACK>"}))
      << dump(w);
  const std::string closing = "ESTABLISHED -> FIN-WAIT-1 -> CLOSING -> TIME-WAIT -> CLOSED";
  EXPECT_EQ(state_names(lab.client_states()), "SYN-SENT -> " + closing);
  EXPECT_EQ(state_names(lab.server_states()), "SYN-RECEIVED -> " + closing);
  for (const auto& [host, sock] : {std::pair{lab.a, lab.client}, std::pair{lab.b, lab.server()}}) {
    EXPECT_EQ(when(entered_at(lab.trace(), host, sock, TcpState::Closing)), "110ms");
    EXPECT_EQ(when(entered_at(lab.trace(), host, sock, TcpState::TimeWait)), "120ms");
    EXPECT_EQ(when(entered_at(lab.trace(), host, sock, TcpState::Closed)), "2120ms");
  }
}

// RFC 9293 §3.6 / §3.10.4: after shutdown(SHUT_WR) the peer keeps sending; recv() returns 0 only at its FIN.
TEST(TcpHalfClose, PeerKeepsSendingAfterShutdown) {
  TcpLab lab(short_msl());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  Sink a_sink, b_sink;
  CallResult sent;
  lab.at(at_ms(100), [&] {
    TcpLab::read_until_eof(lab.A(), lab.client, a_sink);
    TcpLab::read_until_eof(lab.B(), lab.server(), b_sink);
    ASSERT_TRUE(lab.A().shutdown_send(lab.client).ok());
  });
  lab.at(at_ms(200), [&] { TcpLab::send(lab.B(), lab.server(), pattern_bytes(2000), 0, sent); });
  lab.at(at_ms(300), [&] { ASSERT_TRUE(lab.B().close(lab.server()).ok()); });
  lab.run(at_ms(10'000));
  const auto w = lab.wire();
  EXPECT_EQ(when(b_sink.eof_at), "110ms");
  EXPECT_TRUE(b_sink.data.empty());
  ASSERT_TRUE(sent.returned() && sent.ok) << sent.error;
  // A is in FIN-WAIT-2 and still receives: both data segments are acknowledged.
  EXPECT_EQ(when(entered_at(lab.trace(), lab.a, lab.client, TcpState::FinWait2)), "120ms");
  const auto b_data = data_segments(w, "B");
  ASSERT_EQ(b_data.size(), 2u) << dump(w);
  EXPECT_EQ(b_data[0].str(), "200ms B>A <SEQ=1><ACK=2><CTL=ACK><DATA=1460>");
  // Nagle holds the 540-byte tail until A's delayed ACK (250 ms) of the first segment arrives.
  EXPECT_EQ(b_data[1].str(), "260ms B>A <SEQ=1461><ACK=2><CTL=PSH,ACK><DATA=540>");
  EXPECT_EQ(a_sink.data, pattern_bytes(2000));
  ASSERT_EQ(a_sink.reads.size(), 2u);
  EXPECT_EQ(when(a_sink.reads.back().first), "270ms");
  EXPECT_EQ(when(a_sink.eof_at), "310ms");  // only B's FIN ends A's stream
  EXPECT_EQ(name(lab.client_states().back()), "CLOSED");
  EXPECT_EQ(name(lab.server_states().back()), "CLOSED");
}

// RFC 6298 §5 / RFC 9293 §3.10.8: a lost FIN is retransmitted when the retransmission timer expires.
TEST(TcpFinWait1, LostFinIsRetransmittedAfterTheRto) {
  LabOptions o = short_msl();
  o.a_to_b.push_back(drop(PacketKind::Fin, {1}));
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  Sink b_sink;
  lab.at(at_ms(100), [&] {
    TcpLab::read_until_eof(lab.B(), lab.server(), b_sink);
    ASSERT_TRUE(lab.A().close(lab.client).ok());
  });
  lab.run(at_ms(5'000));
  const auto w = lab.wire();
  const Lines teardown = lines(w, 3);
  EXPECT_EQ(teardown, (Lines{"100ms A>B <SEQ=1><ACK=1><CTL=FIN,ACK> lost",  //
                             "1100ms A>B <SEQ=1><ACK=1><CTL=FIN,ACK>",      //
                             "1110ms B>A <SEQ=1><ACK=2><CTL=ACK>"}))
      << dump(w);
  EXPECT_EQ(w[4].cause, Cause::RtoRetransmission);
  EXPECT_EQ(when(b_sink.eof_at), "1110ms");
  EXPECT_EQ(when(entered_at(lab.trace(), lab.a, lab.client, TcpState::FinWait2)), "1120ms");
}

// RFC 9293 §3.10.8: a lost FIN that crossed the peer's FIN is retransmitted from CLOSING on the timeout.
TEST(TcpClosing, LostFinIsRetransmittedFromClosing) {
  LabOptions o = short_msl();
  o.a_to_b.push_back(drop(PacketKind::Fin, {1}));
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  lab.at(at_ms(100), [&] { ASSERT_TRUE(lab.A().close(lab.client).ok()); });
  lab.at(at_ms(200), [&] { ASSERT_TRUE(lab.B().close(lab.server()).ok()); });
  lab.run(at_ms(10'000));
  const auto w = lab.wire();
  const Lines teardown = lines(w, 3);
  EXPECT_EQ(teardown, (Lines{"100ms A>B <SEQ=1><ACK=1><CTL=FIN,ACK> lost",  //
                             "200ms B>A <SEQ=1><ACK=1><CTL=FIN,ACK>",       //
                             "210ms A>B <SEQ=2><ACK=2><CTL=ACK>",           //
                             "1100ms A>B <SEQ=1><ACK=2><CTL=FIN,ACK>",      //
                             "1110ms B>A <SEQ=2><ACK=2><CTL=ACK>"}))
      << dump(w);
  EXPECT_EQ(w[6].cause, Cause::RtoRetransmission);
  EXPECT_EQ(state_names(lab.client_states()),
            "SYN-SENT -> ESTABLISHED -> FIN-WAIT-1 -> CLOSING -> TIME-WAIT -> CLOSED");
  EXPECT_EQ(when(entered_at(lab.trace(), lab.a, lab.client, TcpState::TimeWait)), "1120ms");
  EXPECT_EQ(when(entered_at(lab.trace(), lab.a, lab.client, TcpState::Closed)), "3120ms");
  // B's FIN was acknowledged at 220 ms (FIN-WAIT-2); A's retransmitted FIN takes it to TIME-WAIT.
  EXPECT_EQ(when(entered_at(lab.trace(), lab.b, lab.server(), TcpState::FinWait2)), "220ms");
  EXPECT_EQ(when(entered_at(lab.trace(), lab.b, lab.server(), TcpState::TimeWait)), "1110ms");
  EXPECT_EQ(name(lab.server_states().back()), "CLOSED");
}

// RFC 2525 §2.17 / RFC 9293 §3.10.5: close() with unread data sends RST, and the peer sees ECONNRESET.
TEST(TcpClose, CloseWithUnreadDataSendsRst) {
  TcpLab lab;
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  Sink a_sink;
  lab.at(at_ms(100), [&] {
    TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, sent);
    TcpLab::read_until_eof(lab.A(), lab.client, a_sink);
  });
  lab.at(at_ms(200), [&] { ASSERT_TRUE(lab.B().close(lab.server()).ok()); });
  lab.run(at_ms(10'000));
  const auto w = lab.wire();
  const Lines tail = lines(w, 3);
  EXPECT_EQ(tail, (Lines{"100ms A>B <SEQ=1><ACK=1><CTL=PSH,ACK><DATA=100>",  //
                         "150ms B>A <SEQ=1><ACK=101><CTL=ACK>",              //
                         "200ms B>A <SEQ=1><CTL=RST>"}))
      << dump(w);
  EXPECT_EQ(w.back().cause, Cause::Reset);
  EXPECT_TRUE(filter(w, [](const WireSeg& s) { return s.has(flag::kFin); }).empty());
  EXPECT_EQ(state_names(lab.server_states()), "SYN-RECEIVED -> ESTABLISHED -> CLOSED");
  EXPECT_EQ(state_names(lab.client_states()), "SYN-SENT -> ESTABLISHED -> CLOSED");
  EXPECT_EQ(when(entered_at(lab.trace(), lab.a, lab.client, TcpState::Closed)), "210ms");
  ASSERT_TRUE(a_sink.error);
  EXPECT_NE(a_sink.error->find("ECONNRESET"), std::string::npos) << *a_sink.error;
}

// ---------------------------------------------------------------- RST by hand (RFC 9293 §3.10.7, RFC 5961
// §3.2)

// Reaches `state` on one of two hand-driven connections through real segments; returns the one in it.
TcpConnection& reach(ConnPair& p, TcpState state) {
  p.a.connect(at_ms(0));
  CraftedSegment syn = as_input(drain(p.a).at(0));
  p.b.open_from_listen(at_ms(10), syn.in());
  p.b_to_a(at_ms(20));
  p.a_to_b(at_ms(30));
  switch (state) {
    case TcpState::Established:
      return p.a;
    case TcpState::FinWait1:
      p.a.shutdown_send(at_ms(40));
      drain(p.a);  // the FIN is lost
      return p.a;
    case TcpState::FinWait2:
      p.a.shutdown_send(at_ms(40));
      p.a_to_b(at_ms(50));
      p.b_to_a(at_ms(60));
      return p.a;
    case TcpState::CloseWait:
      p.a.shutdown_send(at_ms(40));
      p.a_to_b(at_ms(50));
      p.b_to_a(at_ms(60));
      return p.b;
    case TcpState::LastAck:
      p.a.shutdown_send(at_ms(40));
      p.a_to_b(at_ms(50));
      p.b_to_a(at_ms(60));
      p.b.shutdown_send(at_ms(70));
      drain(p.b);  // the FIN is lost
      return p.b;
    case TcpState::TimeWait:
      p.a.shutdown_send(at_ms(40));
      p.a_to_b(at_ms(50));
      p.b_to_a(at_ms(60));
      p.b.shutdown_send(at_ms(70));
      p.b_to_a(at_ms(80));
      drain(p.a);  // the last ACK is lost
      return p.a;
    case TcpState::Closing: {
      p.a.shutdown_send(at_ms(40));
      p.b.shutdown_send(at_ms(40));
      CraftedSegment fin_a = as_input(drain(p.a).at(0));
      CraftedSegment fin_b = as_input(drain(p.b).at(0));
      p.b.on_segment(at_ms(50), fin_a.in());
      p.a.on_segment(at_ms(50), fin_b.in());
      drain(p.a);  // both ACKs are lost
      drain(p.b);
      return p.a;
    }
    case TcpState::Closed:
    case TcpState::Listen:
    case TcpState::SynSent:
    case TcpState::SynReceived:
      break;
  }
  ADD_FAILURE() << "not a synchronized state: " << to_string(state);
  return p.a;
}

class TcpRstInSynchronizedState : public ::testing::TestWithParam<TcpState> {};

std::string state_param_name(const ::testing::TestParamInfo<TcpState>& info) {
  std::string out;
  bool upper = true;
  for (char c : to_string(info.param)) {
    if (c == '-') {
      upper = true;
      continue;
    }
    out += upper ? c : static_cast<char>(c - 'A' + 'a');
    upper = false;
  }
  return out;  // "FIN-WAIT-1" -> "FinWait1"
}

// RFC 9293 §3.10.7.4 / RFC 5961 §3.2: a RST at exactly RCV.NXT resets the connection, without a reply.
TEST_P(TcpRstInSynchronizedState, ExactSequenceResets) {
  ConnPair p(SeqNum(1000), SeqNum(5000));
  TcpConnection& c = reach(p, GetParam());
  ASSERT_EQ(name(c.state()), name(GetParam()));
  CraftedSegment rst = crafted(c.rcv_nxt(), SeqNum(0), flag::kRst);
  c.on_segment(at_ms(100), rst.in());
  EXPECT_EQ(name(c.state()), "CLOSED");
  EXPECT_TRUE(c.outbox().empty());
  EXPECT_FALSE(c.next_deadline());  // no timer survives the TCB
  // In CLOSING, LAST-ACK and TIME-WAIT the application already closed: nothing is reported as an error.
  const bool closing =
      GetParam() == TcpState::Closing || GetParam() == TcpState::LastAck || GetParam() == TcpState::TimeWait;
  if (closing)
    EXPECT_EQ(c.error(), "");
  else
    EXPECT_NE(c.error().find("ECONNRESET"), std::string::npos) << c.error();
}

// RFC 5961 §3.2: an in-window RST not at RCV.NXT draws a challenge ACK and changes nothing.
TEST_P(TcpRstInSynchronizedState, InWindowButNotExactDrawsChallengeAck) {
  ConnPair p(SeqNum(1000), SeqNum(5000));
  TcpConnection& c = reach(p, GetParam());
  ASSERT_EQ(name(c.state()), name(GetParam()));
  CraftedSegment rst = crafted(c.rcv_nxt() + 1, SeqNum(0), flag::kRst);
  c.on_segment(at_ms(100), rst.in());
  EXPECT_EQ(name(c.state()), name(GetParam()));
  const auto out = drain(c);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, flag::kAck);
  EXPECT_EQ(out[0].seq, c.snd_nxt());
  EXPECT_EQ(out[0].ack, c.rcv_nxt());
  EXPECT_EQ(out[0].payload_len, 0u);
}

// RFC 9293 §3.10.7.4 (first check): a RST outside the window, on either side, is dropped without reply.
TEST_P(TcpRstInSynchronizedState, OutOfWindowIsDropped) {
  ConnPair p(SeqNum(1000), SeqNum(5000));
  TcpConnection& c = reach(p, GetParam());
  ASSERT_EQ(name(c.state()), name(GetParam()));
  for (SeqNum seq : {c.rcv_nxt() - 1, c.rcv_nxt() + 100'000}) {
    CraftedSegment rst = crafted(seq, SeqNum(0), flag::kRst);
    c.on_segment(at_ms(100), rst.in());
    EXPECT_EQ(name(c.state()), name(GetParam())) << "RST at " << seq.raw();
    EXPECT_TRUE(c.outbox().empty()) << "RST at " << seq.raw();
  }
}

INSTANTIATE_TEST_SUITE_P(Tcp, TcpRstInSynchronizedState,
                         ::testing::Values(TcpState::Established, TcpState::FinWait1, TcpState::FinWait2,
                                           TcpState::CloseWait, TcpState::Closing, TcpState::LastAck,
                                           TcpState::TimeWait),
                         state_param_name);

// RFC 9293 §3.10.7.3: in SYN-SENT, a RST without an ACK acknowledging our SYN is dropped.
TEST(TcpSynSent, RstWithoutAcceptableAckIsIgnored) {
  ConnPair p(SeqNum(1000), SeqNum(5000));
  p.a.connect(at_ms(0));
  drain(p.a);
  CraftedSegment bare = crafted(SeqNum(5000), SeqNum(0), flag::kRst);
  p.a.on_segment(at_ms(10), bare.in());
  CraftedSegment old_ack = crafted(SeqNum(5000), SeqNum(1000), flag::kRst | flag::kAck);  // SEG.ACK = ISS
  p.a.on_segment(at_ms(20), old_ack.in());
  CraftedSegment future_ack = crafted(SeqNum(5000), SeqNum(1002), flag::kRst | flag::kAck);  // > SND.NXT
  p.a.on_segment(at_ms(30), future_ack.in());
  EXPECT_EQ(name(p.a.state()), "SYN-SENT");
  EXPECT_TRUE(p.a.outbox().empty());
  EXPECT_EQ(p.a.error(), "");
  EXPECT_EQ(when(p.a.next_deadline()), "1000ms");  // the SYN's retransmission timer still runs
}

// RFC 9293 §3.10.7.3: a RST whose ACK acknowledges our SYN refuses the connection (ECONNREFUSED).
TEST(TcpSynSent, RstWithAcceptableAckRefusesTheConnection) {
  ConnPair p(SeqNum(1000), SeqNum(5000));
  p.a.connect(at_ms(0));
  drain(p.a);
  CraftedSegment rst = crafted(SeqNum(0), SeqNum(1001), flag::kRst | flag::kAck);
  p.a.on_segment(at_ms(10), rst.in());
  EXPECT_EQ(name(p.a.state()), "CLOSED");
  EXPECT_TRUE(p.a.outbox().empty());
  EXPECT_NE(p.a.error().find("ECONNREFUSED"), std::string::npos) << p.a.error();
  EXPECT_FALSE(p.a.next_deadline());
}

// RFC 9293 §3.10.7.3: in SYN-SENT, an ACK not acknowledging our SYN is answered <SEQ=SEG.ACK><CTL=RST>.
TEST(TcpSynSent, UnacceptableAckIsAnsweredWithRst) {
  ConnPair p(SeqNum(1000), SeqNum(5000));
  p.a.connect(at_ms(0));
  drain(p.a);
  CraftedSegment stray = crafted(SeqNum(5000), SeqNum(777), flag::kAck);
  p.a.on_segment(at_ms(10), stray.in());
  EXPECT_EQ(name(p.a.state()), "SYN-SENT");
  const auto out = drain(p.a);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, flag::kRst);
  EXPECT_EQ(out[0].seq.raw(), 777u);
}

// RFC 9293 §3.10.7.4 / RFC 5961 §4.2: a SYN in ESTABLISHED draws a challenge ACK and changes nothing.
TEST(TcpEstablished, SynDrawsChallengeAck) {
  ConnPair p(SeqNum(1000), SeqNum(5000));
  TcpConnection& c = reach(p, TcpState::Established);
  CraftedSegment syn = crafted(c.rcv_nxt() + 10, SeqNum(0), flag::kSyn);
  c.on_segment(at_ms(100), syn.in());
  EXPECT_EQ(name(c.state()), "ESTABLISHED");
  const auto out = drain(c);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].flags, flag::kAck);
  EXPECT_EQ(out[0].seq, c.snd_nxt());
  EXPECT_EQ(out[0].ack, c.rcv_nxt());
}

}  // namespace tcp_teardown_test
}  // namespace wirestep
