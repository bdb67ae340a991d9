// IPv6 header (RFC 8200) decode, skipping extension headers to reach the transport header.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/result.hpp"
#include "sim/wire/bytes.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep::wire {

inline constexpr std::size_t kIpv6HeaderLen = 40;

struct Ipv6Decoded {
  std::uint8_t traffic_class = 0;
  std::uint32_t flow_label = 0;
  std::uint16_t payload_length = 0;
  std::uint8_t hop_limit = 0;
  IpAddr src;
  IpAddr dst;
  std::uint8_t next_header = 0;       // the transport protocol after extension headers
  bool is_fragment = false;           // a Fragment header was present (RFC 8200 §4.5)
  std::uint16_t fragment_offset = 0;  // in 8-byte units; non-zero: no transport header follows
  IpAddr checksum_dst;  // RFC 8200 §8.1: the final destination when a Routing header is present, else dst
  std::size_t payload_offset = 0;  // start of the transport header
  std::size_t payload_len = 0;
  bool payload_truncated = false;
};

Result<Ipv6Decoded> decode_ipv6(Bytes packet);
// For symmetry with IPv4 (captures of our own live lab can be IPv6): a 40-byte fixed header.
void encode_ipv6(const Ipv6Decoded& h, std::size_t payload_len, std::vector<std::uint8_t>& out);

}  // namespace wirestep::wire
