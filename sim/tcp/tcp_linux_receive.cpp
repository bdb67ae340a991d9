// The linux profile's receive buffer on a connection (TcpConfig::linux_receive_window): memory charged per
// skb (LinuxReceiveMemory), the window chosen from it (LinuxReceiveWindow) and the buffer grown by
// autotuning as the reader keeps up (LinuxReceiveAutotune).
#include <algorithm>

#include "sim/tcp/tcp_connection.hpp"

namespace wirestep {

void TcpConnection::linux_init_buffer_space(SimTime now) {
  // tcp_init_buffer_space. advmss: our MSS less the timestamp option once agreed (tcp_sync_mss).
  const std::uint32_t advmss = ts_enabled_ && config_.mss > 12 ? config_.mss - 12 : config_.mss;
  linux_rwnd_.init_buffer_space(config_.recv_buffer, advmss);
  if (rcv_wnd_sent_ == 0) {
    // Active open: the SYN offered its window before RCV.NXT was known. Linux's rcv_wnd keeps it from
    // RCV.NXT on (tcp_rcv_synsent_state_process sets rcv_wup), and tcp_select_window never shrinks it: the
    // third segment offers 64240 rounded up to the scale, 64256, not rcv_ssthresh's 64088 -> 64128.
    rcv_wnd_sent_ = LinuxReceiveWindow::initial_window(config_.recv_buffer,
                                                       config_.syn_window_mss_multiple ? config_.mss : 0);
    rcv_adv_ = seq_max(rcv_adv_, rcv_nxt_ + rcv_wnd_sent_);
  }
  std::uint32_t space = std::min(linux_rwnd_.rcv_ssthresh(), 10 * advmss);  // TCP_INIT_CWND * advmss
  if (rcv_wnd_sent_ > 0) space = std::min(space, rcv_wnd_sent_);
  linux_autotune_.start(now, read_offset_, space);
}

void TcpConnection::linux_data_queued(SimTime now, const TcpSegmentIn& seg, std::uint32_t len,
                                      std::uint32_t truesize) {
  // tcp_rcv_rtt_measure_ts (before the segment is queued), then tcp_event_data_recv's
  // tcp_measure_rcv_mss and tcp_rcv_rtt_measure.
  if (ts_enabled_ && seg.options.timestamps)
    linux_autotune_.on_timestamp(seg.options.timestamps->echo_reply, tsval(now),
                                 seg.len() >= linux_rwnd_.rcv_mss());
  using namespace wire::tcp_flag;
  linux_rwnd_.measure(seg.len(), truesize ? truesize : linux_rmem_.segment_truesize(len), config_.recv_buffer,
                      rcv_wnd_sent_,
                      {.psh = seg.has(kPsh),
                       .remnant = seg.has(kFin | kSyn | kPsh | kUrg),  // TCP_REMNANT
                       .header_len = 20u + (ts_enabled_ ? 12u : 0u)});
  linux_autotune_.on_data(now, rcv_offset_, rcv_wnd_sent_);
}

void TcpConnection::linux_copied(SimTime now, std::uint64_t from, std::uint64_t to) {
  // tcp_recvmsg_locked copies one skb at a time and calls tcp_rcv_space_adjust after each; the skb is
  // freed (tcp_eat_recv_skb) once read to its end.
  std::uint64_t at = from;
  while (at < to) {
    at = std::min(to, std::max(linux_rmem_.skb_end(at), at + 1));
    if (const auto rcvwin = linux_autotune_.adjust(now, at, rcv_offset_); rcvwin && !rcvbuf_locked_) {
      // tcp_rcvbuf_grow: room for the window wanted (and the out-of-order span), at most tcp_rmem[2].
      std::uint64_t win = *rcvwin;
      if (!out_of_order_.empty()) {
        const auto& last = *out_of_order_.rbegin();
        win += last.first + last.second.len - rcv_offset_;
      }
      const std::uint64_t rcvbuf =
          std::min<std::uint64_t>(linux_rwnd_.space_from_win(win), config_.recv_buffer_max);
      if (rcvbuf > config_.recv_buffer) {
        config_.recv_buffer = static_cast<std::uint32_t>(rcvbuf);
        linux_rwnd_.follow_rcvbuf(config_.recv_buffer);
      }
    }
    linux_rmem_.consumed(at);
  }
}

}  // namespace wirestep
