#include "sim/analysis/flow_list.hpp"

#include <algorithm>
#include <cctype>

namespace wirestep {
namespace {

char lower(char ch) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
}

bool contains_ignoring_case(std::string_view haystack_lower, std::string_view needle) {
  if (needle.size() > haystack_lower.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack_lower.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size() && haystack_lower[i + k] == lower(needle[k])) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

std::string_view proto_name(Transport p) {
  switch (p) {
    case Transport::Tcp:
      return "TCP";
    case Transport::Udp:
      return "UDP";
    case Transport::Icmp:
      return "ICMP";
    case Transport::Arp:
      return "ARP";
    default:
      return "other";
  }
}

FlowRow make_row(const Trace& trace, const Conversation& c, std::uint32_t non_ip_flow) {
  FlowRow r;
  r.conversation = c.id;
  r.proto = c.proto;
  r.proto_text = std::string(proto_name(c.proto));
  const TraceFlow& f = trace.flows().at(c.trace_flow);
  const bool a_first = c.initiator == Direction::AtoB;
  r.a_addr = a_first ? f.a : f.b;
  r.b_addr = a_first ? f.b : f.a;
  r.a_port = a_first ? f.a_port : f.b_port;
  r.b_port = a_first ? f.b_port : f.a_port;
  if (c.proto == Transport::Icmp || c.proto == Transport::Arp) {
    r.a = r.a_addr.to_string();
    r.b = r.b_addr.to_string();
  } else if (c.proto == Transport::Other) {
    r.a = c.trace_flow == non_ip_flow ? "non-IP frames" : r.a_addr.to_string();
    r.b = c.trace_flow == non_ip_flow ? "" : r.b_addr.to_string();
  } else {
    r.a = wire::endpoint_to_string(r.a_addr, r.a_port);
    r.b = wire::endpoint_to_string(r.b_addr, r.b_port);
  }
  r.search = r.proto_text + " " + r.a + " " + r.b;
  for (char& ch : r.search) ch = lower(ch);
  r.packets = c.packets();
  r.bytes = c.bytes();
  r.first_ns = c.first_time_ns;
  r.last_ns = c.last_time_ns;
  r.tcp = c.tcp;
  r.icmp_errors = c.icmp_errors;
  if (c.proto == Transport::Tcp) {
    const auto n = [&](TcpFlag fl) { return c.tcp.flags[static_cast<std::size_t>(fl)]; };
    r.retransmissions = c.tcp.retransmissions();
    r.dup_acks = n(TcpFlag::DuplicateAck);
    r.lost_segments = n(TcpFlag::LostSegment);
    r.out_of_order = n(TcpFlag::OutOfOrder);
    r.zero_windows = n(TcpFlag::ZeroWindow);
  }
  return r;
}

// Endpoint order: the address (IpAddr's own order), then the port.
bool endpoint_less(const wire::IpAddr& x, std::uint16_t x_port, const wire::IpAddr& y, std::uint16_t y_port) {
  if (x != y) return x < y;
  return x_port < y_port;
}

}  // namespace

bool flow_matches(const FlowRow& row, std::string_view filter) {
  std::size_t i = 0;
  while (i < filter.size()) {
    while (i < filter.size() && filter[i] == ' ') ++i;
    std::size_t end = i;
    while (end < filter.size() && filter[end] != ' ') ++end;
    if (end > i && !contains_ignoring_case(row.search, filter.substr(i, end - i))) return false;
    i = end;
  }
  return true;
}

CaptureFlows::CaptureFlows(const Trace& trace, const FlowAnalyzer& analysis, std::uint32_t non_ip_flow) {
  const auto& conversations = analysis.conversations();
  rows_.reserve(conversations.size());
  for (const Conversation& c : conversations) rows_.push_back(make_row(trace, c, non_ip_flow));

  // Two passes (count, then place) give every conversation's packets in one array, in Trace order.
  const std::size_t n = trace.packet_count();
  std::vector<std::uint32_t> owner(n, kNoPacket);
  offsets_.assign(conversations.size() + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = analysis.conversation_of(trace.flow_of(i), static_cast<std::uint32_t>(i));
    if (!c || *c >= conversations.size()) continue;
    owner[i] = *c;
    ++offsets_[*c + 1];
  }
  for (std::size_t c = 0; c < conversations.size(); ++c) offsets_[c + 1] += offsets_[c];
  packets_.resize(offsets_.back());
  std::vector<std::uint32_t> next(offsets_.begin(), offsets_.end() - 1);
  for (std::size_t i = 0; i < n; ++i)
    if (owner[i] != kNoPacket) packets_[next[owner[i]]++] = static_cast<std::uint32_t>(i);

  // Findings: the analyzer lists one record per flag, in packet order; a packet's flags are adjacent.
  struct Flagged {
    std::uint32_t conversation, packet;
    FlagMask mask;
  };
  std::vector<Flagged> flagged;
  for (const FlaggedPacket& f : analysis.flagged()) {
    if (f.conversation >= conversations.size()) continue;
    if (!flagged.empty() && flagged.back().packet == f.packet &&
        flagged.back().conversation == f.conversation)
      flagged.back().mask |= flag_bit(f.flag);
    else
      flagged.push_back({f.conversation, f.packet, flag_bit(f.flag)});
  }
  std::erase_if(flagged, [](const Flagged& f) { return most_telling(f.mask) == Finding::None; });
  finding_offsets_.assign(conversations.size() + 1, 0);
  for (const Flagged& f : flagged) ++finding_offsets_[f.conversation + 1];
  for (std::size_t c = 0; c < conversations.size(); ++c) finding_offsets_[c + 1] += finding_offsets_[c];
  findings_.resize(flagged.size());
  std::vector<std::uint32_t> slot(finding_offsets_.begin(), finding_offsets_.end() - 1);
  for (const Flagged& f : flagged) findings_[slot[f.conversation]++] = {f.packet, most_telling(f.mask)};
}

std::span<const PacketFinding> CaptureFlows::findings_of(std::uint32_t conversation) const {
  if (conversation + 1 >= finding_offsets_.size()) return {};
  return std::span<const PacketFinding>(findings_).subspan(
      finding_offsets_[conversation], finding_offsets_[conversation + 1] - finding_offsets_[conversation]);
}

double flow_rate(const FlowRow& row) {
  const std::int64_t d = row.last_ns - row.first_ns;
  return d > 0 ? static_cast<double>(row.bytes) * 1e9 / static_cast<double>(d) : 0.0;
}

std::span<const std::uint32_t> CaptureFlows::packets_of(std::uint32_t conversation) const {
  if (conversation + 1 >= offsets_.size()) return {};
  return std::span<const std::uint32_t>(packets_).subspan(
      offsets_[conversation], offsets_[conversation + 1] - offsets_[conversation]);
}

std::vector<std::uint32_t> CaptureFlows::packets_of(std::span<const std::uint32_t> conversations) const {
  std::vector<std::uint32_t> out;
  std::vector<std::uint32_t> seen;
  for (std::uint32_t c : conversations) {
    if (std::find(seen.begin(), seen.end(), c) != seen.end()) continue;
    seen.push_back(c);
    const auto p = packets_of(c);
    const std::size_t middle = out.size();
    out.insert(out.end(), p.begin(), p.end());
    std::inplace_merge(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(middle), out.end());
  }
  return out;
}

void CaptureFlows::list(std::string_view filter, bool show_tcp, bool show_udp, FlowColumn column,
                        bool ascending, std::vector<std::uint32_t>& out) const {
  out.clear();
  for (std::uint32_t i = 0; i < rows_.size(); ++i) {
    const FlowRow& r = rows_[i];
    if ((r.proto == Transport::Tcp && !show_tcp) || (r.proto == Transport::Udp && !show_udp)) continue;
    if (flow_matches(r, filter)) out.push_back(i);
  }
  auto less = [&](const FlowRow& x, const FlowRow& y) {
    switch (column) {
      case FlowColumn::Number:
        return false;
      case FlowColumn::Proto:
        return x.proto_text < y.proto_text;
      case FlowColumn::A:
        return endpoint_less(x.a_addr, x.a_port, y.a_addr, y.a_port);
      case FlowColumn::B:
        return endpoint_less(x.b_addr, x.b_port, y.b_addr, y.b_port);
      case FlowColumn::Packets:
        return x.packets < y.packets;
      case FlowColumn::Bytes:
        return x.bytes < y.bytes;
      case FlowColumn::Retransmissions:
        return x.retransmissions < y.retransmissions;
      case FlowColumn::DupAcks:
        return x.dup_acks < y.dup_acks;
      case FlowColumn::LostSegments:
        return x.lost_segments < y.lost_segments;
      case FlowColumn::OutOfOrder:
        return x.out_of_order < y.out_of_order;
      case FlowColumn::ZeroWindows:
        return x.zero_windows < y.zero_windows;
      case FlowColumn::Start:
        return x.first_ns < y.first_ns;
      case FlowColumn::Duration:
        return x.last_ns - x.first_ns < y.last_ns - y.first_ns;
      case FlowColumn::Rate:
        return flow_rate(x) < flow_rate(y);
    }
    return false;
  };
  std::sort(out.begin(), out.end(), [&](std::uint32_t i, std::uint32_t j) {
    const FlowRow &x = rows_[i], &y = rows_[j];
    if (less(x, y)) return ascending;
    if (less(y, x)) return !ascending;
    return ascending ? i < j : i > j;
  });
}

FlowSubset extract_flows(const Trace& whole, std::span<const std::uint32_t> packets) {
  FlowSubset out;
  out.source_packets.assign(packets.begin(), packets.end());
  out.trace.reserve_packets(packets.size());
  std::vector<std::uint32_t> flow_map(whole.flows().size(), TraceFlow::kNoHost);
  for (std::uint32_t i : packets) {
    PacketRecord p = whole.packet(i);
    // The quoted flow is a flow of `whole`: the subset's add_packet finds it again among its own.
    if (p.icmp) p.icmp->quoted_flow = IcmpRecord::kNoFlow;
    std::uint32_t& mapped = flow_map.at(p.flow);
    if (mapped == TraceFlow::kNoHost) {
      // Created from `a`'s side, so the subset's flow keeps the same a and b (and directions stay valid).
      const TraceFlow& f = whole.flows()[p.flow];
      mapped = out.trace.flow_for(f.proto, f.a, f.a_port, f.b, f.b_port).first;
    }
    p.flow = mapped;
    out.trace.add_packet(p);
  }
  return out;
}

}  // namespace wirestep
