#include "sim/analysis/packet_fields.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "sim/analysis/icmp_arp_fields.hpp"
#include "sim/scenario/text_encoding.hpp"
#include "sim/wire/arp.hpp"
#include "sim/wire/encapsulation.hpp"
#include "sim/wire/ethernet.hpp"
#include "sim/wire/icmp.hpp"
#include "sim/wire/ip_addr.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/ipv6.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {
namespace {

std::uint16_t be16(std::span<const std::uint8_t> b, std::size_t o) {
  return static_cast<std::uint16_t>(b[o] << 8 | b[o + 1]);
}
std::uint32_t be32(std::span<const std::uint8_t> b, std::size_t o) {
  return static_cast<std::uint32_t>(b[o]) << 24 | static_cast<std::uint32_t>(b[o + 1]) << 16 |
         static_cast<std::uint32_t>(b[o + 2]) << 8 | b[o + 3];
}

std::string fmt(const char* f, auto... args) {
  char buf[160];
  std::snprintf(buf, sizeof buf, f, args...);
  return buf;
}

std::string mac(std::span<const std::uint8_t> b, std::size_t o) {
  return fmt("%02x:%02x:%02x:%02x:%02x:%02x", b[o], b[o + 1], b[o + 2], b[o + 3], b[o + 4], b[o + 5]);
}

// "10.0.0.2  (network 10.0.0.0/24, host 0.0.0.2)"
std::string address_parts(wire::Ipv4Addr a, int prefix, const FrameContext& ctx) {
  std::string s = a.to_string();
  if (prefix < 0 || prefix > 32) return s;
  const wire::AddressParts parts = wire::split_address(a, prefix);
  s += ctx.chinese ? fmt("（网络号 %s/%d，主机号 %s）", parts.network.to_string().c_str(), prefix,
                         parts.host.to_string().c_str())
                   : fmt("  (network %s/%d, host %s)", parts.network.to_string().c_str(), prefix,
                         parts.host.to_string().c_str());
  return s;
}

const char* proto_name(std::uint8_t p) {
  switch (p) {
    case wire::kIpProtoTcp:
      return "TCP";
    case wire::kIpProtoUdp:
      return "UDP";
    case wire::kIpProtoIcmp:
      return "ICMP";
    case wire::kIpProtoIcmpv6:
      return "ICMPv6";
    default:
      return "?";
  }
}

void tcp_options(std::span<const std::uint8_t> f, std::size_t start, std::size_t end,
                 std::vector<Field>& out) {
  std::size_t p = start;
  while (p < end) {
    const std::uint8_t kind = f[p];
    if (kind == 0) {
      out.push_back({Layer::Transport, false, "option", "End of option list", static_cast<std::uint32_t>(p),
                     static_cast<std::uint32_t>(end - p)});
      return;
    }
    if (kind == 1) {
      out.push_back({Layer::Transport, false, "option", "NOP (padding)", static_cast<std::uint32_t>(p), 1});
      ++p;
      continue;
    }
    if (p + 1 >= end || f[p + 1] < 2 || p + f[p + 1] > end) {
      out.push_back({Layer::Transport, false, "option", "malformed (length runs past the header)",
                     static_cast<std::uint32_t>(p), static_cast<std::uint32_t>(end - p)});
      return;
    }
    const std::uint8_t len = f[p + 1];
    std::string v;
    switch (kind) {
      case 2:
        v = len == 4 ? fmt("MSS %u bytes (RFC 9293 §3.7.1)", be16(f, p + 2)) : "MSS (bad length)";
        break;
      case 3:
        v = len == 3 ? fmt("window scale %u: multiply by %u (RFC 7323 §2)", f[p + 2],
                           1u << std::min<unsigned>(f[p + 2], 14))
                     : "window scale (bad length)";
        break;
      case 4:
        v = "SACK permitted (RFC 2018)";
        break;
      case 5: {
        v = "SACK";
        for (std::size_t b = p + 2; b + 8 <= p + len; b += 8)
          v += fmt(" %" PRIu32 "-%" PRIu32, be32(f, b), be32(f, b + 4));
        break;
      }
      case 8:
        v = len == 10 ? fmt("timestamps TSval %" PRIu32 " TSecr %" PRIu32 " (RFC 7323 §3)", be32(f, p + 2),
                            be32(f, p + 6))
                      : "timestamps (bad length)";
        break;
      default:
        v = fmt("kind %u, %u bytes", kind, len);
        break;
    }
    out.push_back({Layer::Transport, false, "option", v, static_cast<std::uint32_t>(p), len});
    p += len;
  }
}

}  // namespace

