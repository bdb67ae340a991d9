// `wirestep hosts SCENARIO [--style ip|ipconfig]`: every simulated host's interfaces as `ip a` (iproute2) or
// Windows' `ipconfig` print them, each address split into network part, host part and broadcast (the seed's
// notes on IP addresses and 网络号/主机号), and a warning for hosts that share a link but not a subnet.
// Exit 0 when printed, 2 on bad input (file, scenario).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/analysis/lang.hpp"
#include "sim/wire/ethernet.hpp"
#include "sim/wire/ip_addr.hpp"

namespace CLI {
class App;
}

namespace wirestep {

struct Scenario;

enum class HostsStyle { Ip, Ipconfig };

struct HostsCommandOptions {
  std::string scenario;
  HostsStyle style = HostsStyle::Ip;
  Lang lang = Lang::En;
};

// One simulated host's interfaces as `ip a` prints them. `host_index` is its place in the scenario (and the
// Trace), which picks the MAC address the pcap export writes (wire::sim_mac).
std::vector<std::string> ip_a_lines(std::uint32_t host_index, wire::Ipv4Addr address, int prefix_len);

// One network interface of a node (issue #18: a router has several, a switch's ports have no address).
struct IpAInterface {
  std::string name;  // "eth0", "port1"
  wire::MacAddr mac{};
  std::optional<wire::Ipv4Addr> address;
  int prefix_len = 24;
  std::uint32_t mtu = 1500;
};
// Every interface of a node as `ip a` prints them: the loopback as 1, then each interface in order from 2.
std::vector<std::string> ip_a_lines(std::span<const IpAInterface> interfaces);
// A scenario node's interfaces with the names, MACs and MTUs the simulated network gives them
// (topology_builder.hpp's default_mac when the scenario names no MAC).
std::vector<IpAInterface> node_interfaces(const Scenario& scenario, std::uint32_t node);

// The same interface as Windows' `ipconfig` prints it, in `lang` (Windows prints its labels translated).
std::vector<std::string> ipconfig_lines(wire::Ipv4Addr address, int prefix_len, Lang lang);
// The same for a named adapter and its default gateway (none: "none").
std::vector<std::string> ipconfig_lines(const std::string& adapter, wire::Ipv4Addr address, int prefix_len,
                                        std::optional<wire::Ipv4Addr> gateway, Lang lang);

// "eth0 10.0.0.1/24: network part 10.0.0.0 (24 bits), host part 0.0.0.1 (8 bits), broadcast …".
std::string address_parts_line(const std::string& interface, wire::Ipv4Addr address, int prefix_len,
                               Lang lang);

// The whole report for a loaded scenario: every host, router and switch with every interface in the style,
// then the warnings for links (and switches) joining interfaces in different subnets.
std::string format_hosts(const Scenario& scenario, HostsStyle style, Lang lang);

int hosts_command(const HostsCommandOptions& options, std::ostream& out, std::ostream& err);

// The `hosts` subcommand and its options, filled in when the command line is parsed.
struct HostsCli {
  CLI::App* command = nullptr;
  HostsCommandOptions options;
  std::string style = "ip";
};
std::unique_ptr<HostsCli> register_hosts_command(CLI::App& app);

}  // namespace wirestep
