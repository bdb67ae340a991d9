// The eleven connection states of RFC 9293 §3.3.2, printed as the RFC spells them.
#pragma once

#include <cstdint>
#include <string_view>

namespace wirestep {

enum class TcpState : std::uint8_t {
  Closed,
  Listen,
  SynSent,
  SynReceived,
  Established,
  FinWait1,
  FinWait2,
  CloseWait,
  Closing,
  LastAck,
  TimeWait,
};

constexpr std::string_view to_string(TcpState s) {
  switch (s) {
    case TcpState::Closed:
      return "CLOSED";
    case TcpState::Listen:
      return "LISTEN";
    case TcpState::SynSent:
      return "SYN-SENT";
    case TcpState::SynReceived:
      return "SYN-RECEIVED";
    case TcpState::Established:
      return "ESTABLISHED";
    case TcpState::FinWait1:
      return "FIN-WAIT-1";
    case TcpState::FinWait2:
      return "FIN-WAIT-2";
    case TcpState::CloseWait:
      return "CLOSE-WAIT";
    case TcpState::Closing:
      return "CLOSING";
    case TcpState::LastAck:
      return "LAST-ACK";
    case TcpState::TimeWait:
      return "TIME-WAIT";
  }
  return "?";
}

// RFC 9293 §3.3.2: states after the handshake in which both sides' sequence numbers are known.
constexpr bool is_synchronized(TcpState s) {
  return s != TcpState::Closed && s != TcpState::Listen && s != TcpState::SynSent &&
         s != TcpState::SynReceived;
}

}  // namespace wirestep
