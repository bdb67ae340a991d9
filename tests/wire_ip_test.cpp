// IP addresses (parsing, formatting, network/host split) and the IPv4 (RFC 791) and IPv6 (RFC 8200) headers.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/wire/checksum.hpp"
#include "sim/wire/ip_addr.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/ipv6.hpp"
#include "tests/wire_corpus_frames.hpp"

namespace wirestep::wire {
namespace wire_ip_test {

using Buf = std::vector<std::uint8_t>;

IpAddr v6(std::initializer_list<std::uint16_t> words) {
  IpAddr a;
  a.v6 = true;
  std::size_t i = 0;
  for (std::uint16_t w : words) {
    a.bytes[i++] = static_cast<std::uint8_t>(w >> 8);
    a.bytes[i++] = static_cast<std::uint8_t>(w);
  }
  return a;
}

// A 20-byte header (the well-known example: 192.168.0.1 -> 192.168.0.199, UDP, checksum b861) + 95 bytes.
Buf sample_ipv4_packet() {
  Buf p{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
        0xB8, 0x61, 0xC0, 0xA8, 0x00, 0x01, 0xC0, 0xA8, 0x00, 0xC7};
  for (int i = 0; i < 95; ++i) p.push_back(static_cast<std::uint8_t>(i));
  return p;
}

// A 40-byte IPv6 header: traffic class 0xA5, flow label 0x12345, hop limit 64, 2001:db8::1 -> 2001:db8::2.
Buf ipv6_header(std::uint16_t payload_length, std::uint8_t next_header) {
  Buf p{0x6A,
        0x51,
        0x23,
        0x45,
        static_cast<std::uint8_t>(payload_length >> 8),
        static_cast<std::uint8_t>(payload_length),
        next_header,
        64};
  const Buf src{0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  const Buf dst{0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
  p.insert(p.end(), src.begin(), src.end());
  p.insert(p.end(), dst.begin(), dst.end());
  return p;
}

void append(Buf& to, const Buf& from) {
  to.insert(to.end(), from.begin(), from.end());
}

// ---- Ipv4Addr ----

// RFC 791 §3.1: addresses are 32 bits, written as four dotted decimal octets, most significant first.
TEST(WireIpv4Addr, ParsesDottedQuadInHostOrder) {
  EXPECT_EQ(Ipv4Addr::parse("10.0.0.1"), Ipv4Addr{0x0A000001});
  EXPECT_EQ(Ipv4Addr::parse("192.168.1.254"), Ipv4Addr{0xC0A801FE});
  EXPECT_EQ(Ipv4Addr::parse("0.0.0.0"), Ipv4Addr{0});
  EXPECT_EQ(Ipv4Addr::parse("255.255.255.255"), Ipv4Addr{0xFFFFFFFF});
}

// Malformed text is rejected rather than partly parsed.
TEST(WireIpv4Addr, RejectsMalformedText) {
  for (const char* text :
       {"", "1", "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.", "256.0.0.1", "1.2.3.256", "1.2.3.1000",
        "0001.2.3.4", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4/24", "a.b.c.d", "1.2.-3.4", "1,2,3,4", "4294967295"}) {
    EXPECT_FALSE(Ipv4Addr::parse(text).has_value()) << '"' << text << '"';
  }
}

// Formatting prints each octet in decimal without padding.
TEST(WireIpv4Addr, FormatsDottedQuad) {
  EXPECT_EQ(Ipv4Addr{0x0A000001}.to_string(), "10.0.0.1");
  EXPECT_EQ(Ipv4Addr{0xFFFFFFFF}.to_string(), "255.255.255.255");
  EXPECT_EQ(Ipv4Addr{0}.to_string(), "0.0.0.0");
  EXPECT_EQ(Ipv4Addr{0xAC10230A}.to_string(), "172.16.35.10");
}

// Formatting then parsing gives the same address for many seeded values.
TEST(WireIpv4Addr, FormatParseRoundTrips) {
  test::XorShift64 rng(791);
  for (int i = 0; i < 2000; ++i) {
    const Ipv4Addr a{static_cast<std::uint32_t>(rng.next())};
    const auto back = Ipv4Addr::parse(a.to_string());
    ASSERT_TRUE(back.has_value()) << a.to_string();
    EXPECT_EQ(*back, a);
  }
}

// Ordering follows the numeric value, so sorted flows list 10.0.0.2 before 10.0.0.10.
TEST(WireIpv4Addr, OrdersNumerically) {
  EXPECT_LT(*Ipv4Addr::parse("10.0.0.2"), *Ipv4Addr::parse("10.0.0.10"));
  EXPECT_LT(*Ipv4Addr::parse("9.255.255.255"), *Ipv4Addr::parse("10.0.0.0"));
}

// ---- IpAddr ----

// IPv4 in IpAddr: the first four bytes in network order; v4() restores the value.
TEST(WireIpAddr, FromV4StoresNetworkOrderAndRoundTrips) {
  const IpAddr a = IpAddr::from_v4(Ipv4Addr{0xC0A80001});
  EXPECT_FALSE(a.v6);
  EXPECT_EQ(a.bytes[0], 0xC0);
  EXPECT_EQ(a.bytes[1], 0xA8);
  EXPECT_EQ(a.bytes[2], 0x00);
  EXPECT_EQ(a.bytes[3], 0x01);
  for (std::size_t i = 4; i < 16; ++i) EXPECT_EQ(a.bytes[i], 0) << i;
  EXPECT_EQ(a.v4(), Ipv4Addr{0xC0A80001});
  EXPECT_EQ(a.to_string(), "192.168.0.1");
}

// RFC 5952 §4.2.1/§4.2.2: the longest zero run becomes "::", but a single zero word is not compressed.
TEST(WireIpAddr, Ipv6CompressesLongestZeroRunOnly) {
  EXPECT_EQ(v6({0x2001, 0xDB8, 0, 0, 0, 0, 0, 1}).to_string(), "2001:db8::1");
  EXPECT_EQ(v6({0x2001, 0xDB8, 0, 1, 1, 1, 1, 1}).to_string(), "2001:db8:0:1:1:1:1:1");
  EXPECT_EQ(v6({0x2001, 0, 0, 1, 0, 0, 0, 1}).to_string(), "2001:0:0:1::1");
}

// RFC 5952 §4.2.3: on equal-length zero runs, the first one is compressed.
TEST(WireIpAddr, Ipv6CompressesFirstOfEqualRuns) {
  EXPECT_EQ(v6({0x2001, 0xDB8, 0, 0, 1, 0, 0, 1}).to_string(), "2001:db8::1:0:0:1");
}

// RFC 5952 §4.2: runs at either end, and the all-zero address.
TEST(WireIpAddr, Ipv6CompressesRunsAtTheEdges) {
  EXPECT_EQ(v6({0, 0, 0, 0, 0, 0, 0, 0}).to_string(), "::");
  EXPECT_EQ(v6({0, 0, 0, 0, 0, 0, 0, 1}).to_string(), "::1");
  EXPECT_EQ(v6({1, 0, 0, 0, 0, 0, 0, 0}).to_string(), "1::");
  EXPECT_EQ(v6({0xFE80, 0, 0, 0, 0x0202, 0xB3FF, 0xFE1E, 0x8329}).to_string(), "fe80::202:b3ff:fe1e:8329");
}

// RFC 5952 §4.1/§4.3: leading zeros are dropped and hex digits are lower case.
TEST(WireIpAddr, Ipv6UsesLowerCaseWithoutLeadingZeros) {
  EXPECT_EQ(v6({0x2001, 0x0DB8, 0x00AB, 0xCDEF, 0x000F, 0xF000, 0x0100, 0x0010}).to_string(),
            "2001:db8:ab:cdef:f:f000:100:10");
  EXPECT_EQ(v6({0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF}).to_string(),
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

// RFC 5952 §6: an IPv6 endpoint puts the address in brackets before the port; IPv4 does not.
TEST(WireIpAddr, EndpointBracketsIpv6Only) {
  EXPECT_EQ(endpoint_to_string(IpAddr::from_v4(Ipv4Addr{0x0A000001}), 80), "10.0.0.1:80");
  EXPECT_EQ(endpoint_to_string(v6({0x2001, 0xDB8, 0, 0, 0, 0, 0, 1}), 443), "[2001:db8::1]:443");
  EXPECT_EQ(endpoint_to_string(IpAddr::from_v4(Ipv4Addr{0}), 65535), "0.0.0.0:65535");
}

// The same bytes in different families are different addresses.
TEST(WireIpAddr, FamilyIsPartOfEquality) {
  IpAddr a = IpAddr::from_v4(Ipv4Addr{0x0A000001});
  IpAddr b = a;
  b.v6 = true;
  EXPECT_NE(a, b);
  EXPECT_EQ(a, IpAddr::from_v4(Ipv4Addr{0x0A000001}));
}

// ---- split_address ----

// RFC 950 §2.1 / RFC 4632 §3.1: the prefix selects the network part; the rest is the host part.
TEST(WireSplitAddress, Slash24SplitsAtLastOctet) {
  const auto parts = split_address(*Ipv4Addr::parse("192.168.1.77"), 24);
  EXPECT_EQ(parts.network.to_string(), "192.168.1.0");
  EXPECT_EQ(parts.host.to_string(), "0.0.0.77");
}

// RFC 4632 §3.1: prefixes need not be on octet boundaries.
TEST(WireSplitAddress, NonOctetPrefixSplitsInsideAnOctet) {
  const auto parts = split_address(*Ipv4Addr::parse("172.16.35.10"), 20);
  EXPECT_EQ(parts.network.to_string(), "172.16.32.0");
  EXPECT_EQ(parts.host.to_string(), "0.0.3.10");
  const auto p30 = split_address(*Ipv4Addr::parse("10.1.2.7"), 30);
  EXPECT_EQ(p30.network.to_string(), "10.1.2.4");
  EXPECT_EQ(p30.host.to_string(), "0.0.0.3");
}

// /0 is all host and /32 is all network; out-of-range prefixes are clamped to those.
TEST(WireSplitAddress, EdgePrefixesAndClamping) {
  const Ipv4Addr a = *Ipv4Addr::parse("10.20.30.40");
  EXPECT_EQ(split_address(a, 0).network, Ipv4Addr{0});
  EXPECT_EQ(split_address(a, 0).host, a);
  EXPECT_EQ(split_address(a, 32).network, a);
  EXPECT_EQ(split_address(a, 32).host, Ipv4Addr{0});
  EXPECT_EQ(split_address(a, -5).network, Ipv4Addr{0});
  EXPECT_EQ(split_address(a, -5).host, a);
  EXPECT_EQ(split_address(a, 40).network, a);
  EXPECT_EQ(split_address(a, 40).host, Ipv4Addr{0});
}

// For every prefix length the two parts are disjoint and together give the address back.
TEST(WireSplitAddress, PartsAreDisjointAndRecombine) {
  test::XorShift64 rng(950);
  for (int i = 0; i < 200; ++i) {
    const Ipv4Addr a{static_cast<std::uint32_t>(rng.next())};
    for (int prefix = 0; prefix <= 32; ++prefix) {
      const auto parts = split_address(a, prefix);
      ASSERT_EQ(parts.network.value & parts.host.value, 0u) << a.to_string() << "/" << prefix;
      ASSERT_EQ(parts.network.value | parts.host.value, a.value) << a.to_string() << "/" << prefix;
      const auto host_bits = static_cast<std::uint32_t>((std::uint64_t{1} << (32 - prefix)) - 1);
      ASSERT_EQ(parts.host.value & ~host_bits, 0u) << a.to_string() << "/" << prefix;
    }
  }
}

// ---- IPv4 header ----

// RFC 791 §3.1: every header field is read from its fixed position.
TEST(WireIpv4, DecodesEveryField) {
  Buf p = sample_ipv4_packet();
  p[1] = 0xB8;  // DSCP EF; fix the checksum for the change
  p[10] = p[11] = 0;
  const std::uint16_t sum = internet_checksum(Bytes(p).first(20));
  p[10] = static_cast<std::uint8_t>(sum >> 8);
  p[11] = static_cast<std::uint8_t>(sum);
  const auto d = decode_ipv4(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  const Ipv4Header& h = d->header;
  EXPECT_EQ(h.header_len, 20);
  EXPECT_EQ(h.tos, 0xB8);
  EXPECT_EQ(h.total_length, 115);
  EXPECT_EQ(h.id, 0);
  EXPECT_TRUE(h.dont_fragment);
  EXPECT_FALSE(h.more_fragments);
  EXPECT_EQ(h.fragment_offset, 0);
  EXPECT_FALSE(h.is_fragment());
  EXPECT_EQ(h.ttl, 64);
  EXPECT_EQ(h.protocol, kIpProtoUdp);
  EXPECT_EQ(h.checksum, sum);
  EXPECT_EQ(h.src.to_string(), "192.168.0.1");
  EXPECT_EQ(h.dst.to_string(), "192.168.0.199");
  EXPECT_TRUE(d->checksum_ok);
  EXPECT_EQ(d->payload_offset, 20u);
  EXPECT_EQ(d->payload_len, 95u);
  EXPECT_FALSE(d->payload_truncated);
}

// RFC 791 §3.1: the header checksum covers the header only; a damaged header still decodes, flagged.
TEST(WireIpv4, BadHeaderChecksumIsFlaggedNotRejected) {
  Buf p = sample_ipv4_packet();
  p[8] = 63;  // TTL changed without updating the checksum
  const auto d = decode_ipv4(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_FALSE(d->checksum_ok);
  EXPECT_EQ(d->header.ttl, 63);
  Buf q = sample_ipv4_packet();
  q[40] ^= 0xFF;  // payload bytes are not covered
  EXPECT_TRUE(decode_ipv4(q)->checksum_ok);
}

// RFC 791 §3.1: Flags (DF, MF) and the 13-bit Fragment Offset share one 16-bit word.
TEST(WireIpv4, DecodesFragmentFields) {
  Buf p = sample_ipv4_packet();
  p[6] = 0x3F;  // MF set, DF clear, offset 0x1FFF
  p[7] = 0xFF;
  const auto d = decode_ipv4(p);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->header.dont_fragment);
  EXPECT_TRUE(d->header.more_fragments);
  EXPECT_EQ(d->header.fragment_offset, 0x1FFF);
  EXPECT_TRUE(d->header.is_fragment());
  p[6] = 0x00;  // last fragment: only the offset is set
  p[7] = 0xB9;
  const auto last = decode_ipv4(p);
  EXPECT_FALSE(last->header.more_fragments);
  EXPECT_EQ(last->header.fragment_offset, 185);
  EXPECT_TRUE(last->header.is_fragment());
}

// RFC 791 §3.1: IHL counts 32-bit words; options sit between the fixed header and the payload.
TEST(WireIpv4, HeaderWithOptionsMovesPayload) {
  Buf p{0x46, 0x00, 0x00, 0x20, 0x12, 0x34, 0x00, 0x00, 0x40, 0x06, 0x00, 0x00,
        10,   0,    0,    1,    10,   0,    0,    2,    0x94, 0x04, 0x00, 0x00};  // Router Alert option
  const std::uint16_t sum = internet_checksum(Bytes(p).first(24));
  p[10] = static_cast<std::uint8_t>(sum >> 8);
  p[11] = static_cast<std::uint8_t>(sum);
  for (int i = 0; i < 8; ++i) p.push_back(0xEE);
  const auto d = decode_ipv4(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->header.header_len, 24);
  EXPECT_EQ(d->header.id, 0x1234);
  EXPECT_EQ(d->header.protocol, kIpProtoTcp);
  EXPECT_TRUE(d->checksum_ok);
  EXPECT_EQ(d->payload_offset, 24u);
  EXPECT_EQ(d->payload_len, 8u);
}

// RFC 791 §3.1: Total Length bounds the datagram; Ethernet padding after it is not payload.
TEST(WireIpv4, TrailingPaddingIsNotPayload) {
  Buf p = sample_ipv4_packet();
  p.resize(p.size() + 10, 0x00);
  const auto d = decode_ipv4(p);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->payload_len, 95u);
  EXPECT_FALSE(d->payload_truncated);
}

// RFC 791 §3.1: a capture shorter than Total Length keeps what is there and says it is cut.
TEST(WireIpv4, ShortCaptureIsMarkedTruncated) {
  Buf p = sample_ipv4_packet();
  p.resize(50);
  const auto d = decode_ipv4(p);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->payload_truncated);
  EXPECT_EQ(d->payload_len, 30u);
  EXPECT_EQ(d->header.total_length, 115);
}

// RFC 791 §3.1: fewer than 20 bytes cannot hold the fixed header.
TEST(WireIpv4, ShortHeaderIsTruncatedError) {
  const Buf p = sample_ipv4_packet();
  for (std::size_t len = 0; len < 20; ++len) {
    const auto d = decode_ipv4(Bytes(p).first(len));
    ASSERT_FALSE(d.ok()) << len;
    EXPECT_EQ(d.error().where, "byte 0");
    EXPECT_EQ(d.error().reason, "IPv4 header truncated: " + std::to_string(len) + " of 20 bytes");
  }
}

// RFC 791 §3.1: the Version field must be 4.
TEST(WireIpv4, WrongVersionIsRejected) {
  Buf p = sample_ipv4_packet();
  p[0] = 0x65;
  const auto d = decode_ipv4(p);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().reason, "IP version 6 where 4 was expected");
}

// RFC 791 §3.1: the minimum IHL is 5 (20 bytes).
TEST(WireIpv4, HeaderLengthBelowMinimumIsRejected) {
  Buf p = sample_ipv4_packet();
  p[0] = 0x44;
  const auto d = decode_ipv4(p);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().where, "byte 0");
  EXPECT_EQ(d.error().reason, "IPv4 header length 16 is below the minimum of 20");
}

// RFC 791 §3.1: IHL may claim options the capture does not hold.
TEST(WireIpv4, OptionsPastCaptureAreTruncatedError) {
  Buf p = sample_ipv4_packet();
  p[0] = 0x4F;  // 60-byte header
  const auto d = decode_ipv4(Bytes(p).first(40));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().reason, "IPv4 header truncated: 40 of 60 bytes");
}

// RFC 791 §3.1: Total Length includes the header, so it cannot be smaller than IHL * 4.
TEST(WireIpv4, TotalLengthShorterThanHeaderIsRejected) {
  Buf p = sample_ipv4_packet();
  p[2] = 0x00;
  p[3] = 0x13;
  const auto d = decode_ipv4(p);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().where, "byte 2");
  EXPECT_EQ(d.error().reason, "IPv4 total length 19 is shorter than its header (20)");
}

// RFC 791 §3.1: encoding writes version/IHL 0x45, the total length and a verifying checksum.
TEST(WireIpv4, EncodeWritesExactBytes) {
  Ipv4Header h;
  h.tos = 0x00;
  h.id = 0;
  h.dont_fragment = true;
  h.ttl = 64;
  h.protocol = kIpProtoUdp;
  h.src = Ipv4Addr{0xC0A80001};
  h.dst = Ipv4Addr{0xC0A800C7};
  Buf out;
  encode_ipv4(h, 95, out);
  const Buf expected{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                     0xB8, 0x61, 0xC0, 0xA8, 0x00, 0x01, 0xC0, 0xA8, 0x00, 0xC7};
  EXPECT_EQ(out, expected);
}

// RFC 791 §3.1: the checksum covers only the new header even when appended after other bytes.
TEST(WireIpv4, EncodeAppendsAfterExistingBytes) {
  Buf out{0xDE, 0xAD, 0xBE};
  Ipv4Header h;
  h.id = 0xBEEF;
  h.dont_fragment = false;
  h.more_fragments = true;
  h.fragment_offset = 0x0ABC;
  h.ttl = 1;
  h.tos = 0x10;
  h.protocol = kIpProtoTcp;
  h.src = Ipv4Addr{0x0A000001};
  h.dst = Ipv4Addr{0x0A000002};
  encode_ipv4(h, 1000, out);
  ASSERT_EQ(out.size(), 23u);
  EXPECT_EQ(out[0], 0xDE);
  EXPECT_EQ(internet_checksum(Bytes(out).subspan(3)), 0);
  Buf packet(out.begin() + 3, out.end());
  packet.resize(20 + 1000, 0);
  const auto d = decode_ipv4(packet);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_TRUE(d->checksum_ok);
  EXPECT_EQ(d->header.tos, 0x10);
  EXPECT_EQ(d->header.total_length, 1020);
  EXPECT_EQ(d->header.id, 0xBEEF);
  EXPECT_FALSE(d->header.dont_fragment);
  EXPECT_TRUE(d->header.more_fragments);
  EXPECT_EQ(d->header.fragment_offset, 0x0ABC);
  EXPECT_EQ(d->header.ttl, 1);
  EXPECT_EQ(d->header.protocol, kIpProtoTcp);
  EXPECT_EQ(d->header.src, Ipv4Addr{0x0A000001});
  EXPECT_EQ(d->header.dst, Ipv4Addr{0x0A000002});
}

// RFC 791 §3.1: every seeded header encodes to bytes that decode back to the same fields.
TEST(WireIpv4, EncodeDecodeRoundTripsManySeeds) {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    test::XorShift64 rng(seed);
    Ipv4Header h;
    h.tos = rng.byte();
    h.id = static_cast<std::uint16_t>(rng.next());
    h.dont_fragment = rng.below(2) == 1;
    h.more_fragments = rng.below(2) == 1;
    h.fragment_offset = static_cast<std::uint16_t>(rng.below(0x2000));
    h.ttl = rng.byte();
    h.protocol = rng.byte();
    h.src = Ipv4Addr{static_cast<std::uint32_t>(rng.next())};
    h.dst = Ipv4Addr{static_cast<std::uint32_t>(rng.next())};
    const std::size_t payload = rng.below(1481);
    Buf out;
    encode_ipv4(h, payload, out);
    out.resize(out.size() + payload, 0x5A);
    const auto d = decode_ipv4(out);
    ASSERT_TRUE(d.ok()) << d.error().message();
    EXPECT_TRUE(d->checksum_ok);
    EXPECT_EQ(d->header.tos, h.tos);
    EXPECT_EQ(d->header.id, h.id);
    EXPECT_EQ(d->header.dont_fragment, h.dont_fragment);
    EXPECT_EQ(d->header.more_fragments, h.more_fragments);
    EXPECT_EQ(d->header.fragment_offset, h.fragment_offset);
    EXPECT_EQ(d->header.ttl, h.ttl);
    EXPECT_EQ(d->header.protocol, h.protocol);
    EXPECT_EQ(d->header.src, h.src);
    EXPECT_EQ(d->header.dst, h.dst);
    EXPECT_EQ(d->header.total_length, 20 + payload);
    EXPECT_EQ(d->payload_len, payload);
  }
}

// ---- IPv6 header ----

// RFC 8200 §3: version, traffic class, flow label, payload length, next header, hop limit, addresses.
TEST(WireIpv6, DecodesEveryField) {
  Buf p = ipv6_header(12, kIpProtoUdp);
  p.resize(p.size() + 12, 0x77);
  const auto d = decode_ipv6(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->traffic_class, 0xA5);
  EXPECT_EQ(d->flow_label, 0x12345u);
  EXPECT_EQ(d->payload_length, 12);
  EXPECT_EQ(d->next_header, kIpProtoUdp);
  EXPECT_EQ(d->hop_limit, 64);
  EXPECT_EQ(d->src.to_string(), "2001:db8::1");
  EXPECT_EQ(d->dst.to_string(), "2001:db8::2");
  EXPECT_TRUE(d->src.v6);
  EXPECT_EQ(d->checksum_dst, d->dst);
  EXPECT_FALSE(d->is_fragment);
  EXPECT_EQ(d->payload_offset, 40u);
  EXPECT_EQ(d->payload_len, 12u);
  EXPECT_FALSE(d->payload_truncated);
}

// RFC 8200 §3: fewer than 40 bytes cannot hold the fixed header.
TEST(WireIpv6, ShortHeaderIsTruncatedError) {
  const Buf p = ipv6_header(0, kIpProtoUdp);
  for (std::size_t len = 0; len < 40; ++len) {
    const auto d = decode_ipv6(Bytes(p).first(len));
    ASSERT_FALSE(d.ok()) << len;
    EXPECT_EQ(d.error().reason, "IPv6 header truncated: " + std::to_string(len) + " of 40 bytes");
  }
}

// RFC 8200 §3: the Version field must be 6.
TEST(WireIpv6, WrongVersionIsRejected) {
  Buf p = ipv6_header(0, kIpProtoUdp);
  p[0] = 0x4A;
  const auto d = decode_ipv6(p);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().where, "byte 0");
  EXPECT_EQ(d.error().reason, "IP version 4 where 6 was expected");
}

