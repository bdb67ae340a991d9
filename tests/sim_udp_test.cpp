// Hosts and UDP sockets on a simulated network (RFC 768): blocking recvfrom, ports, truncation, full duplex
// and loss without retransmission, as the seed notes (§8, §10) teach them.
#include <gtest/gtest.h>

#include <optional>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/net/host.hpp"
#include "sim/net/network.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {
namespace sim_udp_test {

constexpr wire::Ipv4Addr kAddrA{0x0A000001};  // 10.0.0.1
constexpr wire::Ipv4Addr kAddrB{0x0A000002};  // 10.0.0.2

constexpr SimTime at_ms(std::int64_t ms) {
  return SimTime{SimDuration::millis(ms).ns};
}

std::vector<std::uint8_t> bytes_of(const std::string& s) {
  return {s.begin(), s.end()};
}
std::string text_of(const std::vector<std::uint8_t>& b) {
  return {b.begin(), b.end()};
}

// 5 ms latency at 8 Mbit/s: one byte on the wire takes exactly 1 µs.
LinkParams lab_link() {
  LinkParams p;
  p.latency = SimDuration::millis(5);
  p.bandwidth_bps = 8'000'000;
  return p;
}

// Two hosts, A (10.0.0.1) and B (10.0.0.2), joined by one duplex link.
struct Lab {
  explicit Lab(std::uint64_t seed, LinkParams a_to_b = lab_link(), LinkParams b_to_a = lab_link())
      : net(seed) {
    a = net.add_host("A", kAddrA);
    b = net.add_host("B", kAddrB);
    net.connect(a, b, std::move(a_to_b), std::move(b_to_a));
  }
  Host& host_a() { return net.host(a); }
  Host& host_b() { return net.host(b); }

