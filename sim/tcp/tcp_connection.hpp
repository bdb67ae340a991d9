// One TCP connection as an explicit state machine (RFC 9293), fed the current simulated time. It never
// touches bytes on a wire, links, clocks or the UI: segments come in through on_segment, timers through
// on_deadline, user calls through connect/send/read/shutdown/close/abort; segments to send collect in
// outbox() and what the socket layer must know collects in take_notices(). Every state change goes through
// set_state, every timer through arm/cancel helpers, every variable change through note_var: all of them
// land in the Trace.
//
// Files: tcp_connection.cpp (calls, timers, tracing), tcp_input.cpp (RFC 9293 §3.10.7 segment arrival),
// tcp_output.cpp (what to send next), rtt_estimator.cpp (RFC 6298), congestion/newreno.cpp (RFC 5681/6582).
// Options: window scaling and timestamps (RFC 7323: TSval/TSecr, RTT from the echo, PAWS), and the receiver's
// half of SACK (RFC 2018 blocks, RFC 2883 D-SACK); received SACK blocks are on each TcpSegmentIn for a
// sender-side scoreboard. With SACK negotiated, losses are repaired as Linux does (sack_recovery.cpp: RFC
// 6675 scoreboard, RACK-TLP, PRR); without it by NewReno. Not modelled yet: urgent data, ECN, F-RTO.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/tcp/congestion/congestion_control.hpp"
#include "sim/tcp/congestion/cwnd_validation.hpp"
#include "sim/tcp/linux_receive_autotune.hpp"
#include "sim/tcp/linux_receive_memory.hpp"
#include "sim/tcp/linux_receive_window.hpp"
#include "sim/tcp/linux_send_buffer.hpp"
#include "sim/tcp/recovery/frto.hpp"
#include "sim/tcp/recovery/prr.hpp"
#include "sim/tcp/recovery/rack_tlp.hpp"
#include "sim/tcp/recovery/sack_scoreboard.hpp"
#include "sim/tcp/rtt_estimator.hpp"
#include "sim/tcp/seq_num.hpp"
#include "sim/tcp/tcp_config.hpp"
#include "sim/tcp/tcp_segment.hpp"
#include "sim/tcp/tcp_state.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

// What the socket layer needs to react to; a bit set, cleared by take_notices().
namespace tcp_notice {
inline constexpr std::uint8_t kEstablished = 0x01;  // connect() / accept() can return
inline constexpr std::uint8_t kReadable = 0x02;     // data or end of stream for recv()
inline constexpr std::uint8_t kWritable = 0x04;     // send buffer space freed
inline constexpr std::uint8_t kClosed = 0x08;       // reached CLOSED: the socket layer may forget it
inline constexpr std::uint8_t kError = 0x10;        // reset, refused or timed out: see error()
}  // namespace tcp_notice

using TcpTimer = TraceTimer;  // the timer names live with the Trace that records them

class TcpConnection {
 public:
  // Where this connection's Trace events go and which flow its packets belong to.
  struct TraceContext {
    Trace* trace = nullptr;
    std::uint32_t host = 0;
    std::uint32_t socket = TraceEvent::kNone;
    std::uint32_t flow = 0;
    Direction dir = Direction::AtoB;  // this side's sending direction within the flow
    // The peer's byte stream is recorded in `trace` (a simulated peer writes it there): the receive buffer
    // then keeps counts, not bytes, and read() fetches the bytes from the Trace. A bulk transfer's data is
    // never copied on the receive side; recv(MSG_TRUNC) never touches it.
    bool peer_stream_in_trace = false;
  };

  // `ts_offset`: added to the millisecond clock for this connection's TSvals (RFC 7323 §5.4: a random
  // offset per connection, as Linux draws one); the host draws it from its own seeded stream.
  TcpConnection(const TcpConfig& config, TraceContext trace, SeqNum iss, std::uint32_t ts_offset = 0);
  ~TcpConnection();
  const TraceContext& trace_context() const { return tc_; }
  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;