// RFC 8200 §4.3/§4.6: Hop-by-Hop and Destination Options are skipped by their length in 8-byte units.
TEST(WireIpv6, SkipsExtensionHeadersToTransport) {
  Buf p = ipv6_header(8 + 16 + 8, 0);
  append(p, Buf{60, 0, 1, 4, 0, 0, 0, 0});                                    // Hop-by-Hop, 8 bytes, PadN
  append(p, Buf{kIpProtoTcp, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});  // Destination Options, 16 bytes
  p.resize(p.size() + 8, 0xAA);
  const auto d = decode_ipv6(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->next_header, kIpProtoTcp);
  EXPECT_EQ(d->payload_offset, 64u);
  EXPECT_EQ(d->payload_len, 8u);
}

// RFC 4302 §2.2: the Authentication Header's length is in 4-byte units minus 2.
TEST(WireIpv6, AuthenticationHeaderUsesFourByteUnits) {
  Buf p = ipv6_header(24 + 8, 51);
  append(p, Buf{kIpProtoUdp, 4, 0, 0});  // 24 bytes: (4 + 2) * 4
  p.resize(40 + 24, 0x11);
  p.resize(p.size() + 8, 0x22);
  const auto d = decode_ipv6(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->next_header, kIpProtoUdp);
  EXPECT_EQ(d->payload_offset, 64u);
  EXPECT_EQ(d->payload_len, 8u);
}

