#include "sim/analysis/packet_fields.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "sim/scenario/text_encoding.hpp"
#include "sim/wire/ethernet.hpp"
#include "sim/wire/ip_addr.hpp"
#include "sim/wire/ipv4.hpp"
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

std::vector<Field> describe_frame(std::span<const std::uint8_t> f, const FrameContext& ctx) {
  std::vector<Field> out;
  const auto u32 = [](std::size_t v) { return static_cast<std::uint32_t>(v); };
  std::size_t ip = 0;
  std::uint16_t ether_type = wire::kEtherTypeIpv4;
  if (ctx.ethernet) {
    auto eth = wire::decode_ethernet(wire::Bytes(f.data(), f.size()));
    if (!eth) {
      out.push_back({Layer::Link, true, "Ethernet II", eth.error().reason, 0, u32(f.size())});
      return out;
    }
    ip = eth->header_len;
    ether_type = eth->ether_type;
    out.push_back(
        {Layer::Link, true, "Ethernet II", fmt("%s → %s", mac(f, 6).c_str(), mac(f, 0).c_str()), 0, u32(ip)});
    out.push_back({Layer::Link, false, "destination MAC", mac(f, 0), 0, 6});
    out.push_back({Layer::Link, false, "source MAC", mac(f, 6), 6, 6});
    out.push_back({Layer::Link, false, "type",
                   fmt("0x%04x (%s)", ether_type,
                       ether_type == wire::kEtherTypeIpv4   ? "IPv4"
                       : ether_type == wire::kEtherTypeIpv6 ? "IPv6"
                                                            : "other"),
                   u32(ip - 2), 2});
  }
  if (ether_type != wire::kEtherTypeIpv4) {
    if (ip < f.size())
      out.push_back({Layer::Network, true, ether_type == wire::kEtherTypeIpv6 ? "IPv6" : "Network layer",
                     "not decoded here", u32(ip), u32(f.size() - ip)});
    return out;
  }
  auto v4 = wire::decode_ipv4(wire::Bytes(f.data() + ip, f.size() - ip));
  if (!v4) {
    out.push_back({Layer::Network, true, "IPv4", v4.error().reason, u32(ip), u32(f.size() - ip)});
    return out;
  }
  const wire::Ipv4Header& h = v4->header;
  out.push_back({Layer::Network, true, "IPv4",
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

  const std::size_t t = ip + v4->payload_offset;
  const std::size_t t_len = v4->payload_len;
  if (t > f.size() || h.is_fragment()) return out;
  std::size_t payload = t, payload_len = 0;
  if (h.protocol == wire::kIpProtoTcp && t + wire::kTcpMinHeaderLen <= f.size()) {
    const std::size_t hl = static_cast<std::size_t>(f[t + 12] >> 4) * 4;
    const std::uint32_t seq = be32(f, t + 4), ack = be32(f, t + 8);
    const std::uint8_t flags = f[t + 13];
    out.push_back(
        {Layer::Transport, true, "TCP", fmt("%u → %u", be16(f, t), be16(f, t + 2)), u32(t), u32(hl)});
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
  } else if (h.protocol == wire::kIpProtoUdp && t + wire::kUdpHeaderLen <= f.size()) {
    out.push_back({Layer::Transport, true, "UDP", fmt("%u → %u", be16(f, t), be16(f, t + 2)), u32(t), 8});
    out.push_back({Layer::Transport, false, "source port", fmt("%u", be16(f, t)), u32(t), 2});
    out.push_back({Layer::Transport, false, "destination port", fmt("%u", be16(f, t + 2)), u32(t + 2), 2});
    out.push_back({Layer::Transport, false, "length", fmt("%u bytes (8-byte header + data)", be16(f, t + 4)),
                   u32(t + 4), 2});
    out.push_back({Layer::Transport, false, "checksum", fmt("0x%04x", be16(f, t + 6)), u32(t + 6), 2});
    payload = t + wire::kUdpHeaderLen;
    payload_len = t_len > wire::kUdpHeaderLen ? t_len - wire::kUdpHeaderLen : 0;
  } else {
    return out;
  }
  payload = std::min(payload, f.size());
  payload_len = std::min(payload_len, f.size() - payload);
  const char* title = ctx.chinese ? "载荷" : "Payload";
  if (payload_len == 0) {
    out.push_back(
        {Layer::Payload, true, title, ctx.chinese ? "无（0 字节）" : "none (0 bytes)", u32(payload), 0});
    return out;
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
  return out;
}

}  // namespace wirestep
