#include "sim/tcp/rtt_estimator.hpp"

#include <algorithm>

namespace wirestep {
namespace {
// RFC 6298 §2: alpha = 1/8, beta = 1/4, K = 4; G (clock granularity) is 1 ns here, so max(G, K*RTTVAR) =
// K*RTTVAR.
constexpr std::int64_t kK = 4;
constexpr SimDuration kClockGranularity = SimDuration::nanos(1);
}  // namespace

SimDuration RttEstimator::clamp(SimDuration d) const {
  // RFC 6298 §2.4: round up to the minimum; §2.5: a maximum may be placed on the RTO.
  return std::min(std::max(d, min_rto_), max_rto_);
}

void RttEstimator::sample(SimDuration r) {
  if (!srtt_) {
    // RFC 6298 §2.2: the first measurement R: SRTT = R, RTTVAR = R/2.
    srtt_ = r;
    rttvar_ = r / 2;
  } else {
    // RFC 6298 §2.3: RTTVAR first (using the old SRTT), then SRTT.
    const SimDuration err = *srtt_ > r ? *srtt_ - r : r - *srtt_;
    rttvar_ = SimDuration{(3 * rttvar_.ns + err.ns) / 4};
    srtt_ = SimDuration{(7 * srtt_->ns + r.ns) / 8};
  }
  // Deviation (RFC 6298 §2.4) for the linux profile: the minimum floors K*RTTVAR, not the sum (tcp_set_rto).
  const SimDuration variance = std::max(kClockGranularity, rttvar_ * kK);
  base_rto_ = clamp(*srtt_ + (min_on_variance_ ? std::max(variance, min_rto_) : variance));
  rto_ = base_rto_;
  backoffs_ = 0;
}

void RttEstimator::back_off() {
  rto_ = std::min(rto_ * 2, max_rto_);
  ++backoffs_;
}

}  // namespace wirestep
