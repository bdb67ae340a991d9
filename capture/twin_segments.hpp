// The TCP segments of a twin run's pcap, in the terms `wirestep twin` compares (capture/twin_compare.hpp):
// which host sent it to which, flags, sequence and acknowledgement numbers relative to each side's ISN,
// payload length, the kinds of options carried, and the window scaled by the sender's shift. Both the
// simulated run (exported with write_pcap) and the real one (captured on the bridge) are read here, through
// the same decoder, so neither side gets a different reading.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "capture/twin_repair_kind.hpp"
#include "sim/core/result.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep {

struct TwinSegment {
  std::uint64_t frame = 0;   // 1-based, in its pcap
  std::int64_t time_ns = 0;  // since the file's first frame
  std::string from, to;      // host names (addresses when no host has them)
  std::uint8_t flags = 0;
  std::uint32_t seq = 0;  // relative to the sender's ISN when its SYN was seen (seq_relative), else raw
  std::uint32_t ack = 0;  // relative to the receiver's ISN when its SYN was seen; 0 without ACK
  bool seq_relative = false;
  bool ack_relative = false;
  std::uint32_t len = 0;
  // RFC 7323 §2.3: the window field shifted by the sender's scale, once both SYNs offered scaling; SYNs
  // themselves are never scaled.
  std::uint32_t window = 0;
  std::vector<std::uint8_t> option_kinds;  // in header order, without NOP and EOL padding
  // RFC 2018 §3: the SACK blocks, relative to the same ISN as `ack` (the data sender's); empty without.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sack_blocks;
  // Why a retransmitted data segment was sent, read from the segments around it (capture/twin_repair.hpp);
  // None for everything else.
  RepairKind repair = RepairKind::None;
};

using TwinHostNames = std::vector<std::pair<wire::Ipv4Addr, std::string>>;

// Reads every TCP segment of a pcap/pcapng file. Errors name the file, the frame and the reason; frames that
// carry no TCP are skipped.
Result<std::vector<TwinSegment>> read_twin_segments(const std::string& path, const TwinHostNames& hosts);

// The option kinds in a TCP header's option bytes, NOP and EOL left out; stops at a length that runs past
// the end (RFC 9293 §3.1: the option list may be shorter than the header, and must not be longer).
std::vector<std::uint8_t> tcp_option_kinds(const std::uint8_t* options, std::size_t length);

}  // namespace wirestep
