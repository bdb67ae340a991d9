// Linux's choice of the receive window (net/ipv4/tcp_output.c, tcp_input.c), for
// TcpConfig::linux_receive_window: the window offered is never the whole buffer. It is the free buffer less
// Linux's overhead share (the scaling ratio: payload per byte of memory charged), capped by rcv_ssthresh,
// which starts at the SYN's window and grows as in-order segments arrive; the result is rounded to the
// window-scale granularity (RFC 7323 §2.3). A plain value type: the connection feeds it buffer figures and
// asks for a window.
#pragma once

#include <cstdint>

namespace wirestep {

class LinuxReceiveWindow {
 public:
  // Linux's TCP_DEFAULT_SCALING_RATIO (out of 256): half the buffer, tcp_adv_win_scale = 1's old rule.
  static constexpr std::uint32_t kDefaultScalingRatio = 128;

  // tcp_select_initial_window: the buffer's window share rounded down to the MSS expected, at most 65535.
  // `mss` is 1460 in a SYN, 1448 in a SYN,ACK after timestamps were agreed.
  static std::uint32_t initial_window(std::uint32_t buffer, std::uint32_t mss);

  // Starts rcv_ssthresh at the window the SYN offered (tcp_connect_init / tcp_openreq_init_rwin).
  void start(std::uint32_t buffer, std::uint32_t syn_mss, std::uint32_t measured_ratio);

  // tcp_win_from_space: the window a number of buffer bytes may offer.
  std::uint32_t win_from_space(std::uint64_t space) const {
    return static_cast<std::uint32_t>(space * ratio_ / 256);
  }

  // tcp_measure_rcv_mss: the first segment larger than the initial rcv_mss (536) measures the scaling ratio
  // and sets rcv_mss; later segments only update rcv_mss.
  void measure(std::uint32_t len, std::uint32_t advmss);

  // tcp_grow_window: an in-order segment of `len` bytes (>= 128) raises rcv_ssthresh by max(2*advmss,
  // 2*len) within the free space. True when it grew: Linux then keeps one quick ACK (icsk_ack.quick |= 1).
  bool grow(std::uint32_t free_space, std::uint32_t len, std::uint32_t advmss);

  // __tcp_select_window (no shrinking allowed): `free_space` and `full_space` from win_from_space.
  // `quick_cleared` reports that more than half the buffer is used (Linux leaves quick-ack mode then).
  std::uint32_t select(std::uint32_t free_space, std::uint32_t full_space, std::uint8_t wscale,
                       bool* quick_cleared = nullptr) const;

  std::uint32_t rcv_ssthresh() const { return rcv_ssthresh_; }
  std::uint32_t rcv_mss() const { return rcv_mss_; }
  std::uint32_t ratio() const { return ratio_; }

 private:
  std::uint32_t rcv_ssthresh_ = 0;
  std::uint32_t rcv_mss_ = 536;  // tcp_initialize_rcv_mss: TCP_MSS_DEFAULT until data arrives
  std::uint32_t ratio_ = kDefaultScalingRatio;
  std::uint32_t measured_ratio_ = kDefaultScalingRatio;
  bool measured_ = false;
};

}  // namespace wirestep
