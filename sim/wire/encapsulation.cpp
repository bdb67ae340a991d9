#include "sim/wire/encapsulation.hpp"

#include <string>

#include "sim/wire/byte_error.hpp"
#include "sim/wire/ethernet.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/ipv6.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep::wire {
namespace {

// RFC 2784 §2.1 / RFC 2890 §2: the C, K and S flags and the version in the first 16 bits. R (RFC 1701
// source routing) is not in RFC 2784; a header with it set is left undecoded, as Linux does.
constexpr std::uint16_t kGreChecksumFlag = 0x8000;
constexpr std::uint16_t kGreRoutingFlag = 0x4000;
constexpr std::uint16_t kGreKeyFlag = 0x2000;
constexpr std::uint16_t kGreSequenceFlag = 0x1000;
constexpr std::uint16_t kGreVersionMask = 0x0007;
constexpr std::size_t kGreBaseLen = 4;

// One frame's walk: a small state machine over "what comes next at `at`".
class Walker {
 public:
  Walker(Bytes frame, std::size_t wire_len, Encapsulation& out)
      : f_(frame), wire_len_(wire_len < frame.size() ? frame.size() : wire_len), out_(out) {}

  void run(EncapStart start, std::size_t offset, std::uint16_t first_type);

 private:
  enum class Next : std::uint8_t { Ethernet, EtherType, Ip, Stop };

  Next ethernet();
  Next ether_type();
  Next ip();
  Next pppoe();
  Next mpls();
  Next gre();
  Next vxlan();

  bool push(EncapKind kind, std::size_t offset, std::size_t length);
  bool enter_tunnel();
  Next fail(std::size_t byte, std::string reason, std::string reason_zh);
  // The content after a tunnel header is of a kind not walked into: the last IP packet read stands.
  Next give_up();

  std::size_t left() const { return f_.size() - at_; }

