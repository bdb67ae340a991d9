// Linux's receive-buffer autotuning (dynamic right-sizing, net/ipv4/tcp_input.c) for the linux profile:
// tcp_rcv_space_adjust measures, once per receive RTT, how many bytes the reader copied beyond what still
// waits in the queue; when that beats the last measure, tcp_rcvbuf_grow raises sk_rcvbuf (up to
// tcp_rmem[2]) to hold twice it, more while it grows (the sender may double its rate), and the window clamp
// follows. Nothing grows when the application set SO_RCVBUF (SOCK_RCVBUF_LOCK). The receive RTT comes from
// tcp_rcv_rtt_measure (a window's worth of data) and tcp_rcv_rtt_measure_ts (timestamp echoes), keeping
// the minimum. A plain value type fed the time; the connection applies what it returns.
#pragma once

#include <cstdint>
#include <optional>

#include "sim/core/time.hpp"

namespace wirestep {

class LinuxReceiveAutotune {
 public:
  // tcp_init_buffer_space: rcvq_space.space = min3(rcv_ssthresh, rcv_wnd, TCP_INIT_CWND * advmss), measured
  // from the handshake's end.
  void start(SimTime now, std::uint64_t copied, std::uint32_t space);

  // tcp_rcv_rtt_measure, per in-order data segment: one sample each time RCV.NXT passes the right edge
  // offered when the last sample began (only a smaller one counts: win_dep).
  void on_data(SimTime now, std::uint64_t rcv_nxt, std::uint32_t rcv_wnd);
  // tcp_rcv_rtt_measure_ts: a full segment echoing a new TSecr gives now - TSecr on the millisecond clock;
  // zero samples are dropped.
  void on_timestamp(std::uint32_t tsecr, std::uint32_t ts_now, bool full_segment);

  // tcp_rcv_space_adjust, after the reader copied up to `copied` (copied_seq as a stream offset). Returns
  // the window tcp_rcvbuf_grow wants the buffer to hold (rcvwin) when the reader's rate grew.
  std::optional<std::uint64_t> adjust(SimTime now, std::uint64_t copied, std::uint64_t rcv_nxt);

  // tcp_rcvbuf_grow's window: twice the new measure, plus twice its growth ratio ("DRS is always one RTT
  // late"; "slow start: allow the sender to double its rate").
  static std::uint64_t rcvwin(std::uint32_t old_space, std::uint32_t new_space);

  std::uint32_t space() const { return space_; }
  std::int64_t rtt_us() const { return rtt_us8_ >> 3; }  // rcv_rtt_est.rtt_us is kept << 3

 private:
  void rtt_sample(std::int64_t sample_us);

  std::uint32_t space_ = 0;      // rcvq_space.space
  std::uint64_t space_seq_ = 0;  // rcvq_space.seq (stream offset)
  SimTime space_time_{};         // rcvq_space.time
  std::int64_t rtt_us8_ = 0;     // rcv_rtt_est.rtt_us, in 1/8 µs
  std::uint64_t est_seq_ = 0;    // rcv_rtt_est.seq
  std::optional<SimTime> est_time_;
  std::optional<std::uint32_t> last_tsecr_;  // rcv_rtt_last_tsecr
};

}  // namespace wirestep
