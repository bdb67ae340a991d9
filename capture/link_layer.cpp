#include "capture/link_layer.hpp"

#include <pcap/dlt.h>

#include <string>

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

Error at(std::size_t byte, std::string reason) {
  return Error{"", "byte " + std::to_string(byte), std::move(reason)};
}

bool is_ip_ethertype(std::uint16_t t) {
  return t == wire::kEtherTypeIpv4 || t == wire::kEtherTypeIpv6;
}

// Cooked captures can carry 802.1Q tags after the protocol field, like Ethernet; skip at most two (QinQ).
Result<std::optional<std::size_t>> after_cooked_protocol(wire::Bytes frame, std::uint16_t protocol,
                                                         std::size_t offset) {
  for (int tags = 0; tags < 2 && (protocol == wire::kEtherTypeVlan || protocol == wire::kEtherTypeQinQ);
       ++tags) {
    if (frame.size() < offset + 4) return at(offset, "VLAN tag truncated");
    protocol = wire::load_be16(frame.data() + offset + 2);
    offset += 4;
  }
  if (!is_ip_ethertype(protocol)) return std::optional<std::size_t>{};
  return std::optional<std::size_t>{offset};
}

Result<std::optional<std::size_t>> after_family(std::uint32_t af) {
  if (af == kBsdAfInet || is_bsd_af_inet6(af)) return std::optional<std::size_t>{kNullHeaderLen};
  return std::optional<std::size_t>{};
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
  switch (link) {
    case LinkKind::Ethernet: {
      auto eth = wire::decode_ethernet(frame);
      if (!eth) return eth.error();
      // Below 0x0600 the field is an 802.3 length (LLC follows), not an EtherType: not IP.
      if (!is_ip_ethertype(eth->ether_type)) return std::optional<std::size_t>{};
      return std::optional<std::size_t>{eth->header_len};
    }
    case LinkKind::LinuxSll:
      if (frame.size() < kSllHeaderLen)
        return at(0, "Linux cooked (SLL) header truncated: " + std::to_string(frame.size()) + " of 16 bytes");
      return after_cooked_protocol(frame, wire::load_be16(frame.data() + 14), kSllHeaderLen);
    case LinkKind::LinuxSll2:
      if (frame.size() < kSll2HeaderLen)
        return at(0,
                  "Linux cooked (SLL2) header truncated: " + std::to_string(frame.size()) + " of 20 bytes");
      return after_cooked_protocol(frame, wire::load_be16(frame.data()), kSll2HeaderLen);
    case LinkKind::RawIp:
    case LinkKind::RawIpv4:
    case LinkKind::RawIpv6:
      // The IP decoder checks the version nibble, so a v6 packet in a LINKTYPE_IPV4 file is reported there.
      return std::optional<std::size_t>{0};
    case LinkKind::Null:
    case LinkKind::Loop: {
      if (frame.size() < kNullHeaderLen)
        return at(0, "loopback header truncated: " + std::to_string(frame.size()) + " of 4 bytes");
      const std::uint32_t be = wire::load_be32(frame.data());
      if (link == LinkKind::Loop) return after_family(be);
      // DLT_NULL is in the byte order of the machine that captured, which the file does not record. Family
      // values are small, so a value with high bits set was written in the other order (as tcpdump does).
      const std::uint32_t le = (be >> 24) | ((be >> 8) & 0xFF00) | ((be << 8) & 0xFF0000) | (be << 24);
      return after_family((le & 0xFFFF0000u) == 0 ? le : be);
    }
    case LinkKind::Unsupported:
      return std::optional<std::size_t>{};
  }
  return std::optional<std::size_t>{};
}

}  // namespace wirestep
