// Shared helpers for the TCP suites (tcp_*_test.cpp). Two ways to reach a connection:
//  - TcpLab: two hosts, A (10.0.0.1) and B (10.0.0.2), on one duplex link with configurable latency, loss and
//    scripted drops, driven through the socket API; ladder() reads the Trace back as the RFC figures draw it.
//  - ConnPair / single TcpConnection objects driven by hand, for segments no real peer would send
//    (crafted RSTs) and ISNs chosen by the test.
// Times are exact: the default link has no bandwidth limit (no serialization delay) and no jitter.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/net/host.hpp"
#include "sim/net/impairment.hpp"
#include "sim/net/link.hpp"
#include "sim/net/network.hpp"
#include "sim/tcp/tcp_config.hpp"
#include "sim/tcp/tcp_connection.hpp"
#include "sim/trace/trace.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep::tcptest {

namespace flag = wire::tcp_flag;

inline constexpr wire::Ipv4Addr kAddrA{0x0A000001};              // 10.0.0.1
inline constexpr wire::Ipv4Addr kAddrB{0x0A000002};              // 10.0.0.2
inline constexpr std::uint64_t kOneFullFramePerMs = 12'112'000;  // bit/s: 1514 bytes * 8 per millisecond

constexpr SimTime at_ns(std::int64_t ns) {
  return SimTime{ns};
}
constexpr SimTime at_us(std::int64_t us) {
  return SimTime{SimDuration::micros(us).ns};
}
constexpr SimTime at_ms(std::int64_t ms) {
  return SimTime{SimDuration::millis(ms).ns};
}
constexpr SimDuration ms(std::int64_t v) {
  return SimDuration::millis(v);
}