PayloadText decode_payload(std::span<const std::uint8_t> payload) {
  PayloadText t;
  if (payload.empty()) return t;
  const std::vector<std::uint8_t> bytes(payload.begin(), payload.end());
  auto is_text = [](const std::string& s) {
    for (unsigned char c : s)
      if (c < 0x20 && c != '\r' && c != '\n' && c != '\t') return false;
    return true;
  };
  if (auto u = decode_text_strict(bytes, "utf-8"); u && is_text(*u)) {
    t.text = escape_control_chars(*u);
    t.encoding = PayloadText::Encoding::Utf8;
  } else if (auto g = decode_text_strict(bytes, "gbk"); g && is_text(*g)) {
    t.text = escape_control_chars(*g);
    t.encoding = PayloadText::Encoding::Gbk;
  } else {
    t.encoding = PayloadText::Encoding::Binary;
  }
  return t;
}

namespace {

const char* tx(const FrameContext& ctx, const char* en, const char* zh) {
  return ctx.chinese ? zh : en;
}

std::uint32_t u32(std::size_t v) {
  return static_cast<std::uint32_t>(v);
}

const char* ether_type_name(std::uint16_t t, const FrameContext& ctx) {
  switch (t) {
    case wire::kEtherTypeIpv4:
      return "IPv4";
    case wire::kEtherTypeIpv6:
      return "IPv6";
    case wire::kEtherTypeVlan:
      return "802.1Q VLAN";
    case wire::kEtherTypeQinQ:
      return "802.1ad VLAN";
    case wire::kEtherTypePppoeSession:
      return tx(ctx, "PPPoE session", "PPPoE 会话");
    case wire::kEtherTypeMplsUnicast:
      return "MPLS";
    case wire::kEtherTypeMplsMulticast:
      return tx(ctx, "MPLS multicast", "MPLS 组播");
    case wire::kEtherTypeTransparentBridging:
      return tx(ctx, "Ethernet (bridged)", "以太网（桥接）");
    case wire::kEtherTypeArp:
      return "ARP";
    default:
      return tx(ctx, "other", "其他");
  }
}

void ethernet_fields(std::span<const std::uint8_t> f, std::size_t o, const FrameContext& ctx,
                     std::vector<Field>& out) {
  const std::uint16_t type = be16(f, o + 12);
  out.push_back({Layer::Link, true, "Ethernet II", fmt("%s → %s", mac(f, o + 6).c_str(), mac(f, o).c_str()),
                 u32(o), 14});
  out.push_back({Layer::Link, false, "destination MAC", mac(f, o), u32(o), 6});
  out.push_back({Layer::Link, false, "source MAC", mac(f, o + 6), u32(o + 6), 6});
  out.push_back(
      {Layer::Link, false, "type", fmt("0x%04x (%s)", type, ether_type_name(type, ctx)), u32(o + 12), 2});
}

// IEEE 802.1Q: the tag's TPID is the type field before it; the TCI holds priority, drop eligibility, VLAN id.
void vlan_fields(std::span<const std::uint8_t> f, std::size_t o, const FrameContext& ctx,
                 std::vector<Field>& out) {
  const std::uint16_t tci = be16(f, o), type = be16(f, o + 2);
  const bool outer = o >= 2 && be16(f, o - 2) == wire::kEtherTypeQinQ;
  out.push_back(
      {Layer::Link, true, outer ? "802.1ad VLAN" : "802.1Q VLAN", fmt("VLAN %u", tci & 0x0FFF), u32(o), 4});
  out.push_back(
      {Layer::Link, false, tx(ctx, "priority (PCP)", "优先级（PCP）"), fmt("%u", tci >> 13), u32(o), 2});
  out.push_back({Layer::Link, false, tx(ctx, "drop eligible (DEI)", "可丢弃（DEI）"),
                 fmt("%u", (tci >> 12) & 1), u32(o), 2});
  out.push_back({Layer::Link, false, tx(ctx, "VLAN id", "VLAN 编号"), fmt("%u", tci & 0x0FFF), u32(o), 2});
  out.push_back(
      {Layer::Link, false, "type", fmt("0x%04x (%s)", type, ether_type_name(type, ctx)), u32(o + 2), 2});
}

// RFC 2516 §4.
void pppoe_fields(std::span<const std::uint8_t> f, std::size_t o, const FrameContext& ctx,
                  std::vector<Field>& out) {
  const std::uint16_t session = be16(f, o + 2), length = be16(f, o + 4), ppp = be16(f, o + 6);
  out.push_back({Layer::Link, true, tx(ctx, "PPPoE session", "PPPoE 会话"),
                 fmt(tx(ctx, "session 0x%04x", "会话 0x%04x"), session), u32(o), 8});
  out.push_back({Layer::Link, false, tx(ctx, "version / type", "版本 / 类型"),
                 fmt("%u / %u", f[o] >> 4, f[o] & 0x0F), u32(o), 1});
  out.push_back({Layer::Link, false, tx(ctx, "code", "代码"),
                 fmt(tx(ctx, "0x%02x (session data)", "0x%02x（会话数据）"), f[o + 1]), u32(o + 1), 1});
  out.push_back({Layer::Link, false, tx(ctx, "session id", "会话编号"), fmt("0x%04x (%u)", session, session),
                 u32(o + 2), 2});
  out.push_back({Layer::Link, false, tx(ctx, "length", "长度"),
                 fmt(tx(ctx, "%u bytes (PPP protocol + data)", "%u 字节（PPP 协议字段 + 数据）"), length),
                 u32(o + 4), 2});
  out.push_back({Layer::Link, false, tx(ctx, "PPP protocol", "PPP 协议"),
                 fmt("0x%04x (%s)", ppp,
                     ppp == wire::kPppProtocolIpv4   ? "IPv4"
                     : ppp == wire::kPppProtocolIpv6 ? "IPv6"
                                                     : tx(ctx, "other", "其他")),
                 u32(o + 6), 2});
}

// RFC 3032 §2.1: label 20 bits, traffic class 3, bottom of stack 1, TTL 8.
void mpls_fields(std::span<const std::uint8_t> f, std::size_t o, std::size_t len, const FrameContext& ctx,
                 std::vector<Field>& out) {
  out.push_back(
      {Layer::Link, true, "MPLS", fmt(tx(ctx, "%zu labels", "%zu 个标签"), len / 4), u32(o), u32(len)});
  for (std::size_t e = o; e + 4 <= o + len; e += 4) {
    const std::uint32_t v = be32(f, e);
    out.push_back({Layer::Link, false, tx(ctx, "label stack entry", "标签栈条目"),
                   fmt(tx(ctx, "label %u, TC %u, S %u, TTL %u", "标签 %u，TC %u，S %u，TTL %u"), v >> 12,
                       (v >> 9) & 7, (v >> 8) & 1, v & 0xFF),
                   u32(e), 4});
  }
}

// RFC 2784 §2.1 and RFC 2890 §2: the optional fields follow in the order checksum, key, sequence number.
void gre_fields(std::span<const std::uint8_t> f, std::size_t o, const FrameContext& ctx,
                std::vector<Field>& out) {
  const std::uint16_t flags = be16(f, o), protocol = be16(f, o + 2);
  out.push_back(
      {Layer::Network, true, "GRE",
       fmt(tx(ctx, "protocol 0x%04x (%s)", "协议 0x%04x（%s）"), protocol, ether_type_name(protocol, ctx)),
       u32(o), 0});
  const std::size_t header = out.size() - 1;
  out.push_back({Layer::Network, false, tx(ctx, "flags / version", "标志 / 版本"),
                 fmt("0x%04x%s%s%s, %s %u", flags, flags & 0x8000 ? " C" : "", flags & 0x2000 ? " K" : "",
                     flags & 0x1000 ? " S" : "", tx(ctx, "version", "版本"), flags & 7),
                 u32(o), 2});
  out.push_back({Layer::Network, false, tx(ctx, "protocol type", "协议类型"),
                 fmt("0x%04x (%s)", protocol, ether_type_name(protocol, ctx)), u32(o + 2), 2});
  std::size_t p = o + 4;
  if (flags & 0x8000) {
    out.push_back({Layer::Network, false, "checksum", fmt("0x%04x", be16(f, p)), u32(p), 2});
    p += 4;
  }
  if (flags & 0x2000) {
    out.push_back({Layer::Network, false, tx(ctx, "key", "密钥"), fmt("%u (0x%08x)", be32(f, p), be32(f, p)),
                   u32(p), 4});
    p += 4;
  }
  if (flags & 0x1000) {
    out.push_back({Layer::Network, false, tx(ctx, "GRE sequence number", "GRE 序号"), fmt("%u", be32(f, p)),
                   u32(p), 4});
    p += 4;
  }
  out[header].length = u32(p - o);
}

void vxlan_udp_fields(std::span<const std::uint8_t> f, std::size_t o, const FrameContext& ctx,
                      std::vector<Field>& out) {
  out.push_back({Layer::Transport, true, tx(ctx, "UDP (tunnel)", "UDP（隧道）"),
                 fmt("%u → %u (VXLAN)", be16(f, o), be16(f, o + 2)), u32(o), 8});
  out.push_back({Layer::Transport, false, "source port", fmt("%u", be16(f, o)), u32(o), 2});
  out.push_back({Layer::Transport, false, "destination port", fmt("%u", be16(f, o + 2)), u32(o + 2), 2});
  out.push_back({Layer::Transport, false, "length", fmt("%u", be16(f, o + 4)), u32(o + 4), 2});
  out.push_back({Layer::Transport, false, "checksum", fmt("0x%04x", be16(f, o + 6)), u32(o + 6), 2});
}

// RFC 7348 §5: 8 bits of flags (I set: the VNI is valid), 24 reserved, the 24-bit VNI, 8 reserved.
void vxlan_fields(std::span<const std::uint8_t> f, std::size_t o, const FrameContext& ctx,
                  std::vector<Field>& out) {
  const std::uint32_t vni = be32(f, o + 4) >> 8;
  out.push_back({Layer::Network, true, "VXLAN", fmt("VNI %u", vni), u32(o), 8});
  out.push_back({Layer::Network, false, tx(ctx, "flags", "标志"),
                 fmt("0x%02x%s", f[o], (f[o] & 0x08) ? tx(ctx, " (I: VNI valid)", "（I：VNI 有效）") : ""),
                 u32(o), 1});
  out.push_back({Layer::Network, false, tx(ctx, "VXLAN network id (VNI)", "VXLAN 网络标识（VNI）"),
                 fmt("%u", vni), u32(o + 4), 3});
}

// Where the transport header of a decoded IP packet lies.
struct TransportSpan {
  std::uint8_t protocol = 0;
  std::size_t offset = 0;
  std::size_t length = 0;
  bool fragment = false;
  wire::IpAddr src, dst;  // for the ICMPv6 checksum's pseudo-header
};

std::optional<TransportSpan> ipv4_fields(std::span<const std::uint8_t> f, std::size_t ip, const char* title,
                                         const FrameContext& ctx, std::vector<Field>& out) {
  auto v4 = wire::decode_ipv4(wire::Bytes(f.data() + ip, f.size() - ip));
  if (!v4) {
    out.push_back({Layer::Network, true, title, v4.error().reason, u32(ip), u32(f.size() - ip)});
    return std::nullopt;
  }
  const wire::Ipv4Header& h = v4->header;
  out.push_back({Layer::Network, true, title,
                 fmt("%s → %s", h.src.to_string().c_str(), h.dst.to_string().c_str()), u32(ip),
                 h.header_len});
  out.push_back(
      {Layer::Network, false, "version / header length", fmt("4 / %u bytes", h.header_len), u32(ip), 1});
  out.push_back({Layer::Network, false, "type of service", fmt("0x%02x", h.tos), u32(ip + 1), 1});
  out.push_back({Layer::Network, false, "total length", fmt("%u bytes", h.total_length), u32(ip + 2), 2});
  out.push_back({Layer::Network, false, "identification", fmt("%u (0x%04x)", h.id, h.id), u32(ip + 4), 2});
  out.push_back(
      {Layer::Network, false, "flags / fragment offset",
       fmt("%s%s, offset %u", h.dont_fragment ? "DF" : "", h.more_fragments ? " MF" : "", h.fragment_offset),
       u32(ip + 6), 2});
  out.push_back({Layer::Network, false, "time to live", fmt("%u", h.ttl), u32(ip + 8), 1});
  out.push_back({Layer::Network, false, "protocol", fmt("%u (%s)", h.protocol, proto_name(h.protocol)),
                 u32(ip + 9), 1});
  out.push_back({Layer::Network, false, "header checksum",
                 fmt("0x%04x (%s)", h.checksum, v4->checksum_ok ? "correct" : "WRONG"), u32(ip + 10), 2});
  out.push_back(
      {Layer::Network, false, "source", address_parts(h.src, ctx.src_prefix_len, ctx), u32(ip + 12), 4});
  out.push_back(
      {Layer::Network, false, "destination", address_parts(h.dst, ctx.dst_prefix_len, ctx), u32(ip + 16), 4});
  // The length the header claims, so an ICMP checksum is checked only over a complete message.
  return TransportSpan{
      h.protocol,      ip + v4->payload_offset,      std::size_t{h.total_length} - h.header_len,
      h.is_fragment(), wire::IpAddr::from_v4(h.src), wire::IpAddr::from_v4(h.dst)};
}

// RFC 8200 §3: the fixed header; extension headers are skipped by the decoder, not listed.
std::optional<TransportSpan> ipv6_fields(std::span<const std::uint8_t> f, std::size_t ip, const char* title,
                                         const FrameContext& ctx, std::vector<Field>& out) {
  auto v6 = wire::decode_ipv6(wire::Bytes(f.data() + ip, f.size() - ip));
  if (!v6) {
    out.push_back({Layer::Network, true, title, v6.error().reason, u32(ip), u32(f.size() - ip)});
    return std::nullopt;
  }
  out.push_back({Layer::Network, true, title,
                 fmt("%s → %s", v6->src.to_string().c_str(), v6->dst.to_string().c_str()), u32(ip),
                 u32(wire::kIpv6HeaderLen)});
  out.push_back({Layer::Network, false,
                 tx(ctx, "version / traffic class / flow label", "版本 / 流量类别 / 流标签"),
                 fmt("6 / 0x%02x / 0x%05x", v6->traffic_class, v6->flow_label), u32(ip), 4});
  out.push_back({Layer::Network, false, tx(ctx, "payload length", "载荷长度"),
                 fmt(tx(ctx, "%u bytes", "%u 字节"), v6->payload_length), u32(ip + 4), 2});
  const std::uint8_t next = f[ip + 6];
  out.push_back({Layer::Network, false, tx(ctx, "next header", "下一个首部"),
                 fmt("%u (%s)", next, proto_name(next)), u32(ip + 6), 1});
  out.push_back(
      {Layer::Network, false, tx(ctx, "hop limit", "跳数限制"), fmt("%u", v6->hop_limit), u32(ip + 7), 1});
  out.push_back({Layer::Network, false, "source", v6->src.to_string(), u32(ip + 8), 16});
  out.push_back({Layer::Network, false, "destination", v6->dst.to_string(), u32(ip + 24), 16});
  const std::size_t claimed = v6->payload_length == 0
                                  ? v6->payload_len
                                  : wire::kIpv6HeaderLen + v6->payload_length - v6->payload_offset;
  return TransportSpan{v6->next_header, ip + v6->payload_offset, claimed, v6->fragment_offset != 0,
                       v6->src,         v6->checksum_dst};
}

void transport_fields(std::span<const std::uint8_t> f, const TransportSpan& ts, const FrameContext& ctx,
                      std::vector<Field>& out);

}  // namespace

