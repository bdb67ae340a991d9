// F-RTO (RFC 5682): after a retransmission timeout, tell a spurious timeout (the segment was delayed, not
// lost) from a real one by what the next two ACKs acknowledge, instead of resending the whole window in
// slow start. The SACK-enhanced variant (RFC 5682 §3), which Linux runs by default (tcp_frto = 2) when
// SACK was negotiated. A pure component: the connection reports timeouts and ACKs and acts on the verdict;
// on a spurious timeout it restores the cwnd and ssthresh it had before (Linux's tcp_try_undo_loss).
#pragma once

#include <cstdint>
#include <optional>

#include "sim/tcp/seq_num.hpp"

namespace wirestep {

enum class FrtoVerdict : std::uint8_t {
  Wait,          // RFC 5682 §3 step 2: a duplicate ACK; keep waiting for the retransmission's ACK
  SendNewData,   // step 2b: send up to two new segments (even beyond cwnd), then judge the next ACK
  Conventional,  // steps 2a / 3a: the timeout was real; go on with slow-start retransmissions
  Spurious,      // step 3b: data never retransmitted arrived: restore cwnd and ssthresh
};

class Frto {
 public:
  // RFC 5682 §3 step 1, at a timeout with data outstanding, before the congestion control reduces: returns
  // whether F-RTO runs for it (not when the timeout falls in an RTO recovery still under way).
  bool on_timeout(SeqNum snd_una, SeqNum snd_max, std::uint32_t cwnd, std::uint32_t ssthresh);
  // Steps 2 and 3, for each ACK while F-RTO runs. `advanced`: the cumulative ACK moved; `sacked_original`:
  // the ACK SACKed data below `recover` sent before the timeout and not retransmitted since.
  FrtoVerdict on_ack(SeqNum ack, bool advanced, bool sacked_original);
  // Step 2b with nothing new to send (no data, or the peer's window is full): RFC 5682 §3 recommends
  // continuing as a conventional recovery.
  void no_new_data() { step_ = Step::Off; }
  void stop() { step_ = Step::Off; }

  bool active() const { return step_ != Step::Off; }
  bool awaiting_second_ack() const { return step_ == Step::AwaitSecondAck; }
  std::uint32_t prior_cwnd() const { return prior_cwnd_; }
  std::uint32_t prior_ssthresh() const { return prior_ssthresh_; }
  std::optional<SeqNum> recover() const { return recover_; }

 private:
  enum class Step : std::uint8_t { Off, AwaitNewAck, AwaitSecondAck };
  Step step_ = Step::Off;
  std::optional<SeqNum> recover_;  // RFC 5682 §3: the highest sequence number sent when the timer expired
  std::uint32_t prior_cwnd_ = 0;
  std::uint32_t prior_ssthresh_ = 0;
};

}  // namespace wirestep
