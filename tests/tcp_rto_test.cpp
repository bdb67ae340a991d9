// The retransmission timer: RttEstimator against the RFC 6298 §2 formulas in integer nanoseconds (expected
// values worked out by hand below), its clamps and backoff, Karn's rule, and what a connection does when the
// timer expires (RFC 6298 §5, RFC 5681 §3.1).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/tcp/rtt_estimator.hpp"
#include "tcp_test_harness.hpp"

namespace wirestep {
namespace tcp_rto_test {

using namespace tcptest;

constexpr SimDuration kOneNs = SimDuration::nanos(1);
constexpr SimDuration kSecond = SimDuration::seconds(1);
constexpr SimDuration kMaxRto = SimDuration::seconds(60);

// RFC 6298 §2.1: before any measurement the RTO is the initial 1 s and there is no SRTT.
TEST(TcpRttEstimator, StartsWithTheInitialRto) {
  const RttEstimator e(kSecond, kSecond, kMaxRto);
  EXPECT_EQ(e.rto().ns, kSecond.ns);
  EXPECT_FALSE(e.srtt());
  EXPECT_EQ(e.backoffs(), 0);
}

// RFC 6298 §2.2-2.3: SRTT, RTTVAR and RTO follow the formulas in integer ns (alpha 1/8, beta 1/4, K 4).
TEST(TcpRttEstimator, FollowsTheRfc6298Formulas) {
  // The minimum RTO is 1 ns so the formulas show through unclamped; integer division truncates.
  RttEstimator e(kSecond, kOneNs, kMaxRto);
  // First measurement R = 100 ms: SRTT = R = 100 ms, RTTVAR = R/2 = 50 ms, RTO = 100 + 4*50 = 300 ms.
  e.sample(ms(100));
  EXPECT_EQ(e.srtt()->ns, 100'000'000);
  EXPECT_EQ(e.rttvar().ns, 50'000'000);
  EXPECT_EQ(e.rto().ns, 300'000'000);
  // R' = 200 ms: RTTVAR = 3/4*50 + 1/4*|100-200| = 62.5 ms (with the old SRTT), SRTT = 7/8*100 + 1/8*200
  // = 112.5 ms, RTO = 112.5 + 4*62.5 = 362.5 ms.
  e.sample(ms(200));
  EXPECT_EQ(e.rttvar().ns, 62'500'000);
  EXPECT_EQ(e.srtt()->ns, 112'500'000);
  EXPECT_EQ(e.rto().ns, 362'500'000);
  // R' = 50 ms: RTTVAR = 3/4*62.5 + 1/4*|112.5-50| = 62.5 ms, SRTT = (7*112.5 + 50)/8 = 104.6875 ms,
  // RTO = 104.6875 + 250 = 354.6875 ms.
  e.sample(ms(50));
  EXPECT_EQ(e.rttvar().ns, 62'500'000);
  EXPECT_EQ(e.srtt()->ns, 104'687'500);
  EXPECT_EQ(e.rto().ns, 354'687'500);
  // R' = 104'687'503 ns: RTTVAR = (3*62'500'000 + 3)/4 = 46'875'000 (truncated from .75),
  // SRTT = (7*104'687'500 + 104'687'503)/8 = 104'687'500 (truncated from .375), RTO = SRTT + 187'500'000.
  e.sample(SimDuration::nanos(104'687'503));
  EXPECT_EQ(e.rttvar().ns, 46'875'000);
  EXPECT_EQ(e.srtt()->ns, 104'687'500);
  EXPECT_EQ(e.rto().ns, 292'187'500);
}

// RFC 6298 §2.3: RTO = SRTT + max(G, K*RTTVAR), so with RTTVAR at 0 only G (1 ns) is added.
TEST(TcpRttEstimator, ClockGranularityBoundsTheVarianceTerm) {
  RttEstimator e(kSecond, kOneNs, kMaxRto);
  for (int i = 0; i < 200; ++i) e.sample(ms(100));  // RTTVAR shrinks by 3/4 each time, to 0
  EXPECT_EQ(e.rttvar().ns, 0);
  EXPECT_EQ(e.srtt()->ns, 100'000'000);
  EXPECT_EQ(e.rto().ns, 100'000'001);
}

// RFC 6298 §2.4: a computed RTO below the minimum is rounded up to it: 1 s by default, 200 ms as Linux.
TEST(TcpRttEstimator, MinimumRtoClampsSmallEstimates) {
  RttEstimator rfc(kSecond, kSecond, kMaxRto);
  rfc.sample(ms(20));  // 20 + 4*10 = 60 ms
  EXPECT_EQ(rfc.rto().ns, kSecond.ns);
  EXPECT_EQ(rfc.srtt()->ns, ms(20).ns);  // the clamp touches only the RTO

  RttEstimator linux_like(kSecond, ms(200), kMaxRto);
  linux_like.sample(ms(20));
  EXPECT_EQ(linux_like.rto().ns, ms(200).ns);
  RttEstimator above(kSecond, ms(200), kMaxRto);
  above.sample(ms(100));  // 100 + 4*50 = 300 ms: above the minimum, not clamped
  EXPECT_EQ(above.rto().ns, ms(300).ns);
}

// RFC 6298 §2.5: a maximum may bound the RTO (here 60 s): a 30 s RTT gives 30 + 4*15 = 90 s, clamped to 60 s.
TEST(TcpRttEstimator, MaximumRtoClampsLargeEstimates) {
  RttEstimator e(kSecond, kSecond, kMaxRto);
  e.sample(SimDuration::seconds(30));
  EXPECT_EQ(e.rto().ns, kMaxRto.ns);
}

// RFC 6298 §5.5: each expiry doubles the RTO, up to the maximum: 1, 2, 4, 8, 16, 32, 60, 60 s.
TEST(TcpRttEstimator, BackoffDoublesUpToTheMaximum) {
  RttEstimator e(kSecond, kSecond, kMaxRto);
  std::vector<std::int64_t> seconds;
  for (int i = 0; i < 7; ++i) {
    e.back_off();
    seconds.push_back(e.rto().ns / kSecond.ns);
  }
  EXPECT_EQ(seconds, (std::vector<std::int64_t>{2, 4, 8, 16, 32, 60, 60}));
  EXPECT_EQ(e.backoffs(), 7);
  EXPECT_EQ(e.rto().ns, kMaxRto.ns);
}

// RFC 6298 §5.7: a new measurement after backoff recomputes the RTO from SRTT and RTTVAR ("collapses" it).
TEST(TcpRttEstimator, NewSampleCollapsesABackedOffRto) {
  RttEstimator e(kSecond, ms(200), kMaxRto);
  e.sample(ms(100));
  e.back_off();
  e.back_off();
  EXPECT_EQ(e.rto().ns, ms(1200).ns);
  e.sample(ms(100));  // RTTVAR = 3/4*50 = 37.5 ms, SRTT = 100 ms: RTO = 100 + 150 = 250 ms
  EXPECT_EQ(e.rto().ns, ms(250).ns);
  EXPECT_EQ(e.backoffs(), 0);
}

// ---------------------------------------------------------------- the timer in a connection

// RFC 6298 §5.4 / RFC 5681 §3.1: a lost segment is resent exactly one RTO later, cwnd 1 SMSS.
TEST(TcpRto, LostSegmentIsRetransmittedAfterExactlyTheRto) {
  // RTO = 1 s (the 20 ms RTT is clamped to the minimum); ssthresh = max(FlightSize/2, 2*SMSS).
  LabOptions o;
  o.a_to_b.push_back(drop(PacketKind::Data, {1}));
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, sent); });
  lab.run(at_ms(1100) - kOneNs);
  EXPECT_EQ(lines(from_host(lab.wire(), "A"), 2),
            (Lines{"100ms A>B <SEQ=1><ACK=1><CTL=PSH,ACK><DATA=100> lost"}))
      << dump(lab.wire());
  EXPECT_EQ(lab.client_conn()->cwnd(), 14600u);  // RFC 6928 initial window, untouched so far
  lab.run(at_ms(1100));
  const auto a = from_host(lab.wire(), "A");
  ASSERT_EQ(a.size(), 4u) << dump(lab.wire());
  EXPECT_EQ(a[3].str(), "1100ms A>B <SEQ=1><ACK=1><CTL=PSH,ACK><DATA=100>");
  EXPECT_EQ(a[3].cause, Cause::RtoRetransmission) << a[3];
  EXPECT_EQ(lab.client_conn()->ssthresh(), 2u * 1460);  // FlightSize/2 = 50 < 2*SMSS
  EXPECT_EQ(lab.client_conn()->cwnd(), 1460u);
  EXPECT_EQ(lab.client_conn()->rtt().rto().ns, SimDuration::seconds(2).ns);  // RFC 6298 §5.5
  // The Trace records the same values at the same instant.
  const auto cwnd = variable_history(lab.trace(), lab.a, TraceVar::Cwnd);
  ASSERT_FALSE(cwnd.empty());
  EXPECT_EQ(format_ms(cwnd.back().first), "1100ms");
  EXPECT_EQ(cwnd.back().second, 1460);
  const auto ssthresh = variable_history(lab.trace(), lab.a, TraceVar::Ssthresh);
  ASSERT_FALSE(ssthresh.empty());
  EXPECT_EQ(format_ms(ssthresh.back().first), "1100ms");
  EXPECT_EQ(ssthresh.back().second, 2920);
}

