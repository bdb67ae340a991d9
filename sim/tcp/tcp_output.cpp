// What to send next: data within min(cwnd, peer window), Nagle, FIN after the data, ACKs, SYNs, RSTs.
#include <algorithm>

#include "sim/tcp/tcp_connection.hpp"

namespace wirestep {

using namespace wire::tcp_flag;

std::uint64_t TcpConnection::stream_offset(SeqNum s) const {
  // Data byte 0 has sequence number ISS+1; acked_offset_ counts data bytes up to snd.una.
  const SeqNum first_unacked_data = syn_acked_ ? snd_una_ : snd_una_ + 1;
  const std::int32_t d = s - first_unacked_data;
  return d >= 0 ? acked_offset_ + static_cast<std::uint64_t>(d) : acked_offset_;
}

std::uint32_t TcpConnection::linux_window(bool for_ack_check) {
  const std::uint32_t full = linux_rwnd_.win_from_space(config_.recv_buffer);
  bool quick_cleared = false;
  const std::uint32_t wnd = linux_rwnd_.select(linux_tcp_space(), full, rcv_wscale_, &quick_cleared);
  if (quick_cleared && !for_ack_check) quickack_ = 0;  // more than half the buffer in use: delay ACKs
  return wnd;
}

std::uint32_t TcpConnection::receive_window_to_advertise() {
  if (config_.linux_receive_window) {
    // tcp_select_window: never shrink the window offered; keep the old right edge, rounded up to the scale.
    const std::uint32_t current = rcv_adv_ > rcv_nxt_ ? static_cast<std::uint32_t>(rcv_adv_ - rcv_nxt_) : 0;
    const std::uint32_t wnd = linux_window(false);
    const std::uint32_t granularity = 1u << rcv_wscale_;
    return wnd >= current ? wnd : (current + granularity - 1) / granularity * granularity;
  }
  // Out-of-order bytes held for reassembly use the buffer too: counting them keeps the window flat while a
  // hole is open, so the ACKs that report the hole are duplicates by RFC 5681's definition (as on Linux).
  std::uint64_t used = readable_bytes();
  for (const auto& [offset, held] : out_of_order_) used += held.len;
  const std::uint32_t free =
      used >= config_.recv_buffer ? 0 : config_.recv_buffer - static_cast<std::uint32_t>(used);
  const std::uint32_t current = rcv_adv_ > rcv_nxt_ ? static_cast<std::uint32_t>(rcv_adv_ - rcv_nxt_) : 0;
  // RFC 9293 §3.8.6.2.2 (receiver SWS avoidance): move the right edge only by at least min(buffer/2, MSS),
  // and never shrink the window already offered.
  if (free <= current) return current;
  if (free - current < std::min(config_.recv_buffer / 2, mss_)) return current;
  const std::uint32_t granularity = 1u << rcv_wscale_;
  return free / granularity * granularity;
}

std::uint16_t TcpConnection::wire_window(bool syn) {
  const std::uint32_t wnd = receive_window_to_advertise();
  if (syn && config_.linux_receive_window) {
    // rcv_ssthresh starts at the SYN's window; without MSS rounding (a host that turned it off) it is not
    // rounded either.
    const std::uint32_t m = !config_.syn_window_mss_multiple  ? 0
                            : config_.mss > 12 && ts_enabled_ ? config_.mss - 12u
                                                              : config_.mss;
    linux_rwnd_.start(config_.recv_buffer, m);
    return static_cast<std::uint16_t>(LinuxReceiveWindow::initial_window(config_.recv_buffer, m));
  }
  if (syn && config_.syn_window_mss_multiple) {
    // Linux's tcp_select_initial_window rounds the SYN's window down to a multiple of the MSS it expects
    // to receive: 1460 in a SYN (64240), 1448 in a SYN,ACK once timestamps are agreed (65160).
    const std::uint32_t m = config_.mss > 12 && ts_enabled_ ? config_.mss - 12u : config_.mss;
    const std::uint32_t w = std::min<std::uint32_t>(wnd, 65535);
    return static_cast<std::uint16_t>(w > m && m > 0 ? w / m * m : w);
  }
  if (syn) return static_cast<std::uint16_t>(std::min<std::uint32_t>(wnd, 65535));  // RFC 7323 §2.2
  return static_cast<std::uint16_t>(std::min<std::uint32_t>(wnd >> rcv_wscale_, 65535));
}

std::size_t TcpConnection::sack_blocks_to_send() const {
  if (!sack_ok_) return 0;
  // RFC 2018 §3: 40 option bytes hold 4 blocks, 3 beside the 12 bytes of timestamps (Linux sends as many).
  const std::size_t room = ts_enabled_ ? 3 : 4;
  return std::min(room, sack_blocks_.size() + (dsack_ ? 1 : 0));
}

std::uint32_t TcpConnection::segment_mss() const {
  // Linux's tcp_current_mss: the SACK option on a data segment comes out of its payload, so the packet
  // never exceeds the size the MSS promised.
  const std::size_t blocks = sack_blocks_to_send();
  const std::uint32_t sack_bytes = blocks ? static_cast<std::uint32_t>(4 + 8 * blocks) : 0;
  return mss_ > sack_bytes ? mss_ - sack_bytes : 1;
}

void TcpConnection::emit(SimTime now, const TcpSegmentOut& segment) {
  // Completed where it will stay: one copy of the segment, not one into the argument and one into the outbox.
  TcpSegmentOut& seg = outbox_.emplace_back(segment);
  const bool syn = seg.flags & kSyn;
  // RFC 7323 §3.2: once negotiated, every segment carries timestamps; TSecr is TS.Recent (§4.3 (1)). The
  // SYN's options are chosen in send_syn; RSTs carry them only when the caller says so (Linux's abort).
  if (ts_enabled_ && !syn && (!(seg.flags & kRst) || seg.options)) {
    if (!seg.options) seg.options = wire::TcpOptions{};
    seg.options->timestamps = wire::TcpTimestamps{tsval(now), ts_recent_};
  }
  // RFC 2018 §4: an ACK reports the out-of-order data held, a D-SACK block first (RFC 2883 §4) and sent once.
  if (const std::size_t blocks = sack_blocks_to_send();
      blocks > 0 && !syn && (seg.flags & kAck) && !(seg.flags & kRst)) {
    if (!seg.options) seg.options = wire::TcpOptions{};
    std::size_t i = 0;
    if (dsack_) seg.options->sack[i++] = wire::SackBlock{dsack_->first.raw(), dsack_->second.raw()};
    for (std::size_t j = 0; i < blocks && j < sack_blocks_.size(); ++j)
      seg.options->sack[i++] = wire::SackBlock{sack_blocks_[j].first.raw(), sack_blocks_[j].second.raw()};
    seg.options->sack_count = static_cast<std::uint8_t>(i);
    dsack_.reset();
  }
  if (!(seg.flags & kRst) || (seg.flags & kAck)) {  // Linux's RST,ACK on abort carries its window too
    seg.window = wire_window(syn);
    const std::uint32_t advertised = syn ? seg.window : static_cast<std::uint32_t>(seg.window) << rcv_wscale_;
    if (seg.flags & kAck) {
      rcv_adv_ = seq_max(rcv_adv_, rcv_nxt_ + advertised);
      rcv_wnd_sent_ = advertised;
    }
  }
  const bool pure_ack = seg.flags == kAck && seg.payload_len == 0;
  // A window update that also acknowledges new data is, on the wire, simply an ACK.
  if (pure_ack && seg.cause == Cause::WindowUpdate && (!last_ack_sent_ || last_ack_sent_->first != seg.ack))
    seg.cause = Cause::PureAck;
  if (pure_ack && seg.cause == Cause::PureAck && last_ack_sent_ && last_ack_sent_->first == seg.ack) {
    // Named as Wireshark names them: a changed window is a window update, the same window a duplicate ACK.
    if (last_ack_sent_->second != seg.window)
      seg.cause = Cause::WindowUpdate;
    else if (seg.window != 0)
      seg.cause = Cause::DuplicateAck;
  }
  if (seg.payload_len > 0) last_data_sent_ = now;  // Linux's lsndtime (tcp_event_data_sent)
  if (seg.flags & kAck) {
    // tcp_dec_quickack_mode: each ACK of new data spends one quick ACK; leaving the mode resets ato.
    if (quickack_ > 0 && (ack_now_ || unacked_segments_ > 0 || delack_timer_) && --quickack_ == 0)
      ato_ = config_.delayed_ack_timeout;
    rcv_unacked_bytes_ = 0;
    linux_rwnd_.clear_pushed();  // inet_csk_clear_xmit_timer(ICSK_TIME_DACK) clears icsk_ack.pending
    last_ack_sent_ = std::pair{seg.ack, seg.window};
    ack_now_ = false;
    ack_cause_ = Cause::PureAck;
    unacked_segments_ = 0;
    cancel(now, TcpTimer::DelayedAck);
    if (compressed_acks_ > 0 || sack_compress_timer_) {  // any ACK sent ends the compression
      compressed_acks_ = 0;
      cancel(now, TcpTimer::SackCompress);
    }
  }
}

void TcpConnection::send_syn(SimTime now, bool with_ack, Cause cause) {
  TcpSegmentOut seg;
  seg.seq = iss_;
  seg.flags = with_ack ? (kSyn | kAck) : kSyn;
  seg.ack = with_ack ? rcv_nxt_ : SeqNum(0);
  wire::TcpOptions opt;
  opt.mss = config_.mss;
  // A SYN offers what the configuration allows; a SYN,ACK answers only what the peer's SYN offered (RFC
  // 2018 §2, RFC 7323 §3.2). TSecr is 0 in a SYN (nothing to echo yet), TS.Recent in a SYN,ACK.
  if (config_.sack && (!with_ack || sack_ok_)) opt.sack_permitted = true;
  if (config_.timestamps && (!with_ack || ts_enabled_))
    opt.timestamps = wire::TcpTimestamps{tsval(now), with_ack ? ts_recent_ : 0};
  if (wscale_offered_)
    opt.window_scale = rcv_wscale_;  // in a SYN,ACK only if the SYN offered it (RFC 7323 §2.2)
  seg.options = opt;
  seg.cause = cause;
  if (snd_nxt_ == iss_) snd_nxt_ = iss_ + 1;
  if (snd_max_ < snd_nxt_) snd_max_ = snd_nxt_;
  if (cause == Cause::FirstTransmission && !timed_seq_) {
    timed_seq_ = iss_;
    timed_at_ = now;
  }
  emit(now, seg);
  arm(now, TcpTimer::Retransmission, now + rtt_.rto());  // RFC 6298 §5.1 / §5.5 (restarted with the backoff)
}

void TcpConnection::send_ack(SimTime now, Cause cause) {
  TcpSegmentOut seg;
  seg.seq = snd_nxt_;
  seg.ack = rcv_nxt_;
  seg.flags = kAck;
  seg.cause = cause;
  emit(now, seg);
}

void TcpConnection::send_rst(SimTime now, SeqNum seq, bool with_timestamp, bool with_ack) {
  TcpSegmentOut seg;
  seg.seq = seq;
  seg.flags = with_ack ? (kRst | kAck) : kRst;
  if (with_ack) seg.ack = rcv_nxt_;
  seg.cause = Cause::Reset;
  if (with_timestamp && ts_enabled_) seg.options = wire::TcpOptions{};  // emit adds the timestamps
  emit(now, seg);
}

void TcpConnection::retransmit_head(SimTime now, Cause cause) {
  if (snd_una_ == snd_max_) return;
  TcpSegmentOut seg;
  seg.seq = snd_una_;
  seg.ack = rcv_nxt_;
  seg.flags = kAck;
  seg.cause = cause;
  const SeqNum data_end = fin_sent_ ? fin_seq_ : snd_max_;
  const auto data_left = static_cast<std::uint32_t>(std::max<std::int32_t>(data_end - snd_una_, 0));
  seg.payload_len = std::min(segment_mss(), data_left);
  seg.stream_offset = stream_offset(snd_una_);
  if (fin_sent_ && snd_una_ + seg.payload_len == fin_seq_) seg.flags |= kFin;
  if (config_.push_each_write && seg.payload_len > 0 &&
      write_ends_in(seg.stream_offset, seg.stream_offset + seg.payload_len))
    seg.flags |= kPsh;  // as retransmit_range: the resent skb keeps tcp_mark_push's PSH
  if (seg.payload_len == 0 && !(seg.flags & kFin)) return;
  timed_seq_.reset();  // Karn: never time a retransmitted segment
  emit(now, seg);
  if (!rto_timer_) arm(now, TcpTimer::Retransmission, now + rtt_.rto());
}

std::uint32_t TcpConnection::retransmit_range(SimTime now, SeqNum start, std::uint32_t len, Cause cause) {
  if (start < snd_una_ || start >= snd_max_) return 0;
  TcpSegmentOut seg;
  seg.seq = start;
  seg.ack = rcv_nxt_;
  seg.flags = kAck;
  seg.cause = cause;
  const SeqNum data_end = fin_sent_ ? fin_seq_ : snd_max_;
  const auto data_left = static_cast<std::uint32_t>(std::max<std::int32_t>(data_end - start, 0));
  seg.payload_len = std::min({segment_mss(), data_left, len});
  seg.stream_offset = stream_offset(start);
  if (fin_sent_ && start + seg.payload_len == fin_seq_) seg.flags |= kFin;
  // Linux resends the skb with the flags tcp_mark_push gave it: PSH again where a write ended.
  if (config_.push_each_write && seg.payload_len > 0 &&
      write_ends_in(seg.stream_offset, seg.stream_offset + seg.payload_len))
    seg.flags |= kPsh;
  if (seg.payload_len == 0 && !(seg.flags & kFin)) return 0;
  timed_seq_.reset();  // Karn: never time a retransmitted segment
  emit(now, seg);
  if (scoreboard_) note_data_sent(now, seg, true);
  if (!rto_timer_) arm(now, TcpTimer::Retransmission, now + rtt_.rto());
  return seg.payload_len + ((seg.flags & kFin) ? 1 : 0);
}

std::uint32_t TcpConnection::linux_tso_autosize(std::uint32_t smss) const {
  // tcp_tso_autosize: the whole 64 KB GSO size shifted right by min_rtt / 512 us (tcp_tso_rtt_log = 9), so
  // a path of a few hundred microseconds sends 64 KB packets and one of a few milliseconds tcp_min_tso_segs.
  // The kernel adds about 1 ms of the pacing rate (sk_pacing_rate >> 10, 2 * cwnd * mss / srtt in slow
  // start), left out here: real Linux 6.18 behind the twin relay at 10 ms RTT kept its packets at 2
  // segments up to a cwnd of 30 (twin-bulk-loss-5ms), where that term would give 3 from a cwnd of 16.
  constexpr std::uint64_t kGsoMaxSize = LinuxSendBuffer::kGsoMaxSize;
  std::uint64_t bytes = kGsoMaxSize;  // no RTT measured yet
  const SimDuration min_rtt = rack_ && rack_->min_rtt().ns > 0 ? rack_->min_rtt()
                              : rtt_.srtt()                    ? *rtt_.srtt()
                                                               : SimDuration{};
  if (min_rtt.ns > 0) {
    const std::int64_t r = (min_rtt.ns / 1000) >> 9;
    bytes = r < 32 ? kGsoMaxSize >> r : 0;
  }
  return std::max<std::uint32_t>(static_cast<std::uint32_t>(bytes / smss), config_.gso_segments);
}

TcpConnection::LinuxPacketQuota TcpConnection::linux_packet_quota(std::uint32_t smss) const {
  LinuxPacketQuota q;
  // tcp_cwnd_test: at most half the cwnd, so two packets are in flight; a loss probe goes even without room.
  q.cwnd_segs = cc_->cwnd() / smss;
  // tcp_packets_in_flight: SACKed and lost segments have left the network (RFC 6675's pipe).
  const std::uint32_t pipe = scoreboard_ ? sack_pipe() : flight_size();
  q.in_flight = (pipe + smss - 1) / smss;
  std::uint32_t quota =
      q.cwnd_segs > q.in_flight ? std::min(std::max(q.cwnd_segs / 2, 1u), q.cwnd_segs - q.in_flight) : 0;
  if (quota == 0) quota = 1;  // the window test of the caller already let one segment through
  q.max_segs = linux_tso_autosize(smss);
  q.quota = std::min(q.max_segs, quota);
  return q;
}

std::uint32_t TcpConnection::linux_tso_packet(SimTime now, const LinuxPacketQuota& q, std::uint32_t smss,
                                              std::uint64_t skb_bytes, bool skb_is_tail, bool probe) const {
  const auto [cwnd_segs, in_flight, max_segs, segs] = q;
  const std::uint64_t tso_segs = (skb_bytes + smss - 1) / smss;
  if (probe || tso_segs <= 1 || sack_recovering_ || in_rto_recovery_) return segs;
  // tcp_tso_should_defer. Avoid bursts: only while the last transmission is recent (under 1 ms; a real
  // kernel's clock has always moved on a little when an ACK comes exactly 1 ms after a send).
  if (!last_data_sent_ || now - *last_data_sent_ >= SimDuration::millis(1)) return segs;
  const std::int32_t room = (snd_una_ + snd_wnd_) - snd_nxt_;  // tcp_wnd_end - seq
  const std::uint64_t send_win = room > 0 ? static_cast<std::uint64_t>(room) : 0;
  const std::uint64_t cong_win = std::uint64_t{cwnd_segs > in_flight ? cwnd_segs - in_flight : 0} * smss;
  const std::uint64_t limit = std::min(send_win, cong_win);
  if (limit >= std::uint64_t{max_segs} * smss) return segs;  // a full-sized packet can go
  if (!skb_is_tail && limit >= skb_bytes) return segs;       // the skb gets no more data: send it whole
  // tcp_tso_win_divisor = 3: a third of the window available is worth sending.
  if (limit >= std::min<std::uint64_t>(snd_wnd_, std::uint64_t{cwnd_segs} * smss) / 3) return segs;
  // When is the next ACK due? Not within min(SRTT/2, 1 ms): do not wait for it.
  const auto head = rack_ ? rack_->oldest_xmit_ts() : std::nullopt;
  if (!head || !rtt_.srtt()) return segs;
  const SimDuration srtt = *rtt_.srtt();
  const SimDuration threshold = std::min(SimDuration{srtt.ns / 2}, SimDuration::millis(1));
  if ((*head + srtt) - now > threshold) return segs;
  if (cong_win < send_win ? cong_win <= skb_bytes : send_win <= skb_bytes) return 0;  // cwnd/rwnd-limited
  // Application-limited: a FIN will not get more data; else wait for more.
  if (fin_queued_ && skb_is_tail) return segs;
  return 0;
}

void TcpConnection::output(SimTime now) {
  // CLOSING is here only for our FIN: after a timeout it must go out again (RFC 9293 §3.10.8), or a lost FIN
  // that crossed the peer's FIN would leave both ends waiting forever.
  const bool can_send_data = state_ == TcpState::Established || state_ == TcpState::CloseWait ||
                             state_ == TcpState::FinWait1 || state_ == TcpState::LastAck ||
                             state_ == TcpState::Closing;
  bool sent = false;
  bool corked = false;        // a partial segment waits for the cork (TCP_CORK or MSG_MORE)
  bool cwnd_stopped = false;  // for congestion window validation (RFC 7661)
  if (!scoreboard_ && sack_ok_ && syn_acked_) start_sack_recovery_state();  // before the first data segment
  if (sack_recovering_ && can_send_data) sack_retransmit_lost(now);
  // Bounded: each pass sends a segment that advances snd.nxt, and the window limits how many fit.
  const std::uint32_t smss = segment_mss();
  std::uint32_t gso_count = 0;  // new-data segments in the GSO packet being built (TcpConfig::gso_segments)
  // tcp_cwnd_test: a GSO packet holds at most half the cwnd, so at least two are in flight.
  std::uint32_t gso_limit =
      std::min(config_.gso_segments, std::max(1u, cc_->cwnd() / std::max(1u, smss) / 2));
  // A tail loss probe of new data is one GSO packet (tcp_write_xmit's push_one = 2).
  const bool probe_packet = probe_pending_ && config_.tso_defer;
  bool probe_packet_done = false;
  for (int guard = 0; can_send_data && guard < 100000; ++guard) {
    if (in_rto_recovery_ && scoreboard_) skip_sacked_after_rto();
    const std::uint64_t next_offset = stream_offset(snd_nxt_);  // snd.nxt moves only at the end of the pass
    const std::uint64_t unsent = written_ - std::min(written_, next_offset);
    const std::uint32_t window = std::min(snd_wnd_, cc_->cwnd() + limited_transmit_);
    const std::uint32_t in_flight = flight_size();
    std::uint32_t usable = window > in_flight ? window - in_flight : 0;
    // sack_usable_window changes nothing unless one of these holds; most passes skip the call.
    if (scoreboard_ && (sack_recovering_ || probe_pending_ || frto_new_bytes_))
      usable = sack_usable_window(usable, smss);
    if (usable < std::min<std::uint64_t>(smss, unsent) && cc_->cwnd() + limited_transmit_ < snd_wnd_)
      cwnd_stopped = true;
    auto len = static_cast<std::uint32_t>(std::min<std::uint64_t>({smss, unsent, usable}));
    if (in_rto_recovery_ && scoreboard_) len = std::min(len, bytes_before_next_sacked());
    // A new GSO packet of new data (tso_defer's model): tcp_write_xmit's cwnd quota, once per packet, then
    // tcp_grow_skb fills its skb up to it from the next one.
    const bool new_packet =
        config_.tso_defer && config_.gso_segments > 0 && gso_count == 0 && len > 0 && snd_nxt_ >= snd_max_;
    LinuxPacketQuota quota;
    if (new_packet) {
      quota = linux_packet_quota(smss);
      if (config_.grow_skb && config_.linux_send_buffer) sndbuf_.grow_head(std::uint64_t{quota.quota} * smss);
    }
    // Linux sends new data skb by skb (tcp_write_xmit): a segment ends where its skb ends, and one that is
    // not the last skb goes whatever its size (tcp_nagle_test with TCP_NAGLE_PUSH).
    bool skb_done = false, skb_followed = false;
    if (config_.linux_send_buffer && len > 0 && snd_nxt_ >= snd_max_) {
      const std::uint64_t room = sndbuf_.skb_end(next_offset) - next_offset;
      if (room <= len) {
        len = static_cast<std::uint32_t>(room);
        skb_done = true;
        skb_followed = room < unsent;
      }
    }
    const bool fin_here = fin_queued_ && len == unsent && (!fin_sent_ || snd_nxt_ + len == fin_seq_);
    if (len == 0 && !fin_here) break;
    if (len < smss && len < unsent && !skb_followed) {
      // RFC 9293 §3.8.6.2.1 (sender SWS avoidance): a window-limited runt waits unless it is at least half
      // the largest window the peer offered, or nothing is in flight. Linux cuts a GSO packet at the window's
      // edge instead (tcp_mss_split_point): its partial last segment goes with it unless Nagle holds it
      // (tcp_nagle_check: an earlier small segment is unacknowledged).
      // Only the peer's window cuts a segment short so: Linux counts cwnd in whole segments.
      const bool at_window_edge = (snd_una_ + snd_wnd_) - snd_nxt_ == static_cast<std::int32_t>(len);
      const bool linux_partial_tail =
          config_.tso_defer && gso_count > 0 && at_window_edge && !small_segment_unacked();
      if (in_flight > 0 && len < max_snd_wnd_ / 2 && !linux_partial_tail) break;
    }
    const bool pushed = nagle_push_ || skb_followed;  // tcp_push(TCP_NAGLE_PUSH) before a write sleeps
    if (config_.cork && len > 0 && len < smss && !fin_here && !pushed) {  // TCP_CORK: only full segments
      corked = true;
      break;
    }
    if (config_.linux_nagle) {
      // Linux's tcp_nagle_check with tcp_minshall_check (Minshall's variant of RFC 896): a small segment
      // waits only while an earlier small segment is unacknowledged, so a response's tail goes at once.
      const bool small_unacked = small_segment_unacked();
      if (config_.nagle && len > 0 && len < smss && in_flight > 0 && small_unacked && !fin_here && !pushed)
        break;
    } else if (config_.nagle && len > 0 && len < smss && in_flight > 0 && !fin_here) {
      break;  // RFC 896 / RFC 9293 §3.7.4
    }
    if (probe_packet_done) break;
    if (new_packet) {
      // Linux sizes the packet from the pacing rate and the cwnd quota, or holds it back.
      const std::uint64_t skb_end = config_.linux_send_buffer ? sndbuf_.skb_end(next_offset) : written_;
      const std::uint64_t skb_bytes = std::min<std::uint64_t>(skb_end, written_) - next_offset;
      const std::uint32_t segs =
          linux_tso_packet(now, quota, smss, skb_bytes, skb_end >= written_, probe_packet);
      if (segs == 0) {
        cwnd_stopped = true;  // tcp_tso_should_defer's is_cwnd_limited / is_rwnd_limited
        break;
      }
      gso_limit = segs;
    }
    TcpSegmentOut seg;
    seg.seq = snd_nxt_;
    seg.ack = rcv_nxt_;
    seg.flags = kAck;
    if (config_.push_each_write) {
      // Linux's tcp_push marks the last byte of every write (tcp_mark_push): PSH on the segment holding it.
      if (len > 0 && write_ends_in(next_offset, next_offset + len)) seg.flags |= kPsh;
    } else if (len > 0 && len == unsent) {
      seg.flags |= kPsh;
    }
    if (fin_here) seg.flags |= kFin;
    seg.payload_len = len;
    seg.stream_offset = next_offset;
    const bool retransmission = snd_nxt_ < snd_max_;
    if (config_.gso_segments > 0 && len > 0 && !retransmission) {
      // Linux's GSO packet ends after gso_segments segments or at a write's end (skbs never merge); one of
      // more than one segment gets PSH from __tcp_transmit_skb, on its last segment once segmented.
      if (++gso_count >= gso_limit || (seg.flags & kPsh) || fin_here || skb_done) {
        if (gso_count > 1) seg.flags |= kPsh;
        gso_count = 0;
        probe_packet_done = probe_packet;
      }
    } else {
      gso_count = 0;
    }
    const bool packet_ends = gso_count == 0;  // tso_fragment splits the skb where a GSO packet ends
    seg.cause = retransmission ? Cause::RtoRetransmission : Cause::FirstTransmission;
    if (len > 0 && !retransmission && !timed_seq_) {
      timed_seq_ = snd_nxt_;
      timed_at_ = now;
    }
    snd_nxt_ += len + (fin_here ? 1 : 0);
    if (fin_here && !fin_sent_) {
      fin_sent_ = true;
      fin_seq_ = snd_nxt_ - 1;
    }
    if (snd_max_ < snd_nxt_) snd_max_ = snd_nxt_;
    if (snd_nxt_ >= snd_max_) in_rto_recovery_ = false;
    if (packet_ends) note_sent_to_buffer();
    if (len > 0 && len < smss) snd_sml_ = snd_nxt_;  // tcp_minshall_update
    // tcp_event_data_sent: data sent within ato of the last data received makes the exchange interactive
    // (pingpong), so the next data received is ACKed with the answer rather than at once.
    if (config_.quick_ack && len > 0 && !retransmission && ato_.ns > 0 && now - last_data_received_ < ato_)
      pingpong_ = true;
    emit(now, seg);
    if (scoreboard_) note_data_sent(now, seg, retransmission);
    sent = true;
    if (!rto_timer_) arm(now, TcpTimer::Retransmission, now + rtt_.rto());  // RFC 6298 §5.1
    if (fin_here) break;
  }
  // The loop stopped inside a GSO packet (window or data ran out): its last segment gets the PSH.
  if (gso_count > 1 && !outbox_.empty()) outbox_.back().flags |= kPsh;
  if (gso_count > 0) note_sent_to_buffer();
  if (ack_now_ && !sent) send_ack(now, ack_cause_);
  if (can_send_data) cwv_.on_send(snd_una_, snd_nxt_, flight_size(), cwnd_stopped);
  if (scoreboard_ && sent) rearm_loss_timer(now);
  // Linux's tcp_check_probe_timer: corked data with nothing in flight starts the probe timer at
  // max(RTO, TCP_RTO_MIN); when it fires, send_held_data sends what waits (tcp(7): TCP_CORK's 200 ms
  // ceiling).
  if (corked && snd_wnd_ != 0 && !persist_timer_ && !rto_timer_ && flight_size() == 0) {
    persist_backoff_ = std::max(rtt_.rto(), config_.min_rto);
    arm(now, TcpTimer::Persist, now + persist_backoff_);
  }
  // RFC 9293 §3.8.6.1: data waiting behind a zero window and nothing in flight: start the persist timer.
  if (can_send_data && snd_wnd_ == 0 && !persist_timer_ && !rto_timer_ && flight_size() == 0 &&
      written_ > stream_offset(snd_nxt_)) {
    persist_backoff_ = rtt_.rto();
    arm(now, TcpTimer::Persist, now + persist_backoff_);
  }
}

bool TcpConnection::send_held_data(SimTime now) {
  const bool can_send_data = state_ == TcpState::Established || state_ == TcpState::CloseWait;
  const std::uint64_t unsent = written_ - std::min(written_, stream_offset(snd_nxt_));
  if (!can_send_data || unsent == 0 || flight_size() != 0 || fin_queued_) return false;
  // tcp_write_wakeup: at most one MSS within the peer's window, PSH set so the peer delivers it at once.
  const auto len = static_cast<std::uint32_t>(std::min<std::uint64_t>({segment_mss(), unsent, snd_wnd_}));
  if (len == 0) return false;
  TcpSegmentOut seg;
  seg.seq = snd_nxt_;
  seg.ack = rcv_nxt_;
  seg.flags = kAck | kPsh;
  seg.payload_len = len;
  seg.stream_offset = stream_offset(snd_nxt_);
  seg.cause = Cause::FirstTransmission;
  if (!timed_seq_) {
    timed_seq_ = snd_nxt_;
    timed_at_ = now;
  }
  snd_nxt_ += len;
  if (snd_max_ < snd_nxt_) snd_max_ = snd_nxt_;
  note_sent_to_buffer();  // tcp_write_wakeup splits the skb it sends part of (tcp_fragment)
  if (len < segment_mss()) snd_sml_ = snd_nxt_;  // tcp_minshall_update
  emit(now, seg);
  if (scoreboard_) note_data_sent(now, seg, false);
  arm(now, TcpTimer::Retransmission, now + rtt_.rto());
  if (scoreboard_) rearm_loss_timer(now);
  note_vars(now);
  return true;
}

void TcpConnection::restart_after_idle(SimTime now) {
  if (!last_data_sent_ || now - *last_data_sent_ <= rtt_.rto()) return;
  // RFC 5681 §4.1: restart window RW = min(IW, cwnd); Linux's tcp_cwnd_restart halves cwnd once per RTO
  // of idle down to RW and keeps ssthresh at least 3/4 of the old cwnd (tcp_current_ssthresh).
  const std::uint32_t n = config_.initial_window_segments;  // RFC 6928 §2, as the congestion controls
  const std::uint32_t iw = n == 10 ? std::min(10 * mss_, std::max(2 * mss_, 14600u)) : std::max(1u, n) * mss_;
  const std::uint32_t cwnd = cc_->cwnd();
  const std::uint32_t restart = std::min(iw, cwnd);
  const std::uint32_t ssthresh = std::max(cc_->ssthresh(), cwnd / 2 + cwnd / 4);
  std::uint32_t w = cwnd;
  SimDuration idle = now - *last_data_sent_;
  const SimDuration rto = rtt_.rto();
  while (rto.ns > 0 && (idle = idle - rto).ns > 0 && w > restart) w >>= 1;
  cc_->restart_after_idle(std::max(w, restart), ssthresh);
  last_data_sent_ = now;  // lsndtime moves with the next send; once per idle period
  note_vars(now);
}

bool TcpConnection::write_ends_in(std::uint64_t from, std::uint64_t to) const {
  const auto begin = push_ends_.begin() + static_cast<std::ptrdiff_t>(push_ends_start_);
  const auto it = std::upper_bound(begin, push_ends_.end(), from);
  return it != push_ends_.end() && *it <= to;
}

}  // namespace wirestep
