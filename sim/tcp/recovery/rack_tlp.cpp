#include "sim/tcp/recovery/rack_tlp.hpp"

#include <algorithm>
#include <cstdint>

namespace wirestep {

RackTlp::RackTlp(ProbeTimeoutRule pto_rule)
    : pto_rule_(pto_rule),
      // §7.3 condition 2 counts from "the start of the connection": the handshake's RTT sample is there.
      rtt_sampled_since_probe_(true) {}

void RackTlp::on_transmit(SimTime now, SeqNum start, std::uint32_t length, bool retransmission) {
  if (length == 0) return;
  const SeqNum end = start + length;
  const std::uint64_t order = ++transmissions_;
  if (!una_valid_) {
    snd_una_ = start;
    una_valid_ = true;
  }
  if (retransmission || (!segs_.empty() && start < segs_.back().end)) {
    // §6.1: a retransmission carries its own time; it is no longer lost.
    for (Segment& s : segs_) {
      if (s.start < end && start < s.end) {
        s.xmit_ts = now;
        retransmitted_count_ += s.retransmitted ? 0 : 1;
        s.xmit_order = order;
        s.retransmitted = true;
        s.lost = false;
      }
    }
    return;
  }
  segs_.push_back(Segment{start, end, now, order});
}

std::uint32_t RackTlp::segs_sacked() const {
  return sacked_count_;
}

bool RackTlp::is_lost(SeqNum seq) const {
  for (const Segment& s : segs_)
    if (s.start <= seq && seq < s.end) return s.lost;
  return false;
}

SimDuration RackTlp::reo_wnd(SimDuration srtt, bool in_recovery) const {
  // RFC 8985 §6.2 step 4 (RACK_update_reo_wnd, last part): without reordering seen, no window once
  // recovering or once DupThresh segments are SACKed, as the DupAck rule would decide then anyway.
  if (!reordering_seen_ && (in_recovery || segs_sacked() >= kDupThresh)) return SimDuration{};
  SimDuration w = min_rtt_ * reo_wnd_mult_ / 4;  // min_RTT/4 per D-SACK round seen
  if (srtt.ns > 0) w = std::min(w, srtt);
  return w;
}

void RackTlp::detect_loss(SimTime now, SimDuration srtt, bool in_recovery, RackAckResult& out) {
  reorder_deadline_.reset();
  if (!rack_valid_) return;
  const SimDuration wnd = reo_wnd(srtt, in_recovery);
  SimDuration timeout{};
  // RFC 8985 §6.2 step 5 (RACK_detect_loss): a segment sent before the most recently sent delivered one
  // is lost once RACK.rtt + reo_wnd has passed since it was sent.
  for (Segment& s : segs_) {
    if (s.sacked || s.lost) continue;
    if (!sent_after(rack_xmit_ts_, rack_xmit_order_, s.xmit_ts, s.xmit_order)) {
      // Without retransmissions segments were sent in sequence order, so none later was sent before RACK's.
      if (retransmitted_count_ == 0) break;
      continue;
    }
    const SimDuration remaining = (s.xmit_ts - now) + rack_rtt_ + wnd;
    if (remaining.ns <= 0) {
      s.lost = true;
      out.newly_lost.push_back(SackBlock{s.start, s.end});
    } else {
      timeout = std::max(timeout, remaining);
    }
  }
  if (timeout.ns > 0) reorder_deadline_ = now + timeout;
  out.reorder_deadline = reorder_deadline_;
}

RackAckResult RackTlp::on_ack(const RackAck& ack) {
  RackAckResult out;
  const bool advanced = una_valid_ && ack.cum_ack > snd_una_;
  if (advanced) snd_una_ = ack.cum_ack;

  // Segments this ACK delivered, cumulatively or selectively, for the first time.
  std::vector<Segment>& delivered = delivered_;
  delivered.clear();
  while (!segs_.empty() && segs_.front().end <= ack.cum_ack) {
    if (!segs_.front().sacked) delivered.push_back(segs_.front());
    sacked_count_ -= segs_.front().sacked ? 1 : 0;
    retransmitted_count_ -= segs_.front().retransmitted ? 1 : 0;
    segs_.pop_front();
  }
  if (!segs_.empty() && segs_.front().start < ack.cum_ack) segs_.front().start = ack.cum_ack;
  const bool dsack = first_block_is_dsack(ack.sacks, ack.cum_ack);
  std::optional<SackBlock> dsack_block;
  if (dsack) dsack_block = ack.sacks[0];
  for (std::size_t i = dsack ? 1 : 0; i < ack.sacks.size() && i < kMaxSackBlocksPerAck; ++i) {
    const SackBlock& b = ack.sacks[i];
    if (!(b.start < b.end)) continue;  // malformed: ignored
    auto mark = [&](Segment& s) {
      if (s.sacked || s.start < b.start || s.end > b.end) return;  // only whole segments count, once
      ++sacked_count_;
      s.sacked = true;
      s.lost = false;
      delivered.push_back(s);
    };
    if (!segs_.empty() && segs_.front().start <= b.start && b.end <= segs_.back().end) {
      // Inside what is tracked, the segments wholly in the block are a run from its left edge (segs_ is in
      // sequence order); a block outside it (hostile or stale) takes the full scan.
      auto it = std::lower_bound(segs_.begin(), segs_.end(), b.start,
                                 [](const Segment& s, SeqNum at) { return s.start < at; });
      for (; it != segs_.end() && !(it->end > b.end); ++it) mark(*it);
    } else {
      for (Segment& s : segs_) mark(s);
    }
  }

  // Step 1: the minimum RTT from RFC 6298 samples.
  auto take_min = [&](SimDuration rtt) {
    if (rtt.ns > 0 && (min_rtt_.ns == 0 || rtt < min_rtt_)) min_rtt_ = rtt;
  };
  take_min(ack.rtt_sample);
  if (ack.rtt_sample.ns > 0) rtt_sampled_since_probe_ = true;

  // Step 2 (RACK_update), in order of transmission time: the most recently sent delivered segment.
  // The list is usually in order already (a cumulative ACK delivers segments sent in sequence order):
  // then the sorts are skipped. Up to 16 elements std::sort is an insertion sort, which leaves a sorted list
  // as it is, ties included; a longer one is sorted as before, so the result never changes.
  const auto sort_unless_sorted = [&delivered](auto before) {
    if (delivered.size() > 16 || !std::is_sorted(delivered.begin(), delivered.end(), before))
      std::sort(delivered.begin(), delivered.end(), before);
  };
  sort_unless_sorted([](const Segment& a, const Segment& b) {
    return sent_after(b.xmit_ts, b.xmit_order, a.xmit_ts, a.xmit_order);
  });
  for (const Segment& s : delivered) {
    const SimDuration rtt = ack.now - s.xmit_ts;
    // A retransmitted segment ACKed sooner than min_RTT was the original's ACK: no RTT from it.
    // Deviation (RFC 8985 §6.2 step 2): the TSecr test is left to the caller, which has the timestamps.
    if (s.retransmitted && rtt < min_rtt_) continue;
    if (!s.retransmitted) {
      take_min(rtt);  // Karn (RFC 6298 §3): only first transmissions give RTT samples
      rtt_sampled_since_probe_ = true;
    }
    rack_rtt_ = rtt;
    if (!rack_valid_ || sent_after(s.xmit_ts, s.xmit_order, rack_xmit_ts_, rack_xmit_order_)) {
      rack_valid_ = true;
      rack_xmit_ts_ = s.xmit_ts;
      rack_xmit_order_ = s.xmit_order;
      rack_end_seq_ = s.end;
    }
  }

  // Step 3 (RACK_detect_reordering), in sequence order: an original delivered below the highest
  // delivered sequence means the network reordered.
  sort_unless_sorted([](const Segment& a, const Segment& b) { return a.end < b.end; });
  for (const Segment& s : delivered) {
    if (!fack_valid_ || s.end > fack_) {
      fack_ = s.end;
      fack_valid_ = true;
    } else if (s.end < fack_ && !s.retransmitted) {
      reordering_seen_ = true;
    }
  }

  // Step 4 (RACK_update_reo_wnd): a D-SACK means a retransmission was spurious: widen the window by
  // min_RTT/4, once per round trip, for the next 16 recoveries.
  if (dsack_round_ && ack.cum_ack >= *dsack_round_) dsack_round_.reset();
  if (!dsack_round_ && dsack) {
    dsack_round_ = ack.snd_nxt;
    ++reo_wnd_mult_;
    reo_wnd_persist_ = kReoWndPersist;
  }

  // Step 5.
  detect_loss(ack.now, ack.srtt, ack.in_recovery, out);

  // RFC 8985 §7.4 (as Linux's tcp_process_tlp_ack): the probe episode ends once the ACK reaches it.
  if (tlp_end_seq_ && ack.cum_ack >= *tlp_end_seq_) {
    if (!tlp_is_retrans_) {
      out.tlp = TlpOutcome::NoLoss;  // a probe of new data was delivered: nothing to infer
    } else if (dsack_block && dsack_block->end == *tlp_end_seq_) {
      out.tlp = TlpOutcome::NoLoss;  // D-SACK for the probe: the original had arrived
    } else if (ack.cum_ack > *tlp_end_seq_) {
      out.tlp = TlpOutcome::LossRepaired;  // beyond the probe with no D-SACK: the probe filled a hole
    } else if (!advanced && ack.sacks.empty()) {
      out.tlp = TlpOutcome::NoLoss;  // a pure duplicate ACK for the probe: both copies arrived
    }
    if (out.tlp != TlpOutcome::None) tlp_end_seq_.reset();
  }
  return out;
}

RackAckResult RackTlp::on_reorder_timeout(SimTime now, SimDuration srtt, bool in_recovery) {
  RackAckResult out;
  detect_loss(now, srtt, in_recovery, out);
  return out;
}

void RackTlp::on_recovery_exit() {
  // RFC 8985 §6.2 step 4: after 16 recoveries without a D-SACK the window goes back to min_RTT/4.
  if (--reo_wnd_persist_ <= 0) {
    reo_wnd_mult_ = 1;
    reo_wnd_persist_ = 0;
  }
}

std::optional<SimTime> RackTlp::arm_pto(SimTime now, SimDuration srtt, std::optional<SimTime> rto_expiry,
                                        bool in_recovery) {
  pto_deadline_.reset();
  // RFC 8985 §7.2: not in fast or RTO recovery, and not with SACKed segments (RACK will decide those).
  if (in_recovery || segs_.empty() || segs_sacked() > 0) return std::nullopt;
  SimDuration pto = SimDuration::seconds(1);  // §7.2: no SRTT yet (Linux's TCP_TIMEOUT_INIT)
  if (srtt.ns > 0) {
    // §7.2: one segment in flight may be waiting out the receiver's delayed-ACK timer.
    pto = srtt * 2 + (segs_.size() == 1 ? pto_rule_.worst_case_del_ack : pto_rule_.several_in_flight);
    const std::int64_t tick = pto_rule_.tick.ns;
    if (tick > 0) pto = SimDuration{(pto.ns + tick - 1) / tick * tick};
  }
  SimTime at = now + pto;
  if (rto_expiry && at > *rto_expiry) at = *rto_expiry;  // §7.2: never later than the RTO
  pto_deadline_ = at;
  return pto_deadline_;
}

TlpProbe RackTlp::on_pto(SimTime, bool new_data_allowed) {
  pto_deadline_.reset();
  TlpProbe p;
  // §7.3: at most one probe outstanding, and an RTT sample since the last one; else the RTO is re-armed.
  if (tlp_end_seq_ || !rtt_sampled_since_probe_) return p;
  if (new_data_allowed) {
    p.kind = TlpProbeKind::NewData;  // §7.3: new data probes and delivers at once
    return p;
  }
  if (segs_.empty()) return p;
  p.kind = TlpProbeKind::RetransmitLast;  // §7.3: else the highest-sequence segment sent
  p.segment = SackBlock{segs_.back().start, segs_.back().end};
  return p;
}

void RackTlp::on_probe_sent(SimTime now, SeqNum start, std::uint32_t length, bool retransmission) {
  on_transmit(now, start, length, retransmission);
  // §7.3: TLP.end_seq = SND.NXT after the probe.
  tlp_end_seq_ = segs_.empty() ? start + length : seq_max(start + length, segs_.back().end);
  tlp_is_retrans_ = retransmission;
  rtt_sampled_since_probe_ = false;
}

}  // namespace wirestep
