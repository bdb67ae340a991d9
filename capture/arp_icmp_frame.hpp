// What the frame decoder (capture_reader.cpp) does with the two kinds of packet that are neither TCP nor UDP
// but that a network lesson needs: ARP frames (RFC 826) become packets of an "arp" flow between sender and
// target address, ICMP/ICMPv6 messages packets of an "icmp" flow between the two addresses, with the
// message's fields and the flow of the packet an error quotes.
#pragma once

#include <optional>

#include "capture/link_layer.hpp"
#include "sim/analysis/flow_lookup.hpp"
#include "sim/analysis/frame_info.hpp"
#include "sim/core/result.hpp"
#include "sim/trace/trace.hpp"
#include "sim/wire/icmp.hpp"

namespace wirestep {

// The record of an ICMP message decode_ip_packet decoded, its quoted packet linked to that packet's flow
// when the Trace has it.
IcmpRecord icmp_record(const wire::IcmpMessage& m, const Trace& trace);

// For a frame that carries no IP: when it carries ARP, decodes it into `rec` (flow, direction, fields) and
// `info` and returns true. An Ethernet/IPv4 ARP packet cut short (or one too short to say what it is) sets
// `error` (byte offset in the frame, reason) and returns false, so the frame stays a non-IP frame, marked
// malformed; ARP for other hardware or protocols returns false without an error.
bool take_arp_frame(LinkKind link, wire::Bytes frame, FlowLookup& flows, PacketRecord& rec, FrameInfo& info,
                    std::optional<Error>& error);

}  // namespace wirestep
