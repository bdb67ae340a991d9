#include "ui/cli/hosts_command.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iterator>
#include <ostream>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/topology_builder.hpp"
#include "sim/wire/ethernet.hpp"
#include "ui/cli/cli_text.hpp"

namespace wirestep {
namespace {

std::string mac_text(const wire::MacAddr& mac) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
                mac[5]);
  return buf;
}

// Texts only this command prints about routed networks (issue #18), in both languages.
struct Phrase {
  const char* en;
  const char* zh;
};
constexpr Phrase kSwitchPorts{
    "{0}: a switch's ports have no IP address: it forwards Ethernet frames by their MAC address.",
    "{0}：交换机的端口没有 IP 地址：它按 MAC 地址转发以太网帧。"};
constexpr Phrase kRoutedNote{
    "Simulated nodes: a loopback and every interface the scenario gives them (routers several, switches one "
    "port each), with the MAC addresses the pcap export writes and the interfaces' MTU; IPv4 only (so no "
    "inet6 lines).",
    "模拟的节点：每个都有一个环回接口和场景给它的每个接口（路由器有多个，交换机每个端口一个），MAC "
    "地址与导出的 "
    "pcap 中相同，MTU 为接口的 MTU；只有 IPv4（所以没有 inet6 行）。"};
constexpr Phrase kSwitchSubnets{
    "warning: {0} {1}/{2} and {3} {4}/{5} are both on switch {6} but not in one subnet: they cannot talk "
    "without a router",
    "警告：{0} {1}/{2} 和 {3} {4}/{5} 都接在交换机 {6} 上，却不在同一个子网：没有路由器它们无法通信"};

std::string hosts_phrase(Lang lang, const Phrase& p, const std::string& arg) {
  std::string s = lang == Lang::Zh ? p.zh : p.en;
  if (const auto at = s.find("{0}"); at != std::string::npos) s.replace(at, 3, arg);
  return s;
}

std::optional<std::uint32_t> node_index(const Scenario& sc, const std::string& name) {
  for (std::uint32_t i = 0; i < sc.hosts.size(); ++i)
    if (sc.hosts[i].name == name) return i;
  return std::nullopt;
}

// One end of a link: the node and its interface (named, or the first).
struct LinkEnd {
  std::uint32_t node = 0;
  IpAInterface nif;
  std::string label;  // "A", or "R eth1" for a node with several interfaces
};
std::optional<LinkEnd> link_end(const Scenario& sc, const std::string& node, const std::string& ifname) {
  const auto n = node_index(sc, node);
  if (!n) return std::nullopt;
  const std::vector<IpAInterface> ifs = node_interfaces(sc, *n);
  for (const IpAInterface& nif : ifs)
    if (ifname.empty() || nif.name == ifname)
      return LinkEnd{*n, nif, ifs.size() > 1 ? node + " " + nif.name : node};
  return std::nullopt;
}

// Two interfaces on one link or one switch can talk without a router only when each lies in the other's
// prefix (RFC 1122 §3.3.1.1: a destination outside the prefix goes to a gateway).
bool one_subnet(const IpAInterface& a, const IpAInterface& b) {
  return wire::share_subnet(*a.address, a.prefix_len, *b.address, b.prefix_len);
}

std::string subnet_warnings(const Scenario& sc, Lang lang) {
  std::string out;
  // Per switch, the addressed interfaces linked to its ports.
  std::vector<std::vector<LinkEnd>> on_switch(sc.hosts.size());
  for (const ScenarioLink& link : sc.links) {
    const auto a = link_end(sc, link.a, link.a_if), b = link_end(sc, link.b, link.b_if);
    if (!a || !b) continue;
    if (sc.hosts[a->node].is_switch && b->nif.address) on_switch[a->node].push_back(*b);
    if (sc.hosts[b->node].is_switch && a->nif.address) on_switch[b->node].push_back(*a);
    if (!a->nif.address || !b->nif.address || one_subnet(a->nif, b->nif)) continue;
    out += cli_text(lang, Msg::HostsDifferentSubnets, a->label, a->nif.address->to_string(),
                    a->nif.prefix_len, b->label, b->nif.address->to_string(), b->nif.prefix_len) +
           "\n";
  }
  for (std::size_t s = 0; s < on_switch.size(); ++s)
    for (std::size_t i = 0; i < on_switch[s].size(); ++i)
      for (std::size_t j = i + 1; j < on_switch[s].size(); ++j) {
        const LinkEnd &a = on_switch[s][i], &b = on_switch[s][j];
        if (one_subnet(a.nif, b.nif)) continue;
        std::string w = lang == Lang::Zh ? kSwitchSubnets.zh : kSwitchSubnets.en;
        const std::string args[] = {
            a.label,         a.nif.address->to_string(), std::to_string(a.nif.prefix_len),
            b.label,         b.nif.address->to_string(), std::to_string(b.nif.prefix_len),
            sc.hosts[s].name};
        for (std::size_t k = 0; k < std::size(args); ++k) {
          const std::string key = "{" + std::to_string(k) + "}";
          if (const auto at = w.find(key); at != std::string::npos) w.replace(at, key.size(), args[k]);
        }
        out += w + "\n";
      }
  return out;
}

}  // namespace

