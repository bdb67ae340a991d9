#include "sim/tcp/recovery/prr.hpp"

#include <algorithm>
#include <cstdint>

namespace wirestep {

Prr::Prr(std::uint32_t mss, PrrBound bound) : mss_(mss), bound_(bound) {}

void Prr::start(std::uint32_t ssthresh, std::uint32_t recover_fs) {
  ssthresh_ = ssthresh;
  // A RecoverFS below ssthresh (or 0) would let the proportional part send more than was delivered,
  // unbounded; PRR only ever reduces. Linux takes the cwnd before recovery, which is never below ssthresh.
  recover_fs_ = std::max({1u, recover_fs, ssthresh});
  prr_delivered_ = 0;
  prr_out_ = 0;
}

std::uint32_t Prr::on_ack(std::uint32_t delivered_data, std::uint32_t pipe, bool safe_ack) {
  prr_delivered_ += delivered_data;
  std::int64_t sndcnt = 0;
  if (pipe > ssthresh_) {
    // RFC 6937 §3 proportional part: sndcnt = CEIL(prr_delivered·ssthresh / RecoverFS) − prr_out, so
    // sending keeps the ratio ssthresh/RecoverFS to what is delivered. The RFC's examples and Linux count
    // segments; in bytes the CEIL is to a whole MSS, so half a segment's allowance sends a full segment
    // (as CEIL(0.5) = 1 does) instead of holding it back.
    const std::uint64_t exact = (prr_delivered_ * ssthresh_ + recover_fs_ - 1) / recover_fs_;
    const std::uint64_t allowed = (exact + mss_ - 1) / mss_ * mss_;
    sndcnt = static_cast<std::int64_t>(allowed) - static_cast<std::int64_t>(prr_out_);
  } else {
    // RFC 6937 §3 reduction bound: pipe is at or below ssthresh; catch up, but no faster than the bound.
    const std::int64_t conserve =
        static_cast<std::int64_t>(prr_delivered_) - static_cast<std::int64_t>(prr_out_);
    // Deviation (RFC 6937 §3 PRR-SSRB): as Linux, the extra MSS only on a safe ACK; on a duplicate ACK
    // or one that marks new losses the bound is what was delivered, so entering recovery sends one segment.
    const std::int64_t slow_start = std::max<std::int64_t>(conserve, delivered_data) + (safe_ack ? mss_ : 0);
    const std::int64_t limit = bound_ == PrrBound::Conservative ? conserve : slow_start;
    sndcnt = std::min<std::int64_t>(std::int64_t{ssthresh_} - pipe, limit);
  }
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(sndcnt, 0, UINT32_MAX));
}

}  // namespace wirestep
