// The retransmission timer's estimator, RFC 6298, in integer nanoseconds.
#pragma once

#include <algorithm>
#include <optional>

#include "sim/core/time.hpp"

namespace wirestep {

class RttEstimator {
 public:
  // `min_on_variance`: Linux's tcp_set_rto, RTO = SRTT + max(K*RTTVAR, min_rto) (TcpConfig).
  RttEstimator(SimDuration initial_rto, SimDuration min_rto, SimDuration max_rto,
               bool min_on_variance = false)
      : rto_(initial_rto),
        base_rto_(initial_rto),
        min_rto_(min_rto),
        max_rto_(max_rto),
        min_on_variance_(min_on_variance) {}

  // A new RTT measurement R (Karn's rule is the caller's: never sample a retransmitted segment).
  void sample(SimDuration r);
  // RFC 6298 §5.5: on each expiry the RTO doubles (bounded by the maximum).
  void back_off();
  // RFC 6298 §5.7: after a SYN timeout, data transfer starts from an RTO of 3 s (unless a sample exists).
  void restart(SimDuration rto) {
    rto_ = std::max(rto, min_rto_);
    backoffs_ = 0;
  }
  // RFC 6298 §5.7 note: after backoff, a new sample recomputes the RTO from SRTT/RTTVAR.

  std::optional<SimDuration> srtt() const { return srtt_; }
  SimDuration rttvar() const { return rttvar_; }
  SimDuration rto() const { return rto_; }
  int backoffs() const { return backoffs_; }

 private:
  SimDuration clamp(SimDuration d) const;

  std::optional<SimDuration> srtt_;
  SimDuration rttvar_{};
  SimDuration rto_;
  SimDuration base_rto_;  // the RTO before backoff
  SimDuration min_rto_;
  SimDuration max_rto_;
  bool min_on_variance_ = false;
  int backoffs_ = 0;
};

}  // namespace wirestep
