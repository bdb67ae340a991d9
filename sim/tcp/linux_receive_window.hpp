// Linux's choice of the receive window (net/ipv4/tcp_output.c, tcp_input.c), for
// TcpConfig::linux_receive_window: the window offered is never the whole buffer. It is the free buffer less
// Linux's overhead share (the scaling ratio: payload per byte of memory charged, tcp_win_from_space), capped
// by the window clamp and by rcv_ssthresh, which starts at the SYN's window and grows as in-order segments
// arrive; the result is rounded to the window-scale granularity (RFC 7323 §2.3). The memory charged comes
// from LinuxReceiveMemory (sk_rmem_alloc). A plain value type: the connection feeds it buffer figures and
// asks for a window.
#pragma once

#include <algorithm>
#include <cstdint>

namespace wirestep {

// What tcp_measure_rcv_mss reads of an arriving segment besides its length: PSH, whether any of TCP_REMNANT
// (FIN, SYN, PSH, URG) is set, and tcp_header_len (20, plus 12 with timestamps; a short segment's own header
// is taken to be that long).
struct ReceivedSegmentFlags {
  bool psh = false;
  bool remnant = false;
  std::uint32_t header_len = 32;
};

class LinuxReceiveWindow {
 public:
  // Linux's TCP_DEFAULT_SCALING_RATIO (out of 256): half the buffer, tcp_adv_win_scale = 1's old rule. Linux
  // 6.x keeps it until the first segment measures payload / truesize (tcp_measure_rcv_mss).
  static constexpr std::uint32_t kDefaultScalingRatio = 128;

  // tcp_select_initial_window: the buffer's window share rounded down to the MSS expected, at most 65535.
  // `mss` is 1460 in a SYN, 1448 in a SYN,ACK after timestamps were agreed.
  static std::uint32_t initial_window(std::uint32_t buffer, std::uint32_t mss);

  // rcv_ssthresh starts at the SYN's window (tcp_connect_init / tcp_openreq_init_rwin).
  void start(std::uint32_t buffer, std::uint32_t syn_mss);
  // tcp_init_buffer_space, once the handshake is done: window_clamp is the full space less one segment
  // ("force reservation of one segment", tcp_app_win = 31) and caps rcv_ssthresh: 65536 - 1448 = 64088 for
  // a 131072 buffer. `advmss` is the MSS we announced less the timestamp option (1448).
  void init_buffer_space(std::uint32_t buffer, std::uint32_t advmss);

  // tcp_win_from_space: the window a number of buffer bytes may offer.
  std::uint32_t win_from_space(std::uint64_t space) const {
    return static_cast<std::uint32_t>(space * ratio_ / 256);
  }
  // tcp_space_from_win: the buffer a window needs.
  std::uint64_t space_from_win(std::uint64_t win) const { return (win << 8) / ratio_; }

  // tcp_measure_rcv_mss. A segment at least rcv_mss long (536 at first) whose length differs from rcv_mss
  // measures the scaling ratio as (len << 8) / truesize; when the ratio changes, tcp_set_window_clamp moves
  // the clamp to tcp_win_from_space(rcvbuf) and, growing, lifts rcv_ssthresh to min(rcv_wnd, clamp);
  // rcv_mss becomes min(len, advmss), and with PSH (the end of a write) tcp_cleanup_rbuf may ACK at once
  // after a read that empties the buffer (ICSK_ACK_PUSHED). A shorter segment sets ICSK_ACK_PUSHED too
  // (PUSHED2 on a second one) unless its size repeats the last short one's, which then becomes rcv_mss (a
  // peer with a small MSS). The pushed flags last until an ACK is sent (clear_pushed).
  void measure(std::uint32_t len, std::uint32_t truesize, std::uint32_t rcvbuf, std::uint32_t rcv_wnd,
               const ReceivedSegmentFlags& flags = {});
  bool pushed() const { return pushed_ & 1; }
  bool pushed_twice() const { return pushed_ & 2; }
  void clear_pushed() { pushed_ = 0; }

  // tcp_grow_window: an in-order segment of `len` bytes (>= 128) raises rcv_ssthresh by max(2*advmss,
  // 2*len) within min(window_clamp, tcp_space) (`space`). True when it grew: Linux then keeps one quick
  // ACK (icsk_ack.quick |= 1).
  bool grow(std::uint32_t space, std::uint32_t len);

  // tcp_rcvbuf_grow: autotuning raised sk_rcvbuf; "make the window clamp follow along".
  void follow_rcvbuf(std::uint32_t rcvbuf) { window_clamp_ = win_from_space(rcvbuf); }

  // __tcp_select_window (no shrinking allowed): `free_space` is tcp_space, `allowed_space` tcp_full_space;
  // the window is capped by the clamp. `quick_cleared` reports that more than half of it is used (Linux
  // leaves quick-ack mode then).
  std::uint32_t select(std::uint32_t free_space, std::uint32_t allowed_space, std::uint8_t wscale,
                       bool* quick_cleared = nullptr) const;

  std::uint32_t rcv_ssthresh() const { return rcv_ssthresh_; }
  std::uint32_t window_clamp() const { return window_clamp_; }
  std::uint32_t rcv_mss() const { return rcv_mss_; }
  std::uint32_t advmss() const { return advmss_; }
  std::uint32_t ratio() const { return ratio_; }

 private:
  std::uint32_t rcv_ssthresh_ = 0;
  std::uint32_t window_clamp_ = 65535u << 14;  // tcp_select_initial_window's default before the handshake
  std::uint32_t advmss_ = 1460;
  std::uint32_t rcv_mss_ = 536;  // tcp_initialize_rcv_mss: TCP_MSS_DEFAULT until data arrives
  std::uint32_t ratio_ = kDefaultScalingRatio;
  std::uint32_t last_seg_size_ = 0;  // icsk_ack.last_seg_size
  std::uint8_t pushed_ = 0;          // ICSK_ACK_PUSHED (1) and ICSK_ACK_PUSHED2 (2)
};

// Inline: a connection asks for its window two or three times per segment, in several files.
inline std::uint32_t LinuxReceiveWindow::select(std::uint32_t free_space, std::uint32_t allowed_space,
                                                std::uint8_t wscale, bool* quick_cleared) const {
  const std::uint32_t full_space = std::min(window_clamp_, allowed_space);
  std::uint32_t mss = rcv_mss_;
  if (mss > full_space) {
    mss = full_space;
    if (mss == 0) return 0;
  }
  const std::uint32_t granularity = 1u << wscale;
  if (free_space < full_space / 2) {
    if (quick_cleared) *quick_cleared = true;
    // Rounded down so the scale does not raise it; below 1/16 of the buffer or one MSS, offer zero rather
    // than let the peer fill the memory left.
    free_space = free_space / granularity * granularity;
    if (free_space < allowed_space / 16 || free_space < mss) return 0;
  }
  free_space = std::min(free_space, rcv_ssthresh_);
  if (wscale > 0)
    return (free_space + granularity - 1) / granularity * granularity;  // ALIGN up (RFC 7323 §2.3)
  // Unscaled: a multiple of the MSS (Linux keeps the current offer if within one MSS; the caller never
  // shrinks the window anyway).
  return free_space > mss ? free_space / mss * mss : free_space;
}

}  // namespace wirestep
