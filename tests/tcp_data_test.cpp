// Moving data over an established TCP connection: segmentation by MSS (RFC 9293 §3.7.1), cumulative and
// delayed ACKs (RFC 1122 §4.2.3.2, RFC 5681 §4.2), reassembly of out-of-order segments, the advertised
// receive window and zero-window probing (RFC 9293 §3.8.6), and Nagle's algorithm (RFC 896, RFC 1122
// §4.2.3.4).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tcp_test_harness.hpp"

namespace wirestep {
namespace tcp_data_test {

using namespace tcptest;

// RFC 9293 §3.7.1: both directions send segments of min(1460, 536), the smaller announced MSS.
TEST(TcpSegmentation, BothDirectionsUseTheSmallerMss) {
  LabOptions o;
  o.tcp_b.mss = 536;
  o.tcp_a.nagle = o.tcp_b.nagle = false;  // every piece goes at once
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult a_sent, b_sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(3000), 0, a_sent); });
  lab.at(at_ms(300), [&] { TcpLab::send(lab.B(), lab.server(), pattern_bytes(1000), 0, b_sent); });
  lab.run(at_ms(1000));
  const auto w = lab.wire();
  ASSERT_TRUE(w[0].options && w[0].options->mss && w[1].options && w[1].options->mss);
  EXPECT_EQ(*w[0].options->mss, 1460);
  EXPECT_EQ(*w[1].options->mss, 536);
  EXPECT_EQ(rfc_lines(data_segments(w, "A")), (Lines{"A>B <SEQ=1><ACK=1><CTL=ACK><DATA=536>",     //
                                                     "A>B <SEQ=537><ACK=1><CTL=ACK><DATA=536>",   //
                                                     "A>B <SEQ=1073><ACK=1><CTL=ACK><DATA=536>",  //
                                                     "A>B <SEQ=1609><ACK=1><CTL=ACK><DATA=536>",  //
                                                     "A>B <SEQ=2145><ACK=1><CTL=ACK><DATA=536>",  //
                                                     "A>B <SEQ=2681><ACK=1><CTL=PSH,ACK><DATA=320>"}))
      << dump(w);
  EXPECT_EQ(rfc_lines(data_segments(w, "B")), (Lines{"B>A <SEQ=1><ACK=3001><CTL=ACK><DATA=536>",  //
                                                     "B>A <SEQ=537><ACK=3001><CTL=PSH,ACK><DATA=464>"}))
      << dump(w);
  EXPECT_EQ(lab.client_conn()->effective_mss(), 536u);
  EXPECT_EQ(lab.server_conn()->effective_mss(), 536u);
}

// RFC 6928 §2: with a peer MSS of 536 the initial window is 10 segments (5360 bytes), not 14600 bytes.
TEST(TcpSegmentation, InitialWindowCountsNegotiatedMss) {
  LabOptions o;
  o.tcp_b.mss = 536;
  o.tcp_a.nagle = false;
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, {}, 20 * 536, sent); });
  lab.run(at_ms(105));
  const auto first_flight = data_segments(lab.wire(), "A");
  EXPECT_EQ(first_flight.size(), 10u) << dump(lab.wire());
  EXPECT_EQ(lab.client_conn()->cwnd(), 10u * 536);
}

// RFC 5681 §4.2: every second full segment is acknowledged at once, cumulatively; an odd last one waits.
TEST(TcpAck, EverySecondFullSegmentIsAcknowledgedCumulatively) {
  TcpLab lab;
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  Sink sink;
  lab.at(at_ms(100), [&] {
    TcpLab::send(lab.A(), lab.client, {}, 5 * 1460, sent);
    TcpLab::read_until_eof(lab.B(), lab.server(), sink);
  });
  lab.run(at_ms(1000));
  const auto w = lab.wire();
  EXPECT_EQ(lines(from_host(w, "B"), 1), (Lines{"110ms B>A <SEQ=1><ACK=2921><CTL=ACK>",  //
                                                "110ms B>A <SEQ=1><ACK=5841><CTL=ACK>",  //
                                                "150ms B>A <SEQ=1><ACK=7301><CTL=ACK>"}))
      << dump(w);
  EXPECT_EQ(sink.data.size(), 5u * 1460);
}