// "1010ms", "10.5ms", "0.000001ms": exact, trailing zeros trimmed.
inline std::string format_ms(SimTime t) {
  std::string out = std::to_string(t.ns / 1'000'000);
  std::int64_t frac = t.ns % 1'000'000;
  if (frac != 0) {
    std::string f = std::to_string(frac);
    f.insert(0, 6 - f.size(), '0');
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out + "ms";
}

// Times and states as strings, so assertions print readably: when(entered_at(...)) == "1030ms".
inline std::string when(std::optional<SimTime> t) {
  return t ? format_ms(*t) : std::string("never");
}
inline std::string name(TcpState s) {
  return std::string(to_string(s));
}

// Drops the nth (1-based) TCP packets of a kind, as `type = "drop"` does in a scenario.
inline Impairment drop(PacketKind kind, std::vector<std::uint32_t> nth) {
  ScriptedDrop s;
  s.kind = kind;
  s.proto = Transport::Tcp;
  s.nth = std::move(nth);
  return Impairment{s, ""};
}

// Every TCP packet of a kind in [from, until); no `until` means to the end of the run.
inline Impairment drop_between(PacketKind kind, SimTime from, std::optional<SimTime> until = std::nullopt) {
  ScriptedDrop s;
  s.kind = kind;
  s.proto = Transport::Tcp;
  s.from = from;
  s.until = until;
  return Impairment{s, ""};
}

// One segment on the wire, numbered as RFC 9293 figures number them: seq relative to the sender's ISN, ack
// relative to the receiver's ISN (taken from each direction's first SYN; raw when a direction sent none).
struct WireSeg {
  std::size_t index = 0;  // in the Trace
  SimTime time;           // sent
  SimTime arrive;         // arrived, or dropped
  std::string from;       // host name
  std::string to;
  std::uint8_t flags = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;  // 0 when the ACK bit is off
  std::uint32_t len = 0;
  std::uint16_t window = 0;  // as on the wire (unscaled)
  Fate fate = Fate::Delivered;
  Cause cause = Cause::FirstTransmission;
  std::optional<wire::TcpOptions> options;

  bool has(std::uint8_t f) const { return (flags & f) != 0; }
  bool lost() const { return fate == Fate::DroppedByLink || fate == Fate::DroppedByQueue; }
  // "A>B <SEQ=1><ACK=1><CTL=ACK>", with <DATA=n> when it carries data.
  std::string rfc() const {
    std::string out = from + ">" + to + " <SEQ=" + std::to_string(seq) + ">";
    if (flags & flag::kAck) out += "<ACK=" + std::to_string(ack) + ">";
    out += "<CTL=" + wire::tcp_flags_to_string(flags) + ">";
    if (len > 0) out += "<DATA=" + std::to_string(len) + ">";
    return out;
  }
  // rfc() after the send time, marked when the link dropped it: "1000ms A>B <SEQ=0><CTL=SYN> lost".
  std::string str() const { return format_ms(time) + " " + rfc() + (lost() ? " lost" : ""); }
};

inline std::ostream& operator<<(std::ostream& os, const WireSeg& s) {
  return os << s.str() << " win=" << s.window << " cause=" << to_string(s.cause)
            << " fate=" << to_string(s.fate);
}

// Every TCP segment of one flow, in send order.
inline std::vector<WireSeg> ladder(const Trace& trace, std::uint32_t flow = 0) {
  std::vector<WireSeg> out;
  if (flow >= trace.flows().size()) return out;
  const TraceFlow& f = trace.flows()[flow];
  auto host_name = [&](std::uint32_t h) {
    return h < trace.hosts().size() ? trace.hosts()[h].name : std::string("?");
  };
  const std::string name_a = host_name(f.a_host), name_b = host_name(f.b_host);
  std::optional<std::uint32_t> isn[2];
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    if (trace.flow_of(i) != flow) continue;
    const PacketRecord p = trace.packet(i);
    const int d = static_cast<int>(p.dir);
    if ((p.tcp_flags & flag::kSyn) && !isn[d]) isn[d] = p.seq;
  }
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    if (trace.flow_of(i) != flow) continue;
    const PacketRecord p = trace.packet(i);
    const int d = static_cast<int>(p.dir);
    WireSeg s;
    s.index = i;
    s.time = p.time;
    s.arrive = p.arrive;
    s.from = d == 0 ? name_a : name_b;
    s.to = d == 0 ? name_b : name_a;
    s.flags = p.tcp_flags;
    s.seq = p.seq - isn[d].value_or(0);
    s.ack = (p.tcp_flags & flag::kAck) ? p.ack - isn[1 - d].value_or(0) : 0;
    s.len = p.payload_len;
    s.window = p.window;
    s.fate = p.fate;
    s.cause = p.cause;
    s.options = p.options;
    out.push_back(std::move(s));
  }
  return out;
}

using Lines = std::vector<std::string>;

inline std::vector<std::string> rfc_lines(const std::vector<WireSeg>& segs) {
  std::vector<std::string> out;
  for (const auto& s : segs) out.push_back(s.rfc());
  return out;
}
inline std::vector<std::string> lines(const std::vector<WireSeg>& segs) {
  std::vector<std::string> out;
  for (const auto& s : segs) out.push_back(s.str());
  return out;
}
// Lines of segments [first, first + count), e.g. the teardown after the three handshake segments.
inline Lines lines(const std::vector<WireSeg>& segs, std::size_t first, std::size_t count = SIZE_MAX) {
  Lines out;
  for (std::size_t i = first; i < segs.size() && i - first < count; ++i) out.push_back(segs[i].str());
  return out;
}
// The whole ladder, one segment per line, for failure messages.
inline std::string dump(const std::vector<WireSeg>& segs) {
  std::string out;
  for (const auto& s : segs) {
    std::ostringstream os;
    os << s;
    out += "  " + os.str() + "\n";
  }
  return out;
}

