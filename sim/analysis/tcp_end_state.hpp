// The RFC 9293 state of each end of a TCP connection, as an observer of its segments can infer it (RFC 9293
// §3.3.2, Figure 5). An observer sees segments, not deliveries: a segment is assumed to arrive. Without the
// SYNs the connection is taken to be ESTABLISHED when first seen.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace wirestep {

enum class TcpEndState : std::uint8_t {
  Unknown,
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
  Closed,
};
std::string_view to_string(TcpEndState s);  // as RFC 9293 spells them: "SYN-SENT", "FIN-WAIT-1", ...

class TcpEndStates {
 public:
  // A segment sent by end `dir` (0 or 1).
  void on_segment(int dir, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t len);
  TcpEndState state(int dir) const { return state_[dir & 1]; }

 private:
  std::array<TcpEndState, 2> state_{TcpEndState::Unknown, TcpEndState::Unknown};
  std::array<std::uint32_t, 2> fin_end_{};  // sequence number after each end's FIN
  std::array<bool, 2> fin_sent_{};
};

}  // namespace wirestep
