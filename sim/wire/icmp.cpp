#include "sim/wire/icmp.hpp"

#include <algorithm>
#include <string>

#include "sim/wire/byte_error.hpp"
#include "sim/wire/checksum.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/ipv6.hpp"

namespace wirestep::wire {
namespace {

// RFC 4443 §2.4 (c): an ICMPv6 error quotes as much of the original as fits in the minimum MTU (1280).
constexpr std::size_t kIcmpv6MaxQuote = 1280 - kIpv6HeaderLen - kIcmpHeaderLen;
constexpr std::size_t kQuotedTransportBytes = 8;  // RFC 792: "the first 64 bits of the original data"

// The quoted packet is cut short by design, so a header that claims more than is quoted is normal here.
IcmpQuote decode_quote(Bytes q) {
  IcmpQuote out;
  out.state = QuoteState::Unreadable;
  if (q.empty()) return out;
  Bytes after;
  if ((q[0] >> 4) == 4) {
    auto v4 = decode_ipv4(q);
    if (!v4) return out;
    out.src = IpAddr::from_v4(v4->header.src);
    out.dst = IpAddr::from_v4(v4->header.dst);
    out.protocol = v4->header.protocol;
    // A non-first fragment starts with data, not a transport header.
    if (v4->header.fragment_offset == 0) after = q.subspan(v4->payload_offset, v4->payload_len);
  } else if ((q[0] >> 4) == 6) {
    auto v6 = decode_ipv6(q);
    if (!v6) return out;
    out.src = v6->src;
    out.dst = v6->dst;
    out.protocol = v6->next_header;
    if (v6->fragment_offset == 0) after = q.subspan(v6->payload_offset, v6->payload_len);
  } else {
    return out;
  }
  out.state = after.size() >= kQuotedTransportBytes ? QuoteState::Complete : QuoteState::TransportTruncated;
  if (out.protocol == kIpProtoUdp) {
    if (auto udp = decode_udp(after)) {
      out.has_ports = true;
      out.src_port = udp->src_port;
      out.dst_port = udp->dst_port;
      return out;
    }
  }
  // Only 8 bytes of a TCP header are quoted, too few for decode_tcp: the ports are its first four.
  if ((out.protocol == kIpProtoUdp || out.protocol == kIpProtoTcp) && after.size() >= 4) {
    out.has_ports = true;
    out.src_port = load_be16(after.data());
    out.dst_port = load_be16(after.data() + 2);
  }
  return out;
}

void write_message(std::uint8_t type, std::uint8_t code, std::uint32_t rest, Bytes body,
                   std::vector<std::uint8_t>& out) {
  ByteWriter w(out);
  w.u8(type);
  w.u8(code);
  w.be16(0);
  w.be32(rest);
  w.bytes(body);
}

}  // namespace

std::string_view to_string(QuoteState s) {
  switch (s) {
    case QuoteState::Complete:
      return "complete";
    case QuoteState::TransportTruncated:
      return "truncated: fewer than 8 bytes after the quoted IP header";
    case QuoteState::Unreadable:
      return "unreadable: no complete IP header quoted";
  }
  return "?";
}

bool IcmpMessage::is_echo() const {
  return v6 ? type == icmp6::kEchoRequest || type == icmp6::kEchoReply
            : type == icmp4::kEchoRequest || type == icmp4::kEchoReply;
}

bool IcmpMessage::is_error() const {
  if (v6) return type >= icmp6::kDestinationUnreachable && type <= icmp6::kParameterProblem;
  return type == icmp4::kDestinationUnreachable || type == icmp4::kSourceQuench || type == icmp4::kRedirect ||
         type == icmp4::kTimeExceeded || type == icmp4::kParameterProblem;
}

std::optional<std::uint32_t> IcmpMessage::mtu() const {
  if (v6 && type == icmp6::kPacketTooBig) return rest;  // RFC 4443 §3.2: 32-bit MTU
  if (!v6 && type == icmp4::kDestinationUnreachable && code == icmp4::kCodeFragmentationNeeded)
    return rest & 0xFFFF;  // RFC 1191 §4: the low-order 16 bits
  return std::nullopt;
}

Result<IcmpMessage> decode_icmp(Bytes message, std::size_t claimed_len, bool v6, const PseudoHeader& ph) {
  const char* name = v6 ? "ICMPv6" : "ICMP";
  const std::string claimed = std::to_string(claimed_len);
  if (claimed_len < kIcmpHeaderLen)
    return byte_error(
        0, std::string(name) + " message of " + claimed + " bytes is shorter than its 8-byte header",
        std::string(name) + " 报文只有 " + claimed + " 字节，比它 8 字节的头部还短");
  if (message.size() < kIcmpHeaderLen)
    return byte_error(
        0, std::string(name) + " header truncated: " + std::to_string(message.size()) + " of 8 bytes",
        std::string(name) + " 头部被截断：只有 " + std::to_string(message.size()) + " 字节，应有 8 字节");
  IcmpMessage m;
  m.v6 = v6;
  m.type = message[0];
  m.code = message[1];
  m.checksum = load_be16(message.data() + 2);
  m.rest = load_be32(message.data() + 4);
  m.body_len = claimed_len - kIcmpHeaderLen;
  const std::size_t present = std::min(message.size(), claimed_len);
  if (present == claimed_len) {
    if (v6) {
      PseudoHeader p = ph;
      p.protocol = kIpProtoIcmpv6;
      p.length = static_cast<std::uint32_t>(claimed_len);
      m.checksum_ok = verify_transport_checksum(p, message.first(claimed_len));
    } else {
      m.checksum_ok = internet_checksum(message.first(claimed_len)) == 0;
    }
  }
  const Bytes body = message.subspan(kIcmpHeaderLen, present - kIcmpHeaderLen);
  if (m.is_error()) m.quote = decode_quote(body);
  if (v6 && (m.type == icmp6::kNeighborSolicitation || m.type == icmp6::kNeighborAdvertisement)) {
    // RFC 4861 §4.3/§4.4: 4 reserved (or flag) bytes, then the 16-byte target address.
    if (claimed_len < kIcmpHeaderLen + 16) {
      const bool solicitation = m.type == icmp6::kNeighborSolicitation;
      return byte_error(kIcmpHeaderLen,
                        std::string("neighbour ") + (solicitation ? "solicitation" : "advertisement") +
                            " truncated: " + claimed + " of 24 bytes (the target address is missing)",
                        std::string(solicitation ? "邻居请求" : "邻居通告") + "被截断：只有 " + claimed +
                            " 字节，应有 24 字节（缺少目标地址）");
    }
    // A snapshot length may cut the capture short of the target: then it is unknown, not malformed.
    if (body.size() >= 16) {
      IpAddr target;
      target.v6 = true;
      std::copy_n(body.begin(), 16, target.bytes.begin());
      m.target = target;
    }
  }
  return m;
}

void encode_icmpv4(std::uint8_t type, std::uint8_t code, std::uint32_t rest, Bytes body,
                   std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  write_message(type, code, rest, body, out);
  ByteWriter(out).patch_be16(start + 2, internet_checksum(Bytes(out).subspan(start)));
}

void encode_icmpv6(const PseudoHeader& ph, std::uint8_t type, std::uint8_t code, std::uint32_t rest,
                   Bytes body, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  write_message(type, code, rest, body, out);
  PseudoHeader p = ph;
  p.protocol = kIpProtoIcmpv6;
  p.length = static_cast<std::uint32_t>(out.size() - start);
  ByteWriter(out).patch_be16(start + 2, transport_checksum(p, Bytes(out).subspan(start)));
}

Bytes icmp_quote_of(Bytes original) {
  if (original.empty()) return original;
  if ((original[0] >> 4) == 6) return original.first(std::min(original.size(), kIcmpv6MaxQuote));
  const std::size_t ihl = std::size_t{original[0] & 0x0Fu} * 4;
  return original.first(std::min(original.size(), ihl + kQuotedTransportBytes));
}

}  // namespace wirestep::wire