  Network net;
  HostId a = 0;
  HostId b = 0;
};

// A datagram payload whose wire size (Ethernet 14 + IPv4 20 + UDP 8 + data) is exactly 1000 bytes: 1 ms at 8
// Mbit/s.
constexpr std::size_t kPayloadFor1000WireBytes = 1000 - 14 - 20 - 8;

// Events are materialized on read (Trace::event): return them by value.
std::vector<std::optional<TraceEvent>> events_of(const Trace& t, EventKind kind) {
  std::vector<std::optional<TraceEvent>> out;
  for (auto& e : t.events())
    if (e.kind == kind) out.push_back(std::move(e));
  return out;
}

// RFC 768: recvfrom on an empty socket waits; it returns when the datagram arrives, not before.
TEST(UdpRecvfrom, BlocksAndReturnsAtExactlyTheArrivalTime) {
  // Sent at 1 ms: 1 ms serialization + 5 ms latency, so recvfrom returns at 7 ms and not a nanosecond
  // earlier.
  Lab lab(1);
  Host& b = lab.host_b();
  const SocketId rs = b.udp_socket();
  ASSERT_TRUE(b.bind(rs, 8080).ok());
  bool returned = false;
  SimTime returned_at{};
  RecvFromResult got;
  b.recvfrom(rs, 1024, [&](SimTime t, RecvFromResult r) {
    returned = true;
    returned_at = t;
    got = std::move(r);
  });
  EXPECT_FALSE(returned);

  Host& a = lab.host_a();
  const SocketId ss = a.udp_socket();
  ASSERT_TRUE(a.bind(ss, 2525).ok());
  const std::vector<std::uint8_t> payload(kPayloadFor1000WireBytes, 0x5A);
  lab.net.loop().at(at_ms(1), [&](SimTime) { ASSERT_TRUE(a.sendto(ss, payload, kAddrB, 8080).ok()); });
  bool checked_before = false;
  lab.net.loop().at(at_ms(7) - SimDuration{1}, [&](SimTime) {
    checked_before = true;
    EXPECT_FALSE(returned) << "recvfrom returned before the datagram arrived";
  });
  lab.net.run(SimTime::max());

  EXPECT_TRUE(checked_before);
  ASSERT_TRUE(returned);
  EXPECT_EQ(returned_at, at_ms(7));
  EXPECT_FALSE(got.closed);
  EXPECT_EQ(got.datagram.data, payload);
  EXPECT_EQ(got.original_size, payload.size());
  EXPECT_EQ(got.datagram.from, kAddrA);
  EXPECT_EQ(got.datagram.from_port, 2525);
  EXPECT_EQ(got.datagram.arrived, at_ms(7));

  const Trace& trace = lab.net.trace();
  const auto blocked = events_of(trace, EventKind::SocketBlocked);
  ASSERT_EQ(blocked.size(), 1u);
  EXPECT_EQ(blocked[0]->time, SimTime{0});
  EXPECT_EQ(blocked[0]->host, lab.b);
  EXPECT_EQ(blocked[0]->detail, "recvfrom blocks: no datagram queued yet");
  const auto returns = events_of(trace, EventKind::SocketReturn);
  ASSERT_EQ(returns.size(), 1u);
  EXPECT_EQ(returns[0]->time, at_ms(7));
  EXPECT_EQ(returns[0]->value, 958);
  EXPECT_EQ(returns[0]->detail, "recvfrom -> 958 bytes from (\"10.0.0.1\", 2525)");

  ASSERT_EQ(trace.packet_count(), 1u);
  const PacketRecord p = trace.packet(0);
  EXPECT_EQ(p.time, at_ms(1));
  EXPECT_EQ(p.arrive, at_ms(7));
  EXPECT_EQ(p.fate, Fate::Delivered);
  EXPECT_EQ(p.cause, Cause::Datagram);
  EXPECT_EQ(p.payload_len, 958u);
}

TEST(UdpRecvfrom, QueuedDatagramReturnsAtOnce) {
  // A datagram that arrived before recvfrom is called is handed over at the time of the call.
  Lab lab(1);
  Host& a = lab.host_a();
  Host& b = lab.host_b();
  const SocketId rs = b.udp_socket();
  ASSERT_TRUE(b.bind(rs, 8080).ok());
  const SocketId ss = a.udp_socket();
  ASSERT_TRUE(a.sendto(ss, bytes_of("early"), kAddrB, 8080).ok());  // arrives at 5.047 ms
  SimTime returned_at{};
  std::string text;
  lab.net.loop().at(at_ms(20), [&](SimTime) {
    b.recvfrom(rs, 1024, [&](SimTime t, RecvFromResult r) {
      returned_at = t;
      text = text_of(r.datagram.data);
    });
  });
  lab.net.run(SimTime::max());
  EXPECT_EQ(returned_at, at_ms(20));
  EXPECT_EQ(text, "early");
  EXPECT_TRUE(events_of(lab.net.trace(), EventKind::SocketBlocked).empty());
}

// RFC 768: a datagram to a port with no listener is discarded (the simulator sends no ICMP).
TEST(UdpPorts, DatagramToUnboundPortIsDroppedByHostWithNote) {
  // B has no socket on port 9: the packet's fate is DroppedByHost at arrival and a Note says why.
  Lab lab(1);
  Host& a = lab.host_a();
  const SocketId ss = a.udp_socket();
  ASSERT_TRUE(a.bind(ss, 2525).ok());
  ASSERT_TRUE(a.sendto(ss, std::vector<std::uint8_t>(kPayloadFor1000WireBytes, 1), kAddrB, 9).ok());
  lab.net.run(SimTime::max());

  const Trace& trace = lab.net.trace();
  ASSERT_EQ(trace.packet_count(), 1u);
  EXPECT_EQ(trace.fate(0), Fate::DroppedByHost);
  EXPECT_EQ(trace.packet(0).arrive, at_ms(6));
  const auto notes = events_of(trace, EventKind::Note);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0]->time, at_ms(6));
  EXPECT_EQ(notes[0]->host, lab.b);
  EXPECT_EQ(notes[0]->socket, TraceEvent::kNone);
  EXPECT_EQ(notes[0]->detail, "datagram to UDP port 9 dropped: no socket is bound there");
}

