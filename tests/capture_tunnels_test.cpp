// Tunnelled traffic: captures built here with PPPoE, GRE, IP in IP, 6in4, VXLAN, MPLS and QinQ around a TCP
// or UDP packet load with the inner flow analysed (addresses, ports, seq, flags, length as tshark decodes the
// same file), malformed tunnel headers make the frame malformed with a byte offset and never crash, and the
// inspector lists every layer in order.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "capture/capture_reader.hpp"
#include "capture/link_layer.hpp"
#include "capture_test_support.hpp"
#include "sim/analysis/packet_fields.hpp"
#include "sim/wire/checksum.hpp"
#include "sim/wire/encapsulation.hpp"

namespace wirestep {
namespace capture_tunnels_test {

using namespace capture_test;
using Frame = std::vector<std::uint8_t>;
namespace tf = wire::tcp_flag;

Frame cat(std::initializer_list<Frame> parts) {
  Frame out;
  for (const Frame& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Frame be16(std::uint16_t v) {
  return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}
Frame be32(std::uint32_t v) {
  return cat({be16(static_cast<std::uint16_t>(v >> 16)), be16(static_cast<std::uint16_t>(v))});
}

// RFC 2003 §3 / RFC 4213 §3.5: an outer IPv4 header (checksum correct) in front of `payload`.
Frame outer_ipv4(const char* src, const char* dst, std::uint8_t protocol, const Frame& payload) {
  wire::Ipv4Header h;
  h.src = v4(src);
  h.dst = v4(dst);
  h.protocol = protocol;
  Frame out;
  wire::encode_ipv4(h, payload.size(), out);
  return cat({out, payload});
}

Frame outer_ipv6(std::uint8_t protocol, const Frame& payload) {
  wire::Ipv6Decoded h;
  h.src.v6 = h.dst.v6 = true;
  h.src.bytes = {0x20, 0x01, 0x0d, 0xb8, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  h.dst.bytes = {0x20, 0x01, 0x0d, 0xb8, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
  h.next_header = protocol;
  h.hop_limit = 64;
  Frame out;
  wire::encode_ipv6(h, payload.size(), out);
  return cat({out, payload});
}

// RFC 2784 §2 / RFC 2890 §2: flags, protocol, then checksum (over header and payload), key and sequence.
Frame gre(std::uint16_t protocol, const Frame& payload, bool checksum = false,
          std::optional<std::uint32_t> key = {}, std::optional<std::uint32_t> seq = {}) {
  const std::uint16_t flags = (checksum ? 0x8000 : 0) | (key ? 0x2000 : 0) | (seq ? 0x1000 : 0);
  Frame h = cat({be16(flags), be16(protocol)});
  const std::size_t checksum_at = h.size();
  if (checksum) h = cat({h, be32(0)});
  if (key) h = cat({h, be32(*key)});
  if (seq) h = cat({h, be32(*seq)});
  Frame out = cat({h, payload});
  if (checksum) {
    wire::ChecksumAccumulator acc;
    acc.add(out);
    const std::uint16_t sum = acc.finish();
    out[checksum_at] = static_cast<std::uint8_t>(sum >> 8);
    out[checksum_at + 1] = static_cast<std::uint8_t>(sum);
  }
  return out;
}

// RFC 7348 §5: UDP to 4789 (checksum 0, allowed over IPv4), VXLAN with the I flag, the inner Ethernet frame.
Frame vxlan(std::uint32_t vni, const Frame& inner_ethernet) {
  const Frame vx = cat({{0x08, 0, 0, 0}, be32(vni << 8)});
  const std::uint16_t len = static_cast<std::uint16_t>(8 + vx.size() + inner_ethernet.size());
  return cat({be16(49152), be16(wire::kVxlanUdpPort), be16(len), be16(0), vx, inner_ethernet});
}

// RFC 2516 §4: an Ethernet frame with a PPPoE session header; `length` 0 means the true one.
Frame pppoe(std::uint16_t session, std::uint16_t ppp_protocol, const Frame& ip, std::uint16_t length = 0) {
  if (length == 0) length = static_cast<std::uint16_t>(ip.size() + 2);
  return ethernet(cat({{0x11, 0x00}, be16(session), be16(length), be16(ppp_protocol), ip}),
                  wire::kEtherTypePppoeSession);
}

// RFC 3032 §2.1: label, TC 0, the bottom-of-stack bit on the last entry, TTL 64.
Frame mpls(std::initializer_list<std::uint32_t> labels, const Frame& ip, bool bottom = true) {
  Frame stack;
  std::size_t i = 0;
  for (std::uint32_t label : labels) {
    const bool s = bottom && ++i == labels.size();
    stack = cat({stack, be32(label << 12 | (s ? 0x100u : 0u) | 64u)});
  }
  return ethernet(cat({stack, ip}), wire::kEtherTypeMplsUnicast);
}

Frame vlan_tag(std::uint16_t tpid_after, std::uint16_t vid) {
  return cat({be16(vid), be16(tpid_after)});
}

Frame inner_tcp(std::uint32_t seq, std::uint8_t flags, std::size_t payload) {
  return ipv4_tcp("10.1.0.1", 40000, "10.2.0.2", 80, seq, 1000, flags, 65535, payload);
}

// Writes `frames` to a fresh Ethernet pcap and loads it.
struct Loaded {
  testing::TempDir dir;
  std::string path;
  LoadedCapture cap;
};
std::unique_ptr<Loaded> load_frames(const std::vector<Frame>& frames, bool general_only = false) {
  auto l = std::make_unique<Loaded>();
  l->path = l->dir.file("tunnels.pcap");
  {
    PcapWriter w(l->path, DLT_EN10MB);
    EXPECT_TRUE(w.ok());
    std::int64_t t = 0;
    for (const Frame& f : frames) w.add(t += 1'000'000, f);
  }
  CaptureOptions o;
  o.general_decoder_only = general_only;
  auto cap = load_capture(l->path, o);
  EXPECT_TRUE(cap) << cap.error().message();
  if (cap) l->cap = std::move(*cap);
  return l;
}

// What we decoded as the innermost packet of frame `i`: source, destination, ports, raw seq, flags, length.
std::vector<std::string> our_row(const LoadedCapture& cap, std::size_t i) {
  const PacketRecord p = cap.trace.packet(i);
  const TraceFlow& f = cap.trace.flows().at(p.flow);
  const bool ab = p.dir == Direction::AtoB;
  char flags[8];
  std::snprintf(flags, sizeof flags, "0x%04x", p.tcp_flags);
  if (f.proto == Transport::Udp)
    return {(ab ? f.a : f.b).to_string(), (ab ? f.b : f.a).to_string(),
            std::to_string(ab ? f.a_port : f.b_port), std::to_string(ab ? f.b_port : f.a_port),
            std::to_string(p.payload_len + 8)};
  return {(ab ? f.a : f.b).to_string(),
          (ab ? f.b : f.a).to_string(),
          std::to_string(ab ? f.a_port : f.b_port),
          std::to_string(ab ? f.b_port : f.a_port),
          std::to_string(p.seq),
          flags,
          std::to_string(p.payload_len)};
}

// tshark's innermost value of each field per frame (-E occurrence=l: the last layer that has it).
std::vector<std::vector<std::string>> tshark_rows(const std::string& path,
                                                  const std::vector<std::string>& fields) {
  std::string cmd = "tshark -n -r '" + path + "' -T fields -E occurrence=l";
  for (const auto& f : fields) cmd += " -e " + f;
  const auto r = testing::run_command_line(cmd + " 2>/dev/null");
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(r.output);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      cells.push_back(line.substr(start, tab - start));
    cells.push_back(line.substr(start));
    rows.push_back(cells);
  }
  return rows;
}

const std::vector<std::string> kTcpV4 = {"ip.src",      "ip.dst",    "tcp.srcport", "tcp.dstport",
                                         "tcp.seq_raw", "tcp.flags", "tcp.len"};
const std::vector<std::string> kUdpV6 = {"ipv6.src", "ipv6.dst", "udp.srcport", "udp.dstport", "udp.length"};

// Frames `frames` (0-based) as tshark reads them equal ours; one tshark run per call.
void expect_tshark_agrees(const Loaded& l, std::initializer_list<std::size_t> frames,
                          const std::vector<std::string>& fields) {
  WIRESTEP_REQUIRE_TSHARK();
  const auto rows = tshark_rows(l.path, fields);
  for (std::size_t i : frames) {
    ASSERT_GT(rows.size(), i);
    EXPECT_EQ(our_row(l.cap, i), rows[i]) << "frame " << i + 1;
  }
}

void expect_inner_tcp(const LoadedCapture& cap, std::size_t i, std::uint32_t seq, std::uint8_t flags,
                      std::uint32_t len) {
  ASSERT_GT(cap.trace.packet_count(), i);
  const PacketRecord p = cap.trace.packet(i);
  EXPECT_EQ(cap.trace.flows().at(p.flow).proto, Transport::Tcp);
  char flag_text[8];
  std::snprintf(flag_text, sizeof flag_text, "0x%04x", flags);
  EXPECT_EQ(our_row(cap, i), (std::vector<std::string>{"10.1.0.1", "10.2.0.2", "40000", "80",
                                                       std::to_string(seq), flag_text, std::to_string(len)}));
  EXPECT_EQ(p.marks & mark::kMalformed, 0);
}

// Outer addresses of a tunnelled frame create no flow: every flow is the inner conversation.
void expect_only_inner_flows(const LoadedCapture& cap) {
  for (const TraceFlow& f : cap.trace.flows()) {
    EXPECT_NE(f.proto, Transport::Other) << f.a.to_string() << " ↔ " << f.b.to_string();
    EXPECT_TRUE(f.a.to_string().rfind("10.", 0) == 0 || f.a.to_string().rfind("2001:db8::", 0) == 0)
        << f.a.to_string();
  }
}

std::string first_error(const LoadedCapture& cap) {
  return cap.info.decode_errors.empty() ? "" : cap.info.decode_errors.front().reason;
}

TEST(CaptureTunnels, PppoeSessionCarriesTheInnerTcpAndIpv6UdpFlows) {
  // RFC 2516 §4: PPP protocol 0x0021 is IPv4, 0x0057 IPv6 (RFC 5072 §3); the flows are the inner ones.
  const auto l = load_frames({pppoe(0x1234, wire::kPppProtocolIpv4, inner_tcp(7000, tf::kAck | tf::kPsh, 20)),
                              pppoe(0x1234, wire::kPppProtocolIpv6, ipv6_udp(1, 2, 5000, 53, 12))});
  EXPECT_EQ(l->cap.info.malformed_frames, 0u) << first_error(l->cap);
  expect_inner_tcp(l->cap, 0, 7000, tf::kAck | tf::kPsh, 20);
  EXPECT_EQ(our_row(l->cap, 1), (std::vector<std::string>{"2001:db8::1", "2001:db8::2", "5000", "53", "20"}));
  expect_only_inner_flows(l->cap);
  expect_tshark_agrees(*l, {0}, kTcpV4);
  expect_tshark_agrees(*l, {1}, kUdpV6);
}

TEST(CaptureTunnels, GreWithChecksumKeyAndSequenceCarriesTheInnerFlow) {
  // RFC 2784 §2.1 and RFC 2890 §2: C, K and S each add four bytes; 0x6558 carries a whole Ethernet frame.
  const auto l = load_frames(
      {ethernet(outer_ipv4("192.0.2.1", "192.0.2.2", wire::kIpProtoGre,
                           gre(wire::kEtherTypeIpv4, inner_tcp(1, tf::kSyn, 0)))),
       ethernet(outer_ipv4("192.0.2.1", "192.0.2.2", wire::kIpProtoGre,
                           gre(wire::kEtherTypeIpv4, inner_tcp(2, tf::kAck, 100), true, 0xBEEF, 7))),
       ethernet(outer_ipv4(
           "192.0.2.1", "192.0.2.2", wire::kIpProtoGre,
           gre(wire::kEtherTypeTransparentBridging, ethernet(inner_tcp(102, tf::kAck, 5)), false, 42)))});
  EXPECT_EQ(l->cap.info.malformed_frames, 0u) << first_error(l->cap);
  expect_inner_tcp(l->cap, 0, 1, tf::kSyn, 0);
  expect_inner_tcp(l->cap, 1, 2, tf::kAck, 100);
  expect_inner_tcp(l->cap, 2, 102, tf::kAck, 5);
  EXPECT_EQ(l->cap.trace.flows().size(), 1u);
  expect_tshark_agrees(*l, {0, 1, 2}, kTcpV4);
}

TEST(CaptureTunnels, IpInIpAndSixInFourReachTheInnerPacket) {
  // RFC 2003 §3 (protocol 4) and RFC 4213 §3.5 (protocol 41): the inner header follows the outer directly.
  const auto l = load_frames(
      {ethernet(outer_ipv4("192.0.2.1", "192.0.2.2", wire::kIpProtoIpInIp, inner_tcp(10, tf::kAck, 30))),
       ethernet(outer_ipv4("192.0.2.1", "192.0.2.2", wire::kIpProtoIpv6InIp, ipv6_udp(1, 2, 6000, 7, 3))),
       ethernet(outer_ipv6(wire::kIpProtoIpInIp, inner_tcp(40, tf::kAck | tf::kFin, 0)),
                wire::kEtherTypeIpv6)});
  EXPECT_EQ(l->cap.info.malformed_frames, 0u) << first_error(l->cap);
  expect_inner_tcp(l->cap, 0, 10, tf::kAck, 30);
  EXPECT_EQ(our_row(l->cap, 1), (std::vector<std::string>{"2001:db8::1", "2001:db8::2", "6000", "7", "11"}));
  expect_inner_tcp(l->cap, 2, 40, tf::kAck | tf::kFin, 0);
  expect_only_inner_flows(l->cap);
  expect_tshark_agrees(*l, {0, 2}, kTcpV4);
  expect_tshark_agrees(*l, {1}, kUdpV6);
}

TEST(CaptureTunnels, VxlanCarriesAnInnerEthernetFrameWithAVlanTag) {
  // RFC 7348 §5: UDP port 4789, an 8-byte VXLAN header, then Ethernet (here with an 802.1Q tag).
  const Frame inner_eth = ethernet(cat({vlan_tag(wire::kEtherTypeIpv4, 100), inner_tcp(500, tf::kAck, 64)}),
                                   wire::kEtherTypeVlan);
  const auto l = load_frames(
      {ethernet(outer_ipv4("192.0.2.1", "192.0.2.2", wire::kIpProtoUdp, vxlan(5001, inner_eth)))});
  EXPECT_EQ(l->cap.info.malformed_frames, 0u) << first_error(l->cap);
  expect_inner_tcp(l->cap, 0, 500, tf::kAck, 64);
  expect_only_inner_flows(l->cap);
  expect_tshark_agrees(*l, {0}, kTcpV4);
}

TEST(CaptureTunnels, MplsLabelStackIsReadToTheBottomOfStackEntry) {
  // RFC 3032 §2.1: entries until S = 1; the IP version nibble says what follows.
  const auto l = load_frames(
      {mpls({16, 17, 18}, inner_tcp(900, tf::kAck, 8)), mpls({100}, ipv6_udp(1, 2, 4000, 4001, 0))});
  EXPECT_EQ(l->cap.info.malformed_frames, 0u) << first_error(l->cap);
  expect_inner_tcp(l->cap, 0, 900, tf::kAck, 8);
  EXPECT_EQ(our_row(l->cap, 1),
            (std::vector<std::string>{"2001:db8::1", "2001:db8::2", "4000", "4001", "8"}));
  expect_tshark_agrees(*l, {0}, kTcpV4);
  expect_tshark_agrees(*l, {1}, kUdpV6);
}

TEST(CaptureTunnels, QinQOuterAndInnerTagsAreSkipped) {
  // IEEE 802.1ad: an S-tag (0x88a8) then a C-tag (0x8100) before the IPv4 packet.
  const auto l = load_frames({ethernet(cat({vlan_tag(wire::kEtherTypeVlan, 10),
                                            vlan_tag(wire::kEtherTypeIpv4, 20), inner_tcp(3, tf::kAck, 1)}),
                                       wire::kEtherTypeQinQ)});
  EXPECT_EQ(l->cap.info.malformed_frames, 0u) << first_error(l->cap);
  expect_inner_tcp(l->cap, 0, 3, tf::kAck, 1);
  expect_tshark_agrees(*l, {0}, kTcpV4);
}

Frame nested_vxlan_in_gre() {
  const Frame inner_eth =
      ethernet(cat({vlan_tag(wire::kEtherTypeIpv4, 300), inner_tcp(77, tf::kAck | tf::kPsh, 4)}),
               wire::kEtherTypeVlan);
  const Frame middle = outer_ipv4("172.16.0.1", "172.16.0.2", wire::kIpProtoUdp, vxlan(9000, inner_eth));
  return ethernet(
      outer_ipv4("192.0.2.1", "192.0.2.2", wire::kIpProtoGre, gre(wire::kEtherTypeIpv4, middle, false, 5)));
}

TEST(CaptureTunnels, VxlanInsideGreWithAVlanInsideVxlanReachesTheInnermostFlow) {
  // Nesting: Ethernet / IPv4 / GRE / IPv4 / UDP / VXLAN / Ethernet / 802.1Q / IPv4 / TCP.
  const auto l = load_frames({nested_vxlan_in_gre()});
  EXPECT_EQ(l->cap.info.malformed_frames, 0u) << first_error(l->cap);
  expect_inner_tcp(l->cap, 0, 77, tf::kAck | tf::kPsh, 4);
  expect_only_inner_flows(l->cap);
  auto where =
      locate_inner_ip_packet(LinkKind::Ethernet, nested_vxlan_in_gre(), nested_vxlan_in_gre().size());
  ASSERT_TRUE(where);
  EXPECT_TRUE(where->tunnelled);
  expect_tshark_agrees(*l, {0}, kTcpV4);
}

TEST(CaptureTunnels, TunnelledCapturesLoadTheSameWithoutTheFastPath) {
  // The fast path leaves tunnels (and UDP to the VXLAN port) to the general decoder: same records both ways.
  const std::vector<Frame> frames = {nested_vxlan_in_gre(),
                                     pppoe(1, wire::kPppProtocolIpv4, inner_tcp(1, tf::kAck, 1)),
                                     ethernet(outer_ipv4("192.0.2.1", "192.0.2.2", wire::kIpProtoUdp,
                                                         vxlan(1, ethernet(inner_tcp(2, tf::kAck, 2))))),
                                     ethernet(inner_tcp(3, tf::kAck, 3))};
  const auto fast = load_frames(frames), general = load_frames(frames, true);
  ASSERT_EQ(fast->cap.trace.packet_count(), general->cap.trace.packet_count());
  for (std::size_t i = 0; i < frames.size(); ++i)
    EXPECT_EQ(our_row(fast->cap, i), our_row(general->cap, i)) << i;
}

TEST(CaptureTunnelsMalformed, BadTunnelHeadersMakeTheFrameMalformedWithTheByteAndReason) {
  // Each frame below is broken inside a tunnel header: malformed, with where and why, and the load goes on.
  Frame deep = inner_tcp(1, tf::kAck, 0);
  for (std::size_t i = 0; i <= wire::kMaxTunnelLevels; ++i)
    deep = outer_ipv4("192.0.2.1", "192.0.2.2", wire::kIpProtoIpInIp, deep);
  const Frame gre_cut =
      ethernet(outer_ipv4("192.0.2.1", "192.0.2.2", wire::kIpProtoGre, {0x30, 0x00, 0x08, 0x00, 1, 2}));
  const auto l = load_frames({
      gre_cut,                                                            // K and S announce 12 bytes, 6 left
      mpls({16, 17}, {}, false),                                          // no bottom-of-stack entry
      pppoe(7, wire::kPppProtocolIpv4, inner_tcp(1, tf::kAck, 0), 1400),  // length beyond the frame
      ethernet(deep),                                                     // nine tunnel levels, one too many
      ethernet(inner_tcp(5, tf::kAck, 0)),                                // a good frame still loads
  });
  ASSERT_EQ(l->cap.trace.packet_count(), 5u);
  ASSERT_EQ(l->cap.info.decode_errors.size(), 4u);
  const auto& e = l->cap.info.decode_errors;
  EXPECT_EQ(e[0].frame, 1u);
  EXPECT_EQ(e[0].reason, "byte 34: GRE header truncated: its flags announce 12 bytes, 6 are left");
  EXPECT_EQ(e[1].reason,
            "byte 22: MPLS label stack runs past the end of the frame without a bottom-of-stack entry (RFC "
            "3032 §2.1)");
  EXPECT_EQ(e[2].reason, "byte 18: PPPoE length 1400 exceeds the " + std::to_string(20 + 20 + 2) +
                             " bytes that follow the PPPoE header");
  EXPECT_EQ(e[3].reason, "byte " + std::to_string(14 + 8 * 20) + ": more than 8 nested tunnel headers");
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NE(l->cap.trace.packet(i).marks & mark::kMalformed, 0) << i;
  EXPECT_EQ(l->cap.trace.packet(4).marks & mark::kMalformed, 0);
  expect_inner_tcp(l->cap, 4, 5, tf::kAck, 0);
}

TEST(CaptureTunnelsMalformed, EveryCutOfANestedFrameIsReadWithinItsBytes) {
  // Hostile input: each prefix of the nested frame walks without reading past its end, in loader and
  // inspector.
  const Frame f = nested_vxlan_in_gre();
  for (std::size_t n = 0; n <= f.size(); ++n) {
    const Frame cut(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(n));
    const wire::Encapsulation e = wire::walk_encapsulation(cut, f.size(), wire::EncapStart::Ethernet);
    for (std::size_t i = 0; i < e.count; ++i) EXPECT_LE(e.layers[i].offset + e.layers[i].length, n);
    if (e.ip_offset) {
      EXPECT_LE(*e.ip_offset, n);
    }
    for (const Field& fd : describe_frame(cut, FrameContext{}))
      EXPECT_LE(fd.offset + fd.length, n) << fd.name;
  }
}

TEST(CaptureTunnelsMalformed, SingleByteMutationsStayInBoundsAndLoadTheSameBothWays) {
  // Hostile input: every byte of tunnelled frames set to 0x00, 0xFF or with a bit flipped; the walk and the
  // inspector stay inside the frame, and the fast path and the general decoder still agree.
  const std::vector<Frame> seeds = {
      nested_vxlan_in_gre(), pppoe(9, wire::kPppProtocolIpv4, inner_tcp(1, tf::kAck, 3)),
      mpls({16, 17}, inner_tcp(2, tf::kAck, 0)),
      ethernet(
          outer_ipv6(wire::kIpProtoGre, gre(wire::kEtherTypeIpv4, inner_tcp(3, tf::kAck, 1), true, 1, 2)),
          wire::kEtherTypeIpv6)};
  std::vector<Frame> mutants;
  for (const Frame& seed : seeds)
    for (std::size_t i = 0; i < seed.size(); ++i)
      for (const std::uint8_t v :
           {std::uint8_t{0x00}, std::uint8_t{0xFF}, static_cast<std::uint8_t>(seed[i] ^ 0x01),
            static_cast<std::uint8_t>(seed[i] ^ 0x80)}) {
        Frame m = seed;
        m[i] = v;
        mutants.push_back(m);
      }
  for (const Frame& m : mutants) {
    const wire::Encapsulation e = wire::walk_encapsulation(m, m.size(), wire::EncapStart::Ethernet);
    for (std::size_t i = 0; i < e.count; ++i) ASSERT_LE(e.layers[i].offset + e.layers[i].length, m.size());
    for (const Field& fd : describe_frame(m, FrameContext{}))
      ASSERT_LE(fd.offset + fd.length, m.size()) << fd.name;
  }
  const auto fast = load_frames(mutants), general = load_frames(mutants, true);
  ASSERT_EQ(fast->cap.trace.packet_count(), mutants.size());
  ASSERT_EQ(general->cap.trace.packet_count(), mutants.size());
  for (std::size_t i = 0; i < mutants.size(); ++i) {
    EXPECT_EQ(our_row(fast->cap, i), our_row(general->cap, i)) << "mutant " << i;
    EXPECT_EQ(fast->cap.trace.packet(i).marks, general->cap.trace.packet(i).marks) << "mutant " << i;
  }
}

TEST(CaptureTunnels, RetransmissionInsidePppoeIsFlaggedByAnalyzeAsByTshark) {
  // A TCP retransmission inside PPPoE: `wirestep analyze` flags the same frame tshark does (tcp.analysis).
  const auto p = [](const char* s, std::uint16_t sp, const char* d, std::uint16_t dp, std::uint32_t seq,
                    std::uint32_t ack, std::uint8_t flags, std::size_t len) {
    return pppoe(0x0042, wire::kPppProtocolIpv4, ipv4_tcp(s, sp, d, dp, seq, ack, flags, 65535, len));
  };
  const char* c = "10.1.0.1";
  const char* s = "10.2.0.2";
  const auto l = load_frames(
      {p(c, 40000, s, 80, 100, 0, tf::kSyn, 0), p(s, 80, c, 40000, 900, 101, tf::kSyn | tf::kAck, 0),
       p(c, 40000, s, 80, 101, 901, tf::kAck, 0), p(c, 40000, s, 80, 101, 901, tf::kAck, 50),
       p(c, 40000, s, 80, 101, 901, tf::kAck, 50)});
  const auto r =
      testing::run_command_line(testing::wirestep_binary() + " analyze --json '" + l->path + "' 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  ASSERT_EQ(j["flows"].size(), 1u);
  EXPECT_EQ(j["flows"][0]["a"], "10.1.0.1:40000");
  EXPECT_EQ(j["flows"][0]["retransmission"], 1);
  std::set<std::uint32_t> ours;
  for (const auto& f : j["flows"][0]["flags"])
    if (f["flag"] == "retransmission") ours.insert(f["frame"].get<std::uint32_t>());
  EXPECT_EQ(ours, (std::set<std::uint32_t>{5}));
  WIRESTEP_REQUIRE_TSHARK();
  const TsharkResult theirs = tshark_flags(l->path);
  ASSERT_EQ(theirs.exit_code, 0);
  EXPECT_EQ(
      theirs.frames.count("retransmission") ? theirs.frames.at("retransmission") : std::set<std::uint32_t>{},
      ours);
}

std::vector<std::string> titles(const std::vector<Field>& fields) {
  std::vector<std::string> out;
  for (const Field& f : fields)
    if (f.header) out.push_back(f.name);
  return out;
}

const Field* field(const std::vector<Field>& fields, const std::string& name) {
  const auto it = std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.name == name; });
  return it == fields.end() ? nullptr : &*it;
}

TEST(PacketFieldsTunnels, EveryLayerOfANestedFrameIsListedInOrder) {
  // The inspector shows each header on the way to the inner TCP segment, outermost first.
  const Frame f = nested_vxlan_in_gre();
  const auto fields = describe_frame(f, FrameContext{});
  EXPECT_EQ(titles(fields),
            (std::vector<std::string>{"Ethernet II", "IPv4 (tunnel)", "GRE", "IPv4 (tunnel)", "UDP (tunnel)",
                                      "VXLAN", "Ethernet II", "802.1Q VLAN", "IPv4", "TCP", "Payload"}));
  const Field* vni = field(fields, "VXLAN network id (VNI)");
  ASSERT_NE(vni, nullptr);
  EXPECT_EQ(vni->value, "9000");
  const Field* key = field(fields, "key");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->value, "5 (0x00000005)");
  const Field* vid = field(fields, "VLAN id");
  ASSERT_NE(vid, nullptr);
  EXPECT_EQ(vid->value, "300");
  for (const Field& fd : fields) EXPECT_LE(fd.offset + fd.length, f.size()) << fd.name;
}

TEST(PacketFieldsTunnels, PppoeAndMplsFieldsAreShownInEnglishAndChinese) {
  // PPPoE session id and PPP protocol (RFC 2516 §4); MPLS label, TC, S, TTL per entry (RFC 3032 §2.1).
  const auto pf =
      describe_frame(pppoe(0x1234, wire::kPppProtocolIpv4, inner_tcp(1, tf::kAck, 0)), FrameContext{});
  ASSERT_NE(field(pf, "session id"), nullptr);
  EXPECT_EQ(field(pf, "session id")->value, "0x1234 (4660)");
  EXPECT_EQ(field(pf, "PPP protocol")->value, "0x0021 (IPv4)");
  const auto mf = describe_frame(mpls({16, 17}, inner_tcp(1, tf::kAck, 0)), FrameContext{});
  std::vector<std::string> entries;
  for (const Field& fd : mf)
    if (fd.name == "label stack entry") entries.push_back(fd.value);
  EXPECT_EQ(entries,
            (std::vector<std::string>{"label 16, TC 0, S 0, TTL 64", "label 17, TC 0, S 1, TTL 64"}));
  FrameContext zh;
  zh.chinese = true;
  const auto pz = describe_frame(pppoe(0x1234, wire::kPppProtocolIpv4, inner_tcp(1, tf::kAck, 0)), zh);
  ASSERT_NE(field(pz, "会话编号"), nullptr);
  EXPECT_EQ(titles(pz)[1], "PPPoE 会话");
  const auto mz = describe_frame(mpls({16}, inner_tcp(1, tf::kAck, 0)), zh);
  ASSERT_NE(field(mz, "标签栈条目"), nullptr);
  EXPECT_EQ(field(mz, "标签栈条目")->value, "标签 16，TC 0，S 1，TTL 64");
}

TEST(PacketFieldsTunnels, AMalformedTunnelHeaderIsShownAfterTheLayersRead) {
  // A truncated GRE header: Ethernet and the outer IPv4 are listed, then the error with its byte offset.
  const Frame f = ethernet(outer_ipv4("192.0.2.1", "192.0.2.2", wire::kIpProtoGre, {0x30, 0x00, 0x08, 0x00}));
  const auto fields = describe_frame(f, FrameContext{});
  EXPECT_EQ(titles(fields), (std::vector<std::string>{"Ethernet II", "IPv4 (tunnel)", "Malformed"}));
  EXPECT_NE(fields.back().value.find("byte 34: GRE header truncated"), std::string::npos)
      << fields.back().value;
}

}  // namespace capture_tunnels_test
}  // namespace wirestep