// RFC 8200 §4.5: a first fragment (offset 0) still carries the transport header.
TEST(WireIpv6, FirstFragmentReachesTransport) {
  Buf p = ipv6_header(8 + 8, 44);
  append(p, Buf{kIpProtoUdp, 0, 0x00, 0x01, 0xDE, 0xAD, 0xBE, 0xEF});  // offset 0, M=1
  p.resize(p.size() + 8, 0x33);
  const auto d = decode_ipv6(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_TRUE(d->is_fragment);
  EXPECT_EQ(d->fragment_offset, 0);
  EXPECT_EQ(d->next_header, kIpProtoUdp);
  EXPECT_EQ(d->payload_offset, 48u);
}

// RFC 8200 §4.5: a non-first fragment's data is not parsed as further headers, even if it looks like one.
TEST(WireIpv6, NonFirstFragmentStopsHeaderChain) {
  Buf p = ipv6_header(8 + 8, 44);
  append(p, Buf{60, 0, 0x00, 0xB8, 0, 0, 0, 7});  // offset 23 (x8 bytes), next header Destination Options
  append(p, Buf{kIpProtoUdp, 0xFF, 0, 0, 0, 0, 0,
                0});  // fragment data that would claim 2 KiB as an option header
  const auto d = decode_ipv6(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_TRUE(d->is_fragment);
  EXPECT_EQ(d->fragment_offset, 23);
  EXPECT_EQ(d->next_header, 60);
  EXPECT_EQ(d->payload_offset, 48u);
  EXPECT_EQ(d->payload_len, 8u);
}

// RFC 8200 §8.1: with a type 0 Routing header and segments left, the pseudo-header uses the last address.
TEST(WireIpv6, RoutingHeaderGivesFinalDestinationForChecksum) {
  Buf p = ipv6_header(40 + 8, 43);
  append(p, Buf{kIpProtoUdp, 4, 0, 2, 0, 0, 0, 0});  // type 0, 2 addresses, segments left 2
  append(p, Buf{0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0A});
  append(p, Buf{0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0B});
  p.resize(p.size() + 8, 0);
  const auto d = decode_ipv6(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->dst.to_string(), "2001:db8::2");
  EXPECT_EQ(d->checksum_dst.to_string(), "2001:db8::b");
  EXPECT_EQ(d->next_header, kIpProtoUdp);
  EXPECT_EQ(d->payload_offset, 80u);
}

// RFC 8754 §2: in a Segment Routing Header the final segment is Segment List[0].
TEST(WireIpv6, SegmentRoutingHeaderUsesFirstListEntry) {
  Buf p = ipv6_header(40 + 8, 43);
  append(p, Buf{kIpProtoUdp, 4, 4, 1, 1, 0, 0, 0});  // type 4, 2 segments, segments left 1
  append(p, Buf{0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0C});
  append(p, Buf{0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0D});
  p.resize(p.size() + 8, 0);
  const auto d = decode_ipv6(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->checksum_dst.to_string(), "2001:db8::c");
  // RFC 8200 §8.1: with no segments left the destination field already is the final destination.
  p[40 + 3] = 0;
  EXPECT_EQ(decode_ipv6(p)->checksum_dst.to_string(), "2001:db8::2");
}

// RFC 8200 §4: an extension header must fit in the captured bytes.
TEST(WireIpv6, ExtensionHeaderPastCaptureIsTruncatedError) {
  Buf p = ipv6_header(16, 0);
  append(p, Buf{kIpProtoUdp, 0, 1, 4});
  const auto d = decode_ipv6(p);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().where, "byte 40");
  EXPECT_EQ(d.error().reason, "IPv6 extension header truncated");
}

// RFC 8200 §3: extension headers are part of the payload, so they cannot run past Payload Length.
TEST(WireIpv6, ExtensionHeaderPastPayloadLengthIsRejected) {
  Buf p = ipv6_header(8, 0);
  append(p, Buf{kIpProtoUdp, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});  // 16 bytes, payload says 8
  const auto d = decode_ipv6(p);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().where, "byte 56");
  EXPECT_EQ(d.error().reason, "IPv6 extension header runs past the payload length");
}

