// Each link type the loader decodes finds the IP packet inside its frames: corpus files where the corpus has
// one (EN10MB, LINUX_SLL, RAW, IPV4, IPV6, NULL), hand-made captures where it has none (LINUX_SLL2, LOOP,
// NULL in both byte orders, QinQ), and unsupported link types are counted as "other", never dropped.
#include <gtest/gtest.h>

#include "capture/capture_reader.hpp"
#include "capture_test_support.hpp"

namespace wirestep {
namespace capture_link_types_test {

using namespace capture_test;

std::string endpoints(const LoadedCapture& cap, std::size_t packet) {
  const PacketRecord p = cap.trace.packet(packet);
  const TraceFlow& f = cap.trace.flows().at(p.flow);
  const bool ab = p.dir == Direction::AtoB;
  return wire::endpoint_to_string(ab ? f.a : f.b, ab ? f.a_port : f.b_port) + " > " +
         wire::endpoint_to_string(ab ? f.b : f.a, ab ? f.b_port : f.a_port);
}

Transport proto_of(const LoadedCapture& cap, std::size_t packet) {
  return cap.trace.flows().at(cap.trace.packet(packet).flow).proto;
}

struct CorpusCase {
  const char* file;
  const char* link_type;
  Transport proto;
  const char* first_packet;  // as tshark shows frame 1
};

TEST(CaptureLinkTypes, CorpusFileOfEachSupportedLinkTypeDecodes) {
  // Expected endpoints are tshark's for frame 1 of each file.
  const CorpusCase cases[] = {
      {"ssh.pcap", "EN10MB", Transport::Tcp, "202.108.87.165:62146 > 223.132.53.222:22"},
      {"tcp-handshake-nano.pcap", "LINUX_SLL", Transport::Tcp, "131.155.215.69:46656 > 137.116.81.94:80"},
      {"LINKTYPE_RAW_ipv4.pcap", "RAW", Transport::Udp, "192.168.1.100:12345 > 9.9.9.9:53"},
      {"LINKTYPE_RAW_ipv6.pcap", "RAW", Transport::Udp, "[2001:db8::1]:12345 > [2620:fe::9]:53"},
      {"LINKTYPE_IPV4.pcap", "IPV4", Transport::Udp, "192.168.1.100:12345 > 9.9.9.9:53"},
      {"LINKTYPE_IPV6.pcap", "IPV6", Transport::Udp, "[2001:db8::1]:12345 > [2620:fe::9]:53"},
      {"tcp_rst_diag_payload.pcap", "NULL", Transport::Tcp, "192.0.2.1:39829 > 192.168.0.1:8080"},
      {"dns-badcookie.pcap", "NULL", Transport::Udp, "127.0.0.1:54954 > 127.0.0.1:53"},
  };
  for (const CorpusCase& c : cases) {
    SCOPED_TRACE(c.file);
    auto cap = load_capture(corpus_file(c.file));
    ASSERT_TRUE(cap) << cap.error().message();
    EXPECT_EQ(cap->info.link_type, c.link_type);
    EXPECT_TRUE(cap->info.link_supported);
    ASSERT_GT(cap->trace.packet_count(), 0u);
    EXPECT_EQ(proto_of(*cap, 0), c.proto);
    EXPECT_EQ(endpoints(*cap, 0), c.first_packet);
    EXPECT_EQ(cap->info.decode_error_count, 0u);
  }
}

TEST(CaptureLinkTypes, NanosecondPcapKeepsNanosecondTimes) {
  // tcp-handshake-nano.pcap: SYN, SYN-ACK, ACK stamped to the nanosecond.
  auto cap = load_capture(corpus_file("tcp-handshake-nano.pcap"));
  ASSERT_TRUE(cap);
  EXPECT_EQ(cap->info.format, CaptureFormat::PcapNanosecond);
  const auto t = cap->trace.packet_times_ns();
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0], 0);
  EXPECT_NE(t[1] % 1000, 0) << "sub-microsecond digits survive";
}

