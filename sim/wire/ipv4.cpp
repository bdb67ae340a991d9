#include "sim/wire/ipv4.hpp"

#include <string>

#include "sim/wire/checksum.hpp"

namespace wirestep::wire {
namespace {
Error at(std::size_t byte, std::string reason) {
  return Error{"", "byte " + std::to_string(byte), std::move(reason)};
}
}  // namespace

Result<Ipv4Decoded> decode_ipv4(Bytes packet) {
  if (packet.size() < kIpv4MinHeaderLen)
    return at(0, "IPv4 header truncated: " + std::to_string(packet.size()) + " of 20 bytes");
  const std::uint8_t version = packet[0] >> 4;
  if (version != 4) return at(0, "IP version " + std::to_string(version) + " where 4 was expected");
  Ipv4Decoded d;
  Ipv4Header& h = d.header;
  h.header_len = static_cast<std::uint8_t>((packet[0] & 0x0F) * 4);
  if (h.header_len < kIpv4MinHeaderLen)
    return at(0, "IPv4 header length " + std::to_string(h.header_len) + " is below the minimum of 20");
  if (packet.size() < h.header_len)
    return at(0, "IPv4 header truncated: " + std::to_string(packet.size()) + " of " +
                     std::to_string(h.header_len) + " bytes");
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
    return at(2, "IPv4 total length " + std::to_string(h.total_length) + " is shorter than its header (" +
                     std::to_string(h.header_len) + ")");
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
