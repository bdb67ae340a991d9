// IPv4 header (RFC 791): decode with every length checked, encode with the header checksum filled in.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/result.hpp"
#include "sim/wire/bytes.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep::wire {

inline constexpr std::uint8_t kIpProtoIcmp = 1;
inline constexpr std::uint8_t kIpProtoTcp = 6;
inline constexpr std::uint8_t kIpProtoUdp = 17;
inline constexpr std::size_t kIpv4MinHeaderLen = 20;

struct Ipv4Header {
  std::uint8_t header_len = 20;  // bytes (IHL * 4)
  std::uint8_t tos = 0;
  std::uint16_t total_length = 0;
  std::uint16_t id = 0;
  bool dont_fragment = true;
  bool more_fragments = false;
  std::uint16_t fragment_offset = 0;  // in 8-byte units
  std::uint8_t ttl = 64;
  std::uint8_t protocol = kIpProtoUdp;
  std::uint16_t checksum = 0;
  Ipv4Addr src;
  Ipv4Addr dst;

  bool is_fragment() const { return more_fragments || fragment_offset != 0; }
};

struct Ipv4Decoded {
  Ipv4Header header;
  bool checksum_ok = true;
  // Bytes of the datagram after the header, limited by total_length (and by what was captured).
  std::size_t payload_offset = 0;
  std::size_t payload_len = 0;
  bool payload_truncated = false;  // the capture holds fewer bytes than total_length says
};

// `packet` starts at the IPv4 header.
Result<Ipv4Decoded> decode_ipv4(Bytes packet);
// Appends a 20-byte header; total_length and checksum are computed from `payload_len`.
void encode_ipv4(const Ipv4Header& h, std::size_t payload_len, std::vector<std::uint8_t>& out);

}  // namespace wirestep::wire
