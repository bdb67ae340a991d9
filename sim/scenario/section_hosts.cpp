// [[host]]: names, IPv4 addresses and the host's own TCP settings, and the checks every later section makes
// when it names a host.
#include <algorithm>
#include <cctype>

#include "sim/scenario/section_readers.hpp"

namespace wirestep::sections {

using toml_reader::fail;

void read_hosts(const toml::table& root, ScenarioDraft& d) {
  const toml::array* arr = toml_reader::table_array(root, "host", "top-level key");
  if (!arr || arr->empty()) fail(root.source(), "at least one [[host]] is required");
  std::set<std::uint32_t> addresses;
  for (const auto& el : *arr) {
    TableReader r(*el.as_table(), "[[host]]", {"name", "address", "tcp"});
    ScenarioHost h;
    h.name = *r.str("name", true);
    if (h.name.empty() || h.name.find_first_of(" >:") != std::string::npos)
      fail(r.node("name")->source(),
           r.label("name") + ": \"" + h.name + "\" must be non-empty, without spaces, '>' or ':'");
    if (!d.host_names.insert(h.name).second)
      fail(r.node("name")->source(), r.label("name") + ": host \"" + h.name + "\" is defined twice");
    const std::string addr = *r.str("address", true);
    const auto slash = addr.find('/');
    auto ip = wire::Ipv4Addr::parse(std::string_view(addr).substr(0, slash));
    if (!ip)
      fail(r.node("address")->source(),
           r.label("address") + ": \"" + addr + "\" is not an IPv4 address like \"10.0.0.1/24\"");
    if (slash != std::string::npos) {
      const std::string p = addr.substr(slash + 1);
      if (p.empty() || p.size() > 2 || !std::all_of(p.begin(), p.end(), ::isdigit) || std::stoi(p) > 32)
        fail(r.node("address")->source(),
             r.label("address") + ": prefix length \"/" + p + "\" must be 0..32");
      h.prefix_len = std::stoi(p);
    }
    h.address = *ip;
    if (!addresses.insert(ip->value).second)
      fail(r.node("address")->source(),
           r.label("address") + ": " + ip->to_string() + " is used by two hosts");
    // [host.tcp] (or tcp = {...}): this host's TCP differs from [tcp], so a client and a server can differ.
    if (const toml::node* t = r.node("tcp")) {
      if (!t->is_table())
        fail(t->source(), r.label("tcp") + ": expected a table ([host.tcp] or tcp = {...})");
      h.tcp = read_tcp_settings(*t->as_table(), "[host.tcp] of \"" + h.name + "\"", d.sc.tcp);
    }
    d.sc.hosts.push_back(h);
  }
}

const std::string& known_host(const ScenarioDraft& d, const TableReader& r, std::string_view key,
                              const std::string& name, const toml::source_region& where) {
  if (!d.host_names.count(name)) {
    std::vector<std::string> names(d.host_names.begin(), d.host_names.end());
    fail(where,
         r.label(key) + ": host \"" + name + "\" is not defined" +
             toml_reader::did_you_mean(name, names, " (hosts: " + toml_reader::quoted_list(names) + ")"));
  }
  return name;
}

// The string is read before the node's position is taken: argument evaluation order is unspecified, and a
// missing key must be reported, not dereferenced.
std::string required_host(const ScenarioDraft& d, const TableReader& r, std::string_view key) {
  const std::string name = *r.str(key, true);
  return known_host(d, r, key, name, r.node(key)->source());
}

}  // namespace wirestep::sections