  // --- user calls (RFC 9293 §3.10.1-3.10.6)
  void connect(SimTime now);  // active OPEN: SYN, then SYN-SENT
  void open_from_listen(SimTime now,
                        const TcpSegmentIn& syn);  // passive OPEN saw a SYN: SYN-ACK, SYN-RECEIVED
  // Queues data; returns how many bytes fit in the send buffer. `literal` bytes are recorded in the Trace;
  // `bulk_bytes` more are generated (the bulk pattern) without being stored.
  std::uint64_t send(SimTime now, std::span<const std::uint8_t> literal, std::uint64_t bulk_bytes = 0);
  std::uint64_t send_space() const;
  // The send buffer's size now (sk_sndbuf: getsockopt(SO_SNDBUF)), which autotuning may have grown, and
  // the memory queued against it (sk_wmem_queued; with linux_send_buffer payload + skb heads, else payload).
  std::uint32_t send_buffer_bytes() const;
  std::uint64_t send_buffer_queued() const;
  std::size_t readable_bytes() const { return static_cast<std::size_t>(rcv_offset_ - read_offset_); }
  // Moves up to `max` bytes to `out`; may send a window update.
  std::size_t read(SimTime now, std::vector<std::uint8_t>& out, std::size_t max);
  // The same without copying: up to `max` bytes leave the receive buffer unread (Linux recv(MSG_TRUNC)).
  std::size_t discard(SimTime now, std::size_t max);
  bool end_of_stream() const { return fin_received_ && readable_bytes() == 0; }
  void shutdown_send(SimTime now);  // CLOSE: FIN after queued data (half-close)
  void abort(SimTime now);          // ABORT: RST, then CLOSED
  // An ICMP error quoting our segment `seq` (tcp_icmp_error.cpp, Linux tcp_v4_err): aborts a connect in
  // SYN-SENT with `why`; later it is a soft error, named if the connection then times out.
  void on_icmp_error(SimTime now, SeqNum seq, const std::string& why);

  // --- network and time
  void on_segment(SimTime now, const TcpSegmentIn& seg);
  void on_deadline(SimTime now);
  std::optional<SimTime> next_deadline() const;

  std::vector<TcpSegmentOut>& outbox() { return outbox_; }
  std::uint8_t take_notices() {
    const std::uint8_t n = notices_;
    notices_ = 0;
    return n;
  }
  const std::string& error() const { return error_; }

  const TcpConfig& config() const { return config_; }
  TcpState state() const { return state_; }
  SeqNum iss() const { return iss_; }
  SeqNum snd_una() const { return snd_una_; }
  SeqNum snd_nxt() const { return snd_nxt_; }
  SeqNum rcv_nxt() const { return rcv_nxt_; }
  std::uint32_t snd_wnd() const { return snd_wnd_; }
  std::uint32_t cwnd() const { return cc_->cwnd(); }
  std::uint32_t ssthresh() const { return cc_->ssthresh(); }
  const RttEstimator& rtt() const { return rtt_; }
  std::uint32_t effective_mss() const { return mss_; }  // payload bytes per full segment (MSS - options)
  bool timestamps_on() const { return ts_enabled_; }    // both SYNs carried timestamps (RFC 7323 §3.2)
  bool sack_on() const { return sack_ok_; }             // both SYNs carried SACK-permitted (RFC 2018 §2)
  std::uint32_t ts_recent() const { return ts_recent_; }
  std::uint64_t bytes_acked() const { return acked_offset_; }

