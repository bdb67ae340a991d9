#include "sim/net/routing_table.hpp"

#include <algorithm>
#include <cctype>

namespace wirestep {

bool prefix_contains(wire::Ipv4Addr net, int prefix_len, wire::Ipv4Addr addr) {
  const std::uint32_t mask = wire::prefix_mask(prefix_len).value;
  return (net.value & mask) == (addr.value & mask);
}

void RoutingTable::add(const Route& r) {
  Route clean = r;
  clean.dest.value &= wire::prefix_mask(r.prefix_len).value;
  routes_.push_back(clean);
}

std::optional<Route> RoutingTable::lookup(wire::Ipv4Addr dst) const {
  // RFC 1812 §5.2.4.3: of the routes that match, the one with the longest prefix.
  const Route* best = nullptr;
  for (const Route& r : routes_)
    if (prefix_contains(r.dest, r.prefix_len, dst) && (!best || r.prefix_len > best->prefix_len)) best = &r;
  if (!best) return std::nullopt;
  return *best;
}

std::optional<std::pair<wire::Ipv4Addr, int>> parse_prefix(std::string_view text) {
  if (text == "default") return std::pair{wire::Ipv4Addr{}, 0};
  const auto slash = text.find('/');
  auto ip = wire::Ipv4Addr::parse(text.substr(0, slash));
  if (!ip) return std::nullopt;
  int len = 32;
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    if (p.empty() || p.size() > 2 || !std::all_of(p.begin(), p.end(), [](char c) { return std::isdigit(c); }))
      return std::nullopt;
    len = std::stoi(std::string(p));
    if (len > 32) return std::nullopt;
  }
  ip->value &= wire::prefix_mask(len).value;
  return std::pair{*ip, len};
}

std::string route_to_string(const Route& r, const std::string& ifname) {
  std::string s = r.prefix_len == 0 ? "default" : r.dest.to_string() + "/" + std::to_string(r.prefix_len);
  if (r.via) s += " via " + r.via->to_string();
  return s + " dev " + ifname;
}

}  // namespace wirestep