std::vector<std::string> ip_a_lines(std::span<const IpAInterface> interfaces) {
  // iproute2's layout: the loopback first, its lifetimes "forever" (addresses set by hand, not by DHCP). The
  // queue discipline is pfifo_fast because a simulated link is a drop-tail FIFO; the MTU is the interface's
  // (Ethernet's 1500 bytes by default, RFC 894, which the simulated TCP's MSS of 1460 assumes).
  std::vector<std::string> lines = {
      "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000",
      "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
      "    inet 127.0.0.1/8 scope host lo",
      "       valid_lft forever preferred_lft forever",
  };
  for (std::size_t i = 0; i < interfaces.size(); ++i) {
    const IpAInterface& nif = interfaces[i];
    lines.push_back(std::to_string(i + 2) + ": " + nif.name + ": <BROADCAST,MULTICAST,UP,LOWER_UP> mtu " +
                    std::to_string(nif.mtu) + " qdisc pfifo_fast state UP group default qlen 1000");
    lines.push_back("    link/ether " + mac_text(nif.mac) + " brd ff:ff:ff:ff:ff:ff");
    if (!nif.address) continue;  // a switch port: no IP address, so no inet line
    std::string inet = "    inet " + nif.address->to_string() + "/" + std::to_string(nif.prefix_len);
    if (const auto brd = wire::broadcast_address(*nif.address, nif.prefix_len))
      inet += " brd " + brd->to_string();
    lines.push_back(inet + " scope global " + nif.name);
    lines.push_back("       valid_lft forever preferred_lft forever");
  }
  return lines;
}

std::vector<std::string> ip_a_lines(std::uint32_t host_index, wire::Ipv4Addr address, int prefix_len) {
  const IpAInterface eth0{"eth0", wire::sim_mac(host_index), address, prefix_len, 1500};
  return ip_a_lines(std::span<const IpAInterface>(&eth0, 1));
}

std::vector<IpAInterface> node_interfaces(const Scenario& sc, std::uint32_t node) {
  std::vector<IpAInterface> out;
  if (node >= sc.hosts.size()) return out;
  const ScenarioHost& h = sc.hosts[node];
  if (h.interfaces.empty()) {
    out.push_back({"eth0", wire::sim_mac(node), h.address, h.prefix_len, 1500});
    return out;
  }
  for (std::uint32_t i = 0; i < h.interfaces.size(); ++i) {
    const ScenarioInterface& si = h.interfaces[i];
    IpAInterface nif{si.name, si.mac.value_or(default_mac(node, i)), std::nullopt, si.prefix_len, si.mtu};
    if (!h.is_switch) nif.address = si.address;
    out.push_back(nif);
  }
  return out;
}

std::vector<std::string> ipconfig_lines(wire::Ipv4Addr address, int prefix_len, Lang lang) {
  return ipconfig_lines("eth0", address, prefix_len, std::nullopt, lang);
}

std::vector<std::string> ipconfig_lines(const std::string& adapter, wire::Ipv4Addr address, int prefix_len,
                                        std::optional<wire::Ipv4Addr> gateway, Lang lang) {
  return {
      cli_text(lang, Msg::IpconfigAdapter, adapter),
      "",
      cli_text(lang, Msg::IpconfigDnsSuffix),
      cli_text(lang, Msg::IpconfigIpv4, address.to_string()),
      cli_text(lang, Msg::IpconfigMask, wire::prefix_mask(prefix_len).to_string()),
      cli_text(lang, Msg::IpconfigGateway,
               gateway ? gateway->to_string() : cli_text(lang, Msg::IpconfigNoGateway)),
  };
}

