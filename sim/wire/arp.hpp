// ARP (RFC 826) for Ethernet and IPv4, the only pairing IP hosts use: request ("who has target IP?") and
// reply ("sender IP is at sender MAC"). A length-checked decode naming what is wrong, and an encode for the
// simulator's hosts and for rebuilding a Trace packet's bytes.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/result.hpp"
#include "sim/wire/bytes.hpp"
#include "sim/wire/ethernet.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep::wire {

inline constexpr std::uint16_t kEtherTypeArp = 0x0806;
inline constexpr std::uint16_t kArpHardwareEthernet = 1;  // RFC 826 "ar$hrd": ares_hrd$Ethernet
inline constexpr std::size_t kArpEthernetIpv4Len = 28;    // 8 fixed bytes + 2 * (6 + 4)
inline constexpr MacAddr kBroadcastMac = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

enum class ArpOp : std::uint16_t { Request = 1, Reply = 2 };  // RFC 826 "ar$op"

struct ArpPacket {
  std::uint16_t op = 1;  // as on the wire: 1 request, 2 reply; other values are kept, not rejected
  MacAddr sender_mac{};  // ar$sha
  Ipv4Addr sender_ip;    // ar$spa
  MacAddr target_mac{};  // ar$tha: zero in a request (what is being asked for)
  Ipv4Addr target_ip;    // ar$tpa
  bool operator==(const ArpPacket&) const = default;
};

// `packet` starts at the ARP header (after the Ethernet type). Errors name the byte and the reason: too
// short, a hardware type other than Ethernet, a protocol other than IPv4, address lengths other than 6 and 4.
Result<ArpPacket> decode_arp(Bytes packet);
// Appends the 28-byte ARP packet (no Ethernet header).
void encode_arp_body(const ArpPacket& a, std::vector<std::uint8_t>& out);
// Appends an Ethernet frame carrying `a`: to the broadcast address for a request (RFC 826: "broadcast"), to
// the target for a reply; source is the sender. Padded to Ethernet's 60-byte minimum as senders do.
void encode_arp(const ArpPacket& a, std::vector<std::uint8_t>& out);

}  // namespace wirestep::wire
