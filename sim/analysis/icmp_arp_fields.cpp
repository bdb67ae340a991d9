#include "sim/analysis/icmp_arp_fields.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "sim/wire/arp.hpp"
#include "sim/wire/icmp.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/ipv6.hpp"

namespace wirestep {
namespace {

std::string fmt(const char* f, auto... args) {
  char buf[200];
  std::snprintf(buf, sizeof buf, f, args...);
  return buf;
}

const char* tx(const FrameContext& ctx, const char* en, const char* zh) {
  return ctx.chinese ? zh : en;
}

std::uint32_t u32(std::size_t v) {
  return static_cast<std::uint32_t>(v);
}

std::string mac(const wire::MacAddr& m) {
  return fmt("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

const char* proto_text(std::uint8_t p) {
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

// The 4 bytes after the checksum mean something different for each type (RFC 792, RFC 4443, RFC 4861).
void rest_of_header(std::span<const std::uint8_t> f, std::size_t o, const wire::IcmpMessage& m,
                    const FrameContext& ctx, std::vector<Field>& out) {
  const auto add = [&](const char* en, const char* zh, std::string value, std::size_t at, std::size_t len) {
    out.push_back({Layer::Transport, false, tx(ctx, en, zh), std::move(value), u32(o + at), u32(len)});
  };
  if (m.is_echo()) {
    add("identifier", "标识符", fmt("%u (0x%04x)", m.id(), m.id()), 4, 2);
    add("sequence number", "序号", fmt("%u", m.seq()), 6, 2);
  } else if (m.mtu()) {
    if (m.v6)
      add("MTU", "MTU", fmt(tx(ctx, "%u bytes", "%u 字节"), *m.mtu()), 4, 4);
    else
      add("next-hop MTU (RFC 1191)", "下一跳 MTU（RFC 1191）", fmt(tx(ctx, "%u bytes", "%u 字节"), *m.mtu()),
          6, 2);
  } else if (!m.v6 && m.type == wire::icmp4::kRedirect) {
    add("gateway address", "网关地址", wire::Ipv4Addr{m.rest}.to_string(), 4, 4);
  } else if (m.type == (m.v6 ? wire::icmp6::kParameterProblem : wire::icmp4::kParameterProblem)) {
    add("pointer", "指针", fmt(tx(ctx, "byte %u", "第 %u 字节"), m.v6 ? m.rest : m.rest >> 24), 4,
        m.v6 ? 4 : 1);
  } else if (m.v6 && m.type == wire::icmp6::kNeighborAdvertisement) {
    add("flags", "标志",
        fmt("0x%02x%s%s%s", f[o + 4], (f[o + 4] & 0x80) ? tx(ctx, " router", " 路由器") : "",
            (f[o + 4] & 0x40) ? tx(ctx, " solicited", " 应请求") : "",
            (f[o + 4] & 0x20) ? tx(ctx, " override", " 覆盖") : ""),
        4, 1);
  } else {
    add("rest of header", "首部其余部分", fmt("0x%08x", m.rest), 4, 4);
  }
}

void quote_fields(std::span<const std::uint8_t> f, std::size_t q, std::size_t q_len,
                  const wire::IcmpQuote& quote, const FrameContext& ctx, std::vector<Field>& out) {
  const auto add = [&](bool header, const char* en, const char* zh, std::string value, std::size_t at,
                       std::size_t len) {
    out.push_back({Layer::Payload, header, tx(ctx, en, zh), std::move(value), u32(at), u32(len)});
  };
  const char* state = quote.state == wire::QuoteState::Complete ? tx(ctx, "complete", "完整")
                      : quote.state == wire::QuoteState::TransportTruncated
                          ? tx(ctx,
                               "truncated: fewer than 8 bytes "
                               "after the IP header",
                               "被截断：IP 首部之后不足 8 字节")
                          : tx(ctx,
                               "unreadable: no complete IP "
                               "header",
                               "无法读取：IP 首部不完整");
  if (quote.state == wire::QuoteState::Unreadable) {
    add(true, "quoted packet", "被引用的原始分组", state, q, q_len);
    return;
  }
  const std::string ends = quote.has_ports
                               ? fmt("%s %s → %s (%s)", proto_text(quote.protocol),
                                     wire::endpoint_to_string(quote.src, quote.src_port).c_str(),
                                     wire::endpoint_to_string(quote.dst, quote.dst_port).c_str(), state)
                               : fmt("%s %s → %s (%s)", proto_text(quote.protocol),
                                     quote.src.to_string().c_str(), quote.dst.to_string().c_str(), state);
  add(true, "quoted packet", "被引用的原始分组", ends, q, q_len);
  // Byte positions inside the quoted IP header (RFC 791 §3.1, RFC 8200 §3).
  const bool v6 = quote.src.v6;
  std::size_t transport = q;
  if (v6) {
    add(false, "quoted source", "原始源地址", quote.src.to_string(), q + 8, 16);
    add(false, "quoted destination", "原始目的地址", quote.dst.to_string(), q + 24, 16);
    add(false, "quoted next header", "原始下一个首部",
        fmt("%u (%s)", quote.protocol, proto_text(quote.protocol)), q + 6, 1);
    if (auto h = wire::decode_ipv6(f.subspan(q, q_len))) transport = q + h->payload_offset;
  } else {
    add(false, "quoted source", "原始源地址", quote.src.to_string(), q + 12, 4);
    add(false, "quoted destination", "原始目的地址", quote.dst.to_string(), q + 16, 4);
    add(false, "quoted protocol", "原始协议", fmt("%u (%s)", quote.protocol, proto_text(quote.protocol)),
        q + 9, 1);
    transport = q + std::size_t{f[q] & 0x0Fu} * 4;
  }
  if (quote.has_ports && transport + 4 <= q + q_len) {
    add(false, "quoted source port", "原始源端口", fmt("%u", quote.src_port), transport, 2);
    add(false, "quoted destination port", "原始目的端口", fmt("%u", quote.dst_port), transport + 2, 2);
  }
}

}  // namespace

const char* icmp_type_name(bool v6, std::uint8_t type, bool zh) {
  const auto t = [&](const char* en, const char* cn) { return zh ? cn : en; };
  if (v6) {
    switch (type) {
      case wire::icmp6::kDestinationUnreachable:
        return t("destination unreachable", "目的不可达");
      case wire::icmp6::kPacketTooBig:
        return t("packet too big", "分组过大");
      case wire::icmp6::kTimeExceeded:
        return t("time exceeded", "超时");
      case wire::icmp6::kParameterProblem:
        return t("parameter problem", "参数问题");
      case wire::icmp6::kEchoRequest:
        return t("echo request", "回显请求");
      case wire::icmp6::kEchoReply:
        return t("echo reply", "回显应答");
      case 133:
        return t("router solicitation", "路由器请求");
      case 134:
        return t("router advertisement", "路由器通告");
      case wire::icmp6::kNeighborSolicitation:
        return t("neighbour solicitation", "邻居请求");
      case wire::icmp6::kNeighborAdvertisement:
        return t("neighbour advertisement", "邻居通告");
      default:
        return t("other", "其他");
    }
  }
  switch (type) {
    case wire::icmp4::kEchoReply:
      return t("echo reply", "回显应答");
    case wire::icmp4::kDestinationUnreachable:
      return t("destination unreachable", "目的不可达");
    case wire::icmp4::kSourceQuench:
      return t("source quench", "源抑制");
    case wire::icmp4::kRedirect:
      return t("redirect", "重定向");
    case wire::icmp4::kEchoRequest:
      return t("echo request", "回显请求");
    case wire::icmp4::kTimeExceeded:
      return t("time exceeded", "超时");
    case wire::icmp4::kParameterProblem:
      return t("parameter problem", "参数问题");
    default:
      return t("other", "其他");
  }
}

const char* icmp_code_name(bool v6, std::uint8_t type, std::uint8_t code, bool zh) {
  const auto t = [&](const char* en, const char* cn) { return zh ? cn : en; };
  if (!v6 && type == wire::icmp4::kDestinationUnreachable) {
    switch (code) {  // RFC 792; 13 from RFC 1812 §5.2.7.1
      case 0:
        return t("net unreachable", "网络不可达");
      case 1:
        return t("host unreachable", "主机不可达");
      case 2:
        return t("protocol unreachable", "协议不可达");
      case 3:
        return t("port unreachable", "端口不可达");
      case 4:
        return t("fragmentation needed and DF set", "需要分片但设置了不分片（DF）");
      case 5:
        return t("source route failed", "源路由失败");
      case 13:
        return t("communication administratively prohibited", "通信被管理性禁止");
      default:
        return nullptr;
    }
  }
  if (v6 && type == wire::icmp6::kDestinationUnreachable) {
    switch (code) {  // RFC 4443 §3.1
      case 0:
        return t("no route to destination", "没有到目的地的路由");
      case 1:
        return t("communication administratively prohibited", "通信被管理性禁止");
      case 2:
        return t("beyond scope of source address", "超出源地址的范围");
      case 3:
        return t("address unreachable", "地址不可达");
      case 4:
        return t("port unreachable", "端口不可达");
      case 5:
        return t("source address failed ingress/egress policy", "源地址不符合出入策略");
      case 6:
        return t("reject route to destination", "到目的地的路由被拒绝");
      default:
        return nullptr;
    }
  }
  if (type == (v6 ? wire::icmp6::kTimeExceeded : wire::icmp4::kTimeExceeded)) {
    if (code == 0)
      return v6 ? t("hop limit exceeded in transit", "传输中跳数限制耗尽")
                : t("TTL exceeded in transit", "传输中 TTL 耗尽");
    if (code == 1) return t("fragment reassembly time exceeded", "分片重组超时");
  }
  return nullptr;
}

void arp_fields(std::span<const std::uint8_t> f, std::size_t o, const FrameContext& ctx,
                std::vector<Field>& out) {
  auto arp = wire::decode_arp(wire::Bytes(f.data() + o, f.size() - o));
  if (!arp) {
    out.push_back({Layer::Network, true, "ARP", arp.error().where + ": " + arp.error().reason, u32(o),
                   u32(f.size() - o)});
    return;
  }
  const wire::ArpPacket& a = *arp;
  const std::string sip = a.sender_ip.to_string(), tip = a.target_ip.to_string();
  const bool request = a.op == static_cast<std::uint16_t>(wire::ArpOp::Request);
  const bool reply = a.op == static_cast<std::uint16_t>(wire::ArpOp::Reply);
  std::string summary =
      request ? fmt(tx(ctx, "who has %s? tell %s", "谁是 %s？请告诉 %s"), tip.c_str(), sip.c_str())
      : reply ? fmt(tx(ctx, "%s is at %s", "%s 的 MAC 地址是 %s"), sip.c_str(), mac(a.sender_mac).c_str())
              : fmt(tx(ctx, "operation %u", "操作 %u"), a.op);
  const auto add = [&](const char* en, const char* zh, std::string value, std::size_t at, std::size_t len) {
    out.push_back({Layer::Network, false, tx(ctx, en, zh), std::move(value), u32(o + at), u32(len)});
  };
  out.push_back({Layer::Network, true, "ARP", std::move(summary), u32(o), u32(wire::kArpEthernetIpv4Len)});
  add("hardware type", "硬件类型", tx(ctx, "1 (Ethernet)", "1（以太网）"), 0, 2);
  add("protocol type", "协议类型", "0x0800 (IPv4)", 2, 2);
  add("hardware address length", "硬件地址长度", tx(ctx, "6 bytes", "6 字节"), 4, 1);
  add("protocol address length", "协议地址长度", tx(ctx, "4 bytes", "4 字节"), 5, 1);
  add("operation", "操作码",
      fmt("%u (%s)", a.op,
          request ? tx(ctx, "request", "请求")
          : reply ? tx(ctx, "reply", "应答")
                  : tx(ctx, "other", "其他")),
      6, 2);
  add("sender MAC address", "发送方 MAC 地址", mac(a.sender_mac), 8, 6);
  add("sender IP address", "发送方 IP 地址", sip, 14, 4);
  add("target MAC address", "目标 MAC 地址",
      request && a.target_mac == wire::MacAddr{}
          ? mac(a.target_mac) + tx(ctx, " (unknown: being asked for)", "（未知：正在询问）")
          : mac(a.target_mac),
      18, 6);
  add("target IP address", "目标 IP 地址", tip, 24, 4);
}

void icmp_fields(std::span<const std::uint8_t> f, std::size_t o, std::size_t claimed_len, bool v6,
                 const wire::PseudoHeader& ph, const FrameContext& ctx, std::vector<Field>& out) {
  const char* title = v6 ? "ICMPv6" : "ICMP";
  const std::size_t present = std::min(claimed_len, f.size() - std::min(o, f.size()));
  auto decoded = wire::decode_icmp(wire::Bytes(f.data() + o, present), claimed_len, v6, ph);
  if (!decoded) {
    out.push_back({Layer::Transport, true, title, decoded.error().reason, u32(o), u32(present)});
    return;
  }
  const wire::IcmpMessage& m = *decoded;
  const char* type_name = icmp_type_name(v6, m.type, ctx.chinese);
  const char* code_name = icmp_code_name(v6, m.type, m.code, ctx.chinese);
  std::string summary = code_name ? fmt("%s (%s)", type_name, code_name) : std::string(type_name);
  if (m.is_echo()) summary += fmt(tx(ctx, ", id %u, seq %u", "，标识符 %u，序号 %u"), m.id(), m.seq());
  out.push_back({Layer::Transport, true, title, summary, u32(o), u32(wire::kIcmpHeaderLen)});
  const auto add = [&](const char* en, const char* zh, std::string value, std::size_t at, std::size_t len) {
    out.push_back({Layer::Transport, false, tx(ctx, en, zh), std::move(value), u32(o + at), u32(len)});
  };
  add("type", "类型", fmt("%u (%s)", m.type, type_name), 0, 1);
  add("code", "代码", code_name ? fmt("%u (%s)", m.code, code_name) : fmt("%u", m.code), 1, 1);
  add("checksum", "校验和",
      fmt("0x%04x (%s)", m.checksum,
          !m.checksum_ok   ? tx(ctx, "not checked: message cut short", "未校验：报文不完整")
          : *m.checksum_ok ? tx(ctx, "correct", "正确")
                           : tx(ctx, "WRONG", "错误")),
      2, 2);
  rest_of_header(f, o, m, ctx, out);
  const std::size_t body = o + wire::kIcmpHeaderLen;
  const std::size_t body_present = present - wire::kIcmpHeaderLen;
  if (m.target) add("target address", "目标地址", m.target->to_string(), 8, 16);
  if (m.quote) {
    quote_fields(f, body, body_present, *m.quote, ctx, out);
  } else if (m.is_echo()) {
    out.push_back({Layer::Payload, true, tx(ctx, "echo data", "回显数据"),
                   fmt(tx(ctx, "%zu bytes", "%zu 字节"), m.body_len), u32(body), u32(body_present)});
  }
}

}  // namespace wirestep
