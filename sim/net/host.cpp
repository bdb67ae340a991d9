#include "sim/net/host.hpp"

#include "sim/net/network.hpp"
#include "sim/wire/ethernet.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {
namespace {
// RFC 6335 §6: the dynamic (ephemeral) port range.
constexpr std::uint16_t kEphemeralFirst = 49152;
constexpr std::uint16_t kEphemeralLast = 65535;
}  // namespace

Host::Host(Network& net, std::uint32_t index, std::string name, wire::Ipv4Addr addr, int prefix_len)
    : net_(net),
      loop_(net.loop()),
      index_(index),
      name_(std::move(name)),
      addr_(addr),
      rng_(Rng::stream(net.seed(), "host " + name_)),
      ts_rng_(Rng::stream(net.seed(), "host " + name_ + " tcp timestamps")) {
  // A random starting point, as real stacks use, drawn from this host's own stream.
  next_ephemeral_ =
      static_cast<std::uint16_t>(kEphemeralFirst + rng_.below(kEphemeralLast - kEphemeralFirst + 1));
  next_ip_id_ = static_cast<std::uint16_t>(rng_.below(65536));
  ifaces_.push_back(NetInterface{"eth0", wire::sim_mac(index), addr, prefix_len, 1500});
}

std::uint32_t Host::add_interface(NetInterface i) {
  ifaces_.push_back(std::move(i));
  net_.forget_paths();
  return static_cast<std::uint32_t>(ifaces_.size() - 1);
}

void Host::set_first_interface(const NetInterface& i) {
  ifaces_.at(0) = i;
  net_.forget_paths();
}

std::optional<std::uint32_t> Host::interface_by_name(std::string_view name) const {
  for (std::uint32_t i = 0; i < ifaces_.size(); ++i)
    if (ifaces_[i].name == name) return i;
  return std::nullopt;
}

std::optional<std::uint32_t> Host::interface_by_addr(wire::Ipv4Addr a) const {
  for (std::uint32_t i = 0; i < ifaces_.size(); ++i)
    if (ifaces_[i].addr == a) return i;
  return std::nullopt;
}

UdpSocket* Host::find(SocketId s) {
  return s < sockets_.size() && sockets_[s].udp && sockets_[s].udp->open ? sockets_[s].udp.get() : nullptr;
}
const UdpSocket* Host::find(SocketId s) const {
  return s < sockets_.size() && sockets_[s].udp && sockets_[s].udp->open ? sockets_[s].udp.get() : nullptr;
}
bool Host::is_tcp(SocketId s) const {
  return s < sockets_.size() && sockets_[s].tcp != nullptr;
}

SocketId Host::new_slot(bool tcp) {
  const auto id = static_cast<SocketId>(sockets_.size());
  Slot slot;
  if (tcp) {
    slot.tcp = std::make_unique<TcpSocket>();
    slot.tcp->id = id;
  } else {
    slot.udp = std::make_unique<UdpSocket>();
    slot.udp->id = id;
  }
  sockets_.push_back(std::move(slot));
  return id;
}

bool Host::port_in_use(bool tcp, std::uint16_t port) const {
  if (!tcp) return udp_ports_.count(port) > 0;
  if (tcp_bound_.count(port)) return true;
  auto it = tcp_conns_.lower_bound({port, 0, 0});
  return it != tcp_conns_.end() && std::get<0>(it->first) == port;
}

void Host::call_event(SocketId s, std::string text) {
  net_.trace().add_event(TraceEvent{net_.now(), EventKind::SocketCall, index_, s, 0, std::move(text)});
}
void Host::note(SocketId s, std::string text) {
  net_.trace().add_event(TraceEvent{net_.now(), EventKind::Note, index_, s, 0, std::move(text)});
}

SocketId Host::udp_socket() {
  const SocketId id = new_slot(false);
  call_event(id, "socket(AF_INET, SOCK_DGRAM) -> fd " + std::to_string(id));
  return id;
}

std::uint16_t Host::pick_ephemeral_port() {
  for (std::uint32_t tries = 0; tries <= kEphemeralLast - kEphemeralFirst; ++tries) {
    const std::uint16_t p = next_ephemeral_;
    next_ephemeral_ = next_ephemeral_ == kEphemeralLast ? kEphemeralFirst : static_cast<std::uint16_t>(p + 1);
    if (!port_in_use(false, p) && !port_in_use(true, p)) return p;
  }
  return 0;  // every ephemeral port taken
}

