// A UDP socket (RFC 768): a port, a queue of received datagrams, and at most one blocked recvfrom.
// Stateless on the wire: no handshake, no acknowledgement, no retransmission, no ordering.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep {

struct ReceivedDatagram {
  std::vector<std::uint8_t> data;
  wire::Ipv4Addr from;
  std::uint16_t from_port = 0;
  SimTime arrived;
  std::uint32_t packet = 0;  // Trace index of the packet that carried it
};

// What recvfrom hands back: the data (cut to the size asked for, as on Linux) and where it came from.
struct RecvFromResult {
  ReceivedDatagram datagram;
  std::size_t original_size = 0;  // larger than data.size() when the datagram was truncated
  bool closed = false;            // the socket was closed while the call was blocked
  std::string error;              // the call failed (a connected socket's pending ICMP error)
};

struct UdpSocket {
  std::uint32_t id = 0;
  std::uint16_t port = 0;  // 0 until bound (explicitly or on first sendto)
  bool open = true;
  std::size_t rcvbuf_bytes = 212'992;  // Linux's default net.core.rmem_default
  std::size_t queued_bytes = 0;
  std::deque<ReceivedDatagram> queue;
  // A blocked recvfrom: at most one at a time (one program per socket).
  struct Waiter {
    std::size_t max_bytes;
    std::function<void(SimTime, RecvFromResult)> done;
  };
  std::optional<Waiter> waiter;
  std::uint8_t ttl = 64;  // IP_TTL; Linux's net.ipv4.ip_default_ttl
  // connect(): the peer, and an error an ICMP message reported, returned by the next call (udp(7)).
  std::optional<std::pair<wire::Ipv4Addr, std::uint16_t>> peer;
  std::string pending_error;
};

}  // namespace wirestep
