// [[host]]: names, IPv4 addresses (or interfaces, gateway and routes: section_routers.cpp) and the host's own
// TCP settings, and the checks every later section makes
// when it names a host.
#include <algorithm>
#include <cctype>

#include "sim/scenario/section_readers.hpp"

namespace wirestep::sections {

using toml_reader::fail;

void read_hosts(const toml::table& root, ScenarioDraft& d) {
  const toml::array* arr = toml_reader::table_array(root, "host", "top-level key");
  if (!arr || arr->empty()) fail(root.source(), "at least one [[host]] is required", "至少需要一个 [[host]]");
  for (const auto& el : *arr) {
    TableReader r(*el.as_table(), "[[host]]", {"name", "address", "tcp", "interface", "gateway", "route"});
    ScenarioHost h;
    h.name = *r.str("name", true);
    if (h.name.empty() || h.name.find_first_of(" >:") != std::string::npos)
      fail(r.node("name")->source(),
           r.label("name") + ": \"" + h.name + "\" must be non-empty, without spaces, '>' or ':'",
           r.label_zh("name") + "：\"" + h.name + "\" 不能为空，也不能含空格、'>' 或 ':'");
    if (!d.host_names.insert(h.name).second)
      fail(r.node("name")->source(), r.label("name") + ": host \"" + h.name + "\" is defined twice",
           r.label_zh("name") + "：主机 \"" + h.name + "\" 定义了两次");
    // Either one address (the host's eth0) or its [[host.interface]]s (issue #18).
    if (r.has("address") && r.has("interface"))
      fail(r.node("address")->source(),
           r.label("address") + ": give \"address\" or [[host.interface]], not both",
           r.label_zh("address") + "：\"address\" 和 [[host.interface]] 只能二选一");
    if (!r.has("interface")) {
      const std::string addr = *r.str("address", true);
      const auto slash = addr.find('/');
      auto ip = wire::Ipv4Addr::parse(std::string_view(addr).substr(0, slash));
      if (!ip)
        fail(r.node("address")->source(),
             r.label("address") + ": \"" + addr + "\" is not an IPv4 address like \"10.0.0.1/24\"",
             r.label_zh("address") + "：\"" + addr + "\" 不是形如 \"10.0.0.1/24\" 的 IPv4 地址");
      if (slash != std::string::npos) {
        const std::string p = addr.substr(slash + 1);
        if (p.empty() || p.size() > 2 || !std::all_of(p.begin(), p.end(), ::isdigit) || std::stoi(p) > 32)
          fail(r.node("address")->source(),
               r.label("address") + ": prefix length \"/" + p + "\" must be 0..32",
               r.label_zh("address") + "：前缀长度 \"/" + p + "\" 必须在 0..32 之间");
        h.prefix_len = std::stoi(p);
      }
      h.address = *ip;
      if (!d.addresses.insert(ip->value).second)
        fail(r.node("address")->source(),
             r.label("address") + ": " + ip->to_string() + " is used by two hosts",
             r.label_zh("address") + "：" + ip->to_string() + " 被两台主机使用");
      h.interfaces.push_back(ScenarioInterface{"eth0", h.address, h.prefix_len, std::nullopt, 1500});
    }
    if (read_host_routing(r, h, d)) d.sc.network.routed = true;
    if (h.interfaces.empty())
      fail(r.where(), "[[host]] \"" + h.name + "\": needs \"address\" or at least one [[host.interface]]",
           "[[host]] \"" + h.name + "\"：需要 \"address\" 或至少一个 [[host.interface]]");
    h.address = h.interfaces.at(0).address;
    h.prefix_len = h.interfaces.at(0).prefix_len;
    // [host.tcp] (or tcp = {...}): this host's TCP differs from [tcp], so a client and a server can differ.
    if (const toml::node* t = r.node("tcp")) {
      if (!t->is_table())
        fail(t->source(), r.label("tcp") + ": expected a table ([host.tcp] or tcp = {...})",
             r.label_zh("tcp") + "：应为表（[host.tcp] 或 tcp = {...}）");
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
