// The Trace's TCP options (sim/trace/option_table.hpp): every option kind of RFC 9293 §3.7.1, RFC 7323 §2-3
// and RFC 2018 §2-3 reads back exactly as written, across blocks, interleaved flows, wrapping sequence and
// timestamp values, copies and moves; and a linux-profile bulk run stays within 64 bytes of Trace per packet.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/net/network.hpp"
#include "sim/trace/option_table.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {
namespace trace_option_table_test {

wire::TcpOptions random_options(Rng& rng) {
  wire::TcpOptions o;
  const std::uint64_t r = rng.next_u64();
  if (r & 0x01) o.mss = static_cast<std::uint16_t>(rng.next_u64());
  if (r & 0x02) o.window_scale = static_cast<std::uint8_t>(rng.next_u64());
  o.sack_permitted = (r & 0x04) != 0;
  if (r & 0x08)
    o.timestamps = wire::TcpTimestamps{static_cast<std::uint32_t>(rng.next_u64()),
                                       static_cast<std::uint32_t>(rng.next_u64())};
  o.sack_count = static_cast<std::uint8_t>((r >> 4) % 5);
  for (std::uint8_t k = 0; k < o.sack_count; ++k)
    o.sack[k] = {static_cast<std::uint32_t>(rng.next_u64()), static_cast<std::uint32_t>(rng.next_u64())};
  return o;
}

TEST(TraceOptionTable, EveryOptionKindReadsBackAsWritten) {
  wire::TcpOptions syn;  // RFC 9293 §3.7.1 MSS, RFC 7323 §2.2 window scale, RFC 2018 §2 SACK-permitted
  syn.mss = 65535;
  syn.window_scale = 14;
  syn.sack_permitted = true;
  syn.timestamps = wire::TcpTimestamps{0xFFFFFFFF, 0};  // RFC 7323 §3.2: TSecr 0 on a SYN
  wire::TcpOptions sack;                                // RFC 2018 §3: four blocks, the most that fit
  sack.sack_count = 4;
  sack.sack = {{{0xFFFFFF00, 0x00000100}, {10, 20}, {0x80000000, 0x80000001}, {5, 4}}};
  wire::TcpOptions dsack;  // RFC 2883 §4: a D-SACK block below the cumulative ACK comes first
  dsack.timestamps = wire::TcpTimestamps{7, 0x80000000};
  dsack.sack_count = 2;
  dsack.sack = {{{1000, 2448}, {5000, 6448}, {}, {}}};
  wire::TcpOptions only_ts;
  only_ts.timestamps = wire::TcpTimestamps{1, 0xFFFFFFFF};
  const std::vector<wire::TcpOptions> kinds{syn, sack, dsack, only_ts};

  OptionTable table;
  for (std::uint32_t i = 0; i < 1000; ++i) table.append(i * 3, i % 5, kinds[i % kinds.size()]);
  for (std::uint32_t i = 0; i < 1000; ++i) {
    const auto o = table.find(i * 3);
    ASSERT_TRUE(o) << "packet " << i * 3;
    ASSERT_EQ(*o, kinds[i % kinds.size()]) << "packet " << i * 3;
    ASSERT_FALSE(table.find(i * 3 + 1)) << "packet " << i * 3 + 1;
  }
  EXPECT_EQ(table.size(), 1000u);
}

TEST(TraceOptionTable, RandomOptionsOnInterleavedFlowsReadBackInAnyOrder) {
  Rng rng(5);
  std::vector<std::pair<std::uint32_t, wire::TcpOptions>> written;
  OptionTable table;
  std::uint32_t packet = 0;
  for (int i = 0; i < 20'000; ++i) {
    packet += 1 + static_cast<std::uint32_t>(rng.next_u64() % 3);
    written.emplace_back(packet, random_options(rng));
    table.append(packet, static_cast<std::uint32_t>(rng.next_u64() % 200), written.back().second);
  }
  for (std::size_t i = written.size(); i-- > 0;)  // backwards: every read misses the cache of the last
    ASSERT_EQ(table.find(written[i].first), written[i].second) << "record " << i;
  for (std::size_t i = 0; i < written.size(); ++i)
    ASSERT_EQ(table.find(written[i].first), written[i].second) << "record " << i;
  EXPECT_FALSE(table.find(0));
  EXPECT_FALSE(table.find(packet + 1));
}

TEST(TraceOptionTable, CopiesGrowApartWithoutSharingDecodedBlocks) {
  Rng rng(9);
  OptionTable a;
  std::vector<wire::TcpOptions> opts;
  for (std::uint32_t i = 0; i < 100; ++i) {
    opts.push_back(random_options(rng));
    a.append(i, 0, opts.back());
  }
  OptionTable b = a;
  std::vector<wire::TcpOptions> more_a, more_b;
  for (std::uint32_t i = 100; i < 200; ++i) {
    more_a.push_back(random_options(rng));
    more_b.push_back(random_options(rng));
    a.append(i, 0, more_a.back());
    b.append(i, 0, more_b.back());
  }
  for (std::uint32_t i = 100; i < 200; ++i) {  // block 1 of each, read alternately
    ASSERT_EQ(a.find(i), more_a[i - 100]);
    ASSERT_EQ(b.find(i), more_b[i - 100]);
  }
  OptionTable c = std::move(b);
  for (std::uint32_t i = 0; i < 100; ++i) ASSERT_EQ(c.find(i), opts[i]);
  for (std::uint32_t i = 100; i < 200; ++i) ASSERT_EQ(c.find(i), more_b[i - 100]);
}

// A segment's options read as it arrives (its block just sealed, kept as written) are exactly those read
// later from the encoded block, also for a hostile SACK count past RFC 2018 §3's four and junk past the
// count.
TEST(TraceOptionTable, OptionsReadJustAfterSealingEqualThoseDecodedLater) {
  wire::TcpOptions hostile;
  hostile.sack_count = 9;
  hostile.sack = {{{1, 2}, {3, 4}, {5, 6}, {7, 8}}};
  wire::TcpOptions junk_past_count;
  junk_past_count.timestamps = wire::TcpTimestamps{10, 20};
  junk_past_count.sack_count = 1;
  junk_past_count.sack = {{{100, 200}, {300, 400}, {0, 1}, {2, 3}}};
  Rng rng(11);
  OptionTable table;
  std::vector<wire::TcpOptions> soon;
  constexpr std::uint32_t kPackets = 64 * OptionTable::kBlockRecords;
  constexpr std::uint32_t kLag = 300;  // a link's flight and queue, in packets
  for (std::uint32_t i = 0; i < kPackets + kLag; ++i) {
    const wire::TcpOptions o = i % 7 == 0 ? hostile : i % 7 == 1 ? junk_past_count : random_options(rng);
    table.append(i, i % 3, o);
    if (i < kLag) continue;
    const auto read = table.find(i - kLag);
    ASSERT_TRUE(read) << "packet " << i - kLag;
    soon.push_back(*read);
  }
  for (std::uint32_t i = 0; i < kPackets; ++i) ASSERT_EQ(table.find(i), soon[i]) << "packet " << i;
  EXPECT_EQ(soon[0].sack_count, 7);  // the record keeps three bits of count
  EXPECT_EQ(soon[1].sack[1], wire::SackBlock{});
}

TEST(TraceOptionTable, TheTraceReturnsOptionsOnlyForPacketsThatCarriedThem) {
  Trace t;
  PacketRecord p;
  p.options = wire::TcpOptions{};  // empty: stored as none
  t.add_packet(p);
  wire::TcpOptions ts;
  ts.timestamps = wire::TcpTimestamps{100, 200};
  p.options = ts;
  t.add_packet(p);
  p.options.reset();
  t.add_packet(p);
  EXPECT_FALSE(t.options(0));
  ASSERT_TRUE(t.options(1));
  EXPECT_EQ(*t.options(1), ts);
  EXPECT_EQ(t.packet(1).options, ts);
  EXPECT_FALSE(t.options(2));
}

// A segment with timestamps every 10 us on two flow directions, as a bulk transfer's data and ACKs: the
// record is a few bytes, so columns plus options stay far below the 64-byte budget (design notes).
TEST(TraceOptionTable, TimestampedSegmentsCostLessThanTwelveBytesOfOptions) {
  Trace t;
  PacketRecord p;
  for (int i = 0; i < 200'000; ++i) {
    p.time = SimTime{i * 10'000};
    p.arrive = SimTime{i * 10'000 + 10'000'000};
    p.dir = i % 3 == 2 ? Direction::BtoA : Direction::AtoB;
    p.payload_len = p.dir == Direction::AtoB ? 1448 : 0;
    wire::TcpOptions o;
    const auto ms = static_cast<std::uint32_t>(i / 100);  // a 1 ms TS clock (RFC 7323 §5.4)
    o.timestamps = wire::TcpTimestamps{ms + (p.dir == Direction::AtoB ? 1000u : 5000u),
                                       ms + (p.dir == Direction::AtoB ? 4990u : 990u)};
    p.options = o;
    t.add_packet(p);
  }
  const double per_packet = double(t.memory_bytes()) / double(t.packet_count());
  EXPECT_LE(per_packet, Trace::kColumnBytesPerPacket + 12.0);
  for (int i = 0; i < 200'000; i += 997) {
    const auto o = t.options(static_cast<std::size_t>(i));
    ASSERT_TRUE(o && o->timestamps);
    EXPECT_EQ(o->timestamps->value, static_cast<std::uint32_t>(i / 100) + (i % 3 == 2 ? 5000u : 1000u));
  }
}

// Issue #16: "at most 64 B of Trace per packet" on a linux-profile bulk run (SACK, timestamps, window
// scaling, CUBIC, RACK) with 1% loss, so SACK blocks are in the Trace as well.
TEST(TraceOptionTable, LinuxProfileBulkRunStaysWithinSixtyFourBytesPerPacket) {
  Network net(1);
  net.trace().set_detail(TraceDetail::Compact);
  const HostId a = net.add_host("A", *wire::Ipv4Addr::parse("10.0.0.1"));
  const HostId b = net.add_host("B", *wire::Ipv4Addr::parse("10.0.0.2"));
  LinkParams fwd;
  fwd.latency = SimDuration::millis(10);
  fwd.bandwidth_bps = 100'000'000;
  fwd.queue_packets = 100;
  fwd.impairments.push_back({BernoulliLoss{10'000}, ""});
  LinkParams rev = fwd;
  rev.impairments.clear();
  net.connect(a, b, fwd, rev);
  TcpConfig cfg = TcpConfig::for_profile(TcpProfile::Linux);
  cfg.mss = 1448;
  cfg.send_buffer = cfg.recv_buffer = 128 * 1024;
  net.host(a).set_tcp_config(cfg);
  net.host(b).set_tcp_config(cfg);
  Host& server = net.host(b);
  Host& client = net.host(a);
  const SocketId l = server.tcp_socket();
  ASSERT_TRUE(server.bind(l, 5001));
  ASSERT_TRUE(server.listen(l, 4));
  std::function<void(SocketId)> drain = [&](SocketId c) {
    server.recv_discard(c, 1 << 20, [&, c](SimTime, Result<std::uint64_t> got) {
      if (got && *got) drain(c);
    });
  };
  server.accept(l, [&](SimTime, Result<SocketId> c) {
    if (c) drain(*c);
  });
  const SocketId s = client.tcp_socket();
  client.connect(s, server.addr(), 5001, [&](SimTime, Status st) {
    if (st) client.send(s, {}, std::uint64_t{1} << 40, [](SimTime, Result<std::uint64_t>) {});
  });
  net.run(SimTime{SimDuration::seconds(10).ns});

  const Trace& t = net.trace();
  ASSERT_GT(t.packet_count(), 5'000u);  // enough for a per-packet figure
  std::size_t with_ts = 0, with_sack = 0;
  for (std::size_t i = 0; i < t.packet_count(); ++i) {
    const auto o = t.options(i);
    with_ts += o && o->timestamps;
    with_sack += o && o->sack_count > 0;
  }
  EXPECT_EQ(with_ts, t.packet_count());  // RFC 7323 §3.2: on every segment once negotiated, SYNs included
  EXPECT_GT(with_sack, 0u);
  EXPECT_LE(double(t.memory_bytes()) / double(t.packet_count()), 64.0);
}

}  // namespace trace_option_table_test
}  // namespace wirestep
