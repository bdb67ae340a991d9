// Linux's receive window in the linux profile (issue 16): the window offered after the handshake is the
// SYN's window rounded up to the scale, not the whole buffer; it grows by two segments' worth per in-order
// segment (rcv_ssthresh, tcp_grow_window); only the buffer's scaling-ratio share is ever offered, so a
// receiver that does not read closes the window before its buffer's byte count (__tcp_select_window). The
// rfc profile keeps offering the free buffer (RFC 9293 §3.8.6.2.2). Window values are RFC 7323 §2.3
// multiples of 1 << scale.
#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <vector>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/tcp/linux_receive_window.hpp"
#include "tcp_test_harness.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace tcp_linux_receive_window_test {

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

// tcp_init_buffer_space: window_clamp is tcp_full_space (131072 * 128/256 = 65536) less one segment
// ("force reservation of one segment"): 64088, which caps rcv_ssthresh (ss -ti on Linux 6.18 shows
// rcv_ssthresh:64088 on an idle new connection).
TEST(LinuxReceiveWindow, BufferSpaceReservesOneSegmentBelowTheFullSpace) {
  LinuxReceiveWindow w;
  w.start(131072, 1448);
  EXPECT_EQ(w.rcv_ssthresh(), 65160u);
  w.init_buffer_space(131072, 1448);
  EXPECT_EQ(w.window_clamp(), 64088u);
  EXPECT_EQ(w.rcv_ssthresh(), 64088u);
  LinuxReceiveWindow tiny;  // a buffer under two segments keeps two segments of clamp
  tiny.start(4096, 1448);
  tiny.init_buffer_space(4096, 1448);
  EXPECT_EQ(tiny.window_clamp(), 2048u);
}

// tcp_measure_rcv_mss: the first 1448-byte segment arrives in a 2280-byte skb (measured with ss -tm:
// skmem r2280), so the scaling ratio becomes (1448 << 8) / 2280 = 162; tcp_set_window_clamp moves the
// clamp to 131072 * 162 / 256 = 82944 and lifts rcv_ssthresh to the window offered (65160). tcp_grow_window
// then adds 2 * advmss = 2896: 68056 (ss: rcv_ssthresh:68056), which RFC 7323 §2.3 rounds up to 68096.
TEST(LinuxReceiveWindow, FirstFullSegmentMeasuresTheScalingRatioAndLiftsTheClamp) {
  LinuxReceiveWindow w;
  w.start(131072, 1448);
  w.init_buffer_space(131072, 1448);
  w.measure(1448, 2280, 131072, 65160);
  EXPECT_EQ(w.ratio(), 162u);
  EXPECT_EQ(w.rcv_mss(), 1448u);
  EXPECT_EQ(w.window_clamp(), 82944u);
  EXPECT_EQ(w.rcv_ssthresh(), 65160u);
  const std::uint32_t space = w.win_from_space(131072 - 2280);  // tcp_space after the skb is charged
  EXPECT_EQ(space, 81501u);
  EXPECT_TRUE(w.grow(space, 1448));
  EXPECT_EQ(w.rcv_ssthresh(), 68056u);
  EXPECT_EQ(w.select(space, w.win_from_space(131072), 7), 68096u);
  w.measure(1448, 2280, 131072, 68096);  // same length as rcv_mss: no new measure
  EXPECT_EQ(w.window_clamp(), 82944u);
}

