// A static IPv4 routing table with longest-prefix match (RFC 1812 §5.2.4.3): the most specific route wins,
// the default route (0.0.0.0/0) matches everything, no match means "network unreachable".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/net/interface.hpp"

namespace wirestep {

class RoutingTable {
 public:
  void add(const Route& r);
  // The route for `dst`: the longest matching prefix; among equal prefixes the one added first.
  std::optional<Route> lookup(wire::Ipv4Addr dst) const;
  const std::vector<Route>& routes() const { return routes_; }
  bool empty() const { return routes_.empty(); }

 private:
  std::vector<Route> routes_;
};

// Whether `addr` lies in `net`/`prefix_len`.
bool prefix_contains(wire::Ipv4Addr net, int prefix_len, wire::Ipv4Addr addr);
// "10.1.0.0/16" -> network and prefix length; nullopt when it is not one (the host bits may be set: they
// are cleared, as `ip route` does not allow but people write).
std::optional<std::pair<wire::Ipv4Addr, int>> parse_prefix(std::string_view text);
// "10.1.0.0/16 via 10.0.0.254 dev eth0" as `ip route` prints it.
std::string route_to_string(const Route& r, const std::string& ifname);

}  // namespace wirestep
