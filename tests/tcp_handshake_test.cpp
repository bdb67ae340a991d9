// Opening a TCP connection (RFC 9293 §3.5): the three-way handshake segment by segment, simultaneous open,
// refusal by a closed port, and what repairs a lost SYN, SYN,ACK or final ACK. Sequence numbers are relative
// to each side's ISN, as in the RFC's figures; the link has 10 ms one-way delay and no bandwidth limit.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "tcp_test_harness.hpp"

namespace wirestep {
namespace tcp_handshake_test {

using namespace tcptest;

// RFC 9293 §3.5 figure 6: SYN, SYN,ACK, ACK with exact numbers and times; both ends reach ESTABLISHED.
TEST(TcpHandshake, ThreeWayHandshakeMatchesFigure6) {
  TcpLab lab;
  ASSERT_NO_FATAL_FAILURE(lab.establish(at_ms(1000)));
  const auto w = lab.wire();
  EXPECT_EQ(lines(w), (Lines{"0ms A>B <SEQ=0><CTL=SYN>",              //
                             "10ms B>A <SEQ=0><ACK=1><CTL=SYN,ACK>",  //
                             "20ms A>B <SEQ=1><ACK=1><CTL=ACK>"}))
      << dump(w);
  // RFC 9293 §3.7.1: each SYN announces the MSS; RFC 7323 §2.2: the window in a SYN is never scaled.
  ASSERT_TRUE(w[0].options && w[0].options->mss);
  EXPECT_EQ(*w[0].options->mss, 1460);
  EXPECT_EQ(w[0].window, 65535);
  ASSERT_TRUE(w[1].options && w[1].options->mss);
  EXPECT_EQ(*w[1].options->mss, 1460);
  EXPECT_EQ(w[0].cause, Cause::FirstTransmission);
  EXPECT_EQ(w[2].cause, Cause::PureAck);

  EXPECT_EQ(state_names(lab.client_states()), "SYN-SENT -> ESTABLISHED");
  EXPECT_EQ(state_names(lab.server_states()), "SYN-RECEIVED -> ESTABLISHED");
  EXPECT_EQ(when(entered_at(lab.trace(), lab.a, lab.client, TcpState::Established)), "20ms");
  EXPECT_EQ(when(entered_at(lab.trace(), lab.b, lab.server(), TcpState::SynReceived)), "10ms");
  EXPECT_EQ(when(entered_at(lab.trace(), lab.b, lab.server(), TcpState::Established)), "30ms");
  // connect() returns when the SYN,ACK arrives; accept() when the final ACK does.
  EXPECT_EQ(when(lab.connected.at), "20ms");
  EXPECT_EQ(when(lab.accepted.front().first), "30ms");
  // The first RTT sample is the SYN's round trip (RFC 6298 §2.2): SRTT = 20 ms, RTTVAR = 10 ms.
  ASSERT_TRUE(lab.client_conn()->rtt().srtt());
  EXPECT_EQ(*lab.client_conn()->rtt().srtt(), ms(20));
  EXPECT_EQ(lab.client_conn()->rtt().rttvar(), ms(10));
}

// RFC 9293 §3.5 figure 6, line 5: the first data segment continues at SEQ=1 and carries ACK=1.
TEST(TcpHandshake, FirstDataSegmentStartsAfterTheSyn) {
  TcpLab lab;
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, sent); });
  lab.run(at_ms(1000));
  const auto data = data_segments(lab.wire(), "A");
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0].str(), "100ms A>B <SEQ=1><ACK=1><CTL=PSH,ACK><DATA=100>");
}

