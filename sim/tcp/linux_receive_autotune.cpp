// Dynamic right-sizing as Linux 6.18's tcp_rcv_space_adjust / tcp_rcvbuf_grow / tcp_rcv_rtt_* do it.
#include "sim/tcp/linux_receive_autotune.hpp"

#include <algorithm>

namespace wirestep {

void LinuxReceiveAutotune::start(SimTime now, std::uint64_t copied, std::uint32_t space) {
  space_ = space;
  space_seq_ = copied;
  space_time_ = now;
}

void LinuxReceiveAutotune::rtt_sample(std::int64_t sample_us) {
  // tcp_rcv_rtt_update, "always seek for minimal rtt": only a smaller sample replaces the estimate.
  const std::int64_t m = sample_us << 3;
  if (rtt_us8_ == 0 || m < rtt_us8_) rtt_us8_ = m;
}

void LinuxReceiveAutotune::on_data(SimTime now, std::uint64_t rcv_nxt, std::uint32_t rcv_wnd) {
  if (est_time_) {
    if (rcv_nxt < est_seq_) return;
    rtt_sample(std::max<std::int64_t>((now - *est_time_).ns / 1000, 1));
  }
  est_seq_ = rcv_nxt + rcv_wnd;  // new_measure
  est_time_ = now;
}

void LinuxReceiveAutotune::on_timestamp(std::uint32_t tsecr, std::uint32_t ts_now, bool full_segment) {
  if (last_tsecr_ && *last_tsecr_ == tsecr) return;
  last_tsecr_ = tsecr;
  if (!full_segment) return;
  const auto delta_ms = static_cast<std::int32_t>(ts_now - tsecr);
  if (delta_ms > 0) rtt_sample(std::int64_t{delta_ms} * 1000);  // tcp_rtt_tsopt_us: ms clock in µs
}

std::uint64_t LinuxReceiveAutotune::rcvwin(std::uint32_t old_space, std::uint32_t new_space) {
  std::uint64_t win = std::uint64_t{new_space} << 1;
  if (old_space > 0 && new_space > old_space) win += (win * (new_space - old_space) / old_space) << 1;
  return win;
}

std::optional<std::uint64_t> LinuxReceiveAutotune::adjust(SimTime now, std::uint64_t copied,
                                                          std::uint64_t rcv_nxt) {
  const std::int64_t time_us = (now - space_time_).ns / 1000;
  if (rtt_us8_ == 0 || time_us < (rtt_us8_ >> 3)) return std::nullopt;
  // Bytes copied in the last RTT, less those still queued: a reader that cannot keep up gains nothing.
  const std::int64_t inq = static_cast<std::int64_t>(rcv_nxt - std::min(rcv_nxt, copied));
  const std::int64_t recent = static_cast<std::int64_t>(copied - std::min(copied, space_seq_)) - inq;
  std::optional<std::uint64_t> win;
  if (recent > static_cast<std::int64_t>(space_)) {
    const auto new_space = static_cast<std::uint32_t>(recent);
    win = rcvwin(space_, new_space);
    space_ = new_space;
  }
  space_seq_ = copied;  // new_measure
  space_time_ = now;
  return win;
}

}  // namespace wirestep
