#include "sim/tcp/tcp_connection.hpp"

#include <algorithm>

#include "sim/tcp/congestion/cubic.hpp"
#include "sim/tcp/congestion/newreno.hpp"

namespace wirestep {

namespace {
std::unique_ptr<CongestionControl> make_congestion_control(const TcpConfig& c) {
  switch (c.congestion) {
    case CongestionAlgorithm::NewReno:
      return std::make_unique<NewReno>(c.mss, c.initial_window_segments);
    case CongestionAlgorithm::Cubic:
      return std::make_unique<Cubic>(c.mss, c.initial_window_segments);
  }
  return std::make_unique<NewReno>(c.mss, c.initial_window_segments);
}
}  // namespace

TcpConnection::TcpConnection(const TcpConfig& config, TraceContext trace, SeqNum iss, std::uint32_t ts_offset)
    : config_(config),
      tc_(trace),
      iss_(iss),
      snd_una_(iss),
      snd_nxt_(iss),
      snd_max_(iss),
      mss_(config.mss),
      rtt_(config.initial_rto, config.min_rto, config.max_rto, config.rto_min_on_variance),
      cc_(make_congestion_control(config)) {
  ts_offset_ = ts_offset;
  linux_rmem_ = LinuxReceiveMemory(config_.receive_skbs);
  sndbuf_.start(config_.send_buffer, config_.send_buffer_max, config_.send_buffer_locked);
  // RFC 7323 §2.3: choose the smallest shift that lets the largest buffer be advertised. That is Linux's
  // rule too (tcp_select_initial_window: ilog2(max(rcvbuf, tcp_rmem[2])) - 15, at most 14): 6 MiB gives 7.
  const std::uint32_t space = std::max(config_.recv_buffer, config_.recv_buffer_max);
  if (config_.window_scaling && space > 65535) {
    while (rcv_wscale_ < 14 && (space >> rcv_wscale_) > 65535) ++rcv_wscale_;
    wscale_offered_ = true;
  }
}

TcpConnection::~TcpConnection() = default;

// ---------------------------------------------------------------- tracing

void TcpConnection::set_state(SimTime now, TcpState next, const std::string& why) {
  if (next == state_) return;
  const std::string text =
      std::string(to_string(state_)) + " -> " + std::string(to_string(next)) + ": " + why;
  state_ = next;
  if (next == TcpState::Established && config_.linux_receive_window) linux_init_buffer_space(now);
  if (tc_.trace)
    tc_.trace->add_event(
        TraceEvent{now, EventKind::StateChange, tc_.host, tc_.socket, static_cast<std::int64_t>(next), text});
}

void TcpConnection::arm(SimTime now, TcpTimer t, SimTime when) {
  timer(t) = when;
  if (tc_.trace) tc_.trace->add_timer(now, EventKind::TimerArm, tc_.host, tc_.socket, t, when.ns);
}

void TcpConnection::fired(SimTime now, TcpTimer t) {
  if (tc_.trace) tc_.trace->add_timer(now, EventKind::TimerFire, tc_.host, tc_.socket, t);
}

void TcpConnection::cancel_armed(SimTime now, TcpTimer t) {
  timer(t).reset();
  if (tc_.trace) tc_.trace->add_timer(now, EventKind::TimerCancel, tc_.host, tc_.socket, t);
}

void TcpConnection::record_var(SimTime now, TraceVar var, std::int64_t value, std::int64_t& last) {
  last = value;
  // (Checked here too: a compact Trace drops four of the variables that change on every segment.)
  if (tc_.trace && tc_.trace->wants(var)) tc_.trace->add_var(now, tc_.host, tc_.socket, var, value);
}

void TcpConnection::note_vars(SimTime now) {
  note_var(now, TraceVar::Cwnd, cc_->cwnd(), last_cwnd_);
  note_var(now, TraceVar::Ssthresh, cc_->ssthresh(), last_ssthresh_);
  if (rtt_.srtt()) {
    note_var(now, TraceVar::Srtt, rtt_.srtt()->ns, last_srtt_);
    note_var(now, TraceVar::Rttvar, rtt_.rttvar().ns, last_rttvar_);
  }
  note_var(now, TraceVar::Rto, rtt_.rto().ns, last_rto_);
  note_var(now, TraceVar::SndUna, snd_una_.raw(), last_snd_una_);
  note_var(now, TraceVar::SndNxt, snd_nxt_.raw(), last_snd_nxt_);
  note_var(now, TraceVar::SndWnd, snd_wnd_, last_snd_wnd_);
  if (state_ != TcpState::SynSent && state_ != TcpState::Closed) {
    note_var(now, TraceVar::RcvNxt, rcv_nxt_.raw(), last_rcv_nxt_);
    const std::int64_t wnd = rcv_adv_ > rcv_nxt_ ? rcv_adv_ - rcv_nxt_ : 0;
    note_var(now, TraceVar::RcvWnd, wnd, last_rcv_wnd_);
  }
  if (sack_recovering_) note_var(now, TraceVar::Pipe, sack_pipe(), last_pipe_);  // RFC 6675 §4 SetPipe
}

void TcpConnection::fail(SimTime now, const std::string& why) {
  error_ = why;
  notices_ |= tcp_notice::kError | tcp_notice::kReadable | tcp_notice::kWritable | tcp_notice::kEstablished;
  for (TcpTimer t : {TcpTimer::Retransmission, TcpTimer::Persist, TcpTimer::DelayedAck, TcpTimer::TimeWait,
                     TcpTimer::KeepAlive, TcpTimer::SackCompress})
    cancel(now, t);
  set_state(now, TcpState::Closed, why);
  notices_ |= tcp_notice::kClosed;
}

// ---------------------------------------------------------------- user calls

void TcpConnection::connect(SimTime now) {
  // RFC 9293 §3.10.1: OPEN in CLOSED (active): send SYN, enter SYN-SENT.
  set_state(now, TcpState::SynSent, "connect() sends SYN");
  send_syn(now, false, Cause::FirstTransmission);
  note_vars(now);
}

void TcpConnection::open_from_listen(SimTime now, const TcpSegmentIn& syn) {
  // RFC 9293 §3.10.7.2 (LISTEN, SYN): RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ, send
  // <SEQ=ISS><ACK=RCV.NXT><SYN,ACK>.
  state_ = TcpState::Listen;
  irs_ = syn.seq;
  rcv_nxt_ = syn.seq + 1;
  rcv_adv_ = rcv_nxt_;
  take_peer_options(syn);
  snd_wnd_ = syn.window;  // RFC 7323 §2.2: the window in a SYN is never scaled
  max_snd_wnd_ = snd_wnd_;
  snd_wl1_ = syn.seq;
  set_state(now, TcpState::SynReceived, "SYN received by a listening socket");
  send_syn(now, true, Cause::FirstTransmission);
  note_vars(now);
}

std::uint64_t TcpConnection::send_space() const {
  if (config_.linux_send_buffer) return sndbuf_.memory_free() ? sndbuf_.sndbuf() - sndbuf_.wmem_queued() : 0;
  const std::uint64_t queued = written_ - acked_offset_;
  return queued >= config_.send_buffer ? 0 : config_.send_buffer - queued;
}

std::uint32_t TcpConnection::send_buffer_bytes() const {
  return config_.linux_send_buffer ? sndbuf_.sndbuf() : config_.send_buffer;
}

std::uint64_t TcpConnection::send_buffer_queued() const {
  return config_.linux_send_buffer ? sndbuf_.wmem_queued() : written_ - acked_offset_;
}

std::uint64_t TcpConnection::send(SimTime now, std::span<const std::uint8_t> literal,
                                  std::uint64_t bulk_bytes) {
  if (fin_queued_ || state_ == TcpState::Closed) return 0;
  if (config_.linux_send_buffer) return send_linux(now, literal, bulk_bytes);
  std::uint64_t space = send_space();
  const std::uint64_t lit = std::min<std::uint64_t>(literal.size(), space);
  if (lit && tc_.trace) tc_.trace->add_stream_chunk(tc_.flow, tc_.dir, written_, literal.first(lit));
  written_ += lit;
  space -= lit;
  const std::uint64_t bulk = lit == literal.size() ? std::min(bulk_bytes, space) : 0;
  written_ += bulk;
  if (config_.push_each_write && lit + bulk > 0 && !more_) {  // MSG_MORE: tcp_push leaves PSH off
    // The end of this write gets PSH when it is sent; ends already acknowledged are forgotten.
    while (push_ends_start_ < push_ends_.size() && push_ends_[push_ends_start_] <= acked_offset_)
      ++push_ends_start_;
    if (push_ends_start_ > 1024 && push_ends_start_ * 2 > push_ends_.size()) {
      push_ends_.erase(push_ends_.begin(),
                       push_ends_.begin() + static_cast<std::ptrdiff_t>(push_ends_start_));
      push_ends_start_ = 0;
    }
    push_ends_.push_back(written_);
  }
  if (config_.slow_start_after_idle && lit + bulk > 0 && flight_size() == 0) restart_after_idle(now);
  // RFC 9293 §3.10.2: data queued in SYN-SENT / SYN-RECEIVED goes out once the connection is established.
  // MSG_MORE corks this write's push only (tcp_push with TCP_NAGLE_CORK); an ACK later sends as usual.
  if (is_synchronized(state_)) {
    const bool corked = config_.cork;
    config_.cork = corked || more_;
    output(now);
    config_.cork = corked;
  }
  note_vars(now);  // what just left moved snd.nxt: the state table must show it now, not at the next ACK
  return lit + bulk;
}

std::uint64_t TcpConnection::send_linux(SimTime now, std::span<const std::uint8_t> literal,
                                        std::uint64_t bulk_bytes) {
  // tcp_sendmsg_locked: a writer asleep in sk_stream_wait_memory takes nothing until tcp_check_space wakes
  // it.
  if (writer_waiting_) return 0;
  const std::uint64_t want = literal.size() + bulk_bytes;
  if (want == 0) return 0;
  if (config_.slow_start_after_idle && flight_size() == 0) restart_after_idle(now);
  const std::uint32_t goal = LinuxSendBuffer::size_goal(mss_, max_snd_wnd_);
  const bool corked = config_.cork;
  std::uint64_t taken = 0;
  while (taken < want) {
    bool tail_full = false;
    const std::uint64_t n = sndbuf_.append(want - taken, goal, &tail_full);
    if (n == 0) break;
    if (taken < literal.size() && tc_.trace) {
      const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(n, literal.size() - taken));
      tc_.trace->add_stream_chunk(tc_.flow, tc_.dir, written_, literal.subspan(taken, k));
    }
    taken += n;
    written_ += n;
    // A full skb goes at once (tcp_push_one); MSG_MORE and TCP_CORK hold only partial segments.
    if (tail_full && is_synchronized(state_)) {
      config_.cork = corked || more_;
      output(now);
      config_.cork = corked;
    }
  }
  const bool waits = taken < want;
  if (config_.push_each_write && taken > 0 && (waits || !more_)) {
    // tcp_push marks the tail skb's last byte (tcp_mark_push): at the end of the write, and before the
    // writer sleeps for memory (there with MSG_MORE cleared), so PSH lands where a blocked send stopped.
    while (push_ends_start_ < push_ends_.size() && push_ends_[push_ends_start_] <= acked_offset_)
      ++push_ends_start_;
    if (push_ends_start_ > 1024 && push_ends_start_ * 2 > push_ends_.size()) {
      push_ends_.erase(push_ends_.begin(),
                       push_ends_.begin() + static_cast<std::ptrdiff_t>(push_ends_start_));
      push_ends_start_ = 0;
    }
    push_ends_.push_back(written_);
  }
  if (waits) writer_waiting_ = true;  // sk_stream_wait_memory sets SOCK_NOSPACE
  if (is_synchronized(state_)) {
    // tcp_push before sk_stream_wait_memory runs with TCP_NAGLE_PUSH: neither Nagle nor a cork holds the
    // tail; at the end of a write MSG_MORE corks the push (tcp_push with TCP_NAGLE_CORK).
    config_.cork = waits ? false : corked || more_;
    nagle_push_ = waits;
    output(now);
    nagle_push_ = false;
    config_.cork = corked;
  }
  note_vars(now);
  return taken;
}

