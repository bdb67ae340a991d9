// One interface's ARP cache (RFC 826 "translation table"): IPv4 address -> MAC address, each entry valid
// for a while after it was learnt. What `ip neigh` lists. Resolution itself (requests, retries, the queue of
// packets waiting) is the network's job (network_arp.cpp); this only remembers answers.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/wire/ethernet.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep {

struct ArpEntry {
  wire::Ipv4Addr ip;
  wire::MacAddr mac{};
  SimTime learnt;
  SimTime expires;
};

class ArpCache {
 public:
  explicit ArpCache(SimDuration lifetime) : lifetime_(lifetime) {}
  // The MAC for `ip` while its entry is fresh; an expired entry answers nothing (it must be asked again).
  std::optional<wire::MacAddr> lookup(SimTime now, wire::Ipv4Addr ip) const;
  // RFC 826: the sender's pair of a packet addressed to us is entered (or refreshed).
  void learn(SimTime now, wire::Ipv4Addr ip, const wire::MacAddr& mac);
  // Fresh entries at `now`, by address.
  std::vector<ArpEntry> entries(SimTime now) const;
  SimDuration lifetime() const { return lifetime_; }

 private:
  SimDuration lifetime_;
  std::map<wire::Ipv4Addr, ArpEntry> table_;  // ordered: listing order never depends on hashing
};

}  // namespace wirestep
