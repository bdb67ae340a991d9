// Linux's receive-window rules; each function names the kernel function it follows.
#include "sim/tcp/linux_receive_window.hpp"

#include <algorithm>

namespace wirestep {

std::uint32_t LinuxReceiveWindow::initial_window(std::uint32_t buffer, std::uint32_t mss) {
  std::uint32_t space = static_cast<std::uint32_t>(std::uint64_t{buffer} * kDefaultScalingRatio / 256);
  if (mss > 0 && space > mss) space = space / mss * mss;  // "quantize space offering to a multiple of mss"
  return std::min<std::uint32_t>(space, 65535);
}

void LinuxReceiveWindow::start(std::uint32_t buffer, std::uint32_t syn_mss, std::uint32_t measured_ratio) {
  rcv_ssthresh_ = initial_window(buffer, syn_mss);
  measured_ratio_ = measured_ratio > 0 ? std::min<std::uint32_t>(measured_ratio, 255) : kDefaultScalingRatio;
}

void LinuxReceiveWindow::measure(std::uint32_t len, std::uint32_t advmss) {
  if (len < rcv_mss_) return;
  if (!measured_ && len != rcv_mss_) {
    // Linux divides the segment's length by its skb truesize; we take that ratio from the configuration.
    ratio_ = measured_ratio_;
    measured_ = true;
  }
  rcv_mss_ = std::min(len, advmss);
}

bool LinuxReceiveWindow::grow(std::uint32_t free_space, std::uint32_t len, std::uint32_t advmss) {
  if (len < 128) return false;  // tcp_event_data_recv grows the window only for segments of 128+ bytes
  if (free_space <= rcv_ssthresh_) return false;
  const std::uint32_t room = free_space - rcv_ssthresh_;
  // Our memory charge equals the payload, so the "skb fits" check (#2) always passes: incr = 2*advmss.
  const std::uint32_t incr = std::max(2 * advmss, 2 * len);
  rcv_ssthresh_ += std::min(room, incr);
  return true;
}

std::uint32_t LinuxReceiveWindow::select(std::uint32_t free_space, std::uint32_t full_space,
                                         std::uint8_t wscale, bool* quick_cleared) const {
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
    if (free_space < full_space / 16 || free_space < mss) return 0;
  }
  free_space = std::min(free_space, rcv_ssthresh_);
  if (wscale > 0)
    return (free_space + granularity - 1) / granularity * granularity;  // ALIGN up (RFC 7323 §2.3)
  // Unscaled: a multiple of the MSS (Linux keeps the current offer if within one MSS; the caller never
  // shrinks the window anyway).
  return free_space > mss ? free_space / mss * mss : free_space;
}

}  // namespace wirestep