void TcpConnection::check_send_space(SimTime now) {
  (void)now;
  if (!config_.linux_send_buffer || !syn_acked_ || !is_synchronized(state_)) return;
  // A connection with no writer asleep (a receiver) returns here, before the cwnd division.
  if (sndbuf_started_ && !writer_waiting_) return;
  // mss_clamp (the MSS both sides allow) rather than the payload per segment.
  const std::uint32_t mss_clamp = mss_ + (ts_enabled_ ? 12u : 0u);
  const std::uint32_t cwnd_segments = cc_->cwnd() / std::max(mss_, 1u);
  if (!sndbuf_started_) {
    // tcp_init_buffer_space once established: the buffer starts large enough for the initial window.
    sndbuf_started_ = true;
    if (!sndbuf_.locked()) sndbuf_.expand(mss_clamp, cwnd_segments, 3);
  }
  if (!writer_waiting_) return;  // tcp_check_space acts only while SOCK_NOSPACE is set
  // tcp_new_space / tcp_should_expand_sndbuf: not when SO_SNDBUF was set, not when the packets in flight
  // fill cwnd (tcp_packets_in_flight counts SACKed and lost segments out, retransmissions in).
  const std::uint32_t flight = scoreboard_ ? sack_pipe() : flight_size();
  const std::uint32_t flight_segments = (flight + std::max(mss_, 1u) - 1) / std::max(mss_, 1u);
  if (!sndbuf_.locked() && flight_segments < cwnd_segments) sndbuf_.expand(mss_clamp, cwnd_segments, 3);
  // sk_stream_write_space: the writer wakes only once a third of the buffer is free.
  if (sndbuf_.writeable()) {
    writer_waiting_ = false;
    notices_ |= tcp_notice::kWritable;
  }
}

