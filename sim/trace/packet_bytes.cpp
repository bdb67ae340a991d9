#include "sim/trace/packet_bytes.hpp"

#include "sim/wire/packet.hpp"

namespace wirestep {

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

  wire::EncodeIpv4 e;
  e.ip.src = src.v4();
  e.ip.dst = dst.v4();
  e.ip.id = p.ip_id;
  e.ip.ttl = p.ttl;
  e.ip.dont_fragment = true;
  if (link == LinkLayer::Ethernet) e.eth_hosts = std::pair{src_host, dst_host};

  std::vector<std::uint8_t> payload;
  trace.payload_bytes(index, payload);
  if (f.proto == Transport::Udp) {
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
}

}  // namespace wirestep