TEST(UdpPorts, BindToPortInUseFailsWithEaddrinuse) {
  // A second bind to 8080 on the same host fails; after the first socket closes, the port is free again.
  Lab lab(1);
  Host& b = lab.host_b();
  const SocketId first = b.udp_socket();
  const SocketId second = b.udp_socket();
  ASSERT_TRUE(b.bind(first, 8080).ok());
  const Status st = b.bind(second, 8080);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message(), "B: bind: UDP port 8080 is already in use (EADDRINUSE)");
  EXPECT_EQ(b.local_port(second), 0);

  // The same port on the other host is a different address: no conflict.
  Host& a = lab.host_a();
  EXPECT_TRUE(a.bind(a.udp_socket(), 8080).ok());

  ASSERT_TRUE(b.close(first).ok());
  EXPECT_TRUE(b.bind(second, 8080).ok());
  EXPECT_EQ(b.local_port(second), 8080);
}

TEST(UdpPorts, BindTwiceOnOneSocketFailsWithEinval) {
  // A socket that already has a port cannot be bound again.
  Lab lab(1);
  Host& b = lab.host_b();
  const SocketId s = b.udp_socket();
  ASSERT_TRUE(b.bind(s, 8080).ok());
  const Status st = b.bind(s, 8081);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message(), "B: bind: fd 0 is already bound to port 8080 (EINVAL)");
}

// RFC 6335 §6: ephemeral ports come from the dynamic range 49152–65535.
TEST(UdpPorts, SendtoWithoutBindPicksEphemeralPort) {
  // Over many seeds: the implicit port is in range, is noted in the Trace and is what the receiver sees.
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    Lab lab(seed);
    Host& a = lab.host_a();
    Host& b = lab.host_b();
    const SocketId rs = b.udp_socket();
    ASSERT_TRUE(b.bind(rs, 8080).ok());
    std::uint16_t seen_port = 0;
    b.recvfrom(rs, 1024, [&](SimTime, RecvFromResult r) { seen_port = r.datagram.from_port; });
    const SocketId ss = a.udp_socket();
    EXPECT_EQ(a.local_port(ss), 0);
    ASSERT_TRUE(a.sendto(ss, bytes_of("hi"), kAddrB, 8080).ok());
    const std::uint16_t port = a.local_port(ss);
    ASSERT_GE(port, 49152) << "seed " << seed;
    ASSERT_LE(port, 65535) << "seed " << seed;
    lab.net.run(SimTime::max());
    ASSERT_EQ(seen_port, port) << "seed " << seed;
    const auto notes = events_of(lab.net.trace(), EventKind::Note);
    ASSERT_EQ(notes.size(), 1u) << "seed " << seed;
    EXPECT_EQ(notes[0]->detail, "implicit bind to ephemeral port " + std::to_string(port)) << "seed " << seed;
    EXPECT_EQ(lab.net.trace().flows()[0].a_port, port) << "seed " << seed;
  }
}

// RFC 6335 §6: successive ephemeral ports on one host are distinct and stay in 49152–65535.
TEST(UdpPorts, EphemeralPortsAreDistinctOnOneHost) {
  // 1000 sockets binding port 0 get 1000 different dynamic ports.
  Lab lab(3);
  Host& a = lab.host_a();
  std::vector<std::uint16_t> ports;
  for (int i = 0; i < 1000; ++i) {
    const SocketId s = a.udp_socket();
    ASSERT_TRUE(a.bind(s, 0).ok());
    ports.push_back(a.local_port(s));
    ASSERT_GE(ports.back(), 49152);
  }
  std::sort(ports.begin(), ports.end());
  EXPECT_EQ(std::adjacent_find(ports.begin(), ports.end()), ports.end());
}

