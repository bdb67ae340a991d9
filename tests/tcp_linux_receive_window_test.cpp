// Linux's receive window in the linux profile (issue 16): the window offered after the handshake is the
// SYN's window rounded up to the scale, not the whole buffer; it grows by two segments' worth per in-order
// segment (rcv_ssthresh, tcp_grow_window); only the buffer's scaling-ratio share is ever offered, so a
// receiver that does not read closes the window before its buffer's byte count (__tcp_select_window). The
// rfc profile keeps offering the free buffer (RFC 9293 §3.8.6.2.2). Window values are RFC 7323 §2.3
// multiples of 1 << scale.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "sim/tcp/linux_receive_window.hpp"
#include "tcp_test_harness.hpp"

namespace wirestep {
namespace {

using namespace tcptest;

const TcpConfig kLinux = TcpConfig::for_profile(TcpProfile::Linux);

LabOptions linux_both() {
  LabOptions o;
  o.tcp_a = kLinux;
  o.tcp_b = kLinux;
  return o;
}

std::vector<WireSeg> pure_acks_from(const std::vector<WireSeg>& segs, const std::string& host) {
  return filter(segs,
                [&](const WireSeg& s) { return s.from == host && s.len == 0 && s.flags == flag::kAck; });
}

// tcp_select_initial_window: half of tcp_rmem[1] = 131072 (the default scaling ratio), rounded down to the
// MSS the SYN expects: 1460 in a SYN, 1448 in a SYN,ACK after timestamps.
TEST(LinuxReceiveWindow, InitialWindowIsHalfTheBufferRoundedDownToTheMss) {
  EXPECT_EQ(LinuxReceiveWindow::initial_window(131072, 1460), 64240u);
  EXPECT_EQ(LinuxReceiveWindow::initial_window(131072, 1448), 65160u);
  EXPECT_EQ(LinuxReceiveWindow::initial_window(1u << 20, 1460), 65535u);  // at most 16 bits before scaling
  EXPECT_EQ(LinuxReceiveWindow::initial_window(1000, 1460), 500u);        // smaller than one MSS: not rounded
}

// tcp_grow_window: each in-order segment raises rcv_ssthresh by max(2*advmss, 2*len), never beyond the
// free space; __tcp_select_window rounds it up to the scale (RFC 7323 §2.3): 65160 + 2920 -> 68096.
TEST(LinuxReceiveWindow, RcvSsthreshGrowsTwoSegmentsPerSegmentWithinTheFreeSpace) {
  LinuxReceiveWindow w;
  w.start(131072, 1448, 160);
  EXPECT_EQ(w.rcv_ssthresh(), 65160u);
  EXPECT_TRUE(w.grow(100000, 1448, 1460));
  EXPECT_EQ(w.rcv_ssthresh(), 68080u);
  EXPECT_EQ(w.select(100000, 100000, 7), 68096u);
  EXPECT_TRUE(w.grow(69000, 1448, 1460));  // only 920 bytes of room left
  EXPECT_EQ(w.rcv_ssthresh(), 69000u);
  EXPECT_FALSE(w.grow(69000, 1448, 1460));  // no room: no growth, no extra quick ACK
  EXPECT_FALSE(w.grow(100000, 100, 1460));  // segments under 128 bytes never grow it
  EXPECT_EQ(w.rcv_ssthresh(), 69000u);
}

// __tcp_select_window: with more than half the buffer used, a free space under 1/16 of the buffer or under
// one MSS is offered as zero; degenerate figures (no buffer at all) give zero, not a crash.
TEST(LinuxReceiveWindow, AlmostFullBufferOffersZeroAndLeavesQuickAckMode) {
  LinuxReceiveWindow w;
  w.start(131072, 1448, 160);
  w.measure(1448, 1460);
  EXPECT_EQ(w.rcv_mss(), 1448u);
  EXPECT_EQ(w.ratio(), 160u);
  EXPECT_EQ(w.win_from_space(131072), 81920u);
  bool quick_cleared = false;
  EXPECT_EQ(w.select(81920 / 16 - 1, 81920, 7, &quick_cleared), 0u);
  EXPECT_TRUE(quick_cleared);
  EXPECT_EQ(w.select(1000, 81920, 0), 0u);  // under one MSS
  EXPECT_EQ(w.select(0, 0, 7), 0u);
  quick_cleared = false;
  EXPECT_EQ(w.select(50000, 81920, 7, &quick_cleared), 50048u);  // half free: rcv_ssthresh-free, rounded up
  EXPECT_FALSE(quick_cleared);
}

// The handshake's third segment offers 64256 = 502 << 7: the SYN's 64240 rounded up to the scale, as real
// Linux does (the twin lab's first finding), where the rfc profile offered the whole 131072 buffer.
TEST(TcpLinuxReceiveWindow, HandshakeAckOffersTheSynWindowRoundedUpToTheScale) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  const auto segs = lab.wire();
  ASSERT_GE(segs.size(), 3u);
  EXPECT_EQ(segs[0].window, 64240);
  ASSERT_EQ(segs[2].flags, flag::kAck) << segs[2];
  EXPECT_EQ(std::uint32_t{segs[2].window} << 7, 64256u) << segs[2];
}

// A bulk sender into a linux receiver that reads nothing: each ACK's window grows by 2*advmss
// (tcp_grow_window) until the free share of the buffer limits it, then shrinks towards zero, which comes
// before 131072 bytes were received: only the scaling ratio's share of the buffer is offered
// (__tcp_select_window).
TEST(TcpLinuxReceiveWindow, WindowGrowsFromTheSynWindowAndClosesBeforeTheBufferIsFull) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, {}, 300000, sent); });
  lab.run(at_ms(3000));
  const auto acks = pure_acks_from(lab.wire(), "B");
  ASSERT_GE(acks.size(), 3u);
  const auto data = data_segments(lab.wire(), "A");
  ASSERT_FALSE(data.empty());
  const std::uint32_t first = data[0].seq;
  // The first ACKs: 65160 + 2920 -> 68096, then 71000 -> 71040 (the windows real Linux sent).
  EXPECT_EQ(std::uint32_t{acks[0].window} << 7, 68096u) << acks[0];
  EXPECT_EQ(acks[0].ack - first, 1448u);
  EXPECT_EQ(std::uint32_t{acks[1].window} << 7, 71040u) << acks[1];
  std::uint32_t zero_at = 0;
  for (const WireSeg& a : acks)
    if (a.window == 0) {
      zero_at = a.ack - first;
      break;
    }
  ASSERT_GT(zero_at, 0u) << "the window never closed";
  EXPECT_LT(zero_at, 131072u);
  EXPECT_GT(zero_at, 81920u);  // more than the window ever offered at once
}

// The rfc profile keeps RFC 9293's rule: the ACK after the handshake offers the free buffer.
TEST(TcpLinuxReceiveWindow, RfcProfileOffersTheWholeFreeBuffer) {
  LabOptions o;
  o.tcp_a.recv_buffer = 131072;
  o.tcp_b.recv_buffer = 131072;
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  const auto segs = lab.wire();
  ASSERT_GE(segs.size(), 3u);
  ASSERT_EQ(segs[2].flags, flag::kAck) << segs[2];
  EXPECT_EQ(std::uint32_t{segs[2].window} << 2, 131072u) << segs[2];  // scale 2 covers 131072
}

}  // namespace
}  // namespace wirestep
