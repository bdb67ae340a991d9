#include "sim/net/arp_cache.hpp"

namespace wirestep {

std::optional<wire::MacAddr> ArpCache::lookup(SimTime now, wire::Ipv4Addr ip) const {
  auto it = table_.find(ip);
  if (it == table_.end() || now >= it->second.expires) return std::nullopt;
  return it->second.mac;
}

void ArpCache::learn(SimTime now, wire::Ipv4Addr ip, const wire::MacAddr& mac) {
  table_[ip] = ArpEntry{ip, mac, now, now + lifetime_};
}

std::vector<ArpEntry> ArpCache::entries(SimTime now) const {
  std::vector<ArpEntry> out;
  for (const auto& [ip, e] : table_)
    if (now < e.expires) out.push_back(e);
  return out;
}

}  // namespace wirestep
