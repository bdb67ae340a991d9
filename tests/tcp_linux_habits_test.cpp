// Linux's receiver and socket habits in the linux profile (issue 16): quick ACKs at connection start,
// delayed ACKs at Linux's ato afterwards, the FIN's ACK merged into the application's own FIN, Linux's
// Nagle test, zero-window probes below SND.UNA, the abort RST with ACK, Linux's errno reporting, and the
// SYN window rounded to the MSS. Each test names the kernel function it follows (net/ipv4/tcp_*.c).
// Linux's timer granularity (jiffies) is not modelled: times here are exact.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tcp_test_harness.hpp"

namespace wirestep {
namespace tcp_linux_habits_test {

using namespace tcptest;

const TcpConfig kLinux = TcpConfig::for_profile(TcpProfile::Linux);

LabOptions linux_both() {
  LabOptions o;
  o.tcp_a = kLinux;
  o.tcp_b = kLinux;
  return o;
}

// The pure ACKs B sent after `from`.
std::vector<WireSeg> acks_from_b(const std::vector<WireSeg>& segs, SimTime from) {
  std::vector<WireSeg> out;
  for (const WireSeg& s : segs)
    if (s.from == "B" && s.len == 0 && s.flags == flag::kAck && s.time >= from) out.push_back(s);
  return out;
}

// tcp_event_data_recv + tcp_incr_quickack: the first data segment of a connection is ACKed at once (Linux's
// quick-ack mode), where RFC 1122 §4.2.3.2 would let the receiver wait up to the delayed-ACK timer.
TEST(TcpLinuxQuickAck, FirstDataSegmentIsAckedTheMomentItArrives) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, sent); });
  lab.run(at_ms(400));
  const auto data = data_segments(lab.wire(), "A");
  ASSERT_EQ(data.size(), 1u);
  const auto acks = acks_from_b(lab.wire(), data[0].arrive);
  ASSERT_FALSE(acks.empty());
  EXPECT_EQ(when(acks[0].time), when(data[0].arrive)) << acks[0];
  EXPECT_EQ(acks[0].ack, data[0].seq + 100);
}

// The same first segment under the rfc profile waits for the 40 ms delayed-ACK timer (RFC 1122 §4.2.3.2):
// the difference the issue measured against real Linux.
TEST(TcpLinuxQuickAck, RfcProfileDelaysTheFirstAck) {
  TcpLab lab;
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, sent); });
  lab.run(at_ms(400));
  const auto data = data_segments(lab.wire(), "A");
  ASSERT_EQ(data.size(), 1u);
  const auto acks = acks_from_b(lab.wire(), data[0].arrive);
  ASSERT_FALSE(acks.empty());
  EXPECT_EQ(when(acks[0].time), when(data[0].arrive + ms(40)));
}

// tcp_dec_quickack_mode / tcp_send_delayed_ack: once the quick ACKs are spent (at most 16,
// TCP_MAX_QUICKACKS), a lone small segment is ACKed after ato = 40 ms (TCP_ATO_MIN), as RFC 1122 §4.2.3.2
// allows. Writes 100 ms apart: longer than ato, shorter than the RTO, so quick-ack mode does not restart.
TEST(TcpLinuxDelayedAck, SteadyStateSmallSegmentsAreAckedAfter40ms) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  std::vector<CallResult> sent(24);
  for (int i = 0; i < 24; ++i)
    lab.at(at_ms(100 + 100 * i),
           [&, i] { TcpLab::send(lab.A(), lab.client, pattern_bytes(10), 0, sent[i]); });
  lab.run(at_ms(3000));
  const auto data = data_segments(lab.wire(), "A");
  ASSERT_EQ(data.size(), 24u);
  int quick = 0;
  for (const WireSeg& d : data) {
    const auto acks = acks_from_b(lab.wire(), d.arrive);
    ASSERT_FALSE(acks.empty());
    const SimDuration delay = acks[0].time - d.arrive;
    if (delay.ns == 0) {
      ++quick;
    } else {
      EXPECT_EQ(delay, ms(40)) << d;
    }
  }
  EXPECT_EQ(when(acks_from_b(lab.wire(), data[0].arrive)[0].time), when(data[0].arrive));
  EXPECT_EQ(when(acks_from_b(lab.wire(), data[23].arrive)[0].time), when(data[23].arrive + ms(40)));
  // tcp_incr_quickack: min(16, window / (2 * MSS)) = min(16, 65160 / 2896 = 22) quick ACKs.
  EXPECT_EQ(quick, 16);
}