// RFC 5681 §3.1 eq. (4): a whole lost initial window gives ssthresh = FlightSize/2 and cwnd = 1 SMSS.
TEST(TcpRto, LostWindowHalvesFlightSizeIntoSsthresh) {
  LabOptions o;
  o.a_to_b.push_back(drop(PacketKind::Data, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  Sink sink;
  lab.at(at_ms(100), [&] {
    TcpLab::send(lab.A(), lab.client, {}, 10 * 1460, sent);
    TcpLab::read_until_eof(lab.B(), lab.server(), sink);
  });
  lab.run(at_ms(1100));
  EXPECT_EQ(lab.client_conn()->ssthresh(), 7300u);
  EXPECT_EQ(lab.client_conn()->cwnd(), 1460u);
  const auto at_timeout =
      filter(data_segments(lab.wire(), "A"), [](const WireSeg& s) { return s.time == at_ms(1100); });
  EXPECT_EQ(lines(at_timeout), (Lines{"1100ms A>B <SEQ=1><ACK=1><CTL=ACK><DATA=1460>"}));
  lab.run(at_ms(5000));
  const auto resent = with_cause(lab.wire(), Cause::RtoRetransmission);
  EXPECT_EQ(resent.size(), 10u) << dump(lab.wire());  // every lost segment, once
  EXPECT_EQ(sink.data.size(), 10u * 1460);
}

// RFC 6298 §5.5, §3 (Karn), §5.7: the RTO doubles per loss; a retransmission's ACK gives no sample.
TEST(TcpRto, RepeatedLossDoublesTheRtoAndKarnSkipsTheSample) {
  LabOptions o;
  o.a_to_b.push_back(drop(PacketKind::Data, {1, 2, 3}));
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult first, second;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, first); });
  lab.run(at_ms(7200));
  const auto data = data_segments(lab.wire(), "A");
  EXPECT_EQ(lines(data), (Lines{"100ms A>B <SEQ=1><ACK=1><CTL=PSH,ACK><DATA=100> lost",   //
                                "1100ms A>B <SEQ=1><ACK=1><CTL=PSH,ACK><DATA=100> lost",  //
                                "3100ms A>B <SEQ=1><ACK=1><CTL=PSH,ACK><DATA=100> lost",  //
                                "7100ms A>B <SEQ=1><ACK=1><CTL=PSH,ACK><DATA=100>"}))
      << dump(lab.wire());
  const TcpConnection& c = *lab.client_conn();
  EXPECT_EQ(c.bytes_acked(), 100u);  // the delayed ACK (7150 ms) arrived at 7160 ms
  // Karn: the handshake's sample (20 ms, 10 ms) is still the only one; the backed-off RTO is kept.
  EXPECT_EQ(c.rtt().srtt()->ns, ms(20).ns);
  EXPECT_EQ(c.rtt().rttvar().ns, ms(10).ns);
  EXPECT_EQ(c.rtt().rto().ns, SimDuration::seconds(8).ns);
  // New data is timed again: its sample collapses the RTO back to the 1 s minimum.
  lab.at(at_ms(8000), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, second); });
  lab.run(at_ms(9000));
  EXPECT_EQ(c.rtt().rto().ns, kSecond.ns);
  EXPECT_EQ(c.rtt().backoffs(), 0);
}