TEST(UdpRecvfrom, SmallBufferTruncatesAndDiscardsTheRest) {
  // recvfrom(10) on a 100-byte datagram returns its first 10 bytes; the next call gets the next datagram.
  Lab lab(1);
  Host& a = lab.host_a();
  Host& b = lab.host_b();
  const SocketId rs = b.udp_socket();
  ASSERT_TRUE(b.bind(rs, 8080).ok());
  std::vector<std::uint8_t> first(100), second = bytes_of("second");
  for (std::size_t i = 0; i < first.size(); ++i) first[i] = static_cast<std::uint8_t>(i);
  const SocketId ss = a.udp_socket();
  ASSERT_TRUE(a.bind(ss, 2525).ok());
  ASSERT_TRUE(a.sendto(ss, first, kAddrB, 8080).ok());
  ASSERT_TRUE(a.sendto(ss, second, kAddrB, 8080).ok());

  std::vector<RecvFromResult> got;
  b.recvfrom(rs, 10, [&](SimTime, RecvFromResult r) {
    got.push_back(std::move(r));
    b.recvfrom(rs, 1024, [&](SimTime, RecvFromResult r2) { got.push_back(std::move(r2)); });
  });
  lab.net.run(SimTime::max());

  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].datagram.data, std::vector<std::uint8_t>(first.begin(), first.begin() + 10));
  EXPECT_EQ(got[0].original_size, 100u);
  EXPECT_EQ(got[1].datagram.data, second);
  EXPECT_EQ(got[1].original_size, 6u);
  const auto returns = events_of(lab.net.trace(), EventKind::SocketReturn);
  ASSERT_EQ(returns.size(), 2u);
  EXPECT_EQ(returns[0]->value, 10);
  EXPECT_EQ(returns[0]->detail, "recvfrom -> 10 bytes from (\"10.0.0.1\", 2525) (truncated from 100)");
  EXPECT_EQ(returns[1]->detail, "recvfrom -> 6 bytes from (\"10.0.0.1\", 2525)");
}

TEST(UdpRecvfrom, CloseWhileBlockedReturnsClosed) {
  // Closing a socket wakes its blocked recvfrom at the time of the close, with closed set and no data.
  Lab lab(1);
  Host& b = lab.host_b();
  const SocketId rs = b.udp_socket();
  ASSERT_TRUE(b.bind(rs, 8080).ok());
  SimTime woke{};
  RecvFromResult got;
  b.recvfrom(rs, 1024, [&](SimTime t, RecvFromResult r) {
    woke = t;
    got = std::move(r);
  });
  lab.net.loop().at(at_ms(3), [&](SimTime) { ASSERT_TRUE(b.close(rs).ok()); });
  lab.net.run(SimTime::max());
  EXPECT_EQ(woke, at_ms(3));
  EXPECT_TRUE(got.closed);
  EXPECT_TRUE(got.datagram.data.empty());
  const Status again = b.close(rs);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message(), "B: close on fd 0: bad file descriptor (EBADF)");
}

// RFC 768 over a full-duplex link (seed note 8.2): each direction has its own wire and queue.
TEST(UdpDuplex, BothDirectionsAtOnceDoNotWaitForEachOther) {
  // A and B each send 958 bytes at 1 ms; both arrive at 7 ms (one shared wire would make one 8 ms).
  Lab lab(1);
  Host& a = lab.host_a();
  Host& b = lab.host_b();
  const SocketId sa = a.udp_socket();
  const SocketId sb = b.udp_socket();
  ASSERT_TRUE(a.bind(sa, 5000).ok());
  ASSERT_TRUE(b.bind(sb, 6000).ok());
  SimTime a_got{}, b_got{};
  std::string a_text, b_text;
  a.recvfrom(sa, 2048, [&](SimTime t, RecvFromResult r) {
    a_got = t;
    a_text = text_of(r.datagram.data);
  });
  b.recvfrom(sb, 2048, [&](SimTime t, RecvFromResult r) {
    b_got = t;
    b_text = text_of(r.datagram.data);
  });
  const std::string from_a(kPayloadFor1000WireBytes, 'a'), from_b(kPayloadFor1000WireBytes, 'b');
  lab.net.loop().at(at_ms(1), [&](SimTime) {
    ASSERT_TRUE(a.sendto(sa, bytes_of(from_a), kAddrB, 6000).ok());
    ASSERT_TRUE(b.sendto(sb, bytes_of(from_b), kAddrA, 5000).ok());
  });
  lab.net.run(SimTime::max());
  EXPECT_EQ(a_got, at_ms(7));
  EXPECT_EQ(b_got, at_ms(7));
  EXPECT_EQ(a_text, from_b);
  EXPECT_EQ(b_text, from_a);

  // Both packets belong to one flow, one in each direction.
  const Trace& trace = lab.net.trace();
  ASSERT_EQ(trace.packet_count(), 2u);
  EXPECT_EQ(trace.flows().size(), 1u);
  EXPECT_EQ(trace.direction(0), Direction::AtoB);
  EXPECT_EQ(trace.direction(1), Direction::BtoA);
}

