#include "capture/common_frame.hpp"

#include <cstring>

#include "sim/wire/checksum.hpp"
#include "sim/wire/encapsulation.hpp"
#include "sim/wire/ethernet.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {
namespace {

constexpr std::size_t kEthernetLen = 14;
constexpr std::size_t kIpv4Len = 20;  // no options: the general decoder handles those
constexpr std::size_t kTcpLen = 20;
constexpr std::size_t kUdpLen = 8;

// RFC 9293 §3.1 / RFC 768: the checksum covers a pseudo-header of the addresses, protocol and length.
bool transport_checksum_ok(std::uint32_t src, std::uint32_t dst, std::uint8_t protocol, wire::Bytes segment) {
  wire::ChecksumAccumulator acc;
  acc.add_be32(src);
  acc.add_be32(dst);
  acc.add_be16(protocol);
  acc.add_be16(static_cast<std::uint16_t>(segment.size()));
  acc.add(segment);
  return acc.finish() == 0;
}

// RFC 791 §3.1: the header checksum of a 20-byte header, summed as five native 32-bit words (RFC 1071 §2:
// the one's complement sum does not depend on byte order or word width). Zero when the header is intact.
bool ipv4_header_checksum_ok(const std::uint8_t* header) {
  std::uint64_t sum = 0;
  for (int i = 0; i < 5; ++i) {
    std::uint32_t w;
    std::memcpy(&w, header + 4 * i, 4);
    sum += w;
  }
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return sum == 0xFFFF;
}

}  // namespace

bool decode_common_frame(LinkKind link, wire::Bytes frame, std::uint32_t wire_len, CommonFrame& out) {
  std::size_t ip_at = 0;
  if (link == LinkKind::Ethernet) {
    if (frame.size() < kEthernetLen || wire::load_be16(&frame[12]) != wire::kEtherTypeIpv4) return false;
    ip_at = kEthernetLen;
  } else if (link != LinkKind::RawIp && link != LinkKind::RawIpv4) {
    return false;
  }
  if (frame.size() < ip_at + kIpv4Len) return false;
  const wire::Bytes ip = frame.subspan(ip_at);
  // Version 4, no options; not a fragment (MF clear, offset 0); a total length that covers the header.
  if (ip[0] != 0x45 || (wire::load_be16(&ip[6]) & 0x3FFF) != 0) return false;
  const std::uint16_t total_length = wire::load_be16(&ip[2]);
  if (total_length < kIpv4Len) return false;
  const std::uint8_t protocol = ip[9];
  if (protocol != wire::kIpProtoTcp && protocol != wire::kIpProtoUdp) return false;
  const std::size_t claimed = total_length - kIpv4Len;
  const std::size_t present = ip.size() - kIpv4Len;
  const bool complete = present >= claimed;
  // The IP header claims bytes a frame the snapshot length did not cut lacks: the general decoder reports it.
  if (!complete && frame.size() >= wire_len) return false;
  const wire::Bytes l4 = ip.subspan(kIpv4Len, complete ? claimed : present);

  out.src = wire::load_be32(&ip[12]);
  out.dst = wire::load_be32(&ip[16]);
  out.ip_id = wire::load_be16(&ip[4]);
  out.ttl = ip[8];
  out.bad_checksum = !ipv4_header_checksum_ok(ip.data());
  if (protocol == wire::kIpProtoTcp) {
    if (l4.size() < kTcpLen) return false;
    const std::size_t header_len = (l4[12] >> 4) * 4u;
    const std::uint8_t flags = l4[13];
    if (header_len < kTcpLen || l4.size() < header_len || header_len > claimed ||
        (flags & wire::tcp_flag::kSyn))
      return false;
    out.proto = Transport::Tcp;
    out.sport = wire::load_be16(&l4[0]);
    out.dport = wire::load_be16(&l4[2]);
    out.seq = wire::load_be32(&l4[4]);
    out.ack = wire::load_be32(&l4[8]);
    out.tcp_flags = flags;
    out.window = wire::load_be16(&l4[14]);
    out.payload_len = static_cast<std::uint32_t>(claimed - header_len);
    if (complete && !transport_checksum_ok(out.src, out.dst, protocol, l4)) out.bad_checksum = true;
    return true;
  }
  if (l4.size() < kUdpLen) return false;
  const std::uint16_t udp_length = wire::load_be16(&l4[4]);
  if (udp_length < kUdpLen || udp_length > claimed) return false;
  // RFC 7348 §5: a datagram to the VXLAN port carries a frame; the general decoder walks into it.
  if (wire::load_be16(&l4[2]) == wire::kVxlanUdpPort) return false;
  out.proto = Transport::Udp;
  out.sport = wire::load_be16(&l4[0]);
  out.dport = wire::load_be16(&l4[2]);
  out.tcp_flags = 0;
  out.seq = out.ack = 0;
  out.window = 0;
  out.payload_len = udp_length - kUdpLen;
  // A zero UDP checksum means "not computed" (RFC 768).
  if (complete && wire::load_be16(&l4[6]) != 0 &&
      !transport_checksum_ok(out.src, out.dst, protocol, l4.first(udp_length)))
    out.bad_checksum = true;
  return true;
}

}  // namespace wirestep
