// The twin relay's link rules on hand-made frames (capture/twin_link.hpp): the scenario's latency and
// bandwidth per direction, and its scripted drops counted as the simulated link counts them
// (sim/net/link.cpp: the n-th packet of a kind, retransmissions included). No namespaces needed.
#include <gtest/gtest.h>

#include <random>

#include "capture/twin_lab.hpp"
#include "capture/twin_link.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/wire/packet.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace capture_twin_link_test {

using namespace wire::tcp_flag;
constexpr std::int64_t kUs = 1000;

// An Ethernet + IPv4 + TCP frame from host `from` (0 or 1) with `payload` bytes.
std::vector<std::uint8_t> tcp_frame(int from, std::uint8_t flags, std::uint32_t payload) {
  wire::EncodeIpv4 e;
  e.ip.protocol = wire::kIpProtoTcp;
  e.ip.src = *wire::Ipv4Addr::parse(from == 0 ? "10.0.0.1" : "10.0.0.2");
  e.ip.dst = *wire::Ipv4Addr::parse(from == 0 ? "10.0.0.2" : "10.0.0.1");
  e.eth_hosts = {static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(1 - from)};
  wire::TcpHeader t;
  t.src_port = from == 0 ? 40000 : 80;
  t.dst_port = from == 0 ? 80 : 40000;
  t.flags = flags;
  const std::vector<std::uint8_t> data(payload, 'x');
  std::vector<std::uint8_t> out;
  wire::encode_ipv4_tcp(e, t, data, out);
  return out;
}

TwinLinkDirection direction(std::int64_t latency_us, std::vector<TwinLinkDirection::Drop> drops = {}) {
  TwinLinkDirection d;
  d.latency = SimDuration::micros(latency_us);
  d.drops = std::move(drops);
  return d;
}

