// Per-connection TCP options a scenario can set. Defaults follow the RFCs; Linux's choices are options.
#pragma once

#include <cstdint>

#include "sim/core/time.hpp"

namespace wirestep {

struct TcpConfig {
  std::uint16_t mss = 1460;  // RFC 9293 §3.7.1: announced in the SYN
  std::uint32_t send_buffer = 64 * 1024;
  std::uint32_t recv_buffer = 64 * 1024;                      // the receive window is the free part of it
  std::uint32_t initial_window_segments = 10;                 // RFC 6928: IW = min(10*MSS, max(2*MSS, 14600))
  bool nagle = true;                                          // RFC 896; off = TCP_NODELAY
  bool delayed_ack = true;                                    // RFC 1122 §4.2.3.2 / RFC 5681 §4.2
  SimDuration delayed_ack_timeout = SimDuration::millis(40);  // Linux's minimum; RFC 1122 allows up to 500 ms
  SimDuration initial_rto = SimDuration::seconds(1);          // RFC 6298 §2.1
  // Deviation (RFC 6298 §2.4): the minimum RTO is configurable; RFC says 1 s, Linux uses 200 ms.
  SimDuration min_rto = SimDuration::seconds(1);
  SimDuration max_rto = SimDuration::seconds(60);  // RFC 6298 §2.5 allows an upper bound >= 60 s
  std::uint32_t syn_retries = 6;    // Linux tcp_syn_retries: 1+2+4+8+16+32 s, then give up at 127 s
  std::uint32_t data_retries = 15;  // Linux tcp_retries2
  SimDuration msl = SimDuration::seconds(30);  // TIME-WAIT lasts 2*MSL (RFC 9293 §3.4.2)
  bool window_scaling = true;                  // RFC 7323 §2, offered only when the buffer exceeds 65535
  // RFC 1122 §4.2.3.6 keep-alive: off unless idle > 0 (Linux: 2 h idle, 75 s interval, 9 probes).
  SimDuration keepalive_idle{};
  SimDuration keepalive_interval = SimDuration::seconds(75);
  std::uint32_t keepalive_probes = 9;
};

}  // namespace wirestep