  // --- socket options on a live connection (setsockopt after connect/accept, as Linux allows)
  void set_nodelay(SimTime now, bool on);  // TCP_NODELAY: on sends what Nagle held (tcp_push_pending_frames)
  void set_cork(SimTime now, bool on);     // TCP_CORK: off sends the held partial segment
  // send(MSG_MORE) (send(2)): the following send() calls cork their own push until one without it.
  void set_more(bool on) { more_ = on; }
  // SO_SNDBUF (already doubled as socket(7) says); with linux_send_buffer it also stops autotuning.
  void set_send_buffer(std::uint32_t bytes);
  void set_recv_buffer(SimTime now, std::uint32_t bytes);  // SO_RCVBUF
  bool send_shut() const { return fin_queued_; }           // shutdown(SHUT_WR) or close() happened
  bool in_quickack_mode() const { return quickack_ > 0 && !pingpong_; }
  SimDuration ato() const { return ato_; }
  // Read-only view of loss recovery, for Linux's struct tcp_info (packetdrill's %{ }% blocks read it).
  struct RecoveryView {
    bool fast_recovery = false;  // NewReno (RFC 6582) or SACK (RFC 6675) recovery
    bool rto_recovery = false;   // resending after a timeout
    std::uint32_t dup_acks = 0;
    SeqNum snd_max;
    const SackScoreboard* scoreboard = nullptr;  // null without SACK
    std::span<const SackBlock> rack_lost;        // marked lost by RACK, not yet resent
    bool reordering_seen = false;                // RACK saw a segment delivered out of order (RFC 8985 §6.2)
  };
  RecoveryView recovery_view() const {
    return {cc_->in_recovery() || sack_recovering_,
            in_rto_recovery_,
            dup_acks_,
            snd_max_,
            scoreboard_.get(),
            rack_lost_,
            rack_ && rack_->reordering_seen()};
  }

 private:
  // Takes `n` readable bytes out of the receive buffer (read and discard share it).
  std::size_t consume(SimTime now, std::size_t n);
  // tcp_connection.cpp
  void set_state(SimTime now, TcpState next, const std::string& why);
  void arm(SimTime now, TcpTimer t, SimTime when);
  // Inline checks, out-of-line recording: most calls find nothing to do (a timer not armed, a variable
  // unchanged), and they run several times per segment.
  void cancel(SimTime now, TcpTimer t) {
    if (timer(t)) cancel_armed(now, t);
  }
  void cancel_armed(SimTime now, TcpTimer t);
  void fired(SimTime now, TcpTimer t);
  std::optional<SimTime>& timer(TcpTimer t) {
    switch (t) {
      case TcpTimer::Retransmission:
        return rto_timer_;
      case TcpTimer::Persist:
        return persist_timer_;
      case TcpTimer::DelayedAck:
        return delack_timer_;
      case TcpTimer::TimeWait:
        return timewait_timer_;
      case TcpTimer::KeepAlive:
        return keepalive_timer_;
      case TcpTimer::SackCompress:
        return sack_compress_timer_;
    }
    return rto_timer_;
  }
  void note_var(SimTime now, TraceVar var, std::int64_t value, std::int64_t& last) {
    if (value != last) record_var(now, var, value, last);
  }
  void record_var(SimTime now, TraceVar var, std::int64_t value, std::int64_t& last);
  void note_vars(SimTime now);
  void fail(SimTime now, const std::string& why);
  void on_rto(SimTime now);
  void on_persist(SimTime now);
  void on_keepalive(SimTime now);
  void restart_keepalive(SimTime now);  // any segment from the peer proves it alive

  // tcp_input.cpp
  void input_syn_sent(SimTime now, const TcpSegmentIn& seg);
  void input_synchronized(SimTime now, const TcpSegmentIn& seg);
  bool acceptable(const TcpSegmentIn& seg) const;
  bool process_ack(SimTime now, const TcpSegmentIn& seg);  // false: drop the rest of the segment
  void accept_text(SimTime now, const TcpSegmentIn& seg);
  void process_fin(SimTime now);
  void take_peer_options(const TcpSegmentIn& seg);
  void schedule_ack(SimTime now, bool immediately, Cause why);
  bool paws_rejects(SimTime now, const TcpSegmentIn& seg);          // RFC 7323 §5.3 R1
  void update_ts_recent(const TcpSegmentIn& seg);                   // RFC 7323 §4.3 (2)
  void sample_rtt_from_echo(SimTime now, const TcpSegmentIn& seg);  // RFC 7323 §4.1
  void note_out_of_order(SeqNum left, SeqNum right);                // RFC 2018 §4 block list
  void note_duplicate(SeqNum left, SeqNum right);                   // RFC 2883 §4 D-SACK