// RFC 6298 §2.4 deviation (Linux): with a 200 ms minimum RTO the lost segment is resent at 300 ms.
TEST(TcpRto, TwoHundredMillisecondMinimumRetransmitsSooner) {
  LabOptions o;
  o.tcp_a.min_rto = ms(200);
  o.a_to_b.push_back(drop(PacketKind::Data, {1}));
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, sent); });
  lab.run(at_ms(1000));
  EXPECT_EQ(lab.client_conn()->rtt().srtt()->ns, ms(20).ns);
  EXPECT_EQ(lines(data_segments(lab.wire(), "A")),
            (Lines{"100ms A>B <SEQ=1><ACK=1><CTL=PSH,ACK><DATA=100> lost",  //
                   "300ms A>B <SEQ=1><ACK=1><CTL=PSH,ACK><DATA=100>"}))
      << dump(lab.wire());
}

// RFC 6298 §5.3: an ACK of new data restarts the retransmission timer.
TEST(TcpRto, AckOfNewDataRestartsTheTimer) {
  // Segment 1's delayed ACK (150 ms) reaches A at 160 ms: segment 2 is resent at 160 + 1000 ms.
  LabOptions o;
  o.tcp_a.nagle = false;
  o.a_to_b.push_back(drop(PacketKind::Data, {2}));
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult s1, s2;
  lab.at(at_ms(100), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, s1); });
  lab.at(at_ms(120), [&] { TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, s2); });
  lab.run(at_ms(3000));
  // Segment 1's delayed ACK (150 ms) reaches A at 160 ms and restarts the timer: 160 + 1000.
  EXPECT_EQ(lines(data_segments(lab.wire(), "A")),
            (Lines{"100ms A>B <SEQ=1><ACK=1><CTL=PSH,ACK><DATA=100>",         //
                   "120ms A>B <SEQ=101><ACK=1><CTL=PSH,ACK><DATA=100> lost",  //
                   "1160ms A>B <SEQ=101><ACK=1><CTL=PSH,ACK><DATA=100>"}))
      << dump(lab.wire());
}

