// Congestion control as one interface with one file per algorithm (STYLE.md §1): NewReno and CUBIC
// (RFC 9438); SACK loss recovery, PRR and RACK-TLP are separate components in sim/tcp/recovery/. The
// connection detects duplicate ACKs and timeouts; the algorithm decides cwnd, ssthresh and when to
// retransmit.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/core/time.hpp"
#include "sim/tcp/seq_num.hpp"

namespace wirestep {

struct AckSample {
  std::uint32_t bytes_acked = 0;  // new data covered by this ACK (0 for a duplicate)
  bool duplicate = false;         // RFC 5681 §2 definition of a duplicate ACK
  std::uint32_t dup_acks = 0;     // consecutive duplicates so far, this one included
  SeqNum ack;                     // the cumulative ACK (new snd.una)
  SeqNum snd_nxt;
  std::uint32_t flight_before = 0;  // bytes outstanding before this ACK
  // What time-driven algorithms (CUBIC, HyStart) need; the defaults leave NewReno's arithmetic unchanged.
  SimTime now{};             // when the ACK arrived
  SimDuration rtt_sample{};  // RTT measured by this ACK (RFC 6298 §3, Karn), 0 when none
  SimDuration min_rtt{};     // the connection's minimum RTT so far, 0 when unknown
  bool app_limited = false;  // the sender did not fill cwnd (cwnd_validation.hpp): do not grow it
};

struct CcDecision {
  bool retransmit_head = false;  // send the first unacknowledged segment now (fast retransmit / partial ACK)
  bool entered_recovery = false;
};

class CongestionControl {
 public:
  virtual ~CongestionControl() = default;
  virtual std::string_view name() const = 0;
  virtual CcDecision on_ack(const AckSample& a) = 0;
  virtual void on_rto(std::uint32_t flight, SeqNum snd_nxt) = 0;
  // The MSS agreed in the handshake (smaller than ours when the peer announced less); before any data.
  virtual void set_mss(std::uint32_t mss) = 0;
  // Every algorithm keeps RFC 5681's two variables; read without a virtual call (the connection records them
  // after every segment).
  std::uint32_t cwnd() const { return cwnd_; }
  std::uint32_t ssthresh() const { return ssthresh_; }
  virtual bool in_recovery() const = 0;

  // For loss detected outside the dup-ACK count (RFC 6675 scoreboard, RACK-TLP): a congestion event sets
  // ssthresh (each algorithm its own rule) and leaves cwnd to PRR (RFC 6937), which sets it on every ACK
  // of the recovery; end_reduction() brings cwnd to ssthresh when the recovery ends (RFC 6937 §3).
  virtual void on_congestion_event(std::uint32_t flight) = 0;
  void set_cwnd(std::uint32_t cwnd_bytes) { cwnd_ = cwnd_bytes; }
  void end_reduction() { cwnd_ = ssthresh_; }
  // RFC 5681 §4.1 restart after idle (Linux tcp_cwnd_restart): both variables set by the connection.
  void restart_after_idle(std::uint32_t cwnd_bytes, std::uint32_t ssthresh_bytes) {
    cwnd_ = cwnd_bytes;
    ssthresh_ = ssthresh_bytes;
  }
  // A timeout found spurious (F-RTO, RFC 5682): RFC 5682 §4 leaves the response open; as Linux's
  // tcp_undo_cwnd_reduction, cwnd and ssthresh go back to at least what they were before it.
  void undo(std::uint32_t prior_cwnd, std::uint32_t prior_ssthresh) {
    if (cwnd_ < prior_cwnd) cwnd_ = prior_cwnd;
    if (ssthresh_ < prior_ssthresh) ssthresh_ = prior_ssthresh;
  }

 protected:
  std::uint32_t cwnd_ = 0;
  std::uint32_t ssthresh_ = 0;
};

}  // namespace wirestep