std::size_t TcpConnection::read(SimTime now, std::vector<std::uint8_t>& out, std::size_t max) {
  const std::size_t n = std::min(max, readable_bytes());
  if (tc_.peer_stream_in_trace) {
    const std::size_t at = out.size();
    out.resize(at + n);
    tc_.trace->copy_stream(tc_.flow, opposite(tc_.dir), read_offset_, n, out.data() + at);
  } else {
    out.insert(out.end(), ready_.begin() + static_cast<std::ptrdiff_t>(ready_start_),
               ready_.begin() + static_cast<std::ptrdiff_t>(ready_start_ + n));
  }
  return consume(now, n);
}

std::size_t TcpConnection::discard(SimTime now, std::size_t max) {
  return consume(now, std::min(max, readable_bytes()));
}

std::size_t TcpConnection::consume(SimTime now, std::size_t n) {
  read_offset_ += n;
  if (config_.linux_receive_window && n > 0) linux_copied(now, read_offset_ - n, read_offset_);
  if (!tc_.peer_stream_in_trace) {
    ready_start_ += n;
    if (ready_start_ == ready_.size()) {
      ready_.clear();
      ready_start_ = 0;
    } else if (ready_start_ > 65536 && ready_start_ * 2 > ready_.size()) {
      ready_.erase(ready_.begin(), ready_.begin() + static_cast<std::ptrdiff_t>(ready_start_));
      ready_start_ = 0;
    }
  }
  // tcp_cleanup_rbuf, in its order. With an ACK pending, a read sends it when more than one segment is
  // unacknowledged (the every-second-segment ACK __tcp_ack_snd_check held back while the buffer filled), or
  // when it emptied the buffer after a pushed segment and the exchange is not interactive (ICSK_ACK_PUSHED,
  // PUSHED2).
  std::optional<Cause> ack_for_read;
  if (n > 0 && config_.linux_receive_window && is_synchronized(state_) &&
      (unacked_segments_ > 0 || delack_timer_)) {
    const bool emptied = readable_bytes() == 0 && out_of_order_.empty();
    if (rcv_unacked_bytes_ > linux_rwnd_.rcv_mss() ||
        (emptied && (linux_rwnd_.pushed_twice() || (linux_rwnd_.pushed() && !pingpong_))))
      ack_for_read = Cause::PureAck;
  }
  // Otherwise RFC 9293 §3.8.6.2.2: tell the peer once the window has opened by enough to be worth a segment
  // of its own (receiver SWS avoidance); like Linux, only when the window at least doubles: otherwise the
  // next ACK carries the new window anyway.
  if (!ack_for_read && n > 0 && is_synchronized(state_) && !fin_received_) {
    const std::uint32_t current = rcv_adv_ > rcv_nxt_ ? static_cast<std::uint32_t>(rcv_adv_ - rcv_nxt_) : 0;
    const std::uint32_t could = receive_window_to_advertise();
    if (could >= current + std::min(config_.recv_buffer / 2, mss_) && could >= 2 * current)
      ack_for_read = Cause::WindowUpdate;
  }
  if (ack_for_read) {
    ack_now_ = true;
    ack_cause_ = *ack_for_read;
    output(now);
  }
  note_vars(now);
  return n;
}