std::vector<Field> describe_frame(std::span<const std::uint8_t> f, const FrameContext& ctx) {
  std::vector<Field> out;
  const wire::Bytes bytes(f.data(), f.size());
  const wire::Encapsulation e = wire::walk_encapsulation(
      bytes, f.size(), ctx.ethernet ? wire::EncapStart::Ethernet : wire::EncapStart::Ip, 0);
  std::size_t end = 0;  // where the layers read so far stop
  for (std::size_t i = 0; i < e.count; ++i) {
    const wire::EncapLayer& l = e.layers[i];
    end = l.offset + l.length;
    switch (l.kind) {
      case wire::EncapKind::Ethernet:
        ethernet_fields(f, l.offset, ctx, out);
        break;
      case wire::EncapKind::VlanTag:
        vlan_fields(f, l.offset, ctx, out);
        break;
      case wire::EncapKind::PppoeSession:
        pppoe_fields(f, l.offset, ctx, out);
        break;
      case wire::EncapKind::Mpls:
        mpls_fields(f, l.offset, l.length, ctx, out);
        break;
      case wire::EncapKind::OuterIpv4:
        ipv4_fields(f, l.offset, tx(ctx, "IPv4 (tunnel)", "IPv4（隧道外层）"), ctx, out);
        break;
      case wire::EncapKind::OuterIpv6:
        ipv6_fields(f, l.offset, tx(ctx, "IPv6 (tunnel)", "IPv6（隧道外层）"), ctx, out);
        break;
      case wire::EncapKind::Gre:
        gre_fields(f, l.offset, ctx, out);
        break;
      case wire::EncapKind::VxlanUdp:
        vxlan_udp_fields(f, l.offset, ctx, out);
        break;
      case wire::EncapKind::Vxlan:
        vxlan_fields(f, l.offset, ctx, out);
        break;
    }
  }
  if (e.error) {
    const std::size_t at = std::min(end, f.size());
    out.push_back({Layer::Link, true, tx(ctx, "Malformed", "格式错误"),
                   e.error->where + ": " + e.error->reason, u32(at), u32(f.size() - at)});
    return out;
  }
  if (!e.ip_offset) {
    // RFC 826: ARP follows the Ethernet header (or a VLAN tag) directly; its type field ends that layer.
    if (e.count > 0 && end >= 2 && end <= f.size() &&
        (e.layers[e.count - 1].kind == wire::EncapKind::Ethernet ||
         e.layers[e.count - 1].kind == wire::EncapKind::VlanTag) &&
        be16(f, end - 2) == wire::kEtherTypeArp) {
      arp_fields(f, end, ctx, out);
      return out;
    }
    if (end < f.size())
      out.push_back({Layer::Network, true, tx(ctx, "Network layer", "网络层"),
                     tx(ctx, "not decoded here", "此处不解码"), u32(end), u32(f.size() - end)});
    return out;
  }
  const std::size_t ip = *e.ip_offset;
  if (ip >= f.size()) return out;
  std::optional<TransportSpan> ts;
  if ((f[ip] >> 4) == 6)
    ts = ipv6_fields(f, ip, "IPv6", ctx, out);
  else
    ts = ipv4_fields(f, ip, "IPv4", ctx, out);
  if (ts && ts->offset <= f.size() && !ts->fragment) transport_fields(f, *ts, ctx, out);
  return out;
}

