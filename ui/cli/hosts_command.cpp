#include "ui/cli/hosts_command.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <ostream>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_loader.hpp"
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

const ScenarioHost* find_host(const Scenario& sc, const std::string& name) {
  for (const ScenarioHost& h : sc.hosts)
    if (h.name == name) return &h;
  return nullptr;
}

}  // namespace

std::vector<std::string> ip_a_lines(std::uint32_t host_index, wire::Ipv4Addr address, int prefix_len) {
  // iproute2's layout: the loopback first, its lifetimes "forever" (addresses set by hand, not by DHCP). The
  // queue discipline is pfifo_fast because a simulated link is a drop-tail FIFO; the MTU is Ethernet's 1500
  // bytes (RFC 894), which the simulated TCP's MSS of 1460 assumes.
  std::vector<std::string> lines = {
      "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000",
      "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
      "    inet 127.0.0.1/8 scope host lo",
      "       valid_lft forever preferred_lft forever",
      "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default qlen 1000",
      "    link/ether " + mac_text(wire::sim_mac(host_index)) + " brd ff:ff:ff:ff:ff:ff",
  };
  std::string inet = "    inet " + address.to_string() + "/" + std::to_string(prefix_len);
  if (const auto brd = wire::broadcast_address(address, prefix_len)) inet += " brd " + brd->to_string();
  lines.push_back(inet + " scope global eth0");
  lines.push_back("       valid_lft forever preferred_lft forever");
  return lines;
}

std::vector<std::string> ipconfig_lines(wire::Ipv4Addr address, int prefix_len, Lang lang) {
  return {
      cli_text(lang, Msg::IpconfigAdapter, "eth0"),
      "",
      cli_text(lang, Msg::IpconfigDnsSuffix),
      cli_text(lang, Msg::IpconfigIpv4, address.to_string()),
      cli_text(lang, Msg::IpconfigMask, wire::prefix_mask(prefix_len).to_string()),
      cli_text(lang, Msg::IpconfigGateway, cli_text(lang, Msg::IpconfigNoGateway)),
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
  for (std::size_t i = 0; i < sc.hosts.size(); ++i) {
    const ScenarioHost& h = sc.hosts[i];
    if (i > 0) out += "\n";
    if (style == HostsStyle::Ip) {
      out += cli_text(lang, Msg::HostsIpTitle, h.name) + "\n";
      for (const auto& line : ip_a_lines(static_cast<std::uint32_t>(i), h.address, h.prefix_len))
        out += line + "\n";
    } else {
      out += cli_text(lang, Msg::HostsIpconfigTitle, h.name) + "\n\n" + cli_text(lang, Msg::IpconfigTitle) +
             "\n\n\n";
      for (const auto& line : ipconfig_lines(h.address, h.prefix_len, lang)) out += line + "\n";
    }
    out += "\n" + address_parts_line("eth0", h.address, h.prefix_len, lang) + "\n";
  }
  std::string warnings;
  for (const ScenarioLink& link : sc.links) {
    const ScenarioHost* a = find_host(sc, link.a);
    const ScenarioHost* b = find_host(sc, link.b);
    if (!a || !b || wire::share_subnet(a->address, a->prefix_len, b->address, b->prefix_len)) continue;
    warnings += cli_text(lang, Msg::HostsDifferentSubnets, a->name, a->address.to_string(), a->prefix_len,
                         b->name, b->address.to_string(), b->prefix_len) +
                "\n";
  }
  if (!warnings.empty()) out += "\n" + warnings;
  out += "\n" + cli_text(lang, Msg::PrefixExplained) + "\n" + cli_text(lang, Msg::HostsSimulatedNote) + "\n";
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
