#include "sim/tcp/recovery/frto.hpp"

namespace wirestep {

bool Frto::on_timeout(SeqNum snd_una, SeqNum snd_max, std::uint32_t cwnd, std::uint32_t ssthresh) {
  // RFC 5682 §3 step 1: already in RTO recovery (recover >= SND.UNA): remember the new highest sequence
  // number and continue conventionally; an earlier F-RTO still waiting is over too.
  const bool in_rto_recovery = recover_ && *recover_ >= snd_una;
  recover_ = snd_max;
  if (in_rto_recovery) {
    step_ = Step::Off;
    return false;
  }
  prior_cwnd_ = cwnd;
  prior_ssthresh_ = ssthresh;
  step_ = Step::AwaitNewAck;
  return true;
}

FrtoVerdict Frto::on_ack(SeqNum ack, bool advanced, bool sacked_original) {
  switch (step_) {
    case Step::Off:
      return FrtoVerdict::Conventional;
    case Step::AwaitNewAck:
      // RFC 5682 §3 step 2: duplicate ACKs only update the scoreboard until the retransmission is ACKed.
      if (!advanced) return FrtoVerdict::Wait;
      // Step 2a: everything up to `recover` acknowledged: nothing left to judge by, stay conventional.
      if (ack >= *recover_) {
        step_ = Step::Off;
        return FrtoVerdict::Conventional;
      }
      step_ = Step::AwaitSecondAck;  // step 2b
      return FrtoVerdict::SendNewData;
    case Step::AwaitSecondAck:
      step_ = Step::Off;
      // Step 3b (with RFC 4138 Appendix B's SACK rule): an acknowledgment for data sent before the
      // timeout and never retransmitted: that data was not lost, so the timeout was spurious.
      if (advanced || sacked_original) {
        recover_.reset();  // not in RTO recovery after all
        return FrtoVerdict::Spurious;
      }
      return FrtoVerdict::Conventional;  // step 3a: a duplicate ACK that SACKs nothing original
  }
  return FrtoVerdict::Conventional;
}

}  // namespace wirestep