void TcpConnection::shutdown_send(SimTime now) {
  if (fin_queued_) return;
  switch (state_) {
    case TcpState::Closed:
    case TcpState::Listen:
      return;
    case TcpState::SynSent:
      // RFC 9293 §3.10.4: CLOSE in SYN-SENT deletes the connection.
      cancel(now, TcpTimer::Retransmission);
      set_state(now, TcpState::Closed, "close() before the handshake finished");
      notices_ |= tcp_notice::kClosed;
      return;
    case TcpState::SynReceived:
    case TcpState::Established:
      fin_queued_ = true;
      set_state(now, TcpState::FinWait1, "close()/shutdown(): FIN queued after the data");
      break;
    case TcpState::CloseWait:
      fin_queued_ = true;
      set_state(now, TcpState::LastAck, "close() after the peer's FIN: send our FIN");
      break;
    case TcpState::FinWait1:
    case TcpState::FinWait2:
    case TcpState::Closing:
    case TcpState::LastAck:
    case TcpState::TimeWait:
      return;
  }
  if (is_synchronized(state_) || state_ == TcpState::FinWait1) output(now);
  note_vars(now);
}

void TcpConnection::abort(SimTime now) {
  // RFC 9293 §3.10.5: ABORT sends a RST in the synchronized states and SYN-RECEIVED, then deletes the TCB.
  // Linux's abort RST carries the timestamps option like any segment of the connection.
  // Linux's tcp_send_active_reset also sets ACK = RCV.NXT (TcpConfig::rst_ack_on_abort).
  if (state_ == TcpState::SynReceived || is_synchronized(state_))
    send_rst(now, snd_nxt_, true, config_.rst_ack_on_abort);
  for (TcpTimer t : {TcpTimer::Retransmission, TcpTimer::Persist, TcpTimer::DelayedAck, TcpTimer::TimeWait,
                     TcpTimer::KeepAlive})
    cancel(now, t);
  set_state(now, TcpState::Closed, "abort: connection reset by the application");
  notices_ |= tcp_notice::kClosed;
  note_vars(now);
}