// tcp_fin enters pingpong mode, so the ACK of the peer's FIN waits ato (40 ms once data has arrived); an
// application that closes as soon as recv returns 0 sends one FIN,ACK: the close takes 3 segments, where
// RFC 9293 §3.6's figure shows 4 (both are allowed).
TEST(TcpLinuxClose, PassiveCloseMergesTheFinsAckIntoItsOwnFin) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent, read;
  std::function<void()> read_on = [&] {
    lab.B().recv(lab.server(), 1000, [&](SimTime t, Result<std::vector<std::uint8_t>> r) {
      if (r.ok() && !r->empty()) return read_on();
      read.at = t;
      read.ok = r.ok();
      EXPECT_TRUE(lab.B().close(lab.server()).ok());
    });
  };
  lab.at(at_ms(100), [&] {
    TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, sent);
    read_on();
  });
  lab.at(at_ms(200), [&] { EXPECT_TRUE(lab.A().close(lab.client).ok()); });
  lab.run(at_ms(1000));
  ASSERT_TRUE(read.returned() && read.ok);
  std::vector<WireSeg> close;
  for (const WireSeg& s : lab.wire())
    if (s.time >= at_ms(200)) close.push_back(s);
  ASSERT_EQ(close.size(), 3u) << ::testing::PrintToString(close);
  EXPECT_EQ(close[0].from, "A");
  EXPECT_EQ(close[0].flags, flag::kFin | flag::kAck);
  EXPECT_EQ(close[1].from, "B");
  EXPECT_EQ(close[1].flags, flag::kFin | flag::kAck);
  EXPECT_EQ(close[1].ack, close[0].seq + 1);
  EXPECT_EQ(close[2].from, "A");
  EXPECT_EQ(close[2].flags, flag::kAck);
}

// With no data received yet, Linux's ato is 0 and the delayed ACK of a bare FIN fires on the next jiffy:
// the FIN is ACKed at once (packetdrill's close-remote-fin-then-close), RFC 9293 §3.10.7.4 eighth step.
TEST(TcpLinuxClose, BareFinBeforeAnyDataIsAckedAtOnce) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  lab.at(at_ms(200), [&] { EXPECT_TRUE(lab.A().close(lab.client).ok()); });
  lab.run(at_ms(1000));
  const auto segs = lab.wire();
  std::optional<WireSeg> fin, ack;
  for (const WireSeg& s : segs) {
    if (s.from == "A" && s.has(flag::kFin)) fin = s;
    if (fin && !ack && s.from == "B" && s.ack == fin->seq + 1) ack = s;
  }
  ASSERT_TRUE(fin && ack);
  EXPECT_EQ(ack->flags, flag::kAck);
  EXPECT_EQ(when(ack->time), when(fin->arrive));
}

// tcp_nagle_check + tcp_minshall_check: a small segment waits only while an earlier small segment is
// unacknowledged. A 2000-byte response goes out as 1448 + 552 at once, where RFC 896's rule would hold the
// tail until the first segment is ACKed; PSH marks the write's last segment (tcp_push).
TEST(TcpLinuxNagle, ResponseTailIsNotHeldBehindAFullSegment) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.B(), lab.server(), pattern_bytes(2000), 0, sent); });
  lab.run(at_ms(400));
  const auto data = data_segments(lab.wire(), "B");
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0].len, 1448u);
  EXPECT_EQ(data[1].len, 552u);
  EXPECT_EQ(when(data[1].time), when(at_ms(100)));
  EXPECT_FALSE(data[0].has(flag::kPsh));
  EXPECT_TRUE(data[1].has(flag::kPsh));
}

