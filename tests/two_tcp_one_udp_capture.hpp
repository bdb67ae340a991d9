// A hand-made capture shared by the Flows tab's tests and the explanation tests: two TCP conversations and a
// UDP exchange interleaved, with one retransmission, so a flow shown alone is numbered differently from the
// file.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "capture_test_support.hpp"

namespace wirestep::capture_test {

// Conversation 0: TCP 10.0.0.1:5000 -> 10.0.0.2:443, handshake, two data segments, the second one sent
// again 295 ms later. Conversation 1: a UDP query and its answer. Conversation 2: a lone SYN.
// Packets (Trace order): 0-3 TCP, 4 UDP, 5-6 TCP, 7 the second TCP's SYN, 8 UDP, 9-10 TCP.
inline void write_two_tcp_one_udp(const std::string& path) {
  namespace f = wire::tcp_flag;
  constexpr std::int64_t kMs = 1'000'000;
  PcapWriter w(path, 1);
  ASSERT_TRUE(w.ok());
  w.add(0, ethernet(ipv4_tcp("10.0.0.1", 5000, "10.0.0.2", 443, 100, 0, f::kSyn, 64000)));
  w.add(1 * kMs, ethernet(ipv4_tcp("10.0.0.2", 443, "10.0.0.1", 5000, 500, 101, f::kSyn | f::kAck, 64000)));
  w.add(2 * kMs, ethernet(ipv4_tcp("10.0.0.1", 5000, "10.0.0.2", 443, 101, 501, f::kAck, 64000)));
  w.add(3 * kMs, ethernet(ipv4_tcp("10.0.0.1", 5000, "10.0.0.2", 443, 101, 501, f::kAck, 64000, 100)));
  w.add(3 * kMs + kMs / 2, ethernet(ipv4_udp("10.0.0.1", 53000, "10.0.0.3", 53, 30)));
  w.add(4 * kMs, ethernet(ipv4_tcp("10.0.0.2", 443, "10.0.0.1", 5000, 501, 201, f::kAck, 64000)));
  w.add(5 * kMs, ethernet(ipv4_tcp("10.0.0.1", 5000, "10.0.0.2", 443, 201, 501, f::kAck, 64000, 100)));
  w.add(5 * kMs + kMs / 2, ethernet(ipv4_tcp("10.0.0.4", 6000, "10.0.0.2", 80, 7, 0, f::kSyn, 64000)));
  w.add(6 * kMs, ethernet(ipv4_udp("10.0.0.3", 53, "10.0.0.1", 53000, 90)));
  w.add(300 * kMs, ethernet(ipv4_tcp("10.0.0.1", 5000, "10.0.0.2", 443, 201, 501, f::kAck, 64000, 100)));
  w.add(301 * kMs, ethernet(ipv4_tcp("10.0.0.2", 443, "10.0.0.1", 5000, 501, 301, f::kAck, 64000)));
}

}  // namespace wirestep::capture_test
