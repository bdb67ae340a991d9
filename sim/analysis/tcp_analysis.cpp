#include "sim/analysis/tcp_analysis.hpp"

#include <algorithm>

#include "sim/tcp/seq_num.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {
namespace {

namespace tf = wire::tcp_flag;

constexpr std::uint32_t bit(TcpFlag f) {
  return 1u << static_cast<unsigned>(f);
}

// Wireshark's thresholds (packet-tcp.c): a fast retransmission follows the last duplicate ACK within 20 ms;
// without a handshake RTT, "out of order" means within 3 ms of the highest segment.
constexpr std::uint64_t kFastRetransmitWindowNs = 20'000'000;
constexpr std::int64_t kDefaultOutOfOrderNs = 3'000'000;

bool gt(std::uint32_t a, std::uint32_t b) {
  return SeqNum(a) > SeqNum(b);
}
bool lt(std::uint32_t a, std::uint32_t b) {
  return SeqNum(a) < SeqNum(b);
}
bool le(std::uint32_t a, std::uint32_t b) {
  return SeqNum(a) <= SeqNum(b);
}

// Time from `then` to `now` as Wireshark's guint64 arithmetic has it: a stamp going backwards wraps to an
// interval too long for every threshold.
std::uint64_t since(std::int64_t now, std::int64_t then) {
  return static_cast<std::uint64_t>(now) - static_cast<std::uint64_t>(then);
}
// The same as a signed interval (hostile stamps must not overflow).
std::int64_t delta(std::int64_t now, std::int64_t then) {
  return static_cast<std::int64_t>(since(now, then));
}

}  // namespace

std::string_view wireshark_name(TcpFlag f) {
  switch (f) {
    case TcpFlag::Retransmission:
      return "retransmission";
    case TcpFlag::FastRetransmission:
      return "fast_retransmission";
    case TcpFlag::SpuriousRetransmission:
      return "spurious_retransmission";
    case TcpFlag::DuplicateAck:
      return "duplicate_ack";
    case TcpFlag::OutOfOrder:
      return "out_of_order";
    case TcpFlag::LostSegment:
      return "lost_segment";
    case TcpFlag::AckLostSegment:
      return "ack_lost_segment";
    case TcpFlag::ZeroWindow:
      return "zero_window";
    case TcpFlag::ZeroWindowProbe:
      return "zero_window_probe";
    case TcpFlag::ZeroWindowProbeAck:
      return "zero_window_probe_ack";
    case TcpFlag::WindowFull:
      return "window_full";
    case TcpFlag::WindowUpdate:
      return "window_update";
    case TcpFlag::KeepAlive:
      return "keep_alive";
    case TcpFlag::KeepAliveAck:
      return "keep_alive_ack";
    case TcpFlag::Reset:
      return "rst";
  }
  return "?";
}

bool TcpStreamAnalysis::starts_new_stream(int dir, const TcpSegment& s) const {
  const Side& fwd = dirs_[dir & 1];
  return (s.flags & (tf::kSyn | tf::kAck)) == tf::kSyn && fwd.base_seq_set && s.seq != fwd.base_seq;
}

void TcpStreamAnalysis::release() {
  for (Side& d : dirs_) std::vector<Unacked>().swap(d.unacked);
}

// The oldest unacknowledged segment holding `seq`: where the retransmitted bytes were first sent. Wireshark
// names the oldest unacknowledged segment of the direction instead (tcp.analysis.rto_frame); that is the
// fallback, and the highest segment when the list is empty.
std::uint32_t TcpStreamAnalysis::first_sent(const Side& fwd, std::uint32_t seq, bool fallback) const {
  for (const Unacked& u : fwd.unacked)
    if (le(u.seq, seq) && lt(seq, u.nextseq)) return u.packet;
  if (!fallback) return kNoPacket;
  if (!fwd.unacked.empty()) return fwd.unacked.front().packet;
  return fwd.nextseq_packet;
}