// RFC 8200 §4: a long header chain fits within Payload Length but not within the capture.
TEST(WireIpv6, ExtensionHeaderPastCapturedBytesIsRejected) {
  Buf p = ipv6_header(64, 0);
  append(p, Buf{kIpProtoUdp, 3, 0, 0, 0, 0, 0, 0});  // claims 32 bytes, only 8 captured
  const auto d = decode_ipv6(p);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().where, "byte 72");
  EXPECT_EQ(d.error().reason, "IPv6 extension headers run past the captured bytes");
}

// The header walk is bounded: a chain of 100 Hop-by-Hop headers stops after 64 without reading past the end.
TEST(WireIpv6, LongExtensionChainIsBounded) {
  Buf p = ipv6_header(100 * 8, 0);
  for (int i = 0; i < 100; ++i) append(p, Buf{0, 0, 1, 4, 0, 0, 0, 0});
  const auto d = decode_ipv6(p);
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_EQ(d->payload_offset, 40u + 64 * 8);
  EXPECT_EQ(d->next_header, 0);
  EXPECT_EQ(d->payload_len, 36u * 8);
}

// RFC 2675 §2: Payload Length 0 (a jumbogram) is taken to run to the end of the capture.
TEST(WireIpv6, ZeroPayloadLengthRunsToEndOfCapture) {
  Buf p = ipv6_header(0, kIpProtoUdp);
  p.resize(p.size() + 100, 0x01);
  const auto d = decode_ipv6(p);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->payload_len, 100u);
  EXPECT_FALSE(d->payload_truncated);
}

