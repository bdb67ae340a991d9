// Link layers a capture file can use (libpcap DLT values) and where the IP packet starts in a frame of each.
// Read first: https://www.tcpdump.org/linktypes.html (LINKTYPE_* ↔ DLT_*), the Linux cooked-capture pages
// for SLL (linktype_linux_sll.html) and SLL2 (linktype_linux_sll2.html), and IEEE 802.1Q for VLAN tags.
// Between the link header and the IP packet, VLAN tags, PPPoE sessions, MPLS stacks and tunnels (GRE, IP in
// IP, 6in4, VXLAN) are walked by wire::walk_encapsulation (sim/wire/encapsulation.hpp), and the innermost IP
// packet is the one analysed. Other link types and payloads are "other" frames: counted and kept, never
// dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "sim/core/result.hpp"
#include "sim/wire/bytes.hpp"

namespace wirestep {

enum class LinkKind : std::uint8_t {
  Ethernet,   // DLT_EN10MB: Ethernet II, 802.1Q / 802.1ad tags skipped
  LinuxSll,   // DLT_LINUX_SLL: 16-byte cooked header, protocol at offset 14
  LinuxSll2,  // DLT_LINUX_SLL2: 20-byte cooked header, protocol at offset 0
  RawIp,      // DLT_RAW (12, 14 on OpenBSD, LINKTYPE_RAW 101): IPv4 or IPv6, told apart by the version nibble
  RawIpv4,    // LINKTYPE_IPV4 (228)
  RawIpv6,    // LINKTYPE_IPV6 (229)
  Null,       // DLT_NULL: 4-byte address family in the capturing host's byte order
  Loop,       // DLT_LOOP: the same family value, in network byte order
  Unsupported,
};

LinkKind link_kind_for_dlt(int dlt);
bool link_supported(int dlt);

// Where the IP packet starts in a frame: an offset, nothing (the frame carries something other than IP,
// e.g. ARP or an unsupported link type), or an Error whose `where` is "byte N" of the frame (malformed link
// header).
Result<std::optional<std::size_t>> locate_ip_packet(LinkKind link, wire::Bytes frame);

// The same, for a frame `wire_len` bytes long on the wire (length fields are checked against it), also
// saying whether the packet was reached through a tunnel.
struct LocatedPacket {
  std::optional<std::size_t> ip_offset;
  bool tunnelled = false;
};
Result<LocatedPacket> locate_inner_ip_packet(LinkKind link, wire::Bytes frame, std::size_t wire_len);

// Where an ARP packet (EtherType 0x0806, RFC 826) starts in a frame that carries one: after the Ethernet
// header and any VLAN tags, or a Linux cooked header. Nothing for every other frame.
std::optional<std::size_t> locate_arp(LinkKind link, wire::Bytes frame);

}  // namespace wirestep
