// A node's routing table and ARP cache at the time cursor (issue #18: "click a node to see its interfaces,
// ARP cache and routing table at the cursor"), worked out from the scenario and the Trace rather than from a
// live simulator. The routing table is static: what build_topology gives each node (a connected route per
// interface, the static routes, the default gateway). The ARP cache at t is what the ARP packets that
// reached the node by t taught it, by the simulator's rules (network_arp.cpp, RFC 826 "Packet Reception"):
// a packet whose target address is the receiving interface's enters the sender's pair (request or reply);
// any other packet only refreshes a pair still fresh; an entry is gone `arp_lifetime` after it was last
// learnt (arp_cache.cpp). Window-free, so tests check the tables at given times.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/wire/ethernet.hpp"
#include "sim/wire/ip_addr.hpp"
#include "ui/model/topology_input.hpp"

namespace wirestep {

class Trace;
struct Scenario;

struct TopologyArpRow {
  wire::Ipv4Addr address;
  wire::MacAddr mac{};
  std::uint32_t interface = 0;  // index into the node's interfaces
  std::int64_t learnt_ns = 0;   // last entered or refreshed
  std::int64_t expires_ns = 0;  // gone from this time on
};

// Where a route comes from, as `ip route` tells them apart: "proto kernel scope link" for an interface's
// subnet, a configured route, the default route through the gateway.
enum class RouteOrigin : std::uint8_t { Connected, Static, Default };

struct TopologyRouteRow {
  wire::Ipv4Addr network;
  int prefix_len = 0;
  std::optional<wire::Ipv4Addr> via;
  std::uint32_t interface = 0;  // index into the node's interfaces
  RouteOrigin origin = RouteOrigin::Connected;
};

struct NodeTables {
  std::vector<TopologyArpRow> arp;       // by interface, then address
  std::vector<TopologyRouteRow> routes;  // longest prefix first
};

// The routing table of `node`, longest prefix first (RFC 1812 §5.2.4.3: the order a lookup tries them);
// routes of equal length keep the order the simulator adds them, which is its tie-break. With a scenario:
// the scenario's host of the same name; without one (a Trace alone): the connected routes of the node's
// interfaces. A switch has none.
std::vector<TopologyRouteRow> routing_table_of(const TopologyInput& t, const Scenario* scenario,
                                               std::uint32_t node);

// Every node's ARP learning, read once from a Trace; then the cache of any node at any time.
class NodeTablesSource {
 public:
  NodeTablesSource() = default;
  // `scenario` gives the ARP lifetime ([network] arp_timeout) and the routes; null: 30 s and connected
  // routes only.
  NodeTablesSource(const Trace& trace, const TopologyInput& t, const Scenario* scenario);

  // The tables of `node` at t_ns into `out`, reusing its capacity (a steady frame allocates nothing).
  void tables_at(std::uint32_t node, std::int64_t t_ns, NodeTables& out) const;
  SimDuration arp_lifetime() const { return SimDuration{lifetime_ns_}; }

 private:
  // One entry entered or refreshed: the node heard `ip` is at `mac` on `interface` at `at_ns`.
  struct Learnt {
    std::int64_t at_ns = 0;
    std::uint32_t interface = 0;
    wire::Ipv4Addr ip;
    wire::MacAddr mac{};
  };
  std::vector<std::vector<Learnt>> learnt_;  // per node, in time order
  std::vector<std::vector<TopologyRouteRow>> routes_;
  std::int64_t lifetime_ns_ = 0;
};

// The same for one node and time, for tests and one-off callers.
NodeTables node_tables_at(const Trace& trace, const TopologyInput& t, const Scenario* scenario,
                          std::uint32_t node, std::int64_t t_ns);

}  // namespace wirestep
