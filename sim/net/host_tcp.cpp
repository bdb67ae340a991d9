// The TCP half of a host: socket calls, demultiplexing arriving segments to connections and listeners,
// answering closed ports with RST (RFC 9293 §3.10.7.1), and driving each connection's timers.
#include <algorithm>

#include "sim/net/host.hpp"
#include "sim/net/network.hpp"

namespace wirestep {

using namespace wire::tcp_flag;

namespace {
std::string addr_port(wire::Ipv4Addr a, std::uint16_t p) {
  return "(\"" + a.to_string() + "\", " + std::to_string(p) + ")";
}
}  // namespace

SocketId Host::tcp_socket() {
  const SocketId id = new_slot(true);
  call_event(id, "socket(AF_INET, SOCK_STREAM) -> fd " + std::to_string(id));
  return id;
}

const TcpConnection* Host::tcp_connection(SocketId s) const {
  return s < sockets_.size() && sockets_[s].tcp ? sockets_[s].tcp->conn.get() : nullptr;
}

TcpConnection::TraceContext Host::trace_context(SocketId s, wire::Ipv4Addr remote, std::uint16_t lport,
                                                std::uint16_t rport) {
  const auto remote_host = net_.host_by_addr(remote);
  auto [flow, dir] = net_.trace().flow_for(Transport::Tcp, wire::IpAddr::from_v4(addr_), lport,
                                           wire::IpAddr::from_v4(remote), rport, index_,
                                           remote_host ? *remote_host : TraceFlow::kNoHost);
  // Every simulated sender records its stream in the Trace, so the receive buffer need not copy it.
  return TcpConnection::TraceContext{&net_.trace(), index_, s, flow, dir, true};
}

Status Host::listen(SocketId s, std::uint32_t backlog) {
  call_event(s, "listen(" + std::to_string(backlog) + ")");
  TcpSocket* t = find_tcp(s);
  if (!t || !t->open)
    return Error{"", name_, "listen on fd " + std::to_string(s) + ": not a TCP socket (ENOTSOCK)"};
  if (t->role != TcpSocket::Role::Fresh)
    return Error{"", name_, "listen: the socket is already connected or listening (EINVAL)"};
  if (t->port == 0) {
    if (auto st = bind(s, 0); !st) return st;
  }
  t->role = TcpSocket::Role::Listening;
  t->backlog = std::max<std::uint32_t>(backlog, 1);
  // RFC 9293 §3.3.2: the passive socket is in LISTEN. It has no connection of its own (each client gets a new
  // socket from accept, notes 11.6), so its state is recorded here, where the timeline and the state panel
  // see it beside the connected sockets.
  net_.trace().add_event(
      TraceEvent{net_.now(), EventKind::StateChange, index_, s, static_cast<std::int64_t>(TcpState::Listen),
                 "CLOSED -> LISTEN: listen() makes a passive socket that waits for clients"});
  return Ok{};
}

void Host::accept(SocketId s, std::function<void(SimTime, Result<SocketId>)> done) {
  call_event(s, "accept()");
  TcpSocket* t = find_tcp(s);
  if (!t || !t->open || t->role != TcpSocket::Role::Listening) {
    post([done](SimTime now) { done(now, Error{"", "", "accept: the socket is not listening (EINVAL)"}); });
    return;
  }
  t->accept_waiter = std::move(done);
  if (t->accept_queue.empty()) {
    net_.trace().add_event(TraceEvent{net_.now(), EventKind::SocketBlocked, index_, s, 0,
                                      "accept blocks: no connection has completed the handshake yet"});
    return;
  }
  post([this, s](SimTime) { try_recv(s); });  // try_recv also completes a ready accept
}

void Host::connect(SocketId s, wire::Ipv4Addr dst, std::uint16_t port,
                   std::function<void(SimTime, Status)> done) {
  call_event(s, "connect(" + addr_port(dst, port) + ")");
  TcpSocket* t = find_tcp(s);
  auto fail_now = [&](std::string why) { post([done, why](SimTime now) { done(now, Error{"", "", why}); }); };
  if (!t || !t->open) return fail_now("connect: not a TCP socket (ENOTSOCK)");
  if (t->role != TcpSocket::Role::Fresh)
    return fail_now("connect: the socket is already connected or listening (EISCONN)");
  // Linux: no route to the destination fails connect() at once, before any SYN (ENETUNREACH).
  if (net_.routed() && !net_.next_hop(index_, dst))
    return fail_now("connect: no route to " + dst.to_string() + ": network is unreachable (ENETUNREACH)");
  if (t->port == 0) {
    // Seed note 11.4: a client that does not bind gets an ephemeral port from the system.
    const std::uint16_t p = pick_ephemeral_port();
    if (p == 0) return fail_now("connect: no free ephemeral port (EADDRNOTAVAIL)");
    t->port = p;
    note(s, "implicit bind to ephemeral port " + std::to_string(p));
  } else {
    tcp_bound_.erase(t->port);  // the port now belongs to the connection's 4-tuple
  }
  t->role = TcpSocket::Role::Connection;
  t->remote = dst;
  t->remote_port = port;
  t->connect_waiter = std::move(done);
  // RFC 9293 §3.4.1 / RFC 6528: the ISN is unpredictable; here it comes from the host's seeded stream.
  const SeqNum iss(rng_.next_u32());
  t->conn = std::make_unique<TcpConnection>(tcp_config_, trace_context(s, dst, t->port, port), iss,
                                            timestamp_offset());
  add_connection(s, *t);
  net_.trace().add_event(TraceEvent{net_.now(), EventKind::SocketBlocked, index_, s, 0,
                                    "connect blocks until the three-way handshake completes"});
  t->conn->connect(net_.now());
  service(s);
}

void Host::send(SocketId s, std::vector<std::uint8_t> literal, std::uint64_t bulk_bytes,
                std::function<void(SimTime, Result<std::uint64_t>)> done) {
  call_event(s, "send(" + std::to_string(literal.size() + bulk_bytes) + " bytes)");
  TcpSocket* t = find_tcp(s);
  // send(2) after shutdown(SHUT_WR) fails with EPIPE in every profile (it used to block for ever).
  const bool shut = t && t->open && t->conn && t->conn->send_shut() && t->conn->state() != TcpState::Closed;
  if (t && t->open && t->conn &&
      (shut || (t->conn->config().socket_errors_once && t->conn->state() == TcpState::Closed))) {
    // Linux: a pending error (a reset: ECONNRESET) is reported once; after it, or after shutdown(SHUT_WR),
    // writing gets EPIPE (tcp_sendmsg_locked; send(2)).
    std::string why = "send: the socket is shut down for writing (EPIPE)";
    if (!t->conn->error().empty() && !t->error_reported) why = "send failed: " + t->conn->error();
    t->error_reported = true;
    net_.trace().add_event(
        TraceEvent{net_.now(), EventKind::SocketReturn, index_, s, -1, "send -> error: " + why});
    post([done, why](SimTime now) { done(now, Error{"", "", why}); });
    return;
  }
  if (!t || !t->open || !t->conn || t->conn->state() == TcpState::Closed) {
    post([done](SimTime now) {
      done(now, Error{"", "", "send: the socket is not connected (ENOTCONN / EPIPE)"});
    });
    return;
  }
  t->send_queue.push_back(TcpSocket::PendingSend{std::move(literal), bulk_bytes, 0, std::move(done)});
  try_send(s);
  service(s);
}

void Host::recv(SocketId s, std::size_t max,
                std::function<void(SimTime, Result<std::vector<std::uint8_t>>)> done) {
  net_.trace().add_socket_event(net_.now(), EventKind::SocketCall, index_, s, SocketText::RecvCall,
                                static_cast<std::int64_t>(max));
  TcpSocket* t = find_tcp(s);
  if (!t || !t->open || !t->conn) {
    post([done](SimTime now) { done(now, Error{"", "", "recv: the socket is not connected (ENOTCONN)"}); });
    return;
  }
  t->recv_waiter = TcpSocket::PendingRecv{std::max<std::size_t>(max, 1), std::move(done), nullptr};
  wait_for_data(s, *t);
}

void Host::recv_discard(SocketId s, std::size_t max,
                        std::function<void(SimTime, Result<std::uint64_t>)> done) {
  net_.trace().add_socket_event(net_.now(), EventKind::SocketCall, index_, s, SocketText::RecvTruncCall,
                                static_cast<std::int64_t>(max));
  TcpSocket* t = find_tcp(s);
  if (!t || !t->open || !t->conn) {
    post([done](SimTime now) { done(now, Error{"", "", "recv: the socket is not connected (ENOTCONN)"}); });
    return;
  }
  t->recv_waiter = TcpSocket::PendingRecv{std::max<std::size_t>(max, 1), nullptr, std::move(done)};
  wait_for_data(s, *t);
}

// recv and recv_discard: block until there is something to return, or try at once.
void Host::wait_for_data(SocketId s, const TcpSocket& t) {
  const TcpConnection& c = *t.conn;
  if (c.readable_bytes() == 0 && !c.end_of_stream() && c.error().empty() && c.state() != TcpState::Closed &&
      !t.read_shut) {
    net_.trace().add_socket_event(net_.now(), EventKind::SocketBlocked, index_, s, SocketText::RecvBlocked,
                                  0);
    return;
  }
  post([this, s](SimTime) { try_recv(s); });
}

Status Host::shutdown_send(SocketId s) {
  call_event(s, "shutdown(SHUT_WR)");
  TcpSocket* t = find_tcp(s);
  if (!t || !t->open || !t->conn) return Error{"", name_, "shutdown: the socket is not connected (ENOTCONN)"};
  t->conn->shutdown_send(net_.now());
  service(s);
  return Ok{};
}

Status Host::shutdown(SocketId s, ShutHow how) {
  if (how == ShutHow::Write) return shutdown_send(s);
  call_event(s, how == ShutHow::Read ? "shutdown(SHUT_RD)" : "shutdown(SHUT_RDWR)");
  TcpSocket* t = find_tcp(s);
  if (!t || !t->open || !t->conn) return Error{"", name_, "shutdown: the socket is not connected (ENOTCONN)"};
  // Linux's SHUT_RD sends nothing: data still arriving is acknowledged, but recv returns 0 once the
  // buffered bytes are read. A blocked recv returns now.
  t->read_shut = true;
  if (t->recv_waiter) post([this, s](SimTime) { try_recv(s); });
  if (how == ShutHow::ReadWrite) t->conn->shutdown_send(net_.now());
  service(s);
  return Ok{};
}

bool Host::set_connection_option(SocketId s, TcpOption opt, std::int64_t value) {
  TcpSocket* t = find_tcp(s);
  if (!t || !t->conn) return false;
  const auto bytes = static_cast<std::uint32_t>(std::clamp<std::int64_t>(value, 2048, 1 << 30));
  switch (opt) {
    case TcpOption::NoDelay:
      t->conn->set_nodelay(net_.now(), value != 0);
      break;
    case TcpOption::Cork:
      t->conn->set_cork(net_.now(), value != 0);
      break;
    case TcpOption::SendBuffer:
      t->conn->set_send_buffer(bytes);
      break;
    case TcpOption::RecvBuffer:
      t->conn->set_recv_buffer(net_.now(), bytes);
      break;
    case TcpOption::MoreData:
      t->conn->set_more(value != 0);
      break;
  }
  service(s);
  return true;
}

Status Host::close_tcp(SocketId s) {
  TcpSocket* t = find_tcp(s);
  t->open = false;
  t->accept_waiter = nullptr;
  t->connect_waiter = nullptr;
  t->send_queue.clear();
  t->recv_waiter.reset();
  switch (t->role) {
    case TcpSocket::Role::Fresh:
      if (t->port) tcp_bound_.erase(t->port);
      return Ok{};
    case TcpSocket::Role::Listening: {
      // Seed note 11.7: closing the listener refuses new clients; connections already accepted go on.
      // Connections not yet accepted are reset, as Linux does.
      net_.trace().add_event(TraceEvent{net_.now(), EventKind::StateChange, index_, s,
                                        static_cast<std::int64_t>(TcpState::Closed),
                                        "LISTEN -> CLOSED: close() on the listening socket: no new clients"});
      tcp_bound_.erase(t->port);
      std::vector<SocketId> pending(t->half_open.begin(), t->half_open.end());
      pending.insert(pending.end(), t->accept_queue.begin(), t->accept_queue.end());
      t->half_open.clear();
      t->accept_queue.clear();
      for (SocketId c : pending) {
        TcpSocket* ct = find_tcp(c);
        if (!ct || !ct->conn) continue;
        ct->open = false;
        ct->conn->abort(net_.now());
        service(c);
      }
      return Ok{};
    }
    case TcpSocket::Role::Connection:
      if (!t->conn) return Ok{};
      // RFC 2525 §2.17: closing with unread data resets the connection instead of a FIN.
      if (t->conn->readable_bytes() > 0)
        t->conn->abort(net_.now());
      else
        t->conn->shutdown_send(net_.now());
      service(s);
      return Ok{};
  }
  return Ok{};
}

void Host::try_send(SocketId s) {
  TcpSocket* t = find_tcp(s);
  if (!t || !t->conn) return;
  TcpConnection& c = *t->conn;
  while (!t->send_queue.empty()) {
    TcpSocket::PendingSend& w = t->send_queue.front();
    const std::uint64_t total = w.literal.size() + w.bulk;
    if (!c.error().empty() || c.state() == TcpState::Closed) {
      auto cb = std::move(w.cb);
      t->send_queue.pop_front();
      t->error_reported = true;
      const std::string why =
          "send failed: " + (c.error().empty() ? std::string("connection closed (EPIPE)") : c.error());
      post([cb = std::move(cb), why](SimTime now) { cb(now, Error{"", "", why}); });
      continue;
    }
    if (w.done < total) {
      const std::size_t lit_done =
          static_cast<std::size_t>(std::min<std::uint64_t>(w.done, w.literal.size()));
      const std::uint64_t bulk_done = w.done - lit_done;
      w.done +=
          c.send(net_.now(), std::span<const std::uint8_t>(w.literal).subspan(lit_done), w.bulk - bulk_done);
    }
    if (w.done < total) return;  // the send buffer is full: wait for ACKs
    auto cb = std::move(w.cb);
    t->send_queue.pop_front();
    net_.trace().add_event(TraceEvent{net_.now(), EventKind::SocketReturn, index_, s,
                                      static_cast<std::int64_t>(total), "send -> " + std::to_string(total)});
    post([cb = std::move(cb), total](SimTime now) { cb(now, total); });
  }
}

void Host::try_recv(SocketId s) {
  TcpSocket* t = find_tcp(s);
  if (!t) return;
  if (t->role == TcpSocket::Role::Listening) {
    if (!t->accept_waiter || t->accept_queue.empty()) return;
    const SocketId c = t->accept_queue.front();
    t->accept_queue.pop_front();
    if (TcpSocket* ct = find_tcp(c)) ct->listener = kNoSocket;
    auto cb = std::move(t->accept_waiter);
    t->accept_waiter = nullptr;
    const TcpSocket& ct = *find_tcp(c);
    net_.trace().add_event(
        TraceEvent{net_.now(), EventKind::SocketReturn, index_, s, c,
                   "accept -> new fd " + std::to_string(c) + " for " + addr_port(ct.remote, ct.remote_port)});
    post([cb = std::move(cb), c](SimTime now) { cb(now, c); });
    return;
  }
  if (!t->recv_waiter || !t->conn) return;
  TcpConnection& c = *t->conn;
  std::vector<std::uint8_t> data;
  std::size_t count = 0;
  const bool discard = t->recv_waiter->discard_cb != nullptr;
  std::string error;
  if (c.readable_bytes() > 0) {
    count =
        discard ? c.discard(net_.now(), t->recv_waiter->max) : c.read(net_.now(), data, t->recv_waiter->max);
  } else if (c.end_of_stream() || t->read_shut) {
    // Seed note 11.9: recv returns 0 when the peer has closed and everything was read (or after SHUT_RD).
  } else if (!c.error().empty() && !(t->error_reported && c.config().socket_errors_once)) {
    error = "recv failed: " + c.error();
    t->error_reported = true;
  } else if (c.state() == TcpState::Closed) {
  } else {
    return;  // still waiting
  }
  if (!error.empty())
    net_.trace().add_event(
        TraceEvent{net_.now(), EventKind::SocketReturn, index_, s, 0, "recv -> error: " + error});
  else
    net_.trace().add_socket_event(net_.now(), EventKind::SocketReturn, index_, s, SocketText::RecvReturn,
                                  static_cast<std::int64_t>(count));
  // The callback moves from the waiter straight into the posted call (a move less per read than through a
  // local); posting touches no socket, so the waiter is still there to be cleared after.
  TcpSocket::PendingRecv& w = *t->recv_waiter;
  if (discard && !error.empty())
    post([discard_cb = std::move(w.discard_cb), error](SimTime now) {
      discard_cb(now, Error{"", "", error});
    });
  else if (discard)
    post([discard_cb = std::move(w.discard_cb), count](SimTime now) {
      discard_cb(now, std::uint64_t{count});
    });
  else if (!error.empty())
    post([cb = std::move(w.cb), error](SimTime now) { cb(now, Error{"", "", error}); });
  else
    post([cb = std::move(w.cb), d = std::move(data)](SimTime now) mutable { cb(now, std::move(d)); });
  t->recv_waiter.reset();
  // Reading may have produced a window update; nothing else a read does needs the socket layer (it changes
  // no state and arms no timer without sending).
  if (!c.outbox().empty()) service(s);
}

void Host::wake_after_arrivals(SocketId s, bool TcpSocket::*posted, void (Host::*call)(SocketId)) {
  // Posted, the wake-up runs after the events already due at this instant (the segments still arriving);
  // `posted` keeps it to one per socket until it has run.
  TcpSocket* t = find_tcp(s);
  if (!t || t->*posted) return;
  t->*posted = true;
  post([this, s, posted, call](SimTime) {
    TcpSocket* w = find_tcp(s);
    if (!w) return;
    w->*posted = false;
    (this->*call)(s);
    if (w = find_tcp(s); w && w->conn) service(s);
  });
}

void Host::service(SocketId s) {
  TcpSocket* t = find_tcp(s);
  if (!t || !t->conn) return;
  TcpConnection& c = *t->conn;
  for (const TcpSegmentOut& seg : c.outbox()) {
    // Every field set, as a fresh PacketRecord would have it (send_on_flow may move from it).
    PacketRecord& rec = out_record_;
    rec.time = SimTime{};
    rec.arrive = SimTime{};
    rec.fate = Fate::Delivered;
    rec.marks = 0;
    rec.rule = 0;
    rec.icmp.reset();
    rec.arp.reset();
    rec.seq = seg.seq.raw();
    rec.ack = seg.ack.raw();
    rec.tcp_flags = seg.flags;
    rec.window = seg.window;
    rec.options = seg.options;
    rec.payload_len = seg.payload_len;
    rec.payload_ref = seg.stream_offset;
    rec.ip_id = next_ip_id_++;
    rec.ttl = 64;
    rec.cause = seg.cause;
    rec.flow = c.trace_context().flow;
    rec.dir = c.trace_context().dir;
    net_.send_on_flow(index_, t->remote, std::move(rec), Transport::Tcp);
  }
  c.outbox().clear();
  const std::uint8_t n = c.take_notices();
  const SimTime now = net_.now();
  if (n & tcp_notice::kEstablished) {
    if (t->connect_waiter) {
      auto cb = std::move(t->connect_waiter);
      t->connect_waiter = nullptr;
      const std::string err = c.error();
      net_.trace().add_event(
          TraceEvent{now, EventKind::SocketReturn, index_, s, err.empty() ? 0 : -1,
                     err.empty() ? std::string("connect -> 0 (connected)") : "connect -> error: " + err});
      if (err.empty())
        post([cb = std::move(cb)](SimTime at) { cb(at, Ok{}); });
      else
        post([cb = std::move(cb), err](SimTime at) { cb(at, Error{"", "", err}); });
    }
    if (t->listener != kNoSocket && c.error().empty()) {
      if (TcpSocket* l = find_tcp(t->listener); l && l->open) {
        std::erase(l->half_open, s);
        l->accept_queue.push_back(s);
        try_recv(t->listener);
      }
    }
  }
  if (n & tcp_notice::kError) {
    if (t->listener != kNoSocket) {
      if (TcpSocket* l = find_tcp(t->listener)) {
        std::erase(l->half_open, s);
        std::erase(l->accept_queue, s);
      }
    }
  }
  if (n & (tcp_notice::kReadable | tcp_notice::kError)) {
    // RFC 2525 §2.17: data for a socket the application already closed: reset (what Linux does).
    if (!t->open && c.readable_bytes() > 0 && c.state() != TcpState::Closed) {
      c.abort(now);
      return service(s);
    }
    // A reader asleep in recv (linux profile) is a process the data's softirq wakes, like the writer below:
    // it runs after the segments already arriving at this instant, so their ACKs still see them unread
    // (real Linux behind the twin relay: the window shrinks segment by segment through a burst).
    if (t->recv_waiter && t->conn->config().linux_receive_window && t->role != TcpSocket::Role::Listening)
      wake_after_arrivals(s, &TcpSocket::reader_wake_posted, &Host::try_recv);
    else
      try_recv(s);
  }
  if (n & tcp_notice::kError) {
    try_send(s);
  } else if (n & tcp_notice::kWritable) {
    // A writer asleep for send-buffer space (linux profile: sk_stream_wait_memory) is a process the ACK's
    // softirq wakes: it runs after the packets already arriving at this instant, not inside the ACK that
    // woke it, so those ACKs' repairs go out before the data it writes (as a real capture shows).
    TcpSocket* tw = find_tcp(s);
    const bool asleep = tw && tw->conn && tw->conn->config().linux_send_buffer && !tw->send_queue.empty() &&
                        tw->send_queue.front().done > 0;
    if (asleep)
      wake_after_arrivals(s, &TcpSocket::writer_wake_posted, &Host::try_send);
    else
      try_send(s);
  }
  t = find_tcp(s);
  if (!t || !t->conn) return;
  if (!t->conn->outbox().empty()) return service(s);  // a woken call queued more to send
  if (t->conn->state() == TcpState::Closed) {
    release_tcp(s);
    return;
  }
  const auto d = t->conn->next_deadline();
  if (d && (!t->wake_at || *d < *t->wake_at)) {
    t->wake_at = *d;
    net_.loop().at(*d, [this, s](SimTime at) { on_tcp_timer(at, s); });
  }
}

void Host::on_tcp_timer(SimTime now, SocketId s) {
  TcpSocket* t = find_tcp(s);
  if (!t || !t->conn) return;
  if (t->wake_at && *t->wake_at <= now) t->wake_at.reset();
  const auto d = t->conn->next_deadline();
  if (d && *d <= now) t->conn->on_deadline(now);
  service(s);
}

void Host::release_tcp(SocketId s) {
  TcpSocket* t = find_tcp(s);
  if (!t) return;
  remove_connection(s, *t);
  if (t->listener != kNoSocket) {
    if (TcpSocket* l = find_tcp(t->listener)) {
      std::erase(l->half_open, s);
      std::erase(l->accept_queue, s);
    }
  }
  // Wake calls still blocked on it (they see the error, or end of stream).
  if (t->connect_waiter || t->recv_waiter || !t->send_queue.empty()) {
    if (t->connect_waiter) {
      auto cb = std::move(t->connect_waiter);
      t->connect_waiter = nullptr;
      const std::string err = t->conn->error().empty() ? "connection closed" : t->conn->error();
      post([cb = std::move(cb), err](SimTime at) { cb(at, Error{"", "", err}); });
    }
    try_recv(s);
    try_send(s);
  }
  // The TCB is gone (RFC 9293 §3.10.7.4); keep the socket so late reads see end of stream or the error.
  t->wake_at.reset();
}

void Host::reply_rst(const TcpSegmentIn& seg, wire::Ipv4Addr to, std::uint16_t from_port,
                     std::uint16_t to_port) {
  // RFC 9293 §3.10.7.1: if the ACK bit is off, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>;
  // if it is on, <SEQ=SEG.ACK><CTL=RST>.
  PacketRecord rst;
  if (seg.has(kAck)) {
    rst.seq = seg.ack.raw();
    rst.tcp_flags = kRst;
  } else {
    rst.seq = 0;
    rst.ack = (seg.seq + seg.seg_len()).raw();
    rst.tcp_flags = kRst | kAck;
  }
  rst.ip_id = next_ip_id_++;
  rst.cause = Cause::Reset;
  net_.send(index_, to, rst, Transport::Tcp, from_port, to_port);
}

void Host::add_connection(SocketId s, const TcpSocket& t) {
  tcp_conns_[{t.port, t.remote.value, t.remote_port}] = s;
  const TcpConnection::TraceContext& tc = t.conn->trace_context();
  const std::size_t key = std::size_t{tc.flow} * 2 + static_cast<std::size_t>(tc.dir);
  if (key >= tcp_by_flow_.size()) tcp_by_flow_.resize(key + 1, kNoSocket);
  tcp_by_flow_[key] = s;
}

void Host::remove_connection(SocketId s, const TcpSocket& t) {
  tcp_conns_.erase({t.port, t.remote.value, t.remote_port});
  if (!t.conn) return;
  const TcpConnection::TraceContext& tc = t.conn->trace_context();
  const std::size_t key = std::size_t{tc.flow} * 2 + static_cast<std::size_t>(tc.dir);
  if (key < tcp_by_flow_.size() && tcp_by_flow_[key] == s) tcp_by_flow_[key] = kNoSocket;
}

void Host::receive_tcp(SimTime now, std::uint32_t packet, const wire::TcpOptions* options) {
  const Trace& trace = net_.trace();
  const std::uint32_t flow = trace.flow_of(packet);
  const Direction dir = trace.direction(packet);
  struct PayloadOf {
    const Trace* trace;
    std::uint32_t packet;
  } const payload_of{&trace, packet};
  TcpSegmentIn seg;
  seg.seq = SeqNum(trace.seq(packet));
  seg.ack = SeqNum(trace.ack(packet));
  seg.flags = trace.tcp_flags(packet);
  seg.window = trace.window(packet);
  if (options)
    seg.options = *options;
  else if (auto o = trace.options(packet))
    seg.options = *o;
  seg.fill = [](const void* context, std::uint32_t from, std::uint32_t n, std::uint8_t* out) {
    const auto* of = static_cast<const PayloadOf*>(context);
    of->trace->copy_payload(of->packet, from, n, out);
  };
  seg.fill_context = &payload_of;
  seg.fill_len = trace.payload_len(packet);

  // The connection this segment belongs to sends in the other direction of the same flow.
  const std::size_t key = std::size_t{flow} * 2 + (dir == Direction::AtoB ? 1 : 0);
  if (key < tcp_by_flow_.size() && tcp_by_flow_[key] != kNoSocket) {
    const SocketId s = tcp_by_flow_[key];
    find_tcp(s)->conn->on_segment(now, seg);
    service(s);
    return;
  }
  const TraceFlow& f = trace.flows()[flow];
  const bool forward = dir == Direction::AtoB;
  const wire::Ipv4Addr src = (forward ? f.a : f.b).v4();
  const std::uint16_t sport = forward ? f.a_port : f.b_port;
  const std::uint16_t dport = forward ? f.b_port : f.a_port;
  auto lit = tcp_bound_.find(dport);
  TcpSocket* listener = lit == tcp_bound_.end() ? nullptr : find_tcp(lit->second);
  if (listener && listener->open && listener->role == TcpSocket::Role::Listening) {
    // RFC 9293 §3.10.7.2 (LISTEN): RST is ignored, an ACK is answered with RST, a SYN opens a connection.
    if (seg.has(kRst)) return;
    if (seg.has(kAck)) return reply_rst(seg, src, dport, sport);
    if (!seg.has(kSyn)) return;
    if (listener->half_open.size() + listener->accept_queue.size() >= listener->backlog) {
      note(listener->id, "SYN from " + src.to_string() + ":" + std::to_string(sport) +
                             " dropped: the listen backlog (" + std::to_string(listener->backlog) +
                             ") is full");
      return;
    }
    const SocketId l = listener->id;
    const SocketId s = new_slot(true);
    TcpSocket* t = find_tcp(s);  // (new_slot may have moved the table: look both up again)
    t->role = TcpSocket::Role::Connection;
    t->port = dport;
    t->remote = src;
    t->remote_port = sport;
    t->listener = l;
    const SeqNum iss(rng_.next_u32());
    t->conn = std::make_unique<TcpConnection>(tcp_config_, trace_context(s, src, dport, sport), iss,
                                              timestamp_offset());
    add_connection(s, *t);
    find_tcp(l)->half_open.push_back(s);
    t->conn->open_from_listen(now, seg);
    service(s);
    return;
  }
  // No socket: CLOSED state. A RST is dropped; anything else is answered with RST (seed note 11: connecting
  // to a port nobody listens on is refused).
  if (seg.has(kRst)) return;
  note(TraceEvent::kNone,
       "TCP segment to port " + std::to_string(dport) + ": nobody listens there, answering with RST");
  reply_rst(seg, src, dport, sport);
}

}  // namespace wirestep
