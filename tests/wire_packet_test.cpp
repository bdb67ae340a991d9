// Whole packets: Ethernet II framing, IPv4/IPv6 + UDP/TCP encode -> decode round trips, truncated and
// mutated input (never a crash, always an Error with a reason), and real frames from the tcpdump corpus.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/wire/checksum.hpp"
#include "sim/wire/ethernet.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/ipv6.hpp"
#include "sim/wire/packet.hpp"
#include "sim/wire/transport.hpp"
#include "tests/wire_corpus_frames.hpp"

namespace wirestep::wire {
namespace wire_packet_test {

using Buf = std::vector<std::uint8_t>;

Buf bytes_of(const std::string& s) {
  return Buf(s.begin(), s.end());
}

IpAddr v4(std::uint32_t value) {
  return IpAddr::from_v4(Ipv4Addr{value});
}

IpAddr v6_addr(std::uint8_t last) {
  IpAddr a;
  a.v6 = true;
  a.bytes = {0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last};
  return a;
}

EncodeIpv4 sample_ip(bool with_ethernet) {
  EncodeIpv4 e;
  e.ip.id = 0x1234;
  e.ip.ttl = 64;
  e.ip.dont_fragment = true;
  e.ip.src = Ipv4Addr{0x0A000001};
  e.ip.dst = Ipv4Addr{0x0A000002};
  if (with_ethernet) e.eth_hosts = std::make_pair(1u, 2u);
  return e;
}

Buf udp_packet(bool with_ethernet) {
  Buf out;
  encode_ipv4_udp(sample_ip(with_ethernet), 5000, 53, bytes_of("hello wirestep"), out);
  return out;
}

TcpHeader syn_header() {
  TcpHeader h;
  h.src_port = 49152;
  h.dst_port = 443;
  h.seq = 0xFFFFFF00;  // ISN just below 2^32
  h.flags = tcp_flag::kSyn;
  h.window = 64240;
  h.options.mss = 1460;
  h.options.sack_permitted = true;
  h.options.timestamps = TcpTimestamps{3000000000u, 0};
  h.options.window_scale = 7;
  return h;
}

TcpHeader sack_ack_header() {
  TcpHeader h;
  h.src_port = 443;
  h.dst_port = 49152;
  h.seq = 1000;
  h.ack = 0x00000010;
  h.flags = tcp_flag::kAck | tcp_flag::kPsh;
  h.window = 501;
  h.options.timestamps = TcpTimestamps{7, 3000000000u};
  h.options.sack_count = 3;
  h.options.sack = {SackBlock{100, 200}, SackBlock{300, 400}, SackBlock{0xFFFFFFF0u, 0x10}, SackBlock{}};
  return h;
}

Buf tcp_packet(const TcpHeader& h, const Buf& payload, bool with_ethernet) {
  Buf out;
  encode_ipv4_tcp(sample_ip(with_ethernet), h, payload, out);
  return out;
}

Buf ipv6_udp_packet() {
  Ipv6Decoded h;
  h.traffic_class = 0;
  h.flow_label = 0xABCDE;
  h.next_header = kIpProtoUdp;
  h.hop_limit = 255;
  h.src = v6_addr(1);
  h.dst = v6_addr(2);
  const Buf payload = bytes_of("v6 datagram");
  Buf out;
  encode_ipv6(h, kUdpHeaderLen + payload.size(), out);
  encode_udp(PseudoHeader{h.src, h.dst, kIpProtoUdp, 0}, 546, 547, payload, out);
  return out;
}

// IPv6 + a 16-byte Destination Options header + TCP with timestamps and 5 payload bytes.
Buf ipv6_tcp_packet() {
  Ipv6Decoded h;
  h.next_header = 60;
  h.hop_limit = 64;
  h.src = v6_addr(1);
  h.dst = v6_addr(2);
  TcpHeader t;
  t.src_port = 22;
  t.dst_port = 60000;
  t.seq = 1;
  t.ack = 2;
  t.flags = tcp_flag::kAck;
  t.window = 100;
  t.options.timestamps = TcpTimestamps{1, 2};
  const Buf payload = bytes_of("12345");
  Buf segment;
  encode_tcp(PseudoHeader{h.src, h.dst, kIpProtoTcp, 0}, t, payload, segment);
  Buf out;
  encode_ipv6(h, 16 + segment.size(), out);
  const Buf dest_opts{kIpProtoTcp, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  out.insert(out.end(), dest_opts.begin(), dest_opts.end());
  out.insert(out.end(), segment.begin(), segment.end());
  return out;
}

// The first fragment of a 1000-byte UDP datagram: MF set, 80 bytes of it carried (RFC 791 §3.2).
Buf ipv4_first_fragment() {
  const Buf whole_payload(992, 0x42);
  Buf datagram;
  encode_udp(PseudoHeader{v4(0x0A000001), v4(0x0A000002), kIpProtoUdp, 0}, 7000, 7001, whole_payload,
             datagram);
  datagram.resize(80);
  Ipv4Header ip = sample_ip(false).ip;
  ip.protocol = kIpProtoUdp;
  ip.dont_fragment = false;
  ip.more_fragments = true;
  Buf out;
  encode_ipv4(ip, datagram.size(), out);
  out.insert(out.end(), datagram.begin(), datagram.end());
  return out;
}

// Decodes like capture does: optional Ethernet first, then the IP packet after it.
Result<DecodedPacket> decode_frame(Bytes frame, bool with_ethernet) {
  std::size_t ip_offset = 0;
  if (with_ethernet) {
    auto eth = decode_ethernet(frame);
    if (!eth) return eth.error();
    ip_offset = eth->header_len;
  }
  return decode_ip_packet(frame, ip_offset);
}

bool where_is_byte_offset(const std::string& where) {
  if (where.rfind("byte ", 0) != 0 || where.size() == 5) return false;
  for (std::size_t i = 5; i < where.size(); ++i)
    if (where[i] < '0' || where[i] > '9') return false;
  return true;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- Ethernet ----

// IEEE 802.3 §3.2 (Ethernet II): destination MAC, source MAC, EtherType.
TEST(WireEthernet, EncodeDecodeRoundTrips) {
  EthernetHeader h;
  h.dst = sim_mac(2);
  h.src = sim_mac(0x1234);
  h.ether_type = kEtherTypeIpv6;
  Buf out;
  encode_ethernet(h, out);
  const Buf expected{0x02, 0, 0, 0, 0x00, 0x02, 0x02, 0, 0, 0, 0x12, 0x34, 0x86, 0xDD};
  EXPECT_EQ(out, expected);
  const auto d = decode_ethernet(out);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->dst, h.dst);
  EXPECT_EQ(d->src, h.src);
  EXPECT_EQ(d->ether_type, kEtherTypeIpv6);
  EXPECT_EQ(d->vlan_tags, 0);
  EXPECT_EQ(d->header_len, 14u);
}

// Simulated hosts get locally administered unicast MACs (bit 0x02 of the first octet) from their index.
TEST(WireEthernet, SimMacIsLocallyAdministered) {
  EXPECT_EQ(sim_mac(0), (MacAddr{0x02, 0, 0, 0, 0, 0}));
  EXPECT_EQ(sim_mac(0xBEEF), (MacAddr{0x02, 0, 0, 0, 0xBE, 0xEF}));
  EXPECT_EQ(sim_mac(0x1FFFF), (MacAddr{0x02, 0, 0, 0, 0xFF, 0xFF}));  // only the low 16 bits are used
}

// Fewer than 14 bytes cannot hold an Ethernet II header.
TEST(WireEthernet, ShortFrameIsTruncatedError) {
  const Buf frame = udp_packet(true);
  for (std::size_t len = 0; len < 14; ++len) {
    const auto d = decode_ethernet(Bytes(frame).first(len));
    ASSERT_FALSE(d.ok()) << len;
    EXPECT_EQ(d.error().where, "byte 0");
    EXPECT_EQ(d.error().reason, "Ethernet header truncated: " + std::to_string(len) + " of 14 bytes");
  }
}

// IEEE 802.1Q §9.3: a 4-byte tag (TPID 0x8100, TCI) sits before the real EtherType.
TEST(WireEthernet, SkipsOneVlanTag) {
  const Buf frame{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x81, 0x00, 0x20, 0x64, 0x08, 0x00, 0x45};
  const auto d = decode_ethernet(frame);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->ether_type, kEtherTypeIpv4);
  EXPECT_EQ(d->vlan_tags, 1);
  EXPECT_EQ(d->header_len, 18u);
}

// IEEE 802.1ad: an outer 0x88A8 tag and an inner 0x8100 tag are both skipped.
TEST(WireEthernet, SkipsQinQTags) {
  const Buf frame{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x88, 0xA8, 0, 10, 0x81, 0x00, 0, 20, 0x86, 0xDD};
  const auto d = decode_ethernet(frame);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->ether_type, kEtherTypeIpv6);
  EXPECT_EQ(d->vlan_tags, 2);
  EXPECT_EQ(d->header_len, 22u);
}

// The tag walk is bounded at two: a third tag is reported as the payload type, not skipped.
TEST(WireEthernet, ThirdTagIsNotSkipped) {
  const Buf frame{1,    2, 3, 4,    5,    6, 7, 8,    9,    10, 11, 12, 0x88,
                  0xA8, 0, 1, 0x81, 0x00, 0, 2, 0x81, 0x00, 0,  3,  8,  0};
  const auto d = decode_ethernet(frame);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->ether_type, kEtherTypeVlan);
  EXPECT_EQ(d->vlan_tags, 2);
  EXPECT_EQ(d->header_len, 22u);
}