Status Host::bind(SocketId s, std::uint16_t port) {
  call_event(s, "bind((\"\", " + std::to_string(port) + "))");
  if (TcpSocket* t = find_tcp(s); t && t->open) {
    if (t->port != 0 || t->role != TcpSocket::Role::Fresh)
      return Error{"", name_,
                   "bind: fd " + std::to_string(s) + " is already bound to port " + std::to_string(t->port) +
                       " (EINVAL)"};
    if (port == 0) port = pick_ephemeral_port();
    if (port == 0) return Error{"", name_, "bind: no free ephemeral port (EADDRINUSE)"};
    if (port_in_use(true, port))
      return Error{"", name_, "bind: TCP port " + std::to_string(port) + " is already in use (EADDRINUSE)"};
    t->port = port;
    tcp_bound_[port] = s;
    return Ok{};
  }
  UdpSocket* sock = find(s);
  if (!sock) return Error{"", name_, "bind on fd " + std::to_string(s) + ": bad file descriptor (EBADF)"};
  if (sock->port != 0)
    return Error{"", name_,
                 "bind: fd " + std::to_string(s) + " is already bound to port " + std::to_string(sock->port) +
                     " (EINVAL)"};
  if (port == 0) port = pick_ephemeral_port();
  if (port == 0) return Error{"", name_, "bind: no free ephemeral port (EADDRINUSE)"};
  if (port_in_use(false, port))
    return Error{"", name_, "bind: UDP port " + std::to_string(port) + " is already in use (EADDRINUSE)"};
  sock->port = port;
  udp_ports_[port] = s;
  return Ok{};
}

Status Host::sendto(SocketId s, std::span<const std::uint8_t> data, wire::Ipv4Addr dst,
                    std::uint16_t dst_port) {
  call_event(s, "sendto(" + std::to_string(data.size()) + " bytes, (\"" + dst.to_string() + "\", " +
                    std::to_string(dst_port) + "))");
  UdpSocket* sock = find(s);
  if (!sock) return Error{"", name_, "sendto on fd " + std::to_string(s) + ": bad file descriptor (EBADF)"};
  // RFC 768 length field: 8-byte header + data must fit in 16 bits, and IPv4 adds 20 more.
  if (data.size() > 65535 - 8 - 20)
    return Error{
        "", name_,
        "sendto: " + std::to_string(data.size()) + " bytes exceed the 65507-byte UDP maximum (EMSGSIZE)"};
  // Linux: with no route to the destination sendto fails at once (ip_route_output: ENETUNREACH).
  if (net_.routed() && !net_.next_hop(index_, dst))
    return Error{"", name_,
                 "sendto: no route to " + dst.to_string() + ": network is unreachable (ENETUNREACH)"};
  if (sock->port == 0) {
    if (auto st = bind(s, 0); !st) return st;
    note(s, "implicit bind to ephemeral port " + std::to_string(sock->port));
  }
  PacketRecord rec;
  rec.time = net_.now();
  rec.payload_len = static_cast<std::uint32_t>(data.size());
  rec.ip_id = next_ip_id_++;
  rec.ttl = sock->ttl;
  rec.cause = Cause::Datagram;
  rec.payload_ref = net_.trace().store_payload(data);
  net_.send(index_, dst, rec, Transport::Udp, sock->port, dst_port);
  return Ok{};
}

void Host::recvfrom(SocketId s, std::size_t max_bytes, std::function<void(SimTime, RecvFromResult)> done) {
  call_event(s, "recvfrom(" + std::to_string(max_bytes) + ")");
  UdpSocket* sock = find(s);
  if (!sock) {
    RecvFromResult r;
    r.closed = true;
    done(net_.now(), std::move(r));
    return;
  }
  if (!sock->pending_error.empty()) {
    // udp(7): an ICMP error about a connected socket's peer fails the next call, once.
    RecvFromResult r;
    r.error = "recvfrom: " + std::exchange(sock->pending_error, std::string());
    net_.trace().add_event(TraceEvent{net_.now(), EventKind::SocketReturn, index_, s, -1, r.error});
    post([done = std::move(done), r = std::move(r)](SimTime now) mutable { done(now, std::move(r)); });
    return;
  }
  sock->waiter = UdpSocket::Waiter{max_bytes, std::move(done)};
  if (sock->queue.empty()) {
    net_.trace().add_event(TraceEvent{net_.now(), EventKind::SocketBlocked, index_, s, 0,
                                      "recvfrom blocks: no datagram queued yet"});
    return;
  }
  // Data is already there: return now, but through the event loop so callers see one behaviour.
  net_.loop().at(net_.now(), [this, s](SimTime now) { receive_ready(now, s); });
}

