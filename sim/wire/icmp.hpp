// ICMP for IPv4 (RFC 792) and IPv6 (RFC 4443): echo request/reply, the error messages (destination
// unreachable, packet too big / fragmentation needed, time exceeded, parameter problem) with the original
// packet they quote decoded into its addresses and ports, and IPv6 neighbour solicitation/advertisement
// (RFC 4861 §4.3, §4.4) as far as type and target. Checksums: RFC 792 over the message, RFC 4443 §2.3 with
// the IPv6 pseudo-header.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/core/result.hpp"
#include "sim/wire/bytes.hpp"
#include "sim/wire/ip_addr.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep::wire {

inline constexpr std::uint8_t kIpProtoIcmpv6 = 58;
inline constexpr std::size_t kIcmpHeaderLen = 8;  // type, code, checksum, 4 bytes that depend on the type

namespace icmp4 {  // RFC 792 message types
inline constexpr std::uint8_t kEchoReply = 0;
inline constexpr std::uint8_t kDestinationUnreachable = 3;  // codes 0 net .. 5 source route; 13 RFC 1812
inline constexpr std::uint8_t kSourceQuench = 4;
inline constexpr std::uint8_t kRedirect = 5;
inline constexpr std::uint8_t kEchoRequest = 8;
inline constexpr std::uint8_t kTimeExceeded = 11;
inline constexpr std::uint8_t kParameterProblem = 12;
inline constexpr std::uint8_t kCodeFragmentationNeeded = 4;  // RFC 1191 §4: next-hop MTU in bytes 6-7
}  // namespace icmp4

namespace icmp6 {  // RFC 4443 §2.1, RFC 4861 §4
inline constexpr std::uint8_t kDestinationUnreachable = 1;
inline constexpr std::uint8_t kPacketTooBig = 2;
inline constexpr std::uint8_t kTimeExceeded = 3;
inline constexpr std::uint8_t kParameterProblem = 4;
inline constexpr std::uint8_t kEchoRequest = 128;
inline constexpr std::uint8_t kEchoReply = 129;
inline constexpr std::uint8_t kNeighborSolicitation = 135;
inline constexpr std::uint8_t kNeighborAdvertisement = 136;
}  // namespace icmp6

// How much of the original packet an error message quotes could be read.
enum class QuoteState : std::uint8_t {
  Complete,            // the IP header and at least 8 bytes of what followed (RFC 792: "64 bits")
  TransportTruncated,  // the IP header, but fewer than 8 bytes after it: ports may be missing
  Unreadable,          // not even an IP header: no addresses
};
std::string_view to_string(QuoteState s);  // "complete", "truncated: ...", for errors and JSON

// The original packet an ICMP error quotes (its header, as the sender of that packet sent it).
struct IcmpQuote {
  IpAddr src;
  IpAddr dst;
  std::uint8_t protocol = 0;
  bool has_ports = false;  // TCP or UDP with the first 4 bytes of its header present
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  QuoteState state = QuoteState::Complete;
  bool operator==(const IcmpQuote&) const = default;
};

struct IcmpMessage {
  bool v6 = false;
  std::uint8_t type = 0;
  std::uint8_t code = 0;
  std::uint16_t checksum = 0;
  std::uint32_t rest = 0;           // bytes 4-7: identifier and sequence (echo), MTU, pointer or gateway
  std::optional<bool> checksum_ok;  // unknown when the capture holds fewer bytes than the message
  std::optional<IcmpQuote> quote;   // error messages only
  std::optional<IpAddr> target;     // neighbour solicitation and advertisement (RFC 4861 §4.3, §4.4)
  std::size_t body_offset = kIcmpHeaderLen;  // after the 8-byte header, relative to the message
  std::size_t body_len = 0;                  // as the IP header claims it

  bool is_echo() const;
  bool is_error() const;  // quotes an original packet
  std::uint16_t id() const { return static_cast<std::uint16_t>(rest >> 16); }
  std::uint16_t seq() const { return static_cast<std::uint16_t>(rest); }
  // RFC 1191 §4 (IPv4 fragmentation needed) or RFC 4443 §3.2 (IPv6 packet too big); nullopt otherwise.
  std::optional<std::uint32_t> mtu() const;
  bool operator==(const IcmpMessage&) const = default;
};

// `message` holds the bytes captured from the ICMP header on; `claimed_len` is the length the IP header
// gives (the checksum is verified only when all of it is present). `ph` is the IPv6 pseudo-header (its
// length is taken from `claimed_len`); ignored for IPv4. Errors name the byte and the reason.
Result<IcmpMessage> decode_icmp(Bytes message, std::size_t claimed_len, bool v6, const PseudoHeader& ph = {});

// Appends an ICMPv4 message (8-byte header + body) with its checksum.
void encode_icmpv4(std::uint8_t type, std::uint8_t code, std::uint32_t rest, Bytes body,
                   std::vector<std::uint8_t>& out);
// Appends an ICMPv6 message with its checksum over the pseudo-header (`ph.length` is computed).
void encode_icmpv6(const PseudoHeader& ph, std::uint8_t type, std::uint8_t code, std::uint32_t rest,
                   Bytes body, std::vector<std::uint8_t>& out);
// What an error message quotes of `original` (an IP packet): RFC 792, the IP header and the first 8 bytes
// of its data; RFC 4443 §2.4 (c) as much as fits in the minimum IPv6 MTU of 1280 bytes.
Bytes icmp_quote_of(Bytes original);

}  // namespace wirestep::wire
