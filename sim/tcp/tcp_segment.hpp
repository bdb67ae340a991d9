// What the TCP state machine consumes and produces: typed segments, no bytes (wire format is elsewhere).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "sim/tcp/seq_num.hpp"
#include "sim/trace/trace.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {

struct TcpSegmentIn {
  SeqNum seq;
  SeqNum ack;
  std::uint8_t flags = 0;
  std::uint16_t window = 0;  // as on the wire (unscaled)
  wire::TcpOptions options;
  // The payload: bytes in memory, or (the simulator's receive path) a source that writes them straight into
  // the receive buffer, so a segment's bytes are copied once, not twice.
  std::span<const std::uint8_t> payload;
  using PayloadFill = void (*)(const void* context, std::uint32_t from, std::uint32_t n, std::uint8_t* out);
  PayloadFill fill = nullptr;  // when set, the payload is fill_len bytes written by fill
  const void* fill_context = nullptr;
  std::uint32_t fill_len = 0;
  std::uint32_t len() const { return fill ? fill_len : static_cast<std::uint32_t>(payload.size()); }
  // Writes payload bytes [from, from + n) to out.
  void copy_payload(std::uint32_t from, std::uint32_t n, std::uint8_t* out) const {
    if (fill)
      fill(fill_context, from, n, out);
    else
      std::copy_n(payload.begin() + from, n, out);
  }
  // RFC 9293 §3.4: SYN and FIN each occupy one sequence number.
  std::uint32_t seg_len() const {
    return len() + ((flags & wire::tcp_flag::kSyn) ? 1 : 0) + ((flags & wire::tcp_flag::kFin) ? 1 : 0);
  }
  bool has(std::uint8_t f) const { return (flags & f) != 0; }
  // RFC 2018 §3: the SACK blocks this segment carries, a D-SACK block first (RFC 2883 §4); for the sender's
  // scoreboard.
  std::span<const wire::SackBlock> sack_blocks() const {
    return std::span<const wire::SackBlock>(options.sack).first(std::min<std::size_t>(options.sack_count, 4));
  }
};

struct TcpSegmentOut {
  SeqNum seq;
  SeqNum ack;
  std::uint8_t flags = 0;
  std::uint16_t window = 0;
  std::optional<wire::TcpOptions> options;
  std::uint32_t payload_len = 0;
  std::uint64_t stream_offset = 0;  // offset of the first payload byte in this direction's stream
  Cause cause = Cause::FirstTransmission;
};

}  // namespace wirestep
