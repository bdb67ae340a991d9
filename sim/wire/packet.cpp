#include "sim/wire/packet.hpp"

#include "sim/wire/byte_error.hpp"
#include "sim/wire/ethernet.hpp"
#include "sim/wire/ipv6.hpp"

namespace wirestep::wire {
namespace {

// Decoders report offsets relative to their own header; make them relative to the buffer.
Error shift(Error e, std::size_t base) {
  return shift_byte_error(std::move(e), base);
}

void decode_transport(Bytes l4, const PseudoHeader& ph, bool full, std::size_t l4_base, DecodedPacket& d,
                      std::optional<Error>& err) {
  if (d.ip_protocol == kIpProtoUdp) {
    auto udp = decode_udp(l4);
    if (!udp) {
      err = shift(udp.error(), l4_base);
      return;
    }
    d.transport = Transport::Udp;
    d.udp = *udp;
    d.payload_offset = l4_base + kUdpHeaderLen;
    d.payload_len = udp->length - kUdpHeaderLen;
    // A first fragment carries only part of the datagram the UDP length covers (RFC 768, RFC 791 §3.2).
    if (udp->length > ph.length && !d.is_fragment) {
      const std::string udp_len = std::to_string(udp->length), ip_len = std::to_string(ph.length);
      err =
          byte_error(l4_base + 4, "UDP length " + udp_len + " exceeds the IP payload of " + ip_len + " bytes",
                     "UDP 长度 " + udp_len + " 超过了 IP 载荷的 " + ip_len + " 字节");
      return;
    }
    if (full && udp->checksum != 0) {
      PseudoHeader p = ph;
      p.length = udp->length;
      d.transport_checksum_ok = verify_transport_checksum(p, l4.first(udp->length));
    }
  } else if (d.ip_protocol == kIpProtoTcp) {
    auto tcp = decode_tcp(l4);
    if (!tcp) {
      err = shift(tcp.error(), l4_base);
      return;
    }
    d.transport = Transport::Tcp;
    d.tcp = *tcp;
    if (tcp->header_len > ph.length) {
      err = byte_error(l4_base + 12, "TCP header longer than the IP payload", "TCP 头部比 IP 载荷还长");
      return;
    }
    d.payload_offset = l4_base + tcp->header_len;
    d.payload_len = ph.length - tcp->header_len;
    if (full) d.transport_checksum_ok = verify_transport_checksum(ph, l4.first(ph.length));
  } else if ((d.ip_protocol == kIpProtoIcmp && !d.src.v6) || (d.ip_protocol == kIpProtoIcmpv6 && d.src.v6)) {
    auto icmp = decode_icmp(l4, ph.length, d.src.v6, ph);
    if (!icmp) {
      err = shift(icmp.error(), l4_base);
      return;
    }
    // A first fragment or a cut capture lacks bytes the checksum covers.
    if (!full) icmp->checksum_ok.reset();
    d.transport = Transport::Icmp;
    d.transport_checksum_ok = icmp->checksum_ok;
    d.payload_offset = l4_base + kIcmpHeaderLen;
    d.payload_len = icmp->body_len;
    d.icmp = std::move(*icmp);
  }
}

}  // namespace

Result<DecodedPacket> decode_ip_packet(Bytes buffer, std::size_t ip_offset) {
  if (ip_offset > buffer.size()) return byte_error(ip_offset, "no IP header", "没有 IP 头部");
  const Bytes ip = buffer.subspan(ip_offset);
  if (ip.empty()) return byte_error(ip_offset, "IP header truncated: 0 bytes", "IP 头部被截断：0 字节");
  DecodedPacket d;
  d.ip_offset = ip_offset;
  PseudoHeader ph;
  std::size_t l4_rel = 0;
  std::size_t l4_len = 0;
  const int version = ip[0] >> 4;
  if (version == 4) {
    auto v4 = decode_ipv4(ip);
    if (!v4) return shift(v4.error(), ip_offset);
    const Ipv4Header& h = v4->header;
    d.src = IpAddr::from_v4(h.src);
    d.dst = IpAddr::from_v4(h.dst);
    d.ip_protocol = h.protocol;
    d.ip_id = h.id;
    d.ttl = h.ttl;
    d.dont_fragment = h.dont_fragment;
    d.is_fragment = h.is_fragment();
    d.ip_checksum_ok = v4->checksum_ok;
    d.truncated = v4->payload_truncated;
    l4_rel = v4->payload_offset;
    l4_len = v4->payload_len;
    ph.length = static_cast<std::uint32_t>(h.total_length - h.header_len);
    ph.dst = d.dst;
    // A non-first fragment carries no transport header.
    if (h.fragment_offset != 0) {
      d.payload_offset = ip_offset + l4_rel;
      d.payload_len = ph.length;
      return d;
    }
  } else if (version == 6) {
    auto v6 = decode_ipv6(ip);
    if (!v6) return shift(v6.error(), ip_offset);
    d.src = v6->src;
    d.dst = v6->dst;
    d.ip_protocol = v6->next_header;
    d.ttl = v6->hop_limit;
    d.is_fragment = v6->is_fragment;
    d.truncated = v6->payload_truncated;
    l4_rel = v6->payload_offset;
    l4_len = v6->payload_len;
    // The transport length the header claims, even when the capture holds fewer bytes.
    const std::size_t ip_end = v6->payload_length == 0 ? ip.size() : kIpv6HeaderLen + v6->payload_length;
    ph.length = static_cast<std::uint32_t>(ip_end - v6->payload_offset);
    ph.dst = v6->checksum_dst;
    if (v6->fragment_offset != 0) {
      d.payload_offset = ip_offset + l4_rel;
      d.payload_len = ph.length;
      return d;
    }
  } else {
    return byte_error(ip_offset, "IP version " + std::to_string(version) + " is neither 4 nor 6",
                      "IP 版本号 " + std::to_string(version) + " 既不是 4 也不是 6");
  }
  ph.src = d.src;
  ph.protocol = d.ip_protocol;
  const Bytes l4 = ip.subspan(l4_rel, l4_len);
  std::optional<Error> err;
  // A fragmented datagram's checksum covers bytes we do not have: leave it unknown.
  decode_transport(l4, ph, !d.truncated && !d.is_fragment, ip_offset + l4_rel, d, err);
  if (err) return *err;
  return d;
}

namespace {
void maybe_ethernet(const EncodeIpv4& e, std::vector<std::uint8_t>& out) {
  if (!e.eth_hosts) return;
  EthernetHeader eth;
  eth.src = sim_mac(e.eth_hosts->first);
  eth.dst = sim_mac(e.eth_hosts->second);
  eth.ether_type = kEtherTypeIpv4;
  encode_ethernet(eth, out);
}
}  // namespace

void encode_ipv4_udp(const EncodeIpv4& e, std::uint16_t src_port, std::uint16_t dst_port, Bytes payload,
                     std::vector<std::uint8_t>& out) {
  maybe_ethernet(e, out);
  Ipv4Header ip = e.ip;
  ip.protocol = kIpProtoUdp;
  encode_ipv4(ip, kUdpHeaderLen + payload.size(), out);
  PseudoHeader ph{IpAddr::from_v4(ip.src), IpAddr::from_v4(ip.dst), kIpProtoUdp, 0};
  encode_udp(ph, src_port, dst_port, payload, out);
}

void encode_ipv4_tcp(const EncodeIpv4& e, const TcpHeader& tcp, Bytes payload,
                     std::vector<std::uint8_t>& out) {
  maybe_ethernet(e, out);
  Ipv4Header ip = e.ip;
  ip.protocol = kIpProtoTcp;
  encode_ipv4(ip, kTcpMinHeaderLen + tcp_options_length(tcp.options) + payload.size(), out);
  PseudoHeader ph{IpAddr::from_v4(ip.src), IpAddr::from_v4(ip.dst), kIpProtoTcp, 0};
  encode_tcp(ph, tcp, payload, out);
}

void encode_ipv4_icmp(const EncodeIpv4& e, std::uint8_t type, std::uint8_t code, std::uint32_t rest,
                      Bytes body, std::vector<std::uint8_t>& out) {
  maybe_ethernet(e, out);
  Ipv4Header ip = e.ip;
  ip.protocol = kIpProtoIcmp;
  encode_ipv4(ip, kIcmpHeaderLen + body.size(), out);
  encode_icmpv4(type, code, rest, body, out);
}

}  // namespace wirestep::wire
