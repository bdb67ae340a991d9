// What one application writes is what the other reads, byte for byte and in order (RFC 9293 §3.10.7.4,
// "seventh, process the segment text"), whatever the link did to the segments. The receive buffer between two
// simulated hosts keeps counts, not bytes (the sender's stream is in the Trace and recv() copies from there),
// so these tests also pin that recv(MSG_TRUNC) moves the read position like a read, and that sends queue.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/net/network.hpp"
#include "sim/trace/bulk_payload.hpp"

namespace wirestep {
namespace tcp_byte_stream_test {

std::vector<std::uint8_t> bytes_of(const std::string& s) {
  return {s.begin(), s.end()};
}

struct Pair {
  Network net{11};
  HostId a, b;
  SocketId listener = 0;
  explicit Pair(const LinkParams& forward) {
    a = net.add_host("A", *wire::Ipv4Addr::parse("10.0.0.1"));
    b = net.add_host("B", *wire::Ipv4Addr::parse("10.0.0.2"));
    LinkParams back;
    back.latency = forward.latency;
    net.connect(a, b, forward, back);
    listener = net.host(b).tcp_socket();
    EXPECT_TRUE(net.host(b).bind(listener, 80));
    EXPECT_TRUE(net.host(b).listen(listener, 4));
  }
};

// Goal: text and generated bulk data written in three sends arrive byte for byte, in order, although the
// link loses and reorders segments (held out-of-order segments are counted, not copied).
TEST(TcpByteStream, TextAndBulkDataReadBackExactlyThroughLossAndReordering) {
  LinkParams lossy;
  lossy.latency = SimDuration::millis(5);
  lossy.impairments.push_back({BernoulliLoss{100'000}, ""});                    // 10 %
  lossy.impairments.push_back({Reorder{100'000, SimDuration::millis(7)}, ""});  // 10 % held back 7 ms
  Pair p(lossy);
  Host& client = p.net.host(p.a);
  Host& server = p.net.host(p.b);

  constexpr std::uint64_t kBulk = 200'000;
  std::vector<std::uint8_t> expected = bytes_of("GET /lesson HTTP/1.1\r\n");
  const std::size_t bulk_at = expected.size();
  expected.resize(bulk_at + kBulk);
  fill_bulk_payload(bulk_at, expected.data() + bulk_at, kBulk);  // the pattern is addressed by stream offset
  for (std::uint8_t c : bytes_of("\r\n-- 结束 --")) expected.push_back(c);

  std::vector<std::uint8_t> received;
  bool eof = false;
  std::function<void(SocketId)> drain = [&](SocketId c) {
    server.recv(c, 3000, [&, c](SimTime, Result<std::vector<std::uint8_t>> got) {
      ASSERT_TRUE(got);
      if (got->empty()) {
        eof = true;
        return;
      }
      received.insert(received.end(), got->begin(), got->end());
      drain(c);
    });
  };
  server.accept(p.listener, [&](SimTime, Result<SocketId> c) {
    ASSERT_TRUE(c);
    drain(*c);
  });
  const SocketId s = client.tcp_socket();
  client.connect(s, server.addr(), 80, [&](SimTime, Status st) {
    ASSERT_TRUE(st);
    // Each send blocks until its bytes are in the send buffer; the next one follows, as in a program.
    client.send(s, bytes_of("GET /lesson HTTP/1.1\r\n"), 0, [&](SimTime, Result<std::uint64_t> r1) {
      ASSERT_TRUE(r1);
      client.send(s, {}, kBulk, [&](SimTime, Result<std::uint64_t> r2) {
        ASSERT_TRUE(r2);
        client.send(s, bytes_of("\r\n-- 结束 --"), 0, [&](SimTime, Result<std::uint64_t> r3) {
          ASSERT_TRUE(r3);
          (void)client.shutdown_send(s);
        });
      });
    });
  });
  p.net.run(SimTime{SimDuration::seconds(120).ns});

  ASSERT_TRUE(eof) << "received " << received.size() << " of " << expected.size() << " bytes";
  ASSERT_EQ(received.size(), expected.size());
  EXPECT_TRUE(received == expected);
  // The link really did lose and reorder: the transfer went through retransmissions and held segments.
  const auto packets = p.net.trace().packet_count();
  std::size_t lost = 0, reordered = 0;
  for (std::size_t i = 0; i < packets; ++i) {
    lost += p.net.trace().fate(i) == Fate::DroppedByLink;
    reordered += (p.net.trace().marks(i) & mark::kReordered) != 0;
  }
  EXPECT_GT(lost, 5u);
  EXPECT_GT(reordered, 5u);
}

// Goal: recv(MSG_TRUNC) takes bytes off the front of the stream like a read, so the next recv returns the
// bytes after them, not the ones it skipped.
TEST(TcpByteStream, DiscardedBytesAreSkippedByTheNextRead) {
  LinkParams clean;
  clean.latency = SimDuration::millis(5);
  Pair p(clean);
  Host& client = p.net.host(p.a);
  Host& server = p.net.host(p.b);
  std::uint64_t discarded = 0;
  std::string read_after;
  server.accept(p.listener, [&](SimTime, Result<SocketId> c) {
    ASSERT_TRUE(c);
    // Wait until the whole message is there, so the discard and the read see the same buffer.
    p.net.loop().at(p.net.now() + SimDuration::millis(50), [&, c = *c](SimTime) {
      server.recv_discard(c, 6, [&, c](SimTime, Result<std::uint64_t> n) {
        ASSERT_TRUE(n);
        discarded = *n;
        server.recv(c, 100, [&](SimTime, Result<std::vector<std::uint8_t>> got) {
          ASSERT_TRUE(got);
          read_after.assign(got->begin(), got->end());
        });
      });
    });
  });
  const SocketId s = client.tcp_socket();
  client.connect(s, server.addr(), 80, [&](SimTime, Status st) {
    ASSERT_TRUE(st);
    client.send(s, bytes_of("HEADERpayload that matters"), 0, [](SimTime, Result<std::uint64_t>) {});
  });
  p.net.run(SimTime{SimDuration::seconds(5).ns});
  EXPECT_EQ(discarded, 6u);
  EXPECT_EQ(read_after, "payload that matters");
}

// Goal: a second send() while the first is still blocked (the send buffer is full) waits behind it, as two
// threads writing one socket do: both callers are answered, in order, and the peer reads both writes whole.
TEST(TcpByteStream, SendWhileAnotherIsBlockedQueuesBehindIt) {
  LinkParams clean;
  clean.latency = SimDuration::millis(5);
  Pair p(clean);
  Host& client = p.net.host(p.a);
  Host& server = p.net.host(p.b);
  std::uint64_t received = 0;
  bool eof = false;
  std::function<void(SocketId)> drain = [&](SocketId c) {
    server.recv_discard(c, 1 << 20, [&, c](SimTime, Result<std::uint64_t> n) {
      ASSERT_TRUE(n);
      if (*n == 0) {
        eof = true;
        return;
      }
      received += *n;
      drain(c);
    });
  };
  server.accept(p.listener, [&](SimTime, Result<SocketId> c) {
    ASSERT_TRUE(c);
    drain(*c);
  });
  std::vector<std::string> answered;
  const SocketId s = client.tcp_socket();
  client.connect(s, server.addr(), 80, [&](SimTime, Status st) {
    ASSERT_TRUE(st);
    // 1 MB does not fit the send buffer: the first send blocks, and the second is made while it waits.
    client.send(s, {}, 1'000'000, [&](SimTime, Result<std::uint64_t> r) {
      ASSERT_TRUE(r);
      EXPECT_EQ(*r, 1'000'000u);
      answered.push_back("first");
    });
    client.send(s, bytes_of("trailer"), 0, [&](SimTime, Result<std::uint64_t> r) {
      ASSERT_TRUE(r);
      EXPECT_EQ(*r, 7u);
      answered.push_back("second");
      (void)client.shutdown_send(s);
    });
  });
  p.net.run(SimTime{SimDuration::seconds(60).ns});
  EXPECT_EQ(answered, (std::vector<std::string>{"first", "second"}));
  EXPECT_TRUE(eof);
  EXPECT_EQ(received, 1'000'007u);
}

}  // namespace tcp_byte_stream_test
}  // namespace wirestep