TEST(CaptureLinkTypes, QinQFramesFromTheCorpusAreArpNotMalformed) {
  // 802.1ad_QinQ.pcap carries ARP behind an 802.1ad and an 802.1Q tag: decoded as ARP (RFC 826).
  auto cap = load_capture(corpus_file("802.1ad_QinQ.pcap"));
  ASSERT_TRUE(cap);
  EXPECT_EQ(cap->info.non_ip_frames, 0u);
  EXPECT_EQ(cap->info.decode_error_count, 0u);
  ASSERT_EQ(cap->trace.packet_count(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(cap->trace.flows().at(cap->trace.flow_of(i)).proto, Transport::Arp) << i;
    EXPECT_TRUE(cap->trace.arp(i)) << i;
  }
}

// Hand-made captures for the link types the corpus lacks.
class CaptureHandMadeLink : public ::testing::Test {
 protected:
  Result<LoadedCapture> write_and_load(int dlt, const std::vector<std::vector<std::uint8_t>>& frames) {
    const std::string path = dir_.file("link-" + std::to_string(dlt) + "-" + std::to_string(++n_) + ".pcap");
    {
      PcapWriter w(path, dlt);
      EXPECT_TRUE(w.ok());
      std::int64_t t = 0;
      for (const auto& f : frames) w.add(t += 1'000'000, f);
    }
    return load_capture(path);
  }
  testing::TempDir dir_;
  int n_ = 0;
  const std::vector<std::uint8_t> tcp_ =
      ipv4_tcp("10.1.0.1", 40000, "10.1.0.2", 443, 1000, 0, wire::tcp_flag::kSyn, 64240);
};

TEST_F(CaptureHandMadeLink, LinuxSll2HasTheProtocolFirst) {
  // linktype_linux_sll2.html: protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1) addrlen(1) addr(8).
  const std::vector<std::uint8_t> sll2 = {0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0};
  auto cap = write_and_load(276, {with_prefix(sll2, tcp_)});
  ASSERT_TRUE(cap) << cap.error().message();
  EXPECT_EQ(cap->info.link_type, "LINUX_SLL2");
  EXPECT_EQ(endpoints(*cap, 0), "10.1.0.1:40000 > 10.1.0.2:443");
  EXPECT_EQ(cap->info.decode_error_count, 0u);
}

TEST_F(CaptureHandMadeLink, LoopFamilyIsBigEndianForIpv4AndEachBsdIpv6Value) {
  // DLT_LOOP: the address family in network byte order; AF_INET6 is 24, 28 or 30 depending on the BSD.
  const auto v6 = ipv6_udp(1, 2, 5353, 5353, 12);
  auto cap = write_and_load(DLT_LOOP, {with_prefix({0, 0, 0, 2}, tcp_), with_prefix({0, 0, 0, 24}, v6),
                                       with_prefix({0, 0, 0, 28}, v6), with_prefix({0, 0, 0, 30}, v6),
                                       with_prefix({0, 0, 0, 99}, tcp_)});
  ASSERT_TRUE(cap) << cap.error().message();
  EXPECT_EQ(cap->info.link_type, "LOOP");
  EXPECT_EQ(proto_of(*cap, 0), Transport::Tcp);
  for (std::size_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(proto_of(*cap, i), Transport::Udp) << i;
    EXPECT_EQ(endpoints(*cap, i), "[2001:db8::1]:5353 > [2001:db8::2]:5353");
  }
  EXPECT_EQ(proto_of(*cap, 4), Transport::Other) << "unknown family: not IP";
  EXPECT_EQ(cap->info.non_ip_frames, 1u);
}

TEST_F(CaptureHandMadeLink, NullFamilyIsReadInEitherByteOrder) {
  // DLT_NULL is in the capturing host's byte order, which the file does not say.
  auto cap = write_and_load(DLT_NULL, {with_prefix({2, 0, 0, 0}, tcp_), with_prefix({0, 0, 0, 2}, tcp_),
                                       with_prefix({30, 0, 0, 0}, ipv6_udp(1, 2, 1, 2, 0))});
  ASSERT_TRUE(cap) << cap.error().message();
  EXPECT_EQ(proto_of(*cap, 0), Transport::Tcp);
  EXPECT_EQ(proto_of(*cap, 1), Transport::Tcp);
  EXPECT_EQ(proto_of(*cap, 2), Transport::Udp);
}

TEST_F(CaptureHandMadeLink, EthernetQinQAndVlanTagsAreSkipped) {
  const auto udp = ipv4_udp("192.0.2.1", 1000, "192.0.2.2", 2000, 4);
  std::vector<std::uint8_t> qinq = {2, 0,    0,    0, 0,   2,    2,    0, 0,   0,    0,
                                    1, 0x88, 0xa8, 0, 100, 0x81, 0x00, 0, 200, 0x08, 0x00};
  std::vector<std::uint8_t> dot1q = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x81, 0x00, 0, 7, 0x08, 0x00};
  auto cap = write_and_load(DLT_EN10MB, {with_prefix(qinq, udp), with_prefix(dot1q, udp)});
  ASSERT_TRUE(cap) << cap.error().message();
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(endpoints(*cap, i), "192.0.2.1:1000 > 192.0.2.2:2000") << i;
  EXPECT_EQ(cap->trace.flows().size(), 1u) << "tagged or not, one conversation";
}

TEST_F(CaptureHandMadeLink, RawIpCarriesIpv4AndIpv6) {
  auto cap = write_and_load(DLT_RAW, {tcp_, ipv6_udp(3, 4, 53, 53, 8)});
  ASSERT_TRUE(cap) << cap.error().message();
  EXPECT_EQ(proto_of(*cap, 0), Transport::Tcp);
  EXPECT_EQ(endpoints(*cap, 1), "[2001:db8::3]:53 > [2001:db8::4]:53");
}

TEST_F(CaptureHandMadeLink, UnsupportedLinkTypeFramesAreCountedAsOther) {
  // DLT_PPP (9) is not decoded: its frames are kept and counted, not errors and not dropped.
  auto cap = write_and_load(DLT_PPP, {with_prefix({0xff, 0x03, 0x00, 0x21}, tcp_), {0xff, 0x03}});
  ASSERT_TRUE(cap) << cap.error().message();
  EXPECT_FALSE(cap->info.link_supported);
  EXPECT_EQ(cap->info.frames, 2u);
  EXPECT_EQ(cap->info.other_link_frames, 2u);
  EXPECT_EQ(cap->info.decode_error_count, 0u);
  EXPECT_EQ(proto_of(*cap, 0), Transport::Other);
  EXPECT_EQ(cap->trace.packet(0).flow, cap->info.non_ip_flow);
}

TEST_F(CaptureHandMadeLink, TruncatedLinkHeadersAreDecodeErrorsWithTheirByte) {
  auto cap = write_and_load(DLT_LINUX_SLL, {{0, 0, 0, 1, 0, 6, 2}});
  ASSERT_TRUE(cap);
  ASSERT_EQ(cap->info.decode_errors.size(), 1u);
  EXPECT_EQ(cap->info.decode_errors[0].frame, 1u);
  EXPECT_EQ(cap->info.decode_errors[0].offset, 24u + 16u) << "file header + record header";
  EXPECT_NE(cap->info.decode_errors[0].reason.find("SLL"), std::string::npos)
      << cap->info.decode_errors[0].reason;
  EXPECT_TRUE(cap->trace.packet(0).marks & mark::kMalformed);
}

}  // namespace capture_link_types_test
}  // namespace wirestep