// tcp_grow_window stops at tcp_space: with 8072 bytes charged (ss: skmem r8072 after five segments) the
// room is (131072 - 8072) * 162 / 256 = 77835 (ss: rcv_ssthresh:77835); segments under 128 bytes never
// grow it.
TEST(LinuxReceiveWindow, RcvSsthreshGrowsTwoSegmentsPerSegmentWithinTheFreeSpace) {
  LinuxReceiveWindow w;
  w.start(131072, 1448);
  w.init_buffer_space(131072, 1448);
  w.measure(1448, 2280, 131072, 65160);
  const std::uint32_t charged[] = {2280, 3728, 5176, 6624, 8072};
  for (std::uint32_t r : charged) EXPECT_TRUE(w.grow(w.win_from_space(131072 - r), 1448)) << r;
  EXPECT_EQ(w.rcv_ssthresh(), 77835u);
  EXPECT_FALSE(w.grow(w.win_from_space(131072 - 9520), 1448));  // no room: no growth, no quick ACK
  EXPECT_FALSE(w.grow(200000, 100));
  EXPECT_EQ(w.rcv_ssthresh(), 77835u);
  w.follow_rcvbuf(1 << 20);  // autotuning grew the buffer: the clamp follows, rcv_ssthresh may grow again
  EXPECT_EQ(w.window_clamp(), 663552u);
  EXPECT_TRUE(w.grow(200000, 1448));
  EXPECT_EQ(w.rcv_ssthresh(), 77835u + 2896u);
}

// __tcp_select_window: with more than half the buffer used, a free space under 1/16 of the buffer or under
// one MSS is offered as zero; degenerate figures (no buffer at all) give zero, not a crash.
TEST(LinuxReceiveWindow, AlmostFullBufferOffersZeroAndLeavesQuickAckMode) {
  LinuxReceiveWindow w;
  w.start(131072, 1448);
  w.init_buffer_space(131072, 1448);
  w.measure(1448, 2280, 131072, 65160);
  EXPECT_EQ(w.rcv_mss(), 1448u);
  EXPECT_EQ(w.win_from_space(131072), 82944u);
  bool quick_cleared = false;
  EXPECT_EQ(w.select(82944 / 16 - 1, 82944, 7, &quick_cleared), 0u);
  EXPECT_TRUE(quick_cleared);
  EXPECT_EQ(w.select(1000, 82944, 0), 0u);  // under one MSS
  EXPECT_EQ(w.select(0, 0, 7), 0u);
  quick_cleared = false;
  EXPECT_EQ(w.select(50000, 82944, 7, &quick_cleared), 50048u);  // over half free: rounded up
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
  // The windows real Linux sent in the twin lab (twin-zero-window), each from the kernel's rules with the
  // ratio 162 and the skb charges of LinuxReceiveMemory (2280, then +1448 per coalesced segment):
  // rcv_ssthresh 65160 + k * 2896 rounded up to 128 while it is below tcp_space: 68096, 71040, 73856,
  // 76800; then tcp_space binds: (131072 - 8072) * 162 / 256 = 77835 -> 77952, and
  // (131072 - 9520) * 162 / 256 = 76920 -> 76928, shrinking by 1448 * 162 / 256 per segment.
  const std::uint32_t expected[] = {68096, 71040, 73856, 76800, 77952, 76928};
  ASSERT_GE(acks.size(), std::size(expected));
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    EXPECT_EQ(acks[i].ack - first, 1448u * (i + 1)) << acks[i];
    EXPECT_EQ(std::uint32_t{acks[i].window} << 7, expected[i]) << acks[i];
  }
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

// The same receiver behind the twin lab's relay, whose frames arrive as linear skbs of 2304 bytes each
// (receive_skbs = "linear", linux_receive_memory.hpp): the scaling ratio is 1448 * 256 / 2304 = 160, and
// every unread segment takes 2304 * 160 / 256 = 1440 bytes off the window, 1408 or 1536 once rounded to
// the scale. These are the windows real Linux 6.18 offered in twin-zero-window, ACK for ACK.
TEST(TcpLinuxReceiveWindow, LinearSkbsCloseTheWindowByAWholeSegmentPerUnreadSegmentAsBehindTheRelay) {
  LabOptions o = linux_both();
  o.tcp_b.receive_skbs = ReceiveSkbs::Linear;
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, {}, 300000, sent); });
  lab.run(at_ms(3000));
  const auto acks = pure_acks_from(lab.wire(), "B");
  const auto data = data_segments(lab.wire(), "A");
  ASSERT_FALSE(data.empty());
  const std::uint32_t first = data[0].seq;
  const std::uint32_t expected[] = {68096, 71040, 73856, 76160, 74752, 73344, 71936, 70528, 69120, 67712};
  ASSERT_GE(acks.size(), std::size(expected));
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    EXPECT_EQ(acks[i].ack - first, 1448u * (i + 1)) << acks[i];
    EXPECT_EQ(std::uint32_t{acks[i].window} << 7, expected[i]) << acks[i];
  }
}

