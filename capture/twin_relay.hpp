// The middle of the twin lab's real network (issue 16): a user-space relay between the two hosts' veth
// ports, in the middle namespace, in place of a kernel bridge. Each frame that enters one port leaves the
// other after the scenario's link would have delivered it (latency, bandwidth) unless a scripted drop takes
// it (twin_link.hpp). The real hosts then see the scenario's round trip instead of the few microseconds of a
// veth pair, on which the speed of the programs' own system calls would decide what TCP sends; and a
// dropped segment is lost in the network, after it left its sender, as on the simulated link.
//
// The relay reads and writes with AF_PACKET sockets (its own frames are not read back) and sleeps with
// ppoll at one-microsecond timer slack, at real-time priority, until the next frame is due; a frame is late
// by the scheduling delay of this thread (TwinRelayStats reports the worst).
//
// Frames the relay writes reach the receiving host as skbs with their data in one linear buffer, as a NIC
// with 2 KB receive buffers delivers them, not as the sender's own skbs a kernel bridge would pass on: the
// receiver charges each segment its full buffer (about 2.3 KB) and cannot coalesce it into the one before
// (tcp_try_coalesce), so its window shrinks faster per unread segment than through a bridge.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "capture/twin_link.hpp"
#include "sim/core/result.hpp"

namespace wirestep {

struct TwinRelayStats {
  std::uint64_t relayed = 0;
  std::uint64_t dropped = 0;
  std::int64_t worst_lateness_ns = 0;  // the largest delay past a frame's due time
};

// Runs until `stop` is set, in the calling thread, which must already be in the middle namespace.
// `ready` is set once both sockets are bound. Errors name the port and the system call.
Result<TwinRelayStats> run_twin_relay(const std::string& port0, const std::string& port1, TwinLink& link,
                                      const std::atomic<bool>& stop, std::atomic<bool>& ready);

}  // namespace wirestep