// RFC 9293 §3.5 figure 7: both ends send SYN at once, answer SYN,ACK, and reach ESTABLISHED.
TEST(TcpHandshake, SimultaneousOpenMatchesFigure7) {
  // Four segments, no fifth.
  TcpLab lab;
  const SocketId sa = lab.A().tcp_socket();
  const SocketId sb = lab.B().tcp_socket();
  ASSERT_TRUE(lab.A().bind(sa, 1000).ok());
  ASSERT_TRUE(lab.B().bind(sb, 2000).ok());
  CallResult ca, cb;
  lab.at(at_ms(0), [&] {
    TcpLab::connect(lab.A(), sa, kAddrB, 2000, ca);
    TcpLab::connect(lab.B(), sb, kAddrA, 1000, cb);
  });
  lab.run(at_ms(10'000));
  const auto w = lab.wire();
  EXPECT_EQ(lines(w), (Lines{"0ms A>B <SEQ=0><CTL=SYN>",              //
                             "0ms B>A <SEQ=0><CTL=SYN>",              //
                             "10ms B>A <SEQ=0><ACK=1><CTL=SYN,ACK>",  //
                             "10ms A>B <SEQ=0><ACK=1><CTL=SYN,ACK>"}))
      << dump(w);
  EXPECT_EQ(state_names(states_of(lab.trace(), lab.a, sa)), "SYN-SENT -> SYN-RECEIVED -> ESTABLISHED");
  EXPECT_EQ(state_names(states_of(lab.trace(), lab.b, sb)), "SYN-SENT -> SYN-RECEIVED -> ESTABLISHED");
  ASSERT_TRUE(ca.returned() && cb.returned());
  EXPECT_TRUE(ca.ok) << ca.error;
  EXPECT_TRUE(cb.ok) << cb.error;
  EXPECT_EQ(when(ca.at), "20ms");
  EXPECT_EQ(when(cb.at), "20ms");
}

// RFC 9293 §3.5 figure 7 by hand: the SYN,ACK received in SYN-RECEIVED completes the open.
TEST(TcpHandshake, SimultaneousOpenByHandCarriesDataAfterwards) {
  ConnPair p(SeqNum(100), SeqNum(300));
  p.a.connect(at_ms(0));
  p.b.connect(at_ms(0));
  // Both SYNs are on the wire before either arrives; each reaches the other in SYN-SENT.
  CraftedSegment syn_a = as_input(drain(p.a).at(0));
  CraftedSegment syn_b = as_input(drain(p.b).at(0));
  p.b.on_segment(at_ms(10), syn_a.in());
  p.a.on_segment(at_ms(10), syn_b.in());
  EXPECT_EQ(name(p.a.state()), "SYN-RECEIVED");
  EXPECT_EQ(name(p.b.state()), "SYN-RECEIVED");
  const auto a_synack = p.a_to_b(at_ms(20));
  const auto b_synack = p.b_to_a(at_ms(20));
  ASSERT_EQ(a_synack.size(), 1u);
  EXPECT_EQ(a_synack[0].seq.raw(), 100u);
  EXPECT_EQ(a_synack[0].ack.raw(), 301u);
  EXPECT_EQ(a_synack[0].flags, flag::kSyn | flag::kAck);
  ASSERT_EQ(b_synack.size(), 1u);
  EXPECT_EQ(b_synack[0].seq.raw(), 300u);
  EXPECT_EQ(b_synack[0].ack.raw(), 101u);
  EXPECT_EQ(name(p.a.state()), "ESTABLISHED");
  EXPECT_EQ(name(p.b.state()), "ESTABLISHED");
  EXPECT_TRUE(p.a.outbox().empty());  // figure 7 has no fifth segment
  EXPECT_TRUE(p.b.outbox().empty());
  EXPECT_EQ(p.a.snd_una().raw(), 101u);
  EXPECT_EQ(p.b.snd_una().raw(), 301u);

  EXPECT_EQ(p.a.send(at_ms(30), {}, 10), 10u);
  const auto data = p.a_to_b(at_ms(40));
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0].seq.raw(), 101u);
  EXPECT_EQ(data[0].payload_len, 10u);
  EXPECT_EQ(p.b.readable_bytes(), 10u);
  EXPECT_EQ(p.b.rcv_nxt().raw(), 111u);
}

