// Slow start, congestion avoidance, fast retransmit and fast recovery (RFC 5681) with NewReno's
// partial-ACK handling (RFC 6582). Byte counting; cwnd and ssthresh in bytes.
#pragma once

#include <algorithm>

#include "sim/tcp/congestion/congestion_control.hpp"

namespace wirestep {

class NewReno final : public CongestionControl {
 public:
  NewReno(std::uint32_t mss, std::uint32_t initial_window_segments);

  std::string_view name() const override { return "newreno"; }
  CcDecision on_ack(const AckSample& a) override;
  void on_rto(std::uint32_t flight, SeqNum snd_nxt) override;
  void set_mss(std::uint32_t mss) override;
  bool in_recovery() const override { return in_recovery_; }
  // RFC 5681 §3.2 equation (4) for a loss the SACK scoreboard or RACK found (RFC 6675 §5 step 4.2).
  void on_congestion_event(std::uint32_t flight) override { ssthresh_ = std::max(flight / 2, 2 * mss_); }

 private:
  std::uint32_t mss_;
  std::uint32_t iw_segments_;
  bool in_recovery_ = false;
  SeqNum recover_;  // RFC 6582 §3.2: highest sequence number sent when recovery began
  bool recover_valid_ = false;
};

}  // namespace wirestep