// RFC 1122 §4.2.3.2: a lone segment is acknowledged exactly when the 40 ms delayed-ACK timer expires.
TEST(TcpDelayedAck, LoneSegmentIsAcknowledgedWhenTheTimerExpires) {
  TcpLab lab;
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, sent); });
  lab.run(at_ms(150) - SimDuration::nanos(1));
  EXPECT_EQ(from_host(lab.wire(), "B").size(), 1u) << dump(lab.wire());  // only the SYN,ACK so far
  lab.run(at_ms(150));
  const auto b = from_host(lab.wire(), "B");
  ASSERT_EQ(b.size(), 2u) << dump(lab.wire());
  EXPECT_EQ(b[1].str(), "150ms B>A <SEQ=1><ACK=101><CTL=ACK>");
  EXPECT_EQ(b[1].cause, Cause::PureAck) << b[1];
}

// RFC 1122 §4.2.3.2: the delayed-ACK timeout is configurable (<= 500 ms), and delayed ACKs can be off.
TEST(TcpDelayedAck, TimeoutIsConfigurableAndCanBeTurnedOff) {
  for (const auto& [delayed, timeout, expected] :
       {std::tuple{true, ms(200), "310ms B>A <SEQ=1><ACK=101><CTL=ACK>"},
        std::tuple{false, ms(40), "110ms B>A <SEQ=1><ACK=101><CTL=ACK>"}}) {
    LabOptions o;
    o.tcp_b.delayed_ack = delayed;
    o.tcp_b.delayed_ack_timeout = timeout;
    TcpLab lab(o);
    ASSERT_NO_FATAL_FAILURE(lab.establish());
    CallResult sent;
    lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, sent); });
    lab.run(at_ms(1000));
    const auto b = from_host(lab.wire(), "B");
    ASSERT_EQ(b.size(), 2u) << dump(lab.wire());
    EXPECT_EQ(b[1].str(), expected);
  }
}

// RFC 1122 §4.2.3.2: data sent before the delayed-ACK timer expires carries the ACK; no pure ACK follows.
TEST(TcpDelayedAck, ResponseDataCarriesTheAck) {
  TcpLab lab;
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult request, response;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, request); });
  lab.at(at_ms(120), [&] { TcpLab::send(lab.B(), lab.server(), pattern_bytes(50), 0, response); });
  lab.run(at_ms(1000));
  const auto b = from_host(lab.wire(), "B");
  EXPECT_EQ(lines(b, 1), (Lines{"120ms B>A <SEQ=1><ACK=101><CTL=PSH,ACK><DATA=50>"})) << dump(lab.wire());
}

// RFC 9293 §3.10.7.4 / RFC 5681 §4.2: segments after a hole are held, then released by one cumulative ACK.
TEST(TcpReassembly, OutOfOrderSegmentsAreHeldUntilTheHoleFills) {
  // Each out-of-order segment draws an immediate duplicate ACK.
  LabOptions o;
  o.a_to_b.push_back(drop(PacketKind::Data, {2}));
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  const std::vector<std::uint8_t> text = pattern_bytes(4 * 1460);
  CallResult sent;
  Sink sink;
  lab.at(at_ms(100), [&] {
    TcpLab::send(lab.A(), lab.client, text, 0, sent);
    TcpLab::read_until_eof(lab.B(), lab.server(), sink);
  });
  lab.run(at_ms(5000));
  const auto w = lab.wire();
  EXPECT_EQ(lines(w, 3), (Lines{"100ms A>B <SEQ=1><ACK=1><CTL=ACK><DATA=1460>",          //
                                "100ms A>B <SEQ=1461><ACK=1><CTL=ACK><DATA=1460> lost",  //
                                "100ms A>B <SEQ=2921><ACK=1><CTL=ACK><DATA=1460>",       //
                                "100ms A>B <SEQ=4381><ACK=1><CTL=PSH,ACK><DATA=1460>",   //
                                "110ms B>A <SEQ=1><ACK=1461><CTL=ACK>",                  //
                                "110ms B>A <SEQ=1><ACK=1461><CTL=ACK>",                  //
                                "1120ms A>B <SEQ=1461><ACK=1><CTL=ACK><DATA=1460>",      //
                                "1130ms B>A <SEQ=1><ACK=5841><CTL=ACK>"}))
      << dump(w);
  EXPECT_EQ(w[8].cause, Cause::DuplicateAck) << w[8];
  // The application sees only in-order bytes: the first segment, then the other three at once.
  ASSERT_EQ(sink.reads.size(), 2u);
  EXPECT_EQ(format_ms(sink.reads[0].first), "110ms");
  EXPECT_EQ(sink.reads[0].second, 1460u);
  EXPECT_EQ(format_ms(sink.reads[1].first), "1130ms");
  EXPECT_EQ(sink.reads[1].second, 3u * 1460);
  EXPECT_EQ(sink.data, text);
}

