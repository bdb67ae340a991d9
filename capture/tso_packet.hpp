// A TCP super-packet captured on the sending host before the NIC segmented it (TSO/GSO, and Linux "BIG TCP"
// above 64 KiB): IPv4 total length 0, the real length being the frame's. Wireshark decodes these (its "TSO"
// case); the shared decoder rightly calls a zero total length malformed, so the capture loader and the
// frame re-readers (Follow stream) recognise them here, in one place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "sim/wire/bytes.hpp"
#include "sim/wire/packet.hpp"

namespace wirestep {

// The packet at `ip_offset` of `frame` when it is such a super-packet (IPv4, total length 0, not a fragment,
// TCP with a complete header); its payload runs to `wire_len`. nullopt for anything else.
std::optional<wire::DecodedPacket> decode_ipv4_tso(wire::Bytes frame, std::size_t ip_offset,
                                                   std::uint32_t wire_len);

}  // namespace wirestep
