// ICMP (RFC 792) and ICMPv6 (RFC 4443, RFC 4861 neighbour discovery) through the shared packet decoder: echo
// id/seq/data, every error type with the original packet it quotes decoded into addresses and ports,
// checksums (ICMPv6 with the pseudo-header), and every truncated or malformed case named.
#include <gtest/gtest.h>

#include "sim/wire/checksum.hpp"
#include "sim/wire/icmp.hpp"
#include "sim/wire/ipv6.hpp"
#include "sim/wire/packet.hpp"

namespace wirestep {
namespace wire_icmp_test {

wire::Ipv4Addr a4(const char* s) {
  return *wire::Ipv4Addr::parse(s);
}

wire::IpAddr a6(std::uint8_t last) {
  wire::IpAddr a;
  a.v6 = true;
  a.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last};
  return a;
}

wire::EncodeIpv4 ip(const char* src, const char* dst) {
  wire::EncodeIpv4 e;
  e.ip.src = a4(src);
  e.ip.dst = a4(dst);
  return e;
}

std::vector<std::uint8_t> icmp4(const char* src, const char* dst, std::uint8_t type, std::uint8_t code,
                                std::uint32_t rest, wire::Bytes body) {
  std::vector<std::uint8_t> out;
  wire::encode_ipv4_icmp(ip(src, dst), type, code, rest, body, out);
  return out;
}

std::vector<std::uint8_t> udp4(const char* src, std::uint16_t sport, const char* dst, std::uint16_t dport) {
  std::vector<std::uint8_t> out;
  const std::vector<std::uint8_t> data(20, 'u');
  wire::encode_ipv4_udp(ip(src, dst), sport, dport, data, out);
  return out;
}

std::vector<std::uint8_t> icmp6(const wire::IpAddr& src, const wire::IpAddr& dst, std::uint8_t type,
                                std::uint8_t code, std::uint32_t rest, wire::Bytes body) {
  wire::Ipv6Decoded h;
  h.src = src;
  h.dst = dst;
  h.next_header = wire::kIpProtoIcmpv6;
  h.hop_limit = 64;
  std::vector<std::uint8_t> out;
  wire::encode_ipv6(h, wire::kIcmpHeaderLen + body.size(), out);
  wire::encode_icmpv6(wire::PseudoHeader{src, dst, wire::kIpProtoIcmpv6, 0}, type, code, rest, body, out);
  return out;
}

// RFC 792 "Echo or Echo Reply Message": identifier and sequence number in bytes 4-7, data echoed back.
TEST(WireIcmp, EchoRequestRoundTripsIdSequenceAndData) {
  const std::vector<std::uint8_t> data(56, 0x42);
  const auto pkt = icmp4("10.0.0.1", "10.0.0.2", wire::icmp4::kEchoRequest, 0, 0x1234'0007, data);
  auto d = wire::decode_ip_packet(pkt);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->transport, wire::Transport::Icmp);
  ASSERT_TRUE(d->icmp);
  EXPECT_EQ(d->icmp->type, 8);
  EXPECT_EQ(d->icmp->id(), 0x1234);
  EXPECT_EQ(d->icmp->seq(), 7);
  EXPECT_TRUE(d->icmp->is_echo());
  EXPECT_FALSE(d->icmp->is_error());
  EXPECT_EQ(d->icmp->checksum_ok, true);
  EXPECT_EQ(d->transport_checksum_ok, true);
  EXPECT_EQ(d->payload_offset, 28u);
  EXPECT_EQ(d->payload_len, 56u);
}

// RFC 792: the checksum is the ones' complement sum of the whole ICMP message; one flipped bit shows.
TEST(WireIcmp, FlippedDataBitMakesTheChecksumWrong) {
  auto pkt = icmp4("10.0.0.1", "10.0.0.2", wire::icmp4::kEchoReply, 0, 1, std::vector<std::uint8_t>(8, 1));
  pkt.back() ^= 0x10;
  auto d = wire::decode_ip_packet(pkt);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->icmp->checksum_ok, false);
  EXPECT_EQ(d->transport_checksum_ok, false);
}

