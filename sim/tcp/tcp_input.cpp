// Segment arrival, RFC 9293 §3.10.7, step by step in the RFC's order. RST and SYN in synchronized states
// follow RFC 5961 (challenge ACKs), as RFC 9293 §3.10.7.4 recommends.
#include <algorithm>

#include "sim/tcp/tcp_connection.hpp"

namespace wirestep {

using namespace wire::tcp_flag;

void TcpConnection::on_segment(SimTime now, const TcpSegmentIn& seg) {
  switch (state_) {
    case TcpState::Closed:
    case TcpState::Listen:
      return;  // the socket layer answers segments for closed ports (RFC 9293 §3.10.7.1)
    case TcpState::SynSent:
      input_syn_sent(now, seg);
      break;
    case TcpState::SynReceived:
    case TcpState::Established:
    case TcpState::FinWait1:
    case TcpState::FinWait2:
    case TcpState::CloseWait:
    case TcpState::Closing:
    case TcpState::LastAck:
    case TcpState::TimeWait:
      input_synchronized(now, seg);
      break;
  }
  if (state_ != TcpState::Closed) restart_keepalive(now);
  check_send_space(now);  // after the ACK's output, as tcp_data_snd_check calls tcp_check_space
  note_vars(now);
}

void TcpConnection::take_peer_options(const TcpSegmentIn& seg) {
  // RFC 7323 §3.2: timestamps are on only if both SYNs carried them; the peer's SYN gives TS.Recent.
  ts_enabled_ = config_.timestamps && seg.options.timestamps.has_value();
  if (ts_enabled_) ts_recent_ = seg.options.timestamps->value;
  // RFC 2018 §2: SACK blocks may be sent only to a peer whose SYN carried SACK-permitted.
  sack_ok_ = config_.sack && seg.options.sack_permitted;
  // RFC 9293 §3.7.1: without an MSS option, assume 536 (IPv4).
  const std::uint32_t peer_mss = seg.options.mss ? *seg.options.mss : 536u;
  // RFC 9293 §3.7.1 / RFC 6691: the MSS counts data only, so options on every segment come out of it: 1460
  // announced, 1448 sent with timestamps (Linux's mss_cache).
  const std::uint32_t option_bytes = ts_enabled_ ? 12 : 0;
  mss_ = std::max<std::uint32_t>(1, std::min<std::uint32_t>(config_.mss, peer_mss) - option_bytes);
  cc_->set_mss(mss_);  // the initial window and every later step count in the agreed segment size
  // RFC 7323 §2.2: scaling is on only if both SYNs carried the option.
  if (seg.options.window_scale && wscale_offered_) {
    snd_wscale_ = std::min<std::uint8_t>(*seg.options.window_scale, 14);  // RFC 7323 §2.3: at most 14
  } else {
    snd_wscale_ = 0;
    rcv_wscale_ = 0;
    wscale_offered_ = false;
  }
}

void TcpConnection::input_syn_sent(SimTime now, const TcpSegmentIn& seg) {
  // RFC 9293 §3.10.7.3, first: check the ACK bit.
  bool ack_acceptable = false;
  if (seg.has(kAck)) {
    if (seg.ack <= iss_ || seg.ack > snd_nxt_) {
      if (!seg.has(kRst)) send_rst(now, seg.ack);
      return;
    }
    ack_acceptable = true;  // SND.UNA < SEG.ACK =< SND.NXT
  }
  // Second: the RST bit. Only with an acceptable ACK does it reset the connection.
  if (seg.has(kRst)) {
    if (ack_acceptable) fail(now, "connection refused: RST in answer to our SYN (ECONNREFUSED)");
    return;
  }
  // Fourth: the SYN bit.
  if (!seg.has(kSyn)) return;
  irs_ = seg.seq;
  rcv_nxt_ = seg.seq + 1;
  rcv_adv_ = rcv_nxt_;
  take_peer_options(seg);
  snd_wnd_ = seg.window;  // never scaled in a SYN (RFC 7323 §2.2)
  max_snd_wnd_ = snd_wnd_;
  snd_wl1_ = seg.seq;
  snd_wl2_ = seg.ack;
  if (ack_acceptable) {
    snd_una_ = seg.ack;
    syn_acked_ = true;
    if (timed_seq_)
      rtt_.sample(now - timed_at_);  // the SYN was not retransmitted (Karn)
    else
      sample_rtt_from_echo(now, seg);  // a retransmitted SYN: only the echoed timestamp can tell
    timed_seq_.reset();
    retries_ = 0;
    cancel(now, TcpTimer::Retransmission);
    set_state(now, TcpState::Established, "SYN,ACK received: the handshake is complete");
    if (syn_retransmitted_) rtt_.restart(SimDuration::seconds(3));  // RFC 6298 §5.7
    notices_ |= tcp_notice::kEstablished | tcp_notice::kWritable;
    ack_now_ = true;
    ack_cause_ = Cause::PureAck;
    output(now);
    return;
  }
  // Simultaneous open: both sides sent SYN (RFC 9293 §3.5, figure 7).
  set_state(now, TcpState::SynReceived, "SYN received while in SYN-SENT (simultaneous open)");
  send_syn(now, true, Cause::FirstTransmission);
}

bool TcpConnection::acceptable(const TcpSegmentIn& seg) const {
  // RFC 9293 §3.10.7.4, first check: the four cases of segment length and receive window.
  const std::uint32_t wnd = rcv_adv_ > rcv_nxt_ ? static_cast<std::uint32_t>(rcv_adv_ - rcv_nxt_) : 0;
  const std::uint32_t len = seg.seg_len();
  auto in_window = [&](SeqNum s) { return rcv_nxt_ <= s && s < rcv_nxt_ + wnd; };
  if (len == 0) return wnd == 0 ? seg.seq == rcv_nxt_ : in_window(seg.seq);
  if (wnd == 0) return false;
  return in_window(seg.seq) || in_window(seg.seq + (len - 1));
}

// RFC 7323 §5.3 R1 (PAWS): a segment whose TSval is older than TS.Recent is a stale duplicate from an
// earlier wrap of the sequence space: drop it and acknowledge. RSTs are exempt (§5.3). Deviation (as Linux):
// a segment without timestamps on a connection that negotiated them is accepted, not dropped (§3.2 says
// SHOULD drop); the 24-day idle rule (§5.5) is not modelled.
bool TcpConnection::paws_rejects(SimTime now, const TcpSegmentIn& seg) {
  if (!ts_enabled_ || seg.has(kRst) || !seg.options.timestamps) return false;
  const std::uint32_t val = seg.options.timestamps->value;
  if (static_cast<std::int32_t>(val - ts_recent_) >= 0) return false;  // RFC 7323 §5.2: modulo 2^32
  if (tc_.trace)
    tc_.trace->add_event(TraceEvent{now, EventKind::Note, tc_.host, tc_.socket, 0,
                                    "PAWS (RFC 7323 §5): segment dropped, its TSval " + std::to_string(val) +
                                        " is older than TS.Recent " + std::to_string(ts_recent_)});
  return true;
}

void TcpConnection::update_ts_recent(const TcpSegmentIn& seg) {
  // RFC 7323 §4.3 (2): only a segment that reaches the left edge of the window (SEG.SEQ =< Last.ACK.sent)
  // updates TS.Recent, so after a hole the echo names the segment that filled it, and a delayed ACK echoes
  // the earliest segment it acknowledges.
  if (!ts_enabled_ || !seg.options.timestamps || seg.has(kRst)) return;
  const SeqNum last_ack_sent = last_ack_sent_ ? last_ack_sent_->first : rcv_nxt_;
  const std::uint32_t val = seg.options.timestamps->value;
  if (static_cast<std::int32_t>(val - ts_recent_) >= 0 && seg.seq <= last_ack_sent) ts_recent_ = val;
}

void TcpConnection::sample_rtt_from_echo(SimTime now, const TcpSegmentIn& seg) {
  // RFC 7323 §4.1: TSecr names the transmission it answers, so even a retransmitted segment yields a sample
  // (Linux uses it where Karn's rule leaves none). Only an echo from our own past is trusted.
  if (!ts_enabled_ || !seg.options.timestamps || seg.options.timestamps->echo_reply == 0) return;
  const auto elapsed = static_cast<std::int32_t>(tsval(now) - seg.options.timestamps->echo_reply);
  if (elapsed < 0 || elapsed > 3'600'000) return;  // hostile or wrapped: not a measurement
  rtt_.sample(SimDuration::millis(elapsed));
}

void TcpConnection::note_out_of_order(SeqNum left, SeqNum right) {
  if (!sack_ok_) return;
  for (auto it = sack_blocks_.begin(); it != sack_blocks_.end(); ++it) {
    if (it->first <= left && right <= it->second) {
      // RFC 2883 §4: all of it was here already: a D-SACK block first, then the block holding it.
      note_duplicate(left, right);
      std::rotate(sack_blocks_.begin(), it, it + 1);
      return;
    }
  }
  // RFC 2018 §4: the first block is the one holding the segment just received; merge what it touches.
  for (bool merged = true; merged;) {
    merged = false;
    for (auto it = sack_blocks_.begin(); it != sack_blocks_.end(); ++it) {
      if (right < it->first || it->second < left) continue;
      left = seq_min(left, it->first);
      right = seq_max(right, it->second);
      sack_blocks_.erase(it);
      merged = true;
      break;
    }
  }
  sack_blocks_.insert(sack_blocks_.begin(), {left, right});
}

void TcpConnection::note_duplicate(SeqNum left, SeqNum right) {
  if (sack_ok_ && config_.dsack) dsack_ = std::pair{left, right};
}

void TcpConnection::input_synchronized(SimTime now, const TcpSegmentIn& seg) {
  if (paws_rejects(now, seg)) {
    ack_now_ = true;
    ack_cause_ = Cause::PureAck;
    output(now);
    return;
  }
  if (state_ == TcpState::SynReceived && seg.has(kSyn) && seg.has(kAck) && !seg.has(kRst) &&
      seg.seq == irs_ && snd_una_ < seg.ack && seg.ack <= snd_nxt_) {
    // RFC 9293 §3.5 figure 7 (simultaneous open), line 6: the peer's SYN,ACK repeats the SYN we already
    // counted and acknowledges ours: ESTABLISHED, with no further ACK. (Linux accepts it the same way.)
    snd_una_ = seg.ack;
    syn_acked_ = true;
    if (timed_seq_ && seg.ack > *timed_seq_) rtt_.sample(now - timed_at_);
    timed_seq_.reset();
    retries_ = 0;
    cancel(now, TcpTimer::Retransmission);
    update_ts_recent(seg);
    snd_wnd_ = seg.window;  // RFC 7323 §2.2: the window in a SYN is never scaled
    max_snd_wnd_ = std::max(max_snd_wnd_, snd_wnd_);
    snd_wl1_ = seg.seq;
    snd_wl2_ = seg.ack;
    set_state(now, TcpState::Established,
              "SYN,ACK received in SYN-RECEIVED: the simultaneous open is complete");
    notices_ |= tcp_notice::kEstablished | tcp_notice::kWritable;
    output(now);
    return;
  }
  if (!acceptable(seg)) {
    if (seg.has(kRst)) return;  // an unacceptable RST is dropped without reply
    if (state_ == TcpState::SynReceived && seg.has(kSyn) && seg.seq == irs_) {
      // The peer did not get our SYN,ACK and sent its SYN again: answer with the SYN,ACK again, echoing
      // the new SYN's TSval so the peer times this exchange (RFC 7323 §4.1; Linux does the same).
      if (ts_enabled_ && seg.options.timestamps) ts_recent_ = seg.options.timestamps->value;
      send_syn(now, true, Cause::RepeatedSynAnswer);
      return;
    }
    const std::uint32_t wnd = rcv_adv_ > rcv_nxt_ ? static_cast<std::uint32_t>(rcv_adv_ - rcv_nxt_) : 0;
    if (wnd == 0 && seg.seq == rcv_nxt_ && seg.has(kAck) && !seg.has(kSyn) &&
        state_ != TcpState::SynReceived) {
      // RFC 9293 §3.10.7.4: with a zero window, still accept valid ACKs (e.g. on a zero-window probe).
      process_ack(now, seg);
    }
    // RFC 2883 §4: data wholly below RCV.NXT arrived twice: report it in a D-SACK block.
    if (seg.len() > 0 && seg.seq + seg.len() <= rcv_nxt_) note_duplicate(seg.seq, seg.seq + seg.len());
    if (state_ == TcpState::TimeWait && seg.has(kFin)) {
      arm(now, TcpTimer::TimeWait, now + config_.msl * 2);  // a retransmitted FIN restarts the 2*MSL wait
    }
    // Linux's tcp_oow_rate_limited: an empty segment outside the window (a zero-window probe at
    // SND.UNA - 1, a stray ACK) is answered at most once per tcp_invalid_ratelimit (500 ms), so two ends
    // cannot loop on duplicate ACKs; data is always answered.
    const bool limitable = config_.oow_ack_ratelimit.ns > 0 && (seg.seg_len() == 0 || seg.has(kSyn));
    if (!(limitable && last_oow_ack_ && now - *last_oow_ack_ < config_.oow_ack_ratelimit)) {
      if (limitable) last_oow_ack_ = now;
      ack_now_ = true;  // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
      ack_cause_ = Cause::PureAck;
    }
    output(now);
    return;
  }
  update_ts_recent(seg);
  // Second: RST. RFC 5961 §3.2: only an exact match resets; otherwise send a challenge ACK.
  if (seg.has(kRst)) {
    if (seg.seq != rcv_nxt_) {
      send_ack(now, Cause::PureAck);
      return;
    }
    if (state_ == TcpState::Closing || state_ == TcpState::LastAck || state_ == TcpState::TimeWait) {
      for (TcpTimer t :
           {TcpTimer::Retransmission, TcpTimer::Persist, TcpTimer::DelayedAck, TcpTimer::TimeWait})
        cancel(now, t);
      set_state(now, TcpState::Closed, "RST received while closing");
      notices_ |= tcp_notice::kClosed;
      return;
    }
    fail(now, "connection reset by peer (ECONNRESET)");
    return;
  }
  // Fourth: SYN in a synchronized state. RFC 5961 §4.2: challenge ACK, drop.
  if (seg.has(kSyn)) {
    send_ack(now, Cause::PureAck);
    return;
  }
  // Fifth: the ACK field.
  if (!seg.has(kAck)) return;
  if (state_ == TcpState::SynReceived) {
    if (!(snd_una_ < seg.ack && seg.ack <= snd_nxt_)) {
      send_rst(now, seg.ack);  // <SEQ=SEG.ACK><CTL=RST>
      return;
    }
    set_state(now, TcpState::Established, "ACK of our SYN,ACK received: the handshake is complete");
    if (syn_retransmitted_ && !rtt_.srtt()) rtt_.restart(SimDuration::seconds(3));  // RFC 6298 §5.7
    notices_ |= tcp_notice::kEstablished | tcp_notice::kWritable;
    snd_wnd_ = static_cast<std::uint32_t>(seg.window) << snd_wscale_;
    max_snd_wnd_ = std::max(max_snd_wnd_, snd_wnd_);
    snd_wl1_ = seg.seq;
    snd_wl2_ = seg.ack;
  }
  if (!process_ack(now, seg)) return;
  // Seventh: segment text, in the states that still receive.
  if (seg.len() > 0) {
    if (state_ == TcpState::Established || state_ == TcpState::FinWait1 || state_ == TcpState::FinWait2) {
      accept_text(now, seg);
    }
  }
  // Eighth: FIN. Processed only when every byte before it has arrived.
  if (seg.has(kFin) && !fin_received_) {
    // The FIN's sequence number is SEG.SEQ + SEG.LEN; remember where it sits in the stream.
    const std::int32_t distance = (seg.seq + seg.len()) - rcv_nxt_;
    if (distance >= 0) fin_offset_ = rcv_offset_ + static_cast<std::uint64_t>(distance);
    // A FIN beyond a hole is out-of-order data too: answer at once with a duplicate ACK (RFC 5681 §4.2).
    if (distance > 0) {
      ack_now_ = true;
      ack_cause_ = Cause::PureAck;
    }
  }
  if (fin_offset_ && *fin_offset_ == rcv_offset_ && !fin_received_) process_fin(now);
  output(now);
}

bool TcpConnection::process_ack(SimTime now, const TcpSegmentIn& seg) {
  if (seg.ack > snd_max_) {
    // RFC 9293 §3.10.7.4: it acknowledges something not yet sent: send an ACK, drop the segment.
    send_ack(now, Cause::PureAck);
    return false;
  }
  const std::uint32_t seg_wnd = static_cast<std::uint32_t>(seg.window) << snd_wscale_;
  const std::uint32_t flight_before = static_cast<std::uint32_t>(snd_max_ - snd_una_);
  if (seg.ack > snd_una_) {
    std::uint32_t data_acked = static_cast<std::uint32_t>(seg.ack - snd_una_);
    if (!syn_acked_) {
      syn_acked_ = true;
      --data_acked;  // the SYN's sequence number
    }
    const bool fin_acked = fin_sent_ && seg.ack == fin_seq_ + 1;
    if (fin_acked && data_acked > 0) --data_acked;
    // RFC 6298 §3 with Karn's rule: sample only a segment sent once (timed_seq_ is cleared on
    // retransmission).
    SimDuration rtt_sample{};
    if (timed_seq_ && seg.ack > *timed_seq_) {
      rtt_sample = now - timed_at_;
      rtt_.sample(rtt_sample);
      timed_seq_.reset();
    } else if (!timed_seq_) {
      sample_rtt_from_echo(now, seg);
    }
    snd_una_ = seg.ack;
    acked_offset_ += data_acked;
    if (config_.linux_send_buffer) sndbuf_.acked_up_to(acked_offset_, mss_);
    if (snd_nxt_ < snd_una_) snd_nxt_ = snd_una_;
    probe_outstanding_ = false;
    const std::uint32_t dups_before = dup_acks_;
    dup_acks_ = 0;
    limited_transmit_ = 0;
    retries_ = 0;
    start_sack_recovery_state();
    if (sack_recovery_active()) {
      // SACK negotiated: RFC 6675 / RACK-TLP / PRR decide (sack_recovery.cpp), and set the timer.
      sack_on_ack(now, seg, data_acked, rtt_sample);
      rearm_loss_timer(now, true);
    } else {
      AckSample a{data_acked, false, 0, seg.ack, snd_max_, flight_before};
      if (config_.reno_dupack_delivered && dups_before > 0 && !cc_->in_recovery()) {
        // Linux without SACK counts each duplicate ACK as a segment delivered (tcp_add_reno_sack): the ACK
        // that ends them delivers only max(acked - dupacks, 1) segments more (tcp_remove_reno_sacks).
        const std::uint64_t counted = std::uint64_t{dups_before} * mss_;
        a.bytes_acked = data_acked > counted ? data_acked - static_cast<std::uint32_t>(counted)
                                             : std::min(data_acked, mss_);
      }
      if (config_.congestion == CongestionAlgorithm::Cubic) {
        // CUBIC is driven by time; RFC 7661 §4.3: no growth while the application limits sending.
        a.now = now;
        a.rtt_sample = rtt_sample;
        a.app_limited = app_limited();
      }
      const CcDecision d = cc_->on_ack(a);
      if (d.retransmit_head) retransmit_head(now, Cause::RecoveryRetransmission);
      // RFC 6298 §5.2 / §5.3: stop the timer when all is acknowledged, else restart it.
      if (snd_una_ == snd_max_)
        cancel(now, TcpTimer::Retransmission);
      else
        arm(now, TcpTimer::Retransmission, now + rtt_.rto());
    }
    notices_ |= tcp_notice::kWritable;
    if (fin_acked) {
      if (state_ == TcpState::FinWait1) {
        set_state(now, TcpState::FinWait2, "our FIN was acknowledged");
      } else if (state_ == TcpState::Closing) {
        set_state(now, TcpState::TimeWait,
                  "our FIN was acknowledged after the peer's FIN (simultaneous close)");
        arm(now, TcpTimer::TimeWait, now + config_.msl * 2);
      } else if (state_ == TcpState::LastAck) {
        cancel(now, TcpTimer::Retransmission);
        set_state(now, TcpState::Closed, "our FIN was acknowledged: the connection is closed");
        notices_ |= tcp_notice::kClosed;
        return false;
      }
    }
  } else if (seg.ack == snd_una_) {
    // RFC 5681 §2: a duplicate ACK acknowledges nothing new, carries no data, SYN or FIN, leaves the
    // window unchanged, and arrives while data is outstanding.
    const bool duplicate = flight_before > 0 && seg.len() == 0 && !seg.has(kSyn) && !seg.has(kFin) &&
                           seg_wnd == snd_wnd_ && !probe_outstanding_;
    if (sack_recovery_active()) {
      // RFC 6675 §5: with SACK the blocks, not the count of duplicates, say what arrived.
      if (flight_before > 0) {
        sack_on_ack(now, seg, 0, SimDuration{});
        // RFC 8985 §7.2: only an ACK of new data restarts the probe timer; a duplicate leaves it running
        // (Linux: no FLAG_SET_XMIT_TIMER), or a SACK every RTT/2 would hold the probe off for ever.
        const bool keep_probe =
            loss_timer_role_ == LossTimerRole::Probe && rto_timer_ && !reorder_at_ && !sack_recovering_;
        if (!keep_probe) rearm_loss_timer(now);
      }
    } else if (duplicate) {
      ++dup_acks_;
      // RFC 5681 §3.2 step 2: segments sent by Limited Transmit do not count in the FlightSize that sets
      // ssthresh; without them the flight is at most cwnd.
      const std::uint32_t flight_for_ssthresh = std::min(flight_before, cc_->cwnd());
      const CcDecision d = cc_->on_ack(AckSample{0, true, dup_acks_, seg.ack, snd_max_, flight_for_ssthresh});
      if (d.retransmit_head) retransmit_head(now, Cause::FastRetransmission);
      // RFC 3042 (Limited Transmit): on the first two duplicates, one new segment each may go beyond cwnd,
      // so that a small window still produces the third duplicate ACK instead of a timeout.
      if (dup_acks_ <= 2 && !cc_->in_recovery()) limited_transmit_ = dup_acks_ * mss_;
    }
  }
  // RFC 9293 §3.10.7.4: update the send window only from segments newer than the last update.
  if (snd_wl1_ < seg.seq || (snd_wl1_ == seg.seq && snd_wl2_ <= seg.ack)) {
    // tcp_ack_update_window: a new window with data waiting and nothing in flight is where Linux checks
    // for idle (tcp_slow_start_after_idle_check), so a sender held by a zero window restarts from IW. It
    // runs before tcp_clean_rtx_queue: packets_out is the flight before this ACK.
    const bool window_changed = snd_wnd_ != seg_wnd;
    snd_wnd_ = seg_wnd;
    if (window_changed && config_.slow_start_after_idle && flight_before == 0 &&
        written_ > stream_offset(snd_nxt_))
      restart_after_idle(now);
    max_snd_wnd_ = std::max(max_snd_wnd_, snd_wnd_);
    snd_wl1_ = seg.seq;
    snd_wl2_ = seg.ack;
  }
  if (snd_wnd_ > 0) {
    cancel(now, TcpTimer::Persist);
  } else if (probe_outstanding_ && seg.ack == snd_una_) {
    // The zero-window probe byte was refused: it will be sent again by the next probe.
    probe_outstanding_ = false;
    snd_nxt_ = snd_una_;
    if (snd_max_ > snd_nxt_) snd_max_ = snd_nxt_;
    cancel(now, TcpTimer::Retransmission);
  }
  return true;
}

void TcpConnection::accept_text(SimTime now, const TcpSegmentIn& seg) {
  // The part of the payload kept: [from, from + n).
  std::uint32_t from = 0, n = seg.len();
  SeqNum start = seg.seq;
  if (start < rcv_nxt_) {  // overlaps data already received: keep the new part
    const auto skip = static_cast<std::uint32_t>(rcv_nxt_ - start);
    note_duplicate(start, start + std::min(skip, n));  // RFC 2883 §4: the part that came twice
    if (skip >= n) {
      ack_now_ = true;
      return;
    }
    from = skip;
    n -= skip;
    start = rcv_nxt_;
  }
  const std::uint32_t wnd = rcv_adv_ > rcv_nxt_ ? static_cast<std::uint32_t>(rcv_adv_ - rcv_nxt_) : 0;
  const auto ahead = static_cast<std::uint32_t>(start - rcv_nxt_);
  if (ahead >= wnd) {
    ack_now_ = true;
    return;
  }
  if (n > wnd - ahead) n = wnd - ahead;  // trim to the window
  const std::uint64_t offset = rcv_offset_ + ahead;
  if (ahead > 0) {
    // Out of order: hold it, and send an immediate duplicate ACK (RFC 5681 §4.2).
    note_out_of_order(start, start + n);
    HeldSegment& held = out_of_order_[offset];
    if (n > held.len) {
      held.len = n;
      if (!tc_.peer_stream_in_trace) {
        held.bytes.resize(n);
        seg.copy_payload(from, n, held.bytes.data());
      }
    }
    if (!ooo_ack_now(now)) return;
    ack_now_ = true;
    ack_cause_ = Cause::PureAck;
    return;
  }
  if (!tc_.peer_stream_in_trace) {
    const std::size_t at = ready_.size();
    ready_.resize(at + n);
    seg.copy_payload(from, n, ready_.data() + at);
  }
  // The frame's bytes before the payload: Ethernet, IPv4, TCP and its options (linear skbs hold them too).
  const std::uint32_t headers =
      config_.receive_skbs == ReceiveSkbs::Linear
          ? static_cast<std::uint32_t>(14 + 20 + 20 + wire::tcp_options_length(seg.options))
          : 0;
  const std::uint32_t truesize =
      config_.linux_receive_window ? linux_rmem_.queue(rcv_offset_, n, headers) : 0;
  rcv_offset_ += n;
  rcv_nxt_ += n;
  bool filled_hole = false;
  while (!out_of_order_.empty() && out_of_order_.begin()->first <= rcv_offset_) {
    auto node = out_of_order_.extract(out_of_order_.begin());
    const std::uint64_t end = node.key() + node.mapped().len;
    if (end > rcv_offset_) {
      const std::size_t skip = static_cast<std::size_t>(rcv_offset_ - node.key());
      if (config_.linux_receive_window)
        linux_rmem_.queue(rcv_offset_, static_cast<std::uint32_t>(end - rcv_offset_), headers);
      if (!tc_.peer_stream_in_trace)
        ready_.insert(ready_.end(), node.mapped().bytes.begin() + static_cast<std::ptrdiff_t>(skip),
                      node.mapped().bytes.end());
      rcv_nxt_ += static_cast<std::uint32_t>(end - rcv_offset_);
      rcv_offset_ = end;
    }
    filled_hole = true;
  }
  // Blocks now below RCV.NXT are acknowledged cumulatively: they leave the SACK list (RFC 2018 §4).
  std::erase_if(sack_blocks_, [&](const auto& b) { return b.second <= rcv_nxt_; });
  notices_ |= tcp_notice::kReadable;
  if (filled_hole || !out_of_order_.empty()) {
    ack_now_ = true;  // RFC 5681 §4.2: ACK at once when a segment fills (part of) a hole
    ack_cause_ = Cause::PureAck;
    return;
  }
  if (config_.quick_ack) {
    // Linux's __tcp_ack_snd_check: ACK at once when more than one full segment is unacknowledged (RFC 1122
    // §4.2.3.2's "every second segment") or in quick-ack mode; otherwise within ato.
    ++unacked_segments_;
    if (config_.linux_receive_window) linux_data_queued(now, seg, n, truesize);
    on_data_received(now);
    rcv_unacked_bytes_ += n;
    bool more_than_one_segment = rcv_unacked_bytes_ > mss_;
    if (config_.linux_receive_window) {
      if (linux_rwnd_.grow(linux_tcp_space(), n)) quickack_ |= 1;  // tcp_grow_window: icsk_ack.quick |= 1
      // __tcp_ack_snd_check: a second full segment is acknowledged at once only if the window would not
      // shrink by it; while the buffer fills, the delayed-ACK timer paces the ACKs.
      more_than_one_segment =
          rcv_unacked_bytes_ > linux_rwnd_.rcv_mss() && linux_window(true) >= rcv_wnd_sent_;
    }
    if (!config_.delayed_ack || more_than_one_segment || in_quickack_mode()) {
      ack_now_ = true;
      ack_cause_ = Cause::PureAck;
    } else {
      schedule_delayed_ack(now);
    }
    return;
  }
  // RFC 1122 §4.2.3.2 / RFC 5681 §4.2: ACK at least every second full-size segment, else within the timer.
  ++unacked_segments_;
  if (!config_.delayed_ack || unacked_segments_ >= 2) {
    ack_now_ = true;
    ack_cause_ = Cause::PureAck;
  } else if (!delack_timer_) {
    arm(now, TcpTimer::DelayedAck, now + config_.delayed_ack_timeout);
  }
}

void TcpConnection::process_fin(SimTime now) {
  // RFC 9293 §3.10.7.4, eighth: advance RCV.NXT over the FIN, acknowledge it, signal end of stream.
  fin_received_ = true;
  fin_offset_.reset();
  rcv_nxt_ += 1;
  notices_ |= tcp_notice::kReadable;
  ack_now_ = true;
  ack_cause_ = Cause::PureAck;
  switch (state_) {
    case TcpState::SynReceived:
    case TcpState::Established:
      set_state(now, TcpState::CloseWait, "FIN received: the peer has finished sending");
      if (config_.quick_ack && config_.delayed_ack && state_ == TcpState::CloseWait) {
        // Linux's tcp_fin enters pingpong mode: the FIN's ACK is delayed by ato (at once if no data came
        // yet), so an application that closes at once sends one FIN,ACK: 3 segments instead of 4.
        pingpong_ = true;
        ack_now_ = rcv_unacked_bytes_ + 1 > mss_;
        if (!ack_now_) schedule_delayed_ack(now);
      }
      break;
    case TcpState::FinWait1:
      if (fin_sent_ && snd_una_ == fin_seq_ + 1) {
        set_state(now, TcpState::TimeWait, "FIN received and our FIN is acknowledged");
        arm(now, TcpTimer::TimeWait, now + config_.msl * 2);
      } else {
        set_state(now, TcpState::Closing,
                  "FIN received before our FIN was acknowledged (simultaneous close)");
      }
      break;
    case TcpState::FinWait2:
      set_state(now, TcpState::TimeWait, "FIN received after our FIN was acknowledged");
      cancel(now, TcpTimer::Retransmission);
      arm(now, TcpTimer::TimeWait, now + config_.msl * 2);
      break;
    case TcpState::TimeWait:
      arm(now, TcpTimer::TimeWait, now + config_.msl * 2);
      break;
    case TcpState::Closed:
    case TcpState::Listen:
    case TcpState::SynSent:
    case TcpState::CloseWait:
    case TcpState::Closing:
    case TcpState::LastAck:
      break;
  }
}

// ---------------------------------------------------------------- Linux's delayed-ACK engine

bool TcpConnection::ooo_ack_now(SimTime now) {
  // RFC 5681 §4.2 asks an immediate duplicate ACK for every out-of-order segment. Linux's
  // __tcp_ack_snd_check sends the first three per RCV.NXT at once (enough for the sender's DupThresh),
  // then one ACK, with the SACK blocks, per comp_sack_nr segments or after min(comp_sack_delay, RTT/20)
  // plus the timer's slack; in quick-ack mode every one goes at once.
  if (config_.comp_sack_nr == 0 || !sack_ok_ || in_quickack_mode()) return true;
  if (compressed_acks_ >= config_.comp_sack_nr) return true;
  if (compressed_ack_rcv_nxt_ != rcv_nxt_) {
    compressed_ack_rcv_nxt_ = rcv_nxt_;
    dup_acks_sent_ = 0;
  }
  if (dup_acks_sent_ < 3) {  // TCP_FASTRETRANS_THRESH
    ++dup_acks_sent_;
    return true;
  }
  ++compressed_acks_;
  if (sack_compress_timer_) return false;
  // The RTT: the receiver's estimate (tcp_rcv_rtt_est), or its own SRTT when that is smaller.
  std::int64_t rtt_ns = config_.linux_receive_window ? linux_autotune_.rtt_us() * 1000 : 0;
  if (rtt_.srtt() && (rtt_ns == 0 || rtt_.srtt()->ns < rtt_ns)) rtt_ns = rtt_.srtt()->ns;
  const SimDuration delay = std::min(config_.comp_sack_delay, SimDuration{rtt_ns / 20});
  arm(now, TcpTimer::SackCompress, now + delay + config_.comp_sack_slack);
  return false;
}

void TcpConnection::incr_quickack() {
  // tcp_incr_quickack: as many quick ACKs as half the window holds segments, at least 2, at most 16
  // (TCP_MAX_QUICKACKS).
  const std::uint32_t wnd = rcv_adv_ > rcv_nxt_ ? static_cast<std::uint32_t>(rcv_adv_ - rcv_nxt_) : 0;
  std::uint32_t quick = wnd / (2 * std::max<std::uint32_t>(mss_, 1));
  if (quick == 0) quick = 2;
  quickack_ = std::max(quickack_, std::min<std::uint32_t>(quick, 16));
}

void TcpConnection::on_data_received(SimTime now) {
  // tcp_event_data_recv: the first data segment starts quick-ack mode with ato = TCP_ATO_MIN; later gaps
  // adapt ato to the peer's pace, and a gap longer than the RTO (the sender was idle) restarts quick ACKs.
  const SimDuration ato_min = config_.delayed_ack_timeout;
  if (ato_.ns == 0) {
    incr_quickack();
    ato_ = ato_min;
  } else {
    const SimDuration m = now - last_data_received_;
    if (m.ns <= ato_min.ns / 2) {
      ato_ = SimDuration{ato_.ns / 2 + ato_min.ns / 2};
    } else if (m < ato_) {
      ato_ = std::min(SimDuration{ato_.ns / 2 + m.ns}, rtt_.rto());
    } else if (m > rtt_.rto()) {
      incr_quickack();
    }
  }
  last_data_received_ = now;
}

void TcpConnection::schedule_delayed_ack(SimTime now) {
  // tcp_send_delayed_ack: ato bounded by TCP_DELACK_MAX and by the smoothed RTT; an earlier timer stands,
  // and one about to expire (within ato/4) is answered at once.
  if (ato_.ns == 0) {
    // No data received yet (a bare FIN): Linux's timer runs with ato 0 and fires on the next jiffy; with
    // jiffies not modelled, that is at once.
    ack_now_ = true;
    ack_cause_ = Cause::PureAck;
    return;
  }
  SimDuration ato = std::max(ato_, config_.delayed_ack_timeout);
  if (ato > config_.delayed_ack_timeout) {
    SimDuration max_ato = config_.delayed_ack_max;
    if (rtt_.srtt()) max_ato = std::min(max_ato, std::max(*rtt_.srtt(), config_.delayed_ack_timeout));
    ato = std::min(ato, max_ato);
  }
  if (delack_timer_) {
    if (*delack_timer_ <= now + SimDuration{ato.ns / 4}) {
      ack_now_ = true;
      ack_cause_ = Cause::PureAck;
    }
    return;
  }
  arm(now, TcpTimer::DelayedAck, now + ato);
}

}  // namespace wirestep
