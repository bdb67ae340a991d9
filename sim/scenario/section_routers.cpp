// Routed networks (issue #18): [[router]] with its [[router.interface]]s and [[router.route]]s, the
// interfaces, gateway and routes a [[host]] may have, and [network]. What each key means is in
// scenarios/README.md ("Networks: subnets, routers, ARP and ICMP").
#include <algorithm>
#include <cctype>

#include "sim/net/routing_table.hpp"
#include "sim/scenario/section_readers.hpp"
#include "sim/scenario/units.hpp"

namespace wirestep::sections {
namespace {

using toml_reader::fail;

std::optional<wire::MacAddr> parse_mac(std::string_view text) {
  // "02:00:00:00:00:01" (or with '-'), six two-digit hex groups.
  if (text.size() != 17) return std::nullopt;
  wire::MacAddr mac{};
  for (std::size_t i = 0; i < 6; ++i) {
    const std::size_t at = i * 3;
    if (i > 0 && text[at - 1] != ':' && text[at - 1] != '-') return std::nullopt;
    if (!std::isxdigit(static_cast<unsigned char>(text[at])) ||
        !std::isxdigit(static_cast<unsigned char>(text[at + 1])))
      return std::nullopt;
    mac[i] = static_cast<std::uint8_t>(std::stoi(std::string(text.substr(at, 2)), nullptr, 16));
  }
  return mac;
}

// "10.0.0.1/24": the address and its prefix length (24 when none is given, as before issue #18).
std::pair<wire::Ipv4Addr, int> read_address(const TableReader& r, std::string_view key) {
  const std::string addr = *r.str(key, true);
  const auto slash = addr.find('/');
  auto ip = wire::Ipv4Addr::parse(std::string_view(addr).substr(0, slash));
  if (!ip)
    fail(r.node(key)->source(),
         r.label(key) + ": \"" + addr + "\" is not an IPv4 address like \"10.0.0.1/24\"",
         r.label_zh(key) + "：\"" + addr + "\" 不是形如 \"10.0.0.1/24\" 的 IPv4 地址");
  int len = 24;
  if (slash != std::string::npos) {
    const std::string p = addr.substr(slash + 1);
    if (p.empty() || p.size() > 2 || !std::all_of(p.begin(), p.end(), ::isdigit) || std::stoi(p) > 32)
      fail(r.node(key)->source(), r.label(key) + ": prefix length \"/" + p + "\" must be 0..32",
           r.label_zh(key) + "：前缀长度 \"/" + p + "\" 必须在 0..32 之间");
    len = std::stoi(p);
  }
  return {*ip, len};
}

std::optional<wire::Ipv4Addr> read_ip(const TableReader& r, std::string_view key) {
  auto s = r.str(key);
  if (!s) return std::nullopt;
  auto ip = wire::Ipv4Addr::parse(*s);
  if (!ip)
    fail(r.node(key)->source(), r.label(key) + ": \"" + *s + "\" is not an IPv4 address like \"10.0.0.254\"",
         r.label_zh(key) + "：\"" + *s + "\" 不是形如 \"10.0.0.254\" 的 IPv4 地址");
  return ip;
}

bool on_link(const ScenarioHost& h, wire::Ipv4Addr ip) {
  for (const auto& i : h.interfaces)
    if (prefix_contains(i.address, i.prefix_len, ip)) return true;
  return false;
}

// A gateway must be on one of the node's own subnets: Linux refuses "Nexthop has invalid gateway".
void check_gateway(const ScenarioHost& h, const TableReader& r, std::string_view key, wire::Ipv4Addr via) {
  if (on_link(h, via)) return;
  std::string subnets;
  for (const auto& i : h.interfaces)
    subnets += (subnets.empty() ? "" : ", ") +
               wire::split_address(i.address, i.prefix_len).network.to_string() + "/" +
               std::to_string(i.prefix_len);
  fail(r.node(key)->source(),
       r.label(key) + ": gateway " + via.to_string() + " is not on a subnet of \"" + h.name + "\" (" +
           subnets + "): a next hop must be reachable directly (Linux: \"Nexthop has invalid gateway\")",
       r.label_zh(key) + "：网关 " + via.to_string() + " 不在 \"" + h.name + "\" 的任何子网里（" + subnets +
           "）：下一跳必须能直接到达（Linux 报 \"Nexthop has invalid gateway\"）");
}

void read_interfaces(const toml::table& t, const std::string& what, ScenarioHost& h, ScenarioDraft& d) {
  const toml::array* arr = toml_reader::table_array(t, "interface", what);
  if (!arr) return;
  int index = 0;
  for (const auto& el : *arr) {
    ++index;
    TableReader r(*el.as_table(),
                  what + " [[interface]] #" + std::to_string(index) + " of \"" + h.name + "\"",
                  {"name", "address", "mac", "mtu"});
    ScenarioInterface i;
    i.name = r.str("name").value_or("eth" + std::to_string(h.interfaces.size()));
    if (i.name.empty() || i.name.find_first_of(" >:") != std::string::npos)
      fail(r.node("name")->source(),
           r.label("name") + ": \"" + i.name + "\" must be non-empty, without spaces, '>' or ':'",
           r.label_zh("name") + "：\"" + i.name + "\" 不能为空，也不能含空格、'>' 或 ':'");
    for (const auto& other : h.interfaces)
      if (other.name == i.name)
        fail(r.node("name")->source(), r.label("name") + ": interface \"" + i.name + "\" is defined twice",
             r.label_zh("name") + "：接口 \"" + i.name + "\" 定义了两次");
    std::tie(i.address, i.prefix_len) = read_address(r, "address");
    if (!d.addresses.insert(i.address.value).second)
      fail(r.node("address")->source(), r.label("address") + ": " + i.address.to_string() + " is used twice",
           r.label_zh("address") + "：" + i.address.to_string() + " 被使用了两次");
    if (auto m = r.str("mac")) {
      i.mac = parse_mac(*m);
      if (!i.mac)
        fail(r.node("mac")->source(),
             r.label("mac") + ": \"" + *m + "\" is not a MAC address like \"02:00:00:00:00:01\"",
             r.label_zh("mac") + "：\"" + *m + "\" 不是形如 \"02:00:00:00:00:01\" 的 MAC 地址");
    }
    if (auto mtu = r.integer("mtu", 68, 65535))
      i.mtu = static_cast<std::uint32_t>(*mtu);  // RFC 791: 68 minimum
    h.interfaces.push_back(i);
  }
}

void read_routes(const toml::table& t, const std::string& what, ScenarioHost& h) {
  const toml::array* arr = toml_reader::table_array(t, "route", what);
  if (!arr) return;
  int index = 0;
  for (const auto& el : *arr) {
    ++index;
    TableReader r(*el.as_table(), what + " [[route]] #" + std::to_string(index) + " of \"" + h.name + "\"",
                  {"to", "via", "dev"});
    ScenarioRoute route;
    route.line = static_cast<int>(r.where().begin.line);
    const std::string to = *r.str("to", true);
    auto p = parse_prefix(to);
    if (!p)
      fail(r.node("to")->source(),
           r.label("to") + ": \"" + to + "\" is not a destination like \"10.1.0.0/16\" or \"default\"",
           r.label_zh("to") + "：\"" + to + "\" 不是形如 \"10.1.0.0/16\" 或 \"default\" 的目的网络");
    route.dest = p->first;
    route.prefix_len = p->second;
    route.via = read_ip(r, "via");
    route.dev = r.str("dev").value_or("");
    if (!route.via && route.dev.empty())
      fail(r.where(), r.label("via") + ": a route needs \"via\" (a gateway) or \"dev\" (an interface)",
           r.label_zh("via") + "：路由需要 \"via\"（网关）或 \"dev\"（接口）");
    if (!route.dev.empty() && std::none_of(h.interfaces.begin(), h.interfaces.end(),
                                           [&](const auto& i) { return i.name == route.dev; })) {
      std::vector<std::string> names;
      for (const auto& i : h.interfaces) names.push_back(i.name);
      fail(r.node("dev")->source(),
           r.label("dev") + ": \"" + h.name + "\" has no interface \"" + route.dev + "\"" +
               toml_reader::did_you_mean(route.dev, names,
                                         " (interfaces: " + toml_reader::quoted_list(names) + ")"),
           r.label_zh("dev") + "：\"" + h.name + "\" 没有接口 \"" + route.dev + "\"" +
               toml_reader::did_you_mean_zh(route.dev, names,
                                            "（接口：" + toml_reader::quoted_list(names) + "）"));
    }
    if (route.via) check_gateway(h, r, "via", *route.via);
    h.routes.push_back(route);
  }
}

}  // namespace

// A [[host]]'s routing keys (after its name and address are read): [[host.interface]], gateway,
// [[host.route]]. Returns whether the host needs a routed network.
bool read_host_routing(const TableReader& r, ScenarioHost& h, ScenarioDraft& d) {
  read_interfaces(r.table(), "[[host]]", h, d);
  if (auto gw = read_ip(r, "gateway")) {
    check_gateway(h, r, "gateway", *gw);
    h.gateway = gw;
  }
  read_routes(r.table(), "[[host]]", h);
  return h.interfaces.size() > 1 || h.gateway || !h.routes.empty();
}

void read_routers(const toml::table& root, ScenarioDraft& d) {
  const toml::array* arr = toml_reader::table_array(root, "router", "top-level key");
  if (!arr) return;
  for (const auto& el : *arr) {
    TableReader r(*el.as_table(), "[[router]]", {"name", "interface", "route", "gateway"});
    ScenarioHost h;
    h.router = true;
    h.name = *r.str("name", true);
    if (h.name.empty() || h.name.find_first_of(" >:") != std::string::npos)
      fail(r.node("name")->source(),
           r.label("name") + ": \"" + h.name + "\" must be non-empty, without spaces, '>' or ':'",
           r.label_zh("name") + "：\"" + h.name + "\" 不能为空，也不能含空格、'>' 或 ':'");
    if (!d.host_names.insert(h.name).second)
      fail(r.node("name")->source(),
           r.label("name") + ": \"" + h.name + "\" is defined twice (hosts and routers share names)",
           r.label_zh("name") + "：\"" + h.name + "\" 定义了两次（主机和路由器共用名字）");
    read_interfaces(r.table(), "[[router]]", h, d);
    if (h.interfaces.empty())
      fail(r.where(), "[[router]] \"" + h.name + "\": a router needs at least one [[router.interface]]",
           "[[router]] \"" + h.name + "\"：路由器至少需要一个 [[router.interface]]");
    h.address = h.interfaces[0].address;
    h.prefix_len = h.interfaces[0].prefix_len;
    if (auto gw = read_ip(r, "gateway")) {
      check_gateway(h, r, "gateway", *gw);
      h.gateway = gw;
    }
    read_routes(r.table(), "[[router]]", h);
    d.sc.hosts.push_back(h);
    d.sc.network.routed = true;
  }
}

void read_switches(const toml::table& root, ScenarioDraft& d) {
  const toml::array* arr = toml_reader::table_array(root, "switch", "top-level key");
  if (!arr) return;
  for (const auto& el : *arr) {
    TableReader r(*el.as_table(), "[[switch]]", {"name", "ports"});
    ScenarioHost h;
    h.is_switch = true;
    h.name = *r.str("name", true);
    if (h.name.empty() || h.name.find_first_of(" >:") != std::string::npos)
      fail(r.node("name")->source(),
           r.label("name") + ": \"" + h.name + "\" must be non-empty, without spaces, '>' or ':'",
           r.label_zh("name") + "：\"" + h.name + "\" 不能为空，也不能含空格、'>' 或 ':'");
    if (!d.host_names.insert(h.name).second)
      fail(
          r.node("name")->source(),
          r.label("name") + ": \"" + h.name + "\" is defined twice (hosts, routers and switches share names)",
          r.label_zh("name") + "：\"" + h.name + "\" 定义了两次（主机、路由器和交换机共用名字）");
    const auto ports = r.integer("ports", 2, 64).value_or(8);
    // Ports have no IP address: a switch forwards frames by MAC address only.
    for (std::int64_t i = 1; i <= ports; ++i)
      h.interfaces.push_back(
          ScenarioInterface{"port" + std::to_string(i), wire::Ipv4Addr{}, 0, std::nullopt, 1500});
    h.prefix_len = 0;
    d.sc.hosts.push_back(h);
    d.sc.network.routed = true;
  }
}

void read_network(const toml::table& root, ScenarioDraft& d) {
  const toml::node* n = root.get("network");
  if (!n) return;
  if (!n->is_table())
    fail(n->source(), "top-level key \"network\": expected a table ([network])",
         "顶层键 \"network\"：应为表（[network]）");
  TableReader r(*n->as_table(), "[network]", {"arp", "arp_timeout"});
  d.sc.network.routed = true;
  if (auto a = r.boolean("arp")) d.sc.network.arp = *a;
  if (auto t = r.quantity<SimDuration>("arp_timeout", parse_duration)) {
    if (t->ns <= 0)
      fail(r.node("arp_timeout")->source(), r.label("arp_timeout") + ": must be above 0",
           r.label_zh("arp_timeout") + "：必须大于 0");
    d.sc.network.arp_lifetime = *t;
  }
}

}  // namespace wirestep::sections
