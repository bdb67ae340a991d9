// SACK-based loss recovery as Linux does it, wired into the connection (issue #16). Read first: RFC 6675
// (scoreboard, pipe, NextSeg), RFC 8985 (RACK: time-based loss marking; TLP: the tail loss probe), RFC 6937
// (PRR: how much to send per ACK while recovering), RFC 7661 (cwnd validation). Active only when both
// SYNs carried SACK-permitted; otherwise tcp_input.cpp's NewReno path runs, bit for bit as before.
//
// Limits: the RTO still resends from SND.UNA (skipping SACKed runs) unless F-RTO (RFC 5682) finds the
// timeout spurious; the RACK TSecr check on retransmissions (RFC 8985 §6.2 step 2) is not modelled (Linux
// relies on the min_RTT rule alone), so after a spurious timeout RACK may still resend a segment.
#include <algorithm>
#include <array>

#include "sim/tcp/tcp_connection.hpp"

namespace wirestep {
namespace {

// Linux arms the RACK reorder timer in jiffies, rounded up, plus TCP_TIMEOUT_MIN = 2 jiffies
// (tcp_rack_reo_timeout); `tick` 0 keeps the deadline exact.
std::optional<SimTime> in_timer_ticks(SimTime now, std::optional<SimTime> at, SimDuration tick) {
  if (!at || tick.ns <= 0 || *at <= now) return at;
  const std::int64_t ticks = ((*at - now).ns + tick.ns - 1) / tick.ns + 2;
  return now + SimDuration{ticks * tick.ns};
}

}  // namespace

void TcpConnection::start_sack_recovery_state() {
  if (scoreboard_ || !sack_ok_ || !syn_acked_) return;
  const SeqNum first_data = snd_una_;
  scoreboard_ = std::make_unique<SackScoreboard>(first_data, mss_);
  scoreboard_->on_sent(snd_max_);
  rack_ = std::make_unique<RackTlp>(config_.profile == TcpProfile::Linux
                                        ? ProbeTimeoutRule::linux_kernel(config_.min_rto, config_.timer_tick)
                                        : ProbeTimeoutRule{});
  prr_ = std::make_unique<Prr>(mss_);
}

bool TcpConnection::app_limited() const {
  // RFC 7661 §4.3 as Linux's tcp_is_cwnd_limited: only a sender that filled cwnd may grow it.
  return !cwv_.is_cwnd_limited(cc_->cwnd(), cc_->ssthresh());
}

std::uint32_t TcpConnection::sack_usable_window(std::uint32_t usable, std::uint32_t smss) const {
  const std::uint32_t flight = flight_size();
  const std::uint32_t peer_room = snd_wnd_ > flight ? snd_wnd_ - flight : 0;
  if (sack_recovering_) {
    const std::uint32_t pipe = sack_pipe();
    usable = std::min(peer_room, cc_->cwnd() > pipe ? cc_->cwnd() - pipe : 0);
  }
  if (probe_pending_) usable = std::max(usable, std::min(smss, peer_room));
  // RFC 5682 §3 step 2b: up to two new segments whatever cwnd says.
  if (frto_new_bytes_ && snd_nxt_ == snd_max_)
    usable = std::max(usable, std::min(frto_new_bytes_, peer_room));
  return usable;
}

void TcpConnection::skip_sacked_after_rto() {
  for (const SackBlock& r : scoreboard_->sacked_ranges()) {
    if (r.contains(snd_nxt_)) snd_nxt_ = r.end;
    if (snd_nxt_ < r.start) break;
  }
  if (snd_nxt_ >= snd_max_) {
    snd_nxt_ = snd_max_;
    in_rto_recovery_ = false;
  }
}

std::uint32_t TcpConnection::bytes_before_next_sacked() const {
  for (const SackBlock& r : scoreboard_->sacked_ranges())
    if (r.start > snd_nxt_) return static_cast<std::uint32_t>(r.start - snd_nxt_);
  return UINT32_MAX;
}

std::uint32_t TcpConnection::sack_pipe() const {
  std::uint32_t pipe = scoreboard_->pipe();
  // RFC 8985 §6.2: a segment RACK marked lost has left the network even where DupThresh has not said so.
  for (const SackBlock& b : rack_lost_)
    if (!scoreboard_->is_lost(b.start)) pipe -= std::min(pipe, b.length());
  return pipe;
}

void TcpConnection::note_data_sent(SimTime now, const TcpSegmentOut& seg, bool retransmission) {
  // A FIN rides on data without counting here: a receiver's SACK blocks name data bytes only, and RACK
  // counts a segment delivered only when a block covers all of it.
  const std::uint32_t len =
      seg.payload_len > 0 ? seg.payload_len : ((seg.flags & wire::tcp_flag::kFin) ? 1 : 0);
  if (len == 0) return;
  probe_pending_ = false;  // a tail loss probe is one segment (RFC 8985 §7.3)
  if (!retransmission) frto_new_bytes_ -= std::min(frto_new_bytes_, len);
  rack_->on_transmit(now, seg.seq, len, retransmission);
  scoreboard_->on_sent(snd_max_);
  if (retransmission && scoreboard_->in_recovery()) scoreboard_->on_retransmitted(seg.seq, len);
  if (retransmission)  // whichever rule chose it, a segment is repaired once per loss
    std::erase_if(rack_lost_, [&](const SackBlock& b) { return b.start < seg.seq + len && seg.seq < b.end; });
  if (sack_recovering_) prr_->on_sent(len);
}

void TcpConnection::enter_sack_recovery(SimTime now) {
  // RFC 6675 §5 step (4) / RFC 6937 §3: ssthresh from the congestion control, RecoveryPoint = HighData,
  // RecoverFS = the flight; from here PRR sets cwnd on every ACK.
  const std::uint32_t flight = static_cast<std::uint32_t>(snd_max_ - snd_una_);
  cc_->on_congestion_event(flight);
  scoreboard_->enter_recovery();
  prr_->start(cc_->ssthresh(), flight);
  sack_recovering_ = true;
  dup_acks_ = 0;
  if (tc_.trace)
    tc_.trace->add_event(TraceEvent{now, EventKind::Note, tc_.host, tc_.socket, 0,
                                    "SACK loss recovery (RFC 6675, RACK, PRR) until sequence " +
                                        std::to_string(scoreboard_->recovery_point() - iss_)});
}

void TcpConnection::exit_sack_recovery() {
  // RFC 6937 §3: at the end of recovery cwnd = ssthresh.
  sack_recovering_ = false;
  cc_->end_reduction();
  rack_->on_recovery_exit();
  rack_lost_.clear();
}

void TcpConnection::sack_on_ack(SimTime now, const TcpSegmentIn& seg, std::uint32_t data_acked,
                                SimDuration rtt_sample) {
  // The blocks as received (RFC 2018 §3, at most 4): hostile input, so the scoreboard and RACK bound them.
  std::array<SackBlock, kMaxSackBlocksPerAck> blocks{};
  std::size_t n = 0;
  for (const wire::SackBlock& b : seg.sack_blocks()) {
    const SackBlock block{SeqNum(b.left), SeqNum(b.right)};
    // Linux's tcp_match_skb_to_sack splits a segment only at whole MSS from its start: a block shorter
    // than one MSS that starts inside a full segment marks nothing (fr-4pkt-fack-last-byte.pkt).
    if (block.start > snd_una_ && block.start < block.end &&
        static_cast<std::uint32_t>(block.end - block.start) < mss_ &&
        stream_offset(block.start) % mss_ != 0 && static_cast<std::uint32_t>(block.end - snd_una_) >= mss_)
      continue;
    blocks[n++] = block;
  }
  const std::span<const SackBlock> sacks(blocks.data(), n);
  const std::uint32_t flight_before = static_cast<std::uint32_t>(snd_max_ - (seg.ack - data_acked));
  const SackUpdate upd = scoreboard_->update(seg.ack, sacks);
  if (frto_.active()) frto_on_ack(now, seg, data_acked, upd);
  const SimDuration srtt = rtt_.srtt() ? *rtt_.srtt() : SimDuration{};
  const RackAckResult rack = rack_->on_ack(
      RackAck{now, seg.ack, sacks, snd_max_, srtt, rtt_sample, sack_recovering_ || in_rto_recovery_});
  // What RACK found lost and is not yet repaired; anything now acknowledged no longer needs it.
  for (const SackBlock& b : rack.newly_lost) rack_lost_.push_back(b);
  std::erase_if(rack_lost_, [&](const SackBlock& b) { return b.end <= snd_una_; });
  reorder_at_ = in_timer_ticks(now, rack.reorder_deadline, config_.timer_tick);

  if (rack.tlp == TlpOutcome::LossRepaired && !sack_recovering_) {
    // RFC 8985 §7.4.2: the probe repaired a loss: the congestion control reduces as for any loss.
    cc_->on_congestion_event(flight_before);
    cc_->end_reduction();
  }
  if (sack_recovering_ && upd.recovery_ended) {
    exit_sack_recovery();  // RFC 6937 §3: cwnd = ssthresh; growth resumes with the next ACK
    return;
  }
  if (!sack_recovering_ && !in_rto_recovery_ && (!rack_lost_.empty() || scoreboard_->should_enter_recovery()))
    enter_sack_recovery(now);
  if (sack_recovering_) {
    // RFC 6937 §3: cwnd = pipe + sndcnt. Linux forces the first retransmission of a recovery (a delivery
    // count of zero, e.g. entered from the reordering timer, would otherwise send nothing).
    const std::uint32_t pipe = sack_pipe();
    // The rfc profile keeps RFC 6937's bound; the linux profile adds its MSS only on a safe ACK (prr.hpp).
    const bool safe_ack = upd.newly_acked > 0 && rack.newly_lost.empty();
    const bool linux_profile = config_.profile == TcpProfile::Linux;
    std::uint32_t sndcnt = prr_->on_ack(upd.delivered, pipe, safe_ack || !linux_profile);
    if (prr_->prr_out() == 0) sndcnt = std::max(sndcnt, mss_);
    cc_->set_cwnd(pipe + sndcnt);
    return;
  }
  if (data_acked == 0) return;
  AckSample a{data_acked, false, 0, seg.ack, snd_max_, flight_before};
  a.now = now;
  a.rtt_sample = rtt_sample;
  a.min_rtt = rack_->min_rtt();
  a.app_limited = app_limited();
  cc_->on_ack(a);
}

void TcpConnection::sack_retransmit_lost(SimTime now) {
  // RFC 6675 §5 step (C): while cwnd − pipe allows, retransmit: RACK's lost segments first, then NextSeg
  // rule 1 holes. New data (rule 2) goes out through output()'s loop with pipe as the flight.
  for (int guard = 0; guard < 10000; ++guard) {
    const std::uint32_t pipe = sack_pipe();
    if (pipe >= cc_->cwnd()) return;
    std::erase_if(rack_lost_, [&](const SackBlock& b) { return b.end <= snd_una_; });
    if (!rack_lost_.empty()) {
      SackBlock b = rack_lost_.front();
      rack_lost_.erase(rack_lost_.begin());
      if (b.start < snd_una_) b.start = snd_una_;
      retransmit_range(now, b.start, b.length(), Cause::RackRetransmission);
      continue;
    }
    const NextSegment next = scoreboard_->next_seg(0);
    if (next.rule != NextSegRule::LostHole) return;
    if (retransmit_range(now, next.start, next.length, Cause::FastRetransmission) == 0) return;
  }
}

void TcpConnection::rearm_loss_timer(SimTime now, bool restart_rto) {
  if (!is_synchronized(state_) || state_ == TcpState::TimeWait) return;
  auto set = [&](LossTimerRole role, SimTime at) {
    if (loss_timer_role_ == role && rto_timer_ && *rto_timer_ == at) return;
    loss_timer_role_ = role;
    arm(now, TcpTimer::Retransmission, at);
  };
  if (snd_una_ == snd_max_) {
    loss_timer_role_ = LossTimerRole::Rto;
    cancel(now, TcpTimer::Retransmission);
    return;
  }
  if (reorder_at_ && *reorder_at_ > now) return set(LossTimerRole::Reorder, *reorder_at_);
  const SimDuration srtt = rtt_.srtt() ? *rtt_.srtt() : SimDuration{};
  if (!sack_recovering_ && !in_rto_recovery_ && !probe_outstanding_) {
    // RFC 8985 §7.2: a probe timeout of about 2·SRTT instead of the RTO, never later than the RTO.
    if (auto pto = rack_->arm_pto(now, srtt, now + rtt_.rto(), false)) return set(LossTimerRole::Probe, *pto);
  }
  if (restart_rto || loss_timer_role_ != LossTimerRole::Rto || !rto_timer_)
    set(LossTimerRole::Rto, now + rtt_.rto());
}

void TcpConnection::on_loss_probe(SimTime now) {
  loss_timer_role_ = LossTimerRole::Rto;
  const std::uint64_t unsent = written_ - std::min(written_, stream_offset(snd_nxt_));
  const bool window_allows = snd_una_ + snd_wnd_ > snd_max_;
  const TlpProbe probe = rack_->on_pto(now, unsent > 0 && window_allows && snd_nxt_ == snd_max_);
  if (probe.kind == TlpProbeKind::NewData) {
    // RFC 8985 §7.3: new data if any may go out, even beyond cwnd.
    probe_pending_ = true;
    const SeqNum before = snd_max_;
    output(now);
    probe_pending_ = false;
    if (snd_max_ > before)
      rack_->on_probe_sent(now, before, static_cast<std::uint32_t>(snd_max_ - before), false);
  } else if (probe.kind == TlpProbeKind::RetransmitLast) {
    // RFC 8985 §7.3: else the last segment sent, so its ACK reveals (SACKs) whatever was lost before it.
    const std::uint32_t len = std::min(probe.segment.length(), segment_mss());
    const SeqNum start = probe.segment.end - len;
    if (retransmit_range(now, start, len, Cause::TailLossProbe) > 0)
      rack_->on_probe_sent(now, start, len, true);
  }
  // RFC 8985 §7.3: after the probe (or none) the RTO guards the flight.
  if (loss_timer_role_ != LossTimerRole::Rto || !rto_timer_ || *rto_timer_ != now + rtt_.rto()) {
    loss_timer_role_ = LossTimerRole::Rto;
    arm(now, TcpTimer::Retransmission, now + rtt_.rto());
  }
}

void TcpConnection::on_reorder_timeout(SimTime now) {
  loss_timer_role_ = LossTimerRole::Rto;
  const SimDuration srtt = rtt_.srtt() ? *rtt_.srtt() : SimDuration{};
  const RackAckResult r = rack_->on_reorder_timeout(now, srtt, sack_recovering_);
  for (const SackBlock& b : r.newly_lost) rack_lost_.push_back(b);
  reorder_at_ = in_timer_ticks(now, r.reorder_deadline, config_.timer_tick);
  if (!rack_lost_.empty() && !sack_recovering_) {
    enter_sack_recovery(now);
    const std::uint32_t pipe = sack_pipe();
    cc_->set_cwnd(pipe + std::max(prr_->on_ack(0, pipe, config_.profile != TcpProfile::Linux), mss_));
  }
  output(now);
  rearm_loss_timer(now);
}

void TcpConnection::frto_on_ack(SimTime now, const TcpSegmentIn& seg, std::uint32_t data_acked,
                                const SackUpdate& upd) {
  // RFC 2018 §4: the first block holds the segment that arrived last; below `recover` it was sent before
  // the timeout, and F-RTO retransmitted only the first unacknowledged segment, now acknowledged.
  const auto blocks = seg.sack_blocks();
  const bool sacked_original = upd.newly_sacked > 0 && !blocks.empty() && frto_.recover() &&
                               SeqNum(blocks.front().left) < *frto_.recover();
  frto_new_bytes_ = 0;
  const bool after_new_data = frto_.awaiting_second_ack();
  switch (frto_.on_ack(seg.ack, data_acked > 0, sacked_original)) {
    case FrtoVerdict::Wait:
      return;
    case FrtoVerdict::Conventional:
      if (!after_new_data) return;  // step 2a: the RTO recovery simply goes on
      // RFC 5682 §3 step 3a: step 2b skipped the resends; go back to slow-start retransmission.
      in_rto_recovery_ = true;
      snd_nxt_ = snd_una_;
      return;
    case FrtoVerdict::SendNewData: {
      const std::uint64_t unsent = written_ - std::min(written_, stream_offset(snd_max_));
      if (unsent == 0 || snd_una_ + snd_wnd_ <= snd_max_) {
        frto_.no_new_data();  // RFC 5682 §3 step 2b: nothing new may go out: stay conventional
        return;
      }
      in_rto_recovery_ = false;  // step 2b: new data instead of resending the window
      snd_nxt_ = snd_max_;
      frto_new_bytes_ = 2 * segment_mss();
      return;
    }
    case FrtoVerdict::Spurious:
      // RFC 5682 §3 step 3b: the timeout was spurious; undo its reduction (as Linux's tcp_try_undo_loss).
      in_rto_recovery_ = false;
      if (snd_nxt_ < snd_max_) snd_nxt_ = snd_max_;
      cc_->undo(frto_.prior_cwnd(), frto_.prior_ssthresh());
      if (tc_.trace)
        tc_.trace->add_event(TraceEvent{now, EventKind::Note, tc_.host, tc_.socket, 0,
                                        "F-RTO: the timeout was spurious (RFC 5682 §3 step 3b); cwnd " +
                                            std::to_string(cc_->cwnd()) + " and ssthresh " +
                                            std::to_string(cc_->ssthresh()) + " restored"});
      return;
  }
}

}  // namespace wirestep
