// CUBIC (RFC 9438) with Linux's HyStart, and congestion window validation (RFC 7661, Linux's
// tcp_is_cwnd_limited), as pure components: each test feeds ACKs with explicit times and RTT samples.
#include <gtest/gtest.h>

#include <cstdint>

#include "sim/tcp/congestion/cubic.hpp"
#include "sim/tcp/congestion/cwnd_validation.hpp"
#include "sim/tcp/congestion/newreno.hpp"

namespace wirestep {
namespace tcp_cubic_test {

constexpr std::uint32_t kMss = 1000;
constexpr std::uint32_t segs(std::uint32_t n) {
  return n * kMss;
}

// A sender that always fills cwnd: each round sends the whole window, whose ACKs (one segment each) then
// arrive `spacing` apart, each carrying `rtt` as its RTT sample.
struct Flow {
  explicit Flow(CongestionControl& c) : cc(c) {}
  CongestionControl& cc;
  SimTime now = SimTime::zero() + SimDuration::seconds(1);
  SeqNum una{4'000'000'000u};  // near 2^32, so the rounds wrap around
  SeqNum nxt = una;
  SimDuration min_rtt;
  bool app_limited = false;

  AckSample ack_of(std::uint32_t bytes, SimDuration rtt) const {
    AckSample a{bytes, false, 0, una, nxt, static_cast<std::uint32_t>(nxt - una)};
    a.now = now;
    a.rtt_sample = rtt;
    a.min_rtt = min_rtt;
    a.app_limited = app_limited;
    return a;
  }
  void round(SimDuration rtt, SimDuration spacing) {
    nxt = una + cc.cwnd();
    const std::uint32_t n = cc.cwnd() / kMss;
    for (std::uint32_t i = 0; i < n; ++i) {
      now += spacing;
      AckSample a = ack_of(kMss, rtt);
      una += kMss;
      a.ack = una;
      cc.on_ack(a);
    }
  }
  // Rounds of one RTT each (ACKs spread over the RTT) until `until` has passed.
  void rounds_until(SimTime until, SimDuration rtt) {
    while (now < until) round(rtt, rtt / std::max<std::uint32_t>(1, cc.cwnd() / kMss));
  }
  // One ACK covering `bytes` at once (grows slow start straight to a chosen window).
  void big_ack(std::uint32_t bytes) {
    nxt = una + bytes;
    AckSample a = ack_of(bytes, SimDuration{});
    una += bytes;
    a.ack = una;
    cc.on_ack(a);
  }
};

// A CUBIC flow in congestion avoidance just after a loss at `w_max_segments`, repaired as PRR will
// (on_congestion_event, then end_reduction), with the minimum RTT known.
struct AfterLoss {
  AfterLoss(std::uint32_t w_max_segments, SimDuration rtt, bool fast_convergence = true)
      : cc(kMss, 10, /*hystart=*/false, fast_convergence), flow(cc) {
    flow.min_rtt = rtt;
    flow.big_ack(segs(w_max_segments) - cc.cwnd());
    cc.on_congestion_event();
    cc.end_reduction();
  }
  Cubic cc;
  Flow flow;
};

TEST(TcpCubic, LossCutsTheWindowToSevenTenthsAndRemembersWmax) {
  AfterLoss f(1000, SimDuration::millis(200));
  // RFC 9438 §4.6: ssthresh = β_cubic·cwnd with β = 0.7; §4.7: W_max = cwnd before the cut (first loss).
  EXPECT_EQ(f.cc.ssthresh(), segs(700));
  EXPECT_EQ(f.cc.cwnd(), segs(700));
  EXPECT_EQ(f.cc.w_max(), segs(1000));
}

TEST(TcpCubic, WindowReturnsToWmaxAtTimeKConcaveBeforeConvexAfter) {
  const SimDuration rtt = SimDuration::millis(200);
  AfterLoss f(1000, rtt);
  f.flow.round(rtt, rtt / 700);  // the first ACK in congestion avoidance starts the epoch
  ASSERT_TRUE(f.cc.in_epoch());
  // RFC 9438 §4.2: K = cbrt((W_max − cwnd_epoch)/C) = cbrt(300/0.4) = cbrt(750) = 9.0856 s.
  EXPECT_EQ(f.cc.k(), SimDuration::millis(9085));
  EXPECT_EQ(f.cc.w_cubic(f.cc.k()), segs(1000));              // W_cubic(K) = W_max
  EXPECT_NEAR(f.cc.w_cubic(SimDuration{}), segs(700), kMss);  // W_cubic(0) = cwnd_epoch
  const SimTime epoch = f.flow.now - rtt;

  // §4.4: concave while below W_max: half-way to K the window has covered most of the way already.
  f.flow.rounds_until(epoch + f.cc.k() / 2, rtt);
  EXPECT_GT(f.cc.cwnd(), segs(900));
  EXPECT_LT(f.cc.cwnd(), segs(1000));
  // At t = K the window is back at W_max (within 2%: it follows W_cubic(t + RTT) in per-ACK steps).
  f.flow.rounds_until(epoch + f.cc.k(), rtt);
  EXPECT_NEAR(f.cc.cwnd(), segs(1000), segs(20));
  // §4.5: convex after K: 3 s later W_cubic = W_max + 0.4·3^3 = 1010.8 segments.
  f.flow.rounds_until(epoch + f.cc.k() + SimDuration::seconds(3), rtt);
  EXPECT_GT(f.cc.cwnd(), segs(1005));
  EXPECT_LT(f.cc.cwnd(), segs(1020));
}

TEST(TcpCubic, FastConvergenceLowersWmaxWhenLossComesBeforeReachingIt) {
  for (const bool fast : {true, false}) {
    AfterLoss f(1000, SimDuration::millis(100), fast);
    ASSERT_EQ(f.cc.cwnd(), segs(700));
    // A second loss at 700 segments, below W_max = 1000.
    f.cc.on_congestion_event();
    // RFC 9438 §4.7: W_max = cwnd·(1 + β)/2 = 700·0.85 = 595 segments; without fast convergence 700.
    EXPECT_EQ(f.cc.w_max(), fast ? segs(595) : segs(700)) << "fast convergence " << fast;
    EXPECT_EQ(f.cc.ssthresh(), segs(490));
  }
}

TEST(TcpCubic, RenoFriendlyRegionDominatesAtSmallRtt) {
  const SimDuration rtt = SimDuration::millis(1);
  AfterLoss f(100, rtt);
  f.flow.round(rtt, rtt / 70);
  const SimTime epoch = f.flow.now - rtt;
  f.flow.rounds_until(epoch + SimDuration::millis(500), rtt);
  // RFC 9438 §4.3: at 1 ms RTT Reno would gain α = 21/13 segments per RTT until W_est reaches the window
  // before the loss (100), then one per RTT: about 100 + (500 − 19) = 581 segments after 500 RTTs, while
  // W_cubic(0.5 s) = 100 − 0.4·3.72^3 ≈ 79.5 segments. cwnd follows W_est.
  EXPECT_LT(f.cc.w_cubic(f.flow.now - epoch), segs(85));
  EXPECT_EQ(f.cc.cwnd(), f.cc.w_est());
  EXPECT_NEAR(f.cc.cwnd(), segs(581), segs(15));
}

TEST(TcpCubic, RenoFriendlyEstimateDoesNotLeadAtLargeRtt) {
  const SimDuration rtt = SimDuration::millis(200);
  AfterLoss f(1000, rtt);
  f.flow.round(rtt, rtt / 700);
  const SimTime epoch = f.flow.now - rtt;
  f.flow.rounds_until(epoch + SimDuration::seconds(2), rtt);
  // RFC 9438 §4.4: at 200 ms Reno's ~1.6 segments per RTT is far below the cubic curve.
  EXPECT_LT(f.cc.w_est(), segs(720));
  EXPECT_GT(f.cc.cwnd(), segs(800));
}

TEST(TcpCubic, TimeoutSetsSsthreshOnceAndRestartsTheCurveAtKZero) {
  Cubic cc(kMss, 10, false);
  Flow flow(cc);
  flow.min_rtt = SimDuration::millis(50);
  flow.big_ack(segs(100) - cc.cwnd());
  cc.on_rto(segs(100), flow.nxt);
  // RFC 9438 §4.8: ssthresh by β as on a loss; cwnd is the loss window of one segment.
  EXPECT_EQ(cc.ssthresh(), segs(70));
  EXPECT_EQ(cc.cwnd(), segs(1));
  cc.on_rto(segs(100), flow.nxt);  // the backed-off timer fires again: same episode
  EXPECT_EQ(cc.ssthresh(), segs(70));
  flow.big_ack(segs(69));  // slow start back to ssthresh
  EXPECT_EQ(cc.cwnd(), segs(70));
  flow.round(SimDuration{}, SimDuration::millis(1));
  // §4.8: the first congestion avoidance after a timeout has K = 0 and W_max = the window it starts at.
  EXPECT_EQ(cc.k(), SimDuration{});
  EXPECT_EQ(cc.w_cubic(SimDuration{}), segs(70));
}

TEST(TcpCubic, ThirdDuplicateAckEntersFastRecoveryWithCubicSsthresh) {
  Cubic cc(kMss, 10, false);
  Flow flow(cc);
  flow.big_ack(segs(40) - cc.cwnd());
  flow.nxt = flow.una + segs(40);
  CcDecision d;
  for (std::uint32_t k = 1; k <= 3; ++k) {
    AckSample dup{0, true, k, flow.una, flow.nxt, segs(40)};
    dup.now = flow.now;
    d = cc.on_ack(dup);
    if (k < 3) {
      EXPECT_FALSE(d.retransmit_head) << k;
    }
  }
  // RFC 5681 §3.2 steps 2-3 with RFC 9438 §4.6's ssthresh: 0.7·40 = 28 segments, cwnd = 28 + 3.
  EXPECT_TRUE(d.retransmit_head);
  EXPECT_TRUE(d.entered_recovery);
  EXPECT_TRUE(cc.in_recovery());
  EXPECT_EQ(cc.ssthresh(), segs(28));
  EXPECT_EQ(cc.cwnd(), segs(31));
  EXPECT_EQ(cc.w_max(), segs(40));
}

TEST(TcpCubicHystart, DelayIncreaseEndsSlowStart) {
  Cubic cc(kMss, 10);
  Flow flow(cc);
  const SimDuration spacing = SimDuration::millis(4);  // wider than the 2 ms ACK train
  flow.round(SimDuration::millis(100), spacing);       // 10 → 20 segments; delay_min = 100 ms
  flow.round(SimDuration::millis(100), spacing);       // 20 → 40: HyStart watching, nothing seen
  ASSERT_EQ(cc.hystart_exit(), HystartExit::None);
  ASSERT_EQ(cc.cwnd(), segs(40));
  // The queue grows: every RTT sample of this round is 20 ms above the minimum, more than the threshold
  // clamp(100 ms/8, 4 ms, 16 ms) = 12.5 ms. The 9th sample of the round ends slow start (Linux's
  // HYSTART_MIN_SAMPLES = 8), at cwnd = 40 + 8 segments, which becomes ssthresh.
  flow.round(SimDuration::millis(120), spacing);
  EXPECT_EQ(cc.hystart_exit(), HystartExit::DelayIncrease);
  EXPECT_EQ(cc.ssthresh(), segs(48));
  EXPECT_EQ(cc.delay_min(), SimDuration::millis(100));
  // The rest of the round grows in congestion avoidance, not by a segment per ACK.
  EXPECT_LT(cc.cwnd(), segs(52));
}

TEST(TcpCubicHystart, SteadyDelayKeepsSlowStartDoubling) {
  Cubic cc(kMss, 10);
  Flow flow(cc);
  for (int r = 0; r < 3; ++r) flow.round(SimDuration::millis(100), SimDuration::millis(4));
  EXPECT_EQ(cc.hystart_exit(), HystartExit::None);
  EXPECT_EQ(cc.cwnd(), segs(80));
}

TEST(TcpCubicHystart, AckTrainLongerThanHalfTheMinimumRttEndsSlowStart) {
  Cubic cc(kMss, 10);
  Flow flow(cc);
  const SimDuration rtt = SimDuration::millis(40);
  const SimDuration spacing = SimDuration::millis(1);  // ACKs back to back: the path is full
  flow.round(rtt, spacing);                            // 10 → 20 segments
  flow.round(rtt, spacing);                            // 20 ACKs span 19 ms, not more than 40/2 = 20 ms
  ASSERT_EQ(cc.hystart_exit(), HystartExit::None);
  flow.round(rtt, spacing);  // the 22nd ACK is 21 ms after the round's first: train exit
  EXPECT_EQ(cc.hystart_exit(), HystartExit::AckTrain);
  EXPECT_EQ(cc.ssthresh(), segs(40 + 21));
}

TEST(TcpCubicHystart, DisabledHystartLeavesSlowStartOnlyOnLoss) {
  Cubic cc(kMss, 10, /*hystart=*/false);
  Flow flow(cc);
  flow.round(SimDuration::millis(100), SimDuration::millis(4));
  flow.round(SimDuration::millis(100), SimDuration::millis(4));
  flow.round(SimDuration::millis(150), SimDuration::millis(4));
  EXPECT_EQ(cc.hystart_exit(), HystartExit::None);
  EXPECT_EQ(cc.cwnd(), segs(80));
}

TEST(TcpCwndValidation, AppLimitedAcksDoNotGrowCubicInEitherPhase) {
  // RFC 7661 §4.3, RFC 9438 §5.8: a window the application did not use is no evidence for a larger one.
  Cubic slow(kMss, 10);
  Flow ss(slow);
  ss.app_limited = true;
  ss.round(SimDuration::millis(50), SimDuration::millis(5));
  EXPECT_EQ(slow.cwnd(), segs(10));

  AfterLoss f(100, SimDuration::millis(50));
  f.flow.round(SimDuration::millis(50), SimDuration::millis(1));  // the epoch starts, K = 4.2 s
  const std::uint32_t before = f.cc.cwnd();
  f.flow.app_limited = true;
  for (int r = 0; r < 20; ++r) f.flow.round(SimDuration::millis(50), SimDuration::millis(1));
  EXPECT_EQ(f.cc.cwnd(), before);
  // The 1.4 application-limited seconds did not advance the curve's clock (§5.8): the next round aims at
  // W_cubic(~0.1 s) ≈ 72 segments, not W_cubic(1.5 s) ≈ 92.
  f.flow.app_limited = false;
  f.flow.round(SimDuration::millis(50), SimDuration::millis(1));
  EXPECT_LT(f.cc.cwnd(), segs(76));
}

TEST(TcpCwndValidation, AppLimitedAcksDoNotGrowNewRenoButDefaultAcksStillDo) {
  NewReno nr(kMss, 10);
  Flow flow(nr);
  flow.app_limited = true;
  flow.round(SimDuration{}, SimDuration::millis(1));
  EXPECT_EQ(nr.cwnd(), segs(10));
  // The existing callers build AckSample without the new fields: growth as before (RFC 5681 §3.1).
  flow.app_limited = false;
  flow.round(SimDuration{}, SimDuration::millis(1));
  EXPECT_EQ(nr.cwnd(), segs(20));
}

TEST(TcpCwndValidation, LinuxRuleCountsAWindowAsLimitedOnlyWhenCwndWasFull) {
  const SeqNum una{0xFFFFF000u};  // the window wraps past 2^32
  CwndValidation v;
  // The application wrote 3 segments while cwnd allowed 10 (slow start): not cwnd-limited, 10 ≥ 2·3.
  v.on_send(una, una + segs(3), segs(3), false);
  EXPECT_FALSE(v.is_cwnd_limited(segs(10), segs(1000)));
  // Linux lets slow start grow up to twice the flight the application did fill: 6 in flight, cwnd 10.
  v.on_send(una, una + segs(6), segs(6), false);
  EXPECT_TRUE(v.is_cwnd_limited(segs(10), segs(1000)));
  // In congestion avoidance only a full cwnd counts.
  EXPECT_FALSE(v.is_cwnd_limited(segs(10), segs(5)));
  v.on_send(una, una + segs(10), segs(10), true);
  EXPECT_TRUE(v.is_cwnd_limited(segs(10), segs(5)));
  // The mark lasts the window: a later short send before that window is acknowledged keeps it.
  v.on_send(una + segs(2), una + segs(11), segs(9), false);
  EXPECT_TRUE(v.is_cwnd_limited(segs(10), segs(5)));
  // Once the window is acknowledged, a new one starts from what is in flight now.
  v.on_send(una + segs(10), una + segs(12), segs(2), false);
  EXPECT_FALSE(v.is_cwnd_limited(segs(10), segs(5)));
  EXPECT_EQ(v.max_flight_bytes(), segs(2));
}

TEST(TcpCubic, ExtremeInputsStayWithin32BitsWithoutWrapping) {
  // A zero MSS from a broken caller counts as one byte; a 4 GiB ACK and an hour-long epoch neither wrap
  // the window nor shrink it.
  Cubic cc(0, 10, false);
  Flow flow(cc);
  flow.big_ack(UINT32_MAX);
  const std::uint32_t after_huge = cc.cwnd();
  EXPECT_GE(after_huge, UINT32_MAX / 2);
  flow.now += SimDuration::seconds(3600);
  flow.big_ack(UINT32_MAX);
  EXPECT_GE(cc.cwnd(), after_huge);
  EXPECT_LE(cc.w_cubic(SimDuration::seconds(3600)), UINT32_MAX);
  cc.on_congestion_event();
  EXPECT_EQ(cc.ssthresh(), static_cast<std::uint32_t>(std::uint64_t{cc.cwnd()} * 7 / 10));
}

}  // namespace tcp_cubic_test
}  // namespace wirestep