  // tcp_output.cpp
  void output(SimTime now);
  // tcp_write_xmit's cwnd_quota: segments the next GSO packet may hold (`quota`: tcp_cwnd_test, at most
  // linux_tso_autosize = `max_segs`, at least 1), with the cwnd and the packets in flight it came from.
  struct LinuxPacketQuota {
    std::uint32_t cwnd_segs = 0, in_flight = 0, max_segs = 1, quota = 1;
  };
  LinuxPacketQuota linux_packet_quota(std::uint32_t smss) const;
  // Linux's tcp_write_xmit for the GSO packet of new data starting at SND.NXT (TcpConfig::tso_defer):
  // how many segments it may hold (the quota), 0 when tcp_tso_should_defer holds it back for the next
  // ACK. `skb_bytes`: the unsent bytes of its skb.
  std::uint32_t linux_tso_packet(SimTime now, const LinuxPacketQuota& quota, std::uint32_t smss,
                                 std::uint64_t skb_bytes, bool skb_is_tail, bool probe) const;
  std::uint32_t linux_tso_autosize(std::uint32_t smss) const;
  void send_syn(SimTime now, bool with_ack, Cause cause);
  void send_ack(SimTime now, Cause cause);
  void send_rst(SimTime now, SeqNum seq, bool with_timestamp = false, bool with_ack = false);
  void retransmit_head(SimTime now, Cause cause);
  void emit(SimTime now, const TcpSegmentOut& segment);
  std::uint16_t wire_window(bool syn);
  std::uint32_t receive_window_to_advertise();
  std::uint32_t tsval(SimTime now) const {  // RFC 7323 §5.4: a millisecond clock, as Linux's
    return ts_offset_ + static_cast<std::uint32_t>(now.ns / 1'000'000);
  }
  std::size_t sack_blocks_to_send() const;  // blocks the next ACK carries (D-SACK included)
  // Payload bytes a segment sent now may carry: the MSS less the SACK option it will also carry.
  std::uint32_t segment_mss() const;
  std::uint64_t stream_offset(SeqNum s) const;  // send-side stream offset of sequence number s
  std::uint32_t flight_size() const { return static_cast<std::uint32_t>(snd_nxt_ - snd_una_); }
  // Sends [start, start+len) again (at most one segment); the payload length sent, 0 when nothing.
  std::uint32_t retransmit_range(SimTime now, SeqNum start, std::uint32_t len, Cause cause);

  // ---- SACK-based loss recovery (sack_recovery.cpp; issue #16). Active only when both SYNs carried
  // SACK-permitted: the RFC 6675 scoreboard fed by each ACK's blocks, RACK-TLP (RFC 8985) deciding what is
  // lost, PRR (RFC 6937) how much may be sent while recovering, and congestion window validation (RFC
  // 7661) keeping cwnd from growing while the application is the bottleneck. The probe and reordering
  // timers share the retransmission timer, as on Linux (one icsk_retransmit_timer, several roles).
  enum class LossTimerRole : std::uint8_t { Rto, Probe, Reorder };
  bool sack_recovery_active() const { return scoreboard_ != nullptr; }
  void start_sack_recovery_state();  // once the SYN is acknowledged and SACK was negotiated
  // One ACK for the SACK path, in place of the duplicate-ACK counting (RFC 6675 §5, RFC 8985 §6.2).
  void sack_on_ack(SimTime now, const TcpSegmentIn& seg, std::uint32_t data_acked, SimDuration rtt_sample);
  void enter_sack_recovery(SimTime now);
  void exit_sack_recovery();
  void sack_retransmit_lost(SimTime now);  // RACK-lost and RFC 6675 NextSeg rule 1 holes, within PRR
  std::uint32_t sack_pipe() const;         // RFC 6675 SetPipe, less what RACK marked lost
  void note_data_sent(SimTime now, const TcpSegmentOut& seg, bool retransmission);
  // RFC 6298 §5.3 / RFC 8985 §7.2: `restart_rto` when the ACK acknowledged new data.
  void rearm_loss_timer(SimTime now, bool restart_rto = false);
  void on_loss_probe(SimTime now);       // RFC 8985 §7.3
  void on_reorder_timeout(SimTime now);  // RFC 8985 §6.2 step 5
  bool app_limited() const;
  // output()'s room for new data with SACK: cwnd against pipe while recovering (RFC 6675 §5 (C)), one
  // segment beyond cwnd for a tail loss probe (RFC 8985 §7.3); the peer's window always against the flight.
  std::uint32_t sack_usable_window(std::uint32_t usable, std::uint32_t smss) const;
  // After an RTO, resending from SND.UNA steps over what the peer SACKed (RFC 6675 §5.1, as Linux).
  void skip_sacked_after_rto();
  std::uint32_t bytes_before_next_sacked() const;