// RFC 9293 §3.10.7.4 (eighth check): a FIN behind a hole is processed only once the hole is filled.
TEST(TcpReassembly, FinBehindAHoleIsProcessedWhenTheHoleFills) {
  LabOptions o;
  o.a_to_b.push_back(drop(PacketKind::Data, {2}));
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  const std::vector<std::uint8_t> text = pattern_bytes(3 * 1460);
  CallResult sent;
  Sink sink;
  lab.at(at_ms(100), [&] {
    TcpLab::send(lab.A(), lab.client, text, 0, sent);
    TcpLab::read_until_eof(lab.B(), lab.server(), sink);
    ASSERT_TRUE(lab.A().close(lab.client).ok());
  });
  lab.run(at_ms(5000));
  const auto w = lab.wire();
  EXPECT_EQ(lines(w, 3),
            (Lines{"100ms A>B <SEQ=1><ACK=1><CTL=ACK><DATA=1460>",          //
                   "100ms A>B <SEQ=1461><ACK=1><CTL=ACK><DATA=1460> lost",  //
                   "100ms A>B <SEQ=2921><ACK=1><CTL=PSH,ACK><DATA=1460>",   //
                   "100ms A>B <SEQ=4381><ACK=1><CTL=FIN,ACK>",              //
                   "110ms B>A <SEQ=1><ACK=1461><CTL=ACK>",                  // for the data beyond the hole
                   "110ms B>A <SEQ=1><ACK=1461><CTL=ACK>",  // for the FIN beyond it (RFC 5681 §4.2)
                   "1120ms A>B <SEQ=1461><ACK=1><CTL=ACK><DATA=1460>",  //
                   "1130ms B>A <SEQ=1><ACK=4382><CTL=ACK>"}))
      << dump(w);
  EXPECT_EQ(when(entered_at(lab.trace(), lab.b, lab.server(), TcpState::CloseWait)), "1130ms");
  EXPECT_EQ(when(sink.eof_at), "1130ms");
  EXPECT_EQ(sink.data, text);
}

// RFC 9293 §3.8.6.2.2: the advertised window is the free buffer; it shrinks unread, reopens when read.
TEST(TcpReceiveWindow, AdvertisesTheFreeBuffer) {
  LabOptions o;
  o.tcp_b.recv_buffer = 8192;  // small enough not to need window scaling: the wire shows bytes
  o.tcp_a.nagle = false;
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  Sink sink;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, {}, 4 * 1460, sent); });
  lab.at(at_ms(500), [&] { TcpLab::read_until_eof(lab.B(), lab.server(), sink); });
  lab.run(at_ms(1000));
  const auto b = from_host(lab.wire(), "B");
  ASSERT_EQ(b.size(), 4u) << dump(lab.wire());
  EXPECT_FALSE(b[0].options->window_scale);  // RFC 7323 §2: no scaling for a buffer that fits 16 bits
  EXPECT_EQ(b[0].window, 8192);
  EXPECT_EQ(b[1].str(), "110ms B>A <SEQ=1><ACK=2921><CTL=ACK>");
  EXPECT_EQ(b[1].window, 8192 - 2 * 1460);
  EXPECT_EQ(b[2].str(), "110ms B>A <SEQ=1><ACK=5841><CTL=ACK>");
  EXPECT_EQ(b[2].window, 8192 - 4 * 1460);
  EXPECT_EQ(b[3].str(), "500ms B>A <SEQ=1><ACK=5841><CTL=ACK>");
  EXPECT_EQ(b[3].window, 8192);
  EXPECT_EQ(b[3].cause, Cause::WindowUpdate) << b[3];
  EXPECT_EQ(sink.data.size(), 4u * 1460);
}

// RFC 9293 §3.8.6.2.2 (receiver SWS): a small read does not reopen a closed window; min(buf/2, MSS) does.
TEST(TcpReceiveWindow, SmallReadDoesNotReopenAClosedWindow) {
  // 100 bytes read are not enough; 2100 are.
  LabOptions o;
  o.tcp_b.recv_buffer = 4096;
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent, small, large;
  std::vector<std::uint8_t> small_data, large_data;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, {}, 10'000, sent); });
  lab.at(at_ms(2000), [&] { TcpLab::recv_once(lab.B(), lab.server(), 100, small, small_data); });
  lab.at(at_ms(2500), [&] { TcpLab::recv_once(lab.B(), lab.server(), 2000, large, large_data); });
  lab.run(at_ms(2500));
  EXPECT_EQ(small_data.size(), 100u);
  EXPECT_EQ(large_data.size(), 2000u);
  const auto b = filter(from_host(lab.wire(), "B"), [](const WireSeg& s) { return s.time >= at_ms(1500); });
  ASSERT_EQ(b.size(), 1u) << dump(lab.wire());  // nothing at 2000 ms
  EXPECT_EQ(b[0].str(), "2500ms B>A <SEQ=1><ACK=4097><CTL=ACK>");
  EXPECT_EQ(b[0].window, 4096 - 1996);
  EXPECT_EQ(b[0].cause, Cause::WindowUpdate) << b[0];
}