template <typename Pred>
std::vector<WireSeg> filter(const std::vector<WireSeg>& segs, Pred keep) {
  std::vector<WireSeg> out;
  for (const auto& s : segs)
    if (keep(s)) out.push_back(s);
  return out;
}
inline std::vector<WireSeg> from_host(const std::vector<WireSeg>& segs, const std::string& host) {
  return filter(segs, [&](const WireSeg& s) { return s.from == host; });
}
inline std::vector<WireSeg> with_cause(const std::vector<WireSeg>& segs, Cause c) {
  return filter(segs, [&](const WireSeg& s) { return s.cause == c; });
}
inline std::vector<WireSeg> data_segments(const std::vector<WireSeg>& segs, const std::string& host) {
  return filter(segs, [&](const WireSeg& s) { return s.from == host && s.len > 0; });
}

// The TCP states one socket passed through, from the Trace's StateChange events.
inline std::vector<TcpState> states_of(const Trace& trace, std::uint32_t host, std::uint32_t socket) {
  std::vector<TcpState> out;
  for (const auto& e : trace.events())
    if (e.kind == EventKind::StateChange && e.host == host && e.socket == socket)
      out.push_back(static_cast<TcpState>(e.value));
  return out;
}
// When one socket entered `state` (first time), if it did.
inline std::optional<SimTime> entered_at(const Trace& trace, std::uint32_t host, std::uint32_t socket,
                                         TcpState state) {
  for (const auto& e : trace.events())
    if (e.kind == EventKind::StateChange && e.host == host && e.socket == socket &&
        static_cast<TcpState>(e.value) == state)
      return e.time;
  return std::nullopt;
}
// Every value one Trace variable (cwnd, ssthresh, ...) took on one host, with its time, in order.
inline std::vector<std::pair<SimTime, std::int64_t>> variable_history(const Trace& trace, std::uint32_t host,
                                                                      TraceVar var) {
  std::vector<std::pair<SimTime, std::int64_t>> out;
  for (const auto& e : trace.events())
    if (e.kind == EventKind::Variable && e.host == host && e.code == static_cast<std::uint8_t>(var))
      out.emplace_back(e.time, e.value);
  return out;
}

inline std::string state_names(const std::vector<TcpState>& states) {
  std::string out;
  for (TcpState s : states) out += (out.empty() ? "" : " -> ") + std::string(to_string(s));
  return out;
}

// What a blocking call returned, and when.
struct CallResult {
  std::optional<SimTime> at;
  bool ok = false;
  std::string error;
  bool returned() const { return at.has_value(); }
};

// recv() in a loop until end of stream (or an error), collecting every byte.
struct Sink {
  std::vector<std::uint8_t> data;
  std::optional<SimTime> eof_at;
  std::optional<std::string> error;
  std::vector<std::pair<SimTime, std::size_t>> reads;  // (time, bytes) of each non-empty recv
};

struct LabOptions {
  std::uint64_t seed = 1;
  SimDuration latency = SimDuration::millis(10);
  // 0: no serialization delay, so times are sums of latencies. kOneFullFramePerMs makes a full 1514-byte
  // frame (1460 + 20 + 20 + 14) take exactly 1 ms, spacing a window's segments 1 ms apart.
  std::uint64_t bandwidth_a_to_b_bps = 0;
  std::uint64_t bandwidth_b_to_a_bps = 0;
  std::vector<Impairment> a_to_b;
  std::vector<Impairment> b_to_a;
  TcpConfig tcp_a;
  TcpConfig tcp_b;
};

// Two hosts on one link. The usual set-up is B listening on port 80 and A connecting to it (listen_b,
// connect_a); every call can be scheduled at an exact simulated time with at().
class TcpLab {
 public:
  static constexpr std::uint16_t kPort = 80;

  explicit TcpLab(LabOptions o = {}) : net(o.seed) {
    a = net.add_host("A", kAddrA);
    b = net.add_host("B", kAddrB);
    LinkParams ab, ba;
    ab.latency = ba.latency = o.latency;
    ab.bandwidth_bps = o.bandwidth_a_to_b_bps;
    ba.bandwidth_bps = o.bandwidth_b_to_a_bps;
    ab.impairments = std::move(o.a_to_b);
    ba.impairments = std::move(o.b_to_a);
    net.connect(a, b, std::move(ab), std::move(ba));
    net.host(a).set_tcp_config(o.tcp_a);
    net.host(b).set_tcp_config(o.tcp_b);
  }

