#include "sim/analysis/tcp_end_state.hpp"

#include "sim/tcp/seq_num.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {

std::string_view to_string(const TcpEndState& s) {
  return s ? to_string(*s) : "unknown";
}

void TcpEndStates::on_segment(int dir, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack,
                              std::uint32_t len) {
  namespace tf = wire::tcp_flag;
  const int me = dir & 1, peer = me ^ 1;
  TcpEndState& mine = state_[me];
  TcpEndState& theirs = state_[peer];

  // RFC 9293 §3.10.7: an acceptable RST closes the connection at both ends.
  if (flags & tf::kRst) {
    mine = theirs = TcpState::Closed;
    return;
  }
  if ((flags & (tf::kSyn | tf::kAck)) == tf::kSyn) {
    mine = TcpState::SynSent;
    if (!theirs || theirs == TcpState::Closed) theirs = TcpState::Listen;
    return;
  }
  if ((flags & (tf::kSyn | tf::kAck)) == (tf::kSyn | tf::kAck)) {
    mine = TcpState::SynReceived;
    if (!theirs) theirs = TcpState::SynSent;
    return;
  }
  // Joined mid-connection: both ends were established already.
  if (!mine) mine = TcpState::Established;
  if (!theirs) theirs = TcpState::Established;

  if (flags & tf::kAck) {
    // The ACK of a SYN-ACK completes the handshake (RFC 9293 §3.5, Figure 6).
    if (mine == TcpState::SynSent && theirs == TcpState::SynReceived) mine = TcpState::Established;
    if (theirs == TcpState::SynReceived) theirs = TcpState::Established;
    // The ACK of the peer's FIN.
    if (fin_sent_[peer] && SeqNum(ack) >= SeqNum(fin_end_[peer])) {
      if (theirs == TcpState::FinWait1)
        theirs = TcpState::FinWait2;
      else if (theirs == TcpState::Closing)
        theirs = TcpState::TimeWait;
      else if (theirs == TcpState::LastAck)
        theirs = TcpState::Closed;
    }
  }
  if ((flags & tf::kFin) && !fin_sent_[me]) {
    fin_sent_[me] = true;
    fin_end_[me] = seq + len + 1;
    if (mine == TcpState::Established || mine == TcpState::SynReceived)
      mine = TcpState::FinWait1;
    else if (mine == TcpState::CloseWait)
      mine = TcpState::LastAck;
    // The peer receives the FIN.
    if (theirs == TcpState::Established)
      theirs = TcpState::CloseWait;
    else if (theirs == TcpState::FinWait1)
      theirs = TcpState::Closing;
    else if (theirs == TcpState::FinWait2)
      theirs = TcpState::TimeWait;
  }
}

}  // namespace wirestep