// The rfc profile keeps RFC 896: the tail waits for the ACK of the full segment (one round trip, 20 ms,
// plus the peer's 40 ms delayed ACK).
TEST(TcpLinuxNagle, RfcProfileHoldsTheTailUntilTheAck) {
  TcpLab lab;
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.B(), lab.server(), pattern_bytes(2000), 0, sent); });
  lab.run(at_ms(400));
  const auto data = data_segments(lab.wire(), "B");
  ASSERT_EQ(data.size(), 2u);
  EXPECT_GT(data[1].time, at_ms(100));
}

// Linux's PSH is per write (tcp_mark_push on each sendmsg's last byte): three full-size writes give three
// PSH segments, where "PSH when the buffer empties" marks only the last.
TEST(TcpLinuxPush, EveryWritesLastSegmentCarriesPsh) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  std::vector<CallResult> sent(3);
  lab.at(at_ms(100), [&] {
    for (int i = 0; i < 3; ++i) TcpLab::send(lab.A(), lab.client, pattern_bytes(1448), 0, sent[i]);
  });
  lab.run(at_ms(400));
  const auto data = data_segments(lab.wire(), "A");
  ASSERT_EQ(data.size(), 3u);
  for (const WireSeg& d : data) EXPECT_TRUE(d.has(flag::kPsh)) << d;
}

// tcp_send_probe0 -> tcp_xmit_probe_skb: a zero window is probed with SEG.SEQ = SND.UNA-1 and no data, an
// old sequence number that the receiver must answer with an ACK (RFC 9293 §3.10.7.4) showing its window.
TEST(TcpLinuxZeroWindow, ProbesCarrySndUnaMinusOneAndNoData) {
  LabOptions o = linux_both();
  o.tcp_a.recv_buffer = 4096;
  o.tcp_a.recv_buffer_max = 0;  // no window scaling: the window reaches exactly 0
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.B(), lab.server(), {}, 20000, sent); });
  lab.run(at_ms(5000));
  const auto probes = with_cause(from_host(lab.wire(), "B"), Cause::ZeroWindowProbe);
  ASSERT_GE(probes.size(), 2u);
  std::uint32_t acked = 0;
  for (const WireSeg& s : lab.wire())
    if (s.from == "A" && s.has(flag::kAck) && s.time < probes[0].time) acked = s.ack;
  for (const WireSeg& p : probes) {
    EXPECT_EQ(p.len, 0u) << p;
    EXPECT_EQ(p.seq, acked - 1) << p;
  }
  // Each probe is answered with an ACK of SND.UNA and the zero window.
  int zero_window_answers = 0;
  for (const WireSeg& s : lab.wire())
    if (s.from == "A" && s.time > probes[0].time && s.window == 0 && s.ack == acked) ++zero_window_answers;
  EXPECT_GE(zero_window_answers, 1);
}

// tcp_send_active_reset: an abort (close with unread data, RFC 2525 §2.17) sends RST with ACK = RCV.NXT.
// The peer's next send reports ECONNRESET once (sk_err), the one after EPIPE.
TEST(TcpLinuxAbort, ResetCarriesAckAndTheNextSendReportsEconnreset) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent, after1, after2;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, sent); });
  lab.at(at_ms(200), [&] { EXPECT_TRUE(lab.B().close(lab.server()).ok()); });
  lab.at(at_ms(300), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(10), 0, after1); });
  lab.at(at_ms(310), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(10), 0, after2); });
  lab.run(at_ms(500));
  std::vector<WireSeg> rsts;
  for (const WireSeg& s : lab.wire())
    if (s.has(flag::kRst)) rsts.push_back(s);
  ASSERT_EQ(rsts.size(), 1u);
  EXPECT_EQ(rsts[0].from, "B");
  EXPECT_EQ(rsts[0].flags, flag::kRst | flag::kAck);
  EXPECT_EQ(rsts[0].ack, 1u + 100u);
  ASSERT_TRUE(after1.returned());
  EXPECT_FALSE(after1.ok);
  EXPECT_NE(after1.error.find("ECONNRESET"), std::string::npos) << after1.error;
  ASSERT_TRUE(after2.returned());
  EXPECT_FALSE(after2.ok);
  EXPECT_NE(after2.error.find("EPIPE"), std::string::npos) << after2.error;
}

