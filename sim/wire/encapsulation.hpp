// The headers between a frame's link header and the IP packet it carries: VLAN tags, PPPoE sessions, MPLS
// label stacks and tunnels (GRE, IP in IP, 6in4, VXLAN), walked one bounds-checked step at a time. The
// capture loader asks where the innermost IP packet starts; the inspector asks for every layer on the way.
// Read first: RFC 2516 §4 (PPPoE session), RFC 3032 §2.1 (MPLS label stack entry), RFC 2784 §2 and RFC 2890
// §2 (GRE and its key and sequence fields), RFC 2003 §3 (IPv4 in IPv4), RFC 4213 §3.5 (IPv6 in IPv4), RFC
// 7348 §5 (VXLAN), IEEE 802.1Q / 802.1ad (VLAN tags).
// Limits: at most kMaxTunnelLevels nested tunnels; GRE version 1 (PPTP) and RFC 1701 routing, PPP other than
// IPv4/IPv6, MPLS pseudowires and IPv6 extension headers before a tunnel are not walked into: the last IP
// packet that could be read stands as the packet (as before tunnels were decoded).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "sim/core/result.hpp"
#include "sim/wire/bytes.hpp"

namespace wirestep::wire {

inline constexpr std::uint16_t kEtherTypePppoeSession = 0x8864;  // RFC 2516 §4
inline constexpr std::uint16_t kEtherTypeMplsUnicast = 0x8847;   // RFC 3032 §5
inline constexpr std::uint16_t kEtherTypeMplsMulticast = 0x8848;
inline constexpr std::uint16_t kEtherTypeTransparentBridging = 0x6558;  // Ethernet inside GRE
inline constexpr std::uint16_t kPppProtocolIpv4 = 0x0021;               // RFC 1332 §2
inline constexpr std::uint16_t kPppProtocolIpv6 = 0x0057;               // RFC 5072 §3
inline constexpr std::uint8_t kIpProtoIpInIp = 4;                       // RFC 2003 §3
inline constexpr std::uint8_t kIpProtoIpv6InIp = 41;                    // RFC 4213 §3.5
inline constexpr std::uint8_t kIpProtoGre = 47;                         // RFC 2784 §2
inline constexpr std::uint16_t kVxlanUdpPort = 4789;                    // RFC 7348 §5 (IANA)
inline constexpr std::size_t kPppoeHeaderLen = 6;
inline constexpr std::size_t kVxlanHeaderLen = 8;
inline constexpr std::size_t kMplsEntryLen = 4;

// Nested tunnels (PPPoE, an MPLS stack, an IP header carrying a tunnel and GRE each count one) before the
// frame is called malformed: real networks nest two or three; a crafted frame must not walk forever.
inline constexpr std::size_t kMaxTunnelLevels = 8;

enum class EncapKind : std::uint8_t {
  Ethernet,      // 14 bytes: destination, source, type
  VlanTag,       // 4 bytes after the type that announced it: TCI, then the next type
  PppoeSession,  // 8 bytes: version/type, code, session id, length, PPP protocol
  Mpls,          // the whole label stack, 4 bytes per entry
  OuterIpv4,     // an IPv4 header whose payload is a tunnel (the header only, options included)
  OuterIpv6,     // a fixed 40-byte IPv6 header whose next header is a tunnel
  Gre,           // 4 to 16 bytes, depending on the C, K and S flags
  VxlanUdp,      // the UDP header in front of VXLAN
  Vxlan,         // 8 bytes: flags, VNI
};

struct EncapLayer {
  EncapKind kind = EncapKind::Ethernet;
  std::uint32_t offset = 0;  // in the frame
  std::uint32_t length = 0;
};

// Room for the deepest walk: three layers of outer Ethernet, then per level at most an IP header, a VXLAN's
// UDP and VXLAN headers and an inner Ethernet with two tags.
inline constexpr std::size_t kMaxEncapLayers = 3 + kMaxTunnelLevels * 6;

struct Encapsulation {
  std::array<EncapLayer, kMaxEncapLayers> layers{};
  std::size_t count = 0;
  std::optional<std::size_t> ip_offset;  // the innermost IP packet; empty when the frame carries no IP
  std::size_t tunnels = 0;               // tunnel levels crossed to reach ip_offset (0: directly on the link)
  std::optional<Error> error;            // a malformed layer: `where` is "byte N" of the frame
};

// Where the walk begins: an Ethernet header, an EtherType already read (a cooked capture's protocol field),
// or an IP header.
enum class EncapStart : std::uint8_t { Ethernet, EtherType, Ip };

// Walks `frame` from `offset`. `wire_len` is the frame's length on the wire (at least frame.size()), so a
// length field is checked against what was sent rather than what the snapshot length kept. Layers read
// before an error stay in the result.
Encapsulation walk_encapsulation(Bytes frame, std::size_t wire_len, EncapStart start, std::size_t offset = 0,
                                 std::uint16_t ether_type = 0);

}  // namespace wirestep::wire