// ---------------------------------------------------------------- socket options on a live connection

void TcpConnection::set_nodelay(SimTime now, bool on) {
  config_.nagle = !on;
  // tcp(7): setting TCP_NODELAY forces out what Nagle held, even a corked segment, once (Linux sets
  // TCP_NAGLE_PUSH and calls tcp_push_pending_frames); the cork holds later writes again.
  if (on && is_synchronized(state_)) {
    const bool corked = config_.cork;
    config_.cork = false;
    output(now);
    config_.cork = corked;
  }
  note_vars(now);
}

void TcpConnection::set_cork(SimTime now, bool on) {
  config_.cork = on;
  if (!on && is_synchronized(state_)) output(now);  // uncorking sends the partial segment held back
  note_vars(now);
}

void TcpConnection::set_send_buffer(std::uint32_t bytes) {
  config_.send_buffer = bytes;
  notices_ |= tcp_notice::kWritable;  // a larger buffer may take a blocked send
  if (!config_.linux_send_buffer) return;
  // sock_setsockopt(SO_SNDBUF): SOCK_SNDBUF_LOCK, then sk_write_space wakes a writer if it now fits.
  config_.send_buffer_locked = true;
  sndbuf_.set_user(bytes);
  if (writer_waiting_ && sndbuf_.writeable()) writer_waiting_ = false;
}

