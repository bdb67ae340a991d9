// ARP and ICMP end to end: packets recorded in a Trace the way the simulator will record them, exported as
// pcap through rebuild_packet, read by tshark (the outside oracle: right checksums, nothing malformed) and
// loaded back by the capture side, where they are ARP and ICMP packets with their fields, an ICMP error
// counts on the flow whose packet it quotes, and `wirestep analyze --json` reports what tshark reports.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "capture/analyzed_capture.hpp"
#include "capture/frame_bytes.hpp"
#include "capture/pcap_export.hpp"
#include "capture_test_support.hpp"
#include "sim/analysis/packet_fields.hpp"
#include "sim/trace/packet_bytes.hpp"
#include "sim/wire/arp.hpp"
#include "sim/wire/icmp.hpp"
#include "ui/cli/analyze_command.hpp"

namespace wirestep {
namespace capture_arp_icmp_test {

using capture_test::PcapWriter;
constexpr std::int64_t kMs = 1'000'000;

wire::IpAddr ip4(const char* s) {
  return wire::IpAddr::from_v4(*wire::Ipv4Addr::parse(s));
}

// Hosts: A 10.0.0.1 (0), B 10.0.0.2 (1), the router 10.0.0.254 (2); a traceroute target behind it.
class ArpIcmpTrace {
 public:
  ArpIcmpTrace() {
    t_.add_host({"A", ip4("10.0.0.1"), 24});
    t_.add_host({"B", ip4("10.0.0.2"), 24});
    t_.add_host({"R", ip4("10.0.0.254"), 24});
    arp(0, 1, wire::ArpOp::Request);                            // 1: who has 10.0.0.2? tell 10.0.0.1
    arp(1, 0, wire::ArpOp::Reply);                              // 2: 10.0.0.2 is at 02:00:00:00:00:01
    udp_flow_ = udp("10.0.0.1", 5000, "10.0.0.2", 9, 0, 1, 1);  // 3: to a closed port
    icmp_error(1, 0, 3, 3, 0, 2);                               // 4: port unreachable quoting 3
    echo(0, 1, wire::icmp4::kEchoRequest);                      // 5
    echo(1, 0, wire::icmp4::kEchoReply);                        // 6
    probe_flow_ = udp("10.0.0.1", 40000, "198.51.100.9", 33434, 0, 2, 1);  // 7: a traceroute probe, TTL 1
    icmp_error(2, 0, wire::icmp4::kTimeExceeded, 0, 0, 6);                 // 8: quoting 7
    icmp_error(2, 0, wire::icmp4::kDestinationUnreachable, 4, 1400, 6);    // 9: fragmentation needed
  }
  const Trace& trace() const { return t_; }
  std::uint32_t udp_flow() const { return udp_flow_; }
  std::uint32_t probe_flow() const { return probe_flow_; }