  std::unique_ptr<SackScoreboard> scoreboard_;
  std::unique_ptr<RackTlp> rack_;
  std::unique_ptr<Prr> prr_;
  CwndValidation cwv_;
  bool sack_recovering_ = false;
  std::vector<SackBlock> rack_lost_;  // marked lost by RACK, not yet retransmitted
  std::optional<SimTime> reorder_at_;
  LossTimerRole loss_timer_role_ = LossTimerRole::Rto;
  std::optional<SimTime> last_oow_ack_;  // tcp_oow_rate_limited's last_oow_ack_time
  bool probe_pending_ = false;           // the next new segment is a tail loss probe (may exceed cwnd by one)
  // F-RTO after a timeout (RFC 5682 §3, recovery/frto.hpp): the ACK steps, and the new data step 2b may
  // send beyond cwnd.
  void frto_on_ack(SimTime now, const TcpSegmentIn& seg, std::uint32_t data_acked, const SackUpdate& upd);
  Frto frto_;
  std::uint32_t frto_new_bytes_ = 0;

  TcpConfig config_;
  TraceContext tc_;
  TcpState state_ = TcpState::Closed;
  std::uint8_t notices_ = 0;
  std::string error_;
  std::string soft_error_;  // Linux sk_err_soft: the last ICMP error, reported instead of ETIMEDOUT
  std::vector<TcpSegmentOut> outbox_;

  // Send sequence space (RFC 9293 §3.3.1).
  SeqNum iss_;
  SeqNum snd_una_;
  SeqNum snd_nxt_;
  SeqNum snd_max_;             // highest sequence number sent (snd_nxt is pulled back after an RTO)
  std::uint32_t snd_wnd_ = 0;  // peer's window in bytes (scaled)
  std::uint32_t max_snd_wnd_ = 0;
  SeqNum snd_wl1_;
  SeqNum snd_wl2_;
  std::uint64_t written_ = 0;       // bytes the application queued (stream offsets 0..written_)
  std::uint64_t acked_offset_ = 0;  // stream offset of snd_una's byte
  bool syn_acked_ = false;
  bool fin_queued_ = false;  // the application shut down sending
  bool fin_sent_ = false;
  SeqNum fin_seq_;
  std::uint32_t mss_;            // min(ours, peer's MSS option)
  std::uint8_t snd_wscale_ = 0;  // shift for the peer's advertised windows (RFC 7323 §2.3)
  std::uint8_t rcv_wscale_ = 0;  // shift for ours
  bool wscale_offered_ = false;

  // Timestamps (RFC 7323 §3-§5).
  std::uint32_t ts_offset_ = 0;
  bool ts_enabled_ = false;
  std::uint32_t ts_recent_ = 0;  // TS.Recent: the TSval to echo in TSecr
  // SACK (RFC 2018, RFC 2883).
  bool sack_ok_ = false;
  std::vector<std::pair<SeqNum, SeqNum>> sack_blocks_;  // out-of-order data held, most recent first
  std::optional<std::pair<SeqNum, SeqNum>> dsack_;      // a duplicate to report once

