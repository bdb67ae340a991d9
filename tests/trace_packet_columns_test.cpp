// The Trace's packet table: every field of every packet reads back as written, including the rare values
// that do not fit the 39-byte columns and live in side tables (long delays, huge payloads, file offsets past
// 4 GiB, drop rules, TCP options).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {
namespace trace_packet_columns_test {

bool same(const PacketRecord& a, const PacketRecord& b) {
  return a.time == b.time && a.arrive == b.arrive && a.flow == b.flow && a.dir == b.dir &&
         a.tcp_flags == b.tcp_flags && a.seq == b.seq && a.ack == b.ack && a.payload_len == b.payload_len &&
         a.window == b.window && a.ip_id == b.ip_id && a.ttl == b.ttl && a.fate == b.fate &&
         a.cause == b.cause && a.marks == b.marks && a.rule == b.rule && a.options == b.options &&
         a.payload_ref == b.payload_ref;
}

std::vector<PacketRecord> random_packets(std::uint64_t seed, std::size_t n) {
  Rng rng(seed);
  std::vector<PacketRecord> out;
  std::int64_t t = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t r = rng.next_u64();
    PacketRecord p;
    t += static_cast<std::int64_t>(rng.next_u64() % 100'000);
    p.time = SimTime{t};
    switch (r % 10) {
      case 0:
        p.arrive = SimTime{t + 5'000'000'000};  // more than 4.29 s on the link
        break;
      case 1:
        p.arrive = SimTime{t - 1};  // before it was sent: never from the simulator, but readable
        break;
      default:
        p.arrive = SimTime{t + static_cast<std::int64_t>(rng.next_u64() % 50'000'000)};
        break;
    }
    p.flow = static_cast<std::uint32_t>(rng.next_u64() % 70'000);
    p.dir = (r & 0x10) ? Direction::BtoA : Direction::AtoB;
    p.tcp_flags = static_cast<std::uint8_t>(rng.next_u64());
    p.seq = static_cast<std::uint32_t>(rng.next_u64());
    p.ack = static_cast<std::uint32_t>(rng.next_u64());
    p.payload_len = (r % 17 == 0) ? 65535 + static_cast<std::uint32_t>(rng.next_u64() % 200'000)
                                  : static_cast<std::uint32_t>(rng.next_u64() % 65535);
    p.window = static_cast<std::uint16_t>(rng.next_u64());
    p.ip_id = static_cast<std::uint16_t>(rng.next_u64());
    p.ttl = static_cast<std::uint8_t>(rng.next_u64());
    p.fate = static_cast<Fate>(rng.next_u64() % 6);
    p.cause = static_cast<Cause>(rng.next_u64() % kCauseCount);
    p.marks = static_cast<std::uint8_t>(rng.next_u64() & 0x3F);
    p.rule = (r % 7 == 0) ? static_cast<std::uint16_t>(1 + rng.next_u64() % 65535) : 0;
    if (r % 11 == 0) {
      wire::TcpOptions o;
      o.mss = static_cast<std::uint16_t>(rng.next_u64());
      p.options = o;
    }
    p.payload_ref = (r % 13 == 0) ? rng.next_u64() : rng.next_u64() % (std::uint64_t{1} << 32);
    out.push_back(p);
  }
  return out;
}

TEST(TracePacketColumns, EveryFieldReadsBackAsWritten) {
  const auto packets = random_packets(11, 50'000);
  Trace t;
  for (const PacketRecord& p : packets) t.add_packet(p);
  ASSERT_EQ(t.packet_count(), packets.size());
  for (std::size_t i = 0; i < packets.size(); ++i) {
    ASSERT_TRUE(same(t.packet(i), packets[i])) << "packet " << i;
    ASSERT_EQ(t.fate(i), packets[i].fate);
    ASSERT_EQ(t.payload_len(i), packets[i].payload_len);
    ASSERT_EQ(t.direction(i), packets[i].dir);
    ASSERT_EQ(t.arrive(i), packets[i].arrive);
    ASSERT_EQ(t.payload_ref(i), packets[i].payload_ref);
    ASSERT_EQ(t.packet_times_ns()[i], packets[i].time.ns);
  }
}

TEST(TracePacketColumns, SetFateRewritesFateArrivalAndRuleBothWays) {
  Trace t;
  PacketRecord p;
  p.time = SimTime{1'000};
  p.arrive = SimTime{2'000};
  p.rule = 3;
  p.fate = Fate::DroppedByLink;
  t.add_packet(p);
  t.set_fate(0, Fate::Delivered, SimTime{9'000'000'000}, 0);  // long delay: escaped; rule cleared
  EXPECT_EQ(t.fate(0), Fate::Delivered);
  EXPECT_EQ(t.arrive(0), SimTime{9'000'000'000});
  EXPECT_EQ(t.packet(0).rule, 0);
  t.set_fate(0, Fate::InFlight, SimTime{5'000}, 7);  // back to a short delay, a rule again
  EXPECT_EQ(t.fate(0), Fate::InFlight);
  EXPECT_EQ(t.arrive(0), SimTime{5'000});
  EXPECT_EQ(t.packet(0).rule, 7);
  EXPECT_EQ(t.packet(0).time, SimTime{1'000});
}

// 70,000 packets: past the first 64 KiB on small pages and past the first 2 MiB huge-page region, so a copy
// and a move carry rows from every kind of storage.
TEST(TracePacketColumns, CopiesAreIndependent) {
  const auto packets = random_packets(12, 70'000);
  Trace a;
  for (const PacketRecord& p : packets) a.add_packet(p);
  Trace b = a;
  a.set_fate(5, Fate::DroppedByHost, SimTime{packets[5].time.ns}, 9);
  b.add_packet(packets.back());
  EXPECT_TRUE(same(b.packet(5), packets[5]));
  EXPECT_EQ(a.packet(5).rule, 9);
  EXPECT_EQ(a.packet_count(), packets.size());
  EXPECT_EQ(b.packet_count(), packets.size() + 1);
  Trace c = std::move(b);
  EXPECT_EQ(c.packet_count(), packets.size() + 1);
  for (std::size_t i = 0; i < packets.size(); ++i) {
    ASSERT_TRUE(same(c.packet(i), packets[i])) << "packet " << i;
    ASSERT_EQ(c.packet_times_ns()[i], packets[i].time.ns);
  }
  EXPECT_TRUE(same(c.packet(packets.size()), packets.back()));
}

TEST(TracePacketColumns, PacketsOutsideTheTableThrow) {
  Trace t;
  EXPECT_THROW((void)t.packet(0), std::out_of_range);
  std::vector<std::uint8_t> out;
  EXPECT_THROW(t.payload_bytes(0, out), std::out_of_range);
}

// The budget the design notes give: 39 bytes of columns per packet (the side tables hold only rare values).
TEST(TracePacketColumns, OrdinaryPacketsCostThirtyNineBytesEach) {
  Trace t;
  PacketRecord p;
  for (int i = 0; i < 200'000; ++i) {
    p.time = SimTime{i * 1000};
    p.arrive = SimTime{i * 1000 + 10'000'000};
    p.payload_len = 1448;
    p.payload_ref = std::uint64_t(i) * 1448;
    t.add_packet(p);
  }
  const double per_packet = double(t.memory_bytes()) / double(t.packet_count());
  EXPECT_LE(per_packet, Trace::kColumnBytesPerPacket + 0.5);
  EXPECT_GE(per_packet, Trace::kColumnBytesPerPacket);
}

}  // namespace trace_packet_columns_test
}  // namespace wirestep