// RFC 792 "Destination Unreachable Message": the IP header and the first 64 bits of the original datagram.
TEST(WireIcmp, PortUnreachableQuotesTheUdpDatagramsAddressesAndPorts) {
  const auto original = udp4("10.0.0.1", 5000, "10.0.0.2", 9);
  const wire::Bytes quote = wire::icmp_quote_of(original);
  EXPECT_EQ(quote.size(), 28u);
  const auto pkt = icmp4("10.0.0.2", "10.0.0.1", wire::icmp4::kDestinationUnreachable, 3, 0, quote);
  auto d = wire::decode_ip_packet(pkt);
  ASSERT_TRUE(d) << d.error().message();
  ASSERT_TRUE(d->icmp && d->icmp->quote);
  const wire::IcmpQuote& q = *d->icmp->quote;
  EXPECT_TRUE(d->icmp->is_error());
  EXPECT_EQ(q.state, wire::QuoteState::Complete);
  EXPECT_EQ(q.protocol, wire::kIpProtoUdp);
  EXPECT_EQ(q.src.to_string(), "10.0.0.1");
  EXPECT_EQ(q.dst.to_string(), "10.0.0.2");
  EXPECT_TRUE(q.has_ports);
  EXPECT_EQ(q.src_port, 5000);
  EXPECT_EQ(q.dst_port, 9);
  EXPECT_EQ(d->icmp->checksum_ok, true);
}

// Only 8 bytes of a TCP header are quoted: too few for a TCP header, enough for the ports.
TEST(WireIcmp, HostUnreachableQuotingTcpFindsThePortsInTheFirstEightBytes) {
  wire::TcpHeader t;
  t.src_port = 40000;
  t.dst_port = 80;
  t.flags = wire::tcp_flag::kSyn;
  std::vector<std::uint8_t> original;
  wire::encode_ipv4_tcp(ip("10.0.0.1", "192.0.2.9"), t, {}, original);
  const auto pkt = icmp4("10.0.0.254", "10.0.0.1", wire::icmp4::kDestinationUnreachable, 1, 0,
                         wire::icmp_quote_of(original));
  auto d = wire::decode_ip_packet(pkt);
  ASSERT_TRUE(d);
  const wire::IcmpQuote& q = *d->icmp->quote;
  EXPECT_EQ(q.protocol, wire::kIpProtoTcp);
  EXPECT_EQ(q.src_port, 40000);
  EXPECT_EQ(q.dst_port, 80);
  EXPECT_EQ(q.dst.to_string(), "192.0.2.9");
}

// RFC 792 codes 0-5 and RFC 1812 §5.2.7.1 code 13 all quote the original; RFC 1191 §4: code 4 carries the
// next-hop MTU in the low 16 bits of the second word.
TEST(WireIcmp, DestinationUnreachableCodesRoundTripAndFragmentationNeededCarriesTheMtu) {
  const auto original = udp4("10.0.0.1", 5000, "10.0.0.2", 9);
  for (std::uint8_t code : {0, 1, 2, 3, 4, 5, 13}) {
    const std::uint32_t rest = code == 4 ? 1400 : 0;
    const auto pkt = icmp4("10.0.0.2", "10.0.0.1", wire::icmp4::kDestinationUnreachable, code, rest,
                           wire::icmp_quote_of(original));
    auto d = wire::decode_ip_packet(pkt);
    ASSERT_TRUE(d) << int{code};
    EXPECT_EQ(d->icmp->code, code);
    EXPECT_EQ(d->icmp->checksum_ok, true);
    ASSERT_TRUE(d->icmp->quote);
    EXPECT_EQ(d->icmp->quote->dst_port, 9);
    if (code == 4) {
      EXPECT_EQ(d->icmp->mtu(), 1400u);
    } else {
      EXPECT_FALSE(d->icmp->mtu());
    }
  }
}

// RFC 792 "Time Exceeded Message", code 0: TTL exceeded in transit, here for a ping.
TEST(WireIcmp, TimeExceededQuotesAnEchoRequest) {
  std::vector<std::uint8_t> original;
  wire::encode_ipv4_icmp(ip("10.0.0.1", "198.51.100.7"), wire::icmp4::kEchoRequest, 0, 0x0001'0001,
                         std::vector<std::uint8_t>(32, 0), original);
  const auto pkt =
      icmp4("10.0.0.254", "10.0.0.1", wire::icmp4::kTimeExceeded, 0, 0, wire::icmp_quote_of(original));
  auto d = wire::decode_ip_packet(pkt);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->icmp->is_error());
  EXPECT_EQ(d->icmp->quote->protocol, wire::kIpProtoIcmp);
  EXPECT_FALSE(d->icmp->quote->has_ports);
  EXPECT_EQ(d->icmp->quote->dst.to_string(), "198.51.100.7");
}