// RFC 1122 §4.2.3.5 (R2, Linux tcp_retries2): after data_retries retransmissions, ETIMEDOUT.
TEST(TcpRto, DataRetryLimitTimesTheConnectionOut) {
  LabOptions o;
  o.tcp_a.data_retries = 2;
  o.a_to_b.push_back(drop_between(PacketKind::Data, at_ms(0)));
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  Sink sink;
  lab.at(at_ms(100), [&] {
    TcpLab::send(lab.A(), lab.client, pattern_bytes(100), 0, sent);
    TcpLab::read_until_eof(lab.A(), lab.client, sink);
  });
  lab.run(at_ms(60'000));
  const auto data = data_segments(lab.wire(), "A");
  ASSERT_EQ(data.size(), 3u) << dump(lab.wire());
  EXPECT_EQ(format_ms(data[1].time), "1100ms");
  EXPECT_EQ(format_ms(data[2].time), "3100ms");
  EXPECT_EQ(when(entered_at(lab.trace(), lab.a, lab.client, TcpState::Closed)), "7100ms");
  ASSERT_TRUE(sink.error);
  EXPECT_NE(sink.error->find("ETIMEDOUT"), std::string::npos) << *sink.error;
}

// A connection driven without a Trace (TraceContext{}) still retransmits its SYN when the deadline passes.
TEST(TcpRto, TimerFiresWithoutATrace) {
  TcpConnection c(TcpConfig{}, TcpConnection::TraceContext{}, SeqNum(1));
  c.connect(at_ms(0));
  EXPECT_EQ(drain(c).size(), 1u);
  ASSERT_EQ(when(c.next_deadline()), "1000ms");
  c.on_deadline(at_ms(1000));
  const auto out = drain(c);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].cause, Cause::RtoRetransmission);
}

}  // namespace tcp_rto_test
}  // namespace wirestep