namespace {

void transport_fields(std::span<const std::uint8_t> f, const TransportSpan& ts, const FrameContext& ctx,
                      std::vector<Field>& out) {
  const std::size_t t = ts.offset;
  const std::size_t t_len = ts.length;
  std::size_t payload = t, payload_len = 0;
  if (ts.protocol == wire::kIpProtoTcp && t + wire::kTcpMinHeaderLen <= f.size()) {
    const std::size_t hl = static_cast<std::size_t>(f[t + 12] >> 4) * 4;
    const std::uint32_t seq = be32(f, t + 4), ack = be32(f, t + 8);
    const std::uint8_t flags = f[t + 13];
    // A data offset larger than the bytes left must not stretch the highlighted range past the frame.
    out.push_back({Layer::Transport, true, "TCP", fmt("%u → %u", be16(f, t), be16(f, t + 2)), u32(t),
                   u32(std::min(hl, f.size() - t))});
    out.push_back({Layer::Transport, false, "source port", fmt("%u", be16(f, t)), u32(t), 2});
    out.push_back({Layer::Transport, false, "destination port", fmt("%u", be16(f, t + 2)), u32(t + 2), 2});
    out.push_back({Layer::Transport, false, "sequence number",
                   ctx.seq_base ? fmt("%" PRIu32 " (relative %" PRIu32 ")", seq, seq - *ctx.seq_base)
                                : fmt("%" PRIu32, seq),
                   u32(t + 4), 4});
    out.push_back({Layer::Transport, false, "acknowledgment number",
                   !(flags & wire::tcp_flag::kAck) ? fmt("%" PRIu32 " (not used: no ACK flag)", ack)
                   : ctx.ack_base ? fmt("%" PRIu32 " (relative %" PRIu32 ")", ack, ack - *ctx.ack_base)
                                  : fmt("%" PRIu32, ack),
                   u32(t + 8), 4});
    out.push_back({Layer::Transport, false, "header length", fmt("%zu bytes", hl), u32(t + 12), 1});
    out.push_back({Layer::Transport, false, "flags",
                   fmt("0x%02x %s", flags, wire::tcp_flags_to_string(flags).c_str()), u32(t + 13), 1});
    out.push_back({Layer::Transport, false, "window", fmt("%u bytes (as on the wire)", be16(f, t + 14)),
                   u32(t + 14), 2});
    out.push_back({Layer::Transport, false, "checksum", fmt("0x%04x", be16(f, t + 16)), u32(t + 16), 2});
    out.push_back({Layer::Transport, false, "urgent pointer", fmt("%u", be16(f, t + 18)), u32(t + 18), 2});
    if (hl > wire::kTcpMinHeaderLen && t + hl <= f.size()) tcp_options(f, t + 20, t + hl, out);
    payload = t + hl;
    payload_len = t_len > hl ? t_len - hl : 0;
  } else if ((ts.protocol == wire::kIpProtoIcmp && !ts.src.v6) ||
             (ts.protocol == wire::kIpProtoIcmpv6 && ts.src.v6)) {
    icmp_fields(f, t, t_len, ts.src.v6, wire::PseudoHeader{ts.src, ts.dst, ts.protocol, 0}, ctx, out);
    return;
  } else if (ts.protocol == wire::kIpProtoUdp && t + wire::kUdpHeaderLen <= f.size()) {
    out.push_back({Layer::Transport, true, "UDP", fmt("%u → %u", be16(f, t), be16(f, t + 2)), u32(t), 8});
    out.push_back({Layer::Transport, false, "source port", fmt("%u", be16(f, t)), u32(t), 2});
    out.push_back({Layer::Transport, false, "destination port", fmt("%u", be16(f, t + 2)), u32(t + 2), 2});
    out.push_back({Layer::Transport, false, "length", fmt("%u bytes (8-byte header + data)", be16(f, t + 4)),
                   u32(t + 4), 2});
    out.push_back({Layer::Transport, false, "checksum", fmt("0x%04x", be16(f, t + 6)), u32(t + 6), 2});
    payload = t + wire::kUdpHeaderLen;
    payload_len = t_len > wire::kUdpHeaderLen ? t_len - wire::kUdpHeaderLen : 0;
  } else {
    return;
  }
  payload = std::min(payload, f.size());
  payload_len = std::min(payload_len, f.size() - payload);
  const char* title = ctx.chinese ? "载荷" : "Payload";
  if (payload_len == 0) {
    out.push_back(
        {Layer::Payload, true, title, ctx.chinese ? "无（0 字节）" : "none (0 bytes)", u32(payload), 0});
    return;
  }
  const PayloadText text = decode_payload(f.subspan(payload, payload_len));
  const char* how = text.encoding == PayloadText::Encoding::Utf8  ? "UTF-8"
                    : text.encoding == PayloadText::Encoding::Gbk ? "GBK"
                                                                  : (ctx.chinese ? "二进制" : "binary");
  out.push_back(
      {Layer::Payload, true, title, fmt("%zu bytes, %s", payload_len, how), u32(payload), u32(payload_len)});
  if (!text.text.empty()) {
    std::size_t cut = std::min<std::size_t>(text.text.size(), 400);
    while (cut < text.text.size() && cut > 0 && (static_cast<unsigned char>(text.text[cut]) & 0xC0) == 0x80)
      --cut;
    const std::string shown = cut < text.text.size() ? text.text.substr(0, cut) + "..." : text.text;
    out.push_back({Layer::Payload, false, "text", "\"" + shown + "\"", u32(payload), u32(payload_len)});
  }
}

}  // namespace

}  // namespace wirestep
