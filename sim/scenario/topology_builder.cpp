#include "sim/scenario/topology_builder.hpp"

#include "sim/net/routing_table.hpp"

namespace wirestep {

wire::MacAddr default_mac(std::uint32_t node, std::uint32_t ifindex) {
  wire::MacAddr m = wire::sim_mac(node);
  m[3] = static_cast<std::uint8_t>(ifindex);
  return m;
}

namespace {

std::uint32_t interface_index(const Host& h, const std::string& name) {
  if (name.empty()) return 0;
  return h.interface_by_name(name).value_or(0);  // the loader checked the name
}

// The interface whose subnet holds `ip` (the loader checked there is one).
std::uint32_t interface_on_link(const Host& h, wire::Ipv4Addr ip) {
  for (std::uint32_t i = 0; i < h.interfaces().size(); ++i)
    if (prefix_contains(h.interfaces()[i].addr, h.interfaces()[i].prefix_len, ip)) return i;
  return 0;
}

void add_routing(const ScenarioHost& sh, Host& h) {
  h.set_forwarding(sh.router);
  // Linux adds a "proto kernel scope link" route for every address's subnet.
  for (std::uint32_t i = 0; i < h.interfaces().size(); ++i) {
    const NetInterface& nif = h.interfaces()[i];
    h.routes().add(Route{nif.addr, nif.prefix_len, std::nullopt, i});
  }
  for (const ScenarioRoute& r : sh.routes) {
    const std::uint32_t dev = r.dev.empty() ? interface_on_link(h, *r.via) : interface_index(h, r.dev);
    h.routes().add(Route{r.dest, r.prefix_len, r.via, dev});
  }
  if (sh.gateway) h.routes().add(Route{wire::Ipv4Addr{}, 0, sh.gateway, interface_on_link(h, *sh.gateway)});
}

}  // namespace

void build_topology(const Scenario& sc, Network& net) {
  if (sc.network.routed) net.enable_routing(Network::RoutingOptions{sc.network.arp, sc.network.arp_lifetime});
  for (const auto& sh : sc.hosts) {
    const HostId id = net.add_host(sh.name, sh.address, sh.prefix_len);
    Host& h = net.host(id);
    h.set_tcp_config(sh.tcp.value_or(sc.tcp));
    if (!sc.network.routed) continue;
    // The host was made with its first interface; give it the scenario's name, MAC and MTU, then the rest.
    for (std::uint32_t i = 0; i < sh.interfaces.size(); ++i) {
      const ScenarioInterface& si = sh.interfaces[i];
      NetInterface nif{si.name, si.mac.value_or(default_mac(id, i)), si.address, si.prefix_len, si.mtu};
      if (i == 0)
        h.set_first_interface(nif);
      else
        h.add_interface(nif);
    }
    if (sh.is_switch)
      h.set_switch(true);
    else
      add_routing(sh, h);
  }
  for (const auto& l : sc.links) {
    const HostId a = *net.host_by_name(l.a), b = *net.host_by_name(l.b);
    if (sc.network.routed)
      net.connect_interfaces(a, interface_index(net.host(a), l.a_if), b, interface_index(net.host(b), l.b_if),
                             l.a_to_b, l.b_to_a);
    else
      net.connect(a, b, l.a_to_b, l.b_to_a);
  }
}

}  // namespace wirestep