// IEEE 802.1Q §9.3: a tag cut short by the capture is an error at the tag's offset.
TEST(WireEthernet, TruncatedVlanTagIsError) {
  const Buf frame{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x81, 0x00, 0x00, 0x64, 0x08};
  const auto d = decode_ethernet(frame);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().where, "byte 14");
  EXPECT_EQ(d.error().reason, "VLAN tag truncated");
}

// ---- Encode -> decode round trips ----

// RFC 791 §3.1, RFC 768: every field of an encoded IPv4+UDP packet comes back from the decoder.
TEST(WirePacketEncode, Ipv4UdpRoundTripsWithoutEthernet) {
  const Buf p = udp_packet(false);
  ASSERT_EQ(p.size(), 20u + 8 + 14);
  const auto d = decode_ip_packet(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->src, v4(0x0A000001));
  EXPECT_EQ(d->dst, v4(0x0A000002));
  EXPECT_EQ(d->ip_protocol, kIpProtoUdp);
  EXPECT_EQ(d->ip_id, 0x1234);
  EXPECT_EQ(d->ttl, 64);
  EXPECT_TRUE(d->dont_fragment);
  EXPECT_FALSE(d->is_fragment);
  EXPECT_EQ(d->ip_checksum_ok, std::optional<bool>(true));
  EXPECT_EQ(d->transport, Transport::Udp);
  ASSERT_TRUE(d->udp.has_value());
  EXPECT_FALSE(d->tcp.has_value());
  EXPECT_EQ(d->udp->src_port, 5000);
  EXPECT_EQ(d->udp->dst_port, 53);
  EXPECT_EQ(d->udp->length, 22);
  EXPECT_EQ(d->transport_checksum_ok, std::optional<bool>(true));
  EXPECT_EQ(d->ip_offset, 0u);
  EXPECT_EQ(d->payload_offset, 28u);
  EXPECT_EQ(d->payload_len, 14u);
  EXPECT_FALSE(d->truncated);
  EXPECT_EQ(Buf(p.begin() + 28, p.end()), bytes_of("hello wirestep"));
}

// RFC 791 §3.1, RFC 768: with an Ethernet header in front, offsets are relative to the frame.
TEST(WirePacketEncode, Ipv4UdpRoundTripsWithEthernet) {
  const Buf frame = udp_packet(true);
  ASSERT_EQ(frame.size(), 14u + 20 + 8 + 14);
  const auto eth = decode_ethernet(frame);
  ASSERT_TRUE(eth.ok()) << eth.error().message();
  EXPECT_EQ(eth->src, sim_mac(1));
  EXPECT_EQ(eth->dst, sim_mac(2));
  EXPECT_EQ(eth->ether_type, kEtherTypeIpv4);
  const auto d = decode_ip_packet(frame, eth->header_len);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->ip_offset, 14u);
  EXPECT_EQ(d->payload_offset, 42u);
  EXPECT_EQ(d->payload_len, 14u);
  EXPECT_EQ(d->udp->src_port, 5000);
  EXPECT_EQ(d->ip_checksum_ok, std::optional<bool>(true));
  EXPECT_EQ(d->transport_checksum_ok, std::optional<bool>(true));
  // The IP packet after the Ethernet header is byte-identical to the one encoded without it.
  EXPECT_EQ(Buf(frame.begin() + 14, frame.end()), udp_packet(false));
}

// RFC 9293 §3.1/§3.2, RFC 7323, RFC 2018: a SYN with MSS, SACK-permitted, timestamps and window scale.
TEST(WirePacketEncode, Ipv4TcpSynWithOptionsRoundTrips) {
  for (bool with_ethernet : {false, true}) {
    SCOPED_TRACE(with_ethernet ? "with Ethernet" : "without Ethernet");
    const TcpHeader h = syn_header();
    const Buf frame = tcp_packet(h, {}, with_ethernet);
    const std::size_t base = with_ethernet ? 14 : 0;
    ASSERT_EQ(frame.size(), base + 20 + 40);
    const auto d = decode_frame(frame, with_ethernet);
    ASSERT_TRUE(d.ok()) << d.error().message();
    EXPECT_EQ(d->ip_protocol, kIpProtoTcp);
    EXPECT_EQ(d->transport, Transport::Tcp);
    ASSERT_TRUE(d->tcp.has_value());
    EXPECT_FALSE(d->udp.has_value());
    EXPECT_EQ(d->tcp->src_port, 49152);
    EXPECT_EQ(d->tcp->dst_port, 443);
    EXPECT_EQ(d->tcp->seq, 0xFFFFFF00u);
    EXPECT_EQ(d->tcp->ack, 0u);
    EXPECT_EQ(d->tcp->flags, tcp_flag::kSyn);
    EXPECT_EQ(d->tcp->window, 64240);
    EXPECT_EQ(d->tcp->header_len, 40);
    EXPECT_EQ(d->tcp->options, h.options);
    EXPECT_FALSE(d->tcp->options_malformed);
    EXPECT_EQ(d->ip_checksum_ok, std::optional<bool>(true));
    EXPECT_EQ(d->transport_checksum_ok, std::optional<bool>(true));
    EXPECT_EQ(d->payload_offset, base + 60);
    EXPECT_EQ(d->payload_len, 0u);
    EXPECT_FALSE(d->truncated);
  }
}

