#include "ui/cli/arp_icmp_label.hpp"

#include <cstdio>
#include <iterator>

#include "sim/wire/icmp.hpp"

namespace wirestep {
namespace {

std::size_t written(int n, std::size_t size) {
  if (n < 0 || size == 0) return 0;
  return static_cast<std::size_t>(n) < size ? static_cast<std::size_t>(n) : size - 1;
}

struct Phrase {
  const char* en;
  const char* zh;
};
const char* in(const Phrase& p, Lang lang) {
  return lang == Lang::Zh ? p.zh : p.en;
}

// RFC 792 and RFC 1812 §5.2.7.1 destination unreachable codes, named as tshark names them.
constexpr Phrase kUnreachable4[] = {
    {"Network unreachable", "网络不可达"},
    {"Host unreachable", "主机不可达"},
    {"Protocol unreachable", "协议不可达"},
    {"Port unreachable", "端口不可达"},
    {"Fragmentation needed", "需要分片"},
    {"Source route failed", "源路由失败"},
    {"Destination network unknown", "目的网络未知"},
    {"Destination host unknown", "目的主机未知"},
    {"Source host isolated", "源主机被隔离"},
    {"Network administratively prohibited", "网络被管理性禁止"},
    {"Host administratively prohibited", "主机被管理性禁止"},
    {"Network unreachable for TOS", "该服务类型网络不可达"},
    {"Host unreachable for TOS", "该服务类型主机不可达"},
    {"Communication administratively filtered", "通信被管理性过滤"},
    {"Host precedence violation", "主机优先级违规"},
    {"Precedence cutoff in effect", "优先级截止生效"},
};
// RFC 4443 §3.1.
constexpr Phrase kUnreachable6[] = {
    {"No route to destination", "没有到目的地的路由"},
    {"Administratively prohibited", "被管理性禁止"},
    {"Beyond scope of source address", "超出源地址的范围"},
    {"Address unreachable", "地址不可达"},
    {"Port unreachable", "端口不可达"},
};
// RFC 792: time exceeded code 0 in transit (a router's TTL reached zero), 1 in reassembly.
constexpr Phrase kTimeExceeded[] = {
    {"Time to live exceeded in transit", "传输中 TTL 耗尽"},
    {"Fragment reassembly time exceeded", "分片重组超时"},
};
constexpr Phrase kDestinationUnreachable{"Destination unreachable", "目的不可达"};
constexpr Phrase kTtlExceeded{"Time-to-live exceeded", "TTL 超时"};
constexpr Phrase kHopLimitExceeded{"Time exceeded", "跳数限制超时"};
constexpr Phrase kEchoRequest{"Echo (ping) request", "回显（ping）请求"};
constexpr Phrase kEchoReply{"Echo (ping) reply", "回显（ping）应答"};
constexpr Phrase kSourceQuench{"Source quench (flow control)", "源抑制（流量控制）"};
constexpr Phrase kRedirect{"Redirect", "重定向"};
constexpr Phrase kParameterProblem{"Parameter problem", "参数问题"};
constexpr Phrase kPacketTooBig{"Packet too big", "数据包过大"};
constexpr Phrase kNeighborSolicitation{"Neighbor Solicitation for", "邻居请求：谁是"};
constexpr Phrase kNeighborAdvertisement{"Neighbor Advertisement", "邻居通告"};
constexpr Phrase kUnknownCode{"code %u", "代码 %u"};
constexpr Phrase kOtherIcmp{"ICMP type=%u code=%u", "ICMP 类型=%u 代码=%u"};

std::size_t format_arp(char* buf, std::size_t size, const wire::ArpPacket& a, Lang lang) {
  // Dotted quads fit std::string's small buffer: no allocation in a frame.
  const std::string sender = a.sender_ip.to_string(), target = a.target_ip.to_string();
  const bool zh = lang == Lang::Zh;
  if (a.op == 1) {
    // RFC 5227 §2.1.1: a probe's sender address is 0.0.0.0; §3: a gratuitous request asks for its own.
    if (a.sender_ip == wire::Ipv4Addr{})
      return written(
          std::snprintf(buf, size, zh ? "ARP 谁是 %s？（探测）" : "ARP who-has %s (probe)", target.c_str()),
          size);
    if (a.sender_ip == a.target_ip)
      return written(
          std::snprintf(buf, size, zh ? "ARP 免费 ARP：%s" : "ARP gratuitous for %s", target.c_str()), size);
    return written(std::snprintf(buf, size, zh ? "ARP 谁是 %s？请告诉 %s" : "ARP who-has %s tell %s",
                                 target.c_str(), sender.c_str()),
                   size);
  }
  if (a.op == 2) {
    const auto& m = a.sender_mac;
    return written(std::snprintf(buf, size,
                                 zh ? "ARP %s 的 MAC 是 %02x:%02x:%02x:%02x:%02x:%02x"
                                    : "ARP %s is-at %02x:%02x:%02x:%02x:%02x:%02x",
                                 sender.c_str(), m[0], m[1], m[2], m[3], m[4], m[5]),
                   size);
  }
  return written(std::snprintf(buf, size, zh ? "ARP 操作码 %u" : "ARP opcode %u", unsigned{a.op}), size);
}

// "Destination unreachable (Port unreachable)": the message, and its code's name in brackets.
std::size_t with_code(char* buf, std::size_t size, const Phrase& what, const Phrase* codes, std::size_t n,
                      std::uint8_t code, Lang lang) {
  const bool zh = lang == Lang::Zh;
  if (code < n)
    return written(
        std::snprintf(buf, size, zh ? "%s（%s）" : "%s (%s)", in(what, lang), in(codes[code], lang)), size);
  std::size_t used = written(std::snprintf(buf, size, zh ? "%s（" : "%s (", in(what, lang)), size);
  used +=
      written(std::snprintf(buf + used, size - used, in(kUnknownCode, lang), unsigned{code}), size - used);
  used += written(std::snprintf(buf + used, size - used, zh ? "）" : ")"), size - used);
  return used;
}

std::size_t format_icmp(char* buf, std::size_t size, const wire::IcmpMessage& m, Lang lang) {
  namespace i4 = wire::icmp4;
  namespace i6 = wire::icmp6;
  const unsigned type = m.type, code = m.code;
  if (m.is_echo()) {
    const bool request = m.v6 ? m.type == i6::kEchoRequest : m.type == i4::kEchoRequest;
    // tshark: "Echo (ping) request  id=0x0001, seq=1/256, ttl=64"; the byte-swapped seq and TTL are left out.
    return written(
        std::snprintf(buf, size, "%s id=0x%04x, seq=%u", in(request ? kEchoRequest : kEchoReply, lang),
                      unsigned{m.id()}, unsigned{m.seq()}),
        size);
  }
  if (!m.v6) {
    switch (m.type) {
      case i4::kDestinationUnreachable:
        return with_code(buf, size, kDestinationUnreachable, kUnreachable4, std::size(kUnreachable4), m.code,
                         lang);
      case i4::kTimeExceeded:
        return with_code(buf, size, kTtlExceeded, kTimeExceeded, std::size(kTimeExceeded), m.code, lang);
      case i4::kSourceQuench:
        return written(std::snprintf(buf, size, "%s", in(kSourceQuench, lang)), size);
      case i4::kRedirect:
        return written(std::snprintf(buf, size, "%s", in(kRedirect, lang)), size);
      case i4::kParameterProblem:
        return written(std::snprintf(buf, size, "%s", in(kParameterProblem, lang)), size);
      default:
        break;
    }
  } else {
    switch (m.type) {
      case i6::kDestinationUnreachable:
        return with_code(buf, size, kDestinationUnreachable, kUnreachable6, std::size(kUnreachable6), m.code,
                         lang);
      case i6::kPacketTooBig:
        return written(std::snprintf(buf, size, "%s", in(kPacketTooBig, lang)), size);
      case i6::kTimeExceeded:
        return written(std::snprintf(buf, size, "%s", in(kHopLimitExceeded, lang)), size);
      case i6::kParameterProblem:
        return written(std::snprintf(buf, size, "%s", in(kParameterProblem, lang)), size);
      case i6::kNeighborSolicitation:
      case i6::kNeighborAdvertisement: {
        const Phrase& what =
            m.type == i6::kNeighborSolicitation ? kNeighborSolicitation : kNeighborAdvertisement;
        const std::string target = m.target ? m.target->to_string() : std::string("?");
        return written(std::snprintf(buf, size, "%s %s", in(what, lang), target.c_str()), size);
      }
      default:
        break;
    }
  }
  return written(std::snprintf(buf, size, in(kOtherIcmp, lang), type, code), size);
}

}  // namespace

std::size_t format_arp_icmp_label(char* buf, std::size_t size, const PacketRecord& p, Lang lang) {
  if (size == 0) return 0;
  buf[0] = '\0';
  if (p.arp) return format_arp(buf, size, *p.arp, lang);
  if (p.icmp) return format_icmp(buf, size, p.icmp->message, lang);
  return 0;
}

std::vector<const char*> arp_icmp_label_texts(Lang lang) {
  std::vector<const char*> out;
  for (const Phrase& p : kUnreachable4) out.push_back(in(p, lang));
  for (const Phrase& p : kUnreachable6) out.push_back(in(p, lang));
  for (const Phrase& p : kTimeExceeded) out.push_back(in(p, lang));
  for (const Phrase* p : {&kDestinationUnreachable, &kTtlExceeded, &kHopLimitExceeded, &kEchoRequest,
                          &kEchoReply, &kSourceQuench, &kRedirect, &kParameterProblem, &kPacketTooBig,
                          &kNeighborSolicitation, &kNeighborAdvertisement, &kUnknownCode, &kOtherIcmp})
    out.push_back(in(*p, lang));
  // The ARP phrases, written inline above.
  if (lang == Lang::Zh)
    for (const char* s : {"谁是？请告诉（探测）", "免费：", "的 MAC 是", "操作码"}) out.push_back(s);
  return out;
}

}  // namespace wirestep
