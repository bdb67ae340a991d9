#include "capture/twin_segments.hpp"

#include <pcap/pcap.h>

#include <map>
#include <optional>
#include <tuple>

#include "capture/link_layer.hpp"
#include "capture/twin_repair.hpp"
#include "sim/wire/packet.hpp"

namespace wirestep {

std::vector<std::uint8_t> tcp_option_kinds(const std::uint8_t* p, std::size_t n) {
  std::vector<std::uint8_t> kinds;
  for (std::size_t i = 0; i < n;) {
    const std::uint8_t kind = p[i];
    if (kind == 0) break;  // EOL
    if (kind == 1) {       // NOP
      ++i;
      continue;
    }
    if (i + 1 >= n || p[i + 1] < 2 || i + p[i + 1] > n) break;
    kinds.push_back(kind);
    i += p[i + 1];
  }
  return kinds;
}

namespace {

struct Endpoint {
  wire::IpAddr addr;
  std::uint16_t port = 0;
  auto operator<=>(const Endpoint&) const = default;
};

struct SideState {
  std::optional<std::uint32_t> isn;
  std::optional<std::uint8_t> window_scale;  // offered in its SYN
  bool syn_seen = false;
};

std::string host_name(const TwinHostNames& hosts, const wire::IpAddr& a) {
  if (!a.v6)
    for (const auto& [addr, name] : hosts)
      if (addr == a.v4()) return name;
  return a.to_string();
}

}  // namespace

Result<std::vector<TwinSegment>> read_twin_segments(const std::string& path, const TwinHostNames& hosts) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* pc = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (!pc) return Error{path, "", errbuf, "", std::string("无法打开：") + errbuf};
  struct Closer {
    pcap_t* p;
    ~Closer() { pcap_close(p); }
  } closer{pc};
  const LinkKind link = link_kind_for_dlt(pcap_datalink(pc));
  if (link == LinkKind::Unsupported)
    return Error{path, "", "unsupported link type " + std::to_string(pcap_datalink(pc)), "",
                 "不支持的链路类型 " + std::to_string(pcap_datalink(pc))};
  std::vector<TwinSegment> out;
  std::map<Endpoint, SideState> sides;
  std::uint64_t frame = 0;
  std::optional<std::int64_t> first_ns;
  pcap_pkthdr* h = nullptr;
  const u_char* data = nullptr;
  for (int rc; (rc = pcap_next_ex(pc, &h, &data)) != PCAP_ERROR_BREAK;) {
    ++frame;
    const std::string where = "frame " + std::to_string(frame),
                      where_zh = "第 " + std::to_string(frame) + " 帧";
    if (rc == PCAP_ERROR) return Error{path, where, pcap_geterr(pc), where_zh, pcap_geterr(pc)};
    if (rc != 1) continue;
    const wire::Bytes bytes(data, h->caplen);
    auto located = locate_inner_ip_packet(link, bytes, h->len);
    if (!located) return Error{path, where, located.error().reason, where_zh, located.error().reason};
    if (!located->ip_offset) continue;
    auto pkt = wire::decode_ip_packet(bytes, *located->ip_offset);
    if (!pkt) return Error{path, where, pkt.error().reason, where_zh, pkt.error().reason};
    if (!pkt->tcp || pkt->is_fragment) continue;
    const auto& tcp = *pkt->tcp;
    const std::int64_t t = std::int64_t{h->ts.tv_sec} * 1'000'000'000 + h->ts.tv_usec;  // nano precision
    if (!first_ns) first_ns = t;
    TwinSegment s;
    s.frame = frame;
    s.time_ns = t - *first_ns;
    s.from = host_name(hosts, pkt->src);
    s.to = host_name(hosts, pkt->dst);
    s.flags = tcp.flags;
    s.len = static_cast<std::uint32_t>(pkt->payload_len);
    // The option bytes: the TCP header ends where the payload starts.
    if (pkt->payload_offset >= tcp.header_len && pkt->payload_offset <= bytes.size() &&
        tcp.header_len >= 20) {
      const std::size_t start = pkt->payload_offset - tcp.header_len + 20;
      s.option_kinds = tcp_option_kinds(bytes.data() + start, tcp.header_len - 20u);
    }
    const Endpoint me{pkt->src, tcp.src_port}, peer{pkt->dst, tcp.dst_port};
    SideState& mine = sides[me];
    const SideState& theirs = sides[peer];
    using namespace wire::tcp_flag;
    if ((tcp.flags & kSyn) && !mine.syn_seen) {
      mine.syn_seen = true;
      mine.isn = tcp.seq;
      mine.window_scale = tcp.options.window_scale;
    }
    if (mine.isn) {
      s.seq = tcp.seq - *mine.isn;
      s.seq_relative = true;
    } else {
      s.seq = tcp.seq;
    }
    if (tcp.flags & kAck) {
      if (theirs.isn) {
        s.ack = tcp.ack - *theirs.isn;
        s.ack_relative = true;
      } else {
        s.ack = tcp.ack;
      }
    }
    for (std::size_t b = 0; b < tcp.options.sack_count && b < tcp.options.sack.size(); ++b) {
      const auto& block = tcp.options.sack[b];
      const std::uint32_t base = theirs.isn ? *theirs.isn : 0;
      s.sack_blocks.emplace_back(block.left - base, block.right - base);
    }
    // RFC 7323 §2.2: scaling is in effect only when both SYNs carried the option; never on a SYN itself.
    const bool scaled = !(tcp.flags & kSyn) && mine.window_scale && theirs.window_scale;
    s.window = std::uint32_t{tcp.window} << (scaled ? std::min<std::uint8_t>(*mine.window_scale, 14) : 0);
    out.push_back(std::move(s));
  }
  // Both runs' repairs are read by the same rules from their own segments (twin_repair.hpp).
  classify_repairs(out);
  return out;
}

}  // namespace wirestep