  Host& A() { return net.host(a); }
  Host& B() { return net.host(b); }
  Trace& trace() { return net.trace(); }

  // Runs `fn` at simulated time `t` from the event loop (the socket calls then see net.now() == t).
  void at(SimTime t, std::function<void()> fn) {
    net.loop().at(t, [fn = std::move(fn)](SimTime) { fn(); });
  }
  void run(SimTime until) { net.run(until); }

  // B: socket, bind(port), listen, and accept() every connection; accepted sockets land in `accepted`.
  SocketId listen_b(std::uint16_t port = kPort, std::uint32_t backlog = 5) {
    listener = B().tcp_socket();
    EXPECT_TRUE(B().bind(listener, port).ok());
    EXPECT_TRUE(B().listen(listener, backlog).ok());
    accept_next();
    return listener;
  }
  // A: socket, then connect to B:port at time `when`.
  SocketId connect_a(SimTime when = SimTime{}, std::uint16_t port = kPort) {
    client = A().tcp_socket();
    const SocketId s = client;
    at(when, [this, s, port] { connect(A(), s, kAddrB, port, connected); });
    return client;
  }
  static void connect(Host& h, SocketId s, wire::Ipv4Addr to, std::uint16_t port, CallResult& out) {
    h.connect(s, to, port, [&out](SimTime t, Status st) {
      out.at = t;
      out.ok = st.ok();
      out.error = st.ok() ? "" : st.error().message();
    });
  }
  // The first connection B accepted (the usual single-client case).
  SocketId server() const {
    EXPECT_FALSE(accepted.empty()) << "B accepted no connection";
    return accepted.empty() ? kNoSocket : accepted.front().second;
  }
  const TcpConnection* client_conn() { return A().tcp_connection(client); }
  const TcpConnection* server_conn() { return accepted.empty() ? nullptr : B().tcp_connection(server()); }

  // B listens and A connects at 0: after one round trip plus a one-way delay both are ESTABLISHED.
  // Call it as ASSERT_NO_FATAL_FAILURE(lab.establish()) so a failed handshake stops the test.
  void establish(SimTime until = at_ms(100)) {
    listen_b();
    connect_a();
    run(until);
    ASSERT_TRUE(connected.returned() && connected.ok) << connected.error;
    ASSERT_FALSE(accepted.empty());
  }

  static void send(Host& h, SocketId s, std::vector<std::uint8_t> literal, std::uint64_t bulk,
                   CallResult& out) {
    h.send(s, std::move(literal), bulk, [&out](SimTime t, Result<std::uint64_t> r) {
      out.at = t;
      out.ok = r.ok();
      out.error = r.ok() ? "" : r.error().message();
    });
  }
  static void read_until_eof(Host& h, SocketId s, Sink& sink, std::size_t chunk = 65536) {
    h.recv(s, chunk, [&h, s, &sink, chunk](SimTime t, Result<std::vector<std::uint8_t>> r) {
      if (!r.ok()) {
        sink.error = r.error().message();
        return;
      }
      if (r->empty()) {
        sink.eof_at = t;
        return;
      }
      sink.reads.emplace_back(t, r->size());
      sink.data.insert(sink.data.end(), r->begin(), r->end());
      read_until_eof(h, s, sink, chunk);
    });
  }
  // One recv(max): the result lands in `out` (empty data and ok = end of stream).
  static void recv_once(Host& h, SocketId s, std::size_t max, CallResult& out,
                        std::vector<std::uint8_t>& data) {
    h.recv(s, max, [&out, &data](SimTime t, Result<std::vector<std::uint8_t>> r) {
      out.at = t;
      out.ok = r.ok();
      out.error = r.ok() ? "" : r.error().message();
      if (r.ok()) data = std::move(*r);
    });
  }

