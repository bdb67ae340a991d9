// CUBIC (RFC 9438) with Linux's HyStart, in bytes with the MSS, driven by the time each ACK carries.
// The window follows W_cubic(t) = C·(t − K)^3 + W_max (RFC 9438 §4.2), never below the Reno-friendly
// estimate W_est (§4.3). Integer arithmetic only (time in ms inside the cubic), so every build and machine
// computes the same windows.
//
// Slow start exits through Linux's classic HyStart (tcp_cubic.c), not HyStart++ (RFC 9406): Linux 6.x
// ships the classic one and wirestep's linux profile is compared segment by segment with real Linux.
#pragma once

#include <cstdint>

#include "sim/core/time.hpp"
#include "sim/tcp/congestion/congestion_control.hpp"

namespace wirestep {

enum class HystartExit : std::uint8_t { None, AckTrain, DelayIncrease };

class Cubic final : public CongestionControl {
 public:
  Cubic(std::uint32_t mss, std::uint32_t initial_window_segments, bool hystart = true,
        bool fast_convergence = true);

  std::string_view name() const override { return "cubic"; }
  // Growth (slow start with HyStart, then §4.2-§4.5), and the dup-ACK path of today's connection: the
  // third duplicate is a congestion event (§4.6) repaired with RFC 6582 fast recovery.
  CcDecision on_ack(const AckSample& a) override;
  void on_rto(std::uint32_t flight, SeqNum snd_nxt) override;
  void set_mss(std::uint32_t mss) override;
  bool in_recovery() const override { return in_recovery_; }

  // For loss detection outside the dup-ACK count (RFC 6675 scoreboard, RACK): a congestion event at `now`
  // sets W_max (§4.7) and ssthresh = β·cwnd (§4.6) and leaves cwnd to PRR (RFC 6937), which then calls
  // set_cwnd on each ACK; end_reduction() sets cwnd = ssthresh when recovery ends.
  // CUBIC takes ssthresh from cwnd (§4.6), so `flight` is unused: the connection keeps cwnd honest
  // through congestion window validation.
  void on_congestion_event();
  void on_congestion_event(std::uint32_t) override { on_congestion_event(); }

  // What the algorithm holds, for tests and the Trace.
  std::uint32_t w_max() const { return w_max_; }
  std::uint32_t w_est() const { return w_est_; }
  SimDuration k() const { return SimDuration::millis(k_ms_); }
  bool in_epoch() const { return epoch_valid_; }
  HystartExit hystart_exit() const { return hystart_exit_; }
  SimDuration delay_min() const { return delay_min_; }
  // W_cubic(t) in bytes for the current epoch (RFC 9438 §4.2 Figure 1), t since the epoch began.
  std::uint32_t w_cubic(SimDuration t) const;

  static constexpr std::uint32_t kBetaTenths = 7;  // RFC 9438 §4.6: β_cubic = 0.7
  // RFC 9438 §4.2: C = 0.4 segments/s^3. Linux's HyStart constants (tcp_cubic.c):
  static constexpr std::uint32_t kHystartLowWindowSegments = 16;
  static constexpr int kHystartMinSamples = 8;
  static constexpr SimDuration kHystartAckDelta = SimDuration::millis(2);
  static constexpr SimDuration kHystartDelayMin = SimDuration::millis(4);
  static constexpr SimDuration kHystartDelayMax = SimDuration::millis(16);

 private:
  void grow(const AckSample& a);
  void congestion_avoidance(const AckSample& a, std::uint32_t acked);
  void start_epoch(SimTime now);
  void hystart_sample(const AckSample& a);
  void hystart_reset_round(SimTime now, SeqNum snd_nxt);

  std::uint32_t mss_;
  std::uint32_t iw_segments_;
  bool hystart_;
  bool fast_convergence_;

  bool in_recovery_ = false;
  SeqNum recover_;  // RFC 6582 §3.2: highest sequence number sent when recovery began
  bool recover_valid_ = false;
  bool rto_episode_ = false;  // a timeout reduced ssthresh and nothing beyond `recover_` is acknowledged yet

  // RFC 9438 §4.1 state.
  std::uint32_t w_max_ = 0;       // cwnd just before the last reduction (0: none yet)
  std::uint32_t cwnd_prior_ = 0;  // cwnd when ssthresh was last set (§4.3 α switch)
  std::uint32_t w_est_ = 0;       // Reno-friendly estimate (§4.3)
  std::uint64_t w_est_acc_ = 0;   // fractional part of W_est growth, in 1/(13·cwnd) bytes
  std::uint64_t cubic_acc_ = 0;   // fractional part of cubic growth, in 1/cwnd bytes
  bool epoch_valid_ = false;
  SimTime epoch_start_;
  SimTime last_ack_;
  std::int64_t k_ms_ = 0;
  std::uint32_t origin_ = 0;  // W_max of the epoch's curve (cwnd when K = 0, §4.8 / §4.10)

  // HyStart state (Linux names).
  HystartExit hystart_exit_ = HystartExit::None;
  SimDuration delay_min_;
  SimTime round_start_;
  SimTime last_train_ack_;
  SeqNum round_end_seq_;
  bool round_valid_ = false;
  SimDuration curr_rtt_;
  int sample_cnt_ = 0;
};

}  // namespace wirestep
