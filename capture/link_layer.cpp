#include "capture/link_layer.hpp"

#include <pcap/dlt.h>

#include <string>

#include "sim/wire/arp.hpp"
#include "sim/wire/byte_error.hpp"
#include "sim/wire/encapsulation.hpp"
#include "sim/wire/ethernet.hpp"

namespace wirestep {
namespace {

// DLT values that differ between systems: DLT_RAW is 14 on BSD/OS and OpenBSD, 12 elsewhere; files may also
// carry the LINKTYPE_RAW number 101 itself. DLT_LOOP is 12 on OpenBSD, which libpcap maps to 108 elsewhere.
constexpr int kDltRawBsd = 14;
constexpr int kLinktypeRaw = 101;
constexpr int kLinktypeIpv4 = 228;
constexpr int kLinktypeIpv6 = 229;
constexpr int kDltLinuxSll2 = 276;

constexpr std::size_t kSllHeaderLen = 16;   // linktype_linux_sll.html: protocol type at offset 14
constexpr std::size_t kSll2HeaderLen = 20;  // linktype_linux_sll2.html: protocol type at offset 0
constexpr std::size_t kNullHeaderLen = 4;

// BSD address families in DLT_NULL / DLT_LOOP headers (linktype_null.html): AF_INET is 2 everywhere; AF_INET6
// is 24 (NetBSD, OpenBSD, BSD/OS), 28 (FreeBSD, DragonFly) or 30 (Darwin), as Wireshark's null dissector
// reads.
constexpr std::uint32_t kBsdAfInet = 2;
bool is_bsd_af_inet6(std::uint32_t af) {
  return af == 24 || af == 28 || af == 30;
}

bool is_bsd_family(std::uint32_t af) {
  return af == kBsdAfInet || is_bsd_af_inet6(af);
}

Result<LocatedPacket> walk(wire::Bytes frame, std::size_t wire_len, wire::EncapStart start,
                           std::size_t offset, std::uint16_t ether_type = 0) {
  const wire::Encapsulation e = wire::walk_encapsulation(frame, wire_len, start, offset, ether_type);
  if (e.error) return *e.error;
  return LocatedPacket{e.ip_offset, e.tunnels > 0};
}

}  // namespace

LinkKind link_kind_for_dlt(int dlt) {
  switch (dlt) {
    case DLT_EN10MB:
      return LinkKind::Ethernet;
    case DLT_LINUX_SLL:
      return LinkKind::LinuxSll;
    case kDltLinuxSll2:
      return LinkKind::LinuxSll2;
    case DLT_RAW:
    case kDltRawBsd:
    case kLinktypeRaw:
      return LinkKind::RawIp;
    case kLinktypeIpv4:
      return LinkKind::RawIpv4;
    case kLinktypeIpv6:
      return LinkKind::RawIpv6;
    case DLT_NULL:
      return LinkKind::Null;
    case DLT_LOOP:
      return LinkKind::Loop;
    default:
      return LinkKind::Unsupported;
  }
}

bool link_supported(int dlt) {
  return link_kind_for_dlt(dlt) != LinkKind::Unsupported;
}

Result<std::optional<std::size_t>> locate_ip_packet(LinkKind link, wire::Bytes frame) {
  auto where = locate_inner_ip_packet(link, frame, frame.size());
  if (!where) return where.error();
  return where->ip_offset;
}

Result<LocatedPacket> locate_inner_ip_packet(LinkKind link, wire::Bytes frame, std::size_t wire_len) {
  switch (link) {
    case LinkKind::Ethernet:
      // Below 0x0600 the type is an 802.3 length (LLC follows), not an EtherType: the walk finds no IP.
      return walk(frame, wire_len, wire::EncapStart::Ethernet, 0);
    case LinkKind::LinuxSll:
      if (frame.size() < kSllHeaderLen)
        return wire::byte_error(
            0, "Linux cooked (SLL) header truncated: " + std::to_string(frame.size()) + " of 16 bytes",
            "Linux cooked（SLL）头部被截断：只有 " + std::to_string(frame.size()) + " 字节，应有 16 字节");
      return walk(frame, wire_len, wire::EncapStart::EtherType, kSllHeaderLen,
                  wire::load_be16(frame.data() + 14));
    case LinkKind::LinuxSll2:
      if (frame.size() < kSll2HeaderLen)
        return wire::byte_error(
            0, "Linux cooked (SLL2) header truncated: " + std::to_string(frame.size()) + " of 20 bytes",
            "Linux cooked（SLL2）头部被截断：只有 " + std::to_string(frame.size()) + " 字节，应有 20 字节");
      return walk(frame, wire_len, wire::EncapStart::EtherType, kSll2HeaderLen,
                  wire::load_be16(frame.data()));
    case LinkKind::RawIp:
    case LinkKind::RawIpv4:
    case LinkKind::RawIpv6:
      // The IP decoder checks the version nibble, so a v6 packet in a LINKTYPE_IPV4 file is reported there.
      return walk(frame, wire_len, wire::EncapStart::Ip, 0);
    case LinkKind::Null:
    case LinkKind::Loop: {
      if (frame.size() < kNullHeaderLen)
        return wire::byte_error(
            0, "loopback header truncated: " + std::to_string(frame.size()) + " of 4 bytes",
            "环回头部被截断：只有 " + std::to_string(frame.size()) + " 字节，应有 4 字节");
      const std::uint32_t be = wire::load_be32(frame.data());
      // DLT_NULL is in the byte order of the machine that captured, which the file does not record. Family
      // values are small, so a value with high bits set was written in the other order (as tcpdump does).
      const std::uint32_t le = (be >> 24) | ((be >> 8) & 0xFF00) | ((be << 8) & 0xFF0000) | (be << 24);
      const std::uint32_t af = link == LinkKind::Loop ? be : (le & 0xFFFF0000u) == 0 ? le : be;
      if (!is_bsd_family(af)) return LocatedPacket{};
      return walk(frame, wire_len, wire::EncapStart::Ip, kNullHeaderLen);
    }
    case LinkKind::Unsupported:
      return LocatedPacket{};
  }
  return LocatedPacket{};
}

std::optional<std::size_t> locate_arp(LinkKind link, wire::Bytes frame) {
  const auto arp_after = [&](std::size_t type_at, std::size_t start) -> std::optional<std::size_t> {
    if (type_at + 2 > frame.size() || wire::load_be16(frame.data() + type_at) != wire::kEtherTypeArp)
      return std::nullopt;
    return start;
  };
  switch (link) {
    case LinkKind::Ethernet: {
      const wire::Encapsulation e =
          wire::walk_encapsulation(frame, frame.size(), wire::EncapStart::Ethernet, 0);
      if (e.error || e.ip_offset || e.count == 0) return std::nullopt;
      const wire::EncapLayer& last = e.layers[e.count - 1];
      // The type field is the last two bytes of an Ethernet header or of a VLAN tag.
      if (last.kind != wire::EncapKind::Ethernet && last.kind != wire::EncapKind::VlanTag)
        return std::nullopt;
      return arp_after(last.offset + last.length - 2, last.offset + last.length);
    }
    case LinkKind::LinuxSll:
      return arp_after(14, kSllHeaderLen);
    case LinkKind::LinuxSll2:
      return arp_after(0, kSll2HeaderLen);
    default:
      return std::nullopt;
  }
}

}  // namespace wirestep
