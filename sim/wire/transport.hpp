// UDP (RFC 768) and TCP (RFC 9293 §3.1) headers, options (RFC 9293 §3.2, RFC 7323, RFC 2018), checksums
// over the pseudo-header. Wire code knows nothing about connections.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/core/result.hpp"
#include "sim/wire/bytes.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep::wire {

inline constexpr std::size_t kUdpHeaderLen = 8;
inline constexpr std::size_t kTcpMinHeaderLen = 20;

// The pseudo-header both checksums cover (RFC 768; RFC 9293 §3.1; RFC 8200 §8.1 for IPv6).
struct PseudoHeader {
  IpAddr src;
  IpAddr dst;
  std::uint8_t protocol = 0;
  std::uint32_t length = 0;  // transport header + payload
};

// Checksum field value for a transport segment (with its checksum field zeroed or not: pass `segment`
// as on the wire; a correct segment yields 0 from verify_transport_checksum).
std::uint16_t transport_checksum(const PseudoHeader& ph, Bytes segment);
bool verify_transport_checksum(const PseudoHeader& ph, Bytes segment);

struct UdpHeader {
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint16_t length = 0;  // header + payload, as on the wire
  std::uint16_t checksum = 0;
};

Result<UdpHeader> decode_udp(Bytes segment);
// Appends header + payload with length and checksum computed.
void encode_udp(const PseudoHeader& ph, std::uint16_t src_port, std::uint16_t dst_port, Bytes payload,
                std::vector<std::uint8_t>& out);

namespace tcp_flag {
inline constexpr std::uint8_t kFin = 0x01;
inline constexpr std::uint8_t kSyn = 0x02;
inline constexpr std::uint8_t kRst = 0x04;
inline constexpr std::uint8_t kPsh = 0x08;
inline constexpr std::uint8_t kAck = 0x10;
inline constexpr std::uint8_t kUrg = 0x20;
inline constexpr std::uint8_t kEce = 0x40;
inline constexpr std::uint8_t kCwr = 0x80;
}  // namespace tcp_flag

// "SYN,ACK" style, in the order tcpdump and Wireshark use.
std::string tcp_flags_to_string(std::uint8_t flags);

struct SackBlock {
  std::uint32_t left = 0;
  std::uint32_t right = 0;
  bool operator==(const SackBlock&) const = default;
};

struct TcpTimestamps {
  std::uint32_t value = 0;
  std::uint32_t echo_reply = 0;
  bool operator==(const TcpTimestamps&) const = default;
};

struct TcpOptions {
  std::optional<std::uint16_t> mss;          // RFC 9293 §3.7.1
  std::optional<std::uint8_t> window_scale;  // RFC 7323 §2
  bool sack_permitted = false;               // RFC 2018 §2
  std::optional<TcpTimestamps> timestamps;   // RFC 7323 §3
  std::uint8_t sack_count = 0;               // RFC 2018 §3: at most 4 blocks fit
  std::array<SackBlock, 4> sack{};
  bool operator==(const TcpOptions&) const = default;
  bool empty() const { return !mss && !window_scale && !sack_permitted && !timestamps && sack_count == 0; }
};

struct TcpHeader {
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint8_t header_len = 20;  // data offset * 4
  std::uint8_t flags = 0;
  std::uint16_t window = 0;  // as on the wire (unscaled)
  std::uint16_t checksum = 0;
  std::uint16_t urgent = 0;
  TcpOptions options;
  bool options_malformed = false;  // an option's length ran past the header; the rest were ignored
};

Result<TcpHeader> decode_tcp(Bytes segment);
// Appends header (with options padded to 4 bytes) + payload, checksum computed. header_len is derived.
void encode_tcp(const PseudoHeader& ph, const TcpHeader& h, Bytes payload, std::vector<std::uint8_t>& out);
std::size_t tcp_options_length(const TcpOptions& o);  // padded to a multiple of 4

}  // namespace wirestep::wire
