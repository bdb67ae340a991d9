#include "sim/analysis/flow_analysis.hpp"

#include <algorithm>
#include <climits>

#include "sim/trace/hop_copy.hpp"
#include "sim/wire/arp.hpp"
#include "sim/wire/ethernet.hpp"
#include "sim/wire/icmp.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/ipv6.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {
namespace {
namespace tf = wire::tcp_flag;

// b - a, saturating: fuzzed files carry timestamps decades apart.
std::int64_t interval(std::int64_t a, std::int64_t b) {
  std::int64_t d = 0;
  if (__builtin_sub_overflow(b, a, &d)) return b < a ? INT64_MIN : INT64_MAX;
  return d;
}
}  // namespace

void TimeStats::add(std::int64_t ns) {
  if (count == 0 || ns < min_ns) min_ns = ns;
  if (count == 0 || ns > max_ns) max_ns = ns;
  if (__builtin_add_overflow(sum_ns, ns, &sum_ns)) sum_ns = INT64_MAX;  // absurd stamps: saturate
  ++count;
}

std::string_view to_string(TcpPhase p) {
  switch (p) {
    case TcpPhase::Handshake:
      return "handshake";
    case TcpPhase::Data:
      return "data";
    case TcpPhase::Teardown:
      return "teardown";
  }
  return "?";
}

std::uint32_t TcpConversation::retransmissions() const {
  return flags[static_cast<std::size_t>(TcpFlag::Retransmission)] +
         flags[static_cast<std::size_t>(TcpFlag::FastRetransmission)] +
         flags[static_cast<std::size_t>(TcpFlag::SpuriousRetransmission)];
}

TcpPhase TcpConversation::phase_of(std::uint32_t packet) const {
  if (teardown_packet != kNoPacket && packet >= teardown_packet) return TcpPhase::Teardown;
  if (data_packet != kNoPacket && packet >= data_packet) return TcpPhase::Data;
  if (handshake_packet != kNoPacket) return TcpPhase::Handshake;
  return TcpPhase::Data;  // joined mid-connection
}

Conversation& FlowAnalyzer::start_conversation(Transport proto, const PacketRecord& rec,
                                               const FrameInfo& info) {
  Conversation c;
  c.id = static_cast<std::uint32_t>(conversations_.size());
  c.proto = proto;
  c.trace_flow = rec.flow;
  c.initiator = rec.dir;
  // The initiator sent the SYN; when only the SYN-ACK was captured, it is the SYN-ACK's receiver.
  if (proto == Transport::Tcp && (rec.tcp_flags & (tf::kSyn | tf::kAck)) == (tf::kSyn | tf::kAck))
    c.initiator = opposite(rec.dir);
  c.first_packet = info.packet;
  c.first_frame = info.frame;
  c.first_time_ns = info.time_ns;
  if (proto == Transport::Tcp) c.tcp.stream = tcp_streams_++;
  conversations_.push_back(c);
  tcp_state_.push_back(proto == Transport::Tcp ? std::make_unique<TcpStreamAnalysis>() : nullptr);
  end_states_.emplace_back();
  if (by_flow_.size() <= rec.flow) by_flow_.resize(rec.flow + 1);
  by_flow_[rec.flow].push_back(c.id);
  return conversations_.back();
}