TcpSegmentResult TcpStreamAnalysis::on_segment(int dir, const TcpSegment& s) {
  Side& fwd = dirs_[dir & 1];
  Side& rev = dirs_[(dir & 1) ^ 1];
  TcpSegmentResult out;

  // A SYN repeating the initial sequence number restores the next sequence number (Wireshark issue 17616:
  // an RST sent with SEQ = the received ACK can have moved it). A SYN-ACK with a new one replaces it.
  if ((s.flags & (tf::kSyn | tf::kAck)) == tf::kSyn && fwd.base_seq_set && s.seq == fwd.base_seq)
    fwd.nextseq = fwd.maxseqtobeacked;
  if ((s.flags & (tf::kSyn | tf::kAck)) == (tf::kSyn | tf::kAck) && fwd.base_seq_set && s.seq != fwd.base_seq)
    fwd.base_seq = s.seq;

  analyze_sequence(fwd, rev, s, out);
  if (s.flags & tf::kRst) out.add(TcpFlag::Reset);

  // After the analysis, as Wireshark does: SYN bookkeeping, the handshake RTT, window scaling.
  if (s.flags & tf::kSyn) {
    if (!(s.flags & tf::kAck)) mru_syn_ns_ = s.time_ns;
    fwd.is_first_ack = true;
  }
  if ((s.flags & (tf::kSyn | tf::kAck)) == tf::kAck) {
    // The first pure ACK after a SYN completes the handshake. A zero interval counts as "not measured",
    // as in Wireshark (it keeps the RTT as a time where zero means unset); a negative one (stamps going
    // backwards) is kept, as there, and makes the out-of-order window endless.
    if (mru_syn_ns_ && handshake_rtt_ns_ == 0) handshake_rtt_ns_ = delta(s.time_ns, *mru_syn_ns_);
    fwd.is_first_ack = false;
  }
  if (s.flags & tf::kSyn) {
    // RFC 7323 §2.3: a shift above 14 is used as 14.
    if (s.window_scale) fwd.win_scale = static_cast<std::int8_t>(std::min<std::uint8_t>(*s.window_scale, 14));
    // Scaling is in use only if both SYNs offered it (RFC 7323 §2.2).
    if (fwd.win_scale == -1) {
      fwd.win_scale = rev.win_scale = -2;
    } else if ((s.flags & tf::kAck) && rev.win_scale == -2) {
      fwd.win_scale = -2;
    }
  }
  return out;
}

