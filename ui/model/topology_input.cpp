#include "ui/model/topology_input.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/topology_builder.hpp"
#include "sim/trace/trace.hpp"
#include "ui/model/scenario_edit.hpp"

namespace wirestep {

std::optional<std::uint32_t> TopologyInput::node_named(const std::string& name) const {
  for (std::uint32_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == name) return i;
  return std::nullopt;
}

std::optional<std::uint32_t> TopologyInput::link_between(std::uint32_t n1, std::uint32_t n2) const {
  for (std::uint32_t i = 0; i < links.size(); ++i) {
    const TopologyLink& l = links[i];
    if ((l.a.node == n1 && l.b.node == n2) || (l.a.node == n2 && l.b.node == n1)) return i;
  }
  return std::nullopt;
}

namespace {

LinkDirectionInfo direction_info(const LinkParams& p) {
  return {p.latency.ns, p.bandwidth_bps, !p.impairments.empty()};
}

TopologyNode host_node(const std::string& name, std::uint32_t index, wire::Ipv4Addr addr, int prefix_len) {
  // One interface, named as `wirestep hosts` and the lane tooltip name it, with the pcap export's MAC.
  return {name, NodeKind::Host, {{"eth0", addr, prefix_len, wire::sim_mac(index)}}};
}

std::string direction_text(const LinkDirectionInfo& d) {
  if (d.latency_ns < 0) return {};
  std::string s = format_duration_value(SimDuration{d.latency_ns});
  if (d.bandwidth_bps) s += ", " + format_bandwidth_value(d.bandwidth_bps) + "/s";
  return s;
}

}  // namespace

TopologyInput topology_from_scenario(const Scenario& scenario) {
  // Every node with all its interfaces (issue #18: routers and switches have several), MACs as the
  // simulator gives them (build_topology's default_mac when the scenario names none).
  TopologyInput t;
  for (std::uint32_t i = 0; i < scenario.hosts.size(); ++i) {
    const ScenarioHost& h = scenario.hosts[i];
    TopologyNode n{h.name, h.is_switch ? NodeKind::Switch : h.router ? NodeKind::Router : NodeKind::Host, {}};
    for (std::uint32_t k = 0; k < h.interfaces.size(); ++k) {
      const ScenarioInterface& si = h.interfaces[k];
      std::optional<wire::Ipv4Addr> addr;
      if (!h.is_switch) addr = si.address;  // a switch port has no address
      n.interfaces.push_back({si.name, addr, si.prefix_len, si.mac.value_or(default_mac(i, k))});
    }
    if (n.interfaces.empty()) n = host_node(h.name, i, h.address, h.prefix_len);
    t.nodes.push_back(std::move(n));
  }
  auto interface_of = [&](std::uint32_t node, const std::string& name) -> std::uint32_t {
    const auto& ifs = t.nodes[node].interfaces;
    for (std::uint32_t k = 0; k < ifs.size(); ++k)
      if (ifs[k].name == name) return k;
    return 0;  // empty: the node's first interface
  };
  for (const ScenarioLink& l : scenario.links) {
    const auto a = t.node_named(l.a), b = t.node_named(l.b);
    if (!a || !b) continue;  // the loader rejects such a link; never draw half of one
    t.links.push_back({{*a, interface_of(*a, l.a_if)},
                       {*b, interface_of(*b, l.b_if)},
                       direction_info(l.a_to_b),
                       direction_info(l.b_to_a)});
  }
  return t;
}

TopologyInput topology_from_trace(const Trace& trace) {
  TopologyInput t;
  const auto& hosts = trace.hosts();
  for (std::uint32_t i = 0; i < hosts.size(); ++i) {
    const TraceHost& h = hosts[i];
    TopologyNode n = host_node(h.name, i, h.addr.v4(), h.prefix_len);
    if (h.addr.v6) n.interfaces[0].address.reset();
    t.nodes.push_back(std::move(n));
  }
  // Ordered set: links come out in host order, whatever order the flows were seen in.
  std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (const TraceFlow& f : trace.flows()) {
    if (f.a_host >= hosts.size() || f.b_host >= hosts.size() || f.a_host == f.b_host) continue;
    pairs.insert(std::minmax(f.a_host, f.b_host));
  }
  for (const auto& [a, b] : pairs) t.links.push_back({{a, 0}, {b, 0}, {}, {}});
  return t;
}

std::string link_label(const TopologyLink& link) {
  const std::string ab = direction_text(link.a_to_b), ba = direction_text(link.b_to_a);
  if (ab == ba || ba.empty()) return ab;
  if (ab.empty()) return ba;
  return ab + " / " + ba;
}

}  // namespace wirestep