// RFC 768: the destination port selects the socket (seed note 8.3).
TEST(UdpDemux, TwoSocketsOnOneHostReceiveOnlyTheirOwnDatagrams) {
  // B listens on 8080 and 8081; A sends alternately to each; every socket gets exactly its own datagrams.
  Lab lab(1);
  Host& a = lab.host_a();
  Host& b = lab.host_b();
  const SocketId s80 = b.udp_socket();
  const SocketId s81 = b.udp_socket();
  ASSERT_TRUE(b.bind(s80, 8080).ok());
  ASSERT_TRUE(b.bind(s81, 8081).ok());
  std::vector<std::string> got80, got81;
  std::function<void(SimTime, RecvFromResult)> on80, on81;
  on80 = [&](SimTime, RecvFromResult r) {
    got80.push_back(text_of(r.datagram.data));
    b.recvfrom(s80, 1024, on80);
  };
  on81 = [&](SimTime, RecvFromResult r) {
    got81.push_back(text_of(r.datagram.data));
    b.recvfrom(s81, 1024, on81);
  };
  b.recvfrom(s80, 1024, on80);
  b.recvfrom(s81, 1024, on81);
  const SocketId ss = a.udp_socket();
  ASSERT_TRUE(a.bind(ss, 2525).ok());
  for (int i = 1; i <= 6; ++i) {
    lab.net.loop().at(at_ms(i), [&, i](SimTime) {
      const std::uint16_t port = i % 2 ? 8080 : 8081;
      ASSERT_TRUE(
          a.sendto(ss, bytes_of("to " + std::to_string(port) + " #" + std::to_string(i)), kAddrB, port).ok());
    });
  }
  lab.net.run(SimTime::max());
  EXPECT_EQ(got80, (std::vector<std::string>{"to 8080 #1", "to 8080 #3", "to 8080 #5"}));
  EXPECT_EQ(got81, (std::vector<std::string>{"to 8081 #2", "to 8081 #4", "to 8081 #6"}));
  EXPECT_EQ(lab.net.trace().flows().size(), 2u);  // (2525 -> 8080) and (2525 -> 8081)
}