// tcp_measure_rcv_mss's ICSK_ACK_PUSHED, which lets tcp_cleanup_rbuf ACK at once after a read that empties
// the buffer: a full segment with PSH (the end of a write) sets it, one without does not; a short segment
// sets it, and a second short one of another size sets PUSHED2; the same short size twice is a peer with a
// small MSS and becomes rcv_mss instead. Every ACK sent clears both.
TEST(LinuxReceiveWindow, PushedMarksTheEndOfAWriteAndShortSegmentsUntilTheNextAck) {
  LinuxReceiveWindow w;
  w.measure(536, 0, 131072, 65160);  // rcv_mss starts at TCP_MSS_DEFAULT (536); no truesize: no ratio
  EXPECT_FALSE(w.pushed());
  w.measure(536, 0, 131072, 65160, {.psh = true, .remnant = true});
  EXPECT_TRUE(w.pushed());
  EXPECT_FALSE(w.pushed_twice());
  w.clear_pushed();
  w.measure(300, 0, 131072, 65160, {.psh = true, .remnant = true});
  EXPECT_TRUE(w.pushed());
  EXPECT_FALSE(w.pushed_twice());
  w.measure(200, 0, 131072, 65160);
  EXPECT_TRUE(w.pushed_twice());
  w.clear_pushed();
  EXPECT_FALSE(w.pushed());
  w.measure(400, 0, 131072, 65160);  // measured: last_seg_size 400, PUSHED
  w.clear_pushed();
  w.measure(400, 0, 131072, 65160);  // the same size again: the peer's MSS
  EXPECT_FALSE(w.pushed());
  EXPECT_EQ(w.rcv_mss(), 400u);
}

// A reader asleep in recv is a process the softirq wakes: it runs after the segments arriving at the same
// instant, so their ACKs still count them unread. In twin-zero-window, when the window reopens after 3 s,
// the first 10 segments arrive together and B's ACKs offer 79104, 79104, 77696, ..., 67840 (each unread
// linear skb takes a segment off), then the reader empties the buffer: what real Linux offered in 3 of 6
// runs on 2026-12-07 (in the others its reader woke between two segments of the burst).
TEST(TcpLinuxReceiveWindow, ReaderWokenByABurstReadsItAfterItsAcksLeft) {
  auto sc = load_scenario_file(testing::source_path("scenarios/twin/twin-zero-window.toml"));
  ASSERT_TRUE(sc) << sc.error().message();
  const auto wire = ladder(run_scenario(*sc).trace);
  std::vector<std::uint32_t> windows;
  for (const WireSeg& s : wire)
    if (s.from == "B" && s.time >= SimTime::zero() + SimDuration::millis(2900) && windows.size() < 12)
      windows.push_back(std::uint32_t{s.window} << 7);
  const std::vector<std::uint32_t> expected = {64640, 79104, 79104, 77696, 76288, 74880,
                                               73472, 72064, 70656, 69248, 67840, 80512};
  EXPECT_EQ(windows, expected);
}

// recv() in a loop until `want` bytes have been read, then no more.
void read_bytes(Host& h, SocketId s, std::size_t want, std::size_t& got) {
  if (got >= want) return;
  h.recv(s, want - got, [&h, s, want, &got](SimTime, Result<std::vector<std::uint8_t>> r) {
    if (!r.ok() || r->empty()) return;
    got += r->size();
    read_bytes(h, s, want, got);
  });
}

