// The frame most captures are made of — Ethernet II or raw IP, IPv4 without options, not a fragment, a
// complete TCP header without SYN (SYNs keep their options, which the general decoder parses) or a UDP
// header — read straight into the fields the loader keeps. Anything else, and anything malformed, returns
// false and goes through the general decoder (sim/wire/packet.hpp), so the result never differs: a test
// loads every corpus file both ways and compares the Traces.
//
// Why: the general decoder builds a DecodedPacket (addresses widened to IPv6, every TCP option parsed, an
// error string ready) for every frame; on a million-frame capture that was a third of the load time.
#pragma once

#include <cstdint>

#include "capture/link_layer.hpp"
#include "sim/trace/trace.hpp"
#include "sim/wire/bytes.hpp"

namespace wirestep {

struct CommonFrame {
  std::uint32_t src = 0, dst = 0;  // IPv4 addresses, host order
  std::uint16_t sport = 0, dport = 0;
  Transport proto = Transport::Other;
  std::uint16_t ip_id = 0;
  std::uint8_t ttl = 0;
  std::uint8_t tcp_flags = 0;
  std::uint32_t seq = 0, ack = 0;
  std::uint16_t window = 0;
  std::uint32_t payload_len = 0;  // as the headers claim it (the capture may hold fewer bytes)
  bool bad_checksum = false;      // the IPv4 header's, or the transport's when every byte was captured
};

// `wire_len`: the frame's length on the wire (the record's original length).
bool decode_common_frame(LinkKind link, wire::Bytes frame, std::uint32_t wire_len, CommonFrame& out);

}  // namespace wirestep
