// One `>` line against what the simulated host sent: the fields packetdrill checks, in its order, and both
// packets in script notation for the message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/core/time.hpp"
#include "sim/packetdrill/script_ast.hpp"
#include "sim/packetdrill/script_runner.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep::packetdrill {

// A segment the host sent (several back-to-back segments merged into one TSO burst, see script_runner.hpp).
struct SentSegment {
  SimTime time;
  std::uint8_t flags = 0;
  std::uint32_t seq = 0;  // on the wire
  std::uint32_t ack = 0;
  std::uint32_t len = 0;
  std::uint16_t window = 0;
  wire::TcpOptions options;
};

// packetdrill's TS val remapping: the host's clock starts anywhere, so the script's TS vals of outbound
// packets are relative to the first TS val the host sent (offset = actual - script, learnt on that packet).
// The value is checked only when the script sets --tcp_ts_tick_usecs, within the time tolerance in ticks.
struct TsRemap {
  std::optional<std::uint32_t> offset;
  std::int64_t tick_usecs = 0;       // 0: TS val not checked
  std::int64_t tolerance_usecs = 0;  // --tolerance_usecs
};

// Script notation of a sent segment, its sequence numbers relative to the host's ISN.
std::string sent_to_string(const SentSegment& s, std::uint32_t iss);
// nullopt when it matches; otherwise the first field that differs, expected vs actual.
std::optional<Bilingual> compare_segment(const Packet& expected, const SentSegment& actual, std::uint32_t iss,
                                         bool compare_options = true, const TsRemap& ts = {});
// The peer's options as a `<` line writes them; SACK edges are in the host's sequence space.
wire::TcpOptions inbound_options(const Packet& p, std::uint32_t iss);

}  // namespace wirestep::packetdrill