// A quote cut short is normal (the error says what it could): named, never an error of the outer packet.
TEST(WireIcmp, TruncatedQuoteIsNamedAndTheMessageStillDecodes) {
  const auto original = udp4("10.0.0.1", 5000, "10.0.0.2", 9);
  struct Case {
    std::size_t quoted;
    wire::QuoteState state;
    bool ports;
  };
  for (const Case c :
       {Case{24, wire::QuoteState::TransportTruncated, true},
        Case{22, wire::QuoteState::TransportTruncated, false},
        Case{20, wire::QuoteState::TransportTruncated, false}, Case{10, wire::QuoteState::Unreadable, false},
        Case{0, wire::QuoteState::Unreadable, false}}) {
    const auto pkt = icmp4("10.0.0.2", "10.0.0.1", wire::icmp4::kDestinationUnreachable, 3, 0,
                           wire::Bytes(original.data(), c.quoted));
    auto d = wire::decode_ip_packet(pkt);
    ASSERT_TRUE(d) << c.quoted;
    ASSERT_TRUE(d->icmp->quote);
    EXPECT_EQ(d->icmp->quote->state, c.state) << c.quoted;
    EXPECT_EQ(d->icmp->quote->has_ports, c.ports) << c.quoted;
    EXPECT_EQ(d->icmp->checksum_ok, true);
  }
  EXPECT_NE(wire::to_string(wire::QuoteState::TransportTruncated).find("truncated"), std::string::npos);
}

TEST(WireIcmp, HeaderShorterThanEightBytesIsNamed) {
  // The IP header claims a 4-byte ICMP message.
  std::vector<std::uint8_t> pkt;
  wire::Ipv4Header h;
  h.src = a4("10.0.0.1");
  h.dst = a4("10.0.0.2");
  h.protocol = wire::kIpProtoIcmp;
  wire::encode_ipv4(h, 4, pkt);
  pkt.insert(pkt.end(), {8, 0, 0, 0});
  auto d = wire::decode_ip_packet(pkt);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().where, "byte 20");
  EXPECT_NE(d.error().reason.find("shorter than its 8-byte header"), std::string::npos) << d.error().reason;
  // The header claims 64 bytes, the capture holds 5 of them.
  auto full = icmp4("10.0.0.1", "10.0.0.2", 8, 0, 1, std::vector<std::uint8_t>(56, 0));
  full.resize(25);
  auto cut = wire::decode_ip_packet(full);
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().reason.find("ICMP header truncated: 5 of 8 bytes"), std::string::npos)
      << cut.error().reason;
}

TEST(WireIcmp, MessageCutByTheSnapshotLengthHasAnUnknownChecksum) {
  auto pkt = icmp4("10.0.0.1", "10.0.0.2", 8, 0, 1, std::vector<std::uint8_t>(56, 0));
  pkt.resize(40);
  auto d = wire::decode_ip_packet(pkt);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->truncated);
  EXPECT_FALSE(d->icmp->checksum_ok);
  EXPECT_EQ(d->icmp->id(), 0);
  EXPECT_EQ(d->icmp->seq(), 1);
}

// RFC 4443 §2.3: the ICMPv6 checksum covers the IPv6 pseudo-header, so changing an address breaks it.
TEST(WireIcmpv6, EchoChecksumCoversThePseudoHeader) {
  auto pkt = icmp6(a6(1), a6(2), wire::icmp6::kEchoRequest, 0, 0x00AB'0003, std::vector<std::uint8_t>(16, 7));
  auto d = wire::decode_ip_packet(pkt);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->transport, wire::Transport::Icmp);
  EXPECT_TRUE(d->icmp->v6);
  EXPECT_EQ(d->icmp->id(), 0xAB);
  EXPECT_EQ(d->icmp->seq(), 3);
  EXPECT_EQ(d->icmp->checksum_ok, true);
  pkt[8 + 15] ^= 0x01;  // the source address's last byte: only the pseudo-header sees it
  EXPECT_EQ(wire::decode_ip_packet(pkt)->icmp->checksum_ok, false);
}

