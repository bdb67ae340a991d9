// The inspector's rows for an ARP packet (RFC 826) and an ICMP / ICMPv6 message (RFC 792, RFC 4443, RFC 4861
// neighbour discovery), with the packet an ICMP error quotes: every field with its byte range, names and
// meanings in English and Chinese. Called by describe_frame (packet_fields.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/analysis/packet_fields.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {

// `o`: where the ARP header starts in the frame.
void arp_fields(std::span<const std::uint8_t> frame, std::size_t o, const FrameContext& ctx,
                std::vector<Field>& out);

// `o`: where the ICMP header starts; `claimed_len`: the message length the IP header gives; `ph`: the
// pseudo-header (addresses; used for the ICMPv6 checksum). `v6`: ICMPv6.
void icmp_fields(std::span<const std::uint8_t> frame, std::size_t o, std::size_t claimed_len, bool v6,
                 const wire::PseudoHeader& ph, const FrameContext& ctx, std::vector<Field>& out);

// "echo request" / "回显请求", "destination unreachable" / "目的不可达", ...; the code's meaning where it has
// one ("port unreachable"), else nullptr.
const char* icmp_type_name(bool v6, std::uint8_t type, bool chinese);
const char* icmp_code_name(bool v6, std::uint8_t type, std::uint8_t code, bool chinese);

}  // namespace wirestep