void TcpConnection::set_recv_buffer(SimTime now, std::uint32_t bytes) {
  config_.recv_buffer = bytes;  // the window grows with the next segment sent; it never shrinks (RFC 9293)
  rcvbuf_locked_ = true;        // Linux's SOCK_RCVBUF_LOCK: autotuning leaves the buffer alone
  note_vars(now);
}

// ---------------------------------------------------------------- timers

std::optional<SimTime> TcpConnection::next_deadline() const {
  std::optional<SimTime> best;
  for (const auto* t : {&rto_timer_, &persist_timer_, &delack_timer_, &timewait_timer_, &keepalive_timer_,
                        &sack_compress_timer_})
    if (*t && (!best || **t < *best)) best = **t;
  return best;
}

void TcpConnection::on_deadline(SimTime now) {
  auto due = [&](std::optional<SimTime>& t) { return t && *t <= now; };
  if (due(timewait_timer_)) {
    timewait_timer_.reset();
    fired(now, TcpTimer::TimeWait);
    set_state(now, TcpState::Closed, "2*MSL elapsed in TIME-WAIT");
    notices_ |= tcp_notice::kClosed;
    return;
  }
  if (due(rto_timer_)) {
    rto_timer_.reset();
    fired(now, TcpTimer::Retransmission);
    // The retransmission timer has three roles with SACK (sack_recovery.cpp), one without.
    if (loss_timer_role_ == LossTimerRole::Probe)
      on_loss_probe(now);
    else if (loss_timer_role_ == LossTimerRole::Reorder)
      on_reorder_timeout(now);
    else
      on_rto(now);
  }
  if (due(persist_timer_)) {
    persist_timer_.reset();
    fired(now, TcpTimer::Persist);
    on_persist(now);
  }
  if (due(keepalive_timer_)) {
    keepalive_timer_.reset();
    fired(now, TcpTimer::KeepAlive);
    on_keepalive(now);
    if (state_ == TcpState::Closed) return;
  }
  if (due(sack_compress_timer_)) {
    // tcp_compressed_ack_kick: one ACK, with the SACK blocks, for the out-of-order segments held.
    sack_compress_timer_.reset();
    fired(now, TcpTimer::SackCompress);
    if (compressed_acks_ > 0) {
      ack_now_ = true;
      ack_cause_ = Cause::PureAck;
      output(now);
    }
  }
  if (due(delack_timer_)) {
    delack_timer_.reset();
    fired(now, TcpTimer::DelayedAck);
    if (config_.quick_ack) {
      // tcp_delack_timer_handler: a missed delayed ACK inflates ato, or ends pingpong mode and deflates it.
      if (!pingpong_) {
        ato_ = std::min(SimDuration{ato_.ns * 2}, rtt_.rto());
      } else {
        pingpong_ = false;
        ato_ = config_.delayed_ack_timeout;
      }
    }
    ack_now_ = true;
    output(now);
  }
  note_vars(now);
}

void TcpConnection::on_rto(SimTime now) {
  const bool handshake = state_ == TcpState::SynSent || state_ == TcpState::SynReceived;
  const std::uint32_t limit = handshake ? config_.syn_retries : config_.data_retries;
  if (retries_ >= limit) {
    // The retry limit: give up and tell the application (ETIMEDOUT), as Linux does after tcp_retries2.
    // Linux tcp_write_err: a soft ICMP error heard meanwhile is the reason given (sk_err_soft), not
    // ETIMEDOUT.
    fail(now, "connection timed out after " + std::to_string(retries_) + " retransmissions" +
                  (soft_error_.empty() ? std::string(" (ETIMEDOUT)") : ": " + soft_error_));
    return;
  }
  ++retries_;
  rtt_.back_off();     // RFC 6298 §5.5
  timed_seq_.reset();  // Karn: the retransmitted segment cannot be timed
  if (handshake) {
    send_syn(now, state_ == TcpState::SynReceived, Cause::RtoRetransmission);  // RFC 6298 §5.4
    return;
  }
  if (sack_recovery_active()) {
    // RFC 6675 §5.1: a timeout ends any SACK recovery; the SACKed runs are not sent again (output()).
    if (sack_recovering_) rack_->on_recovery_exit();
    sack_recovering_ = false;
    rack_lost_.clear();
    reorder_at_.reset();
    loss_timer_role_ = LossTimerRole::Rto;
  }
  // RFC 5682 §3 step 1: F-RTO judges this timeout by the next ACKs (sack_recovery.cpp, frto_on_ack).
  frto_new_bytes_ = 0;
  if (config_.frto && scoreboard_) frto_.on_timeout(snd_una_, snd_max_, cc_->cwnd(), cc_->ssthresh());
  // RFC 5681 §3.1: ssthresh = max(FlightSize/2, 2*SMSS), cwnd = 1 SMSS; then resend from snd.una.
  cc_->on_rto(static_cast<std::uint32_t>(snd_max_ - snd_una_), snd_max_);
  dup_acks_ = 0;
  limited_transmit_ = 0;
  in_rto_recovery_ = true;
  snd_nxt_ = snd_una_;
  output(now);
  if (!rto_timer_ && flight_size() > 0) arm(now, TcpTimer::Retransmission, now + rtt_.rto());
}

