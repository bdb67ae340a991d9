#include "sim/trace/trace.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "sim/trace/bulk_payload.hpp"

namespace wirestep {

std::string_view to_string(Fate f) {
  switch (f) {
    case Fate::Delivered:
      return "delivered";
    case Fate::DroppedByLink:
      return "dropped-by-link";
    case Fate::DroppedByQueue:
      return "dropped-by-queue";
    case Fate::DroppedByHost:
      return "dropped-by-host";
    case Fate::InFlight:
      return "in-flight";
    case Fate::Captured:
      return "captured";
  }
  return "?";
}

std::string_view to_string(Cause c) {
  switch (c) {
    case Cause::Datagram:
      return "datagram";
    case Cause::FirstTransmission:
      return "first-transmission";
    case Cause::RtoRetransmission:
      return "rto-retransmission";
    case Cause::FastRetransmission:
      return "fast-retransmission";
    case Cause::RecoveryRetransmission:
      return "recovery-retransmission";
    case Cause::RackRetransmission:
      return "rack-retransmission";
    case Cause::TailLossProbe:
      return "tail-loss-probe";
    case Cause::RepeatedSynAnswer:
      return "repeated-syn-answer";
    case Cause::ZeroWindowProbe:
      return "zero-window-probe";
    case Cause::PureAck:
      return "ack";
    case Cause::DuplicateAck:
      return "duplicate-ack";
    case Cause::WindowUpdate:
      return "window-update";
    case Cause::KeepAlive:
      return "keep-alive";
    case Cause::Reset:
      return "reset";
    case Cause::LinkDuplicate:
      return "link-duplicate";
    case Cause::Captured:
      return "captured";
  }
  return "?";
}

std::string_view to_string(EventKind k) {
  switch (k) {
    case EventKind::SocketCall:
      return "socket-call";
    case EventKind::SocketBlocked:
      return "socket-blocked";
    case EventKind::SocketReturn:
      return "socket-return";
    case EventKind::StateChange:
      return "state-change";
    case EventKind::TimerArm:
      return "timer-arm";
    case EventKind::TimerCancel:
      return "timer-cancel";
    case EventKind::TimerFire:
      return "timer-fire";
    case EventKind::Variable:
      return "variable";
    case EventKind::Note:
      return "note";
  }
  return "?";
}

std::uint32_t Trace::add_host(TraceHost host) {
  hosts_.push_back(std::move(host));
  return static_cast<std::uint32_t>(hosts_.size() - 1);
}

std::pair<std::uint32_t, Direction> Trace::flow_for(Transport proto, const wire::IpAddr& src,
                                                    std::uint16_t sport, const wire::IpAddr& dst,
                                                    std::uint16_t dport, std::uint32_t src_host,
                                                    std::uint32_t dst_host) {
  const auto p = static_cast<std::uint8_t>(proto);
  // Two tree walks for a new flow, not three: the forward key's position serves as the insertion hint
  // (captures with thousands of short connections create a flow every few hundred packets).
  const std::tuple forward{p, src, sport, dst, dport};
  const auto at = flow_index_.lower_bound(forward);
  if (at != flow_index_.end() && at->first == forward) return {at->second, Direction::AtoB};
  if (auto it = flow_index_.find({p, dst, dport, src, sport}); it != flow_index_.end())
    return {it->second, Direction::BtoA};
  const auto id = static_cast<std::uint32_t>(flows_.size());
  flows_.push_back(TraceFlow{proto, src, sport, dst, dport, src_host, dst_host});
  flow_index_.emplace_hint(at, forward, id);
  return {id, Direction::AtoB};
}

std::uint16_t Trace::add_drop_rule(std::string description) {
  drop_rules_.push_back(std::move(description));
  return static_cast<std::uint16_t>(drop_rules_.size());
}

namespace {
// Col::Packed bits: direction (0), fate (1-3), and which side tables hold something for the packet.
constexpr std::uint8_t kPackedDir = 0x01;
constexpr std::uint8_t kPackedFateShift = 1;
constexpr std::uint8_t kPackedFate = 0x0E;
constexpr std::uint8_t kHasRule = 0x10;
constexpr std::uint8_t kHasOptions = 0x20;
constexpr std::uint8_t kHasHighRef = 0x40;
constexpr std::uint8_t kHasIcmpOrArp = 0x80;
constexpr std::uint32_t kEscaped = 0xFFFFFFFF;
constexpr std::uint16_t kEscaped16 = 0xFFFF;

std::uint8_t with_fate(std::uint8_t packed, Fate f) {
  return static_cast<std::uint8_t>((packed & ~kPackedFate) |
                                   (static_cast<std::uint8_t>(f) << kPackedFateShift));
}
}  // namespace

void Trace::store_arrive(std::uint32_t i, std::int64_t arrive) {
  const std::int64_t delta = arrive - time_[i];
  if (delta >= 0 && delta < kEscaped) {
    rows_.at<Col::ArriveDelta>(i) = static_cast<std::uint32_t>(delta);
    if (!arrive_escaped_.empty()) arrive_escaped_.erase(i);
  } else {
    rows_.at<Col::ArriveDelta>(i) = kEscaped;
    arrive_escaped_[i] = arrive;
  }
}

void Trace::store_rule(std::uint32_t i, std::uint16_t rule) {
  if (rule) {
    rows_.at<Col::Packed>(i) |= kHasRule;
    rule_[i] = rule;
  } else if (rows_.at<Col::Packed>(i) & kHasRule) {
    rows_.at<Col::Packed>(i) &= static_cast<std::uint8_t>(~kHasRule);
    rule_.erase(i);
  }
}

std::uint32_t Trace::add_packet(const PacketRecord& p) {
  if (!time_.empty() && p.time.ns < time_.back()) std::abort();  // invariant: packets arrive in time order
  const auto i = static_cast<std::uint32_t>(rows_.append_row());
  time_.push_back(p.time.ns);
  const std::int64_t arrive_delta = p.arrive.ns - p.time.ns;
  if (arrive_delta >= 0 && arrive_delta < kEscaped) [[likely]] {
    rows_.at<Col::ArriveDelta>(i) = static_cast<std::uint32_t>(arrive_delta);
  } else {
    rows_.at<Col::ArriveDelta>(i) = kEscaped;
    arrive_escaped_[i] = p.arrive.ns;
  }
  rows_.at<Col::Flow>(i) = p.flow;
  rows_.at<Col::Seq>(i) = p.seq;
  rows_.at<Col::Ack>(i) = p.ack;
  rows_.at<Col::PayloadRefLow>(i) = static_cast<std::uint32_t>(p.payload_ref);
  if (p.payload_len < kEscaped16) [[likely]] {
    rows_.at<Col::PayloadLen>(i) = static_cast<std::uint16_t>(p.payload_len);
  } else {
    rows_.at<Col::PayloadLen>(i) = kEscaped16;
    payload_len_escaped_[i] = p.payload_len;
  }
  rows_.at<Col::Window>(i) = p.window;
  rows_.at<Col::IpId>(i) = p.ip_id;
  rows_.at<Col::TcpFlags>(i) = p.tcp_flags;
  std::uint8_t packed = with_fate(static_cast<std::uint8_t>(p.dir) & kPackedDir, p.fate);
  if (p.options && !p.options->empty()) [[unlikely]] {
    packed |= kHasOptions;
    options_.append(i, p.flow * 2 + static_cast<std::uint32_t>(p.dir), *p.options);
  }
  if (p.icmp || p.arp) [[unlikely]] {
    packed |= kHasIcmpOrArp;
    if (p.icmp) {
      IcmpRecord r = *p.icmp;
      if (r.quoted_flow == IcmpRecord::kNoFlow && r.message.quote)
        r.quoted_flow = find_quoted_flow(*r.message.quote).value_or(IcmpRecord::kNoFlow);
      icmp_.emplace_back(i, std::move(r));
    }
    if (p.arp) arp_.emplace_back(i, *p.arp);
  }
  if (p.payload_ref >> 32) [[unlikely]] {
    packed |= kHasHighRef;
    payload_ref_high_[i] = static_cast<std::uint32_t>(p.payload_ref >> 32);
  }
  if (p.rule) {
    packed |= kHasRule;
    rule_[i] = p.rule;
  }
  rows_.at<Col::Packed>(i) = packed;
  rows_.at<Col::CauseOf>(i) = static_cast<std::uint8_t>(p.cause);
  rows_.at<Col::Marks>(i) = p.marks;
  rows_.at<Col::Ttl>(i) = p.ttl;
  return i;
}

void Trace::reserve_packets(std::size_t n) {
  time_.reserve(n);
  rows_.reserve(n);
}

std::uint64_t Trace::payload_ref(std::size_t i) const {
  std::uint64_t ref = rows_.at<Col::PayloadRefLow>(i);
  if (rows_.at<Col::Packed>(i) & kHasHighRef)
    ref |= std::uint64_t{payload_ref_high_.at(static_cast<std::uint32_t>(i))} << 32;
  return ref;
}

SimTime Trace::arrive(std::size_t i) const {
  const std::uint32_t d = rows_.at<Col::ArriveDelta>(i);
  return SimTime{d != kEscaped ? time_[i] + d : arrive_escaped_.at(static_cast<std::uint32_t>(i))};
}

PacketRecord Trace::packet(std::size_t i) const {
  PacketRecord p;
  p.time = SimTime{time_.at(i)};
  p.arrive = arrive(i);
  p.flow = rows_.at<Col::Flow>(i);
  const std::uint8_t packed = rows_.at<Col::Packed>(i);
  p.dir = static_cast<Direction>(packed & kPackedDir);
  p.fate = static_cast<Fate>((packed & kPackedFate) >> kPackedFateShift);
  p.tcp_flags = rows_.at<Col::TcpFlags>(i);
  p.seq = rows_.at<Col::Seq>(i);
  p.ack = rows_.at<Col::Ack>(i);
  p.payload_len = payload_len(i);
  p.window = rows_.at<Col::Window>(i);
  p.ip_id = rows_.at<Col::IpId>(i);
  p.ttl = rows_.at<Col::Ttl>(i);
  p.cause = static_cast<Cause>(rows_.at<Col::CauseOf>(i));
  p.marks = rows_.at<Col::Marks>(i);
  if (packed & kHasRule) p.rule = rule_.at(static_cast<std::uint32_t>(i));
  p.options = options(i);
  if (packed & kHasIcmpOrArp) [[unlikely]] {
    if (const IcmpRecord* r = icmp(i)) p.icmp = *r;
    if (const wire::ArpPacket* a = arp(i)) p.arp = *a;
  }
  p.payload_ref = payload_ref(i);
  return p;
}

std::optional<wire::TcpOptions> Trace::options(std::size_t i) const {
  if (!(rows_.at<Col::Packed>(i) & kHasOptions)) return std::nullopt;
  return options_.find(static_cast<std::uint32_t>(i));
}

namespace {
template <typename T>
const T* side_entry(const std::vector<std::pair<std::uint32_t, T>>& table, std::size_t i) {
  auto it = std::lower_bound(table.begin(), table.end(), static_cast<std::uint32_t>(i),
                             [](const auto& entry, std::uint32_t idx) { return entry.first < idx; });
  return it != table.end() && it->first == i ? &it->second : nullptr;
}
}  // namespace

const IcmpRecord* Trace::icmp(std::size_t i) const {
  if (!(rows_.at<Col::Packed>(i) & kHasIcmpOrArp)) return nullptr;
  return side_entry(icmp_, i);
}

const wire::ArpPacket* Trace::arp(std::size_t i) const {
  if (!(rows_.at<Col::Packed>(i) & kHasIcmpOrArp)) return nullptr;
  return side_entry(arp_, i);
}

void Trace::set_hop(std::uint32_t packet, const LinkHop& hop) {
  if (!hops_.empty() && hops_.back().first >= packet) {
    for (auto& [i, h] : hops_)
      if (i == packet) h = hop;
    return;
  }
  hops_.emplace_back(packet, hop);
}

const Trace::LinkHop* Trace::hop(std::size_t i) const {
  auto it = std::lower_bound(hops_.begin(), hops_.end(), i,
                             [](const auto& e, std::size_t k) { return e.first < k; });
  return it != hops_.end() && it->first == i ? &it->second : nullptr;
}

std::optional<std::uint32_t> Trace::find_flow(Transport proto, const wire::IpAddr& src, std::uint16_t sport,
                                              const wire::IpAddr& dst, std::uint16_t dport) const {
  const auto p = static_cast<std::uint8_t>(proto);
  if (auto it = flow_index_.find({p, src, sport, dst, dport}); it != flow_index_.end()) return it->second;
  if (auto it = flow_index_.find({p, dst, dport, src, sport}); it != flow_index_.end()) return it->second;
  return std::nullopt;
}

std::optional<std::uint32_t> Trace::find_quoted_flow(const wire::IcmpQuote& q) const {
  if (q.state == wire::QuoteState::Unreadable) return std::nullopt;
  if (q.protocol == wire::kIpProtoTcp || q.protocol == wire::kIpProtoUdp) {
    if (!q.has_ports) return std::nullopt;
    return find_flow(q.protocol == wire::kIpProtoTcp ? Transport::Tcp : Transport::Udp, q.src, q.src_port,
                     q.dst, q.dst_port);
  }
  if (q.protocol == wire::kIpProtoIcmp || q.protocol == wire::kIpProtoIcmpv6)
    return find_flow(Transport::Icmp, q.src, 0, q.dst, 0);
  return std::nullopt;
}

void Trace::set_fate(std::size_t i, Fate fate, SimTime when, std::uint16_t rule) {
  rows_.checked<Col::Packed>(i) = with_fate(rows_.at<Col::Packed>(i), fate);
  const auto idx = static_cast<std::uint32_t>(i);
  store_arrive(idx, when.ns);
  store_rule(idx, rule);
}

std::uint64_t Trace::store_payload(std::span<const std::uint8_t> bytes) {
  const std::uint64_t at = payload_arena_.size();
  payload_arena_.insert(payload_arena_.end(), bytes.begin(), bytes.end());
  return at;
}

void Trace::add_stream_chunk(std::uint32_t flow, Direction dir, std::uint64_t stream_offset,
                             std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return;
  auto& chunks = stream_chunks_[{flow, static_cast<std::uint8_t>(dir)}];
  chunks.push_back(
      StreamChunk{stream_offset, store_payload(bytes), static_cast<std::uint32_t>(bytes.size())});
}

void Trace::payload_bytes(std::size_t packet, std::vector<std::uint8_t>& out) const {
  if (packet >= packet_count()) throw std::out_of_range("Trace::payload_bytes: no such packet");
  const std::size_t start = out.size();
  const std::uint32_t len = payload_len(packet);
  out.resize(start + len);
  copy_payload(packet, 0, len, out.data() + start);
}

void Trace::copy_payload(std::size_t packet, std::uint32_t from, std::uint32_t n, std::uint8_t* out) const {
  if (packet >= packet_count() || from > payload_len(packet) || n > payload_len(packet) - from)
    throw std::out_of_range("Trace::copy_payload: outside the packet's payload");
  const std::uint64_t ref = payload_ref(packet) + from;
  if (flows_.at(rows_.at<Col::Flow>(packet)).proto != Transport::Tcp) {
    if (ref <= payload_arena_.size() && n <= payload_arena_.size() - ref)
      std::copy_n(payload_arena_.begin() + static_cast<std::ptrdiff_t>(ref), n, out);
    else
      std::fill_n(out, n, 0);  // captured packets re-read their bytes from the file instead
    return;
  }
  copy_stream(rows_.at<Col::Flow>(packet), static_cast<Direction>(rows_.at<Col::Packed>(packet) & kPackedDir),
              ref, n, out);
}

void Trace::copy_stream(std::uint32_t flow, Direction dir, std::uint64_t ref, std::size_t n,
                        std::uint8_t* out) const {
  fill_bulk_payload(ref, out, n);
  auto it = stream_chunks_.find({flow, static_cast<std::uint8_t>(dir)});
  if (it == stream_chunks_.end()) return;
  // Overlay literal chunks that intersect [ref, ref + n): chunks are sorted by offset (append-only).
  const auto& chunks = it->second;
  auto c = std::upper_bound(chunks.begin(), chunks.end(), ref,
                            [](std::uint64_t off, const StreamChunk& ch) { return off < ch.offset; });
  if (c != chunks.begin()) --c;
  for (; c != chunks.end() && c->offset < ref + n; ++c) {
    const std::uint64_t lo = std::max(ref, c->offset), hi = std::min(ref + n, c->offset + c->length);
    if (lo >= hi) continue;
    std::copy_n(payload_arena_.begin() + static_cast<std::ptrdiff_t>(c->arena + (lo - c->offset)), hi - lo,
                out + (lo - ref));
  }
}

void Trace::add_event(TraceEvent e) {
  std::uint32_t text = EventLog::kNoText;
  if (!e.detail.empty()) {
    text = static_cast<std::uint32_t>(texts_.size());
    texts_.push_back(std::move(e.detail));
  }
  events_.append({e.time.ns, e.value, static_cast<std::uint32_t>(time_.size()), e.host, e.socket, text,
                  static_cast<std::uint8_t>(e.kind), e.code});
}

std::string_view to_string(TraceVar v) {
  switch (v) {
    case TraceVar::Cwnd:
      return "cwnd";
    case TraceVar::Ssthresh:
      return "ssthresh";
    case TraceVar::Srtt:
      return "srtt";
    case TraceVar::Rttvar:
      return "rttvar";
    case TraceVar::Rto:
      return "rto";
    case TraceVar::SndUna:
      return "snd.una";
    case TraceVar::SndNxt:
      return "snd.nxt";
    case TraceVar::SndWnd:
      return "snd.wnd";
    case TraceVar::RcvNxt:
      return "rcv.nxt";
    case TraceVar::RcvWnd:
      return "rcv.wnd";
    case TraceVar::Pipe:
      return "pipe";
  }
  return "?";
}

std::string_view to_string(TraceTimer t) {
  switch (t) {
    case TraceTimer::Retransmission:
      return "retransmission";
    case TraceTimer::Persist:
      return "persist";
    case TraceTimer::DelayedAck:
      return "delayed-ack";
    case TraceTimer::TimeWait:
      return "time-wait";
    case TraceTimer::KeepAlive:
      return "keep-alive";
    case TraceTimer::SackCompress:
      return "sack-compress";
  }
  return "?";
}

TraceEvent Trace::event(std::size_t i) const {
  const EventLog::Entry s = events_.at(i);
  TraceEvent e{
      SimTime{s.time}, static_cast<EventKind>(s.kind), s.host, s.socket, s.value, {}, s.packets_before,
      s.code};
  if (s.text != EventLog::kNoText) {
    e.detail = texts_[s.text];
  } else if (e.kind == EventKind::SocketCall || e.kind == EventKind::SocketBlocked ||
             e.kind == EventKind::SocketReturn) {
    switch (static_cast<SocketText>(s.code)) {
      case SocketText::Free:
        break;
      case SocketText::RecvCall:
        e.detail = "recv(" + std::to_string(s.value) + ")";
        break;
      case SocketText::RecvTruncCall:
        e.detail = "recv(" + std::to_string(s.value) + ", MSG_TRUNC)";
        break;
      case SocketText::RecvBlocked:
        e.detail = "recv blocks: no data has arrived yet";
        break;
      case SocketText::RecvReturn:
        e.detail = s.value == 0 ? std::string("recv -> 0 (end of stream: the peer closed)")
                                : "recv -> " + std::to_string(s.value) + " bytes";
        break;
    }
  } else if (e.kind == EventKind::Variable) {
    const auto v = static_cast<TraceVar>(s.code);
    const bool time_valued = v == TraceVar::Srtt || v == TraceVar::Rttvar || v == TraceVar::Rto;
    e.detail = std::string(to_string(v)) + " = " +
               (time_valued ? format_millis(SimDuration{s.value}) + " ms" : std::to_string(s.value));
  } else if (e.kind == EventKind::TimerArm) {
    e.detail = std::string(to_string(static_cast<TraceTimer>(s.code))) + " timer set for " +
               format_millis(SimTime{s.value}) + " ms";
  } else if (e.kind == EventKind::TimerCancel) {
    e.detail = std::string(to_string(static_cast<TraceTimer>(s.code))) + " timer cancelled";
  } else if (e.kind == EventKind::TimerFire) {
    e.detail = std::string(to_string(static_cast<TraceTimer>(s.code))) + " timer fired";
  }
  return e;
}

std::vector<TraceEvent> Trace::events() const {
  std::vector<TraceEvent> out;
  out.reserve(events_.size());
  for (std::size_t i = 0; i < events_.size(); ++i) out.push_back(event(i));
  return out;
}

std::size_t Trace::event_memory_bytes() const {
  std::size_t bytes = events_.memory_bytes() + texts_.capacity() * sizeof(std::string);
  for (const auto& t : texts_) bytes += t.capacity() > 15 ? t.capacity() : 0;
  return bytes;
}

std::size_t Trace::memory_bytes() const {
  // Side-table entries: a std::map node is about 48 bytes besides its key and value.
  constexpr std::size_t kNode = 48;
  return time_.resident_bytes() + rows_.memory_bytes() + arrive_escaped_.size() * (kNode + 16) +
         payload_len_escaped_.size() * (kNode + 8) + payload_ref_high_.size() * (kNode + 8) +
         rule_.size() * (kNode + 8) + options_.memory_bytes() + icmp_.capacity() * sizeof(icmp_[0]) +
         arp_.capacity() * sizeof(arp_[0]) + hops_.capacity() * sizeof(hops_[0]) + payload_arena_.capacity();
}

}  // namespace wirestep
