#include "sim/wire/arp.hpp"

#include <cstdio>
#include <string>

#include "sim/wire/byte_error.hpp"

namespace wirestep::wire {
namespace {

std::string hex16(std::uint16_t v) {
  char b[8];
  std::snprintf(b, sizeof b, "0x%04x", v);
  return b;
}

constexpr std::size_t kEthernetMinFrame = 60;  // IEEE 802.3 minimum frame without the FCS

}  // namespace

Result<ArpPacket> decode_arp(Bytes packet) {
  ByteReader r(packet);
  const std::string size = std::to_string(packet.size());
  if (!r.has(8))
    return byte_error(0, "ARP header truncated: " + size + " of 8 bytes",
                      "ARP 头部被截断：只有 " + size + " 字节，应有 8 字节");
  const std::uint16_t hrd = *r.be16(), pro = *r.be16();
  const std::uint8_t hln = *r.u8(), pln = *r.u8();
  // RFC 826 lets other hardware and protocols in; IP hosts on Ethernet use only this one.
  if (hrd != kArpHardwareEthernet)
    return byte_error(0, "ARP hardware type " + std::to_string(hrd) + " is not Ethernet (1)",
                      "ARP 硬件类型 " + std::to_string(hrd) + " 不是以太网（1）");
  if (pro != kEtherTypeIpv4)
    return byte_error(2, "ARP protocol type " + hex16(pro) + " is not IPv4 (0x0800)",
                      "ARP 协议类型 " + hex16(pro) + " 不是 IPv4（0x0800）");
  if (hln != 6)
    return byte_error(4, "ARP hardware address length " + std::to_string(hln) + " is not 6",
                      "ARP 硬件地址长度 " + std::to_string(hln) + " 不是 6");
  if (pln != 4)
    return byte_error(5, "ARP protocol address length " + std::to_string(pln) + " is not 4",
                      "ARP 协议地址长度 " + std::to_string(pln) + " 不是 4");
  ArpPacket a;
  a.op = *r.be16();
  if (!r.has(kArpEthernetIpv4Len - 8))
    return byte_error(packet.size(), "ARP addresses truncated: " + size + " of 28 bytes",
                      "ARP 地址被截断：只有 " + size + " 字节，应有 28 字节");
  for (auto& b : a.sender_mac) b = *r.u8();
  a.sender_ip = Ipv4Addr{*r.be32()};
  for (auto& b : a.target_mac) b = *r.u8();
  a.target_ip = Ipv4Addr{*r.be32()};
  return a;
}

void encode_arp_body(const ArpPacket& a, std::vector<std::uint8_t>& out) {
  ByteWriter w(out);
  w.be16(kArpHardwareEthernet);
  w.be16(kEtherTypeIpv4);
  w.u8(6);
  w.u8(4);
  w.be16(a.op);
  w.bytes(a.sender_mac);
  w.be32(a.sender_ip.value);
  w.bytes(a.target_mac);
  w.be32(a.target_ip.value);
}

void encode_arp(const ArpPacket& a, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  EthernetHeader eth;
  eth.dst = a.op == static_cast<std::uint16_t>(ArpOp::Request) ? kBroadcastMac : a.target_mac;
  eth.src = a.sender_mac;
  eth.ether_type = kEtherTypeArp;
  encode_ethernet(eth, out);
  encode_arp_body(a, out);
  if (out.size() - start < kEthernetMinFrame) out.resize(start + kEthernetMinFrame, 0);
}

}  // namespace wirestep::wire