  Bytes f_;
  std::size_t wire_len_;
  Encapsulation& out_;
  std::size_t at_ = 0;
  std::uint16_t type_ = 0;
  std::size_t tags_ = 0;  // VLAN tags read since the last Ethernet header
  std::size_t levels_ = 0;
  // The last IP header that carried a tunnel, to fall back on: its offset, the layer count and tunnel levels
  // before it.
  std::optional<std::size_t> carrier_at_;
  std::size_t carrier_count_ = 0;
  std::size_t carrier_levels_ = 0;
};

std::string num(std::size_t n) {
  return std::to_string(n);
}

bool Walker::push(EncapKind kind, std::size_t offset, std::size_t length) {
  if (out_.count == out_.layers.size()) return false;
  out_.layers[out_.count++] =
      EncapLayer{kind, static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(length)};
  return true;
}

bool Walker::enter_tunnel() {
  return ++levels_ <= kMaxTunnelLevels;
}

Walker::Next Walker::fail(std::size_t byte, std::string reason, std::string reason_zh) {
  out_.error = byte_error(byte, std::move(reason), std::move(reason_zh));
  out_.ip_offset.reset();
  return Next::Stop;
}

Walker::Next Walker::give_up() {
  if (carrier_at_) {
    out_.count = carrier_count_;
    out_.ip_offset = carrier_at_;
    out_.tunnels = carrier_levels_;
  }
  return Next::Stop;
}

void Walker::run(EncapStart start, std::size_t offset, std::uint16_t first_type) {
  at_ = offset < f_.size() ? offset : f_.size();
  type_ = first_type;
  Next next = start == EncapStart::Ethernet    ? Next::Ethernet
              : start == EncapStart::EtherType ? Next::EtherType
                                               : Next::Ip;
  // Each step either consumes bytes or enters a level, and levels are capped: the bound is only a backstop.
  for (std::size_t steps = 0; next != Next::Stop && steps < 4 * kMaxEncapLayers; ++steps) {
    switch (next) {
      case Next::Ethernet:
        next = ethernet();
        break;
      case Next::EtherType:
        next = ether_type();
        break;
      case Next::Ip:
        next = ip();
        break;
      case Next::Stop:
        break;
    }
  }
}

Walker::Next Walker::ethernet() {
  if (left() < kEthernetHeaderLen)
    return fail(at_, "Ethernet header truncated: " + num(left()) + " of 14 bytes",
                "以太网头部被截断：只有 " + num(left()) + " 字节，应有 14 字节");
  if (!push(EncapKind::Ethernet, at_, kEthernetHeaderLen))
    return fail(at_, "too many nested headers", "嵌套的头部太多");
  type_ = load_be16(&f_[at_ + 12]);
  at_ += kEthernetHeaderLen;
  tags_ = 0;
  return Next::EtherType;
}

Walker::Next Walker::ether_type() {
  // IEEE 802.1Q / 802.1ad: at most two tags (QinQ); a third is an unknown payload type, as before.
  if ((type_ == kEtherTypeVlan || type_ == kEtherTypeQinQ) && tags_ < 2) {
    if (left() < 4) return fail(at_, "VLAN tag truncated", "VLAN 标签被截断");
    if (!push(EncapKind::VlanTag, at_, 4)) return fail(at_, "too many nested headers", "嵌套的头部太多");
    type_ = load_be16(&f_[at_ + 2]);
    at_ += 4;
    ++tags_;
    return Next::EtherType;
  }
  switch (type_) {
    case kEtherTypeIpv4:
    case kEtherTypeIpv6:
      return Next::Ip;
    case kEtherTypePppoeSession:
      return pppoe();
    case kEtherTypeMplsUnicast:
    case kEtherTypeMplsMulticast:
      return mpls();
    default:
      return give_up();
  }
}

// RFC 2516 §4: VER and TYPE are both 1, CODE is 0 in a session, LENGTH counts the PPP payload (protocol
// field included) and must fit in what was sent.
Walker::Next Walker::pppoe() {
  if (!enter_tunnel())
    return fail(at_, "more than " + num(kMaxTunnelLevels) + " nested tunnel headers",
                "嵌套的隧道头部超过 " + num(kMaxTunnelLevels) + " 层");
  if (left() < kPppoeHeaderLen + 2)
    return fail(at_, "PPPoE session header truncated: " + num(left()) + " of 8 bytes",
                "PPPoE 会话头部被截断：只有 " + num(left()) + " 字节，应有 8 字节");
  if (f_[at_] != 0x11)
    return fail(at_, "PPPoE version/type is not 1/1 (RFC 2516 §4)", "PPPoE 版本/类型不是 1/1（RFC 2516 §4）");
  if (f_[at_ + 1] != 0)
    return fail(at_ + 1, "PPPoE session frame with a non-zero code (RFC 2516 §4)",
                "PPPoE 会话帧的代码不为零（RFC 2516 §4）");
  const std::size_t length = load_be16(&f_[at_ + 4]);
  const std::size_t sent = wire_len_ - (at_ + kPppoeHeaderLen);
  if (length > sent)
    return fail(
        at_ + 4,
        "PPPoE length " + num(length) + " exceeds the " + num(sent) + " bytes that follow the PPPoE header",
        "PPPoE 长度 " + num(length) + " 超过了 PPPoE 头部之后的 " + num(sent) + " 字节");
  if (length < 2)
    return fail(at_ + 4, "PPPoE length " + num(length) + " leaves no room for the PPP protocol",
                "PPPoE 长度 " + num(length) + " 放不下 PPP 协议字段");
  if (!push(EncapKind::PppoeSession, at_, kPppoeHeaderLen + 2))
    return fail(at_, "too many nested headers", "嵌套的头部太多");
  const std::uint16_t protocol = load_be16(&f_[at_ + kPppoeHeaderLen]);
  at_ += kPppoeHeaderLen + 2;
  if (protocol == kPppProtocolIpv4 || protocol == kPppProtocolIpv6) return Next::Ip;
  return give_up();  // LCP, IPCP and other PPP control traffic
}

// RFC 3032 §2.1: label stack entries until the one with the bottom-of-stack bit; the payload type is not
// signalled, so the IP version nibble after the stack decides (as Linux and Wireshark do).
Walker::Next Walker::mpls() {
  if (!enter_tunnel())
    return fail(at_, "more than " + num(kMaxTunnelLevels) + " nested tunnel headers",
                "嵌套的隧道头部超过 " + num(kMaxTunnelLevels) + " 层");
  const std::size_t start = at_;
  for (;;) {
    if (left() < kMplsEntryLen)
      return fail(at_,
                  "MPLS label stack runs past the end of the frame without a bottom-of-stack entry "
                  "(RFC 3032 §2.1)",
                  "MPLS 标签栈一直延伸到帧尾，没有栈底标记的条目（RFC 3032 §2.1）");
    const bool bottom = (f_[at_ + 2] & 0x01) != 0;
    at_ += kMplsEntryLen;
    if (bottom) break;
  }
  if (!push(EncapKind::Mpls, start, at_ - start))
    return fail(start, "too many nested headers", "嵌套的头部太多");
  if (left() == 0) return fail(at_, "nothing after the MPLS label stack", "MPLS 标签栈之后没有内容");
  const int version = f_[at_] >> 4;
  if (version == 4 || version == 6) return Next::Ip;
  return give_up();  // a pseudowire or other non-IP payload
}

Walker::Next Walker::ip() {
  // Anything that is not a readable tunnel carrier is the packet: the shared IP decoder judges it.
  const auto is_packet = [this] {
    out_.ip_offset = at_;
    out_.tunnels = levels_;
    return Next::Stop;
  };
  if (left() == 0) return is_packet();
  std::size_t header_len = 0;
  std::uint8_t protocol = 0;
  EncapKind kind = EncapKind::OuterIpv4;
  if ((f_[at_] >> 4) == 4) {
    header_len = static_cast<std::size_t>(f_[at_] & 0x0F) * 4;
    if (header_len < kIpv4MinHeaderLen || left() < header_len) return is_packet();
    // A fragment holds only part of the tunnelled packet; it stays an IPv4 fragment (RFC 791 §3.2).
    if ((load_be16(&f_[at_ + 6]) & 0x3FFF) != 0) return is_packet();
    if (load_be16(&f_[at_ + 2]) < header_len) return is_packet();
    protocol = f_[at_ + 9];
  } else if ((f_[at_] >> 4) == 6) {
    header_len = kIpv6HeaderLen;
    if (left() < header_len) return is_packet();
    protocol = f_[at_ + 6];
    kind = EncapKind::OuterIpv6;
  } else {
    return is_packet();
  }
  const bool vxlan = protocol == kIpProtoUdp && left() >= header_len + kUdpHeaderLen &&
                     load_be16(&f_[at_ + header_len + 2]) == kVxlanUdpPort;
  if (protocol != kIpProtoIpInIp && protocol != kIpProtoIpv6InIp && protocol != kIpProtoGre && !vxlan)
    return is_packet();

  if (!enter_tunnel())
    return fail(at_, "more than " + num(kMaxTunnelLevels) + " nested tunnel headers",
                "嵌套的隧道头部超过 " + num(kMaxTunnelLevels) + " 层");
  carrier_at_ = at_;
  carrier_count_ = out_.count;
  carrier_levels_ = levels_ - 1;
  if (!push(kind, at_, header_len)) return fail(at_, "too many nested headers", "嵌套的头部太多");
  at_ += header_len;
  if (protocol == kIpProtoGre) return gre();
  if (vxlan) return this->vxlan();
  // RFC 2003 §3 / RFC 4213 §3.5: the inner IP header follows directly.
  if (left() == 0) return fail(at_, "tunnel carries no inner IP packet", "隧道里没有内层 IP 包");
  return Next::Ip;
}

Walker::Next Walker::gre() {
  if (!enter_tunnel())
    return fail(at_, "more than " + num(kMaxTunnelLevels) + " nested tunnel headers",
                "嵌套的隧道头部超过 " + num(kMaxTunnelLevels) + " 层");
  if (left() < kGreBaseLen)
    return fail(at_, "GRE header truncated: " + num(left()) + " of 4 bytes",
                "GRE 头部被截断：只有 " + num(left()) + " 字节，应有 4 字节");
  const std::uint16_t flags = load_be16(&f_[at_]);
  // Version 1 is PPTP's enhanced GRE (RFC 2637 §4.1), a different header; routing is RFC 1701's.
  if ((flags & kGreVersionMask) != 0 || (flags & kGreRoutingFlag) != 0) return give_up();
  const std::size_t len = kGreBaseLen + ((flags & kGreChecksumFlag) ? 4 : 0) +
                          ((flags & kGreKeyFlag) ? 4 : 0) + ((flags & kGreSequenceFlag) ? 4 : 0);
  if (left() < len)
    return fail(
        at_, "GRE header truncated: its flags announce " + num(len) + " bytes, " + num(left()) + " are left",
        "GRE 头部被截断：标志位表明有 " + num(len) + " 字节，只剩 " + num(left()) + " 字节");
  if (!push(EncapKind::Gre, at_, len)) return fail(at_, "too many nested headers", "嵌套的头部太多");
  type_ = load_be16(&f_[at_ + 2]);
  at_ += len;
  if (type_ == kEtherTypeTransparentBridging) return Next::Ethernet;
  tags_ = 0;
  return Next::EtherType;
}

// RFC 7348 §5: outer UDP, then 8 bytes of VXLAN (flags with the I bit, 24-bit VNI), then an Ethernet frame.
Walker::Next Walker::vxlan() {
  if (!push(EncapKind::VxlanUdp, at_, kUdpHeaderLen))
    return fail(at_, "too many nested headers", "嵌套的头部太多");
  at_ += kUdpHeaderLen;
  if (left() < kVxlanHeaderLen)
    return fail(at_, "VXLAN header truncated: " + num(left()) + " of 8 bytes",
                "VXLAN 头部被截断：只有 " + num(left()) + " 字节，应有 8 字节");
  if (!push(EncapKind::Vxlan, at_, kVxlanHeaderLen))
    return fail(at_, "too many nested headers", "嵌套的头部太多");
  at_ += kVxlanHeaderLen;
  return Next::Ethernet;
}

}  // namespace

Encapsulation walk_encapsulation(Bytes frame, std::size_t wire_len, EncapStart start, std::size_t offset,
                                 std::uint16_t ether_type) {
  Encapsulation out;
  Walker(frame, wire_len, out).run(start, offset, ether_type);
  return out;
}

}  // namespace wirestep::wire