  // Receive sequence space.
  SeqNum irs_;
  SeqNum rcv_nxt_;
  SeqNum rcv_adv_;  // right edge of the window last advertised (never moves left)
  // In-order bytes the application has not read. Growing it leaves the new bytes uninitialised: they are
  // written at once from the segment (a zero fill first was 3% of a bulk transfer's time).
  template <typename T>
  struct UninitialisedAllocator : std::allocator<T> {
    template <typename U>
    struct rebind {
      using other = UninitialisedAllocator<U>;
    };
    template <typename U, typename... Args>
    void construct(U* p, Args&&... args) {
      if constexpr (sizeof...(Args) == 0)
        ::new (static_cast<void*>(p)) U;
      else
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
  };
  // Unused when the peer's stream is in the Trace (TraceContext::peer_stream_in_trace).
  std::vector<std::uint8_t, UninitialisedAllocator<std::uint8_t>> ready_;
  std::size_t ready_start_ = 0;
  // Segments held beyond a hole, by receive-stream offset; `bytes` stays empty when the peer's stream is in
  // the Trace.
  struct HeldSegment {
    std::uint32_t len = 0;
    std::vector<std::uint8_t> bytes;
  };
  std::map<std::uint64_t, HeldSegment> out_of_order_;
  std::uint64_t rcv_offset_ = 0;   // receive-stream offset of rcv_nxt's byte
  std::uint64_t read_offset_ = 0;  // receive-stream offset of the next byte the application reads
  bool fin_received_ = false;
  std::optional<std::uint64_t> fin_offset_;  // a FIN seen beyond a hole, processed once the hole fills

  // Acknowledgement policy (RFC 1122 §4.2.3.2, RFC 5681 §4.2).
  std::uint32_t unacked_segments_ = 0;
  bool ack_now_ = false;
  Cause ack_cause_ = Cause::PureAck;

  // Retransmission and recovery.
  RttEstimator rtt_;
  std::unique_ptr<CongestionControl> cc_;
  std::optional<SeqNum> timed_seq_;  // the segment being timed (one at a time; Karn's rule)
  SimTime timed_at_;
  std::uint32_t dup_acks_ = 0;
  std::uint32_t limited_transmit_ = 0;  // RFC 3042: extra bytes allowed beyond cwnd on the 1st/2nd dup ACK
  bool syn_retransmitted_ = false;      // RFC 6298 §5.7: then the RTO restarts at 3 s once established
  std::uint32_t retries_ = 0;
  bool in_rto_recovery_ = false;    // retransmitting after a timeout until snd_nxt reaches snd_max
  bool probe_outstanding_ = false;  // a zero-window probe byte is in flight
  SimDuration persist_backoff_{};
  // The last pure ACK sent, to tell duplicate ACKs and window updates apart (as Wireshark does).
  std::optional<std::pair<SeqNum, std::uint16_t>> last_ack_sent_;

  std::optional<SimTime> rto_timer_, persist_timer_, delack_timer_, timewait_timer_, keepalive_timer_;
  // Linux's SACK compression (TcpConfig::comp_sack_nr): its timer, the out-of-order segments whose ACK it
  // holds, and the duplicate ACKs sent at once for the current RCV.NXT.
  std::optional<SimTime> sack_compress_timer_;
  std::uint32_t compressed_acks_ = 0;
  std::uint32_t dup_acks_sent_ = 0;
  SeqNum compressed_ack_rcv_nxt_;
  bool ooo_ack_now(SimTime now);      // __tcp_ack_snd_check for an out-of-order segment
  std::uint32_t keepalive_sent_ = 0;  // unanswered keep-alive probes

