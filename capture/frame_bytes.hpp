// Re-reads one captured frame's bytes from its file on demand (the inspector's hex view and header tree),
// given the offset the loader stored in the Trace (PacketRecord::payload_ref). The Trace never holds frame
// bytes; this is how a 10-million-packet capture stays within a laptop's memory.
//
// The record or block header in front of the offset says how long the frame is: a pcap record header (16
// bytes, 24 in the "modified" format) or a pcapng Enhanced/obsolete Packet Block (28 bytes) or Simple Packet
// Block (12 bytes). Every length is checked against the file before anything is read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/result.hpp"

namespace wirestep {

struct CapturedFrame {
  std::vector<std::uint8_t> bytes;  // as captured (may be shorter than on the wire)
  std::uint32_t wire_len = 0;       // length on the wire
};

Result<CapturedFrame> read_frame_bytes(const std::string& path, std::uint64_t offset);

}  // namespace wirestep
