// The RFC 9293 state of each end of a TCP connection, as an observer of its segments can infer it (RFC 9293
// §3.3.2, Figure 5). An observer sees segments, not deliveries: a segment is assumed to arrive. Without the
// SYNs the connection is taken to be ESTABLISHED when first seen.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sim/tcp/tcp_state.hpp"

namespace wirestep {

// The state an observer infers for one end: the simulator's own RFC 9293 states (sim/tcp/tcp_state.hpp),
// or none before the end's first segment.
using TcpEndState = std::optional<TcpState>;
// As RFC 9293 spells the state ("SYN-SENT", "FIN-WAIT-1", ...), or "unknown" before it is inferred.
std::string_view to_string(const TcpEndState& s);

class TcpEndStates {
 public:
  // A segment sent by end `dir` (0 or 1).
  void on_segment(int dir, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t len);
  TcpEndState state(int dir) const { return state_[dir & 1]; }

 private:
  std::array<TcpEndState, 2> state_{};
  std::array<std::uint32_t, 2> fin_end_{};  // sequence number after each end's FIN
  std::array<bool, 2> fin_sent_{};
};

}  // namespace wirestep