  // --- Linux's receiver and sender habits (TcpConfig::quick_ack, linux_nagle, push_each_write; issue 16).
  // Quick-ack mode (tcp_incr_quickack): ACKs left to send at once; pingpong: interactive, ACKs ride on data.
  std::uint32_t quickack_ = 0;
  bool pingpong_ = false;
  SimDuration ato_{};                    // Linux's icsk_ack.ato: 0 until the first data segment arrives
  SimTime last_data_received_{};         // icsk_ack.lrcvtime
  std::uint64_t rcv_unacked_bytes_ = 0;  // in-order bytes received since the last ACK (rcv_nxt - rcv_wup)
  std::optional<SeqNum> snd_sml_;        // end of the last small segment sent (Minshall's variant of Nagle)
  // tcp_minshall_check: a small segment sent is not acknowledged yet.
  bool small_segment_unacked() const { return snd_sml_ && snd_una_ < *snd_sml_ && *snd_sml_ <= snd_nxt_; }
  std::vector<std::uint64_t> push_ends_;   // stream offsets where a write ended: PSH there (tcp_mark_push)
  std::size_t push_ends_start_ = 0;        // entries before it are acknowledged
  void on_data_received(SimTime now);      // tcp_event_data_recv: ato and quick-ack bookkeeping
  void schedule_delayed_ack(SimTime now);  // tcp_send_delayed_ack: timer at ato, clamped
  void incr_quickack();
  LinuxReceiveWindow linux_rwnd_;   // TcpConfig::linux_receive_window: rcv_ssthresh, rcv_mss, scaling ratio
  std::uint32_t rcv_wnd_sent_ = 0;  // Linux's tp->rcv_wnd: the window the last ACK offered
  std::uint32_t linux_window(bool for_ack_check);                  // __tcp_select_window over this buffer
  bool write_ends_in(std::uint64_t from, std::uint64_t to) const;  // a write ended in (from, to]
  bool more_ = false;                                              // MSG_MORE on the current write (set_more)
  std::optional<SimTime> last_data_sent_;                          // Linux's lsndtime: when data last left
  // RFC 5681 §4.1 (tcp_slow_start_after_idle_check): a write after an idle longer than the RTO.
  void restart_after_idle(SimTime now);
  // Linux's tcp_write_wakeup from the probe timer: data held (corked) with nothing in flight goes out with
  // PSH once the timer fires, the 200 ms ceiling tcp(7) gives TCP_CORK. True when a segment left.
  bool send_held_data(SimTime now);

  // Linux's receive memory and autotuning (tcp_linux_receive.cpp), with TcpConfig::linux_receive_window.
  LinuxReceiveMemory linux_rmem_;        // sk_rmem_alloc of the in-order queue
  LinuxReceiveAutotune linux_autotune_;  // tcp_rcv_space_adjust
  bool rcvbuf_locked_ = false;           // SOCK_RCVBUF_LOCK: SO_RCVBUF was set, no autotuning
  void linux_init_buffer_space(SimTime now);
  std::uint32_t linux_tcp_space() const;  // tcp_space: the window share of the buffer not yet charged
  void linux_data_queued(SimTime now, const TcpSegmentIn& seg, std::uint32_t len, std::uint32_t truesize);
  void linux_copied(SimTime now, std::uint64_t from, std::uint64_t to);  // tcp_recvmsg: per skb copied

  // --- Linux's send buffer (TcpConfig::linux_send_buffer, linux_send_buffer.*).
  LinuxSendBuffer sndbuf_;
  bool sndbuf_started_ = false;  // tcp_init_buffer_space ran (the connection is established)
  bool writer_waiting_ = false;  // a write is asleep in sk_stream_wait_memory (SOCK_NOSPACE)
  bool nagle_push_ = false;      // this output() runs for tcp_push(TCP_NAGLE_PUSH): Nagle does not hold
  std::uint64_t send_linux(SimTime now, std::span<const std::uint8_t> literal, std::uint64_t bulk_bytes);
  // tcp_check_space after an ACK was processed: expand the buffer (tcp_new_space) and wake the writer.
  void check_send_space(SimTime now);
  void note_sent_to_buffer() {  // snd_max moved: the skbs below it have left
    if (config_.linux_send_buffer) sndbuf_.sent_up_to(std::min(written_, stream_offset(snd_max_)));
  }

  // Last values written to the Trace, so only changes are recorded.
  std::int64_t last_cwnd_ = -1, last_ssthresh_ = -1, last_srtt_ = -1, last_rttvar_ = -1, last_rto_ = -1,
               last_snd_una_ = -1, last_snd_nxt_ = -1, last_rcv_nxt_ = -1, last_rcv_wnd_ = -1,
               last_snd_wnd_ = -1, last_pipe_ = -1;
};

// Inline (tcp_linux_receive.cpp has the rest): asked for on every segment received and every window offered.
inline std::uint32_t TcpConnection::linux_tcp_space() const {
  // Out-of-order segments are charged as skbs of their own (tcp_data_queue_ofo).
  std::uint64_t used = linux_rmem_.rmem_alloc();
  for (const auto& [offset, held] : out_of_order_) used += linux_rmem_.segment_truesize(held.len);
  return used >= config_.recv_buffer ? 0 : linux_rwnd_.win_from_space(config_.recv_buffer - used);
}

}  // namespace wirestep
