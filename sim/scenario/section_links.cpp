// [[link]]: which hosts (or "host:interface") it joins, its latency, jitter, bandwidth and queue, the
// [[link.one_way]] settings of an asymmetric line, and its [[link.impairment]]s with the direction each
// applies to.
#include <algorithm>

#include "sim/scenario/section_readers.hpp"
#include "sim/scenario/units.hpp"

namespace wirestep::sections {
namespace {

using toml_reader::fail;

// latency, jitter, bandwidth and queue of a [[link]] (both directions) or a [[link.one_way]].
void read_link_settings(const TableReader& r, LinkParams& p) {
  if (auto v = r.quantity<SimDuration>("latency", parse_duration)) p.latency = *v;
  if (auto v = r.quantity<SimDuration>("jitter", parse_duration)) p.jitter = *v;
  if (auto v = r.quantity<std::uint64_t>("bandwidth", parse_bandwidth_bps)) {
    if (*v == 0)
      fail(r.node("bandwidth")->source(),
           r.label("bandwidth") + ": must be above 0 (omit it for an unlimited link)",
           r.label_zh("bandwidth") + "：必须大于 0（不限速的链路不写这个键）");
    p.bandwidth_bps = *v;
  }
  if (auto v = r.integer("queue", 1, 1'000'000)) p.queue_packets = static_cast<std::uint32_t>(*v);
}

// [[link.one_way]]: settings that differ in one direction (an asymmetric line).
void read_one_ways(const toml::table& t, ScenarioLink& link, const std::string& ab, const std::string& ba) {
  const toml::array* ways = toml_reader::table_array(t, "one_way", "[[link]]");
  if (!ways) return;
  std::set<std::string> seen;
  int index = 0;
  for (const auto& we : *ways) {
    ++index;
    TableReader w(*we.as_table(), "[[link.one_way]] #" + std::to_string(index),
                  {"direction", "latency", "jitter", "bandwidth", "queue"});
    const std::string dir = *w.str("direction", true);
    if (dir != ab && dir != ba)
      fail(w.node("direction")->source(),
           w.label("direction") + ": \"" + dir + "\" must be \"" + ab + "\" or \"" + ba + "\"",
           w.label_zh("direction") + "：\"" + dir + "\" 必须是 \"" + ab + "\" 或 \"" + ba + "\"");
    if (!seen.insert(dir).second)
      fail(w.node("direction")->source(), w.label("direction") + ": \"" + dir + "\" is given twice",
           w.label_zh("direction") + "：\"" + dir + "\" 出现了两次");
    read_link_settings(w, dir == ab ? link.a_to_b : link.b_to_a);
  }
}

void read_link_impairments(const toml::table& t, ScenarioLink& link, const std::string& ab,
                           const std::string& ba) {
  const toml::array* imps = toml_reader::table_array(t, "impairment", "[[link]]");
  if (!imps) return;
  int index = 0;
  for (const auto& ie : *imps) {
    ++index;
    const toml::table& it = *ie.as_table();
    const std::string ctx = "[[link.impairment]] #" + std::to_string(index);
    std::string dir = "both";
    if (const toml::node* dn = it.get("direction")) {
      if (!dn->is_string())
        fail(dn->source(),
             ctx + " key \"direction\": expected a string like \"" + link.a + ">" + link.b + "\"",
             ctx + " 的键 \"direction\"：应为字符串，例如 \"" + link.a + ">" + link.b + "\"");
      dir = std::string(*dn->value<std::string_view>());
    }
    if (dir != "both" && dir != ab && dir != ba)
      fail(it.get("direction")->source(),
           ctx + " key \"direction\": \"" + dir + "\" must be \"" + ab + "\", \"" + ba + "\" or \"both\"",
           ctx + " 的键 \"direction\"：\"" + dir + "\" 必须是 \"" + ab + "\"、\"" + ba + "\" 或 \"both\"");
    Impairment imp = read_impairment(it, ctx);
    if (dir == "both" || dir == ab) link.a_to_b.impairments.push_back(imp);
    if (dir == "both" || dir == ba) link.b_to_a.impairments.push_back(imp);
  }
}

// An interface named at a link end exists; in a routed network every interface is on one link at most (a
// wire has two ends; a host on two links needs two interfaces, as a router has).
void check_link_interfaces(const ScenarioDraft& d, const TableReader& r, const toml::source_region& where,
                           ScenarioLink& link, std::set<std::pair<std::string, std::string>>& linked) {
  for (int k = 0; k < 2; ++k) {
    const std::string& node = k == 0 ? link.a : link.b;
    std::string& ifname = k == 0 ? link.a_if : link.b_if;
    const ScenarioHost* h = nullptr;
    for (const auto& x : d.sc.hosts)
      if (x.name == node) h = &x;
    if (!h) continue;
    std::vector<std::string> names;
    for (const auto& i : h->interfaces) names.push_back(i.name);
    if (ifname.empty()) {
      if (!d.sc.network.routed) continue;
      // The first interface not yet on a link, so two links to a router fill eth0, eth1, ...
      for (const auto& n : names)
        if (!linked.count({node, n})) {
          ifname = n;
          break;
        }
      if (ifname.empty()) ifname = names.at(0);
    } else if (std::find(names.begin(), names.end(), ifname) == names.end()) {
      fail(where,
           r.label("between") + ": \"" + node + "\" has no interface \"" + ifname + "\"" +
               toml_reader::did_you_mean(ifname, names,
                                         " (interfaces: " + toml_reader::quoted_list(names) + ")"),
           r.label_zh("between") + "：\"" + node + "\" 没有接口 \"" + ifname + "\"" +
               toml_reader::did_you_mean_zh(ifname, names,
                                            "（接口：" + toml_reader::quoted_list(names) + "）"));
    }
    if (d.sc.network.routed && !linked.insert({node, ifname}).second)
      fail(where,
           r.label("between") + ": interface \"" + ifname + "\" of \"" + node +
               "\" is already on a link (one wire per interface; give the node another interface)",
           r.label_zh("between") + "：\"" + node + "\" 的接口 \"" + ifname +
               "\" 已经连在一条链路上（一个接口只接一根线；请给它再加一个接口）");
  }
}

}  // namespace

void read_links(const toml::table& root, ScenarioDraft& d) {
  const toml::array* arr = toml_reader::table_array(root, "link", "top-level key");
  if (!arr) return;
  std::set<std::pair<std::string, std::string>> pairs;
  std::set<std::pair<std::string, std::string>> linked;  // (node, interface) already on a link
  for (const auto& el : *arr) {
    const toml::table& t = *el.as_table();
    TableReader r(t, "[[link]]",
                  {"between", "latency", "jitter", "bandwidth", "queue", "one_way", "impairment"});
    const toml::node* between = r.node("between");
    if (!between) r.missing("between");
    const toml::array* ends = between->as_array();
    if (!ends || ends->size() != 2 || !(*ends)[0].is_string() || !(*ends)[1].is_string())
      fail(between->source(), r.label("between") + ": expected two host names, e.g. [\"A\", \"B\"]",
           r.label_zh("between") + "：应为两个主机名，例如 [\"A\", \"B\"]");
    ScenarioLink link;
    // Each end names a node, or "node:interface" for a node with several (issue #18).
    auto end = [&](std::size_t k, std::string& node, std::string& ifname) {
      const std::string text(*(*ends)[k].value<std::string_view>());
      const auto colon = text.find(':');
      node = known_host(d, r, "between", text.substr(0, colon), (*ends)[k].source());
      if (colon != std::string::npos) ifname = text.substr(colon + 1);
    };
    end(0, link.a, link.a_if);
    end(1, link.b, link.b_if);
    if (link.a == link.b)
      fail(between->source(), r.label("between") + ": a link needs two different hosts",
           r.label_zh("between") + "：一条链路需要两个不同的主机");
    if (!pairs.insert(std::minmax(link.a, link.b)).second && !d.sc.network.routed)
      fail(between->source(),
           r.label("between") + ": hosts \"" + link.a + "\" and \"" + link.b + "\" are already linked",
           r.label_zh("between") + "：主机 \"" + link.a + "\" 和 \"" + link.b + "\" 之间已经有链路");
    check_link_interfaces(d, r, between->source(), link, linked);
    LinkParams p;
    read_link_settings(r, p);
    link.a_to_b = p;
    link.b_to_a = p;
    const std::string ab = link.a + ">" + link.b, ba = link.b + ">" + link.a;
    read_one_ways(t, link, ab, ba);
    read_link_impairments(t, link, ab, ba);
    d.sc.links.push_back(std::move(link));
  }
}

}  // namespace wirestep::sections