// RFC 7323 §3, RFC 2018 §3: timestamps plus three SACK blocks (one wrapping 2^32) and a payload.
TEST(WirePacketEncode, Ipv4TcpSackAndPayloadRoundTrips) {
  for (bool with_ethernet : {false, true}) {
    SCOPED_TRACE(with_ethernet ? "with Ethernet" : "without Ethernet");
    const TcpHeader h = sack_ack_header();
    const Buf payload = bytes_of("GET / HTTP/1.1\r\nHost: wirestep\r\n\r\n");
    const Buf frame = tcp_packet(h, payload, with_ethernet);
    const std::size_t base = with_ethernet ? 14 : 0;
    const auto d = decode_frame(frame, with_ethernet);
    ASSERT_TRUE(d.ok()) << d.error().message();
    EXPECT_EQ(d->tcp->header_len, 60);  // 20 + 40 (NOP NOP TS 12, NOP NOP SACK 28)
    EXPECT_EQ(d->tcp->options, h.options);
    EXPECT_EQ(d->tcp->options.sack_count, 3);
    EXPECT_EQ(d->tcp->options.sack[2], (SackBlock{0xFFFFFFF0u, 0x10}));
    EXPECT_EQ(d->tcp->flags, tcp_flag::kAck | tcp_flag::kPsh);
    EXPECT_EQ(d->transport_checksum_ok, std::optional<bool>(true));
    EXPECT_EQ(d->payload_offset, base + 20 + 60);
    EXPECT_EQ(d->payload_len, payload.size());
    EXPECT_EQ(Buf(frame.begin() + static_cast<std::ptrdiff_t>(d->payload_offset), frame.end()), payload);
  }
}

// RFC 8200 §3/§8.1, RFC 768: IPv6 + UDP with the 128-bit pseudo-header.
TEST(WirePacketEncode, Ipv6UdpRoundTrips) {
  const Buf p = ipv6_udp_packet();
  const auto d = decode_ip_packet(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->src, v6_addr(1));
  EXPECT_EQ(d->dst, v6_addr(2));
  EXPECT_EQ(d->ttl, 255);
  EXPECT_EQ(d->ip_protocol, kIpProtoUdp);
  EXPECT_FALSE(d->ip_checksum_ok.has_value());  // IPv6 has no header checksum
  EXPECT_EQ(d->udp->src_port, 546);
  EXPECT_EQ(d->udp->dst_port, 547);
  EXPECT_EQ(d->transport_checksum_ok, std::optional<bool>(true));
  EXPECT_EQ(d->payload_offset, 48u);
  EXPECT_EQ(d->payload_len, 11u);
}

// RFC 8200 §4.6, §8.1: TCP after a Destination Options header; the checksum skips extension headers.
TEST(WirePacketEncode, Ipv6TcpAfterExtensionHeaderRoundTrips) {
  const Buf p = ipv6_tcp_packet();
  const auto d = decode_ip_packet(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->ip_protocol, kIpProtoTcp);
  EXPECT_EQ(d->tcp->src_port, 22);
  EXPECT_EQ(d->tcp->options.timestamps, (TcpTimestamps{1, 2}));
  EXPECT_EQ(d->transport_checksum_ok, std::optional<bool>(true));
  EXPECT_EQ(d->payload_offset, 40u + 16 + 32);
  EXPECT_EQ(d->payload_len, 5u);
}

// ---- Decode: checksums, lengths, fragments ----

// RFC 768: a UDP checksum of zero means "not computed", so its correctness is unknown.
TEST(WirePacketDecode, UdpZeroChecksumIsUnknown) {
  Buf p = udp_packet(false);
  p[26] = p[27] = 0;
  const auto d = decode_ip_packet(p);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->transport_checksum_ok.has_value());
  EXPECT_EQ(d->udp->checksum, 0);
}

// RFC 9293 §3.1: a changed payload byte fails the transport checksum but leaves the IP header valid.
TEST(WirePacketDecode, ChangedPayloadByteFailsTransportChecksumOnly) {
  const Buf good = tcp_packet(sack_ack_header(), bytes_of("payload bytes"), false);
  const std::size_t payload_start = 20 + 56;
  test::XorShift64 rng(9293);
  for (std::size_t i = payload_start; i < good.size(); ++i) {
    Buf p = good;
    p[i] = static_cast<std::uint8_t>(p[i] ^ (1 + rng.below(255)));
    const auto d = decode_ip_packet(p);
    ASSERT_TRUE(d.ok()) << d.error().message();
    EXPECT_EQ(d->ip_checksum_ok, std::optional<bool>(true)) << i;
    EXPECT_EQ(d->transport_checksum_ok, std::optional<bool>(false)) << i;
  }
}

// RFC 791 §3.1, RFC 9293 §3.1: an address change fails both checksums, a TTL change only the IP one.
TEST(WirePacketDecode, HeaderChangesFailTheRightChecksums) {
  Buf p = udp_packet(false);
  p[15] ^= 0x01;  // source address low byte
  auto d = decode_ip_packet(p);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->ip_checksum_ok, std::optional<bool>(false));
  EXPECT_EQ(d->transport_checksum_ok, std::optional<bool>(false));
  Buf q = udp_packet(false);
  q[8] = 1;  // TTL
  d = decode_ip_packet(q);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->ip_checksum_ok, std::optional<bool>(false));
  EXPECT_EQ(d->transport_checksum_ok, std::optional<bool>(true));
  EXPECT_EQ(d->ttl, 1);
}

// RFC 791 §3.1: Ethernet pads short frames to 60 bytes; the padding is neither payload nor checksummed.
TEST(WirePacketDecode, EthernetPaddingIsIgnored) {
  Buf frame;
  encode_ipv4_udp(sample_ip(true), 1, 2, Buf{0xAB, 0xCD}, frame);
  ASSERT_EQ(frame.size(), 44u);
  frame.resize(60, 0x00);
  const auto d = decode_frame(frame, true);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->payload_offset, 42u);
  EXPECT_EQ(d->payload_len, 2u);
  EXPECT_FALSE(d->truncated);
  EXPECT_EQ(d->transport_checksum_ok, std::optional<bool>(true));
}

