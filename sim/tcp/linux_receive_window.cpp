// Linux's receive-window rules; each function names the kernel function it follows.
#include "sim/tcp/linux_receive_window.hpp"

#include <algorithm>

namespace wirestep {

std::uint32_t LinuxReceiveWindow::initial_window(std::uint32_t buffer, std::uint32_t mss) {
  std::uint32_t space = static_cast<std::uint32_t>(std::uint64_t{buffer} * kDefaultScalingRatio / 256);
  if (mss > 0 && space > mss) space = space / mss * mss;  // "quantize space offering to a multiple of mss"
  return std::min<std::uint32_t>(space, 65535);
}

void LinuxReceiveWindow::start(std::uint32_t buffer, std::uint32_t syn_mss) {
  ratio_ = kDefaultScalingRatio;
  rcv_mss_ = 536;
  rcv_ssthresh_ = initial_window(buffer, syn_mss);
}

void LinuxReceiveWindow::init_buffer_space(std::uint32_t buffer, std::uint32_t advmss) {
  advmss_ = advmss > 0 ? advmss : 1;
  // tcp_init_buffer_space: window_clamp = tcp_full_space (tcp_app_win = 31 takes nothing off), then one
  // segment is reserved when the clamp would reach the full space.
  const std::uint32_t maxwin = win_from_space(buffer);
  window_clamp_ = maxwin;
  if (window_clamp_ > 2 * advmss_ && window_clamp_ + advmss_ > maxwin)
    window_clamp_ = std::max(2 * advmss_, maxwin - advmss_);
  rcv_ssthresh_ = std::min(rcv_ssthresh_, window_clamp_);
}

void LinuxReceiveWindow::measure(std::uint32_t len, std::uint32_t truesize, std::uint32_t rcvbuf,
                                 std::uint32_t rcv_wnd, const ReceivedSegmentFlags& flags) {
  const std::uint32_t lss = last_seg_size_;
  last_seg_size_ = 0;
  if (len < rcv_mss_) {
    // TCP_MSS_DEFAULT (536) or TCP_MIN_MSS (88) plus a bare TCP header, counted with the header.
    const std::uint32_t with_header = len + flags.header_len;
    if (with_header >= 536 + 20 || (with_header >= 88 + 20 && !flags.remnant)) {
      last_seg_size_ = len;
      if (len == lss) {
        rcv_mss_ = len;
        return;
      }
    }
    if (pushed_ & 1) pushed_ |= 2;
    pushed_ |= 1;
    return;
  }
  if (len != rcv_mss_ && truesize > 0) {
    const auto measured = static_cast<std::uint32_t>((std::uint64_t{len} << 8) / truesize);
    const std::uint32_t ratio = std::clamp<std::uint32_t>(measured, 1, 255);  // a u8 in struct tcp_sock
    if (ratio != ratio_) {
      ratio_ = ratio;
      // tcp_set_window_clamp(sk, tcp_win_from_space(sk, sk->sk_rcvbuf))
      const std::uint32_t clamp = win_from_space(rcvbuf);
      if (clamp > window_clamp_)
        rcv_ssthresh_ = std::max(std::min(rcv_wnd, clamp), rcv_ssthresh_);
      else
        rcv_ssthresh_ = std::min(rcv_ssthresh_, clamp);  // __tcp_adjust_rcv_ssthresh without pressure
      window_clamp_ = clamp;
    }
  }
  rcv_mss_ = std::min(len, advmss_);
  if (flags.psh) pushed_ |= 1;
}

bool LinuxReceiveWindow::grow(std::uint32_t space, std::uint32_t len) {
  if (len < 128) return false;  // tcp_event_data_recv grows the window only for segments of 128+ bytes
  const std::uint32_t limit = std::min(window_clamp_, space);
  if (limit <= rcv_ssthresh_) return false;
  // Check #2 passes: truesize_adjust leaves a paged segment charged its payload only (the header-only head
  // was counted apart), so tcp_win_from_space(truesize) <= len and incr = 2 * advmss.
  const std::uint32_t incr = std::max(2 * advmss_, 2 * len);
  rcv_ssthresh_ += std::min(limit - rcv_ssthresh_, incr);
  return true;
}

}  // namespace wirestep