// RFC 7323 §2.2-2.3: a 64 KiB buffer uses scale 1; the SYN carries 65535 unscaled, later segments >> 1.
TEST(TcpReceiveWindow, LargeBufferIsAdvertisedScaled) {
  TcpLab lab;
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  const auto w = lab.wire();
  ASSERT_TRUE(w[0].options && w[0].options->window_scale);
  EXPECT_EQ(*w[0].options->window_scale, 1);
  EXPECT_EQ(w[0].window, 65535);
  EXPECT_EQ(w[2].window, 65536 >> 1);
  EXPECT_EQ(lab.server_conn()->snd_wnd(), 65536u);
}

// RFC 9293 §3.8.6.1: a zero window draws backed-off 1-byte probes until the reader's window update.
TEST(TcpZeroWindow, PersistProbesBackOffUntilTheApplicationReads) {
  LabOptions o;
  o.tcp_b.recv_buffer = 4096;
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  Sink sink;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, {}, 10'000, sent); });
  lab.at(at_ms(8000), [&] { TcpLab::read_until_eof(lab.B(), lab.server(), sink); });
  lab.at(at_ms(9000), [&] { ASSERT_TRUE(lab.A().close(lab.client).ok()); });
  lab.run(at_ms(20'000));
  const auto w = lab.wire();
  // The window closes: 4096 bytes are in B's buffer.
  const auto closed = filter(w, [](const WireSeg& s) { return s.from == "B" && s.window == 0; });
  ASSERT_FALSE(closed.empty()) << dump(w);
  EXPECT_EQ(closed[0].str(), "170ms B>A <SEQ=1><ACK=4097><CTL=ACK>");
  // Probes: one byte beyond the window, 1 s after the window closed, then 2 s and 4 s apart.
  const auto probes = with_cause(w, Cause::ZeroWindowProbe);
  EXPECT_EQ(lines(probes), (Lines{"1180ms A>B <SEQ=4097><ACK=1><CTL=ACK><DATA=1>",  //
                                  "3180ms A>B <SEQ=4097><ACK=1><CTL=ACK><DATA=1>",  //
                                  "7180ms A>B <SEQ=4097><ACK=1><CTL=ACK><DATA=1>"}))
      << dump(w);
  for (const auto& p : probes) {
    // Each probe is answered at once with the same zero window and the same acknowledgement.
    const auto answer = filter(w, [&](const WireSeg& s) { return s.from == "B" && s.time == p.arrive; });
    ASSERT_EQ(answer.size(), 1u) << p;
    EXPECT_EQ(answer[0].ack, 4097u);
    EXPECT_EQ(answer[0].window, 0);
  }
  // The application reads at 8 s: a window update at once, and the transfer resumes and completes.
  const auto updates = with_cause(from_host(w, "B"), Cause::WindowUpdate);
  ASSERT_FALSE(updates.empty()) << dump(w);
  EXPECT_EQ(updates[0].str(), "8000ms B>A <SEQ=1><ACK=4097><CTL=ACK>");
  EXPECT_EQ(updates[0].window, 4096);
  const auto resumed = filter(data_segments(w, "A"), [](const WireSeg& s) { return s.time > at_ms(7180); });
  ASSERT_FALSE(resumed.empty());
  EXPECT_EQ(resumed[0].str(), "8010ms A>B <SEQ=4097><ACK=1><CTL=ACK><DATA=1460>");
  ASSERT_TRUE(sent.returned() && sent.ok) << sent.error;
  EXPECT_EQ(sink.data.size(), 10'000u);
  EXPECT_TRUE(sink.eof_at);
  EXPECT_TRUE(with_cause(w, Cause::RtoRetransmission).empty()) << dump(w);
}

// RFC 9293 §3.8.6.1: when the window update is lost, the next persist probe finds the window open.
TEST(TcpZeroWindow, LostWindowUpdateIsRepairedByTheNextProbe) {
  LabOptions o;
  o.tcp_b.recv_buffer = 4096;
  o.b_to_a.push_back(drop_between(PacketKind::Ack, at_ms(8000), at_ms(8001)));
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  Sink sink;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, {}, 10'000, sent); });
  lab.at(at_ms(8000), [&] { TcpLab::read_until_eof(lab.B(), lab.server(), sink); });
  lab.at(at_ms(20'000), [&] { ASSERT_TRUE(lab.A().close(lab.client).ok()); });
  lab.run(at_ms(30'000));
  const auto w = lab.wire();
  const auto update = with_cause(from_host(w, "B"), Cause::WindowUpdate);
  ASSERT_FALSE(update.empty());
  EXPECT_EQ(update[0].str(), "8000ms B>A <SEQ=1><ACK=4097><CTL=ACK> lost");
  const auto probes = with_cause(w, Cause::ZeroWindowProbe);
  ASSERT_EQ(probes.size(), 4u) << dump(w);
  EXPECT_EQ(probes[3].str(), "15180ms A>B <SEQ=4097><ACK=1><CTL=ACK><DATA=1>");
  // The window is open now: the probe byte is data like any other, acknowledged by the delayed-ACK timer.
  const auto after = filter(from_host(w, "B"), [](const WireSeg& s) { return s.time > at_ms(15'180); });
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(after[0].str(), "15230ms B>A <SEQ=1><ACK=4098><CTL=ACK>");
  EXPECT_EQ(sink.data.size(), 10'000u);
  EXPECT_TRUE(sink.eof_at);
}

// RFC 896 / RFC 1122 §4.2.3.4: Nagle holds small writes while data is unacknowledged; nodelay does not.
TEST(TcpNagle, HoldsSmallSegmentsWhileDataIsUnacknowledged) {
  for (const bool nagle : {true, false}) {
    LabOptions o;
    o.tcp_a.nagle = nagle;
    TcpLab lab(o);
    ASSERT_NO_FATAL_FAILURE(lab.establish());
    CallResult s1, s2, s3;
    lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(10), 0, s1); });
    lab.at(at_ms(101), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(10), 0, s2); });
    lab.at(at_ms(102), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(10), 0, s3); });
    lab.run(at_ms(1000));
    const auto data = data_segments(lab.wire(), "A");
    if (nagle) {
      // The first ACK comes from B's delayed-ACK timer: 110 + 40 ms, back at A at 160 ms.
      EXPECT_EQ(lines(data), (Lines{"100ms A>B <SEQ=1><ACK=1><CTL=PSH,ACK><DATA=10>",  //
                                    "160ms A>B <SEQ=11><ACK=1><CTL=PSH,ACK><DATA=20>"}))
          << dump(lab.wire());
    } else {
      EXPECT_EQ(lines(data), (Lines{"100ms A>B <SEQ=1><ACK=1><CTL=PSH,ACK><DATA=10>",   //
                                    "101ms A>B <SEQ=11><ACK=1><CTL=PSH,ACK><DATA=10>",  //
                                    "102ms A>B <SEQ=21><ACK=1><CTL=PSH,ACK><DATA=10>"}))
          << dump(lab.wire());
    }
  }
}

// RFC 1122 §4.2.3.4: Nagle never holds a full-size segment; only the small tail of a write waits.
TEST(TcpNagle, FullSegmentsAreNotHeld) {
  TcpLab lab;
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, {}, 2 * 1460 + 100, sent); });
  lab.run(at_ms(1000));
  EXPECT_EQ(lines(data_segments(lab.wire(), "A")),
            (Lines{"100ms A>B <SEQ=1><ACK=1><CTL=ACK><DATA=1460>",     //
                   "100ms A>B <SEQ=1461><ACK=1><CTL=ACK><DATA=1460>",  //
                   "120ms A>B <SEQ=2921><ACK=1><CTL=PSH,ACK><DATA=100>"}))
      << dump(lab.wire());
}

// A segment on the wire when TcpLab::run pauses is delivered after resuming and must show as delivered.
TEST(TcpDataTrace, SegmentInFlightAtAPauseIsDeliveredAfterResuming) {
  TcpLab lab;
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, sent); });
  lab.run(at_ms(105));  // the segment is half-way
  lab.run(at_ms(1000));
  const auto data = data_segments(lab.wire(), "A");
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(lab.server_conn()->readable_bytes(), 100u);  // it did arrive
  EXPECT_EQ(data[0].fate, Fate::Delivered) << data[0];
}

}  // namespace tcp_data_test
}  // namespace wirestep
