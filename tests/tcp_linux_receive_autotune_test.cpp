// Linux's receive-buffer autotuning in the linux profile (issue 16): tcp_rcv_space_adjust compares, once
// per receive RTT, the bytes the reader copied (less those still queued) with the last measure and lets
// tcp_rcvbuf_grow raise sk_rcvbuf to hold twice as much, more while the rate grows; the window clamp
// follows, so the window may pass the 82944 a 131072-byte buffer allows. SO_RCVBUF stops it
// (SOCK_RCVBUF_LOCK, socket(7)). The rfc profile has no autotuning (RFC 9293 §3.8.6.2.2 only).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

#include "sim/tcp/linux_receive_autotune.hpp"
#include "tcp_test_harness.hpp"

namespace wirestep {
namespace tcp_linux_receive_autotune_test {

using namespace tcptest;

const SimTime kT0 = at_ms(100);

// A measure started at the handshake (space 10 * 1448 = 14480, tcp_init_buffer_space) with a receive RTT
// of 1 ms from tcp_rcv_rtt_measure: the right edge offered at the first segment passed 1 ms later.
LinuxReceiveAutotune measured_one_ms() {
  LinuxReceiveAutotune a;
  a.start(kT0, 0, 14480);
  a.on_data(kT0, 1448, 65160);
  a.on_data(kT0 + SimDuration::millis(1), 66608, 65160);
  return a;
}

TEST(LinuxReceiveAutotune, NothingGrowsBeforeTheReceiveRttIsKnown) {
  LinuxReceiveAutotune a;
  a.start(kT0, 0, 14480);
  a.on_data(kT0, 1448, 65160);  // starts a measure, no sample yet
  EXPECT_EQ(a.rtt_us(), 0);
  EXPECT_FALSE(a.adjust(kT0 + SimDuration::seconds(1), 100000, 100000));
  EXPECT_EQ(a.space(), 14480u);
}

TEST(LinuxReceiveAutotune, ReceiveRttKeepsTheSmallestSample) {
  LinuxReceiveAutotune a = measured_one_ms();
  EXPECT_EQ(a.rtt_us(), 1000);
  a.on_data(kT0 + SimDuration::millis(50), 200000, 65160);  // a slower window: not smaller, ignored
  EXPECT_EQ(a.rtt_us(), 1000);
  // tcp_rcv_rtt_measure_ts: an echo seen in the millisecond it was sent is no sample (zero samples are
  // dropped), nor is an echo from the future.
  a.on_timestamp(100, 100, true);
  a.on_timestamp(90, 80, true);
  EXPECT_EQ(a.rtt_us(), 1000);
  LinuxReceiveAutotune ts;
  ts.on_timestamp(100, 104, false);  // shorter than rcv_mss: no sample
  ts.on_timestamp(100, 104, true);   // same TSecr again: ignored
  EXPECT_EQ(ts.rtt_us(), 0);
  ts.on_timestamp(101, 104, true);
  EXPECT_EQ(ts.rtt_us(), 3000);
}

// tcp_rcvbuf_grow: rcvwin = 2 * new, plus 2 * rcvwin * (new - old) / old.
TEST(LinuxReceiveAutotune, WindowWantedIsTwiceTheRatePlusItsGrowth) {
  EXPECT_EQ(LinuxReceiveAutotune::rcvwin(14480, 14480), 28960u);
  EXPECT_EQ(LinuxReceiveAutotune::rcvwin(14480, 28960), 57920u + 2 * 57920u);
  EXPECT_EQ(LinuxReceiveAutotune::rcvwin(0, 1000), 2000u);  // no old measure: no division
}

// 60000 bytes copied in 2 ms with nothing left queued beat the 14480 measured: rcvwin = 120000 +
// 2 * (120000 * 45520 / 14480) = 874474, and the measure becomes 60000.
TEST(LinuxReceiveAutotune, ReaderThatKeepsUpAsksForALargerBuffer) {
  LinuxReceiveAutotune a = measured_one_ms();
  const auto win = a.adjust(kT0 + SimDuration::millis(2), 60000, 60000);
  ASSERT_TRUE(win);
  EXPECT_EQ(*win, 874474u);
  EXPECT_EQ(a.space(), 60000u);
  // Within the next RTT nothing is measured; after it, 50000 more do not beat 60000.
  EXPECT_FALSE(a.adjust(kT0 + SimDuration::micros(2500), 200000, 200000));
  EXPECT_FALSE(a.adjust(kT0 + SimDuration::millis(4), 110000, 110000));
  EXPECT_EQ(a.space(), 60000u);
}

// The twin's sleeping reader: it wakes with 120096 bytes queued and reads 65536; 54560 still wait, so only
// 10976 count, less than 14480: no growth (real Linux kept its 131072 buffer then).
TEST(LinuxReceiveAutotune, ReaderThatLeavesDataQueuedDoesNotGrowTheBuffer) {
  LinuxReceiveAutotune a = measured_one_ms();
  EXPECT_FALSE(a.adjust(kT0 + SimDuration::seconds(3), 65536, 120096));
  EXPECT_EQ(a.space(), 14480u);
}

LabOptions linux_both() {
  LabOptions o;
  o.tcp_a = TcpConfig::for_profile(TcpProfile::Linux);
  o.tcp_b = o.tcp_a;
  o.latency = SimDuration::millis(1);
  return o;
}

std::uint32_t largest_window_from_b(TcpLab& lab) {
  std::uint32_t best = 0;
  for (const WireSeg& s : lab.wire())
    if (s.from == "B" && !(s.flags & flag::kSyn)) best = std::max(best, std::uint32_t{s.window} << 7);
  return best;
}

// A reader that keeps up with a 2 MB transfer: the buffer grows past 131072 and the window past the 82944
// that buffer could ever offer (131072 * 162 / 256).
TEST(TcpLinuxReceiveAutotune, BulkTransferToAReaderGrowsTheBufferAndTheWindow) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  Sink sink;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, {}, 2'000'000, sent); });
  lab.at(at_ms(100), [&] { TcpLab::read_until_eof(lab.B(), lab.server(), sink); });
  lab.run(at_ms(5000));
  ASSERT_NE(lab.server_conn(), nullptr);
  EXPECT_GT(lab.server_conn()->config().recv_buffer, 131072u);
  EXPECT_LE(lab.server_conn()->config().recv_buffer, 6291456u);  // tcp_rmem[2]
  EXPECT_GT(largest_window_from_b(lab), 82944u);
}

// SO_RCVBUF locks the buffer: the same transfer never offers more than the fixed buffer's share.
TEST(TcpLinuxReceiveAutotune, SoRcvbufTurnsAutotuningOff) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  ASSERT_TRUE(lab.B().set_connection_option(lab.server(), Host::TcpOption::RecvBuffer, 131072));
  CallResult sent;
  Sink sink;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, {}, 2'000'000, sent); });
  lab.at(at_ms(100), [&] { TcpLab::read_until_eof(lab.B(), lab.server(), sink); });
  lab.run(at_ms(5000));
  ASSERT_NE(lab.server_conn(), nullptr);
  EXPECT_EQ(lab.server_conn()->config().recv_buffer, 131072u);
  EXPECT_LE(largest_window_from_b(lab), 82944u);
}

}  // namespace tcp_linux_receive_autotune_test
}  // namespace wirestep
