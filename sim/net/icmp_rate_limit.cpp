#include "sim/net/icmp_rate_limit.hpp"

#include <algorithm>

#include "sim/wire/icmp.hpp"

namespace wirestep {
namespace {
constexpr std::int64_t kSecondNs = 1'000'000'000;
constexpr std::int64_t kGlobalMinDeltaNs = kSecondNs / 50;  // icmp_global_allow refills after HZ/50 at least
constexpr std::int64_t kBurstFactor = 6;                    // XRLIM_BURST_FACTOR (net/ipv4/inetpeer.c)
}  // namespace

bool IcmpRateLimiter::limited(std::uint8_t type, std::uint8_t code) const {
  if (type > 18 || !((std::uint32_t{1} << type) & limits_.ratemask)) return false;  // NR_ICMP_TYPES = 18
  // Path MTU discovery must not be starved (icmpv4_mask_allow).
  return !(type == wire::icmp4::kDestinationUnreachable && code == 4);
}

bool IcmpRateLimiter::global_allow(SimTime now) {
  if (!global_started_) {  // a node that has been up a while starts with a full bucket
    global_started_ = true;
    global_credit_ = limits_.msgs_burst;
    global_stamp_ = now;
  }
  const std::int64_t delta = std::min(now.ns - global_stamp_.ns, kSecondNs);
  if (global_credit_ == 0 && delta < kGlobalMinDeltaNs) return false;
  std::uint64_t incr = 0;
  if (delta >= kGlobalMinDeltaNs) {
    incr = std::uint64_t{limits_.msgs_per_sec} * static_cast<std::uint64_t>(delta) / kSecondNs;
    if (incr) global_stamp_ = now;
  }
  global_credit_ =
      static_cast<std::uint32_t>(std::min<std::uint64_t>(global_credit_ + incr, limits_.msgs_burst));
  if (global_credit_ == 0) return false;
  // Deviation: Linux takes a random 0-2 credits (one on average) so the limit cannot be probed exactly;
  // one each keeps runs deterministic without drawing from the seed.
  --global_credit_;
  return true;
}

bool IcmpRateLimiter::peer_allow(SimTime now, wire::Ipv4Addr dst) {
  const std::int64_t timeout = limits_.ratelimit.ns;
  // inet_getpeer: a new peer's rate_last is 60 s back, so it starts with the full burst.
  Peer& p = peers_.try_emplace(dst.value, Peer{0, SimTime{now.ns - 60 * kSecondNs}}).first->second;
  std::int64_t token = p.tokens_ns + (now.ns - p.last.ns);
  p.last = now;
  token = std::min(token, kBurstFactor * timeout);
  bool ok = false;
  if (token >= timeout) {
    token -= timeout;
    ok = true;
  }
  p.tokens_ns = token;
  return ok;
}

bool IcmpRateLimiter::allow(SimTime now, std::uint8_t type, std::uint8_t code, wire::Ipv4Addr dst) {
  if (!limited(type, code)) return true;
  // __icmp_send: the node's global bucket first, then the destination's (icmpv4_xrlim_allow).
  return global_allow(now) && peer_allow(now, dst);
}

}  // namespace wirestep
