#include "sim/tcp/congestion/cubic.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

namespace wirestep {
namespace {

// The largest r with r^3 <= x, by bisection: exact and the same everywhere (no libm cbrt).
std::uint64_t integer_cbrt(std::uint64_t x) {
  std::uint64_t lo = 0;
  std::uint64_t hi = 2'642'246;  // > cbrt(2^64)
  while (lo + 1 < hi) {
    const std::uint64_t mid = (lo + hi) / 2;
    if (mid * mid * mid <= x) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

// RFC 9438 §4.2: C·d^3 segments for d in ms is 0.4·d^3/10^9 = 4·d^3/10^10 segments. |d| is capped at 25
// minutes so d^3 fits 64 bits; by then the window is far beyond any 32-bit cwnd anyway.
std::uint64_t cubic_offset_bytes(std::int64_t d_ms, std::uint32_t mss) {
  const std::uint64_t d = std::min<std::uint64_t>(static_cast<std::uint64_t>(std::llabs(d_ms)), 1'500'000);
  const std::uint64_t cube_per_million = d * d * d / 1'000'000;
  return cube_per_million * 4 * mss / 10'000;
}

constexpr std::uint32_t kInfiniteSsthresh = UINT32_MAX / 2;  // RFC 5681 §3.1: "arbitrarily high"

}  // namespace

Cubic::Cubic(std::uint32_t mss, std::uint32_t iw_segments, bool hystart, bool fast_convergence)
    : mss_(mss), iw_segments_(iw_segments), hystart_(hystart), fast_convergence_(fast_convergence) {
  set_mss(mss);
  ssthresh_ = kInfiniteSsthresh;
}

void Cubic::set_mss(std::uint32_t mss) {
  mss_ = std::max(1u, mss);
  // RFC 6928 §2, as NewReno: IW = min(10*MSS, max(2*MSS, 14600)) for 10 segments, else n*MSS.
  cwnd_ = iw_segments_ == 10 ? std::min(10 * mss_, std::max(2 * mss_, 14600u))
                             : std::max(1u, iw_segments_) * mss_;
}

std::uint32_t Cubic::w_cubic(SimDuration t) const {
  if (!epoch_valid_) return cwnd_;
  const std::int64_t d_ms = t.ns / 1'000'000 - k_ms_;
  const std::uint64_t offset = cubic_offset_bytes(d_ms, mss_);
  if (d_ms < 0) return offset >= origin_ ? 0 : static_cast<std::uint32_t>(origin_ - offset);
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(origin_ + offset, UINT32_MAX));
}

void Cubic::on_congestion_event() {
  // RFC 9438 §4.7: fast convergence. A flow whose window did not get back to W_max before this loss is
  // likely losing bandwidth to a newcomer, so it remembers less: W_max = cwnd·(1 + β)/2.
  if (fast_convergence_ && cwnd_ < w_max_) {
    w_max_ = static_cast<std::uint32_t>(std::uint64_t{cwnd_} * (10 + kBetaTenths) / 20);
  } else {
    w_max_ = cwnd_;
  }
  cwnd_prior_ = cwnd_;
  // RFC 9438 §4.6: ssthresh = β·FlightSize, at least 2 segments. Like Linux we take cwnd: the RFC allows
  // it when cwnd cannot grow beyond what is in flight, which congestion window validation ensures.
  ssthresh_ = std::max(static_cast<std::uint32_t>(std::uint64_t{cwnd_} * kBetaTenths / 10), 2 * mss_);
  epoch_valid_ = false;
}

CcDecision Cubic::on_ack(const AckSample& a) {
  CcDecision d;
  if (a.duplicate) {
    if (in_recovery_) {
      cwnd_ += mss_;  // RFC 5681 §3.2 step 4: a duplicate means a segment left the network
      return d;
    }
    // RFC 6582 §3.2 step 2: only duplicates above `recover` start a new recovery.
    if (a.dup_acks == 3 && (!recover_valid_ || a.ack - 1 > recover_)) {
      on_congestion_event();
      recover_ = a.snd_nxt - 1;
      recover_valid_ = true;
      cwnd_ = ssthresh_ + 3 * mss_;  // RFC 5681 §3.2 step 3, with CUBIC's ssthresh
      in_recovery_ = true;
      d.retransmit_head = true;
      d.entered_recovery = true;
    }
    return d;
  }
  if (a.bytes_acked == 0) return d;
  if (recover_valid_ && a.ack - 1 >= recover_) rto_episode_ = false;
  if (in_recovery_) {
    if (a.ack - 1 >= recover_) {
      // RFC 6582 §3.2 step 3 (full ACK), option 1; the epoch starts on the next ACK (RFC 9438 §4.2).
      const std::uint32_t flight_after = a.flight_before - std::min(a.flight_before, a.bytes_acked);
      cwnd_ = std::min(ssthresh_, std::max(flight_after, mss_) + mss_);
      in_recovery_ = false;
    } else {
      // RFC 6582 §3.2 step 3 (partial ACK): deflate, add back one SMSS, retransmit the next hole.
      cwnd_ = cwnd_ > a.bytes_acked ? cwnd_ - a.bytes_acked : mss_;
      if (a.bytes_acked >= mss_) cwnd_ += mss_;
      d.retransmit_head = true;
    }
    return d;
  }
  grow(a);
  return d;
}

void Cubic::grow(const AckSample& a) {
  if (a.rtt_sample.ns > 0) hystart_sample(a);
  if (a.app_limited) {
    // RFC 9438 §5.8: no growth while the application limits the flow, and t must not count that time,
    // else W_cubic(t) would be far ahead once the application catches up.
    if (epoch_valid_ && a.now > last_ack_) epoch_start_ += a.now - last_ack_;
    last_ack_ = a.now;
    return;
  }
  last_ack_ = a.now;
  std::uint32_t acked = a.bytes_acked;
  if (cwnd_ < ssthresh_) {
    if (hystart_ && (!round_valid_ || a.ack > round_end_seq_)) hystart_reset_round(a.now, a.snd_nxt);
    // Linux's tcp_slow_start: one byte per byte acknowledged up to ssthresh (no RFC 3465 L limit); what
    // is left over is counted in congestion avoidance.
    const std::uint32_t step = std::min(acked, ssthresh_ - cwnd_);
    cwnd_ += step;
    acked -= step;
    if (acked == 0) return;
  }
  congestion_avoidance(a, acked);
}

void Cubic::start_epoch(SimTime now) {
  epoch_valid_ = true;
  epoch_start_ = now;
  cubic_acc_ = 0;
  // RFC 9438 §4.3: W_est starts at the window the epoch starts with.
  w_est_ = cwnd_;
  w_est_acc_ = 0;
  if (w_max_ > cwnd_) {
    // RFC 9438 §4.2 equation 2: K = cbrt((W_max − cwnd_epoch)/C) seconds; in ms that is
    // cbrt((W_max − cwnd_epoch)/MSS · 2.5·10^9), since 1/C = 2.5 and 1 s^3 = 10^9 ms^3.
    k_ms_ = static_cast<std::int64_t>(integer_cbrt((w_max_ - cwnd_) * 2'500'000'000ull / mss_));
    origin_ = w_max_;
  } else {
    // RFC 9438 §4.8 and §4.10: no W_max above us (after a timeout, or slow start left without a loss):
    // K = 0 and the curve starts at the current window.
    k_ms_ = 0;
    origin_ = cwnd_;
  }
}

void Cubic::congestion_avoidance(const AckSample& a, std::uint32_t acked) {
  if (!epoch_valid_) start_epoch(a.now);
  acked = std::min(acked, cwnd_);
  // RFC 9438 §4.2 uses W_cubic(t + RTT); like Linux we take the minimum RTT.
  const SimDuration rtt = a.min_rtt.ns > 0 ? a.min_rtt : delay_min_;
  const SimDuration t = a.now - epoch_start_;
  std::uint64_t target = w_cubic(t + rtt);
  // RFC 9438 §4.2: the target stays within [cwnd, 1.5·cwnd].
  target = std::clamp<std::uint64_t>(target, cwnd_, std::uint64_t{cwnd_} * 3 / 2);

  // RFC 9438 §4.3: W_est grows by α·acked/cwnd segments, α = 3β/(2 − β) = 21/13 until W_est reaches
  // cwnd_prior, then α = 1 (13/13).
  const std::uint64_t alpha_thirteenths = w_est_ >= cwnd_prior_ ? 13 : 21;
  w_est_acc_ += alpha_thirteenths * acked * mss_;
  const std::uint64_t est_den = 13 * std::uint64_t{cwnd_};
  w_est_ = static_cast<std::uint32_t>(std::min<std::uint64_t>(w_est_ + w_est_acc_ / est_den, UINT32_MAX));
  w_est_acc_ %= est_den;

  if (w_cubic(t) < w_est_) {
    // RFC 9438 §4.3: the Reno-friendly region: CUBIC is at least as fast as Reno would be.
    cwnd_ = std::max(cwnd_, w_est_);
    cubic_acc_ = 0;
    return;
  }
  // RFC 9438 §4.4 (concave, cwnd < W_max) and §4.5 (convex): cwnd grows by (target − cwnd)/cwnd per
  // segment acknowledged.
  cubic_acc_ += (target - cwnd_) * acked;
  const std::uint64_t inc = cubic_acc_ / cwnd_;
  cubic_acc_ %= cwnd_;
  cwnd_ = static_cast<std::uint32_t>(std::min<std::uint64_t>(cwnd_ + inc, UINT32_MAX));
}

void Cubic::on_rto(std::uint32_t, SeqNum snd_nxt) {
  // RFC 9438 §4.8: ssthresh by β as in §4.6 (once per timeout episode, as Linux's tcp_enter_loss: a
  // backed-off timer repeating before new data is acknowledged keeps it), cwnd to one segment.
  if (!rto_episode_) on_congestion_event();
  rto_episode_ = true;
  // RFC 9438 §4.8: the first congestion avoidance after a timeout uses K = 0 and W_max = cwnd then.
  w_max_ = 0;
  epoch_valid_ = false;
  cwnd_ = mss_;
  in_recovery_ = false;
  recover_ = snd_nxt - 1;  // RFC 6582 §3.2 step 4 note
  recover_valid_ = true;
  // Linux's bictcp_reset on entering loss: HyStart and its minimum delay start over.
  hystart_exit_ = HystartExit::None;
  round_valid_ = false;
  delay_min_ = SimDuration{};
}

void Cubic::hystart_reset_round(SimTime now, SeqNum snd_nxt) {
  round_valid_ = true;
  round_start_ = now;
  last_train_ack_ = now;
  round_end_seq_ = snd_nxt;
  curr_rtt_ = SimDuration{INT64_MAX};
  sample_cnt_ = 0;
}

void Cubic::hystart_sample(const AckSample& a) {
  // Linux (cubictcp_acked): delay samples within 1 s of an epoch start follow a recovery; skip them.
  if (epoch_valid_ && a.now - epoch_start_ < SimDuration::seconds(1)) return;
  const SimDuration delay = a.rtt_sample;
  if (delay_min_.ns == 0 || delay < delay_min_) delay_min_ = delay;
  if (!hystart_ || hystart_exit_ != HystartExit::None || cwnd_ >= ssthresh_ ||
      cwnd_ < kHystartLowWindowSegments * mss_) {
    return;
  }
  if (!round_valid_ || a.ack > round_end_seq_) hystart_reset_round(a.now, a.snd_nxt);

  // ACK train: ACKs still arriving close together (within 2 ms) for longer than half the minimum RTT
  // means the flight already fills the path. Deviation: Linux adds a pacing-rate allowance to the
  // threshold; the simulator does not pace, so it is 0 here.
  if (a.now - last_train_ack_ <= kHystartAckDelta) {
    last_train_ack_ = a.now;
    if (a.now - round_start_ > delay_min_ / 2) {
      hystart_exit_ = HystartExit::AckTrain;
      ssthresh_ = cwnd_;
      return;
    }
  }
  // Delay increase: the least RTT of this round's first 8 samples is above the minimum by more than
  // delay_min/8 (clamped to 4..16 ms): a queue is building.
  curr_rtt_ = std::min(curr_rtt_, delay);
  if (sample_cnt_ < kHystartMinSamples) {
    ++sample_cnt_;
    return;
  }
  const SimDuration thresh = std::clamp(delay_min_ / 8, kHystartDelayMin, kHystartDelayMax);
  if (curr_rtt_ > delay_min_ + thresh) {
    hystart_exit_ = HystartExit::DelayIncrease;
    ssthresh_ = cwnd_;
  }
}

}  // namespace wirestep
