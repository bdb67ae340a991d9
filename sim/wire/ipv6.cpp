#include "sim/wire/ipv6.hpp"

#include <string>

#include "sim/wire/byte_error.hpp"

namespace wirestep::wire {
namespace {

bool is_extension_header(std::uint8_t nh) {
  // Hop-by-hop, Routing, Fragment, Destination Options, Authentication, Mobility, HIP, Shim6.
  return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51 || nh == 135 || nh == 139 || nh == 140;
}
}  // namespace

Result<Ipv6Decoded> decode_ipv6(Bytes packet) {
  if (packet.size() < kIpv6HeaderLen)
    return byte_error(0, "IPv6 header truncated: " + std::to_string(packet.size()) + " of 40 bytes",
                      "IPv6 头部被截断：只有 " + std::to_string(packet.size()) + " 字节，应有 40 字节");
  const std::uint8_t version = packet[0] >> 4;
  if (version != 6)
    return byte_error(0, "IP version " + std::to_string(version) + " where 6 was expected",
                      "IP 版本号是 " + std::to_string(version) + "，这里应为 6");
  Ipv6Decoded d;
  const std::uint32_t first = load_be32(&packet[0]);
  d.traffic_class = static_cast<std::uint8_t>((first >> 20) & 0xFF);
  d.flow_label = first & 0xFFFFF;
  d.payload_length = load_be16(&packet[4]);
  d.next_header = packet[6];
  d.hop_limit = packet[7];
  d.src.v6 = d.dst.v6 = true;
  for (int i = 0; i < 16; ++i) {
    d.src.bytes[i] = packet[8 + i];
    d.dst.bytes[i] = packet[24 + i];
  }
  d.checksum_dst = d.dst;
  // Jumbograms (payload_length 0 with a Hop-by-Hop jumbo option) are taken as "to the end of the capture".
  const std::size_t end = d.payload_length == 0 ? packet.size() : kIpv6HeaderLen + d.payload_length;
  std::size_t pos = kIpv6HeaderLen;
  // Bounded: each extension header is at least 8 bytes, so at most (end - 40) / 8 of them fit.
  for (int guard = 0; is_extension_header(d.next_header) && guard < 64; ++guard) {
    if (pos + 8 > packet.size() || pos + 8 > end)
      return byte_error(pos, "IPv6 extension header truncated", "IPv6 扩展头部被截断");
    const std::uint8_t nh = packet[pos];
    std::size_t len;
    if (d.next_header == 44) {
      d.is_fragment = true;
      d.fragment_offset = load_be16(&packet[pos + 2]) >> 3;
      len = 8;
    } else if (d.next_header == 51) {
      len = (std::size_t{packet[pos + 1]} + 2) * 4;  // RFC 4302 §2.2: AH length in 4-byte units minus 2
    } else {
      len = (std::size_t{packet[pos + 1]} + 1) * 8;
    }
    if (d.next_header == 43 && packet[pos + 3] != 0 && pos + len <= packet.size()) {
      // RFC 8200 §8.1: with segments left, the pseudo-header uses the final destination: the last address of
      // a type 0/2 header (RFC 8200 §4.4, RFC 6275 §6.4), Segment List[0] of an SRH (RFC 8754 §2).
      const std::uint8_t type = packet[pos + 2];
      const std::size_t addrs = packet[pos + 1] / 2;  // each address is two 8-byte units, all inside `len`
      if ((type == 0 || type == 2 || type == 4) && addrs > 0) {
        const std::size_t first = pos + 8 + (type == 4 ? 0 : 16 * (addrs - 1));
        for (int i = 0; i < 16; ++i) d.checksum_dst.bytes[i] = packet[first + i];
      }
    }
    d.next_header = nh;
    pos += len;
    if (pos > end)
      return byte_error(pos, "IPv6 extension header runs past the payload length",
                        "IPv6 扩展头部超出了载荷长度");
    if (d.fragment_offset != 0) break;  // RFC 8200 §4.5: a non-first fragment holds no further headers
  }
  if (pos > packet.size())
    return byte_error(pos, "IPv6 extension headers run past the captured bytes",
                      "IPv6 扩展头部超出了抓到的字节");
  d.payload_offset = pos;
  const std::size_t present = packet.size() - pos;
  const std::size_t claimed = end - pos;
  d.payload_truncated = present < claimed;
  d.payload_len = d.payload_truncated ? present : claimed;
  return d;
}

void encode_ipv6(const Ipv6Decoded& h, std::size_t payload_len, std::vector<std::uint8_t>& out) {
  ByteWriter w(out);
  w.be32((6u << 28) | (std::uint32_t{h.traffic_class} << 20) | (h.flow_label & 0xFFFFF));
  w.be16(static_cast<std::uint16_t>(payload_len));
  w.u8(h.next_header);
  w.u8(h.hop_limit);
  w.bytes(h.src.bytes);
  w.bytes(h.dst.bytes);
}

}  // namespace wirestep::wire
