// UDP (RFC 768) and TCP (RFC 9293 §3.1) headers, every TCP option we understand (RFC 9293 §3.2, RFC 7323,
// RFC 2018), malformed option lengths, and the pseudo-header checksum for IPv4 and IPv6.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/wire/checksum.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/transport.hpp"
#include "tests/wire_corpus_frames.hpp"

namespace wirestep::wire {
namespace wire_transport_test {

using Buf = std::vector<std::uint8_t>;

PseudoHeader v4_pseudo(std::uint8_t protocol) {
  return PseudoHeader{IpAddr::from_v4(Ipv4Addr{0x0A000001}), IpAddr::from_v4(Ipv4Addr{0x0A000002}), protocol,
                      0};
}

IpAddr v6_addr(std::uint8_t last) {
  IpAddr a;
  a.v6 = true;
  a.bytes = {0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last};
  return a;
}

Buf bytes_of(const std::string& s) {
  return Buf(s.begin(), s.end());
}

// A TCP header (ports 40000 -> 80, seq 0x11223344, ack 0x55667788, ACK, window 1024) with `options`
// (a multiple of 4 bytes) and `payload`; the checksum field is left zero.
Buf tcp_segment(const Buf& options, const Buf& payload = {}) {
  EXPECT_EQ(options.size() % 4, 0u) << "test bug: options must fill whole 32-bit words";
  const std::size_t header_len = 20 + options.size();
  Buf s{0x9C,
        0x40,
        0x00,
        0x50,
        0x11,
        0x22,
        0x33,
        0x44,
        0x55,
        0x66,
        0x77,
        0x88,
        static_cast<std::uint8_t>((header_len / 4) << 4),
        tcp_flag::kAck,
        0x04,
        0x00,
        0,
        0,
        0,
        0};
  s.insert(s.end(), options.begin(), options.end());
  s.insert(s.end(), payload.begin(), payload.end());
  return s;
}

TcpHeader decode_ok(const Buf& segment) {
  auto r = decode_tcp(segment);
  EXPECT_TRUE(r.ok()) << r.error().message();
  return r.ok() ? *r : TcpHeader{};
}

// ---- UDP ----

// RFC 768: source port, destination port, length and checksum, 16 bits each.
TEST(WireUdp, DecodesEveryField) {
  const Buf d{0x04, 0xD2, 0x16, 0x2E, 0x00, 0x0A, 0x68, 0x6E, 'h', 'i'};
  const auto h = decode_udp(d);
  ASSERT_TRUE(h.ok()) << h.error().message();
  EXPECT_EQ(h->src_port, 1234);
  EXPECT_EQ(h->dst_port, 5678);
  EXPECT_EQ(h->length, 10);
  EXPECT_EQ(h->checksum, 0x686E);
}

// RFC 768: the header is 8 bytes; anything shorter is cut.
TEST(WireUdp, ShortHeaderIsTruncatedError) {
  const Buf d{0x04, 0xD2, 0x16, 0x2E, 0x00, 0x0A, 0x68, 0x6E};
  for (std::size_t len = 0; len < 8; ++len) {
    const auto h = decode_udp(Bytes(d).first(len));
    ASSERT_FALSE(h.ok()) << len;
    EXPECT_EQ(h.error().where, "byte 0");
    EXPECT_EQ(h.error().reason, "UDP header truncated: " + std::to_string(len) + " of 8 bytes");
  }
}

// RFC 768: Length counts the header, so the minimum value is 8.
TEST(WireUdp, LengthBelowHeaderIsRejected) {
  const Buf d{0x04, 0xD2, 0x16, 0x2E, 0x00, 0x07, 0x00, 0x00};
  const auto h = decode_udp(d);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().where, "byte 4");
  EXPECT_EQ(h.error().reason, "UDP length 7 is below 8");
}

// RFC 768: the checksum covers the IPv4 pseudo-header, header and data (value from an independent sum).
TEST(WireUdp, EncodeWritesExactBytes) {
  Buf out{0xAA};  // appended after existing bytes
  encode_udp(v4_pseudo(kIpProtoUdp), 1234, 5678, bytes_of("hi"), out);
  const Buf expected{0xAA, 0x04, 0xD2, 0x16, 0x2E, 0x00, 0x0A, 0x68, 0x6E, 'h', 'i'};
  EXPECT_EQ(out, expected);
  PseudoHeader ph = v4_pseudo(kIpProtoUdp);
  ph.length = 10;
  EXPECT_TRUE(verify_transport_checksum(ph, Bytes(out).subspan(1)));
}

// RFC 768: a computed checksum of zero is transmitted as all ones, since zero means "no checksum".
TEST(WireUdp, ComputedZeroChecksumIsSentAsAllOnes) {
  Buf probe;
  encode_udp(v4_pseudo(kIpProtoUdp), 1, 2, Buf{0, 0}, probe);
  const std::uint16_t c = load_be16(&probe[6]);
  // Payload word c makes the ones'-complement sum 0xFFFF, so the computed checksum is 0.
  Buf out;
  encode_udp(v4_pseudo(kIpProtoUdp), 1, 2,
             Buf{static_cast<std::uint8_t>(c >> 8), static_cast<std::uint8_t>(c)}, out);
  EXPECT_EQ(load_be16(&out[6]), 0xFFFF);
  PseudoHeader ph = v4_pseudo(kIpProtoUdp);
  ph.length = 10;
  EXPECT_TRUE(verify_transport_checksum(ph, out));
}

// RFC 8200 §8.1: over IPv6 the pseudo-header has 128-bit addresses and a 32-bit length.
TEST(WireUdp, Ipv6PseudoHeaderChecksum) {
  const PseudoHeader ph{v6_addr(1), v6_addr(2), kIpProtoUdp, 0};
  Buf out;
  encode_udp(ph, 1234, 5678, bytes_of("hi"), out);
  EXPECT_EQ(load_be16(&out[6]), 0x20FC);
  PseudoHeader with_len = ph;
  with_len.length = 10;
  EXPECT_TRUE(verify_transport_checksum(with_len, out));
  PseudoHeader as_v4 = v4_pseudo(kIpProtoUdp);
  as_v4.length = 10;
  EXPECT_FALSE(verify_transport_checksum(as_v4, out));
}

// ---- Transport checksum ----

// RFC 9293 §3.1: transport_checksum over a segment with a zero checksum field gives the field value.
TEST(WireTransportChecksum, ZeroedFieldGivesFieldValue) {
  Buf seg{0x04, 0xD2, 0x16, 0x2E, 0x00, 0x0A, 0x00, 0x00, 'h', 'i'};
  PseudoHeader ph = v4_pseudo(kIpProtoUdp);
  ph.length = 10;
  EXPECT_EQ(transport_checksum(ph, seg), 0x686E);
  seg[6] = 0x68;
  seg[7] = 0x6E;
  EXPECT_EQ(transport_checksum(ph, seg), 0);
  EXPECT_TRUE(verify_transport_checksum(ph, seg));
}

// RFC 9293 §3.1: every single-bit error in the segment or pseudo-header fields is detected.
TEST(WireTransportChecksum, EverySingleBitFlipIsDetected) {
  const PseudoHeader ph{IpAddr::from_v4(Ipv4Addr{0xC0A80102}), IpAddr::from_v4(Ipv4Addr{0x08080808}),
                        kIpProtoTcp, 0};
  TcpHeader h;
  h.src_port = 443;
  h.dst_port = 51000;
  h.seq = 0xFFFFFFF0;
  h.ack = 7;
  h.flags = tcp_flag::kAck | tcp_flag::kPsh;
  h.window = 501;
  h.options.timestamps = TcpTimestamps{123456, 654321};
  Buf seg;
  encode_tcp(ph, h, bytes_of("hello, world!"), seg);
  PseudoHeader full = ph;
  full.length = static_cast<std::uint32_t>(seg.size());
  ASSERT_TRUE(verify_transport_checksum(full, seg));
  for (std::size_t bit = 0; bit < seg.size() * 8; ++bit) {
    Buf bad = seg;
    bad[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    ASSERT_FALSE(verify_transport_checksum(full, bad)) << "bit " << bit;
  }
  PseudoHeader wrong_proto = full;
  wrong_proto.protocol = kIpProtoUdp;
  EXPECT_FALSE(verify_transport_checksum(wrong_proto, seg));
  PseudoHeader wrong_len = full;
  wrong_len.length += 1;
  EXPECT_FALSE(verify_transport_checksum(wrong_len, seg));
}

// ---- TCP header ----

// RFC 9293 §3.1: ports, sequence and acknowledgment numbers, data offset, flags, window, checksum, urgent.
TEST(WireTcpHeader, DecodesEveryField) {
  Buf s = tcp_segment({}, bytes_of("data"));
  s[13] = tcp_flag::kUrg | tcp_flag::kAck | tcp_flag::kPsh;
  s[16] = 0xBE;
  s[17] = 0xEF;
  s[18] = 0x00;
  s[19] = 0x03;
  const TcpHeader h = decode_ok(s);
  EXPECT_EQ(h.src_port, 40000);
  EXPECT_EQ(h.dst_port, 80);
  EXPECT_EQ(h.seq, 0x11223344u);
  EXPECT_EQ(h.ack, 0x55667788u);
  EXPECT_EQ(h.header_len, 20);
  EXPECT_EQ(h.flags, tcp_flag::kUrg | tcp_flag::kAck | tcp_flag::kPsh);
  EXPECT_EQ(h.window, 1024);
  EXPECT_EQ(h.checksum, 0xBEEF);
  EXPECT_EQ(h.urgent, 3);
  EXPECT_TRUE(h.options.empty());
  EXPECT_FALSE(h.options_malformed);
}

// RFC 9293 §3.1: the fixed header is 20 bytes.
TEST(WireTcpHeader, ShortHeaderIsTruncatedError) {
  const Buf s = tcp_segment({});
  for (std::size_t len = 0; len < 20; ++len) {
    const auto h = decode_tcp(Bytes(s).first(len));
    ASSERT_FALSE(h.ok()) << len;
    EXPECT_EQ(h.error().where, "byte 0");
    EXPECT_EQ(h.error().reason, "TCP header truncated: " + std::to_string(len) + " of 20 bytes");
  }
}

// RFC 9293 §3.1: Data Offset counts 32-bit words and cannot be below 5.
TEST(WireTcpHeader, DataOffsetBelowFiveIsRejected) {
  for (std::uint8_t words = 0; words < 5; ++words) {
    Buf s = tcp_segment({});
    s[12] = static_cast<std::uint8_t>(words << 4);
    const auto h = decode_tcp(s);
    ASSERT_FALSE(h.ok()) << int{words};
    EXPECT_EQ(h.error().where, "byte 12");
    EXPECT_EQ(h.error().reason,
              "TCP data offset " + std::to_string(words * 4) + " bytes is below the minimum of 20");
  }
}

// RFC 9293 §3.1: a Data Offset larger than the captured bytes is a truncated header.
TEST(WireTcpHeader, DataOffsetPastCaptureIsTruncatedError) {
  Buf s = tcp_segment({1, 1, 1, 1});
  s.resize(22);
  const auto h = decode_tcp(s);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().where, "byte 12");
  EXPECT_EQ(h.error().reason, "TCP header truncated: 22 of 24 bytes");
  s[12] = 0xF0;
  EXPECT_EQ(decode_tcp(s).error().reason, "TCP header truncated: 22 of 60 bytes");
}

// RFC 9293 §3.1: the flags print in the order tcpdump uses (SYN before FIN, ACK after PSH).
TEST(WireTcpFlags, PrintInTcpdumpOrder) {
  EXPECT_EQ(tcp_flags_to_string(0), "");
  EXPECT_EQ(tcp_flags_to_string(tcp_flag::kSyn), "SYN");
  EXPECT_EQ(tcp_flags_to_string(tcp_flag::kSyn | tcp_flag::kAck), "SYN,ACK");
  EXPECT_EQ(tcp_flags_to_string(tcp_flag::kFin | tcp_flag::kPsh | tcp_flag::kAck), "FIN,PSH,ACK");
  EXPECT_EQ(tcp_flags_to_string(tcp_flag::kRst | tcp_flag::kAck), "RST,ACK");
  EXPECT_EQ(tcp_flags_to_string(0xFF), "SYN,FIN,RST,PSH,ACK,URG,ECE,CWR");
}

// ---- TCP options ----

// RFC 9293 §3.2: MSS is kind 2, length 4, a 16-bit value.
TEST(WireTcpOptions, MaximumSegmentSize) {
  const TcpHeader h = decode_ok(tcp_segment({2, 4, 0x05, 0xB4}));
  ASSERT_TRUE(h.options.mss.has_value());
  EXPECT_EQ(*h.options.mss, 1460);
  EXPECT_FALSE(h.options.window_scale.has_value());
  EXPECT_FALSE(h.options.sack_permitted);
  EXPECT_FALSE(h.options.timestamps.has_value());
  EXPECT_EQ(h.options.sack_count, 0);
  EXPECT_FALSE(h.options_malformed);
  EXPECT_EQ(h.header_len, 24);
}

// RFC 7323 §2.2: Window Scale is kind 3, length 3, a shift count; the wire layer keeps it unclamped.
TEST(WireTcpOptions, WindowScale) {
  EXPECT_EQ(decode_ok(tcp_segment({1, 3, 3, 7})).options.window_scale, std::optional<std::uint8_t>(7));
  EXPECT_EQ(decode_ok(tcp_segment({1, 3, 3, 14})).options.window_scale, std::optional<std::uint8_t>(14));
  // RFC 7323 §2.3: values above 14 are clamped by the receiver (the TCP layer), not by the decoder.
  EXPECT_EQ(decode_ok(tcp_segment({1, 3, 3, 15})).options.window_scale, std::optional<std::uint8_t>(15));
}

// RFC 2018 §2: SACK-Permitted is kind 4, length 2, and may be the last bytes of a segment with no payload.
TEST(WireTcpOptions, SackPermitted) {
  const TcpHeader h = decode_ok(tcp_segment({1, 1, 4, 2}));
  EXPECT_TRUE(h.options.sack_permitted);
  EXPECT_FALSE(h.options_malformed);
  EXPECT_FALSE(h.options.empty());
}

// RFC 7323 §3.2: Timestamps is kind 8, length 10: TSval then TSecr, 32 bits each.
TEST(WireTcpOptions, Timestamps) {
  const TcpHeader h = decode_ok(tcp_segment({1, 1, 8, 10, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01}));
  ASSERT_TRUE(h.options.timestamps.has_value());
  EXPECT_EQ(h.options.timestamps->value, 0xFFFFFFFFu);
  EXPECT_EQ(h.options.timestamps->echo_reply, 1u);
  EXPECT_FALSE(h.options_malformed);
}

// RFC 2018 §3: a SACK option of length 8n+2 carries n (left, right) blocks, up to 4.
TEST(WireTcpOptions, SackBlocksOneToFour) {
  for (std::uint8_t n = 1; n <= 4; ++n) {
    SCOPED_TRACE("blocks " + std::to_string(n));
    Buf opt{1, 1, 5, static_cast<std::uint8_t>(2 + 8 * n)};
    for (std::uint8_t i = 0; i < n; ++i) {
      const std::uint32_t left = 0xFFFFF000u + 0x100u * i;  // crosses 2^32 for the later blocks
      const std::uint32_t right = left + 0x80;
      for (std::uint32_t v : {left, right})
        for (int shift = 24; shift >= 0; shift -= 8) opt.push_back(static_cast<std::uint8_t>(v >> shift));
    }
    const TcpHeader h = decode_ok(tcp_segment(opt));
    ASSERT_EQ(h.options.sack_count, n);
    for (std::uint8_t i = 0; i < n; ++i) {
      EXPECT_EQ(h.options.sack[i], (SackBlock{0xFFFFF000u + 0x100u * i, 0xFFFFF080u + 0x100u * i})) << int{i};
    }
    EXPECT_FALSE(h.options_malformed);
  }
}

// RFC 9293 §3.2: NOPs pad between options and every option is found regardless of order.
TEST(WireTcpOptions, LinuxSynOptionsInAnyOrder) {
  // Linux SYN layout: MSS, SACK-permitted, timestamps, NOP, window scale.
  const Buf linux_syn{2, 4, 0x05, 0xB4, 4, 2, 8, 10, 0, 0, 0, 100, 0, 0, 0, 0, 1, 3, 3, 7};
  const TcpHeader h = decode_ok(tcp_segment(linux_syn));
  EXPECT_EQ(h.options.mss, std::optional<std::uint16_t>(1460));
  EXPECT_TRUE(h.options.sack_permitted);
  EXPECT_EQ(h.options.timestamps, (TcpTimestamps{100, 0}));
  EXPECT_EQ(h.options.window_scale, std::optional<std::uint8_t>(7));
  EXPECT_FALSE(h.options_malformed);
  // macOS SYN layout: MSS, NOP, WS, NOP, NOP, TS, SACK-permitted, EOL.
  const Buf mac_syn{2,    4,    0x05, 0xB4, 1, 3, 3, 6, 1, 1, 8, 10,
                    0x74, 0x22, 0x5E, 0xCE, 0, 0, 0, 0, 4, 2, 0, 0};
  const TcpHeader m = decode_ok(tcp_segment(mac_syn));
  EXPECT_EQ(m.options.mss, std::optional<std::uint16_t>(1460));
  EXPECT_EQ(m.options.window_scale, std::optional<std::uint8_t>(6));
  EXPECT_EQ(m.options.timestamps, (TcpTimestamps{0x74225ECE, 0}));
  EXPECT_TRUE(m.options.sack_permitted);
  EXPECT_FALSE(m.options_malformed);
}

// RFC 9293 §3.2: End of Option List ends parsing; what follows is padding, even if it looks like options.
TEST(WireTcpOptions, EndOfOptionListStopsParsing) {
  const TcpHeader h = decode_ok(tcp_segment({2, 4, 0x05, 0xB4, 0, 3, 3, 7}));
  EXPECT_EQ(h.options.mss, std::optional<std::uint16_t>(1460));
  EXPECT_FALSE(h.options.window_scale.has_value());
  EXPECT_FALSE(h.options_malformed);
}

// RFC 9293 §3.2: an all-NOP option area carries no options.
TEST(WireTcpOptions, OnlyNopsMeansNoOptions) {
  const TcpHeader h = decode_ok(tcp_segment(Buf(12, 1)));
  EXPECT_TRUE(h.options.empty());
  EXPECT_FALSE(h.options_malformed);
  EXPECT_EQ(h.header_len, 32);
}

// RFC 9293 §3.2: an unknown option is skipped by its length (here TFO kind 34 and kind 30 at the very end).
TEST(WireTcpOptions, UnknownOptionsAreSkippedByLength) {
  const Buf opts{34, 10, 1, 2, 3, 4, 5, 6, 7, 8, 2, 4, 0x05, 0x78, 1, 1, 1, 1, 30, 2};
  const TcpHeader h = decode_ok(tcp_segment(opts));
  EXPECT_EQ(h.options.mss, std::optional<std::uint16_t>(1400));
  EXPECT_FALSE(h.options_malformed);
}

// RFC 9293 §3.2: an option length of 0 or 1 cannot cover kind and length; parsing stops there.
TEST(WireTcpOptions, LengthBelowTwoIsMalformed) {
  for (std::uint8_t len : {0, 1}) {
    SCOPED_TRACE("length " + std::to_string(len));
    const TcpHeader h = decode_ok(tcp_segment({2, 4, 0x05, 0xB4, 8, len, 3, 3, 3, 7, 1, 1}));
    EXPECT_TRUE(h.options_malformed);
    EXPECT_EQ(h.options.mss, std::optional<std::uint16_t>(1460));  // options before the bad one are kept
    EXPECT_FALSE(h.options.timestamps.has_value());
    EXPECT_FALSE(h.options.window_scale.has_value());  // nothing after it is trusted
  }
}

// RFC 9293 §3.2: an option whose length runs past the header end is malformed and ends parsing.
TEST(WireTcpOptions, LengthPastHeaderEndIsMalformed) {
  const TcpHeader h = decode_ok(tcp_segment({1, 1, 8, 10}, Buf(8, 0xAB)));  // TS needs 10, 2 bytes left
  EXPECT_TRUE(h.options_malformed);
  EXPECT_FALSE(h.options.timestamps.has_value());
  EXPECT_EQ(h.header_len, 24);
}

// RFC 9293 §3.2: a kind byte in the last position has no room for its length byte.
TEST(WireTcpOptions, KindWithoutLengthByteIsMalformed) {
  const TcpHeader h = decode_ok(tcp_segment({1, 1, 1, 2}));
  EXPECT_TRUE(h.options_malformed);
  EXPECT_FALSE(h.options.mss.has_value());
}

// RFC 9293 §3.2, RFC 7323 §2.2/§3.2, RFC 2018 §2/§3: a wrong-length known option is flagged and skipped.
TEST(WireTcpOptions, WrongFixedLengthIsFlaggedAndSkipped) {
  struct Case {
    const char* name;
    Buf option;
  };
  const Case cases[] = {
      {"MSS length 3", {2, 3, 0x05}},
      {"MSS length 5", {2, 5, 0x05, 0xB4, 0x00}},
      {"window scale length 4", {3, 4, 7, 0}},
      {"window scale length 2", {3, 2}},
      {"SACK-permitted length 3", {4, 3, 0}},
      {"timestamps length 6", {8, 6, 0, 0, 0, 1}},
      {"SACK length 11", {5, 11, 0, 0, 0, 1, 0, 0, 0, 2, 9}},
      {"SACK length 3", {5, 3, 0}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Buf opts = c.option;
    opts.insert(opts.end(), {2, 4, 0x02, 0x18});  // a valid MSS 536 after the bad option
    while (opts.size() % 4 != 0) opts.push_back(0);
    const TcpHeader h = decode_ok(tcp_segment(opts));
    EXPECT_TRUE(h.options_malformed);
    EXPECT_EQ(h.options.mss, std::optional<std::uint16_t>(536));
    EXPECT_FALSE(h.options.window_scale.has_value());
    EXPECT_FALSE(h.options.sack_permitted);
    EXPECT_FALSE(h.options.timestamps.has_value());
    EXPECT_EQ(h.options.sack_count, 0);
  }
}

// RFC 2018 §3: two SACK options in one header add up; the decoder keeps at most four blocks.
TEST(WireTcpOptions, SackBlocksFromTwoOptionsAccumulate) {
  Buf opts{5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 5, 18,
           0, 0,  0, 5, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0, 8, 1, 1, 1, 1};
  const TcpHeader h = decode_ok(tcp_segment(opts));
  ASSERT_EQ(h.options.sack_count, 4);
  EXPECT_EQ(h.options.sack[0], (SackBlock{1, 2}));
  EXPECT_EQ(h.options.sack[3], (SackBlock{7, 8}));
  EXPECT_FALSE(h.options_malformed);
}

// RFC 9293 §3.2: option lengths are padded to a 32-bit boundary.
TEST(WireTcpOptions, OptionsLengthIsPaddedToFourBytes) {
  TcpOptions o;
  EXPECT_EQ(tcp_options_length(o), 0u);
  o.mss = 1460;
  EXPECT_EQ(tcp_options_length(o), 4u);
  o.sack_permitted = true;
  EXPECT_EQ(tcp_options_length(o), 8u);
  o.timestamps = TcpTimestamps{1, 2};
  EXPECT_EQ(tcp_options_length(o), 16u);
  o.window_scale = 7;
  EXPECT_EQ(tcp_options_length(o), 20u);  // 4 + 2 + 10 + 3 = 19
  TcpOptions s;
  s.sack_count = 1;
  EXPECT_EQ(tcp_options_length(s), 12u);  // 10
  s.sack_count = 4;
  EXPECT_EQ(tcp_options_length(s), 36u);  // 34
  s.timestamps = TcpTimestamps{1, 2};
  s.sack_count = 3;
  EXPECT_EQ(tcp_options_length(s), 40u);  // RFC 2018 §3: 3 blocks fit beside timestamps (12 + 4 + 24)
  TcpOptions ws;
  ws.window_scale = 0;
  EXPECT_EQ(tcp_options_length(ws), 4u);
}

// RFC 9293 §3.1/§3.2: an encoded SYN has exact bytes (Linux's "mss, sackOK, TS, nop, wscale", as a Linux
// SYN and packetdrill's scripts have them) and a checksum from an independent sum.
TEST(WireTcpOptions, EncodeSynWritesExactBytes) {
  TcpHeader h;
  h.src_port = 40000;
  h.dst_port = 80;
  h.seq = 0x11223344;
  h.ack = 0;
  h.flags = tcp_flag::kSyn;
  h.window = 65535;
  h.options.mss = 1460;
  h.options.sack_permitted = true;
  h.options.timestamps = TcpTimestamps{0x01020304, 0};
  h.options.window_scale = 7;
  Buf out;
  encode_tcp(v4_pseudo(kIpProtoTcp), h, {}, out);
  const Buf expected{0x9C, 0x40, 0x00, 0x50, 0x11, 0x22, 0x33, 0x44, 0x00, 0x00, 0x00, 0x00, 0xA0, 0x02,
                     0xFF, 0xFF, 0x4F, 0x01, 0x00, 0x00, 0x02, 0x04, 0x05, 0xB4, 0x04, 0x02, 0x08, 0x0A,
                     0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07};
  EXPECT_EQ(out, expected);
}

// RFC 9293 §3.1/§3.2, RFC 7323, RFC 2018: every combination of options that fits round-trips.
TEST(WireTcpOptions, EveryCombinationRoundTrips) {
  int combos = 0;
  for (int mask = 0; mask < 16; ++mask) {
    for (std::uint8_t sacks = 0; sacks <= 4; ++sacks) {
      TcpHeader h;
      h.src_port = static_cast<std::uint16_t>(1000 + mask);
      h.dst_port = 22;
      h.seq = 0xFFFFFFFFu - static_cast<std::uint32_t>(mask);
      h.ack = 0x80000000u + sacks;
      h.flags = static_cast<std::uint8_t>(0xFF - mask);
      h.window = static_cast<std::uint16_t>(0xFFFF - sacks);
      h.urgent = static_cast<std::uint16_t>(mask * 7);
      if (mask & 1) h.options.mss = static_cast<std::uint16_t>(536 + mask);
      if (mask & 2) h.options.window_scale = static_cast<std::uint8_t>(mask);
      if (mask & 4) h.options.sack_permitted = true;
      if (mask & 8) h.options.timestamps = TcpTimestamps{0xDEADBEEFu, 0xCAFEBABEu + sacks};
      h.options.sack_count = sacks;
      for (std::uint8_t i = 0; i < sacks; ++i) h.options.sack[i] = SackBlock{1000u * i, 1000u * i + 500};
      if (tcp_options_length(h.options) > 40) continue;  // RFC 9293 §3.1: at most 40 option bytes
      ++combos;
      SCOPED_TRACE("mask " + std::to_string(mask) + " sacks " + std::to_string(sacks));
      const Buf payload = bytes_of(std::string(static_cast<std::size_t>(mask + sacks), 'x'));
      Buf out;
      const PseudoHeader ph = v4_pseudo(kIpProtoTcp);
      encode_tcp(ph, h, payload, out);
      const std::size_t header_len = 20 + tcp_options_length(h.options);
      ASSERT_EQ(out.size(), header_len + payload.size());
      PseudoHeader full = ph;
      full.length = static_cast<std::uint32_t>(out.size());
      EXPECT_TRUE(verify_transport_checksum(full, out));
      const TcpHeader d = decode_ok(out);
      EXPECT_EQ(d.header_len, header_len);
      EXPECT_EQ(d.src_port, h.src_port);
      EXPECT_EQ(d.dst_port, h.dst_port);
      EXPECT_EQ(d.seq, h.seq);
      EXPECT_EQ(d.ack, h.ack);
      EXPECT_EQ(d.flags, h.flags);
      EXPECT_EQ(d.window, h.window);
      EXPECT_EQ(d.urgent, h.urgent);
      EXPECT_EQ(d.options, h.options);
      EXPECT_FALSE(d.options_malformed);
      EXPECT_EQ(d.checksum, load_be16(&out[16]));
      EXPECT_EQ(Buf(out.begin() + static_cast<std::ptrdiff_t>(header_len), out.end()), payload);
    }
  }
  EXPECT_EQ(combos, 62);  // of 80 combinations, 18 need more than 40 bytes in Linux's aligned layout
}

// RFC 9293 §3.1: the checksum covers the payload, including an odd trailing byte.
TEST(WireTcpHeader, EncodeChecksumCoversOddPayload) {
  TcpHeader h;
  h.src_port = 1;
  h.dst_port = 2;
  h.flags = tcp_flag::kAck;
  Buf even, odd;
  const PseudoHeader ph = v4_pseudo(kIpProtoTcp);
  encode_tcp(ph, h, bytes_of("ab"), even);
  encode_tcp(ph, h, bytes_of("abc"), odd);
  PseudoHeader p_even = ph, p_odd = ph;
  p_even.length = 22;
  p_odd.length = 23;
  EXPECT_TRUE(verify_transport_checksum(p_even, even));
  EXPECT_TRUE(verify_transport_checksum(p_odd, odd));
  // 'c' padded with a zero byte adds 0x6300 to the sum; the length adds 1.
  const std::uint32_t sum = static_cast<std::uint16_t>(~load_be16(&even[16])) + 0x6300u + 1u;
  const std::uint16_t folded = static_cast<std::uint16_t>((sum & 0xFFFF) + (sum >> 16));
  EXPECT_EQ(load_be16(&odd[16]), static_cast<std::uint16_t>(~folded));
}

}  // namespace wire_transport_test
}  // namespace wirestep::wire