// RFC 791 §3.1: a capture cut inside the payload is marked truncated with the checksum left unknown.
TEST(WirePacketDecode, CaptureCutInPayloadIsTruncatedNotError) {
  const Buf full = tcp_packet(sack_ack_header(), Buf(100, 0x61), true);
  const auto d = decode_frame(Bytes(full).first(full.size() - 30), true);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_TRUE(d->truncated);
  EXPECT_EQ(d->payload_len, 100u);
  EXPECT_EQ(d->ip_checksum_ok, std::optional<bool>(true));
  EXPECT_FALSE(d->transport_checksum_ok.has_value());
  EXPECT_EQ(d->tcp->options, sack_ack_header().options);
}

// RFC 768: a UDP length larger than the IP payload is inconsistent; the error points at the field.
TEST(WirePacketDecode, UdpLengthPastIpPayloadIsError) {
  Buf frame = udp_packet(true);
  frame[38] = 0x00;
  frame[39] = 0x64;
  const auto d = decode_frame(frame, true);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().where, "byte 38");
  EXPECT_EQ(d.error().reason, "UDP length 100 exceeds the IP payload of 22 bytes");
}

// RFC 768: errors from inner decoders carry offsets relative to the whole frame.
TEST(WirePacketDecode, InnerErrorOffsetsAreRelativeToFrame) {
  Buf frame = udp_packet(true);
  frame[38] = 0x00;
  frame[39] = 0x04;
  auto d = decode_frame(frame, true);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().where, "byte 38");
  EXPECT_EQ(d.error().reason, "UDP length 4 is below 8");
  // RFC 9293 §3.1: a bad data offset is reported at the frame offset of byte 12 of the TCP header.
  Buf tcp = tcp_packet(syn_header(), {}, true);
  tcp[14 + 20 + 12] = 0x40;
  d = decode_frame(tcp, true);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().where, "byte 46");
  EXPECT_EQ(d.error().reason, "TCP data offset 16 bytes is below the minimum of 20");
  // RFC 791 §3.1: a bad IHL is reported at the IP header's own offset.
  Buf ip = udp_packet(true);
  ip[14] = 0x43;
  d = decode_frame(ip, true);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().where, "byte 14");
  EXPECT_EQ(d.error().reason, "IPv4 header length 12 is below the minimum of 20");
}

// RFC 791 §3.1 / RFC 8200 §3: the version nibble selects the decoder; other versions are rejected.
TEST(WirePacketDecode, UnknownVersionOrMissingHeaderIsError) {
  Buf p = udp_packet(false);
  p[0] = 0x55;
  auto d = decode_ip_packet(p);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().where, "byte 0");
  EXPECT_EQ(d.error().reason, "IP version 5 is neither 4 nor 6");
  d = decode_ip_packet(p, p.size());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().where, "byte " + std::to_string(p.size()));
  EXPECT_EQ(d.error().reason, "IP header truncated: 0 bytes");
  d = decode_ip_packet(p, p.size() + 1);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().reason, "no IP header");
}

// Protocols other than TCP, UDP and ICMP (here SCTP, 132) decode the IP layer only.
TEST(WirePacketDecode, OtherProtocolDecodesIpOnly) {
  Ipv4Header ip = sample_ip(false).ip;
  ip.protocol = 132;
  Buf p;
  encode_ipv4(ip, 8, p);
  const Buf echo{8, 0, 0xF7, 0xFF, 0, 0, 0, 0};
  p.insert(p.end(), echo.begin(), echo.end());
  const auto d = decode_ip_packet(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->transport, Transport::Other);
  EXPECT_EQ(d->ip_protocol, 132);
  EXPECT_FALSE(d->udp.has_value());
  EXPECT_FALSE(d->tcp.has_value());
  EXPECT_FALSE(d->transport_checksum_ok.has_value());
  EXPECT_EQ(d->ip_checksum_ok, std::optional<bool>(true));
}