void TcpConnection::restart_keepalive(SimTime now) {
  keepalive_sent_ = 0;
  if (config_.keepalive_idle.ns <= 0 || !is_synchronized(state_) || state_ == TcpState::TimeWait) {
    cancel(now, TcpTimer::KeepAlive);
    return;
  }
  keepalive_timer_ =
      now + config_.keepalive_idle;  // moved on every segment: not worth a Trace event each time
}

void TcpConnection::on_keepalive(SimTime now) {
  if (!is_synchronized(state_) || state_ == TcpState::TimeWait) return;
  if (keepalive_sent_ >= config_.keepalive_probes) {
    fail(now, "connection timed out: " + std::to_string(keepalive_sent_) +
                  " keep-alive probes unanswered (ETIMEDOUT)");
    return;
  }
  // RFC 1122 §4.2.3.6: a probe carries SEG.SEQ = SND.NXT-1 and no data, so the peer must answer with an ACK.
  ++keepalive_sent_;
  TcpSegmentOut seg;
  seg.seq = snd_nxt_ - 1;
  seg.ack = rcv_nxt_;
  seg.flags = wire::tcp_flag::kAck;
  seg.cause = Cause::KeepAlive;
  emit(now, seg);
  arm(now, TcpTimer::KeepAlive, now + config_.keepalive_interval);
}

void TcpConnection::on_persist(SimTime now) {
  // RFC 9293 §3.8.6.1: probe a zero window with one byte of new data, backing off like the RTO.
  if (snd_wnd_ != 0 && send_held_data(now)) return;
  const std::uint64_t unsent = written_ - stream_offset(snd_nxt_);
  if (snd_wnd_ != 0 || unsent == 0 || !is_synchronized(state_)) return;
  if (config_.probe_below_una) {
    // Linux's tcp_xmit_probe_skb: SEG.SEQ = SND.UNA-1 and no data, an old sequence number the peer must
    // answer with an ACK carrying its current window (RFC 9293 §3.10.7.4), without a byte to discard.
    TcpSegmentOut probe;
    probe.seq = snd_una_ - 1;
    probe.ack = rcv_nxt_;
    probe.flags = wire::tcp_flag::kAck;
    probe.cause = Cause::ZeroWindowProbe;
    emit(now, probe);
    persist_backoff_ = std::min(persist_backoff_ * 2, config_.max_rto);
    arm(now, TcpTimer::Persist, now + persist_backoff_);
    return;
  }
  TcpSegmentOut seg;
  seg.seq = snd_nxt_;
  seg.ack = rcv_nxt_;
  seg.flags = wire::tcp_flag::kAck;
  seg.payload_len = 1;
  seg.stream_offset = stream_offset(snd_nxt_);
  seg.cause = Cause::ZeroWindowProbe;
  snd_nxt_ += 1;
  if (snd_max_ < snd_nxt_) snd_max_ = snd_nxt_;
  probe_outstanding_ = true;
  emit(now, seg);
  persist_backoff_ = std::min(persist_backoff_ * 2, config_.max_rto);
  arm(now, TcpTimer::Persist, now + persist_backoff_);
}

}  // namespace wirestep