TEST(TwinLink, EachDirectionDelaysByItsOwnLatency) {
  TwinLink link(direction(5000), direction(7000));
  const auto v0 = link.on_frame(0, tcp_frame(0, kAck, 100), 1'000 * kUs);
  const auto v1 = link.on_frame(1, tcp_frame(1, kAck, 0), 2'000 * kUs);
  EXPECT_FALSE(v0.drop);
  EXPECT_EQ(v0.deliver_at_ns, 6'000 * kUs);
  EXPECT_EQ(v1.deliver_at_ns, 9'000 * kUs);
}

TEST(TwinLink, TheNthDataSegmentIsDroppedAndRetransmissionsCount) {
  // As sim/net/link.cpp counts: every data segment that reaches the rule, dropped or not; pure ACKs and
  // the SYN are not data.
  TwinLink link(direction(50, {{PacketKind::Data, {2, 4}}}), direction(50));
  std::vector<bool> dropped;
  EXPECT_FALSE(link.on_frame(0, tcp_frame(0, kSyn, 0), 0).drop);
  for (int i = 0; i < 5; ++i) {
    dropped.push_back(link.on_frame(0, tcp_frame(0, kAck, 1448), i * kUs).drop);
    EXPECT_FALSE(link.on_frame(0, tcp_frame(0, kAck, 0), i * kUs).drop) << "a pure ACK is not data";
  }
  EXPECT_EQ(dropped, (std::vector<bool>{false, true, false, true, false}));
  EXPECT_EQ(link.dropped(), 2u);
  EXPECT_FALSE(link.on_frame(1, tcp_frame(1, kAck, 1448), 0).drop) << "the rule is for one direction only";
}

TEST(TwinLink, BandwidthSerializesFramesBehindEachOther) {
  TwinLinkDirection d = direction(1000);
  d.bandwidth_bps = 8'000'000;  // 1 byte per µs
  TwinLink link(d, direction(1000));
  const auto frame = tcp_frame(0, kAck, 1000);  // 14 + 20 + 20 + 1000 bytes
  const std::int64_t bytes = static_cast<std::int64_t>(frame.size());
  const auto first = link.on_frame(0, frame, 0);
  const auto second = link.on_frame(0, frame, 0);
  EXPECT_EQ(first.deliver_at_ns, bytes * kUs + 1000 * kUs);
  EXPECT_EQ(second.deliver_at_ns, 2 * bytes * kUs + 1000 * kUs) << "it waits for the first to be sent";
}

TEST(TwinLink, FramesWithoutTcpAreDelayedButNeverDropped) {
  TwinLink link(direction(300, {{PacketKind::Any, {}}}), direction(300));
  std::vector<std::uint8_t> arp(42, 0);
  arp[12] = 0x08;
  arp[13] = 0x06;  // EtherType ARP
  const auto v = link.on_frame(0, arp, 0);
  EXPECT_FALSE(v.drop);
  EXPECT_EQ(v.deliver_at_ns, 300 * kUs);
  EXPECT_TRUE(link.on_frame(0, tcp_frame(0, kAck, 0), 0).drop) << "kind any takes every TCP packet";
}

TEST(TwinLink, HostileFramesAreNeitherMisreadNorACrash) {
  // Cut and corrupted copies of one data segment: a frame too short to hold Ethernet, IPv4 and TCP headers
  // never matches the data rule, the direction without rules drops nothing, and every frame let through
  // keeps the link's latency.
  TwinLink link(direction(10, {{PacketKind::Data, {}}}), direction(10));
  std::mt19937 rng(7);
  const auto good = tcp_frame(0, kAck, 500);
  constexpr std::size_t kHeaders = 14 + 20 + 20;
  int dropped = 0;
  for (int i = 0; i < 20000; ++i) {
    std::vector<std::uint8_t> f = good;
    f.resize(rng() % (good.size() + 1));  // cut anywhere
    for (int k = rng() % 4; k > 0 && !f.empty(); --k) f[rng() % f.size()] = static_cast<std::uint8_t>(rng());
    const int port = static_cast<int>(rng() % 2);
    const auto v = link.on_frame(port, f, i);
    if (v.drop) {
      ++dropped;
      EXPECT_EQ(port, 0) << "frame " << i;
      EXPECT_GE(f.size(), kHeaders) << "frame " << i;
    } else {
      EXPECT_EQ(v.deliver_at_ns, i + 10 * kUs) << "frame " << i;
    }
  }
  EXPECT_GT(dropped, 0) << "uncut copies of the data segment still match";
  EXPECT_FALSE(link.on_frame(0, {}, 0).drop);
}

TEST(TwinLink, TheScenarioLinkIsReadWhicheverWayItIsWritten) {
  std::string text = testing::read_text(testing::source_path("scenarios/twin/twin-syn-lost.toml"));
  auto at = text.find("between = [\"A\", \"B\"]");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 20, "between = [\"B\", \"A\"]");
  at = text.find("direction = \"A>B\"");
  ASSERT_NE(at, std::string::npos);
  auto sc = parse_scenario(text, "reversed.toml");
  ASSERT_TRUE(sc) << sc.error().message();
  auto link = TwinLink::from_scenario(*sc);
  ASSERT_TRUE(link) << link.error().message();
  // The SYN drop is A>B whichever host the link names first: port 0 faces A, the first host.
  EXPECT_TRUE(link->on_frame(0, tcp_frame(0, kSyn, 0), 0).drop);
  EXPECT_EQ(link->direction(0).latency, SimDuration::micros(50));
}

TEST(TwinLink, JitterAndQueueLimitsAreRefusedInBothLanguages) {
  std::string text = testing::read_text(testing::source_path("scenarios/twin/twin-syn-lost.toml"));
  const auto at = text.find("latency = \"50us\"");
  ASSERT_NE(at, std::string::npos);
  text.insert(at, "jitter = \"1ms\"\n");
  auto sc = parse_scenario(text, "jitter.toml");
  ASSERT_TRUE(sc) << sc.error().message();
  auto st = twin_scenario_supported(*sc);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().reason.find("jitter"), std::string::npos) << st.error().reason;
  EXPECT_NE(st.error().reason_zh.find("抖动"), std::string::npos);
}

TEST(TwinLink, MoreThanTwoHostsAreRefused) {
  auto sc = load_scenario_file(testing::source_path("scenarios/net-udp-one-to-many.toml"));
  ASSERT_TRUE(sc);
  auto link = TwinLink::from_scenario(*sc);
  ASSERT_FALSE(link);
  EXPECT_NE(link.error().reason.find("two hosts"), std::string::npos) << link.error().reason;
}

}  // namespace capture_twin_link_test
}  // namespace wirestep