  std::vector<WireSeg> wire() const { return ladder(net.trace()); }
  std::vector<TcpState> client_states() const { return states_of(net.trace(), a, client); }
  std::vector<TcpState> server_states() const {
    return accepted.empty() ? std::vector<TcpState>{} : states_of(net.trace(), b, accepted.front().second);
  }

  Network net;
  HostId a = 0;
  HostId b = 0;
  SocketId listener = kNoSocket;
  SocketId client = kNoSocket;
  CallResult connected;
  std::vector<std::pair<SimTime, SocketId>> accepted;

 private:
  void accept_next() {
    B().accept(listener, [this](SimTime t, Result<SocketId> r) {
      if (!r.ok()) return;
      accepted.emplace_back(t, *r);
      accept_next();
    });
  }
};

// "abc...zabc...": recognisable bytes whose value depends only on their offset in the stream.
inline std::vector<std::uint8_t> pattern_bytes(std::size_t n) {
  std::vector<std::uint8_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>('a' + i % 26);
  return out;
}

// ---------------------------------------------------------------- connections driven by hand

// A segment the test builds, with its own payload storage (TcpSegmentIn only holds a span).
struct CraftedSegment {
  TcpSegmentIn seg;
  std::vector<std::uint8_t> payload;
  const TcpSegmentIn& in() {
    seg.payload = payload;
    return seg;
  }
};

inline CraftedSegment crafted(SeqNum seq, SeqNum ack, std::uint8_t flags, std::uint16_t window = 65535,
                              std::uint32_t len = 0, std::optional<std::uint16_t> mss = std::nullopt) {
  CraftedSegment c;
  c.seg.seq = seq;
  c.seg.ack = ack;
  c.seg.flags = flags;
  c.seg.window = window;
  c.seg.options.mss = mss;
  c.payload.assign(len, 'x');
  return c;
}

// What one connection sent, as input for the other. Connections store no payload: the bytes are rebuilt
// from the stream offset, which makes bulk data sent through a ConnPair read back as pattern_bytes().
inline CraftedSegment as_input(const TcpSegmentOut& o) {
  CraftedSegment c;
  c.seg.seq = o.seq;
  c.seg.ack = o.ack;
  c.seg.flags = o.flags;
  c.seg.window = o.window;
  if (o.options) c.seg.options = *o.options;
  c.payload.resize(o.payload_len);
  for (std::uint32_t i = 0; i < o.payload_len; ++i)
    c.payload[i] = static_cast<std::uint8_t>('a' + (o.stream_offset + i) % 26);
  return c;
}

inline std::vector<TcpSegmentOut> drain(TcpConnection& c) {
  std::vector<TcpSegmentOut> out = std::move(c.outbox());
  c.outbox().clear();
  return out;
}

// Two connections with ISNs the test chooses, joined by a wire the test cranks: nothing arrives until the
// test delivers it.
struct ConnPair {
  ConnPair(SeqNum iss_a, SeqNum iss_b, TcpConfig config_a = {}, TcpConfig config_b = {})
      : a(config_a, TcpConnection::TraceContext{&trace, 0, 0, 0, Direction::AtoB}, iss_a),
        b(config_b, TcpConnection::TraceContext{&trace, 1, 0, 0, Direction::BtoA}, iss_b) {}

  // Hands every segment `from` has queued to `to` at `now`; returns them.
  static std::vector<TcpSegmentOut> deliver(TcpConnection& from, TcpConnection& to, SimTime now) {
    std::vector<TcpSegmentOut> segs = drain(from);
    for (const auto& s : segs) {
      CraftedSegment c = as_input(s);
      to.on_segment(now, c.in());
    }
    return segs;
  }
  std::vector<TcpSegmentOut> a_to_b(SimTime now) { return deliver(a, b, now); }
  std::vector<TcpSegmentOut> b_to_a(SimTime now) { return deliver(b, a, now); }

  Trace trace;
  TcpConnection a;
  TcpConnection b;
};

}  // namespace wirestep::tcptest
