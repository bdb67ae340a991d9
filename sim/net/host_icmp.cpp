// ICMP at a host (RFC 792, RFC 1122 §3.2.2): echo requests are answered, errors reach the socket that sent
// the packet they quote, and programs that speak ICMP (ping, traceroute) see what arrives first.
#include <utility>

#include "sim/net/host.hpp"
#include "sim/net/network.hpp"
#include "sim/wire/ipv4.hpp"

namespace wirestep {
namespace {

// icmp_err_convert in Linux (net/ipv4/icmp.c): the errno an unreachable code becomes, and whether it is a
// hard error a connected UDP socket reports without IP_RECVERR.
struct ErrnoOf {
  const char* text;
  bool hard;
};
ErrnoOf errno_of(std::uint8_t type, std::uint8_t code) {
  if (type == wire::icmp4::kDestinationUnreachable) {
    switch (code) {
      case 0:
        return {"network is unreachable (ENETUNREACH)", false};
      case 1:
        return {"no route to host (EHOSTUNREACH)", false};
      case 2:
        return {"protocol not available (ENOPROTOOPT)", true};
      case 3:
        return {"connection refused (ECONNREFUSED)", true};
      default:
        return {"no route to host (EHOSTUNREACH)", false};
    }
  }
  return {"no route to host (EHOSTUNREACH)", false};  // time exceeded: a soft error
}

}  // namespace

void Host::receive_icmp(SimTime now, std::uint32_t packet) {
  Trace& trace = net_.trace();
  const PacketRecord p = trace.packet(packet);
  if (!p.icmp) return;
  const TraceFlow& f = trace.flows()[p.flow];
  const bool forward = p.dir == Direction::AtoB;
  const wire::Ipv4Addr from = (forward ? f.a : f.b).v4();
  const wire::Ipv4Addr to = (forward ? f.b : f.a).v4();
  const wire::IcmpMessage& m = p.icmp->message;
  if (m.type == wire::icmp4::kEchoRequest) {
    // RFC 792 "Echo or Echo Reply": addresses swapped, type 0, identifier, sequence and data returned.
    std::vector<std::uint8_t> data;
    trace.payload_bytes(packet, data);
    net_.send_icmp(index_, to, from, wire::icmp4::kEchoReply, 0, m.rest, data);
    return;
  }
  IcmpArrival a{m, from, p.ttl, p.payload_len};
  if (m.is_error() && p.payload_len >= wire::kIpv4MinHeaderLen + 8) {
    // The quote is the original IP header and 8 bytes: for a quoted echo, its identifier and sequence.
    std::vector<std::uint8_t> q;
    trace.payload_bytes(packet, q);
    const std::size_t ihl = std::size_t{q[0] & 0x0Fu} * 4;
    if (q.size() >= ihl + 8)
      a.quoted_rest = std::uint32_t{q[ihl + 4]} << 24 | std::uint32_t{q[ihl + 5]} << 16 |
                      std::uint32_t{q[ihl + 6]} << 8 | q[ihl + 7];
  }
  dispatch_icmp(now, a);
}

void Host::dispatch_icmp(SimTime now, const IcmpArrival& a) {
  for (auto& l : icmp_listeners_)
    if (l(now, a)) return;
  const wire::IcmpMessage& m = a.message;
  if (!m.is_error() || !m.quote || !m.quote->has_ports) return;
  const wire::IcmpQuote& q = *m.quote;
  const ErrnoOf e = errno_of(m.type, m.code);
  note(TraceEvent::kNone, "ICMP error (type " + std::to_string(m.type) + ", code " + std::to_string(m.code) +
                              ") from " + a.from.to_string() + ", about " + q.dst.to_string() + ":" +
                              std::to_string(q.dst_port) + ": " + e.text);
  if (q.protocol == wire::kIpProtoTcp) return tcp_icmp_error(q, a.quoted_rest, e.text);
  if (q.protocol != wire::kIpProtoUdp) return;
  auto it = udp_ports_.find(q.src_port);
  if (it == udp_ports_.end()) return;
  UdpSocket* sock = find(it->second);
  // udp(7): only a connected socket hears of errors, and without IP_RECVERR only the hard ones.
  if (!sock || !sock->peer || !e.hard) return;
  if (sock->peer->first != q.dst.v4() || sock->peer->second != q.dst_port) return;
  sock->pending_error = e.text;
  if (sock->waiter) {
    UdpSocket::Waiter w = std::move(*sock->waiter);
    sock->waiter.reset();
    RecvFromResult r;
    r.error = "recvfrom: " + std::exchange(sock->pending_error, std::string());
    net_.trace().add_event(TraceEvent{now, EventKind::SocketReturn, index_, sock->id, -1, r.error});
    w.done(now, std::move(r));
  }
}

void Host::tcp_icmp_error(const wire::IcmpQuote& q, std::uint32_t quoted_seq, const char* why) {
  // The quote's first 8 bytes are the segment's ports and sequence number (RFC 792), which tcp_v4_err checks.
  auto it = tcp_conns_.find({q.src_port, q.dst.v4().value, q.dst_port});
  if (it == tcp_conns_.end()) return;
  TcpSocket* t = find_tcp(it->second);
  if (!t || !t->conn) return;
  t->conn->on_icmp_error(net_.now(), SeqNum(quoted_seq), why);
  service(it->second);
}

void Host::reply_port_unreachable(std::uint32_t packet) {
  // RFC 792: destination unreachable, code 3 (port unreachable), quoting the datagram's header.
  net_.send_icmp_error(index_, packet, wire::icmp4::kDestinationUnreachable, 3);
}

Status Host::set_ttl(SocketId s, std::uint8_t ttl) {
  call_event(s, "setsockopt(IP_TTL, " + std::to_string(ttl) + ")");
  UdpSocket* sock = find(s);
  if (!sock)
    return Error{"", name_, "setsockopt on fd " + std::to_string(s) + ": bad file descriptor (EBADF)"};
  if (ttl == 0) return Error{"", name_, "setsockopt(IP_TTL, 0): invalid argument (EINVAL)"};
  sock->ttl = ttl;
  return Ok{};
}

Status Host::udp_connect(SocketId s, wire::Ipv4Addr dst, std::uint16_t port) {
  call_event(s, "connect((\"" + dst.to_string() + "\", " + std::to_string(port) + "))");
  UdpSocket* sock = find(s);
  if (!sock) return Error{"", name_, "connect on fd " + std::to_string(s) + ": bad file descriptor (EBADF)"};
  if (net_.routed() && !net_.next_hop(index_, dst))
    return Error{"", name_,
                 "connect: no route to " + dst.to_string() + ": network is unreachable (ENETUNREACH)"};
  if (sock->port == 0) {
    if (auto st = bind(s, 0); !st) return st;
    note(s, "implicit bind to ephemeral port " + std::to_string(sock->port));
  }
  // A UDP connect sends nothing: it only remembers the peer (udp(7)).
  sock->peer = std::pair{dst, port};
  return Ok{};
}

Status Host::udp_send(SocketId s, std::span<const std::uint8_t> data) {
  UdpSocket* sock = find(s);
  if (!sock) return Error{"", name_, "send on fd " + std::to_string(s) + ": bad file descriptor (EBADF)"};
  if (!sock->peer) return Error{"", name_, "send: the UDP socket is not connected (EDESTADDRREQ)"};
  if (!sock->pending_error.empty()) {
    call_event(s, "send(" + std::to_string(data.size()) + " bytes)");
    return Error{"", name_, "send: " + std::exchange(sock->pending_error, std::string())};
  }
  return sendto(s, data, sock->peer->first, sock->peer->second);
}

}  // namespace wirestep