// RFC 9293 §3.10.7.1 / seed note 11: a SYN to a closed port draws RST,ACK; connect() gets ECONNREFUSED.
TEST(TcpHandshake, ConnectToClosedPortIsRefused) {
  TcpLab lab;
  lab.connect_a(at_ms(0), 81);
  lab.run(at_ms(10'000));
  const auto w = lab.wire();
  EXPECT_EQ(lines(w), (Lines{"0ms A>B <SEQ=0><CTL=SYN>", "10ms B>A <SEQ=0><ACK=1><CTL=RST,ACK>"})) << dump(w);
  EXPECT_EQ(w[1].cause, Cause::Reset);
  ASSERT_TRUE(lab.connected.returned());
  EXPECT_FALSE(lab.connected.ok);
  EXPECT_NE(lab.connected.error.find("ECONNREFUSED"), std::string::npos) << lab.connected.error;
  EXPECT_EQ(when(lab.connected.at), "20ms");
  EXPECT_EQ(state_names(lab.client_states()), "SYN-SENT -> CLOSED");
}

// RFC 6298 §5.5 and §5.4: a SYN that gets no answer is sent again after 1 s, then 2 s, then 4 s.
TEST(TcpHandshake, LostSynIsRetransmittedWithBackoff) {
  LabOptions o;
  o.a_to_b.push_back(drop(PacketKind::Syn, {1, 2, 3}));
  TcpLab lab(o);
  lab.listen_b();
  lab.connect_a();
  lab.run(at_ms(20'000));
  const auto w = lab.wire();
  EXPECT_EQ(lines(w), (Lines{"0ms A>B <SEQ=0><CTL=SYN> lost",           //
                             "1000ms A>B <SEQ=0><CTL=SYN> lost",        //
                             "3000ms A>B <SEQ=0><CTL=SYN> lost",        //
                             "7000ms A>B <SEQ=0><CTL=SYN>",             //
                             "7010ms B>A <SEQ=0><ACK=1><CTL=SYN,ACK>",  //
                             "7020ms A>B <SEQ=1><ACK=1><CTL=ACK>"}))
      << dump(w);
  for (std::size_t i = 1; i <= 3; ++i) EXPECT_EQ(w[i].cause, Cause::RtoRetransmission) << w[i];
  EXPECT_EQ(when(lab.connected.at), "7020ms");
  EXPECT_TRUE(lab.connected.ok);
  // Karn (RFC 6298 §3): the SYN,ACK answers a retransmitted SYN, so it gives no RTT sample.
  EXPECT_FALSE(lab.client_conn()->rtt().srtt());
}

// RFC 6298 §5.5 + Linux tcp_syn_retries: connect() fails with ETIMEDOUT after syn_retries retransmissions.
TEST(TcpHandshake, UnansweredSynTimesOutAfterSynRetries) {
  LabOptions o;
  o.tcp_a.syn_retries = 3;
  o.a_to_b.push_back(drop_between(PacketKind::Syn, at_ms(0)));
  TcpLab lab(o);
  lab.listen_b();
  lab.connect_a();
  lab.run(at_ms(100'000));
  const auto w = lab.wire();
  ASSERT_EQ(w.size(), 4u) << dump(w);
  EXPECT_EQ(format_ms(w[0].time), "0ms");
  EXPECT_EQ(format_ms(w[1].time), "1000ms");
  EXPECT_EQ(format_ms(w[2].time), "3000ms");
  EXPECT_EQ(format_ms(w[3].time), "7000ms");
  ASSERT_TRUE(lab.connected.returned());
  EXPECT_FALSE(lab.connected.ok);
  EXPECT_NE(lab.connected.error.find("ETIMEDOUT"), std::string::npos) << lab.connected.error;
  EXPECT_EQ(when(lab.connected.at), "15000ms");  // 7 s + the fourth RTO of 8 s
  EXPECT_EQ(when(entered_at(lab.trace(), lab.a, lab.client, TcpState::Closed)), "15000ms");
}

// RFC 6298 §2.5/§5.5: six SYN retries give up at 127 s with Linux's 120 s RTO cap, 123 s with 60 s.
TEST(TcpHandshake, DefaultSynRetriesGiveUpAfterTheLastBackedOffRto) {
  // 1+2+4+8+16+32 s of retransmissions, then one last backed-off RTO: 64 s, or 60 s when capped.
  for (const auto& [max_rto, give_up] : {std::pair{SimDuration::seconds(120), at_ms(127'000)},
                                         std::pair{SimDuration::seconds(60), at_ms(123'000)}}) {
    LabOptions o;
    o.tcp_a.max_rto = max_rto;
    o.a_to_b.push_back(drop_between(PacketKind::Syn, at_ms(0)));
    TcpLab lab(o);
    lab.listen_b();
    lab.connect_a();
    lab.run(at_ms(1'000'000));
    const auto w = lab.wire();
    ASSERT_EQ(w.size(), 7u) << dump(w);
    EXPECT_EQ(format_ms(w.back().time), "63000ms");
    EXPECT_EQ(lab.connected.at, give_up) << "max_rto " << max_rto.ns;
    EXPECT_NE(lab.connected.error.find("ETIMEDOUT"), std::string::npos) << lab.connected.error;
  }
}

// RFC 6298 §5.4 / RFC 9293 §3.10.7.4: a lost SYN,ACK is repaired when the client's SYN is retransmitted.
TEST(TcpHandshake, LostSynAckIsRepairedByRetransmission) {
  // Both RTOs are 1 s, so the client's SYN and the server's SYN,ACK timer coincide: the server sends
  // the SYN,ACK for its timer and again for the repeated SYN; the extra one draws a duplicate ACK.
  LabOptions o;
  o.b_to_a.push_back(drop(PacketKind::SynAck, {1}));
  TcpLab lab(o);
  lab.listen_b();
  lab.connect_a();
  lab.run(at_ms(10'000));
  const auto w = lab.wire();
  EXPECT_EQ(lines(w), (Lines{"0ms A>B <SEQ=0><CTL=SYN>",                   //
                             "10ms B>A <SEQ=0><ACK=1><CTL=SYN,ACK> lost",  //
                             "1000ms A>B <SEQ=0><CTL=SYN>",                //
                             "1010ms B>A <SEQ=0><ACK=1><CTL=SYN,ACK>",     //
                             "1010ms B>A <SEQ=0><ACK=1><CTL=SYN,ACK>",     //
                             "1020ms A>B <SEQ=1><ACK=1><CTL=ACK>",         //
                             "1020ms A>B <SEQ=1><ACK=1><CTL=ACK>"}))
      << dump(w);
  EXPECT_EQ(w[2].cause, Cause::RtoRetransmission);
  EXPECT_EQ(w[3].cause, Cause::RtoRetransmission);
  EXPECT_EQ(w[6].cause, Cause::DuplicateAck);
  EXPECT_EQ(when(lab.connected.at), "1020ms");
  EXPECT_EQ(when(entered_at(lab.trace(), lab.b, lab.server(), TcpState::Established)), "1030ms");
  EXPECT_EQ(state_names(lab.client_states()), "SYN-SENT -> ESTABLISHED");
  EXPECT_EQ(state_names(lab.server_states()), "SYN-RECEIVED -> ESTABLISHED");
}

// RFC 6298 §5.4: the lost SYN,ACK again, written as a scenario file with a `type = "drop"` rule.
TEST(TcpHandshake, ScenarioWithDroppedSynAckConnectsAfterRetransmission) {
  constexpr std::string_view kToml = R"(
[scenario]
name = "lost-syn-ack"
seed = 3

[[host]]
name = "A"
address = "10.0.0.1/24"

[[host]]
name = "B"
address = "10.0.0.2/24"

[[link]]
between = ["A", "B"]
latency = "10ms"

[[link.impairment]]
direction = "B>A"
type = "drop"
kind = "syn-ack"
nth = 1

[[program]]
name = "server"
host = "B"
socket = "tcp"

[[program.step]]
call = "bind"
port = 80

[[program.step]]
call = "listen"

[[program.step]]
call = "accept"

[[program.step]]
call = "recv"
size = 1024
until_eof = true

[[program.step]]
call = "close"

[[program]]
name = "client"
host = "A"
socket = "tcp"

[[program.step]]
call = "connect"
to = "B:80"

[[program.step]]
call = "send"
text = "hello"

[[program.step]]
call = "close"
)";
  auto sc = parse_scenario(kToml, "lost-syn-ack.toml");
  ASSERT_TRUE(sc.ok()) << sc.error().message();
  const RunResult run = run_scenario(*sc);
  const auto w = ladder(run.trace);
  ASSERT_GE(w.size(), 4u) << dump(w);
  EXPECT_EQ(lines(w, 0, 4), (Lines{"0ms A>B <SEQ=0><CTL=SYN>",                   //
                                   "10ms B>A <SEQ=0><ACK=1><CTL=SYN,ACK> lost",  //
                                   "1000ms A>B <SEQ=0><CTL=SYN>",                //
                                   "1010ms B>A <SEQ=0><ACK=1><CTL=SYN,ACK>"}))
      << dump(w);
  ASSERT_EQ(run.programs.size(), 2u);
  const ProgramReport& server = run.programs[0];
  const ProgramReport& client = run.programs[1];
  EXPECT_EQ(when(client.connected_at), "1020ms");
  EXPECT_FALSE(client.error) << *client.error;
  EXPECT_EQ(std::string(server.stream_received.begin(), server.stream_received.end()), "hello");
  EXPECT_TRUE(server.finished);
}

// RFC 6298 §5.4 / RFC 9293 §3.10.7.4: a lost final ACK is drawn again by the SYN,ACK retransmission.
TEST(TcpHandshake, LostFinalAckIsRepairedBySynAckRetransmission) {
  LabOptions o;
  o.a_to_b.push_back(drop(PacketKind::Ack, {1}));
  TcpLab lab(o);
  lab.listen_b();
  lab.connect_a();
  lab.run(at_ms(10'000));
  const auto w = lab.wire();
  EXPECT_EQ(lines(w), (Lines{"0ms A>B <SEQ=0><CTL=SYN>",                //
                             "10ms B>A <SEQ=0><ACK=1><CTL=SYN,ACK>",    //
                             "20ms A>B <SEQ=1><ACK=1><CTL=ACK> lost",   //
                             "1010ms B>A <SEQ=0><ACK=1><CTL=SYN,ACK>",  //
                             "1020ms A>B <SEQ=1><ACK=1><CTL=ACK>"}))
      << dump(w);
  EXPECT_EQ(w[3].cause, Cause::RtoRetransmission);
  EXPECT_EQ(when(lab.connected.at), "20ms");  // the client was ESTABLISHED all along
  EXPECT_EQ(when(entered_at(lab.trace(), lab.b, lab.server(), TcpState::Established)), "1030ms");
  EXPECT_EQ(when(lab.accepted.front().first), "1030ms");
}

// RFC 9293 §3.10.7.4 (SYN-RECEIVED, fifth check): the client's first data segment completes the open.
TEST(TcpHandshake, LostFinalAckIsRepairedByClientData) {
  LabOptions o;
  o.a_to_b.push_back(drop(PacketKind::Ack, {1}));
  TcpLab lab(o);
  lab.listen_b();
  lab.connect_a();
  CallResult sent;
  Sink sink;
  lab.at(at_ms(25), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, sent); });
  lab.run(at_ms(10'000));
  ASSERT_FALSE(lab.accepted.empty());
  lab.at(at_ms(10'000), [&] { TcpLab::read_until_eof(lab.B(), lab.server(), sink); });
  lab.run(at_ms(10'001));
  const auto w = lab.wire();
  ASSERT_GE(w.size(), 4u) << dump(w);
  EXPECT_EQ(w[2].str(), "20ms A>B <SEQ=1><ACK=1><CTL=ACK> lost");
  EXPECT_EQ(w[3].str(), "25ms A>B <SEQ=1><ACK=1><CTL=PSH,ACK><DATA=100>");
  EXPECT_EQ(when(entered_at(lab.trace(), lab.b, lab.server(), TcpState::Established)), "35ms");
  EXPECT_EQ(when(lab.accepted.front().first), "35ms");
  EXPECT_TRUE(with_cause(from_host(w, "B"), Cause::RtoRetransmission).empty()) << dump(w);
  EXPECT_EQ(sink.data, pattern_bytes(100));
}

// RFC 9293 §3.4: with ISNs just below 2^32, SYNs, data and ACKs wrap through zero and every byte arrives.
TEST(TcpHandshake, IsnJustBelowTwoToThe32WrapsCorrectly) {
  TcpConfig no_nagle;
  no_nagle.nagle = false;  // all three segments at once
  ConnPair p(SeqNum(0xFFFFFF00), SeqNum(0xFFFFFFFF), no_nagle);
  p.a.connect(at_ms(0));
  const auto syn = drain(p.a);
  ASSERT_EQ(syn.size(), 1u);
  EXPECT_EQ(syn[0].seq.raw(), 0xFFFFFF00u);
  CraftedSegment syn_in = as_input(syn[0]);
  p.b.open_from_listen(at_ms(10), syn_in.in());
  const auto synack = p.b_to_a(at_ms(20));
  ASSERT_EQ(synack.size(), 1u);
  EXPECT_EQ(synack[0].seq.raw(), 0xFFFFFFFFu);
  EXPECT_EQ(synack[0].ack.raw(), 0xFFFFFF01u);
  EXPECT_EQ(name(p.a.state()), "ESTABLISHED");
  EXPECT_EQ(p.a.rcv_nxt().raw(), 0u);  // B's SYN took the last number before 2^32
  const auto ack = p.a_to_b(at_ms(30));
  ASSERT_EQ(ack.size(), 1u);
  EXPECT_EQ(ack[0].seq.raw(), 0xFFFFFF01u);
  EXPECT_EQ(ack[0].ack.raw(), 0u);
  EXPECT_EQ(name(p.b.state()), "ESTABLISHED");
  EXPECT_EQ(p.b.snd_una().raw(), 0u);

  // 3000 bytes from A: the first segment straddles 2^32, the others lie past it.
  EXPECT_EQ(p.a.send(at_ms(40), {}, 3000), 3000u);
  const auto data = p.a_to_b(at_ms(50));
  ASSERT_EQ(data.size(), 3u);
  EXPECT_EQ(data[0].seq.raw(), 0xFFFFFF01u);
  EXPECT_EQ(data[1].seq.raw(), 0xFFFFFF01 + 1460u);  // 0x000004B5
  EXPECT_EQ(data[1].seq.raw(), 0x4B5u);
  EXPECT_EQ(data[2].seq.raw(), 0xA69u);
  EXPECT_EQ(p.b.rcv_nxt().raw(), 0xAB9u);
  EXPECT_EQ(p.b.readable_bytes(), 3000u);
  // B acknowledges at once after the second full segment and delays the third (RFC 5681 §4.2).
  const auto acks = p.b_to_a(at_ms(60));
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].ack.raw(), 0xA69u);
  ASSERT_EQ(when(p.b.next_deadline()), "90ms");  // 50 ms + the 40 ms delayed-ACK timeout
  p.b.on_deadline(at_ms(90));
  const auto delayed = p.b_to_a(at_ms(100));
  ASSERT_EQ(delayed.size(), 1u);
  EXPECT_EQ(delayed[0].ack.raw(), 0xAB9u);
  EXPECT_EQ(p.a.snd_una().raw(), 0xAB9u);
  EXPECT_EQ(p.a.bytes_acked(), 3000u);
  std::vector<std::uint8_t> got;
  EXPECT_EQ(p.b.read(at_ms(110), got, 10'000), 3000u);
  EXPECT_EQ(got, pattern_bytes(3000));
}

}  // namespace tcp_handshake_test
}  // namespace wirestep