 private:
  PacketRecord next(std::uint32_t flow, Direction dir) {
    PacketRecord p;
    p.time = p.arrive = SimTime{static_cast<std::int64_t>(t_.packet_count()) * kMs};
    p.arrive.ns += kMs / 2;
    p.flow = flow;
    p.dir = dir;
    p.ip_id = static_cast<std::uint16_t>(100 + t_.packet_count());
    return p;
  }
  void arp(std::uint32_t from, std::uint32_t to, wire::ArpOp op) {
    const auto& h = t_.hosts();
    const auto [flow, dir] = t_.flow_for(Transport::Arp, h[from].addr, 0, h[to].addr, 0, from, to);
    PacketRecord p = next(flow, dir);
    wire::ArpPacket a;
    a.op = static_cast<std::uint16_t>(op);
    a.sender_mac = wire::sim_mac(from);
    a.sender_ip = h[from].addr.v4();
    if (op == wire::ArpOp::Reply) a.target_mac = wire::sim_mac(to);
    a.target_ip = h[to].addr.v4();
    p.arp = a;
    t_.add_packet(p);
  }
  std::uint32_t udp(const char* src, std::uint16_t sport, const char* dst, std::uint16_t dport,
                    std::uint32_t sh, std::uint32_t dh, std::uint8_t ttl) {
    const auto [flow, dir] = t_.flow_for(Transport::Udp, ip4(src), sport, ip4(dst), dport, sh, dh);
    PacketRecord p = next(flow, dir);
    const std::string text = "hello";
    p.payload_len = static_cast<std::uint32_t>(text.size());
    p.payload_ref =
        t_.store_payload(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    p.ttl = ttl;
    t_.add_packet(p);
    return flow;
  }
  void add_icmp(std::uint32_t from, std::uint32_t to, std::uint8_t type, std::uint8_t code,
                std::uint32_t rest, const std::vector<std::uint8_t>& body) {
    const auto& h = t_.hosts();
    const auto [flow, dir] = t_.flow_for(Transport::Icmp, h[from].addr, 0, h[to].addr, 0, from, to);
    PacketRecord p = next(flow, dir);
    // The message's fields as the decoder reads them from the bytes it will become.
    std::vector<std::uint8_t> bytes;
    wire::encode_icmpv4(type, code, rest, body, bytes);
    auto m = wire::decode_icmp(bytes, bytes.size(), false);
    EXPECT_TRUE(m);
    p.icmp = IcmpRecord{*m};
    p.payload_len = static_cast<std::uint32_t>(body.size());
    p.payload_ref = t_.store_payload(body);
    t_.add_packet(p);
  }
  void icmp_error(std::uint32_t from, std::uint32_t to, std::uint8_t type, std::uint8_t code,
                  std::uint32_t rest, std::size_t quoted_packet) {
    std::vector<std::uint8_t> original;
    rebuild_packet(t_, quoted_packet, LinkLayer::RawIp, original);
    const wire::Bytes quote = wire::icmp_quote_of(original);
    add_icmp(from, to, type, code, rest, std::vector<std::uint8_t>(quote.begin(), quote.end()));
  }
  void echo(std::uint32_t from, std::uint32_t to, std::uint8_t type) {
    add_icmp(from, to, type, 0, 0x0077'0001, std::vector<std::uint8_t>(32, 0x61));
  }

  Trace t_;
  std::uint32_t udp_flow_ = 0, probe_flow_ = 0;
};

class CaptureArpIcmp : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("arp-icmp.pcap");
    auto written = write_pcap(built_.trace(), path_);
    ASSERT_TRUE(written) << written.error().message();
    ASSERT_EQ(*written, 9u);
  }
  testing::TempDir dir_;
  ArpIcmpTrace built_;
  std::string path_;
};

TEST(TraceArpIcmp, SideTableKeepsTheFieldsAndTcpUdpPacketsCostNothingMore) {
  ArpIcmpTrace b;
  const Trace& t = b.trace();
  EXPECT_EQ(Trace::kColumnBytesPerPacket, 39u);
  ASSERT_TRUE(t.arp(0));
  EXPECT_EQ(t.arp(0)->op, 1);
  EXPECT_EQ(t.packet(1).arp->target_mac, wire::sim_mac(0));
  EXPECT_EQ(t.arp(2), nullptr);
  EXPECT_EQ(t.icmp(2), nullptr);
  EXPECT_FALSE(t.packet(2).icmp);
  ASSERT_TRUE(t.icmp(3));
  EXPECT_EQ(t.icmp(3)->message.code, 3);
  // Trace::add_packet linked the error to the datagram it quotes.
  EXPECT_EQ(t.icmp(3)->quoted_flow, b.udp_flow());
  EXPECT_EQ(t.icmp(7)->quoted_flow, b.probe_flow());
  EXPECT_EQ(t.packet(4).icmp->message.id(), 0x77);
  EXPECT_EQ(t.flows().at(t.flow_of(0)).proto, Transport::Arp);
  EXPECT_EQ(t.flows().at(t.flow_of(4)).proto, Transport::Icmp);
}

// The oracle: tshark dissects every exported frame as ARP or ICMP with the fields we wrote, checksums good.
TEST_F(CaptureArpIcmp, TsharkReadsTheExportWithGoodChecksumsAndNothingMalformed) {
  WIRESTEP_REQUIRE_TSHARK();
  const auto r = testing::run_command_line(
      "tshark -n -r '" + path_ +
      "' -T fields -E separator=';' -e frame.number -e arp.opcode -e icmp.type -e icmp.code "
      "-e icmp.checksum.status -e icmp.ident -e icmp.seq -e icmp.mtu -e udp.dstport -e _ws.malformed "
      "2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // Frame; ARP opcode; ICMP type, code, checksum status (1: good), id, seq, MTU; UDP port (also the quoted
  // datagram's); malformed (empty: not).
  const std::string expected =
      "1;1;;;;;;;;\n"
      "2;2;;;;;;;;\n"
      "3;;;;;;;;9;\n"
      "4;;3;3;1;;;;9;\n"
      "5;;8;0;1;119;1;;;\n"
      "6;;0;0;1;119;1;;;\n"
      "7;;;;;;;;33434;\n"
      "8;;11;0;1;;;;33434;\n"
      "9;;3;4;1;;;1400;33434;\n";
  EXPECT_EQ(r.output, expected);
  const auto malformed =
      testing::run_command_line("tshark -n -r '" + path_ + "' -Y '_ws.malformed || " +
                                "icmp.checksum.status == 0 || _ws.expert.severity >= 6291456' 2>/dev/null");
  EXPECT_EQ(malformed.exit_code, 0);
  EXPECT_EQ(malformed.output, "") << "tshark finds malformed frames, bad checksums or warnings";
}

TEST_F(CaptureArpIcmp, LoadedExportHasArpAndIcmpPacketsWithTheirFields) {
  auto a = load_and_analyze(path_);
  ASSERT_TRUE(a) << a.error().message();
  const LoadedCapture& cap = a->capture;
  EXPECT_EQ(cap.info.non_ip_frames, 0u);
  EXPECT_EQ(cap.info.malformed_frames, 0u);
  EXPECT_EQ(cap.info.bad_checksums, 0u);
  const Trace& t = cap.trace;
  ASSERT_EQ(t.packet_count(), 9u);
  for (std::size_t i = 0; i < 9; ++i) {
    const Transport want = i < 2 ? Transport::Arp : (i == 2 || i == 6) ? Transport::Udp : Transport::Icmp;
    EXPECT_EQ(t.flows().at(t.flow_of(i)).proto, want) << "frame " << i + 1;
  }
  EXPECT_EQ(*t.arp(0), *built_.trace().arp(0));
  EXPECT_EQ(*t.arp(1), *built_.trace().arp(1));
  for (std::size_t i : {3u, 4u, 5u, 7u, 8u}) {
    ASSERT_TRUE(t.icmp(i)) << i;
    const wire::IcmpMessage& m = t.icmp(i)->message;
    const wire::IcmpMessage& sent = built_.trace().icmp(i)->message;
    EXPECT_EQ(m.type, sent.type);
    EXPECT_EQ(m.code, sent.code);
    EXPECT_EQ(m.rest, sent.rest);
    EXPECT_EQ(m.quote, sent.quote);
    EXPECT_EQ(m.checksum_ok, true);
  }
  EXPECT_EQ(t.icmp(8)->message.mtu(), 1400u);
  // The quoted datagram's flow, found in the capture's own flows.
  EXPECT_EQ(t.icmp(3)->quoted_flow, t.flow_of(2));
  EXPECT_EQ(t.icmp(7)->quoted_flow, t.flow_of(6));
}

std::vector<std::uint8_t> frame_of(const std::string& path, const Trace& t, std::size_t i) {
  auto f = read_frame_bytes(path, t.payload_ref(i));
  EXPECT_TRUE(f) << f.error().message();
  return f ? f->bytes : std::vector<std::uint8_t>{};
}

// `wirestep analyze --json`: ARP and ICMP conversations are rows of their own, and the UDP flows count the
// ICMP errors that quote them; the numbers are tshark's.
TEST_F(CaptureArpIcmp, AnalyzeJsonListsArpAndIcmpRowsAndCountsErrorsOnTheQuotedFlow) {
  WIRESTEP_REQUIRE_TSHARK();
  std::ostringstream out, err;
  ASSERT_EQ(analyze_command(AnalyzeOptions{path_, true, "", 5}, out, err), 0) << err.str();
  const auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["non_ip_frames"], 0);
  std::map<std::string, std::uint64_t> packets_by_proto;
  std::map<std::string, nlohmann::json> by_ends;
  for (const auto& f : j["flows"]) {
    packets_by_proto[f["proto"].get<std::string>()] += f["packets"].get<std::uint64_t>();
    by_ends[f["proto"].get<std::string>() + " " + f["a"].get<std::string>() + " " +
            f["b"].get<std::string>()] = f;
  }
  const auto count = [&](const std::string& filter) {
    const auto r =
        testing::run_command_line("tshark -n -r '" + path_ + "' -Y '" + filter + "' 2>/dev/null | wc -l");
    return std::stoull(r.output);
  };
  EXPECT_EQ(packets_by_proto["arp"], count("arp"));
  EXPECT_EQ(packets_by_proto["icmp"], count("icmp"));
  EXPECT_EQ(packets_by_proto["udp"], count("udp && !icmp"));
  ASSERT_TRUE(by_ends.count("arp 10.0.0.1 10.0.0.2")) << out.str();
  EXPECT_EQ(by_ends["arp 10.0.0.1 10.0.0.2"]["arp"]["requests"], count("arp.opcode == 1"));
  EXPECT_EQ(by_ends["arp 10.0.0.1 10.0.0.2"]["arp"]["replies"], count("arp.opcode == 2"));
  ASSERT_TRUE(by_ends.count("udp 10.0.0.1:5000 10.0.0.2:9")) << out.str();
  EXPECT_EQ(by_ends["udp 10.0.0.1:5000 10.0.0.2:9"]["icmp_errors"],
            count("icmp.type == 3 && udp.dstport == 9"));
  EXPECT_EQ(by_ends["udp 10.0.0.1:40000 198.51.100.9:33434"]["icmp_errors"],
            count("icmp && udp.dstport == 33434"));
  ASSERT_TRUE(by_ends.count("icmp 10.0.0.2 10.0.0.1")) << out.str();
  const auto& ab = by_ends["icmp 10.0.0.2 10.0.0.1"];
  EXPECT_EQ(ab["icmp"]["echo_requests"], count("icmp.type == 8"));
  EXPECT_EQ(ab["icmp"]["echo_replies"], count("icmp.type == 0"));
  EXPECT_EQ(ab["icmp"]["errors"], 1);
  EXPECT_EQ(by_ends["icmp 10.0.0.254 10.0.0.1"]["icmp"]["errors"],
            count("icmp.type == 11 || icmp.type == 3") - 1);
  // The table for people has the rows too.
  std::ostringstream text;
  ASSERT_EQ(analyze_command(AnalyzeOptions{path_, false, "", 5}, text, err), 0);
  EXPECT_NE(text.str().find("ICMP and ARP"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("ICMP errors: 1"), std::string::npos) << text.str();
}

// The inspector lists every ARP and ICMP field, in English and in Chinese.
TEST_F(CaptureArpIcmp, InspectorListsArpAndIcmpFieldsInEnglishAndChinese) {
  auto cap = load_capture(path_);
  ASSERT_TRUE(cap);
  // The last field of that name: Ethernet has a "type" too, before ICMP's.
  const auto find = [](const std::vector<Field>& fields, const std::string& name) -> std::string {
    for (auto f = fields.rbegin(); f != fields.rend(); ++f)
      if (f->name == name) return f->value;
    return "<missing " + name + ">";
  };
  FrameContext en, zh;
  zh.chinese = true;
  const auto arp = frame_of(path_, cap->trace, 0);
  const auto arp_en = describe_frame(arp, en);
  EXPECT_EQ(find(arp_en, "ARP"), "who has 10.0.0.2? tell 10.0.0.1");
  EXPECT_EQ(find(arp_en, "operation"), "1 (request)");
  EXPECT_EQ(find(arp_en, "sender MAC address"), "02:00:00:00:00:00");
  EXPECT_EQ(find(arp_en, "sender IP address"), "10.0.0.1");
  EXPECT_NE(find(arp_en, "target MAC address").find("unknown"), std::string::npos);
  EXPECT_EQ(find(arp_en, "target IP address"), "10.0.0.2");
  const auto arp_zh = describe_frame(arp, zh);
  EXPECT_EQ(find(arp_zh, "操作码"), "1 (请求)");
  EXPECT_EQ(find(arp_zh, "发送方 IP 地址"), "10.0.0.1");
  EXPECT_EQ(find(arp_zh, "目标 IP 地址"), "10.0.0.2");
  EXPECT_EQ(find(arp_zh, "硬件类型"), "1（以太网）");

  const auto err = frame_of(path_, cap->trace, 3);
  const auto err_en = describe_frame(err, en);
  EXPECT_EQ(find(err_en, "ICMP"), "destination unreachable (port unreachable)");
  EXPECT_EQ(find(err_en, "type"), "3 (destination unreachable)");
  EXPECT_EQ(find(err_en, "code"), "3 (port unreachable)");
  EXPECT_NE(find(err_en, "checksum").find("correct"), std::string::npos);
  EXPECT_EQ(find(err_en, "quoted packet"), "UDP 10.0.0.1:5000 → 10.0.0.2:9 (complete)");
  EXPECT_EQ(find(err_en, "quoted destination port"), "9");
  EXPECT_EQ(find(err_en, "quoted source"), "10.0.0.1");
  const auto err_zh = describe_frame(err, zh);
  EXPECT_EQ(find(err_zh, "类型"), "3 (目的不可达)");
  EXPECT_EQ(find(err_zh, "代码"), "3 (端口不可达)");
  EXPECT_EQ(find(err_zh, "原始目的端口"), "9");
  EXPECT_NE(find(err_zh, "校验和").find("正确"), std::string::npos);

  const auto echo_en = describe_frame(frame_of(path_, cap->trace, 4), en);
  EXPECT_EQ(find(echo_en, "identifier"), "119 (0x0077)");
  EXPECT_EQ(find(echo_en, "sequence number"), "1");
  EXPECT_EQ(find(echo_en, "echo data"), "32 bytes");
  EXPECT_EQ(find(describe_frame(frame_of(path_, cap->trace, 4), zh), "标识符"), "119 (0x0077)");
  EXPECT_EQ(find(describe_frame(frame_of(path_, cap->trace, 8), en), "next-hop MTU (RFC 1191)"),
            "1400 bytes");
}

// Hostile input: every single-byte change of an ICMP error frame loads and is described without a crash.
TEST_F(CaptureArpIcmp, SingleByteMutationsOfAnIcmpErrorFrameNeverCrash) {
  auto cap = load_capture(path_);
  ASSERT_TRUE(cap);
  const auto err = frame_of(path_, cap->trace, 3);
  const std::string mutated = dir_.file("mutated.pcap");
  std::size_t frames = 0;
  {
    PcapWriter w(mutated, 1);
    ASSERT_TRUE(w.ok());
    for (std::size_t i = 0; i < err.size(); ++i)
      for (std::uint8_t v : {0x00, 0x01, 0x45, 0x80, 0xff}) {
        auto m = err;
        m[i] = v;
        w.add(static_cast<std::int64_t>(frames++) * kMs, m);
        FrameContext ctx;
        EXPECT_FALSE(describe_frame(m, ctx).empty());
      }
  }
  auto loaded = load_and_analyze(mutated);
  ASSERT_TRUE(loaded) << loaded.error().message();
  EXPECT_EQ(loaded->capture.info.frames, frames);
  EXPECT_GT(loaded->capture.info.malformed_frames + loaded->capture.info.bad_checksums, 0u);
}

TEST(CaptureArp, TruncatedArpIsMalformedWithItsReasonAndOtherHardwareIsNotDecoded) {
  testing::TempDir dir;
  const std::string path = dir.file("arp-bad.pcap");
  wire::ArpPacket a;
  a.op = 1;
  a.sender_ip = *wire::Ipv4Addr::parse("10.0.0.1");
  a.target_ip = *wire::Ipv4Addr::parse("10.0.0.2");
  std::vector<std::uint8_t> good;
  wire::encode_arp(a, good);
  {
    PcapWriter w(path, 1);
    ASSERT_TRUE(w.ok());
    w.add(0, std::vector<std::uint8_t>(good.begin(), good.begin() + 14 + 20));  // 20 of 28 ARP bytes
    auto other = good;
    other[15] = 6;  // hardware type 6 (IEEE 802): RFC 826 allows it, we do not decode it
    w.add(kMs, other);
    w.add(2 * kMs, good);
  }
  auto cap = load_capture(path);
  ASSERT_TRUE(cap) << cap.error().message();
  EXPECT_EQ(cap->info.malformed_frames, 1u);
  ASSERT_EQ(cap->info.decode_errors.size(), 1u);
  EXPECT_EQ(cap->info.decode_errors[0].frame, 1u);
  EXPECT_EQ(cap->info.decode_errors[0].reason, "byte 34: ARP addresses truncated: 20 of 28 bytes");
  EXPECT_EQ(cap->info.non_ip_frames, 2u);
  EXPECT_EQ(cap->trace.flow_of(0), cap->info.non_ip_flow);
  EXPECT_EQ(cap->trace.flow_of(1), cap->info.non_ip_flow);
  EXPECT_EQ(cap->trace.flows().at(cap->trace.flow_of(2)).proto, Transport::Arp);
  ASSERT_TRUE(cap->trace.arp(2));
  EXPECT_EQ(cap->trace.arp(2)->target_ip.to_string(), "10.0.0.2");
}

}  // namespace capture_arp_icmp_test
}  // namespace wirestep

namespace wirestep {
namespace capture_arp_icmp_test {

// The corpus files tshark finds ARP or ICMP in (tshark -Y 'arp || icmp || icmpv6'), many of them crafted.
const std::vector<std::string>& corpus_arp_icmp_files() {
  static const std::vector<std::string> files = {"802.1ad_QinQ.pcap",
                                                 "afs.pcap",
                                                 "arp-oobr.pcap",
                                                 "arp-too-long-tha.pcap",
                                                 "babel.pcap",
                                                 "bgp-4byte-asn.pcap",
                                                 "bgp-lu-multiple-labels.pcap",
                                                 "dcb_ets.pcap",
                                                 "dcb_qcn.pcap",
                                                 "dhcp-rfc4388.pcap",
                                                 "eapon1.pcap",
                                                 "extract_read2_asan.pcap",
                                                 "geneve.pcap",
                                                 "getname_2_read4_asan.pcap",
                                                 "icmp-cksum-oobr-1.pcap",
                                                 "icmp-cksum-oobr-2.pcap",
                                                 "icmp-cksum-oobr-3.pcapng",
                                                 "icmp-cksum-oobr-4.pcapng",
                                                 "icmp6_mobileprefix_asan.pcap",
                                                 "icmp_ext_oob_poc.pcap",
                                                 "ipv6-bad-version.pcap",
                                                 "ipv6-routing-header.pcap",
                                                 "ipv6-srh-ext-header.pcap",
                                                 "ipv6_jumbogram_1.pcap",
                                                 "ipv6_jumbogram_invalid_length.pcap",
                                                 "isakmp4500.pcap",
                                                 "mpls-over-udp.pcap",
                                                 "mptcp-fclose.pcap",
                                                 "rpl-dao-oobr.pcap",
                                                 "vxlan.pcap"};
  return files;
}

std::size_t packets_of_kind(const Trace& t, Transport kind) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < t.packet_count(); ++i) n += t.flows().at(t.flow_of(i)).proto == kind;
  return n;
}

// Where we decode fewer than tshark, and why; everywhere else the counts are equal. Never more than tshark.
const std::map<std::string, std::string>& fewer_than_tshark() {
  static const std::map<std::string, std::string> why = {
      {"arp-oobr.pcap", "crafted ARP with other hardware types / lengths: kept as non-IP frames"},
      {"arp-too-long-tha.pcap", "hardware address length is not 6: not Ethernet ARP"},
      {"getname_2_read4_asan.pcap", "crafted ARP that is not Ethernet/IPv4"},
      {"extract_read2_asan.pcap", "ICMP header truncated: 3 of 8 bytes (malformed, named)"},
      {"icmp6_mobileprefix_asan.pcap", "ICMPv6 header truncated: 6 of 8 bytes (malformed, named)"},
      {"icmp-cksum-oobr-2.pcap", "PPP link type, not decoded"},
      {"icmp-cksum-oobr-4.pcapng", "PPP link type, not decoded"},
      {"ipv6-srh-ext-header.pcap", "the ICMPv6 behind an IPv6 Segment Routing header is not reached"},
      {"geneve.pcap", "Geneve tunnels are not walked"},
      {"mpls-over-udp.pcap", "MPLS over UDP is not walked"},
      {"vxlan.pcap", "ARP inside VXLAN: the outer UDP datagram stands as the packet"},
  };
  return why;
}

// Every corpus file with ARP or ICMP loads without a crash, with those packets decoded as tshark counts them.
TEST(CaptureCorpusArpIcmp, ArpAndIcmpPacketsAreDecodedAsTsharkCountsThem) {
  WIRESTEP_REQUIRE_TSHARK();
  for (const std::string& name : corpus_arp_icmp_files()) {
    const std::string path = capture_test::corpus_file(name);
    auto cap = load_capture(path);
    ASSERT_TRUE(cap) << name << ": " << cap.error().message();
    const auto count = [&](const std::string& filter) {
      const auto r =
          testing::run_command_line("tshark -n -r '" + path + "' -Y '" + filter + "' 2>/dev/null | wc -l");
      return static_cast<std::size_t>(std::stoull(r.output));
    };
    const std::size_t arp = packets_of_kind(cap->trace, Transport::Arp),
                      icmp = packets_of_kind(cap->trace, Transport::Icmp);
    const std::size_t their_arp = count("arp"), their_icmp = count("icmp || icmpv6");
    if (fewer_than_tshark().count(name)) {
      EXPECT_LE(arp, their_arp) << name;
      EXPECT_LE(icmp, their_icmp) << name;
      EXPECT_LT(arp + icmp, their_arp + their_icmp)
          << name << ": now decoded like tshark, drop the exception";
    } else {
      EXPECT_EQ(arp, their_arp) << name;
      EXPECT_EQ(icmp, their_icmp) << name;
    }
  }
}

// rebuild_packet for ICMPv6 (RFC 4443 §2.3: checksum over the IPv6 pseudo-header), read by tshark and by us.
TEST(CaptureIcmpv6Export, EchoPairExportsWithGoodChecksumsAndLoadsBack) {
  WIRESTEP_REQUIRE_TSHARK();
  Trace t;
  wire::IpAddr a, b;
  a.v6 = b.v6 = true;
  a.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  b.bytes = a.bytes;
  b.bytes[15] = 2;
  const auto [flow, forward] = t.flow_for(Transport::Icmp, a, 0, b, 0, 0, 1);
  for (int k = 0; k < 2; ++k) {
    PacketRecord p;
    p.time = p.arrive = SimTime{k * kMs};
    p.flow = flow;
    p.dir = k == 0 ? forward : opposite(forward);
    std::vector<std::uint8_t> data(24, static_cast<std::uint8_t>('a' + k));
    IcmpRecord r;
    r.message.v6 = true;
    r.message.type = k == 0 ? wire::icmp6::kEchoRequest : wire::icmp6::kEchoReply;
    r.message.rest = 0x0042'0005;
    p.icmp = r;
    p.payload_len = static_cast<std::uint32_t>(data.size());
    p.payload_ref = t.store_payload(data);
    t.add_packet(p);
  }
  testing::TempDir dir;
  const std::string path = dir.file("icmpv6.pcap");
  ASSERT_TRUE(write_pcap(t, path));
  const auto r =
      testing::run_command_line("tshark -n -r '" + path +
                                "' -T fields -E separator=';' -e icmpv6.type -e icmpv6.checksum.status "
                                "-e icmpv6.echo.identifier -e icmpv6.echo.sequence_number -e _ws.malformed "
                                "2>/dev/null");
  EXPECT_EQ(r.output, "128;1;0x0042;5;\n129;1;0x0042;5;\n");
  auto cap = load_capture(path);
  ASSERT_TRUE(cap);
  EXPECT_EQ(cap->info.bad_checksums, 0u);
  EXPECT_EQ(cap->info.malformed_frames, 0u);
  ASSERT_TRUE(cap->trace.icmp(1));
  EXPECT_EQ(cap->trace.icmp(1)->message.checksum_ok, true);
  EXPECT_EQ(cap->trace.icmp(1)->message.seq(), 5);
  EXPECT_EQ(cap->trace.flows().at(cap->trace.flow_of(0)).a, a);
}

}  // namespace capture_arp_icmp_test
}  // namespace wirestep