std::string address_parts_line(const std::string& interface, wire::Ipv4Addr address, int prefix_len,
                               Lang lang) {
  const wire::AddressParts parts = wire::split_address(address, prefix_len);
  auto bits = [lang](int n) { return cli_text(lang, n == 1 ? Msg::HostsOneBit : Msg::HostsBits, n); };
  std::string line = cli_text(lang, Msg::HostsAddressParts, interface, address.to_string(), prefix_len,
                              parts.network.to_string(), parts.host.to_string(), bits(prefix_len),
                              bits(32 - prefix_len), wire::prefix_mask(prefix_len).to_string());
  if (const auto brd = wire::broadcast_address(address, prefix_len))
    line += cli_text(lang, Msg::HostsBroadcast, brd->to_string());
  else
    line += cli_text(lang, prefix_len == 31 ? Msg::HostsNoBroadcast31 : Msg::HostsNoBroadcast32);
  return line;
}

std::string format_hosts(const Scenario& sc, HostsStyle style, Lang lang) {
  std::string out;
  bool any_switch = false, any_several = false;
  for (std::size_t i = 0; i < sc.hosts.size(); ++i) {
    const ScenarioHost& h = sc.hosts[i];
    const std::vector<IpAInterface> ifs = node_interfaces(sc, static_cast<std::uint32_t>(i));
    any_switch = any_switch || h.is_switch;
    any_several = any_several || ifs.size() > 1;
    if (i > 0) out += "\n";
    if (style == HostsStyle::Ip) {
      out += cli_text(lang, Msg::HostsIpTitle, h.name) + "\n";
      for (const auto& line : ip_a_lines(ifs)) out += line + "\n";
    } else {
      out += cli_text(lang, Msg::HostsIpconfigTitle, h.name) + "\n\n" + cli_text(lang, Msg::IpconfigTitle) +
             "\n";
      for (const IpAInterface& nif : ifs) {
        if (!nif.address) continue;
        // Windows shows the default gateway on the adapter whose subnet holds it.
        std::optional<wire::Ipv4Addr> gw;
        if (h.gateway && wire::share_subnet(*nif.address, nif.prefix_len, *h.gateway, nif.prefix_len))
          gw = h.gateway;
        out += "\n\n";
        for (const auto& line : ipconfig_lines(nif.name, *nif.address, nif.prefix_len, gw, lang))
          out += line + "\n";
      }
    }
    out += "\n";
    for (const IpAInterface& nif : ifs)
      if (nif.address) out += address_parts_line(nif.name, *nif.address, nif.prefix_len, lang) + "\n";
    if (h.is_switch) out += hosts_phrase(lang, kSwitchPorts, h.name) + "\n";
  }
  const std::string warnings = subnet_warnings(sc, lang);
  if (!warnings.empty()) out += "\n" + warnings;
  out += "\n" + cli_text(lang, Msg::PrefixExplained) + "\n";
  out += (any_switch || any_several ? hosts_phrase(lang, kRoutedNote, "")
                                    : cli_text(lang, Msg::HostsSimulatedNote)) +
         "\n";
  return out;
}

int hosts_command(const HostsCommandOptions& options, std::ostream& out, std::ostream& err) {
  auto sc = load_scenario_file(options.scenario);
  if (!sc) {
    err << "wirestep: " << error_text(sc.error(), options.lang) << "\n";
    return 2;
  }
  out << format_hosts(*sc, options.style, options.lang);
  return 0;
}

std::unique_ptr<HostsCli> register_hosts_command(CLI::App& app) {
  auto cli = std::make_unique<HostsCli>();
  CLI::App* cmd = app.add_subcommand(
      "hosts",
      "print a scenario's hosts as `ip a` (or `ipconfig`) shows them, network and host part explained");
  cmd->add_option("scenario", cli->options.scenario, "scenario file (.toml)")->required();
  HostsCommandOptions* o = &cli->options;
  cmd->add_option("--style", cli->style, "ip (Linux `ip a`) or ipconfig (Windows)")
      ->check(CLI::IsMember({"ip", "ipconfig"}))
      ->each(
          [o](const std::string& s) { o->style = s == "ipconfig" ? HostsStyle::Ipconfig : HostsStyle::Ip; });
  cli->command = cmd;
  return cli;
}

}  // namespace wirestep