void Host::receive_ready(SimTime now, SocketId s) {
  UdpSocket* sock = find(s);
  if (!sock || !sock->waiter || sock->queue.empty()) return;
  UdpSocket::Waiter w = std::move(*sock->waiter);
  sock->waiter.reset();
  RecvFromResult r;
  r.datagram = std::move(sock->queue.front());
  sock->queue.pop_front();
  sock->queued_bytes -= r.datagram.data.size();
  r.original_size = r.datagram.data.size();
  if (r.datagram.data.size() > w.max_bytes) r.datagram.data.resize(w.max_bytes);  // the rest is discarded
  net_.trace().add_event(
      TraceEvent{now, EventKind::SocketReturn, index_, s, static_cast<std::int64_t>(r.datagram.data.size()),
                 "recvfrom -> " + std::to_string(r.datagram.data.size()) + " bytes from (\"" +
                     r.datagram.from.to_string() + "\", " + std::to_string(r.datagram.from_port) + ")" +
                     (r.original_size > r.datagram.data.size()
                          ? " (truncated from " + std::to_string(r.original_size) + ")"
                          : "")});
  w.done(now, std::move(r));
}

Status Host::close(SocketId s) {
  call_event(s, "close()");
  if (TcpSocket* t = find_tcp(s); t && t->open) return close_tcp(s);
  UdpSocket* sock = find(s);
  if (!sock) return Error{"", name_, "close on fd " + std::to_string(s) + ": bad file descriptor (EBADF)"};
  if (sock->port) udp_ports_.erase(sock->port);
  sock->open = false;
  if (sock->waiter) {
    auto w = std::move(*sock->waiter);
    sock->waiter.reset();
    RecvFromResult r;
    r.closed = true;
    w.done(net_.now(), std::move(r));
  }
  return Ok{};
}

std::uint16_t Host::local_port(SocketId s) const {
  if (s < sockets_.size() && sockets_[s].tcp) return sockets_[s].tcp->port;
  const UdpSocket* sock = find(s);
  return sock ? sock->port : 0;
}

void Host::receive(SimTime now, std::uint32_t packet, const wire::TcpOptions* options) {
  if (receive_tap_) return receive_tap_(now, packet);
  Trace& trace = net_.trace();
  const TraceFlow& flow = trace.flows()[trace.flow_of(packet)];
  if (flow.proto == Transport::Tcp && !(trace.marks(packet) & mark::kCorrupted))
    return receive_tcp(now, packet, options);
  const PacketRecord p = trace.packet(packet);
  const TraceFlow& f = trace.flows()[p.flow];
  const bool forward = p.dir == Direction::AtoB;
  if (p.marks & mark::kCorrupted) {
    // The receiver verifies the checksum (RFC 768 / RFC 1122 §4.1.3.4) and silently discards.
    trace.set_fate(packet, Fate::DroppedByHost, now, p.rule);
    note(UINT32_MAX, "discarded a corrupted packet: checksum error");
    return;
  }
  if (f.proto == Transport::Icmp) return receive_icmp(now, packet);
  if (f.proto != Transport::Udp) return;
  const std::uint16_t dport = forward ? f.b_port : f.a_port;
  auto it = udp_ports_.find(dport);
  if (it == udp_ports_.end()) {
    trace.set_fate(packet, Fate::DroppedByHost, now);
    note(TraceEvent::kNone,
         "datagram to UDP port " + std::to_string(dport) + " dropped: no socket is bound there");
    // RFC 1122 §4.1.3.1: a datagram to a port nobody listens on is answered with ICMP port unreachable
    // (routed networks only: the direct lessons predate ICMP and keep their output).
    if (net_.routed()) reply_port_unreachable(packet);
    return;
  }
  UdpSocket& sock = *sockets_[it->second].udp;
  std::vector<std::uint8_t> data;
  trace.payload_bytes(packet, data);
  if (sock.queued_bytes + data.size() > sock.rcvbuf_bytes) {
    trace.set_fate(packet, Fate::DroppedByHost, now);
    note(sock.id, "datagram dropped: receive buffer full (" + std::to_string(sock.rcvbuf_bytes) + " bytes)");
    return;
  }
  ReceivedDatagram d;
  d.data = std::move(data);
  d.from = (forward ? f.a : f.b).v4();
  d.from_port = forward ? f.a_port : f.b_port;
  d.arrived = now;
  d.packet = packet;
  sock.queued_bytes += d.data.size();
  sock.queue.push_back(std::move(d));
  if (sock.waiter) receive_ready(now, sock.id);
}

}  // namespace wirestep