// RFC 791 §3.2: the first fragment carries the UDP header but only part of the datagram its length covers.
TEST(WirePacketDecode, Ipv4FirstFragmentDecodesTransportHeader) {
  const Buf p = ipv4_first_fragment();
  const auto d = decode_ip_packet(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_TRUE(d->is_fragment);
  EXPECT_EQ(d->transport, Transport::Udp);
  EXPECT_EQ(d->udp->src_port, 7000);
  EXPECT_EQ(d->udp->length, 1000);
  EXPECT_EQ(d->payload_len, 992u);  // as the UDP header claims it
  EXPECT_FALSE(d->transport_checksum_ok.has_value());
  EXPECT_FALSE(d->truncated);
}

// RFC 791 §3.2: a later fragment holds no transport header; its bytes are reported as IP payload.
TEST(WirePacketDecode, Ipv4LaterFragmentSkipsTransport) {
  Ipv4Header ip = sample_ip(false).ip;
  ip.protocol = kIpProtoUdp;
  ip.fragment_offset = 10;  // 80 bytes in
  Buf p;
  encode_ipv4(ip, 12, p);
  p.resize(p.size() + 12, 0x00);  // would be "UDP length 0" if parsed as a header
  const auto d = decode_ip_packet(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_TRUE(d->is_fragment);
  EXPECT_EQ(d->transport, Transport::Other);
  EXPECT_FALSE(d->udp.has_value());
  EXPECT_EQ(d->payload_offset, 20u);
  EXPECT_EQ(d->payload_len, 12u);
}

// RFC 8200 §4.5: a non-first IPv6 fragment holds no transport header either.
TEST(WirePacketDecode, Ipv6LaterFragmentSkipsTransport) {
  Ipv6Decoded h;
  h.next_header = 44;
  h.hop_limit = 64;
  h.src = v6_addr(1);
  h.dst = v6_addr(2);
  Buf p;
  encode_ipv6(h, 8 + 16, p);
  const Buf frag{kIpProtoUdp, 0, 0x00, 0x08, 0, 0, 0, 9};  // offset 1 (8 bytes), last fragment
  p.insert(p.end(), frag.begin(), frag.end());
  p.resize(p.size() + 16, 0x00);  // would be "UDP length 0" if parsed as a header
  const auto d = decode_ip_packet(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_TRUE(d->is_fragment);
  EXPECT_EQ(d->ip_protocol, kIpProtoUdp);
  EXPECT_EQ(d->transport, Transport::Other);
  EXPECT_FALSE(d->udp.has_value());
  EXPECT_EQ(d->payload_offset, 48u);
  EXPECT_EQ(d->payload_len, 16u);
}

// RFC 8200 §8.1: with a Routing header, the UDP checksum is computed against the final destination.
TEST(WirePacketDecode, Ipv6RoutingHeaderChecksumUsesFinalDestination) {
  Ipv6Decoded h;
  h.next_header = 43;
  h.hop_limit = 64;
  h.src = v6_addr(1);
  h.dst = v6_addr(0x10);  // the next hop
  const IpAddr final_dst = v6_addr(0x20);
  const Buf payload = bytes_of("routed");
  Buf datagram;
  encode_udp(PseudoHeader{h.src, final_dst, kIpProtoUdp, 0}, 1000, 2000, payload, datagram);
  Buf p;
  encode_ipv6(h, 24 + datagram.size(), p);
  const Buf routing{kIpProtoUdp, 2, 0, 1, 0, 0, 0, 0};  // type 0, one address, one segment left
  p.insert(p.end(), routing.begin(), routing.end());
  p.insert(p.end(), final_dst.bytes.begin(), final_dst.bytes.end());
  p.insert(p.end(), datagram.begin(), datagram.end());
  const auto d = decode_ip_packet(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->dst, v6_addr(0x10));
  EXPECT_EQ(d->udp->dst_port, 2000);
  EXPECT_EQ(d->transport_checksum_ok, std::optional<bool>(true));
}

// ---- Robustness: truncation and mutation ----

struct Sample {
  std::string name;
  Buf bytes;
  bool with_ethernet;
  std::size_t headers_end;  // where the application payload starts
};

std::vector<Sample> samples() {
  return {
      {"IPv4+UDP", udp_packet(false), false, 28},
      {"Ethernet+IPv4+UDP", udp_packet(true), true, 42},
      {"IPv4+TCP SYN", tcp_packet(syn_header(), {}, false), false, 60},
      {"Ethernet+IPv4+TCP SACK", tcp_packet(sack_ack_header(), bytes_of("some payload"), true), true, 94},
      {"IPv6+UDP", ipv6_udp_packet(), false, 48},
      {"IPv6+DestOpts+TCP", ipv6_tcp_packet(), false, 88},
      {"IPv4 first fragment", ipv4_first_fragment(), false, 28},
  };
}

// RFC 791 §3.1, RFC 8200 §3, RFC 768, RFC 9293 §3.1: header cuts are Errors, payload cuts set truncated.
TEST(WirePacketDecode, EveryTruncationOfValidPacketsIsHandled) {
  for (const Sample& s : samples()) {
    const auto whole = decode_frame(s.bytes, s.with_ethernet);
    ASSERT_TRUE(whole.ok()) << s.name << ": " << whole.error().message();
    ASSERT_EQ(whole->payload_offset, s.headers_end) << s.name;
    for (std::size_t len = 0; len < s.bytes.size(); ++len) {
      SCOPED_TRACE(s.name + " cut to " + std::to_string(len) + " bytes");
      const auto d = decode_frame(Bytes(s.bytes).first(len), s.with_ethernet);
      if (len < s.headers_end) {
        ASSERT_FALSE(d.ok());
        // An IPv6 extension header cut short is reported as running past the captured bytes.
        EXPECT_TRUE(contains(d.error().reason, "truncated") ||
                    contains(d.error().reason, "past the captured bytes"))
            << d.error().reason;
        EXPECT_TRUE(where_is_byte_offset(d.error().where)) << d.error().where;
      } else {
        ASSERT_TRUE(d.ok()) << d.error().message();
        EXPECT_TRUE(d->truncated);
        EXPECT_FALSE(d->transport_checksum_ok.has_value());
        EXPECT_EQ(d->payload_offset, s.headers_end);
        EXPECT_EQ(d->payload_len, whole->payload_len);
        EXPECT_EQ(d->transport, whole->transport);
      }
    }
  }
}

// Checks what must hold for any decoded packet, however strange its input.
void expect_consistent(const DecodedPacket& d, std::size_t size, std::size_t ip_offset) {
  EXPECT_EQ(d.ip_offset, ip_offset);
  EXPECT_EQ(d.transport == Transport::Udp, d.udp.has_value());
  EXPECT_EQ(d.transport == Transport::Tcp, d.tcp.has_value());
  if (d.transport_checksum_ok.has_value()) {
    EXPECT_FALSE(d.truncated);
    EXPECT_FALSE(d.is_fragment);
  }
  if (d.tcp) {
    EXPECT_GE(d.tcp->header_len, 20);
    EXPECT_EQ(d.tcp->header_len % 4, 0);
    EXPECT_LE(d.tcp->options.sack_count, 4);
  }
  if (d.transport != Transport::Other) {
    EXPECT_LE(d.payload_offset, size);
    if (!d.truncated && !d.is_fragment) {
      EXPECT_LE(d.payload_offset + d.payload_len, size);
    }
  }
}

// Seeded byte changes, cuts and junk give a consistent packet or an Error with reason and offset.
TEST(WirePacketDecode, RandomMutationsNeverCrash) {
  const std::vector<Sample> base = samples();
  int errors = 0, decoded = 0, bad_checksums = 0;  // a failure names the sample, seed and iteration
  for (std::uint64_t seed = 1; seed <= 256; ++seed) {
    test::XorShift64 rng(seed);
    for (int iter = 0; iter < 200; ++iter) {
      const Sample& s = base[rng.below(base.size())];
      Buf p = s.bytes;
      const std::uint64_t changes = 1 + rng.below(4);
      for (std::uint64_t c = 0; c < changes; ++c) p[rng.below(p.size())] = rng.byte();
      const std::uint64_t shape = rng.below(8);
      if (shape == 0) p.resize(rng.below(p.size() + 1));
      if (shape == 1)
        for (std::uint64_t j = rng.below(32); j > 0; --j) p.push_back(rng.byte());
      SCOPED_TRACE(s.name + " seed " + std::to_string(seed) + " iteration " + std::to_string(iter));
      const auto d = decode_frame(p, s.with_ethernet);
      if (!d.ok()) {
        ++errors;
        EXPECT_FALSE(d.error().reason.empty());
        EXPECT_TRUE(where_is_byte_offset(d.error().where)) << d.error().where;
        continue;
      }
      ++decoded;
      if (d->transport_checksum_ok == false || d->ip_checksum_ok == false) ++bad_checksums;
      const std::size_t ip_offset = s.with_ethernet ? decode_ethernet(p)->header_len : 0;  // 14, 18 or 22
      expect_consistent(*d, p.size(), ip_offset);
    }
  }
  // The mutations reach all three outcomes, so the loop above is not vacuous.
  EXPECT_GT(errors, 1000);
  EXPECT_GT(decoded, 1000);
  EXPECT_GT(bad_checksums, 1000);
}

// STYLE §8 (bad input): fully random buffers of every small length decode or fail cleanly.
TEST(WirePacketDecode, RandomBuffersNeverCrash) {
  for (std::uint64_t seed = 1; seed <= 64; ++seed) {
    test::XorShift64 rng(seed * 7919);
    for (std::size_t len = 0; len <= 120; ++len) {
      Buf p(len);
      for (auto& b : p) b = rng.byte();
      if (len > 0) p[0] = static_cast<std::uint8_t>((rng.below(2) ? 0x40 : 0x60) | (p[0] & 0x0F));
      SCOPED_TRACE("seed " + std::to_string(seed) + " length " + std::to_string(len));
      const auto d = decode_ip_packet(p);
      if (d.ok()) {
        expect_consistent(*d, p.size(), 0);
      } else {
        EXPECT_FALSE(d.error().reason.empty());
        EXPECT_TRUE(where_is_byte_offset(d.error().where)) << d.error().where;
      }
    }
  }
}

// ---- Real frames from the corpus ----

struct CorpusPacket {
  std::size_t number = 0;
  Buf frame;
  EthernetHeader eth;
  DecodedPacket pkt;
};

// Reads an Ethernet pcap from the corpus and decodes every IPv4/IPv6 frame; a missing file is a failure.
void load_corpus(const std::string& name, std::size_t expected_frames, std::vector<CorpusPacket>& out) {
  const auto file = test::read_classic_pcap(test::corpus_path(name));
  ASSERT_TRUE(file.ok()) << file.error().message();
  ASSERT_EQ(file->link_type, test::kLinkTypeEthernet) << name;
  ASSERT_EQ(file->frames.size(), expected_frames) << name;
  for (const test::PcapFrame& f : file->frames) {
    SCOPED_TRACE(name + " frame " + std::to_string(f.number));
    ASSERT_TRUE(f.fully_captured());
    const auto eth = decode_ethernet(f.bytes);
    ASSERT_TRUE(eth.ok()) << eth.error().message();
    if (eth->ether_type != kEtherTypeIpv4 && eth->ether_type != kEtherTypeIpv6) continue;
    const auto pkt = decode_ip_packet(f.bytes, eth->header_len);
    ASSERT_TRUE(pkt.ok()) << pkt.error().message();
    out.push_back(CorpusPacket{f.number, f.bytes, *eth, *pkt});
  }
}

PseudoHeader pseudo_of(const DecodedPacket& d) {
  return PseudoHeader{d.src, d.dst, d.ip_protocol, 0};
}

// The pcap reader checks its lengths: a record that claims more bytes than the file holds is an error.
TEST(WireCorpus, PcapReaderRejectsTruncatedRecords) {
  std::vector<std::uint8_t> image(24 + 16, 0);
  const std::uint8_t header[] = {0xD4, 0xC3, 0xB2, 0xA1, 2,    0,    4, 0, 0, 0, 0, 0,
                                 0,    0,    0,    0,    0xFF, 0xFF, 0, 0, 1, 0, 0, 0};
  std::copy(std::begin(header), std::end(header), image.begin());
  image[24 + 8] = 60;  // caplen 60, no data follows
  const auto bad = test::parse_classic_pcap(image, "cut.pcap");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "cut.pcap: frame 1 (offset 24): record data truncated: 0 of 60 bytes");
  const auto missing = test::read_classic_pcap(test::corpus_path("no-such-file.pcap"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().reason, "cannot open file");
}

// RFC 791 §3.1, RFC 9293 §3.1: all 54 frames of a real SSH session have valid IP and TCP checksums.
TEST(WireCorpus, SshTcpFramesHaveValidChecksums) {
  std::vector<CorpusPacket> packets;
  ASSERT_NO_FATAL_FAILURE(load_corpus("ssh.pcap", 54, packets));
  ASSERT_EQ(packets.size(), 54u);
  for (const CorpusPacket& c : packets) {
    SCOPED_TRACE("ssh.pcap frame " + std::to_string(c.number));
    EXPECT_EQ(c.eth.ether_type, kEtherTypeIpv4);
    EXPECT_EQ(c.pkt.transport, Transport::Tcp);
    EXPECT_EQ(c.pkt.ip_checksum_ok, std::optional<bool>(true));
    EXPECT_EQ(c.pkt.transport_checksum_ok, std::optional<bool>(true));
    EXPECT_FALSE(c.pkt.truncated);
    EXPECT_FALSE(c.pkt.tcp->options_malformed);
    EXPECT_EQ(c.pkt.payload_offset + c.pkt.payload_len, 14u + load_be16(&c.frame[16]));  // up to Total Length
  }
}

// RFC 9293 §3.1, RFC 791 §3.1: with the checksum field zeroed, each sum equals the value on the wire.
TEST(WireCorpus, SshZeroedChecksumFieldsRecomputeWireValues) {
  std::vector<CorpusPacket> packets;
  ASSERT_NO_FATAL_FAILURE(load_corpus("ssh.pcap", 54, packets));
  for (const CorpusPacket& c : packets) {
    SCOPED_TRACE("ssh.pcap frame " + std::to_string(c.number));
    Buf ip(c.frame.begin() + 14, c.frame.begin() + 14 + load_be16(&c.frame[16]));  // without link padding
    const std::uint16_t ip_wire = load_be16(&ip[10]);
    ip[10] = ip[11] = 0;
    EXPECT_EQ(internet_checksum(Bytes(ip).first(20)), ip_wire);
    Buf seg(ip.begin() + 20, ip.end());
    seg[16] = seg[17] = 0;
    PseudoHeader ph = pseudo_of(c.pkt);
    ph.length = static_cast<std::uint32_t>(seg.size());
    EXPECT_EQ(transport_checksum(ph, seg), c.pkt.tcp->checksum);
  }
}

// RFC 9293 §3.1/§3.2, RFC 7323, RFC 2018: decoded header fields and options match what tcpdump prints.
TEST(WireCorpus, SshHandshakeFieldsMatchTcpdump) {
  std::vector<CorpusPacket> packets;
  ASSERT_NO_FATAL_FAILURE(load_corpus("ssh.pcap", 54, packets));
  // Frame 1: [S], cksum 0xec12, seq 4082233688, win 65535,
  // options [mss 1460,nop,wscale 6,nop,nop,TS val 1948436430 ecr 0,sackOK,eol].
  const DecodedPacket& syn = packets[0].pkt;
  EXPECT_EQ(syn.src.to_string(), "202.108.87.165");
  EXPECT_EQ(syn.dst.to_string(), "223.132.53.222");
  EXPECT_EQ(syn.ttl, 64);
  EXPECT_EQ(syn.tcp->src_port, 62146);
  EXPECT_EQ(syn.tcp->dst_port, 22);
  EXPECT_EQ(syn.tcp->flags, tcp_flag::kSyn);
  EXPECT_EQ(syn.tcp->checksum, 0xEC12);
  EXPECT_EQ(syn.tcp->seq, 4082233688u);
  EXPECT_EQ(syn.tcp->window, 65535);
  EXPECT_EQ(syn.tcp->header_len, 44);
  EXPECT_EQ(syn.tcp->options.mss, std::optional<std::uint16_t>(1460));
  EXPECT_EQ(syn.tcp->options.window_scale, std::optional<std::uint8_t>(6));
  EXPECT_EQ(syn.tcp->options.timestamps, (TcpTimestamps{1948436430u, 0}));
  EXPECT_TRUE(syn.tcp->options.sack_permitted);
  // Frame 2: [S.], cksum 0x8d3d, seq 2455219014, ack 4082233689, win 28960,
  // options [mss 1460,sackOK,nop x11,wscale 7].
  const DecodedPacket& syn_ack = packets[1].pkt;
  EXPECT_EQ(syn_ack.tcp->flags, tcp_flag::kSyn | tcp_flag::kAck);
  EXPECT_EQ(syn_ack.tcp->checksum, 0x8D3D);
  EXPECT_EQ(syn_ack.tcp->seq, 2455219014u);
  EXPECT_EQ(syn_ack.tcp->ack, 4082233689u);
  EXPECT_EQ(syn_ack.tcp->window, 28960);
  EXPECT_EQ(syn_ack.ttl, 54);
  EXPECT_EQ(syn_ack.tcp->options.mss, std::optional<std::uint16_t>(1460));
  EXPECT_TRUE(syn_ack.tcp->options.sack_permitted);
  EXPECT_EQ(syn_ack.tcp->options.window_scale, std::optional<std::uint8_t>(7));
  EXPECT_FALSE(syn_ack.tcp->options.timestamps.has_value());
  // Frame 4: [P.], cksum 0x8b76, length 21: the client's SSH identification string.
  const CorpusPacket& hello = packets[3];
  EXPECT_EQ(hello.pkt.tcp->checksum, 0x8B76);
  ASSERT_EQ(hello.pkt.payload_len, 21u);
  EXPECT_EQ(std::string(hello.frame.begin() + static_cast<std::ptrdiff_t>(hello.pkt.payload_offset),
                        hello.frame.end()),
            "SSH-2.0-OpenSSH_7.8\r\n");
  // Frame 5: twelve NOPs (timestamps overwritten by a middlebox) carry no options at all.
  EXPECT_EQ(packets[4].pkt.tcp->header_len, 32);
  EXPECT_TRUE(packets[4].pkt.tcp->options.empty());
  // Frame 48: [.], cksum 0xe1f3, ack 4082238874, win 340, options [nop x14,sack 1 {4082238970:4082238971}].
  const DecodedPacket& sack = packets[47].pkt;
  EXPECT_EQ(sack.tcp->checksum, 0xE1F3);
  EXPECT_EQ(sack.tcp->ack, 4082238874u);
  EXPECT_EQ(sack.tcp->window, 340);
  ASSERT_EQ(sack.tcp->options.sack_count, 1);
  EXPECT_EQ(sack.tcp->options.sack[0], (SackBlock{4082238970u, 4082238971u}));
}

// RFC 791 §3.1, RFC 9293 §3.1/§3.2: real segments re-encode to the wire bytes, or to the same options.
TEST(WireCorpus, SshSegmentsReencodeToWireBytes) {
  std::vector<CorpusPacket> packets;
  ASSERT_NO_FATAL_FAILURE(load_corpus("ssh.pcap", 54, packets));
  // Frames without options rebuild byte for byte. The others lay options out differently from our encoder
  // (NOP runs, EOL, another order), so for them the decoded options must survive a re-encode unchanged.
  int exact = 0;
  for (const CorpusPacket& c : packets) {
    SCOPED_TRACE("ssh.pcap frame " + std::to_string(c.number));
    const auto v4h = decode_ipv4(Bytes(c.frame).subspan(14));
    ASSERT_TRUE(v4h.ok());
    const Bytes ip = Bytes(c.frame).subspan(14, v4h->header.total_length);  // without link padding
    const Bytes payload = Bytes(c.frame).subspan(c.pkt.payload_offset, c.pkt.payload_len);
    if (c.pkt.tcp->header_len == kTcpMinHeaderLen) {
      EncodeIpv4 e;
      e.ip = v4h->header;
      Buf out;
      encode_ipv4_tcp(e, *c.pkt.tcp, payload, out);
      EXPECT_EQ(out, Buf(ip.begin(), ip.end()));
      EXPECT_EQ(load_be16(&out[20 + 16]), c.pkt.tcp->checksum);
      ++exact;
      continue;
    }
    Buf seg;
    PseudoHeader ph = pseudo_of(c.pkt);
    encode_tcp(ph, *c.pkt.tcp, payload, seg);
    ph.length = static_cast<std::uint32_t>(seg.size());
    EXPECT_TRUE(verify_transport_checksum(ph, seg));
    const auto again = decode_tcp(seg);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->options, c.pkt.tcp->options);
    EXPECT_EQ(again->seq, c.pkt.tcp->seq);
    EXPECT_EQ(again->ack, c.pkt.tcp->ack);
  }
  EXPECT_EQ(exact, 29);
}

// RFC 768, RFC 791 §3.1: every TFTP datagram verifies and re-encodes byte for byte, checksums included.
TEST(WireCorpus, TftpUdpFramesVerifyAndReencodeExactly) {
  std::vector<CorpusPacket> packets;
  ASSERT_NO_FATAL_FAILURE(load_corpus("tftp.pcap", 7, packets));
  ASSERT_EQ(packets.size(), 7u);
  for (const CorpusPacket& c : packets) {
    SCOPED_TRACE("tftp.pcap frame " + std::to_string(c.number));
    EXPECT_EQ(c.pkt.transport, Transport::Udp);
    EXPECT_EQ(c.pkt.ip_checksum_ok, std::optional<bool>(true));
    EXPECT_EQ(c.pkt.transport_checksum_ok, std::optional<bool>(true));
    const Bytes ip = Bytes(c.frame).subspan(14);
    const auto v4h = decode_ipv4(ip);
    ASSERT_TRUE(v4h.ok());
    EncodeIpv4 e;
    e.ip = v4h->header;
    Buf out;
    encode_ipv4_udp(e, c.pkt.udp->src_port, c.pkt.udp->dst_port,
                    Bytes(c.frame).subspan(c.pkt.payload_offset, c.pkt.payload_len), out);
    EXPECT_EQ(out, Buf(ip.begin(), ip.begin() + v4h->header.total_length));  // Ethernet padding excluded
  }
  EXPECT_EQ(packets[0].pkt.udp->dst_port, 69);  // RRQ "file1" to the TFTP port
  EXPECT_EQ(packets[0].pkt.payload_len, 14u);
  EXPECT_EQ(packets[1].pkt.payload_len, 516u);
}

// RFC 768: offloaded (unfilled) UDP checksums are reported bad; our sums equal tcpdump's correct ones.
TEST(WireCorpus, SyslogOffloadedUdpChecksumsAreReportedBad) {
  std::vector<CorpusPacket> packets;
  ASSERT_NO_FATAL_FAILURE(load_corpus("syslog_udp.pcap", 4, packets));
  ASSERT_EQ(packets.size(), 4u);
  // tcpdump -vv: [bad udp cksum 0x14a8 -> 0x8d5a!], 0x14a8 -> 0xc2c0, 0x14c3 -> 0xdaef, 0x14c2 -> 0xf908.
  const std::uint16_t wire[] = {0x14A8, 0x14A8, 0x14C3, 0x14C2};
  const std::uint16_t correct[] = {0x8D5A, 0xC2C0, 0xDAEF, 0xF908};
  for (std::size_t i = 0; i < packets.size(); ++i) {
    const CorpusPacket& c = packets[i];
    SCOPED_TRACE("syslog_udp.pcap frame " + std::to_string(c.number));
    EXPECT_EQ(c.pkt.ip_checksum_ok, std::optional<bool>(true));
    EXPECT_EQ(c.pkt.transport_checksum_ok, std::optional<bool>(false));
    EXPECT_EQ(c.pkt.udp->checksum, wire[i]);
    Buf seg(c.frame.begin() + 34, c.frame.begin() + 34 + c.pkt.udp->length);
    seg[6] = seg[7] = 0;
    PseudoHeader ph = pseudo_of(c.pkt);
    ph.length = c.pkt.udp->length;
    EXPECT_EQ(transport_checksum(ph, seg), correct[i]);
  }
}

// RFC 8200 §8.1: UDP over IPv6 (DHCPv6) verifies with the 128-bit pseudo-header.
TEST(WireCorpus, Dhcpv6UdpOverIpv6FramesVerify) {
  std::vector<CorpusPacket> packets;
  ASSERT_NO_FATAL_FAILURE(load_corpus("dhcpv6-ia-na.pcap", 4, packets));
  ASSERT_EQ(packets.size(), 4u);
  for (const CorpusPacket& c : packets) {
    SCOPED_TRACE("dhcpv6-ia-na.pcap frame " + std::to_string(c.number));
    EXPECT_EQ(c.eth.ether_type, kEtherTypeIpv6);
    EXPECT_TRUE(c.pkt.src.v6);
    EXPECT_EQ(c.pkt.transport, Transport::Udp);
    EXPECT_FALSE(c.pkt.ip_checksum_ok.has_value());
    EXPECT_EQ(c.pkt.transport_checksum_ok, std::optional<bool>(true));
  }
}

// RFC 8200 §8.1, RFC 8754 §2: UDP behind Routing headers verifies against the final destination.
TEST(WireCorpus, Ipv6RoutingHeaderFramesVerifyAgainstFinalDestination) {
  std::vector<CorpusPacket> rh0;
  ASSERT_NO_FATAL_FAILURE(load_corpus("ipv6-routing-header.pcap", 4, rh0));
  ASSERT_EQ(rh0.size(), 4u);
  // Frames 1-2: ICMPv6 echo requests, whose checksum (RFC 4443 §2.3) also uses the final destination.
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(rh0[i].pkt.transport, Transport::Icmp);
    EXPECT_EQ(rh0[i].pkt.transport_checksum_ok, std::optional<bool>(true));
  }
  for (std::size_t i = 2; i < 4; ++i) {
    SCOPED_TRACE("ipv6-routing-header.pcap frame " + std::to_string(rh0[i].number));
    EXPECT_EQ(rh0[i].pkt.transport, Transport::Udp);
    EXPECT_EQ(rh0[i].pkt.udp->src_port, 5645);
    EXPECT_EQ(rh0[i].pkt.udp->dst_port, 5642);
    EXPECT_EQ(rh0[i].pkt.transport_checksum_ok, std::optional<bool>(true));
  }
  std::vector<CorpusPacket> srh;
  ASSERT_NO_FATAL_FAILURE(load_corpus("ipv6-srh-insert-cksum.pcap", 1, srh));
  ASSERT_EQ(srh.size(), 1u);
  EXPECT_EQ(srh[0].pkt.dst.to_string(), "2::f1:0");
  EXPECT_EQ(srh[0].pkt.udp->dst_port, 5001);
  EXPECT_EQ(srh[0].pkt.transport_checksum_ok, std::optional<bool>(true));
}

// RFC 791 §3.2: every frame of fragmented UDP (AFS over Rx) decodes; only first fragments have UDP.
TEST(WireCorpus, AfsFragmentedUdpDecodesEveryFrame) {
  std::vector<CorpusPacket> packets;
  ASSERT_NO_FATAL_FAILURE(load_corpus("afs.pcap", 601, packets));
  ASSERT_EQ(packets.size(), 601u);
  int first = 0, later = 0, whole_verified = 0;
  for (const CorpusPacket& c : packets) {
    SCOPED_TRACE("afs.pcap frame " + std::to_string(c.number));
    EXPECT_EQ(c.pkt.ip_checksum_ok, std::optional<bool>(true));
    if (!c.pkt.is_fragment) {
      if (c.pkt.transport_checksum_ok == true) ++whole_verified;
      EXPECT_NE(c.pkt.transport_checksum_ok, std::optional<bool>(false));
      continue;
    }
    EXPECT_FALSE(c.pkt.transport_checksum_ok.has_value());
    if (c.pkt.transport == Transport::Udp) {
      ++first;
      EXPECT_GT(c.pkt.udp->length, c.frame.size() - 34);  // the datagram continues in later fragments
    } else {
      ++later;
      EXPECT_EQ(c.pkt.transport, Transport::Other);
    }
  }
  EXPECT_EQ(first, 51);
  EXPECT_EQ(later, 149);
  EXPECT_EQ(whole_verified, 376 + 25);  // UDP datagrams and the 25 ICMP messages (RFC 792 checksum)
}

// RFC 9293 §3.2: unknown options (experimental TCP Fast Open, kind 254) are skipped by their length.
TEST(WireCorpus, TcpFastOpenFramesVerifyWithUnknownOptions) {
  std::vector<CorpusPacket> packets;
  ASSERT_NO_FATAL_FAILURE(load_corpus("tfo-5c1fa7f9ae91.pcap", 14, packets));
  ASSERT_EQ(packets.size(), 14u);
  for (const CorpusPacket& c : packets) {
    SCOPED_TRACE("tfo-5c1fa7f9ae91.pcap frame " + std::to_string(c.number));
    EXPECT_EQ(c.pkt.transport, Transport::Tcp);
    EXPECT_EQ(c.pkt.ip_checksum_ok, std::optional<bool>(true));
    EXPECT_EQ(c.pkt.transport_checksum_ok, std::optional<bool>(true));
    EXPECT_FALSE(c.pkt.tcp->options_malformed);
  }
  EXPECT_EQ(packets[0].pkt.tcp->checksum, 0xB966);  // [S], options [exp-tfo cookiereq]
  EXPECT_TRUE(packets[0].pkt.tcp->options.empty());
  EXPECT_EQ(packets[1].pkt.tcp->options.mss,
            std::optional<std::uint16_t>(1460));  // [mss 1460,exp-tfo cookiereq]
}

// STYLE §8 (bad input): mutations of real SSH frames never crash the decoder either.
TEST(WireCorpus, MutatedSshFramesNeverCrash) {
  std::vector<CorpusPacket> packets;
  ASSERT_NO_FATAL_FAILURE(load_corpus("ssh.pcap", 54, packets));
  for (std::uint64_t seed = 1; seed <= 32; ++seed) {
    test::XorShift64 rng(seed);
    for (int iter = 0; iter < 100; ++iter) {
      const CorpusPacket& c = packets[rng.below(packets.size())];
      Buf p = c.frame;
      // Bias the changes towards the headers, where the lengths live.
      for (std::uint64_t k = 1 + rng.below(3); k > 0; --k)
        p[14 + rng.below(std::min<std::size_t>(p.size() - 14, 80))] = rng.byte();
      if (rng.below(4) == 0) p.resize(14 + rng.below(p.size() - 13));
      SCOPED_TRACE("ssh.pcap frame " + std::to_string(c.number) + " seed " + std::to_string(seed) +
                   " iteration " + std::to_string(iter));
      const auto d = decode_ip_packet(p, 14);
      if (d.ok()) {
        expect_consistent(*d, p.size(), 14);
      } else {
        EXPECT_FALSE(d.error().reason.empty());
        EXPECT_TRUE(where_is_byte_offset(d.error().where)) << d.error().where;
      }
    }
  }
}

}  // namespace wire_packet_test
}  // namespace wirestep::wire