// send(2): writing after shutdown(SHUT_WR) fails with EPIPE at once, as on Linux; nothing is sent.
TEST(TcpLinuxShutdown, SendAfterShutWrFailsWithEpipe) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] {
    EXPECT_TRUE(lab.A().shutdown_send(lab.client).ok());
    TcpLab::send(lab.A(), lab.client, pattern_bytes(10), 0, sent);
  });
  lab.run(at_ms(400));
  ASSERT_TRUE(sent.returned());
  EXPECT_EQ(when(sent.at), when(at_ms(100)));
  EXPECT_FALSE(sent.ok);
  EXPECT_NE(sent.error.find("EPIPE"), std::string::npos) << sent.error;
  EXPECT_TRUE(data_segments(lab.wire(), "A").empty());
}

// shutdown(SHUT_RD): a blocked recv returns 0 at once; nothing goes on the wire (Linux sends no segment).
TEST(TcpLinuxShutdown, ShutRdMakesRecvReturnEndOfStream) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult read;
  std::vector<std::uint8_t> got;
  lab.at(at_ms(100), [&] { TcpLab::recv_once(lab.A(), lab.client, 100, read, got); });
  const std::size_t before = lab.wire().size();
  lab.at(at_ms(150), [&] { EXPECT_TRUE(lab.A().shutdown(lab.client, Host::ShutHow::Read).ok()); });
  lab.run(at_ms(400));
  ASSERT_TRUE(read.returned());
  EXPECT_EQ(when(read.at), when(at_ms(150)));
  EXPECT_TRUE(read.ok);
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(lab.wire().size(), before);
}

// setsockopt(TCP_NODELAY) on a connected socket pushes what Nagle held (tcp(7)); TCP_CORK holds a partial
// segment until uncorked.
TEST(TcpLinuxSockopt, CorkHoldsAPartialSegmentUntilUncorked) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] {
    EXPECT_TRUE(lab.A().set_connection_option(lab.client, Host::TcpOption::Cork, 1));
    TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, sent);
  });
  lab.at(at_ms(150),
         [&] { EXPECT_TRUE(lab.A().set_connection_option(lab.client, Host::TcpOption::Cork, 0)); });
  lab.run(at_ms(400));
  const auto data = data_segments(lab.wire(), "A");
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(when(data[0].time), when(at_ms(150)));
}

// __tcp_sock_set_nodelay: TCP_NODELAY on a connected socket pushes the pending bytes out at once, even
// past a cork (packetdrill's sockopt_cork_nodelay).
TEST(TcpLinuxSockopt, NodelayPushesACorkedSegment) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] {
    EXPECT_TRUE(lab.A().set_connection_option(lab.client, Host::TcpOption::Cork, 1));
    TcpLab::send(lab.A(), lab.client, pattern_bytes(40), 0, sent);
  });
  lab.at(at_ms(160),
         [&] { EXPECT_TRUE(lab.A().set_connection_option(lab.client, Host::TcpOption::NoDelay, 1)); });
  lab.run(at_ms(400));
  const auto data = data_segments(lab.wire(), "A");
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(when(data[0].time), when(at_ms(160)));
  EXPECT_TRUE(data[0].has(flag::kPsh));
}

// tcp_select_initial_window: the SYN's window is the buffer's share rounded down to the MSS the sender
// expects to receive: 64240 = 44 x 1460 in the SYN, 65160 = 45 x 1448 in the SYN,ACK (timestamps agreed),
// as every Linux 6.x capture shows. RFC 7323 §2.2: the window in a SYN is never scaled.
TEST(TcpLinuxHandshake, SynWindowIsRoundedDownToTheMss) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  const auto segs = lab.wire();
  ASSERT_GE(segs.size(), 2u);
  EXPECT_EQ(segs[0].flags, flag::kSyn);
  EXPECT_EQ(segs[0].window, 64240);
  EXPECT_EQ(segs[1].flags, flag::kSyn | flag::kAck);
  EXPECT_EQ(segs[1].window, 65160);
}

}  // namespace tcp_linux_habits_test
}  // namespace wirestep
