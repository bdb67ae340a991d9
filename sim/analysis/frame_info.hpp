// What the analysis needs to know about a packet beyond its Trace record: which frame of the file it was,
// its real capture time (the Trace clamps times to keep them in order), its length on the wire, and whether
// its TCP header was decoded completely. Captures fill it from the file; simulated traces from the record.
#pragma once

#include <cstdint>

#include "sim/trace/trace.hpp"

namespace wirestep {

struct FrameInfo {
  std::uint32_t packet = 0;    // index in the Trace
  std::uint32_t frame = 0;     // 1-based frame number in the file (Wireshark's frame.number)
  std::int64_t time_ns = 0;    // capture time in ns since the first frame; may go backwards, unlike the Trace
  std::uint32_t wire_len = 0;  // length on the wire (pcap "len"), headers included
  Transport proto = Transport::Other;
  // TCP only: the header was decoded and the segment is neither a fragment nor malformed, so its sequence
  // numbers can be analyzed (Wireshark skips analysis for fragments and segments without a full header).
  bool analyzable = false;
};

}  // namespace wirestep
