#include "sim/wire/ipv4.hpp"

#include <string>

#include "sim/wire/byte_error.hpp"
#include "sim/wire/checksum.hpp"

namespace wirestep::wire {
namespace {
std::string n(std::size_t v) {
  return std::to_string(v);
}
}  // namespace

Result<Ipv4Decoded> decode_ipv4(Bytes packet) {
  if (packet.size() < kIpv4MinHeaderLen)
    return byte_error(0, "IPv4 header truncated: " + n(packet.size()) + " of 20 bytes",
                      "IPv4 头部被截断：只有 " + n(packet.size()) + " 字节，应有 20 字节");
  const std::uint8_t version = packet[0] >> 4;
  if (version != 4)
    return byte_error(0, "IP version " + n(version) + " where 4 was expected",
                      "IP 版本号是 " + n(version) + "，这里应为 4");
  Ipv4Decoded d;
  Ipv4Header& h = d.header;
  h.header_len = static_cast<std::uint8_t>((packet[0] & 0x0F) * 4);
  if (h.header_len < kIpv4MinHeaderLen)
    return byte_error(0, "IPv4 header length " + n(h.header_len) + " is below the minimum of 20",
                      "IPv4 头部长度 " + n(h.header_len) + " 小于最小值 20");
  if (packet.size() < h.header_len)
    return byte_error(
        0, "IPv4 header truncated: " + n(packet.size()) + " of " + n(h.header_len) + " bytes",
        "IPv4 头部被截断：只有 " + n(packet.size()) + " 字节，应有 " + n(h.header_len) + " 字节");
  h.tos = packet[1];
  h.total_length = load_be16(&packet[2]);
  h.id = load_be16(&packet[4]);
  const std::uint16_t frag = load_be16(&packet[6]);
  h.dont_fragment = frag & 0x4000;
  h.more_fragments = frag & 0x2000;
  h.fragment_offset = frag & 0x1FFF;
  h.ttl = packet[8];
  h.protocol = packet[9];
  h.checksum = load_be16(&packet[10]);
  h.src = Ipv4Addr{load_be32(&packet[12])};
  h.dst = Ipv4Addr{load_be32(&packet[16])};
  if (h.total_length < h.header_len)
    return byte_error(
        2, "IPv4 total length " + n(h.total_length) + " is shorter than its header (" + n(h.header_len) + ")",
        "IPv4 总长度 " + n(h.total_length) + " 比它自己的头部（" + n(h.header_len) + "）还短");
  d.checksum_ok = internet_checksum(packet.first(h.header_len)) == 0;
  d.payload_offset = h.header_len;
  const std::size_t claimed = h.total_length - h.header_len;
  const std::size_t present = packet.size() - h.header_len;
  d.payload_truncated = present < claimed;
  d.payload_len = d.payload_truncated ? present : claimed;  // trailing link padding is not payload
  return d;
}

void encode_ipv4(const Ipv4Header& h, std::size_t payload_len, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  ByteWriter w(out);
  w.u8(0x45);
  w.u8(h.tos);
  w.be16(static_cast<std::uint16_t>(kIpv4MinHeaderLen + payload_len));
  w.be16(h.id);
  std::uint16_t frag = h.fragment_offset & 0x1FFF;
  if (h.dont_fragment) frag |= 0x4000;
  if (h.more_fragments) frag |= 0x2000;
  w.be16(frag);
  w.u8(h.ttl);
  w.u8(h.protocol);
  w.be16(0);
  w.be32(h.src.value);
  w.be32(h.dst.value);
  const auto header = Bytes(out).subspan(start, kIpv4MinHeaderLen);
  w.patch_be16(start + 10, internet_checksum(header));
}

}  // namespace wirestep::wire
