// How often a node may send ICMP errors, as Linux limits them (net/ipv4/icmp.c, ip-sysctl.rst): the types
// in icmp_ratemask (destination unreachable, source quench, time exceeded, parameter problem; never echo
// replies, never "fragmentation needed") pass two token buckets: the node's global icmp_msgs_per_sec /
// icmp_msgs_burst, then one per destination address (inet_peer: a burst of 6, one more per icmp_ratelimit).
// RFC 1812 §4.3.2.8 asks routers to limit the rate of ICMP errors; the numbers are Linux's defaults.
#pragma once

#include <cstdint>
#include <map>

#include "sim/core/time.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep {

struct IcmpRateLimits {
  SimDuration ratelimit = SimDuration::millis(1000);  // net.ipv4.icmp_ratelimit (per destination)
  std::uint32_t ratemask = 0x1818;                    // net.ipv4.icmp_ratemask: bits 3, 4, 11, 12
  std::uint32_t msgs_per_sec = 1000;                  // net.ipv4.icmp_msgs_per_sec (the whole node)
  std::uint32_t msgs_burst = 50;                      // net.ipv4.icmp_msgs_burst
};

class IcmpRateLimiter {
 public:
  explicit IcmpRateLimiter(IcmpRateLimits limits = {}) : limits_(limits) {}
  // True when a message of this type and code to `dst` may be sent now; takes its tokens when it may.
  bool allow(SimTime now, std::uint8_t type, std::uint8_t code, wire::Ipv4Addr dst);

 private:
  bool limited(std::uint8_t type, std::uint8_t code) const;  // icmpv4_mask_allow, negated
  bool global_allow(SimTime now);                            // icmp_global_allow
  bool peer_allow(SimTime now, wire::Ipv4Addr dst);          // inet_peer_xrlim_allow

  IcmpRateLimits limits_;
  bool global_started_ = false;
  std::uint32_t global_credit_ = 0;
  SimTime global_stamp_{};
  struct Peer {
    std::int64_t tokens_ns = 0;
    SimTime last{};
  };
  std::map<std::uint32_t, Peer> peers_;  // by destination address; ordered: no iteration-order leaks
};

}  // namespace wirestep