void FlowAnalyzer::add(const PacketRecord& rec, const FrameInfo& info) {
  const Transport proto = info.proto;
  const bool known_flow = rec.flow < by_flow_.size() && !by_flow_[rec.flow].empty();
  Conversation* c = known_flow ? &conversations_[by_flow_[rec.flow].back()] : nullptr;

  TcpSegment seg;
  if (proto == Transport::Tcp) {
    seg.packet = info.packet;
    seg.time_ns = info.time_ns;
    seg.flags = rec.tcp_flags;
    seg.seq = rec.seq;
    seg.ack = rec.ack;
    seg.len = rec.payload_len;
    seg.window = rec.window;
    if (rec.options) seg.window_scale = rec.options->window_scale;
    // Port reuse: a SYN with a new initial sequence number starts the next stream (Wireshark's tcp.stream).
    if (c && info.analyzable && tcp_state_[c->id] &&
        tcp_state_[c->id]->starts_new_stream(static_cast<int>(rec.dir), seg)) {
      tcp_state_[c->id]->release();
      c = nullptr;
    }
  }
  if (!c) c = &start_conversation(proto, rec, info);

  DirectionTotals& totals = c->by_direction[static_cast<int>(rec.dir)];
  ++totals.packets;
  totals.bytes += info.wire_len;
  if (proto != Transport::Other) totals.payload_bytes += rec.payload_len;
  c->last_packet = info.packet;
  c->last_frame = info.frame;
  c->last_time_ns = info.time_ns;

  if (proto == Transport::Tcp) {
    TcpConversation& t = c->tcp;
    if (rec.tcp_flags & tf::kSyn) ++t.syn;
    if (rec.tcp_flags & tf::kFin) ++t.fin;
    if (rec.tcp_flags & tf::kRst) ++t.rst;
    if ((rec.tcp_flags & tf::kSyn) && t.handshake_packet == kNoPacket) t.handshake_packet = info.packet;
    if (rec.payload_len > 0 && t.data_packet == kNoPacket) t.data_packet = info.packet;
    if ((rec.tcp_flags & (tf::kFin | tf::kRst)) && t.teardown_packet == kNoPacket)
      t.teardown_packet = info.packet;
    end_states_[c->id].on_segment(static_cast<int>(rec.dir), rec.tcp_flags, rec.seq, rec.ack,
                                  rec.payload_len);
    TcpStreamAnalysis* state = tcp_state_[c->id].get();
    if (!info.analyzable || !state) {
      ++t.unanalyzed;
      return;
    }
    const TcpSegmentResult r = state->on_segment(static_cast<int>(rec.dir), seg);
    for (std::size_t i = 0; i < r.count; ++i) {
      const TcpFlagHit& h = r.hits[i];
      ++t.flags[static_cast<std::size_t>(h.flag)];
      flagged_.push_back(
          FlaggedPacket{info.packet, info.frame, c->id, h.ref_packet, h.first_sent, h.value, h.flag});
    }
    if (r.acked_packet != kNoPacket && r.ack_rtt_ns >= 0) {
      t.ack_rtt.add(r.ack_rtt_ns);
      if (options_.keep_rtt_samples)
        rtt_samples_.push_back(RttSample{info.packet, r.acked_packet, r.ack_rtt_ns});
    }
    return;
  }
  if (proto == Transport::Icmp && rec.icmp) {
    const wire::IcmpMessage& m = rec.icmp->message;
    const bool request = m.v6 ? m.type == wire::icmp6::kEchoRequest : m.type == wire::icmp4::kEchoRequest;
    if (m.is_echo())
      ++(request ? c->icmp.echo_requests : c->icmp.echo_replies);
    else if (m.is_error())
      ++c->icmp.errors;
    else
      ++c->icmp.other;
    // The error is also counted on the conversation of the packet it quotes, when that is in the capture.
    if (m.is_error() && rec.icmp->quoted_flow != IcmpRecord::kNoFlow)
      if (auto quoted = conversation_of(rec.icmp->quoted_flow, info.packet); quoted && *quoted != c->id)
        ++conversations_[*quoted].icmp_errors;
    return;
  }
  if (proto == Transport::Arp && rec.arp) {
    if (rec.arp->op == static_cast<std::uint16_t>(wire::ArpOp::Request)) ++c->arp.requests;
    if (rec.arp->op == static_cast<std::uint16_t>(wire::ArpOp::Reply)) ++c->arp.replies;
    return;
  }
  if (proto == Transport::Udp) {
    UdpConversation& u = c->udp;
    const std::uint64_t datagrams = c->packets();
    if (datagrams == 1 || rec.payload_len < u.min_payload) u.min_payload = rec.payload_len;
    if (datagrams == 1 || rec.payload_len > u.max_payload) u.max_payload = rec.payload_len;
    if (datagrams > 1) u.gaps.add(std::max<std::int64_t>(0, interval(u.last_time_ns, info.time_ns)));
    u.last_time_ns = info.time_ns;
  }
}

void FlowAnalyzer::finish() {
  for (std::size_t i = 0; i < conversations_.size(); ++i) {
    TcpStreamAnalysis* state = tcp_state_[i].get();
    if (!state) continue;
    TcpConversation& t = conversations_[i].tcp;
    t.initial_rtt_ns = state->initial_rtt_ns();
    t.base_seq = {state->base_seq(0), state->base_seq(1)};
    t.end_state = {end_states_[i].state(0), end_states_[i].state(1)};
    tcp_state_[i].reset();
  }
}

std::optional<std::uint32_t> FlowAnalyzer::conversation_of(std::uint32_t trace_flow,
                                                           std::uint32_t packet) const {
  if (trace_flow >= by_flow_.size()) return std::nullopt;
  const auto& ids = by_flow_[trace_flow];
  // Conversations of one flow follow each other in time: the last one starting at or before the packet.
  auto it = std::upper_bound(ids.begin(), ids.end(), packet, [&](std::uint32_t p, std::uint32_t id) {
    return p < conversations_[id].first_packet;
  });
  if (it == ids.begin()) return std::nullopt;
  return *(it - 1);
}

FlowAnalyzer analyze_trace(const Trace& trace, FlowAnalyzer::Options options) {
  FlowAnalyzer analyzer(options);
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    // A router's or switch's copy of a packet is the same packet one link further, not a retransmission.
    if (is_hop_copy(trace, i)) continue;
    const PacketRecord rec = trace.packet(i);
    FrameInfo info;
    info.packet = static_cast<std::uint32_t>(i);
    info.frame = static_cast<std::uint32_t>(i + 1);
    info.time_ns = rec.time.ns;
    info.proto = trace.flows().at(rec.flow).proto;
    info.analyzable = info.proto == Transport::Tcp && !(rec.marks & (mark::kMalformed | mark::kFragment));
    // Length on the wire as the pcap export frames it: Ethernet II + IPv4 + transport header + payload.
    std::uint32_t l4 = 0;
    if (info.proto == Transport::Tcp)
      l4 = static_cast<std::uint32_t>(wire::kTcpMinHeaderLen +
                                      (rec.options ? wire::tcp_options_length(*rec.options) : 0));
    else if (info.proto == Transport::Udp)
      l4 = static_cast<std::uint32_t>(wire::kUdpHeaderLen);
    else if (rec.icmp)
      l4 = static_cast<std::uint32_t>(wire::kIcmpHeaderLen);
    info.wire_len =
        static_cast<std::uint32_t>(wire::kEthernetHeaderLen + wire::kIpv4MinHeaderLen) + l4 + rec.payload_len;
    if (rec.arp) info.wire_len = 60;  // encode_arp pads to Ethernet's minimum frame
    if (rec.icmp && rec.icmp->message.v6)
      info.wire_len += static_cast<std::uint32_t>(wire::kIpv6HeaderLen - wire::kIpv4MinHeaderLen);
    analyzer.add(rec, info);
  }
  analyzer.finish();
  return analyzer;
}

}  // namespace wirestep
