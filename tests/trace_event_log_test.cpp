// The Trace's encoded event table: whatever goes in comes back out exactly, in any reading order, and it
// stays small for the events a bulk transfer records.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <thread>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/net/network.hpp"
#include "sim/trace/event_log.hpp"

namespace wirestep {
namespace trace_event_log_test {

using Entry = EventLog::Entry;

// Random events shaped like a run's (mostly the same few sockets, small steps in time and value) with
// extremes mixed in: every field at its limits, time going backwards, huge jumps.
std::vector<Entry> random_events(std::uint64_t seed, std::size_t n) {
  Rng rng(seed);
  std::vector<Entry> out;
  Entry e{};
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t r = rng.next_u64();
    switch (r % 8) {
      case 0:
        e.time = static_cast<std::int64_t>(static_cast<std::uint64_t>(e.time) + rng.next_u64() % 200'000);
        break;
      case 1:
        e.time = static_cast<std::int64_t>(rng.next_u64());  // anything, including negative
        break;
      default:
        break;  // same time
    }
    if (r % 5 == 0) {
      e.host = static_cast<std::uint32_t>(rng.next_u64() % 4);
      e.socket = (r & 0x100) ? 0xFFFFFFFF : static_cast<std::uint32_t>(rng.next_u64() % 6);
    }
    if (r % 97 == 0) e.host = std::numeric_limits<std::uint32_t>::max();
    if (r % 7 == 0) e.packets_before += static_cast<std::uint32_t>(rng.next_u64() % 5);
    if (r % 211 == 0) e.packets_before = static_cast<std::uint32_t>(rng.next_u64());
    e.kind = static_cast<std::uint8_t>(rng.next_u64() % 9);
    e.code = static_cast<std::uint8_t>(rng.next_u64() % 16);
    e.text = (r % 13 == 0) ? static_cast<std::uint32_t>(rng.next_u64()) : EventLog::kNoText;
    switch ((r >> 16) % 6) {
      case 0:
        e.value = 0;
        break;
      case 1:
        e.value =
            static_cast<std::int64_t>(static_cast<std::uint64_t>(e.time) + rng.next_u64() % 1'000'000'000);
        break;
      case 2:
        e.value = static_cast<std::int64_t>(rng.next_u64());
        break;
      case 3:
        e.value =
            (r & 1) ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int64_t>::max();
        break;
      default:
        // A small step, wrapping at the extremes (the log must round-trip any int64).
        e.value =
            static_cast<std::int64_t>(static_cast<std::uint64_t>(e.value) + rng.next_u64() % 3000 - 1500);
        break;
    }
    out.push_back(e);
  }
  return out;
}

TEST(TraceEventLog, EveryEventReadsBackExactlyInOrder) {
  const auto events = random_events(1, 20'000);
  EventLog log;
  for (const Entry& e : events) log.append(e);
  ASSERT_EQ(log.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) ASSERT_EQ(log.at(i), events[i]) << "event " << i;
}

TEST(TraceEventLog, RandomAccessInAnyOrderReadsTheSameEvents) {
  const auto events = random_events(2, 10'000);
  EventLog log;
  for (const Entry& e : events) log.append(e);
  std::vector<std::size_t> order(events.size());
  std::iota(order.begin(), order.end(), 0);
  Rng rng(3);
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.next_u64() % i]);
  for (std::size_t i : order) ASSERT_EQ(log.at(i), events[i]) << "event " << i;
  // Backwards, as a step-back through a run reads them.
  for (std::size_t i = events.size(); i-- > 0;) ASSERT_EQ(log.at(i), events[i]) << "event " << i;
}

TEST(TraceEventLog, ReadingWhileAppendingSeesEachNewEvent) {
  const auto events = random_events(4, 3'000);
  EventLog log;
  for (std::size_t i = 0; i < events.size(); ++i) {
    log.append(events[i]);
    ASSERT_EQ(log.at(i), events[i]) << "event " << i;  // the open block grows under a cached decode
    ASSERT_EQ(log.at(i / 2), events[i / 2]);
  }
}

TEST(TraceEventLog, PastTheEndThrows) {
  EventLog log;
  EXPECT_THROW((void)log.at(0), std::out_of_range);
  log.append(Entry{});
  EXPECT_NO_THROW((void)log.at(0));
  EXPECT_THROW((void)log.at(1), std::out_of_range);
}

TEST(TraceEventLog, CopiesAndMovesKeepTheirOwnEvents) {
  const auto first = random_events(5, 500), second = random_events(6, 500);
  EventLog a;
  for (const Entry& e : first) a.append(e);
  EventLog b = a;  // copy, then both grow apart
  for (const Entry& e : second) b.append(e);
  a.append(second[0]);
  ASSERT_EQ(a.size(), first.size() + 1);
  ASSERT_EQ(b.size(), first.size() + second.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    ASSERT_EQ(a.at(i), first[i]);
    ASSERT_EQ(b.at(i), first[i]);
  }
  EXPECT_EQ(a.at(first.size()), second[0]);
  EXPECT_EQ(b.at(first.size() + 1), second[1]);
  EventLog c = std::move(b);
  EXPECT_EQ(b.size(), 0u);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  ASSERT_EQ(c.size(), first.size() + second.size());
  EXPECT_EQ(c.at(c.size() - 1), second.back());
  b.append(first[3]);  // a moved-from log is usable and does not read c's cached blocks
  EXPECT_EQ(b.at(0), first[3]);
}

// A moved-from log inherits the other's encoder dictionary; its next events must not be encoded against
// values the dictionary remembers from the other log's blocks.
TEST(TraceEventLog, MovedFromLogEncodesAfreshAfterTakingTheOthersDictionary) {
  const Entry remembered{0, 777, 0, 1, 2, EventLog::kNoText, 7, 0};
  EventLog a, b;
  a.append(remembered);
  b.append(Entry{0, 5, 0, 0, 0, EventLog::kNoText, 7, 1});
  for (std::size_t i = 0; i < EventLog::kBlockEvents; ++i)
    a.append(remembered);  // a's first block is encoded
  a = std::move(b);
  // Same key and value as the slot a's old dictionary holds; enough events that b encodes a block of them.
  for (std::size_t i = 0; i <= EventLog::kBlockEvents; ++i) b.append(remembered);
  for (std::size_t i = 0; i <= EventLog::kBlockEvents; ++i)
    ASSERT_EQ(b.at(i), remembered) << i;  // NOLINT(bugprone-use-after-move): moved-from is usable by contract
  EXPECT_EQ(a.at(0), (Entry{0, 5, 0, 0, 0, EventLog::kNoText, 7, 1}));
}

TEST(TraceEventLog, ThreadsReadTheSameLogIndependently) {
  const auto events = random_events(7, 5'000);
  EventLog log;
  for (const Entry& e : events) log.append(e);
  std::vector<int> mismatches(2, 0);
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&, t] {
      for (std::size_t k = 0; k < events.size(); ++k) {
        const std::size_t i = t == 0 ? k : events.size() - 1 - k;
        mismatches[t] += !(log.at(i) == events[i]);
      }
    });
  }
  for (auto& r : readers) r.join();
  EXPECT_EQ(mismatches, (std::vector<int>{0, 0}));
}

// What the encoding is for: a bulk transfer's events (five per packet with every variable and timer
// recorded) cost a few bytes each instead of a 32-byte record.
TEST(TraceEventLog, BulkTransferEventsCostUnderEightBytesEach) {
  Network net(1);
  const HostId a = net.add_host("A", *wire::Ipv4Addr::parse("10.0.0.1"));
  const HostId b = net.add_host("B", *wire::Ipv4Addr::parse("10.0.0.2"));
  LinkParams link;
  link.latency = SimDuration::millis(10);
  link.bandwidth_bps = 100'000'000;
  net.connect(a, b, link, link);
  Host& server = net.host(b);
  Host& client = net.host(a);
  const SocketId l = server.tcp_socket();
  ASSERT_TRUE(server.bind(l, 5001));
  ASSERT_TRUE(server.listen(l, 4));
  std::function<void(SocketId)> drain = [&](SocketId c) {
    server.recv(c, 1 << 16, [&, c](SimTime, Result<std::vector<std::uint8_t>> got) {
      if (got && !got->empty()) drain(c);
    });
  };
  server.accept(l, [&](SimTime, Result<SocketId> c) {
    if (c) drain(*c);
  });
  const SocketId s = client.tcp_socket();
  client.connect(s, server.addr(), 5001, [&](SimTime, Status st) {
    if (st) client.send(s, {}, 4 << 20, [](SimTime, Result<std::uint64_t>) {});
  });
  net.run(SimTime{SimDuration::seconds(5).ns});
  const Trace& t = net.trace();
  ASSERT_GT(t.event_count(), 10'000u);
  EXPECT_LT(double(t.event_memory_bytes()) / double(t.event_count()), 8.0)
      << t.event_memory_bytes() << " bytes for " << t.event_count() << " events";
}

}  // namespace trace_event_log_test
}  // namespace wirestep