// RFC 8200 §3: a capture shorter than Payload Length is kept and marked as cut.
TEST(WireIpv6, ShortCaptureIsMarkedTruncated) {
  Buf p = ipv6_header(1000, kIpProtoTcp);
  p.resize(p.size() + 60, 0);
  const auto d = decode_ipv6(p);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->payload_truncated);
  EXPECT_EQ(d->payload_len, 60u);
}

// RFC 8200 §3: encoding writes the fixed 40-byte header exactly.
TEST(WireIpv6, EncodeWritesExactBytesAndRoundTrips) {
  Ipv6Decoded h;
  h.traffic_class = 0xA5;
  h.flow_label = 0x12345;
  h.next_header = kIpProtoUdp;
  h.hop_limit = 64;
  h.src = v6({0x2001, 0xDB8, 0, 0, 0, 0, 0, 1});
  h.dst = v6({0x2001, 0xDB8, 0, 0, 0, 0, 0, 2});
  Buf out;
  encode_ipv6(h, 12, out);
  EXPECT_EQ(out, ipv6_header(12, kIpProtoUdp));
  out.resize(out.size() + 12, 0);
  const auto d = decode_ipv6(out);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->traffic_class, 0xA5);
  EXPECT_EQ(d->flow_label, 0x12345u);
  EXPECT_EQ(d->payload_length, 12);
  EXPECT_EQ(d->src, h.src);
  EXPECT_EQ(d->dst, h.dst);
}

}  // namespace wire_ip_test
}  // namespace wirestep::wire
