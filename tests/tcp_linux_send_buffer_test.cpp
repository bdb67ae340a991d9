// Linux's send buffer in the linux profile (issue 16; sim/tcp/linux_send_buffer.*): sk_sndbuf starts at
// tcp_wmem[1] and tcp_init_buffer_space sizes it for the initial window, every skb is charged its truesize
// (payload + 832), a blocked write is woken only when a third of the buffer is free (sk_stream_write_space),
// PSH marks where a send() stopped to wait (tcp_push before sk_stream_wait_memory), and tcp_sndbuf_expand
// grows the buffer with cwnd unless SO_SNDBUF locked it. No RFC covers a socket's buffer: the tests name the
// kernel functions (net/ipv4/tcp.c, tcp_input.c, tcp_output.c, net/core/stream.c).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "sim/packetdrill/script_parser.hpp"
#include "sim/packetdrill/script_runner.hpp"
#include "sim/tcp/linux_send_buffer.hpp"
#include "tcp_test_harness.hpp"

namespace wirestep {
namespace tcp_linux_send_buffer_test {

using namespace tcptest;

LabOptions linux_both() {
  LabOptions o;
  o.tcp_a = TcpConfig::for_profile(TcpProfile::Linux);
  o.tcp_b = TcpConfig::for_profile(TcpProfile::Linux);
  return o;
}

// --- the accounting itself

// tcp_stream_alloc_skb + skb_len_add: each skb costs its payload plus an 832-byte head, and a write fills
// skbs of size_goal bytes (tcp_xmit_size_goal: whole segments, at most half the peer's largest window).
TEST(LinuxSendBufferAccounting, EachSkbIsChargedItsPayloadPlusItsHead) {
  LinuxSendBuffer b;
  b.start(100000, 4194304, false);
  bool full = false;
  EXPECT_EQ(b.append(30000, 25000, &full), 25000u);
  EXPECT_TRUE(full);
  EXPECT_EQ(b.append(5000, 25000, &full), 5000u);
  EXPECT_FALSE(full);
  EXPECT_EQ(b.skb_count(), 2u);
  EXPECT_EQ(b.wmem_queued(), 30000u + 2 * LinuxSendBuffer::kSkbOverhead);
  EXPECT_EQ(LinuxSendBuffer::kSkbOverhead, 832u);
}

TEST(LinuxSendBufferAccounting, SizeGoalIsWholeSegmentsWithinHalfTheWindowAndGsoMax) {
  EXPECT_EQ(LinuxSendBuffer::size_goal(1000, 50000), 25000u);    // tcp_bound_to_half_wnd
  EXPECT_EQ(LinuxSendBuffer::size_goal(1448, 6291456), 65160u);  // 45 segments: sk_gso_max_size
  EXPECT_EQ(LinuxSendBuffer::size_goal(1448, 1000), 1448u);      // never below one segment
}

// sk_stream_memory_free is checked only before a new skb: the tail skb still fills up past sk_sndbuf.
TEST(LinuxSendBufferAccounting, AWriteStopsAtTheFirstNewSkbPastTheBuffer) {
  LinuxSendBuffer b;
  b.start(42000, 4194304, true);
  bool full = false;
  std::uint64_t taken = 0;
  while (const std::uint64_t n = b.append(61000 - taken, 25000, &full)) taken += n;
  EXPECT_EQ(taken, 50000u);
  EXPECT_FALSE(b.memory_free());
  EXPECT_FALSE(b.writeable());
}

// tso_fragment charges the unsent rest of a partly sent skb a head of its own; tcp_clean_rtx_queue frees
// whole skbs and tcp_trim_head the acknowledged head of one of several segments.
TEST(LinuxSendBufferAccounting, SendingPartOfAnSkbSplitsItAndAcksFreeOrTrim) {
  LinuxSendBuffer b;
  b.start(100000, 4194304, false);
  bool full = false;
  b.append(25000, 25000, &full);
  b.sent_up_to(10000);
  EXPECT_EQ(b.skb_count(), 2u);
  EXPECT_EQ(b.wmem_queued(), 25000u + 2 * 832);
  EXPECT_EQ(b.skb_end(0), 10000u);
  EXPECT_EQ(b.skb_end(10000), 25000u);
  b.sent_up_to(25000);
  b.acked_up_to(10000, 1000);
  EXPECT_EQ(b.wmem_queued(), 15000u + 832);
  b.acked_up_to(11000, 1000);
  EXPECT_EQ(b.wmem_queued(), 14000u + 832);
}

// tcp_grow_skb (Linux 6.10+): the head of the write queue, about to leave as a packet of `want` bytes,
// takes what it lacks from the skb behind it; the bytes keep their truesize, and an skb emptied so is freed
// with its head.
TEST(LinuxSendBufferAccounting, GrowingTheHeadTakesBytesFromTheNextSkbAndFreesItOnceEmpty) {
  LinuxSendBuffer b;
  b.start(200000, 4194304, false);
  bool full = false;
  b.append(25000, 25000, &full);
  b.append(25000, 25000, &full);
  b.append(3000, 25000, &full);  // skbs [0, 25000) [25000, 50000) [50000, 53000)
  b.sent_up_to(24000);           // the write queue's head is now [24000, 25000)
  const std::uint64_t queued = b.wmem_queued();
  EXPECT_EQ(queued, 53000u + 4 * 832);
  b.grow_head(2896);
  EXPECT_EQ(b.skb_end(24000), 26896u);
  EXPECT_EQ(b.skb_end(26896), 50000u);
  EXPECT_EQ(b.wmem_queued(), queued) << "bytes moved, no skb freed";
  b.grow_head(1000);  // already large enough
  EXPECT_EQ(b.skb_end(24000), 26896u);
  b.sent_up_to(26896);  // the grown head left whole: no split; head [26896, 50000), then [50000, 53000)
  const std::uint32_t skbs = b.skb_count();
  b.grow_head(30000);  // wants 6896 more: the next skb has 3000, all of them
  EXPECT_EQ(b.skb_end(26896), 53000u);
  EXPECT_EQ(b.skb_count(), skbs - 1);
  EXPECT_EQ(b.wmem_queued(), queued - 832) << "the emptied skb's head is freed";
  b.grow_head(60000);  // the head is the last skb: nothing behind it to take from
  EXPECT_EQ(b.skb_end(26896), 53000u);
}

// sk_stream_write_space: the writer wakes when sk_sndbuf - sk_wmem_queued >= sk_wmem_queued / 2.
TEST(LinuxSendBufferAccounting, WriteableOnceAThirdOfTheBufferIsFree) {
  LinuxSendBuffer b;
  b.start(42000, 4194304, true);
  bool full = false;
  b.append(28000 - 832, 30000, &full);
  EXPECT_TRUE(b.writeable());  // 28000 queued: 14000 free = half of it
  b.append(1, 30000, &full);
  EXPECT_FALSE(b.writeable());
}

// tcp_sndbuf_expand: 2 * max(cwnd, 10) * (roundup_pow_of_two(mss + 576) + 256), at most tcp_wmem[2];
// 46080 for an MSS of 1460, what `ss -m` shows for a fresh CUBIC connection on Linux 6.18 (tb46080).
TEST(LinuxSendBufferAccounting, ExpandFollowsCwndUpToTcpWmemMax) {
  LinuxSendBuffer b;
  b.start(16384, 200000, false);
  b.expand(1460, 10, 3);
  EXPECT_EQ(b.sndbuf(), 46080u);
  b.expand(1460, 40, 3);
  EXPECT_EQ(b.sndbuf(), 184320u);
  b.expand(1460, 80, 3);
  EXPECT_EQ(b.sndbuf(), 200000u);
  b.expand(1460, 10, 3);
  EXPECT_EQ(b.sndbuf(), 200000u);  // it never shrinks
}

// --- at the socket and on the wire

// A bulk sender: A writes `bytes` in one send() at 100 ms, B reads everything.
struct Bulk {
  TcpLab lab;
  CallResult sent;
  Sink received;
  explicit Bulk(LabOptions o, std::uint64_t bytes, std::optional<std::uint32_t> sndbuf = std::nullopt)
      : lab(std::move(o)) {
    EXPECT_NO_FATAL_FAILURE(lab.establish());
    if (sndbuf) lab.A().set_connection_option(lab.client, Host::TcpOption::SendBuffer, *sndbuf);
    TcpLab::read_until_eof(lab.B(), lab.accepted.front().second, received);
    lab.at(at_ms(100), [this, bytes] { TcpLab::send(lab.A(), lab.client, {}, bytes, sent); });
  }
  const TcpConnection& conn() { return *lab.A().tcp_connection(lab.client); }
};

// tcp_init_buffer_space: a new connection's buffer starts at tcp_wmem[1] = 16384 and, once established,
// holds two initial windows of worst-case skbs: 2 * 10 * 2304 = 46080 with timestamps' MSS clamp of 1460.
TEST(TcpLinuxSendBuffer, EstablishedConnectionStartsWithRoomForTwoInitialWindows) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  EXPECT_EQ(lab.A().tcp_connection(lab.client)->send_buffer_bytes(), 46080u);
}

// sock_setsockopt(SO_SNDBUF) doubles the value and sets SOCK_SNDBUF_LOCK: tcp_should_expand_sndbuf then
// never grows it, however far cwnd grows.
TEST(TcpLinuxSendBuffer, SoSndbufIsKeptThroughABulkTransfer) {
  Bulk b(linux_both(), 2'000'000, 2 * 30000);
  b.lab.run(at_ms(5000));
  ASSERT_TRUE(b.sent.at.has_value() && b.sent.ok) << b.sent.error;
  EXPECT_EQ(b.conn().send_buffer_bytes(), 60000u);
}

// tcp_new_space / tcp_sndbuf_expand: while a writer waits and cwnd is not filled, the buffer grows with cwnd,
// so a long transfer ends with more than the initial 46080 and never more than tcp_wmem[2].
TEST(TcpLinuxSendBuffer, AutotuningGrowsTheBufferWithCwnd) {
  LabOptions o = linux_both();
  o.latency = ms(20);
  Bulk b(o, 4'000'000);
  b.lab.run(at_ms(20000));
  ASSERT_TRUE(b.sent.at.has_value() && b.sent.ok) << b.sent.error;
  EXPECT_GT(b.conn().send_buffer_bytes(), 46080u);
  EXPECT_LE(b.conn().send_buffer_bytes(), 4194304u);
}

// tcp_sendmsg_locked calls tcp_push (tcp_mark_push) before sk_stream_wait_memory: the segment holding the
// last byte a blocked send() queued carries PSH, in the middle of one write, as real Linux's captures show.
// The rfc profile's send buffer counts payload bytes and has no such mark: PSH only at the write's end.
TEST(TcpLinuxSendBuffer, PshMarksWhereABlockedSendStoppedToWait) {
  LabOptions o = linux_both();
  o.tcp_a.gso_segments = 0;  // no GSO packets, so the only PSH before the write's end is the wait's
  Bulk b(o, 300'000);
  b.lab.run(at_ms(3000));
  ASSERT_TRUE(b.sent.at.has_value() && b.sent.ok) << b.sent.error;
  std::vector<WireSeg> psh;
  for (const WireSeg& s : data_segments(b.lab.wire(), "A"))
    if (s.has(flag::kPsh) && s.cause == Cause::FirstTransmission) psh.push_back(s);
  ASSERT_FALSE(psh.empty());
  // 46080 bytes of buffer: a 31856-byte skb (22 segments, half of B's 65160-byte window), ten segments
  // sent and split off (10 heads), the rest refilled to 31856: 46336 queued when the next skb finds 55488
  // bytes charged and the write sleeps. Real Linux's capture of the twin-zero-window scenario has its PSH
  // at the same byte.
  EXPECT_EQ(psh[0].seq - 1 + psh[0].len, 46336u) << psh[0];
  EXPECT_LT(psh[0].seq - 1 + psh[0].len, 300'000u);
}

// --- packetdrill: the write's return time is what Linux's blocking-write.pkt checks

// SO_SNDBUF 21000 (42000 doubled), a 61000-byte write with 50000 queued before it sleeps; ACKs at 10001 and
// 30001 leave more than two thirds of the buffer charged (51664, then 33328 with the heads tso_fragment
// added), the ACK of 36001 brings it to 26496 and wakes the writer, which queues its last 1000 bytes.
const char* const kBlockingWrite =
    "--tolerance_usecs=10000\n"
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
    "+0 bind(3, ..., ...) = 0\n"
    "+0 listen(3, 1) = 0\n"
    "+.1 < S 0:0(0) win 50000 <mss 1000,nop,wscale 0>\n"
    "+0 > S. 0:0(0) ack 1 <...>\n"
    "+.1 < . 1:1(0) ack 1 win 50000\n"
    "+0 accept(3, ..., ...) = 4\n"
    "+0 setsockopt(4, SOL_SOCKET, SO_SNDBUF, [21000], 4) = 0\n"
    "+0 getsockopt(4, SOL_SOCKET, SO_SNDBUF, [42000], [4]) = 0\n"
    "+0...%s write(4, ..., 61000) = 61000\n"
    "+.1 < . 1:1(0) ack 10001 win 50000\n"
    "+.1 < . 1:1(0) ack 30001 win 50000\n"
    "+.1 < . 1:1(0) ack 36001 win 50000\n";

packetdrill::RunResult run_blocking_write(const std::string& returns_after) {
  char text[2048];
  std::snprintf(text, sizeof text, kBlockingWrite, returns_after.c_str());
  auto script = packetdrill::parse_script(text, "blocking-write-test.pkt");
  EXPECT_TRUE(script.ok());
  packetdrill::RunOptions o;
  o.tcp = TcpConfig::for_profile(TcpProfile::Linux);
  // As blocking-write.pkt sets tcp_min_tso_segs=10: GSO packets of 5 and 10 segments, so fewer skbs (and
  // heads) than the profile's pairs, which would keep the writer asleep past the ACK of 36001.
  o.tcp.gso_segments = 10;
  return packetdrill::run_script(*script, o);
}

TEST(TcpLinuxSendBuffer, BlockedWriteReturnsWhenTheAckFreesAThirdOfTheBuffer) {
  const packetdrill::RunResult r = run_blocking_write("0.300");
  EXPECT_EQ(r.outcome, packetdrill::Outcome::Pass) << r.line << ": " << r.reason.en << " / " << r.actual;
}

TEST(TcpLinuxSendBuffer, BlockedWriteDoesNotReturnAtTheAckOf30001) {
  const packetdrill::RunResult r = run_blocking_write("0.200");
  EXPECT_EQ(r.outcome, packetdrill::Outcome::Fail);
  EXPECT_NE(r.reason.en.find("timing error"), std::string::npos) << r.reason.en;
}

// The rfc profile's buffer counts payload only (no truesize, no wake threshold): the same write returns at
// the ACK of 30001, as the simulator did before Linux's buffer was modelled.
TEST(TcpLinuxSendBuffer, RfcProfileBufferWakesTheWriterAtTheFirstFreeByte) {
  char text[2048];
  std::snprintf(text, sizeof text, kBlockingWrite, "0.200");
  auto script = packetdrill::parse_script(text, "blocking-write-test.pkt");
  ASSERT_TRUE(script.ok());
  packetdrill::RunOptions o;
  o.tcp = TcpConfig::for_profile(TcpProfile::Linux);
  o.tcp.linux_send_buffer = false;
  const packetdrill::RunResult r = packetdrill::run_script(*script, o);
  EXPECT_EQ(r.outcome, packetdrill::Outcome::Pass) << r.line << ": " << r.reason.en << " / " << r.actual;
}

TEST(TcpLinuxSendBuffer, LinuxsOwnBlockingWriteScriptPasses) {
  auto script =
      packetdrill::parse_script_file(std::string(WIRESTEP_PACKETDRILL_DIR) + "/blocking/blocking-write.pkt");
  ASSERT_TRUE(script.ok()) << script.error().message();
  packetdrill::RunOptions o;
  o.tcp = TcpConfig::for_profile(TcpProfile::Linux);
  const packetdrill::RunResult r = packetdrill::run_script(*script, o);
  EXPECT_EQ(r.outcome, packetdrill::Outcome::Pass) << r.line << ": " << r.reason.en << " / " << r.actual;
}

}  // namespace tcp_linux_send_buffer_test
}  // namespace wirestep
