#include "sim/analysis/tcp_end_state.hpp"

#include "sim/tcp/seq_num.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {

std::string_view to_string(TcpEndState s) {
  switch (s) {
    case TcpEndState::Unknown:
      return "unknown";
    case TcpEndState::Listen:
      return "LISTEN";
    case TcpEndState::SynSent:
      return "SYN-SENT";
    case TcpEndState::SynReceived:
      return "SYN-RECEIVED";
    case TcpEndState::Established:
      return "ESTABLISHED";
    case TcpEndState::FinWait1:
      return "FIN-WAIT-1";
    case TcpEndState::FinWait2:
      return "FIN-WAIT-2";
    case TcpEndState::CloseWait:
      return "CLOSE-WAIT";
    case TcpEndState::Closing:
      return "CLOSING";
    case TcpEndState::LastAck:
      return "LAST-ACK";
    case TcpEndState::TimeWait:
      return "TIME-WAIT";
    case TcpEndState::Closed:
      return "CLOSED";
  }
  return "?";
}

void TcpEndStates::on_segment(int dir, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack,
                              std::uint32_t len) {
  namespace tf = wire::tcp_flag;
  const int me = dir & 1, peer = me ^ 1;
  TcpEndState& mine = state_[me];
  TcpEndState& theirs = state_[peer];

  // RFC 9293 §3.10.7: an acceptable RST closes the connection at both ends.
  if (flags & tf::kRst) {
    mine = theirs = TcpEndState::Closed;
    return;
  }
  if ((flags & (tf::kSyn | tf::kAck)) == tf::kSyn) {
    mine = TcpEndState::SynSent;
    if (theirs == TcpEndState::Unknown || theirs == TcpEndState::Closed) theirs = TcpEndState::Listen;
    return;
  }
  if ((flags & (tf::kSyn | tf::kAck)) == (tf::kSyn | tf::kAck)) {
    mine = TcpEndState::SynReceived;
    if (theirs == TcpEndState::Unknown) theirs = TcpEndState::SynSent;
    return;
  }
  // Joined mid-connection: both ends were established already.
  if (mine == TcpEndState::Unknown) mine = TcpEndState::Established;
  if (theirs == TcpEndState::Unknown) theirs = TcpEndState::Established;

  if (flags & tf::kAck) {
    // The ACK of a SYN-ACK completes the handshake (RFC 9293 §3.5, Figure 6).
    if (mine == TcpEndState::SynSent && theirs == TcpEndState::SynReceived) mine = TcpEndState::Established;
    if (theirs == TcpEndState::SynReceived) theirs = TcpEndState::Established;
    // The ACK of the peer's FIN.
    if (fin_sent_[peer] && SeqNum(ack) >= SeqNum(fin_end_[peer])) {
      if (theirs == TcpEndState::FinWait1)
        theirs = TcpEndState::FinWait2;
      else if (theirs == TcpEndState::Closing)
        theirs = TcpEndState::TimeWait;
      else if (theirs == TcpEndState::LastAck)
        theirs = TcpEndState::Closed;
    }
  }
  if ((flags & tf::kFin) && !fin_sent_[me]) {
    fin_sent_[me] = true;
    fin_end_[me] = seq + len + 1;
    if (mine == TcpEndState::Established || mine == TcpEndState::SynReceived)
      mine = TcpEndState::FinWait1;
    else if (mine == TcpEndState::CloseWait)
      mine = TcpEndState::LastAck;
    // The peer receives the FIN.
    if (theirs == TcpEndState::Established)
      theirs = TcpEndState::CloseWait;
    else if (theirs == TcpEndState::FinWait1)
      theirs = TcpEndState::Closing;
    else if (theirs == TcpEndState::FinWait2)
      theirs = TcpEndState::TimeWait;
  }
}

}  // namespace wirestep
