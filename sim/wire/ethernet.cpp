#include "sim/wire/ethernet.hpp"

#include <string>

#include "sim/wire/byte_error.hpp"

namespace wirestep::wire {

MacAddr sim_mac(std::uint32_t host_index) {
  return {0x02,
          0x00,
          0x00,
          0x00,
          static_cast<std::uint8_t>(host_index >> 8),
          static_cast<std::uint8_t>(host_index)};
}

Result<EthernetHeader> decode_ethernet(Bytes frame) {
  ByteReader r(frame);
  if (!r.has(kEthernetHeaderLen))
    return byte_error(0, "Ethernet header truncated: " + std::to_string(frame.size()) + " of 14 bytes",
                      "以太网头部被截断：只有 " + std::to_string(frame.size()) + " 字节，应有 14 字节");
  EthernetHeader h;
  for (auto& b : h.dst) b = *r.u8();
  for (auto& b : h.src) b = *r.u8();
  h.ether_type = *r.be16();
  // Bounded: at most two tags (QinQ); a third is treated as an unknown payload type.
  while ((h.ether_type == kEtherTypeVlan || h.ether_type == kEtherTypeQinQ) && h.vlan_tags < 2) {
    if (!r.has(4)) return byte_error(r.offset(), "VLAN tag truncated", "VLAN 标签被截断");
    r.skip(2);  // TCI
    h.ether_type = *r.be16();
    ++h.vlan_tags;
  }
  h.header_len = r.offset();
  return h;
}

void encode_ethernet(const EthernetHeader& h, std::vector<std::uint8_t>& out) {
  ByteWriter w(out);
  w.bytes(h.dst);
  w.bytes(h.src);
  w.be16(h.ether_type);
}

}  // namespace wirestep::wire
