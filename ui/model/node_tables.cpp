#include "ui/model/node_tables.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "sim/net/routing_table.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/trace/trace.hpp"
#include "ui/model/topology_packets.hpp"

namespace wirestep {
namespace {

// The default of NetworkSettings, for a Trace without its scenario.
constexpr SimDuration kDefaultArpLifetime = SimDuration::seconds(30);

std::optional<std::uint32_t> interface_named(const TopologyNode& n, const std::string& name) {
  for (std::uint32_t k = 0; k < n.interfaces.size(); ++k)
    if (n.interfaces[k].name == name) return k;
  return std::nullopt;
}

// The interface whose subnet holds `ip`, as build_topology picks a gateway's; the first one when none does
// (the loader rejects such a gateway).
std::uint32_t interface_on_link(const TopologyNode& n, wire::Ipv4Addr ip) {
  for (std::uint32_t k = 0; k < n.interfaces.size(); ++k) {
    const TopologyInterface& i = n.interfaces[k];
    if (i.address && prefix_contains(*i.address, i.prefix_len, ip)) return k;
  }
  return 0;
}

wire::Ipv4Addr network_of(wire::Ipv4Addr a, int prefix_len) {
  return wire::Ipv4Addr{a.value & wire::prefix_mask(prefix_len).value};
}

// Where a row arrived: the receiving node's interface at the end of the link the hop took (interface 0
// when the two nodes have no link, as a direct wire's single interface).
std::uint32_t arrival_interface(const TopologyInput& t, const PacketHop& hop) {
  const auto link = t.link_between(hop.from, hop.to);
  if (!link) return 0;
  const TopologyLink& l = t.links[*link];
  return l.b.node == hop.to ? l.b.interface : l.a.interface;
}

}  // namespace

std::vector<TopologyRouteRow> routing_table_of(const TopologyInput& t, const Scenario* scenario,
                                               std::uint32_t node) {
  std::vector<TopologyRouteRow> out;
  if (node >= t.nodes.size()) return out;
  const TopologyNode& n = t.nodes[node];
  if (n.kind == NodeKind::Switch) return out;  // a bridge forwards by MAC address, it routes nothing
  // Linux adds a "proto kernel scope link" route for every address's subnet (as build_topology does).
  for (std::uint32_t k = 0; k < n.interfaces.size(); ++k) {
    const TopologyInterface& i = n.interfaces[k];
    if (!i.address) continue;
    out.push_back(
        {network_of(*i.address, i.prefix_len), i.prefix_len, std::nullopt, k, RouteOrigin::Connected});
  }
  const ScenarioHost* sh = nullptr;
  if (scenario)
    for (const ScenarioHost& h : scenario->hosts)
      if (h.name == n.name) sh = &h;
  if (sh) {
    for (const ScenarioRoute& r : sh->routes) {
      std::uint32_t dev = 0;
      if (!r.dev.empty())
        dev = interface_named(n, r.dev).value_or(0);
      else if (r.via)
        dev = interface_on_link(n, *r.via);
      out.push_back({network_of(r.dest, r.prefix_len), r.prefix_len, r.via, dev, RouteOrigin::Static});
    }
    if (sh->gateway)
      out.push_back(
          {wire::Ipv4Addr{}, 0, sh->gateway, interface_on_link(n, *sh->gateway), RouteOrigin::Default});
  }
  std::stable_sort(out.begin(), out.end(), [](const TopologyRouteRow& a, const TopologyRouteRow& b) {
    return a.prefix_len > b.prefix_len;
  });
  return out;
}

NodeTablesSource::NodeTablesSource(const Trace& trace, const TopologyInput& t, const Scenario* scenario)
    : learnt_(t.nodes.size()),
      lifetime_ns_(scenario ? scenario->network.arp_lifetime.ns : kDefaultArpLifetime.ns) {
  for (std::uint32_t n = 0; n < t.nodes.size(); ++n) routes_.push_back(routing_table_of(t, scenario, n));

  // Every ARP packet that reached a node, in arrival order (the event loop's: time, then the order the
  // arrivals were scheduled, which is row order).
  struct Arrival {
    std::int64_t at_ns;
    std::uint32_t row;
    std::uint32_t node, interface;
  };
  std::vector<Arrival> arrivals;
  const std::vector<std::uint32_t> host_nodes = nodes_of_trace_hosts(trace, t);
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    // A frame the card filtered out (another MAC address) is DroppedByHost: it taught nothing.
    if (!trace.arp(i) || trace.fate(i) != Fate::Delivered) continue;
    const auto hop = packet_hop(trace, host_nodes, i);
    if (!hop || hop->to >= t.nodes.size()) continue;
    arrivals.push_back(
        {trace.arrive(i).ns, static_cast<std::uint32_t>(i), hop->to, arrival_interface(t, *hop)});
  }
  std::stable_sort(arrivals.begin(), arrivals.end(),
                   [](const Arrival& a, const Arrival& b) { return a.at_ns < b.at_ns; });

