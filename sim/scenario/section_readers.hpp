// The readers of a scenario file's sections, one file per group, for scenario_loader.cpp only. Each reads
// its tables from the root into the scenario being built and fails (toml_reader::fail) on the first problem.
// They run in the order parse_scenario calls them: hosts before everything that names a host, programs
// before [comparison], [comparison] before [[expect]].
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/toml_reader.hpp"

namespace wirestep::sections {

using toml_reader::TableReader;

// The scenario so far, and the host names later sections check against (sorted: the order a message
// lists them in).
struct ScenarioDraft {
  Scenario sc;
  std::set<std::string> host_names;   // hosts and routers
  std::set<std::uint32_t> addresses;  // every interface's, to refuse one used twice
};

// section_settings.cpp
void read_meta(const toml::table& root, ScenarioDraft& d);  // [scenario]
void read_tcp(const toml::table& root, ScenarioDraft& d);   // [tcp]
// One table of TCP settings ([tcp], or a host's tcp table) applied on top of `base`; a "profile" key starts
// again from that profile's values.
TcpConfig read_tcp_settings(const toml::table& t, const std::string& context, const TcpConfig& base);

// section_hosts.cpp
void read_hosts(const toml::table& root, ScenarioDraft& d);  // [[host]]
// `name` (the value of `key`, found at `where`) is a defined host; else a failure naming the nearest.
const std::string& known_host(const ScenarioDraft& d, const TableReader& r, std::string_view key,
                              const std::string& name, const toml::source_region& where);
// Reads `key` (required) and checks it names a host.
std::string required_host(const ScenarioDraft& d, const TableReader& r, std::string_view key);

// section_routers.cpp (issue #18): routers, a host's interfaces/gateway/routes, [network].
void read_routers(const toml::table& root, ScenarioDraft& d);   // [[router]]
void read_switches(const toml::table& root, ScenarioDraft& d);  // [[switch]]
void read_network(const toml::table& root, ScenarioDraft& d);   // [network]
bool read_host_routing(const TableReader& r, ScenarioHost& h, ScenarioDraft& d);

// section_links.cpp
void read_links(const toml::table& root, ScenarioDraft& d);  // [[link]], [[link.one_way]]

// section_impairments.cpp: [[link.impairment]], and the packet fields [[expect]] counts share.
Impairment read_impairment(const toml::table& t, const std::string& ctx);
std::optional<PacketKind> read_packet_kind(const TableReader& r);           // "kind"
std::optional<Transport> read_proto(const TableReader& r, bool allow_any);  // "proto"

// section_programs.cpp
void read_programs(const toml::table& root, ScenarioDraft& d);    // [[program]], [[program.step]]
void read_comparison(const toml::table& root, ScenarioDraft& d);  // [comparison]

// section_expectations.cpp
void read_expectations(const toml::table& root, ScenarioDraft& d);  // [[expect]]

}  // namespace wirestep::sections