// tcp_cleanup_rbuf after a read, with an ACK pending (RFC 1122 §4.2.3.2 lets the delayed ACK wait; Linux
// answers the read). A sends 300 KB, which B reads as it comes (its quick ACKs are spent), then, 150 ms
// later (less than B's RTO, so no quick ACKs again), a 100-byte write (too short to grow the window, which
// would be a quick ACK of its own), which B's program reads `read_delay` after it arrives (0: a
// reader already waiting in recv). Returns when the segment arrived and when B's ACK of it left.
struct LastSegmentAck {
  SimTime arrived{}, acked{};
};
LastSegmentAck last_segment_ack(SimDuration read_delay) {
  LabOptions o = linux_both();
  o.latency = SimDuration::micros(50);  // the 300 KB are through in a few ms
  TcpLab lab(o);
  lab.establish();
  constexpr std::size_t kBulk = 300000;
  CallResult bulk, last;
  std::size_t got = 0, got_last = 0;
  lab.at(at_ms(100), [&] {
    TcpLab::send(lab.A(), lab.client, {}, kBulk, bulk);
    read_bytes(lab.B(), lab.server(), kBulk, got);
  });
  lab.at(at_ms(250), [&] { TcpLab::send(lab.A(), lab.client, {}, 100, last); });
  lab.at(at_ms(250) + SimDuration::micros(1) + read_delay,
         [&] { read_bytes(lab.B(), lab.server(), 100, got_last); });
  lab.run(at_ms(600));
  LastSegmentAck r;
  EXPECT_EQ(got, kBulk);
  EXPECT_EQ(got_last, 100u);
  const auto data_a = data_segments(lab.wire(), "A");
  if (data_a.empty()) return r;
  const WireSeg& seg = data_a.back();
  EXPECT_TRUE(seg.has(flag::kPsh)) << seg;
  r.arrived = seg.arrive;
  for (const WireSeg& s : lab.wire())
    if (s.from == "B" && s.ack == seg.seq + seg.len && s.time >= seg.arrive) {
      r.acked = s.time;
      break;
    }
  return r;
}

// The last segment is short (tcp_measure_rcv_mss: ICSK_ACK_PUSHED) and B is not interactive: the read that
// empties the buffer sends the pending ACK at once. Left unread, it waits for the delayed-ACK timer.
TEST(TcpLinuxReceiveWindow, ReadThatEmptiesTheBufferAfterAPushedSegmentSendsThePendingAck) {
  const LastSegmentAck read_at_once = last_segment_ack(SimDuration{});
  EXPECT_EQ(read_at_once.acked, read_at_once.arrived) << "ACK at the read, the instant it arrived";
  const LastSegmentAck read_later = last_segment_ack(SimDuration::millis(100));
  EXPECT_GE((read_later.acked - read_later.arrived).ns, SimDuration::millis(40).ns) << "the delayed ACK";
}

// A 100-byte request is charged its whole skb (100 + 832 bytes) and is too short to measure the ratio or
// grow rcv_ssthresh: tcp_space = (131072 - 932) * 128 / 256 = 65070, capped by rcv_ssthresh 64088 (the
// clamp of tcp_init_buffer_space) -> 64128, less than the 65160 - 100 = 65060 still offered, so Linux keeps
// the right edge: 65060 rounded up to 65152, as real Linux answered in twin-request-response.
TEST(TcpLinuxReceiveWindow, SmallRequestKeepsTheOfferedRightEdge) {
  TcpLab lab(linux_both());
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, {}, 100, sent); });
  lab.run(at_ms(1000));
  const auto acks = pure_acks_from(lab.wire(), "B");
  ASSERT_FALSE(acks.empty());
  EXPECT_EQ(std::uint32_t{acks[0].window} << 7, 65152u) << acks[0];
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

}  // namespace tcp_linux_receive_window_test
}  // namespace wirestep
