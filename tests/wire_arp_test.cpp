// ARP (RFC 826) for Ethernet/IPv4: what a request and a reply carry, that encoding and decoding agree, and
// that every malformed or truncated packet is rejected with its reason named.
#include <gtest/gtest.h>

#include "sim/wire/arp.hpp"
#include "sim/wire/ethernet.hpp"

namespace wirestep {
namespace wire_arp_test {

wire::ArpPacket request() {
  wire::ArpPacket a;
  a.op = static_cast<std::uint16_t>(wire::ArpOp::Request);
  a.sender_mac = wire::sim_mac(1);
  a.sender_ip = *wire::Ipv4Addr::parse("192.168.245.1");
  a.target_ip = *wire::Ipv4Addr::parse("192.168.245.2");
  return a;
}

std::vector<std::uint8_t> body(const wire::ArpPacket& a) {
  std::vector<std::uint8_t> out;
  wire::encode_arp_body(a, out);
  return out;
}

// RFC 826 "Packet format": hrd 1 (Ethernet), pro 0x0800, hln 6, pln 4, op, sha, spa, tha, tpa.
TEST(WireArp, RequestHasTheRfc826LayoutAndRoundTrips) {
  const auto bytes = body(request());
  ASSERT_EQ(bytes.size(), wire::kArpEthernetIpv4Len);
  EXPECT_EQ(bytes[0], 0);
  EXPECT_EQ(bytes[1], 1);
  EXPECT_EQ(bytes[2], 0x08);
  EXPECT_EQ(bytes[3], 0x00);
  EXPECT_EQ(bytes[4], 6);
  EXPECT_EQ(bytes[5], 4);
  EXPECT_EQ(bytes[7], 1);
  EXPECT_EQ(bytes[14], 192);
  EXPECT_EQ(bytes[27], 2);
  auto back = wire::decode_arp(bytes);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, request());
}

TEST(WireArp, ReplyRoundTripsWithBothMacs) {
  wire::ArpPacket r;
  r.op = static_cast<std::uint16_t>(wire::ArpOp::Reply);
  r.sender_mac = wire::sim_mac(2);
  r.sender_ip = *wire::Ipv4Addr::parse("10.0.0.2");
  r.target_mac = wire::sim_mac(1);
  r.target_ip = *wire::Ipv4Addr::parse("10.0.0.1");
  auto back = wire::decode_arp(body(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, r);
}

// RFC 826: a request is broadcast; the reply goes to the asker. Ethernet pads frames to 60 bytes.
TEST(WireArp, RequestFrameIsBroadcastAndPaddedToTheEthernetMinimum) {
  std::vector<std::uint8_t> frame;
  wire::encode_arp(request(), frame);
  ASSERT_EQ(frame.size(), 60u);
  auto eth = wire::decode_ethernet(frame);
  ASSERT_TRUE(eth);
  EXPECT_EQ(eth->dst, wire::kBroadcastMac);
  EXPECT_EQ(eth->src, wire::sim_mac(1));
  EXPECT_EQ(eth->ether_type, wire::kEtherTypeArp);
  wire::ArpPacket reply = request();
  reply.op = 2;
  reply.target_mac = wire::sim_mac(7);
  frame.clear();
  wire::encode_arp(reply, frame);
  EXPECT_EQ(wire::decode_ethernet(frame)->dst, wire::sim_mac(7));
}

TEST(WireArp, UnknownOperationIsKeptNotRejected) {
  wire::ArpPacket a = request();
  a.op = 9;
  auto back = wire::decode_arp(body(a));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->op, 9);
}

TEST(WireArp, EveryTruncationIsNamed) {
  const auto bytes = body(request());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto r = wire::decode_arp(wire::Bytes(bytes.data(), n));
    ASSERT_FALSE(r) << n << " bytes decoded";
    EXPECT_NE(r.error().reason.find("truncated"), std::string::npos) << r.error().reason;
    EXPECT_NE(r.error().reason.find(n < 8 ? "of 8 bytes" : "of 28 bytes"), std::string::npos)
        << r.error().reason;
  }
}

TEST(WireArp, OtherHardwareProtocolOrLengthsAreNamed) {
  struct Case {
    std::size_t at;
    std::uint8_t value;
    const char* reason;
    const char* where;
  };
  for (const Case c : {Case{1, 6, "hardware type 6 is not Ethernet", "byte 0"},
                       Case{2, 0x86, "protocol type 0x86dd is not IPv4", "byte 2"},
                       Case{4, 8, "hardware address length 8 is not 6", "byte 4"},
                       Case{5, 16, "protocol address length 16 is not 4", "byte 5"}}) {
    auto bytes = body(request());
    bytes[c.at] = c.value;
    if (c.at == 2) bytes[3] = 0xdd;
    auto r = wire::decode_arp(bytes);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().reason.find(c.reason), std::string::npos) << r.error().reason;
    EXPECT_EQ(r.error().where, c.where);
  }
}

}  // namespace wire_arp_test
}  // namespace wirestep