// RFC 768: UDP has no acknowledgement and no retransmission; a lost datagram stays lost (seed note 10).
TEST(UdpLoss, LossyLinkLosesDatagramsWithoutRetransmission) {
  // 1000 datagrams over 10% loss: exactly 1000 packets in the Trace, all A to B, and B reads the rest in
  // order.
  constexpr int kSends = 1000;
  constexpr std::uint64_t kSeed = 7;
  LinkParams lossy = lab_link();
  lossy.impairments.push_back(Impairment{BernoulliLoss{100'000}, ""});
  Lab lab(kSeed, lossy, lab_link());
  Host& a = lab.host_a();
  Host& b = lab.host_b();
  const SocketId rs = b.udp_socket();
  ASSERT_TRUE(b.bind(rs, 8080).ok());
  std::vector<std::string> got;
  std::function<void(SimTime, RecvFromResult)> on_recv = [&](SimTime, RecvFromResult r) {
    got.push_back(text_of(r.datagram.data));
    b.recvfrom(rs, 1024, on_recv);
  };
  b.recvfrom(rs, 1024, on_recv);
  const SocketId ss = a.udp_socket();
  ASSERT_TRUE(a.bind(ss, 2525).ok());
  for (int i = 0; i < kSends; ++i) {
    lab.net.loop().at(at_ms(i), [&, i](SimTime) {
      ASSERT_TRUE(a.sendto(ss, bytes_of("datagram " + std::to_string(i)), kAddrB, 8080).ok());
    });
  }
  lab.net.run(SimTime::max());

  const Trace& trace = lab.net.trace();
  ASSERT_EQ(trace.packet_count(), static_cast<std::size_t>(kSends)) << "seed " << kSeed;
  std::vector<std::string> expected;
  int dropped = 0;
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    const PacketRecord p = trace.packet(i);
    EXPECT_EQ(p.dir, Direction::AtoB) << "packet " << i;
    EXPECT_EQ(p.cause, Cause::Datagram) << "packet " << i;
    EXPECT_EQ(p.time, at_ms(static_cast<std::int64_t>(i))) << "packet " << i;
    if (p.fate == Fate::DroppedByLink) {
      ++dropped;
      EXPECT_EQ(p.rule, 1) << "packet " << i;
    } else {
      EXPECT_EQ(p.fate, Fate::Delivered) << "packet " << i;
      expected.push_back("datagram " + std::to_string(i));
    }
  }
  EXPECT_NEAR(dropped, kSends / 10, kSends / 100 * 3) << "seed " << kSeed;
  EXPECT_EQ(got, expected);
  EXPECT_EQ(got.size(), static_cast<std::size_t>(kSends - dropped));
  EXPECT_EQ(trace.drop_rules()[0], "link A>B rule 1: bernoulli loss 10%");
}

TEST(UdpDeterminism, SameSeedGivesIdenticalTrace) {
  // Two runs of the lossy exchange with one seed produce the same packets, fates, times and events.
  auto run = [](std::uint64_t seed) {
    LinkParams lossy = lab_link();
    lossy.jitter = SimDuration::millis(2);
    lossy.impairments.push_back(Impairment{BernoulliLoss{200'000}, ""});
    lossy.impairments.push_back(Impairment{Duplicate{50'000}, ""});
    auto lab = std::make_unique<Lab>(seed, lossy, lab_link());
    Host& a = lab->host_a();
    const SocketId ss = a.udp_socket();  // unbound: the ephemeral port is drawn from the seed too
    for (int i = 0; i < 200; ++i) {
      lab->net.loop().at(at_ms(i), [&a, ss, i](SimTime) {
        EXPECT_TRUE(a.sendto(ss, bytes_of("n" + std::to_string(i)), kAddrB, 9).ok());
      });
    }
    lab->net.run(SimTime::max());
    return lab;
  };
  for (std::uint64_t seed : {std::uint64_t{1}, std::uint64_t{42}}) {
    const auto x = run(seed), y = run(seed);
    const Trace& tx = x->net.trace();
    const Trace& ty = y->net.trace();
    ASSERT_EQ(tx.packet_count(), ty.packet_count()) << "seed " << seed;
    for (std::size_t i = 0; i < tx.packet_count(); ++i) {
      const PacketRecord px = tx.packet(i), py = ty.packet(i);
      ASSERT_EQ(px.time, py.time) << "seed " << seed << " packet " << i;
      ASSERT_EQ(px.arrive, py.arrive) << "seed " << seed << " packet " << i;
      ASSERT_EQ(px.fate, py.fate) << "seed " << seed << " packet " << i;
      ASSERT_EQ(px.marks, py.marks) << "seed " << seed << " packet " << i;
      ASSERT_EQ(px.ip_id, py.ip_id) << "seed " << seed << " packet " << i;
    }
    ASSERT_EQ(tx.events().size(), ty.events().size()) << "seed " << seed;
    for (std::size_t i = 0; i < tx.events().size(); ++i) {
      ASSERT_EQ(tx.events()[i].time, ty.events()[i].time) << "seed " << seed << " event " << i;
      ASSERT_EQ(tx.events()[i].detail, ty.events()[i].detail) << "seed " << seed << " event " << i;
    }
    EXPECT_EQ(tx.flows()[0].a_port, ty.flows()[0].a_port);
  }
}

}  // namespace sim_udp_test
}  // namespace wirestep
