#include "sim/trace/packet_bytes.hpp"

#include "sim/wire/ethernet.hpp"
#include "sim/wire/ipv6.hpp"
#include "sim/wire/packet.hpp"

namespace wirestep {
namespace {

// A packet the link corrupted carries one flipped bit, so an export shows what the receiver saw: the
// UDP/TCP checksum (RFC 768, RFC 9293 §3.1: pseudo-header, header and data) no longer matches. The bit is
// the last payload byte's lowest, or with no payload the checksum field's own.
void flip_corrupted_bit(std::vector<std::uint8_t>& out, std::size_t ip_start, bool udp,
                        std::uint32_t payload_len) {
  if (payload_len > 0) {
    out.back() ^= 0x01;
    return;
  }
  const std::size_t ihl = std::size_t{out[ip_start] & 0x0fu} * 4;
  const std::size_t sum_at = ip_start + ihl + (udp ? 6 : 16);
  if (sum_at + 1 >= out.size()) return;
  out[sum_at + 1] ^= 0x01;
  // RFC 768: a zero UDP checksum means "none"; flip another bit so the damage stays detectable.
  if (udp && out[sum_at] == 0 && out[sum_at + 1] == 0) out[sum_at + 1] ^= 0x03;
}

// An ICMPv6 packet: IPv6 header (RFC 8200 §3) and the message with its pseudo-header checksum (RFC 4443
// §2.3).
void encode_ipv6_icmp(const wire::IpAddr& src, const wire::IpAddr& dst, std::uint8_t hop_limit,
                      std::optional<std::pair<std::uint32_t, std::uint32_t>> eth_hosts,
                      const wire::IcmpMessage& m, wire::Bytes body, std::vector<std::uint8_t>& out) {
  if (eth_hosts) {
    wire::EthernetHeader eth;
    eth.src = wire::sim_mac(eth_hosts->first);
    eth.dst = wire::sim_mac(eth_hosts->second);
    eth.ether_type = wire::kEtherTypeIpv6;
    wire::encode_ethernet(eth, out);
  }
  wire::Ipv6Decoded h;
  h.src = src;
  h.dst = dst;
  h.hop_limit = hop_limit;
  h.next_header = wire::kIpProtoIcmpv6;
  wire::encode_ipv6(h, wire::kIcmpHeaderLen + body.size(), out);
  wire::PseudoHeader ph{src, dst, wire::kIpProtoIcmpv6, 0};
  wire::encode_icmpv6(ph, m.type, m.code, m.rest, body, out);
}

}  // namespace

void rebuild_packet(const Trace& trace, std::size_t index, LinkLayer link, std::vector<std::uint8_t>& out) {
  const PacketRecord p = trace.packet(index);
  const TraceFlow& f = trace.flows().at(p.flow);
  const bool forward = p.dir == Direction::AtoB;
  const wire::IpAddr& src = forward ? f.a : f.b;
  const wire::IpAddr& dst = forward ? f.b : f.a;
  const std::uint16_t sport = forward ? f.a_port : f.b_port;
  const std::uint16_t dport = forward ? f.b_port : f.a_port;
  const std::uint32_t src_host = forward ? f.a_host : f.b_host;
  const std::uint32_t dst_host = forward ? f.b_host : f.a_host;
  const std::size_t start = out.size();

  wire::EncodeIpv4 e;
  e.ip.src = src.v4();
  e.ip.dst = dst.v4();
  e.ip.id = p.ip_id;
  e.ip.ttl = p.ttl;
  e.ip.dont_fragment = true;
  if (link == LinkLayer::Ethernet) e.eth_hosts = std::pair{src_host, dst_host};

  // ARP rides directly on Ethernet (RFC 826): a raw-IP export has no way to carry it and leaves it out.
  if (p.arp) {
    if (link == LinkLayer::Ethernet) wire::encode_arp(*p.arp, out);
    return;
  }
  std::vector<std::uint8_t> payload;
  trace.payload_bytes(index, payload);
  if (p.icmp && p.icmp->message.v6) {
    encode_ipv6_icmp(src, dst, p.ttl, e.eth_hosts, p.icmp->message, payload, out);
  } else if (p.icmp) {
    const wire::IcmpMessage& m = p.icmp->message;
    wire::encode_ipv4_icmp(e, m.type, m.code, m.rest, payload, out);
  } else if (f.proto == Transport::Udp) {
    wire::encode_ipv4_udp(e, sport, dport, payload, out);
  } else {
    wire::TcpHeader h;
    h.src_port = sport;
    h.dst_port = dport;
    h.seq = p.seq;
    h.ack = p.ack;
    h.flags = p.tcp_flags;
    h.window = p.window;
    if (p.options) h.options = *p.options;
    wire::encode_ipv4_tcp(e, h, payload, out);
  }
  // A hop of a routed packet carries that link's Ethernet addresses, as a capture on the link would show.
  if (const Trace::LinkHop* hop = trace.hop(index);
      hop && link == LinkLayer::Ethernet && out.size() >= start + 12) {
    std::copy(hop->dst_mac.begin(), hop->dst_mac.end(), out.begin() + static_cast<std::ptrdiff_t>(start));
    std::copy(hop->src_mac.begin(), hop->src_mac.end(), out.begin() + static_cast<std::ptrdiff_t>(start + 6));
  }
  if ((p.marks & mark::kCorrupted) && p.icmp) {
    // RFC 792 / RFC 4443 §2.3: the checksum covers the whole message, so a flipped bit anywhere shows.
    const std::size_t ip_start = start + (link == LinkLayer::Ethernet ? 14 : 0);
    const std::size_t ip_len = p.icmp->message.v6 ? 40 : std::size_t{out[ip_start] & 0x0Fu} * 4;
    out[payload.empty() ? ip_start + ip_len + 3 : out.size() - 1] ^= 0x01;
  } else if (p.marks & mark::kCorrupted) {
    flip_corrupted_bit(out, start + (link == LinkLayer::Ethernet ? 14 : 0), f.proto == Transport::Udp,
                       static_cast<std::uint32_t>(payload.size()));
  }
}

}  // namespace wirestep