// RFC 4443 §3.1 (port unreachable, code 4) and §3.2 (packet too big, 32-bit MTU), quoting an IPv6 datagram.
TEST(WireIcmpv6, ErrorsQuoteTheIpv6DatagramAndPacketTooBigCarriesTheMtu) {
  wire::Ipv6Decoded h;
  h.src = a6(1);
  h.dst = a6(2);
  h.next_header = wire::kIpProtoUdp;
  std::vector<std::uint8_t> original;
  wire::encode_ipv6(h, wire::kUdpHeaderLen + 4, original);
  wire::encode_udp(wire::PseudoHeader{h.src, h.dst, wire::kIpProtoUdp, 0}, 5353, 53,
                   std::vector<std::uint8_t>(4, 1), original);
  const auto unreachable =
      icmp6(a6(2), a6(1), wire::icmp6::kDestinationUnreachable, 4, 0, wire::icmp_quote_of(original));
  auto d = wire::decode_ip_packet(unreachable);
  ASSERT_TRUE(d);
  ASSERT_TRUE(d->icmp->quote);
  EXPECT_EQ(d->icmp->quote->state, wire::QuoteState::Complete);
  EXPECT_EQ(d->icmp->quote->src, a6(1));
  EXPECT_EQ(d->icmp->quote->dst_port, 53);
  EXPECT_EQ(d->icmp->checksum_ok, true);
  const auto too_big =
      icmp6(a6(9), a6(1), wire::icmp6::kPacketTooBig, 0, 1280, wire::icmp_quote_of(original));
  auto big = wire::decode_ip_packet(too_big);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->icmp->mtu(), 1280u);
  EXPECT_TRUE(big->icmp->is_error());
  const auto exceeded = icmp6(a6(9), a6(1), wire::icmp6::kTimeExceeded, 0, 0, wire::icmp_quote_of(original));
  EXPECT_EQ(wire::decode_ip_packet(exceeded)->icmp->quote->src_port, 5353);
}

// RFC 4861 §4.3: reserved word, then the target address the sender asks about.
TEST(WireIcmpv6, NeighbourSolicitationTargetIsDecodedAndATruncatedOneIsNamed) {
  // The target, then a source link-layer address option (RFC 4861 §4.6.1).
  std::vector<std::uint8_t> body(24, 0);
  const wire::IpAddr target = a6(2);
  std::copy(target.bytes.begin(), target.bytes.end(), body.begin());
  body[16] = 1;
  body[17] = 1;
  const auto ns = icmp6(a6(1), a6(0xff), wire::icmp6::kNeighborSolicitation, 0, 0, body);
  auto d = wire::decode_ip_packet(ns);
  ASSERT_TRUE(d);
  ASSERT_TRUE(d->icmp->target);
  EXPECT_EQ(*d->icmp->target, target);
  EXPECT_EQ(d->icmp->checksum_ok, true);
  const auto na = icmp6(a6(2), a6(1), wire::icmp6::kNeighborAdvertisement, 0, 0x6000'0000, body);
  EXPECT_EQ(*wire::decode_ip_packet(na)->icmp->target, target);
  const auto cut =
      icmp6(a6(1), a6(0xff), wire::icmp6::kNeighborSolicitation, 0, 0, wire::Bytes(body.data(), 10));
  auto bad = wire::decode_ip_packet(cut);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().reason.find("neighbour solicitation truncated"), std::string::npos)
      << bad.error().reason;
  EXPECT_EQ(bad.error().where, "byte 48");
}

// ICMP is decoded only where the IP version says so: protocol 58 in IPv4 is not ICMPv6.
TEST(WireIcmp, Protocol58InIpv4IsNotDecodedAsIcmpv6) {
  std::vector<std::uint8_t> pkt;
  wire::Ipv4Header h;
  h.src = a4("10.0.0.1");
  h.dst = a4("10.0.0.2");
  h.protocol = wire::kIpProtoIcmpv6;
  wire::encode_ipv4(h, 8, pkt);
  pkt.insert(pkt.end(), 8, 0);
  auto d = wire::decode_ip_packet(pkt);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->transport, wire::Transport::Other);
  EXPECT_FALSE(d->icmp);
}

// Hostile input: every single-byte change of a port-unreachable packet decodes or is rejected, never crashes,
// and a decoded quote never claims ports it could not read.
TEST(WireIcmp, SingleByteMutationsOfAnErrorPacketNeverCrash) {
  const auto original = udp4("10.0.0.1", 5000, "10.0.0.2", 9);
  const auto pkt = icmp4("10.0.0.2", "10.0.0.1", wire::icmp4::kDestinationUnreachable, 3, 0,
                         wire::icmp_quote_of(original));
  std::size_t decoded = 0, rejected = 0;
  for (std::size_t i = 0; i < pkt.size(); ++i) {
    for (std::uint8_t v : {0x00, 0x01, 0x45, 0x7f, 0x80, 0xff}) {
      auto m = pkt;
      m[i] = v;
      auto d = wire::decode_ip_packet(m);
      if (!d) {
        ++rejected;
        EXPECT_FALSE(d.error().reason.empty());
        continue;
      }
      ++decoded;
      if (d->icmp && d->icmp->quote && d->icmp->quote->state == wire::QuoteState::Unreadable) {
        EXPECT_FALSE(d->icmp->quote->has_ports);
      }
    }
  }
  EXPECT_GT(decoded, 0u);
  EXPECT_GT(rejected, 0u);
}

}  // namespace wire_icmp_test
}  // namespace wirestep