void TcpStreamAnalysis::analyze_sequence(Side& fwd, Side& rev, const TcpSegment& s, TcpSegmentResult& out) {
  const std::uint32_t seq = s.seq, ack = s.ack, len = s.len, window = s.window;
  const bool syn_fin_rst = s.flags & (tf::kSyn | tf::kFin | tf::kRst);
  const bool same_seq_ack = seq == fwd.nextseq && ack == fwd.lastack;

  // Relative sequence numbers start at the SYN, or one before the first segment seen.
  if (!fwd.base_seq_set) {
    fwd.base_seq = (s.flags & tf::kSyn) ? seq : seq - 1;
    fwd.base_seq_set = true;
  }
  if (!rev.base_seq_set && (s.flags & tf::kAck)) {
    rev.base_seq = ack - 1;
    rev.base_seq_set = true;
  }

  bool skip_to_ack_checks = false;
  // Zero-window probe: exactly one byte at the next sequence number while the peer's window is zero
  // (RFC 9293 §3.8.6.1).
  if (len == 1 && seq == fwd.nextseq && rev.window == 0) {
    out.add(TcpFlag::ZeroWindowProbe, rev.last_packet, seq);
    skip_to_ack_checks = true;
  }
  if (!skip_to_ack_checks) {
    if (window == 0 && !syn_fin_rst) out.add(TcpFlag::ZeroWindow);
    // Previous segment not captured: this one starts beyond the highest sequence number seen.
    if (fwd.nextseq && gt(seq, fwd.nextseq) && !(s.flags & tf::kRst))
      out.add(TcpFlag::LostSegment, fwd.nextseq_packet, fwd.nextseq);
    // Keep-alive (RFC 1122 §4.2.3.6): zero or one byte, one before the next sequence number.
    if ((len == 0 || len == 1) && seq == fwd.nextseq - 1 && !syn_fin_rst)
      out.add(TcpFlag::KeepAlive, fwd.nextseq_packet, fwd.nextseq);
    if (len == 0 && window != 0 && window != fwd.window && same_seq_ack && !syn_fin_rst)
      out.add(TcpFlag::WindowUpdate, fwd.last_packet, fwd.window);
    // Window full: the segment ends exactly at the right edge of the peer's advertised window. The peer's
    // window is not scaled until its first pure ACK after its SYN (Wireshark issue 14690).
    if (len > 0 && rev.win_scale != -1 && !syn_fin_rst) {
      const int shift = rev.is_first_ack || rev.win_scale == -2 ? 0 : rev.win_scale;
      const std::uint32_t edge = rev.lastack + (rev.window << shift);
      if (seq + len == edge) out.add(TcpFlag::WindowFull, rev.last_packet, edge);
    }
    if (len == 0 && window != 0 && window == fwd.window && same_seq_ack &&
        (rev.last_segment_flags & bit(TcpFlag::KeepAlive)) && !syn_fin_rst) {
      out.add(TcpFlag::KeepAliveAck, rev.last_packet);
      skip_to_ack_checks = true;
    }
  }
  if (!skip_to_ack_checks && len == 0 && window == 0 && window == fwd.window && same_seq_ack &&
      (rev.last_segment_flags & bit(TcpFlag::ZeroWindowProbe)) && !syn_fin_rst) {
    out.add(TcpFlag::ZeroWindowProbeAck, rev.last_packet);
    skip_to_ack_checks = true;
  }
  // Duplicate ACK: no data, same sequence number, ACK and (non-zero) window as this side's previous segment.
  if (!skip_to_ack_checks && len == 0 && window != 0 && window == fwd.window && same_seq_ack &&
      !syn_fin_rst) {
    // kAckLostReported (below) is not a count: the first duplicate after it is still #1.
    fwd.dupacknum = fwd.dupacknum == kAckLostReported ? 1 : fwd.dupacknum + 1;
    out.add(TcpFlag::DuplicateAck, fwd.last_non_dup_ack_packet, fwd.dupacknum);
  }

  if (ack != fwd.lastack) {
    fwd.last_non_dup_ack_packet = s.packet;
    fwd.dupacknum = 0;
  }

  // ACKed segment that wasn't captured: the ACK covers data beyond the highest contiguous byte seen from the
  // peer. Reported once per gap, as Wireshark 4.0 does: when the peer has sent beyond the mark since, the
  // mark moves up to the highest byte seen; otherwise the same stale ACK is reported again only after the
  // peer has sent a new ACK (its counter back at 0), and kAckLostReported there keeps it quiet until then.
  if (rev.maxseqtobeacked && gt(ack, rev.maxseqtobeacked) && (s.flags & tf::kAck)) {
    const std::uint32_t mark = rev.maxseqtobeacked;
    // Wireshark compares these as plain unsigned numbers, not as sequence numbers; so do we.
    if (rev.nextseq > rev.maxseqtobeacked) {
      rev.maxseqtobeacked = rev.nextseq;
      out.add(TcpFlag::AckLostSegment, rev.nextseq_packet, mark);
    } else {
      if (rev.dupacknum == 0) out.add(TcpFlag::AckLostSegment, rev.nextseq_packet, mark);
      rev.dupacknum = kAckLostReported;
    }
  }

  // Retransmission, fast retransmission, spurious retransmission or out-of-order: a segment with data (or
  // SYN/FIN) that does not advance the highest sequence number sent.
  if (len > 0 || (s.flags & (tf::kSyn | tf::kFin))) {
    bool seq_not_advanced = fwd.nextseq && lt(seq, fwd.nextseq);
    const bool keep_alive = out.has(TcpFlag::KeepAlive);
    // New data after a (possible) zero-window probe starts one byte early: not a retransmission.
    if (len > 1 && fwd.nextseq - 1 == seq) seq_not_advanced = false;
    // Looked up only for flagged segments: it walks the unacknowledged list.
    const auto first = [&] { return first_sent(fwd, seq, false); };
    if (keep_alive) {
      // A keep-alive is never a retransmission.
    } else if (len > 0 && rev.lastack && le(seq + len, rev.lastack)) {
      // Every byte was already acknowledged.
      out.add(TcpFlag::SpuriousRetransmission, rev.lastack_packet, rev.lastack, first());
    } else if (seq_not_advanced && rev.dupacknum >= 2 && rev.lastack == seq &&
               since(s.time_ns, rev.lastack_time_ns) < kFastRetransmitWindowNs) {
      // The mark counts as "two or more" (it is Wireshark's -1 in an unsigned counter); value 0 says so.
      out.add(TcpFlag::FastRetransmission, rev.lastack_packet,
              rev.dupacknum == kAckLostReported ? 0 : rev.dupacknum, first());
    } else {
      const std::uint64_t gap = since(s.time_ns, fwd.nextseq_time_ns);
      // A negative handshake RTT, as an unsigned threshold, lets every gap in (Wireshark's arithmetic).
      const std::uint64_t threshold =
          static_cast<std::uint64_t>(handshake_rtt_ns_ != 0 ? handshake_rtt_ns_ : kDefaultOutOfOrderNs);
      const std::uint32_t end = seq + len + ((s.flags & (tf::kSyn | tf::kFin)) ? 1 : 0);
      if (seq_not_advanced && gap < threshold && fwd.nextseq != end) {
        out.add(TcpFlag::OutOfOrder, fwd.nextseq_packet,
                static_cast<std::uint32_t>(std::min<std::uint64_t>(gap / 1000, UINT32_MAX)), first());
      } else if (seq_not_advanced) {
        const std::uint32_t original = first_sent(fwd, seq, true);
        out.add(TcpFlag::Retransmission, original, fwd.nextseq, original);
      }
    }
  }

  std::uint32_t nextseq = seq + len;
  const bool zero_window_probe = out.has(TcpFlag::ZeroWindowProbe);
  if ((len > 0 || (s.flags & (tf::kSyn | tf::kFin))) && fwd.unacked.size() < kMaxUnackedSegments) {
    // SYN and FIN take one sequence number (RFC 9293 §3.4). As in Wireshark, only counted when the segment
    // is remembered.
    if (s.flags & (tf::kSyn | tf::kFin)) nextseq += 1;
    fwd.unacked.push_back(Unacked{s.packet, seq, nextseq, s.time_ns});
  }
  // A zero-window probe does not move the edges: its byte is normally refused.
  if ((gt(nextseq, fwd.nextseq) || !fwd.nextseq) && !zero_window_probe) {
    fwd.nextseq = nextseq;
    fwd.nextseq_packet = s.packet;
    fwd.nextseq_time_ns = s.time_ns;
  }
  if ((seq == fwd.maxseqtobeacked || !fwd.maxseqtobeacked) && !zero_window_probe)
    fwd.maxseqtobeacked = fwd.nextseq;

  fwd.window = window;
  fwd.lastack = ack;
  fwd.lastack_packet = s.packet;
  fwd.lastack_time_ns = s.time_ns;
  fwd.last_packet = s.packet;
  std::uint32_t flags_bits = 0;
  for (std::size_t i = 0; i < out.count; ++i) flags_bits |= bit(out.hits[i].flag);
  fwd.last_segment_flags = flags_bits;

  // Forget what this ACK covers; an exact match gives the RTT sample (tcp.analysis.ack_rtt). Wireshark
  // walks newest to oldest and keeps the last match: the oldest, so scan oldest first and keep the first.
  // The ACK field is used even without the ACK flag, as there.
  auto& list = rev.unacked;
  std::size_t keep = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    Unacked u = list[i];
    if (ack == u.nextseq) {
      if (out.acked_packet == kNoPacket) {
        out.acked_packet = u.packet;
        const std::int64_t rtt = delta(s.time_ns, u.time_ns);
        out.ack_rtt_ns = rtt < 0 ? -1 : rtt;  // a stamp going backwards gives no sample
      }
      continue;  // acknowledged: dropped
    }
    if (gt(ack, u.seq) && le(ack, u.nextseq)) {
      u.seq = ack;  // partly acknowledged
      list[keep++] = u;
      continue;
    }
    if (gt(u.nextseq, ack)) {
      list[keep++] = u;  // not yet acknowledged
      continue;
    }
    // Entirely below the ACK: dropped.
  }
  list.resize(keep);
}

}  // namespace wirestep
