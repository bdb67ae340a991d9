// Proportional Rate Reduction (RFC 6937 §3): how much to send on each ACK during loss recovery, so that
// the window comes down to ssthresh smoothly (spread over the ACKs of one round trip) instead of all at
// once (RFC 6675 would stop sending for half a round trip) or not at all (RFC 6582 inflation bursts).
// A pure component in bytes: the connection gives it each ACK's DeliveredData and the pipe (RFC 6675
// SetPipe, sack_scoreboard.hpp) and reports what it sent; cwnd during recovery is pipe + sndcnt.
#pragma once

#include <cstdint>

namespace wirestep {

// RFC 6937 §3: the two reduction bounds used once pipe has fallen to ssthresh or below.
enum class PrrBound : std::uint8_t {
  Conservative,  // PRR-CRB: strict packet conservation, never more than was delivered
  SlowStart,     // PRR-SSRB: may exceed what was delivered by one MSS per ACK (the RFC's and Linux's choice)
};

class Prr {
 public:
  explicit Prr(std::uint32_t mss, PrrBound bound = PrrBound::SlowStart);

  // RFC 6937 §3 at the beginning of recovery: ssthresh from the congestion control, RecoverFS =
  // snd.nxt − snd.una, and nothing delivered or sent yet.
  void start(std::uint32_t ssthresh, std::uint32_t recover_fs);
  // RFC 6937 §3 on every ACK during recovery: returns sndcnt, the bytes that may be sent now.
  // `safe_ack`: the ACK advanced SND.UNA and revealed no new loss. Only then does PRR-SSRB add its extra
  // MSS (Linux's tcp_cwnd_reduction); RFC 6937 §3 adds it on every ACK, which is `true` always.
  std::uint32_t on_ack(std::uint32_t delivered_data, std::uint32_t pipe, bool safe_ack = true);
  // Every byte sent (new or retransmitted) while recovering counts in prr_out.
  void on_sent(std::uint32_t bytes) { prr_out_ += bytes; }

  std::uint64_t prr_delivered() const { return prr_delivered_; }
  std::uint64_t prr_out() const { return prr_out_; }
  std::uint32_t recover_fs() const { return recover_fs_; }
  std::uint32_t ssthresh() const { return ssthresh_; }

 private:
  std::uint32_t mss_;
  PrrBound bound_;
  std::uint32_t ssthresh_ = 0;
  std::uint32_t recover_fs_ = 1;
  std::uint64_t prr_delivered_ = 0;
  std::uint64_t prr_out_ = 0;
};

}  // namespace wirestep