  // Each interface's cache as the simulator keeps it, only to know what is fresh ("known") when a packet
  // for someone else comes by.
  std::map<std::tuple<std::uint32_t, std::uint32_t, wire::Ipv4Addr>, std::int64_t> expires;
  for (const Arrival& a : arrivals) {
    const TopologyNode& node = t.nodes[a.node];
    if (node.kind == NodeKind::Switch || a.interface >= node.interfaces.size()) continue;
    const TopologyInterface& me = node.interfaces[a.interface];
    if (!me.address) continue;
    const wire::ArpPacket& p = *trace.arp(a.row);
    const auto key = std::make_tuple(a.node, a.interface, p.sender_ip);
    const auto it = expires.find(key);
    const bool known = it != expires.end() && a.at_ns < it->second;
    // RFC 826 "Packet Reception": merge the sender's pair if known; if I am the target, add it.
    if (p.target_ip != *me.address && !known) continue;
    expires[key] = a.at_ns + lifetime_ns_;
    learnt_[a.node].push_back({a.at_ns, a.interface, p.sender_ip, p.sender_mac});
  }
}

void NodeTablesSource::tables_at(std::uint32_t node, std::int64_t t_ns, NodeTables& out) const {
  out.arp.clear();
  out.routes.clear();
  if (node >= learnt_.size()) return;
  out.routes.assign(routes_[node].begin(), routes_[node].end());
  for (const Learnt& l : learnt_[node]) {
    if (l.at_ns > t_ns) break;  // in time order: the rest is still to come
    auto it = std::find_if(out.arp.begin(), out.arp.end(), [&](const TopologyArpRow& r) {
      return r.interface == l.interface && r.address == l.ip;
    });
    if (it == out.arp.end()) it = out.arp.insert(out.arp.end(), TopologyArpRow{l.ip, {}, l.interface, 0, 0});
    it->mac = l.mac;
    it->learnt_ns = l.at_ns;
    it->expires_ns = l.at_ns + lifetime_ns_;
  }
  // An expired entry answers nothing (arp_cache.cpp): gone from the list, as from `ip neigh`'s usable ones.
  std::erase_if(out.arp, [&](const TopologyArpRow& r) { return t_ns >= r.expires_ns; });
  std::sort(out.arp.begin(), out.arp.end(), [](const TopologyArpRow& a, const TopologyArpRow& b) {
    return std::tie(a.interface, a.address) < std::tie(b.interface, b.address);
  });
}

NodeTables node_tables_at(const Trace& trace, const TopologyInput& t, const Scenario* scenario,
                          std::uint32_t node, std::int64_t t_ns) {
  NodeTables out;
  NodeTablesSource(trace, t, scenario).tables_at(node, t_ns, out);
  return out;
}

}  // namespace wirestep
