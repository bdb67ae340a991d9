#include "sim/tcp/congestion/newreno.hpp"

#include <algorithm>
#include <cstdint>

namespace wirestep {

NewReno::NewReno(std::uint32_t mss, std::uint32_t iw_segments) : mss_(mss), iw_segments_(iw_segments) {
  set_mss(mss);
  ssthresh_ = UINT32_MAX / 2;  // RFC 5681 §3.1: "arbitrarily high"
}

void NewReno::set_mss(std::uint32_t mss) {
  mss_ = mss;
  // RFC 6928 §2: IW = min(10*MSS, max(2*MSS, 14600)) for the default of 10 segments; otherwise n*MSS.
  cwnd_ =
      iw_segments_ == 10 ? std::min(10 * mss, std::max(2 * mss, 14600u)) : std::max(1u, iw_segments_) * mss;
}

CcDecision NewReno::on_ack(const AckSample& a) {
  CcDecision d;
  if (a.duplicate) {
    if (in_recovery_) {
      // RFC 5681 §3.2 step 4: each further duplicate inflates cwnd by one segment (a packet left the
      // network).
      cwnd_ += mss_;
      return d;
    }
    // RFC 6582 §3.2 step 2: fast retransmit only when the ACK covers more than `recover`, so duplicates
    // from a window already being repaired do not trigger a second reduction.
    if (a.dup_acks == 3 && (!recover_valid_ || a.ack - 1 > recover_)) {
      ssthresh_ = std::max(a.flight_before / 2, 2 * mss_);  // RFC 5681 §3.2 step 2, equation (4)
      recover_ = a.snd_nxt - 1;
      recover_valid_ = true;
      cwnd_ = ssthresh_ + 3 * mss_;  // RFC 5681 §3.2 step 3
      in_recovery_ = true;
      d.retransmit_head = true;
      d.entered_recovery = true;
    }
    return d;
  }
  if (a.bytes_acked == 0) return d;
  if (in_recovery_) {
    if (a.ack - 1 >= recover_) {
      // RFC 6582 §3.2 step 3 (full ACK), option 1: cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS).
      const std::uint32_t flight_after = a.flight_before - std::min(a.flight_before, a.bytes_acked);
      cwnd_ = std::min(ssthresh_, std::max(flight_after, mss_) + mss_);
      in_recovery_ = false;
    } else {
      // RFC 6582 §3.2 step 3 (partial ACK): retransmit the next hole, deflate by the amount acknowledged,
      // and add back one SMSS if at least one SMSS was acknowledged.
      cwnd_ = cwnd_ > a.bytes_acked ? cwnd_ - a.bytes_acked : mss_;
      if (a.bytes_acked >= mss_) cwnd_ += mss_;
      d.retransmit_head = true;
    }
    return d;
  }
  // RFC 7661 §4.3 (Linux's tcp_is_cwnd_limited): no growth while the application, not cwnd, limits sending.
  if (a.app_limited) return d;
  if (cwnd_ < ssthresh_) {
    cwnd_ += std::min(a.bytes_acked, mss_);  // RFC 5681 §3.1 equation (2): slow start
  } else {
    // RFC 5681 §3.1 equation (3): congestion avoidance, about one segment per RTT.
    cwnd_ += std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::uint64_t{mss_} * mss_ / cwnd_));
  }
  return d;
}

void NewReno::on_rto(std::uint32_t flight, SeqNum snd_nxt) {
  ssthresh_ = std::max(flight / 2, 2 * mss_);  // RFC 5681 §3.1 equation (4)
  cwnd_ = mss_;                                // RFC 5681 §3.1: the loss window is one segment
  in_recovery_ = false;
  // RFC 6582 §3.2 step 4 note: after a timeout, recover = highest sequence number transmitted.
  recover_ = snd_nxt - 1;
  recover_valid_ = true;
}

}  // namespace wirestep
