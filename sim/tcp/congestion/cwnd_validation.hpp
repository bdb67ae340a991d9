// Congestion window validation: is the sender using its cwnd, or is the application the bottleneck?
// Growing cwnd while the application sends less than it allows inflates it with no evidence the path can
// carry it (RFC 7661 §1). This is Linux's rule (tcp_is_cwnd_limited, tcp_cwnd_validate): per window of
// data, remember whether a send stopped because cwnd was full, else the most bytes ever in flight.
#pragma once

#include <cstdint>

#include "sim/tcp/seq_num.hpp"

namespace wirestep {

class CwndValidation {
 public:
  // After each sending opportunity: what is in flight now, and whether sending stopped because
  // bytes_in_flight reached cwnd (rather than for lack of data or receive window).
  void on_send(SeqNum snd_una, SeqNum snd_nxt, std::uint32_t bytes_in_flight, bool stopped_by_cwnd) {
    // A new window starts once everything sent when the last one started is acknowledged.
    const bool new_window = !window_valid_ || snd_una >= window_end_;
    if (new_window || stopped_by_cwnd || (!cwnd_limited_ && bytes_in_flight > max_flight_bytes_)) {
      cwnd_limited_ = stopped_by_cwnd;
      max_flight_bytes_ = bytes_in_flight;
      window_end_ = snd_nxt;
      window_valid_ = true;
    }
  }
  // Linux's tcp_is_cwnd_limited: cwnd was full this window; or, in slow start, cwnd is still below twice
  // what was in flight (so slow start can keep doubling past a flight the application did fill).
  bool is_cwnd_limited(std::uint32_t cwnd, std::uint32_t ssthresh) const {
    if (cwnd_limited_) return true;
    if (cwnd < ssthresh) return cwnd < 2 * static_cast<std::uint64_t>(max_flight_bytes_);
    return false;
  }
  std::uint32_t max_flight_bytes() const { return max_flight_bytes_; }

 private:
  bool cwnd_limited_ = false;
  std::uint32_t max_flight_bytes_ = 0;
  SeqNum window_end_;
  bool window_valid_ = false;
};

}  // namespace wirestep
