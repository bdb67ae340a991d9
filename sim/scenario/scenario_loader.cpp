#include "sim/scenario/scenario_loader.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "sim/scenario/comparison.hpp"
#include "sim/scenario/text_encoding.hpp"
#include "sim/scenario/units.hpp"

namespace wirestep {
namespace {

// Internal only: the first problem found unwinds to parse_scenario, which turns it into an Error.
struct ScenarioProblem {
  toml::source_position pos;
  std::string reason;
};

[[noreturn]] void fail(const toml::source_region& where, std::string reason) {
  throw ScenarioProblem{where.begin, std::move(reason)};
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = 3;  // suggest only near misses
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string quoted_list(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + ("\"" + v[i] + "\"");
  return out;
}

// Reads one TOML table, remembering which keys were used so unknown ones can be reported with a hint.
class TableReader {
 public:
  TableReader(const toml::table& t, std::string context, std::vector<std::string> allowed)
      : t_(t), context_(std::move(context)), allowed_(std::move(allowed)) {
    for (auto&& [k, v] : t_) {
      const std::string key(k.str());
      if (std::find(allowed_.begin(), allowed_.end(), key) == allowed_.end()) {
        const std::string hint = closest(key, allowed_);
        fail(k.source(), context_ + " key \"" + key + "\": unknown key" +
                             (hint.empty() ? " (known keys: " + quoted_list(allowed_) + ")"
                                           : " (did you mean \"" + hint + "\"?)"));
      }
    }
  }

  const toml::table& table() const { return t_; }
  const toml::source_region& where() const { return t_.source(); }
  bool has(std::string_view key) const { return t_.contains(key); }
  const toml::node* node(std::string_view key) const { return t_.get(key); }

  std::string label(std::string_view key) const { return context_ + " key \"" + std::string(key) + "\""; }

  [[noreturn]] void missing(std::string_view key) const {
    fail(t_.source(), label(key) + ": required but missing");
  }

  std::optional<std::string> str(std::string_view key, bool required = false) const {
    const toml::node* n = t_.get(key);
    if (!n) {
      if (required) missing(key);
      return std::nullopt;
    }
    if (!n->is_string()) fail(n->source(), label(key) + ": expected a string, found " + type_name(*n));
    return std::string(*n->value<std::string_view>());
  }

  std::optional<std::int64_t> integer(std::string_view key, std::int64_t lo, std::int64_t hi,
                                      bool required = false) const {
    const toml::node* n = t_.get(key);
    if (!n) {
      if (required) missing(key);
      return std::nullopt;
    }
    if (!n->is_integer()) fail(n->source(), label(key) + ": expected an integer, found " + type_name(*n));
    const std::int64_t v = *n->value<std::int64_t>();
    if (v < lo || v > hi)
      fail(n->source(), label(key) + ": " + std::to_string(v) + " is out of range [" + std::to_string(lo) +
                            ", " + std::to_string(hi) + "]");
    return v;
  }

  template <typename T>
  std::optional<T> quantity(std::string_view key, std::optional<T> (*parse)(std::string_view, std::string&),
                            bool required = false) const {
    auto s = str(key, required);
    if (!s) return std::nullopt;
    std::string why;
    auto v = parse(*s, why);
    if (!v) fail(t_.get(key)->source(), label(key) + ": \"" + *s + "\": " + why);
    return v;
  }

  static std::string type_name(const toml::node& n) {
    switch (n.type()) {
      case toml::node_type::string:
        return "a string";
      case toml::node_type::integer:
        return "an integer";
      case toml::node_type::floating_point:
        return "a floating-point number";
      case toml::node_type::boolean:
        return "a boolean";
      case toml::node_type::table:
        return "a table";
      case toml::node_type::array:
        return "an array";
      default:
        return "a date or time";
    }
  }

 private:
  const toml::table& t_;
  std::string context_;
  std::vector<std::string> allowed_;
};

// An array of tables ([[host]]), or an error naming what it found instead.
const toml::array* table_array(const toml::table& parent, std::string_view key, const std::string& context) {
  const toml::node* n = parent.get(key);
  if (!n) return nullptr;
  const toml::array* arr = n->as_array();
  if (!arr || !arr->is_array_of_tables())
    fail(n->source(), context + " \"" + std::string(key) + "\": expected an array of tables ([[" +
                          std::string(key) + "]]), found " + TableReader::type_name(*n));
  return arr;
}

struct Loader {
  Scenario sc;
  std::set<std::string> host_names;

  void read_meta(const toml::table& root) {
    const toml::node* n = root.get("scenario");
    if (!n || !n->is_table())
      fail(root.source(), "the [scenario] table is required (name, explanation, seed)");
    TableReader r(*n->as_table(), "[scenario]",
                  {"name", "title", "title_zh", "explanation", "explanation_zh", "seed", "duration"});
    sc.name = *r.str("name", true);
    sc.title = r.str("title").value_or(sc.name);
    sc.title_zh = r.str("title_zh").value_or("");
    sc.explanation = r.str("explanation").value_or("");
    sc.explanation_zh = r.str("explanation_zh").value_or("");
    sc.seed = static_cast<std::uint64_t>(r.integer("seed", 0, INT64_MAX).value_or(1));
    if (auto d = r.quantity<SimDuration>("duration", parse_duration)) {
      if (*d > Scenario::kMaxDuration || d->ns <= 0)
        fail(r.node("duration")->source(), r.label("duration") + ": must be above 0 and at most 3600 s");
      sc.duration = SimTime{d->ns};
    }
  }

  void read_tcp(const toml::table& root) {
    const toml::node* n = root.get("tcp");
    if (!n) return;
    if (!n->is_table()) fail(n->source(), "top-level key \"tcp\": expected a table ([tcp])");
    TableReader r(
        *n->as_table(), "[tcp]",
        {"mss", "send_buffer", "recv_buffer", "initial_window", "nagle", "delayed_ack", "delayed_ack_timeout",
         "min_rto", "initial_rto", "max_rto", "syn_retries", "retries", "msl", "window_scaling"});
    TcpConfig& c = sc.tcp;
    auto flag = [&](std::string_view key, bool& out) {
      if (const toml::node* v = r.node(key)) {
        if (!v->is_boolean())
          fail(v->source(), r.label(key) + ": expected true or false, found " + TableReader::type_name(*v));
        out = *v->value<bool>();
      }
    };
    auto bytes = [&](std::string_view key, std::uint32_t& out, std::uint64_t lo, std::uint64_t hi) {
      const toml::node* v = r.node(key);
      if (!v) return;
      std::uint64_t value;
      if (v->is_integer() && *v->value<std::int64_t>() >= 0)
        value = static_cast<std::uint64_t>(*v->value<std::int64_t>());
      else
        value = *r.quantity<std::uint64_t>(key, parse_byte_size);
      if (value < lo || value > hi)
        fail(v->source(), r.label(key) + ": " + std::to_string(value) + " bytes is outside [" +
                              std::to_string(lo) + ", " + std::to_string(hi) + "]");
      out = static_cast<std::uint32_t>(value);
    };
    if (auto v = r.integer("mss", 64, 65495)) c.mss = static_cast<std::uint16_t>(*v);
    bytes("send_buffer", c.send_buffer, 1, 1u << 30);
    bytes("recv_buffer", c.recv_buffer, 1, 1u << 30);
    if (auto v = r.integer("initial_window", 1, 1000))
      c.initial_window_segments = static_cast<std::uint32_t>(*v);
    flag("nagle", c.nagle);
    flag("delayed_ack", c.delayed_ack);
    flag("window_scaling", c.window_scaling);
    if (auto v = r.quantity<SimDuration>("delayed_ack_timeout", parse_duration)) c.delayed_ack_timeout = *v;
    if (auto v = r.quantity<SimDuration>("min_rto", parse_duration)) c.min_rto = *v;
    if (auto v = r.quantity<SimDuration>("initial_rto", parse_duration)) c.initial_rto = *v;
    if (auto v = r.quantity<SimDuration>("max_rto", parse_duration)) c.max_rto = *v;
    if (auto v = r.quantity<SimDuration>("msl", parse_duration)) c.msl = *v;
    if (auto v = r.integer("syn_retries", 0, 100)) c.syn_retries = static_cast<std::uint32_t>(*v);
    if (auto v = r.integer("retries", 0, 100)) c.data_retries = static_cast<std::uint32_t>(*v);
    if (c.min_rto > c.max_rto) fail(n->source(), "[tcp]: min_rto is larger than max_rto");
  }

  void read_hosts(const toml::table& root) {
    const toml::array* arr = table_array(root, "host", "top-level key");
    if (!arr || arr->empty()) fail(root.source(), "at least one [[host]] is required");
    std::set<std::uint32_t> addresses;
    for (const auto& el : *arr) {
      TableReader r(*el.as_table(), "[[host]]", {"name", "address"});
      ScenarioHost h;
      h.name = *r.str("name", true);
      if (h.name.empty() || h.name.find_first_of(" >:") != std::string::npos)
        fail(r.node("name")->source(),
             r.label("name") + ": \"" + h.name + "\" must be non-empty, without spaces, '>' or ':'");
      if (!host_names.insert(h.name).second)
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
      sc.hosts.push_back(h);
    }
  }

  // sendto/send: count, interval, and a text payload with its encoding. Returns whether there was a text
  // (otherwise the caller reads "bytes").
  bool read_repeat_and_text(const TableReader& r, Step& s) {
    s.count = static_cast<std::uint32_t>(r.integer("count", 1, 10'000'000).value_or(1));
    if (auto iv = r.quantity<SimDuration>("interval", parse_duration)) s.interval = *iv;
    if (r.has("text") && r.has("bytes"))
      fail(r.node("bytes")->source(), r.label("bytes") + ": give either \"text\" or \"bytes\", not both");
    const auto text = r.str("text");
    if (!text) return false;
    s.text = *text;
    s.encoding = r.str("encoding").value_or("utf-8");
    std::string why;
    // Check the encoding once now so a bad file fails at load time, not half-way through a run.
    if (!encode_text(s.text, s.encoding, why))
      fail(r.node(r.has("encoding") ? "encoding" : "text")->source(), r.label("text") + ": " + why);
    return true;
  }

  // "kind" of a packet (scripted drops, counts).
  std::optional<PacketKind> read_packet_kind(const TableReader& r) {
    const auto k = r.str("kind");
    if (!k) return std::nullopt;
    const auto kind = packet_kind_from_string(*k);
    if (!kind)
      fail(r.node("kind")->source(),
           r.label("kind") + ": \"" + *k +
               "\" is not a packet kind (any, datagram, syn, syn-ack, data, ack, fin, rst)");
    return kind;
  }

  // "proto": tcp or udp (or "any" where `allow_any`, read as Transport::Other).
  std::optional<Transport> read_proto(const TableReader& r, bool allow_any) {
    const auto p = r.str("proto");
    if (!p) return std::nullopt;
    if (*p == "tcp") return Transport::Tcp;
    if (*p == "udp") return Transport::Udp;
    if (allow_any && *p == "any") return Transport::Other;
    fail(r.node("proto")->source(),
         r.label("proto") + ": \"" + *p + "\" must be tcp" + (allow_any ? ", udp or any" : " or udp"));
  }

  // Reads `key` (required) and checks it names a host. The string is read before the node's position is
  // taken: argument evaluation order is unspecified, and a missing key must be reported, not dereferenced.
  std::string required_host(const TableReader& r, std::string_view key) {
    const std::string name = *r.str(key, true);
    return known_host(r, key, name, r.node(key)->source());
  }

  const std::string& known_host(const TableReader& r, std::string_view key, const std::string& name,
                                const toml::source_region& where) {
    if (!host_names.count(name)) {
      std::vector<std::string> names(host_names.begin(), host_names.end());
      const std::string hint = closest(name, names);
      fail(where,
           r.label(key) + ": host \"" + name + "\" is not defined" +
               (hint.empty() ? " (hosts: " + quoted_list(names) + ")" : " (did you mean \"" + hint + "\"?)"));
    }
    return name;
  }

  // The packets a scripted rule picks: kind, proto, nth (3 or [1, 4]), and the window [from, until).
  template <typename Scripted>
  void read_selection(const TableReader& r, Scripted& s) {
    if (auto k = read_packet_kind(r)) s.kind = *k;
    if (auto p = read_proto(r, true)) s.proto = *p;
    if (const toml::node* n = r.node("nth")) {
      auto add = [&](const toml::node& v) {
        if (!v.is_integer() || *v.value<std::int64_t>() < 1 || *v.value<std::int64_t>() > UINT32_MAX)
          fail(v.source(), r.label("nth") + ": occurrences are counted from 1, e.g. nth = 3 or nth = [1, 4]");
        s.nth.push_back(static_cast<std::uint32_t>(*v.value<std::int64_t>()));
      };
      if (const toml::array* a = n->as_array()) {
        if (a->empty()) fail(n->source(), r.label("nth") + ": the list is empty");
        for (const auto& v : *a) add(v);
      } else {
        add(*n);
      }
    }
    if (auto f = r.quantity<SimDuration>("from", parse_duration)) s.from = SimTime{f->ns};
    if (auto u = r.quantity<SimDuration>("until", parse_duration)) s.until = SimTime{u->ns};
    if (s.from && s.until && *s.until <= *s.from)
      fail(r.node("until")->source(), r.label("until") + ": the window ends before it starts");
  }

  Impairment read_impairment(const toml::table& t, const std::string& ctx) {
    const toml::node* type_node = t.get("type");
    if (!type_node || !type_node->is_string())
      fail(t.source(), ctx +
                           " key \"type\": required (bernoulli, gilbert-elliott, drop, delay, duplicate, "
                           "reorder, corrupt)");
    const std::string type(*type_node->value<std::string_view>());
    Impairment imp;
    if (type == "bernoulli") {
      TableReader r(t, ctx, {"type", "direction", "loss"});
      imp.kind = BernoulliLoss{*r.quantity<Ppm>("loss", parse_percent, true)};
    } else if (type == "gilbert-elliott") {
      TableReader r(t, ctx, {"type", "direction", "p", "r", "mean_burst", "loss_good", "loss_bad"});
      GilbertElliottLoss g;
      g.p = *r.quantity<Ppm>("p", parse_percent, true);
      if (r.has("r") && r.has("mean_burst"))
        fail(r.node("mean_burst")->source(),
             r.label("mean_burst") + ": give either \"r\" or \"mean_burst\", not both");
      if (auto mb = r.integer("mean_burst", 1, 1'000'000))
        g.r = static_cast<Ppm>(kPpmOne / *mb);
      else
        g.r = *r.quantity<Ppm>("r", parse_percent, true);
      g.loss_good = r.quantity<Ppm>("loss_good", parse_percent).value_or(0);
      g.loss_bad = r.quantity<Ppm>("loss_bad", parse_percent).value_or(kPpmOne);
      imp.kind = g;
    } else if (type == "drop") {
      TableReader r(t, ctx, {"type", "direction", "kind", "proto", "nth", "from", "until"});
      ScriptedDrop s;
      read_selection(r, s);
      imp.kind = s;
    } else if (type == "delay") {
      TableReader r(t, ctx, {"type", "direction", "kind", "proto", "nth", "from", "until", "delay"});
      ScriptedDelay s;
      read_selection(r, s);
      s.delay = *r.quantity<SimDuration>("delay", parse_duration, true);
      if (s.delay.ns <= 0 || s.delay > Scenario::kMaxDuration)
        fail(r.node("delay")->source(), r.label("delay") + ": must be above 0 and at most 3600 s");
      imp.kind = s;
    } else if (type == "duplicate") {
      // With "chance" every packet may be copied; with a selection (nth, kind, ...) exactly those are.
      TableReader r(t, ctx, {"type", "direction", "chance", "kind", "proto", "nth", "from", "until"});
      const bool scripted =
          r.has("nth") || r.has("kind") || r.has("proto") || r.has("from") || r.has("until");
      if (scripted && r.has("chance"))
        fail(r.node("chance")->source(),
             r.label("chance") +
                 ": give either \"chance\" or a selection (nth, kind, proto, from, until), not both");
      if (scripted) {
        ScriptedDuplicate s;
        read_selection(r, s);
        imp.kind = s;
      } else {
        imp.kind = Duplicate{*r.quantity<Ppm>("chance", parse_percent, true)};
      }
    } else if (type == "reorder") {
      TableReader r(t, ctx, {"type", "direction", "chance", "delay"});
      Reorder ro;
      ro.chance = *r.quantity<Ppm>("chance", parse_percent, true);
      if (auto d = r.quantity<SimDuration>("delay", parse_duration)) ro.extra_delay = *d;
      imp.kind = ro;
    } else if (type == "corrupt") {
      TableReader r(t, ctx, {"type", "direction", "chance"});
      imp.kind = Corrupt{*r.quantity<Ppm>("chance", parse_percent, true)};
    } else {
      const std::string hint =
          closest(type, {"bernoulli", "gilbert-elliott", "drop", "delay", "duplicate", "reorder", "corrupt"});
      fail(type_node->source(),
           ctx + " key \"type\": unknown impairment \"" + type + "\"" +
               (hint.empty() ? " (use bernoulli, gilbert-elliott, drop, delay, duplicate, reorder or corrupt)"
                             : " (did you mean \"" + hint + "\"?)"));
    }
    imp.description = describe(imp.kind);
    return imp;
  }

  // latency, jitter, bandwidth and queue of a [[link]] (both directions) or a [[link.one_way]].
  void read_link_settings(const TableReader& r, LinkParams& p) {
    if (auto v = r.quantity<SimDuration>("latency", parse_duration)) p.latency = *v;
    if (auto v = r.quantity<SimDuration>("jitter", parse_duration)) p.jitter = *v;
    if (auto v = r.quantity<std::uint64_t>("bandwidth", parse_bandwidth_bps)) {
      if (*v == 0)
        fail(r.node("bandwidth")->source(),
             r.label("bandwidth") + ": must be above 0 (omit it for an unlimited link)");
      p.bandwidth_bps = *v;
    }
    if (auto v = r.integer("queue", 1, 1'000'000)) p.queue_packets = static_cast<std::uint32_t>(*v);
  }

  void read_links(const toml::table& root) {
    const toml::array* arr = table_array(root, "link", "top-level key");
    if (!arr) return;
    std::set<std::pair<std::string, std::string>> pairs;
    for (const auto& el : *arr) {
      const toml::table& t = *el.as_table();
      TableReader r(t, "[[link]]",
                    {"between", "latency", "jitter", "bandwidth", "queue", "one_way", "impairment"});
      const toml::node* between = r.node("between");
      if (!between) r.missing("between");
      const toml::array* ends = between->as_array();
      if (!ends || ends->size() != 2 || !(*ends)[0].is_string() || !(*ends)[1].is_string())
        fail(between->source(), r.label("between") + ": expected two host names, e.g. [\"A\", \"B\"]");
      ScenarioLink link;
      link.a =
          known_host(r, "between", std::string(*(*ends)[0].value<std::string_view>()), (*ends)[0].source());
      link.b =
          known_host(r, "between", std::string(*(*ends)[1].value<std::string_view>()), (*ends)[1].source());
      if (link.a == link.b)
        fail(between->source(), r.label("between") + ": a link needs two different hosts");
      if (!pairs.insert(std::minmax(link.a, link.b)).second)
        fail(between->source(),
             r.label("between") + ": hosts \"" + link.a + "\" and \"" + link.b + "\" are already linked");
      LinkParams p;
      read_link_settings(r, p);
      link.a_to_b = p;
      link.b_to_a = p;
      const std::string ab = link.a + ">" + link.b, ba = link.b + ">" + link.a;
      // [[link.one_way]]: settings that differ in one direction (an asymmetric line).
      if (const toml::array* ways = table_array(t, "one_way", "[[link]]")) {
        std::set<std::string> seen;
        int index = 0;
        for (const auto& we : *ways) {
          ++index;
          TableReader w(*we.as_table(), "[[link.one_way]] #" + std::to_string(index),
                        {"direction", "latency", "jitter", "bandwidth", "queue"});
          const std::string dir = *w.str("direction", true);
          if (dir != ab && dir != ba)
            fail(w.node("direction")->source(),
                 w.label("direction") + ": \"" + dir + "\" must be \"" + ab + "\" or \"" + ba + "\"");
          if (!seen.insert(dir).second)
            fail(w.node("direction")->source(), w.label("direction") + ": \"" + dir + "\" is given twice");
          read_link_settings(w, dir == ab ? link.a_to_b : link.b_to_a);
        }
      }
      if (const toml::array* imps = table_array(t, "impairment", "[[link]]")) {
        int index = 0;
        for (const auto& ie : *imps) {
          ++index;
          const toml::table& it = *ie.as_table();
          const std::string ctx = "[[link.impairment]] #" + std::to_string(index);
          std::string dir = "both";
          if (const toml::node* d = it.get("direction")) {
            if (!d->is_string())
              fail(d->source(),
                   ctx + " key \"direction\": expected a string like \"" + link.a + ">" + link.b + "\"");
            dir = std::string(*d->value<std::string_view>());
          }
          if (dir != "both" && dir != ab && dir != ba)
            fail(it.get("direction")->source(), ctx + " key \"direction\": \"" + dir + "\" must be \"" + ab +
                                                    "\", \"" + ba + "\" or \"both\"");
          Impairment imp = read_impairment(it, ctx);
          if (dir == "both" || dir == ab) link.a_to_b.impairments.push_back(imp);
          if (dir == "both" || dir == ba) link.b_to_a.impairments.push_back(imp);
        }
      }
      sc.links.push_back(std::move(link));
    }
  }

  // "B:8080", "10.0.0.2:8080"
  void read_destination(const TableReader& r, Step& s) {
    const std::string to = *r.str("to", true);
    const auto colon = to.rfind(':');
    const auto& where = r.node("to")->source();
    if (colon == std::string::npos)
      fail(where, r.label("to") + ": \"" + to + "\" needs a port, e.g. \"B:8080\" or \"10.0.0.2:8080\"");
    const std::string host = to.substr(0, colon), port = to.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) ||
        std::stoi(port) > 65535 || std::stoi(port) == 0)
      fail(where, r.label("to") + ": port \"" + port + "\" must be 1..65535");
    s.to_port = static_cast<std::uint16_t>(std::stoi(port));
    if (auto ip = wire::Ipv4Addr::parse(host)) {
      s.to_addr = *ip;  // any address, even one no host has: the lesson may be "no route"
      return;
    }
    known_host(r, "to", host, where);
    for (const auto& h : sc.hosts)
      if (h.name == host) s.to_addr = h.address;
  }

  Step read_step(const toml::table& t, const std::string& ctx) {
    const toml::node* call_node = t.get("call");
    if (!call_node || !call_node->is_string())
      fail(t.source(),
           ctx +
               " key \"call\": required (bind, listen, accept, connect, send, recv, sendto, recvfrom, "
               "shutdown, close, sleep)");
    const std::string call(*call_node->value<std::string_view>());
    Step s;
    s.line = static_cast<int>(t.source().begin.line);
    auto read_at = [&](const TableReader& r) {
      if (auto at = r.quantity<SimDuration>("at", parse_duration)) s.at = SimTime{at->ns};
    };
    if (call == "bind") {
      TableReader r(t, ctx, {"call", "at", "port"});
      read_at(r);
      s.call = Step::Call::Bind;
      s.port = static_cast<std::uint16_t>(*r.integer("port", 0, 65535, true));
    } else if (call == "sendto") {
      TableReader r(t, ctx, {"call", "at", "to", "text", "encoding", "bytes", "count", "interval"});
      read_at(r);
      s.call = Step::Call::SendTo;
      read_destination(r, s);
      if (read_repeat_and_text(r, s)) {
      } else if (auto n = r.integer("bytes", 0, 65507)) {
        s.size = static_cast<std::uint32_t>(*n);
      } else {
        fail(t.source(), ctx + ": sendto needs \"text\" or \"bytes\"");
      }
    } else if (call == "recvfrom") {
      TableReader r(t, ctx, {"call", "at", "size", "count"});
      read_at(r);
      s.call = Step::Call::RecvFrom;
      s.size = static_cast<std::uint32_t>(*r.integer("size", 1, 65535, true));
      s.count = static_cast<std::uint32_t>(r.integer("count", 1, 10'000'000).value_or(1));
    } else if (call == "sleep") {
      TableReader r(t, ctx, {"call", "at", "duration"});
      read_at(r);
      s.call = Step::Call::Sleep;
      s.duration = *r.quantity<SimDuration>("duration", parse_duration, true);
    } else if (call == "close") {
      TableReader r(t, ctx, {"call", "at", "on"});
      read_at(r);
      s.on = r.str("on").value_or("");
      s.call = Step::Call::Close;
    } else if (call == "listen") {
      TableReader r(t, ctx, {"call", "at", "backlog", "on"});
      read_at(r);
      s.call = Step::Call::Listen;
      s.on = r.str("on").value_or("");
      s.backlog = static_cast<std::uint32_t>(r.integer("backlog", 1, 65535).value_or(5));
    } else if (call == "accept") {
      TableReader r(t, ctx, {"call", "at", "as", "on"});
      read_at(r);
      s.call = Step::Call::Accept;
      s.on = r.str("on").value_or("");
      s.as = r.str("as").value_or("conn");
    } else if (call == "connect") {
      TableReader r(t, ctx, {"call", "at", "to", "on"});
      read_at(r);
      s.call = Step::Call::Connect;
      s.on = r.str("on").value_or("");
      read_destination(r, s);
    } else if (call == "send") {
      TableReader r(t, ctx, {"call", "at", "text", "encoding", "bytes", "count", "interval", "on"});
      read_at(r);
      s.call = Step::Call::Send;
      s.on = r.str("on").value_or("");
      if (read_repeat_and_text(r, s)) {
      } else if (const toml::node* b = r.node("bytes")) {
        // A count ("bytes = 1000") or a size with a unit ("bytes = \"1MB\"").
        if (b->is_integer()) {
          const std::int64_t v = *b->value<std::int64_t>();
          if (v < 0 || v > (std::int64_t{1} << 40))
            fail(b->source(), r.label("bytes") + ": must be 0..1 TiB");
          s.send_bytes = static_cast<std::uint64_t>(v);
        } else {
          s.send_bytes = *r.quantity<std::uint64_t>("bytes", parse_byte_size);
        }
      } else {
        fail(t.source(), ctx + ": send needs \"text\" or \"bytes\"");
      }
    } else if (call == "recv") {
      TableReader r(t, ctx, {"call", "at", "size", "count", "until_eof", "on"});
      read_at(r);
      s.call = Step::Call::Recv;
      s.on = r.str("on").value_or("");
      s.size = static_cast<std::uint32_t>(r.integer("size", 1, 16 << 20, true).value_or(1024));
      s.count = static_cast<std::uint32_t>(r.integer("count", 1, 10'000'000).value_or(1));
      if (const toml::node* u = r.node("until_eof")) {
        if (!u->is_boolean())
          fail(u->source(),
               r.label("until_eof") + ": expected true or false, found " + TableReader::type_name(*u));
        s.until_eof = *u->value<bool>();
      }
    } else if (call == "shutdown") {
      TableReader r(t, ctx, {"call", "at", "on"});
      read_at(r);
      s.call = Step::Call::Shutdown;
      s.on = r.str("on").value_or("");
    } else {
      const std::string hint = closest(call, {"bind", "sendto", "recvfrom", "sleep", "close", "listen",
                                              "accept", "connect", "send", "recv", "shutdown"});
      fail(call_node->source(),
           ctx + " key \"call\": unknown socket call \"" + call + "\"" +
               (hint.empty() ? " (use bind, listen, accept, connect, send, recv, sendto, recvfrom, "
                               "shutdown, close or sleep)"
                             : " (did you mean \"" + hint + "\"?)"));
    }
    return s;
  }

  void read_comparison(const toml::table& root) {
    const toml::node* n = root.get("comparison");
    if (!n) return;
    if (!n->is_table()) fail(n->source(), "top-level key \"comparison\": expected a table ([comparison])");
    TableReader r(*n->as_table(), "[comparison]",
                  {"from", "to", "port", "messages", "size", "interval", "start"});
    ComparisonWorkload w;
    w.from = required_host(r, "from");
    w.to = required_host(r, "to");
    if (w.from == w.to)
      fail(r.node("to")->source(), r.label("to") + ": sender and receiver must be different hosts");
    w.port = static_cast<std::uint16_t>(r.integer("port", 1, 65535).value_or(9000));
    w.messages = static_cast<std::uint32_t>(r.integer("messages", 1, 1'000'000).value_or(100));
    w.size = static_cast<std::uint32_t>(r.integer("size", 16, 65507).value_or(1000));
    if (auto v = r.quantity<SimDuration>("interval", parse_duration)) w.interval = *v;
    if (auto v = r.quantity<SimDuration>("start", parse_duration)) w.start = SimTime{v->ns};
    if (!sc.programs.empty())
      fail(n->source(), "[comparison] generates the programs itself: remove the [[program]] tables");
    sc.comparison = w;
  }

  template <typename E>
  E parse_enum(const TableReader& r, std::string_view key, const std::string& value,
               std::initializer_list<E> all, const toml::source_region& where) {
    std::vector<std::string> names;
    for (E e : all) {
      if (to_string(e) == value) return e;
      names.emplace_back(to_string(e));
    }
    const std::string hint = closest(value, names);
    fail(where,
         r.label(key) + ": unknown value \"" + value + "\"" +
             (hint.empty() ? " (use " + quoted_list(names) + ")" : " (did you mean \"" + hint + "\"?)"));
  }

  void read_expectations(const toml::table& root) {
    const toml::array* arr = table_array(root, "expect", "top-level key");
    if (!arr) return;
    int index = 0;
    for (const auto& el : *arr) {
      ++index;
      const toml::table& t = *el.as_table();
      const std::string ctx = "[[expect]] #" + std::to_string(index);
      TableReader r(t, ctx,
                    {"text",
                     "run",
                     "state",
                     "host",
                     "by",
                     "flags",
                     "from",
                     "exactly",
                     "count",
                     "equals",
                     "at_least",
                     "at_most",
                     "program",
                     "bytes_received",
                     "messages_received",
                     "recv_returned_zero",
                     "finished",
                     "error_contains",
                     "compare",
                     "relation"});
      Expectation e;
      e.line = static_cast<int>(t.source().begin.line);
      e.text = *r.str("text", true);
      if (auto run = r.str("run")) {
        if (*run != "tcp" && *run != "udp")
          fail(r.node("run")->source(), r.label("run") + ": must be \"tcp\" or \"udp\"");
        if (!sc.comparison)
          fail(r.node("run")->source(), r.label("run") + ": only comparison scenarios have two runs");
        e.run = *run;
      }
      auto bounds = [&] {
        auto get = [&](std::string_view key) -> std::optional<std::uint64_t> {
          if (auto v = r.integer(key, 0, INT64_MAX)) return static_cast<std::uint64_t>(*v);
          return std::nullopt;
        };
        e.equals = get("equals");
        e.at_least = get("at_least");
        e.at_most = get("at_most");
        if (!e.equals && !e.at_least && !e.at_most)
          fail(t.source(), ctx + ": a count needs \"equals\", \"at_least\" or \"at_most\"");
      };
      const int kinds =
          r.has("state") + r.has("flags") + r.has("count") + r.has("program") + r.has("compare");
      if (kinds != 1)
        fail(t.source(),
             ctx + ": give exactly one of \"state\", \"flags\", \"count\", \"program\" or \"compare\"");
      e.from = r.has("from") ? required_host(r, "from") : "";
      if (auto st = r.str("state")) {
        e.kind = Expectation::Kind::State;
        e.state = parse_enum(r, "state", *st,
                             {TcpState::Closed, TcpState::Listen, TcpState::SynSent, TcpState::SynReceived,
                              TcpState::Established, TcpState::FinWait1, TcpState::FinWait2,
                              TcpState::CloseWait, TcpState::Closing, TcpState::LastAck, TcpState::TimeWait},
                             r.node("state")->source());
        e.host = required_host(r, "host");
        if (auto by = r.quantity<SimDuration>("by", parse_duration)) e.by = SimTime{by->ns};
      } else if (const toml::node* f = r.node("flags")) {
        e.kind = Expectation::Kind::Flags;
        const toml::array* list = f->as_array();
        if (!list || list->empty())
          fail(f->source(), r.label("flags") + ": expected a list like [\"SYN\", \"SYN,ACK\", \"ACK\"]");
        for (const auto& item : *list) {
          if (!item.is_string())
            fail(item.source(), r.label("flags") + ": each entry is a string like \"SYN,ACK\"");
          std::uint8_t bits = 0;
          std::string word;
          const std::string text(*item.value<std::string_view>());
          for (std::size_t i = 0; i <= text.size(); ++i) {
            if (i < text.size() && text[i] != ',' && text[i] != '-' && text[i] != ' ') {
              word += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
              continue;
            }
            if (word.empty()) continue;
            const std::uint8_t bit = word == "SYN"   ? wire::tcp_flag::kSyn
                                     : word == "ACK" ? wire::tcp_flag::kAck
                                     : word == "FIN" ? wire::tcp_flag::kFin
                                     : word == "RST" ? wire::tcp_flag::kRst
                                                     : 0;
            if (!bit)
              fail(item.source(), r.label("flags") + ": \"" + word + "\" is not SYN, ACK, FIN or RST");
            bits |= bit;
            word.clear();
          }
          e.flags.push_back(bits);
        }
        if (const toml::node* x = r.node("exactly")) {
          if (!x->is_boolean()) fail(x->source(), r.label("exactly") + ": expected true or false");
          e.exactly = *x->value<bool>();
        }
      } else if (const toml::node* c = r.node("count")) {
        e.kind = Expectation::Kind::Count;
        if (!c->is_table())
          fail(c->source(), r.label("count") + ": expected a table like { cause = \"rto-retransmission\" }");
        TableReader cr(*c->as_table(), ctx + " count", {"cause", "fate", "kind", "proto"});
        if (auto v = cr.str("cause"); v && *v == "retransmission")
          e.any_retransmission = true;
        else if (v)
          e.cause =
              parse_enum(cr, "cause", *v,
                         {Cause::Datagram, Cause::FirstTransmission, Cause::RtoRetransmission,
                          Cause::FastRetransmission, Cause::RecoveryRetransmission, Cause::RepeatedSynAnswer,
                          Cause::ZeroWindowProbe, Cause::PureAck, Cause::DuplicateAck, Cause::WindowUpdate,
                          Cause::KeepAlive, Cause::Reset, Cause::LinkDuplicate},
                         cr.node("cause")->source());
        if (auto v = cr.str("fate"))
          e.fate = parse_enum(cr, "fate", *v,
                              {Fate::Delivered, Fate::DroppedByLink, Fate::DroppedByQueue,
                               Fate::DroppedByHost, Fate::InFlight},
                              cr.node("fate")->source());
        e.packet_kind = read_packet_kind(cr);
        e.proto = read_proto(cr, false);
        bounds();
      } else if (auto prog = r.str("program")) {
        e.kind = Expectation::Kind::Program;
        e.program = *prog;
        if (!sc.comparison) {
          bool found = false;
          std::vector<std::string> names;
          for (const auto& p : sc.programs) {
            found |= p.name == *prog;
            names.push_back(p.name);
          }
          if (!found) {
            const std::string hint = closest(*prog, names);
            fail(r.node("program")->source(), r.label("program") + ": no program named \"" + *prog + "\"" +
                                                  (hint.empty() ? " (programs: " + quoted_list(names) + ")"
                                                                : " (did you mean \"" + hint + "\"?)"));
          }
        }
        if (auto v = r.integer("bytes_received", 0, INT64_MAX))
          e.bytes_received = static_cast<std::uint64_t>(*v);
        if (auto v = r.integer("messages_received", 0, INT64_MAX))
          e.messages_received = static_cast<std::uint64_t>(*v);
        auto flag = [&](std::string_view key, std::optional<bool>& out) {
          if (const toml::node* v = r.node(key)) {
            if (!v->is_boolean()) fail(v->source(), r.label(key) + ": expected true or false");
            out = *v->value<bool>();
          }
        };
        flag("recv_returned_zero", e.recv_returned_zero);
        flag("finished", e.finished);
        e.error_contains = r.str("error_contains");
      } else if (auto m = r.str("compare")) {
        e.kind = Expectation::Kind::Compare;
        if (!sc.comparison)
          fail(r.node("compare")->source(),
               r.label("compare") + ": only a scenario with [comparison] has TCP and UDP runs to compare");
        const auto& names = metric_names();
        if (std::find(names.begin(), names.end(), *m) == names.end()) {
          const std::string hint = closest(*m, names);
          fail(r.node("compare")->source(), r.label("compare") + ": unknown metric \"" + *m + "\"" +
                                                (hint.empty() ? " (use " + quoted_list(names) + ")"
                                                              : " (did you mean \"" + hint + "\"?)"));
        }
        e.metric = *m;
        e.relation = *r.str("relation", true);
        if (e.relation != "<" && e.relation != "<=" && e.relation != "==" && e.relation != ">=" &&
            e.relation != ">")
          fail(r.node("relation")->source(),
               r.label("relation") + ": must be one of <, <=, ==, >=, > (TCP's value on the left)");
      }
      sc.expectations.push_back(std::move(e));
    }
  }

  void read_programs(const toml::table& root) {
    const toml::array* arr = table_array(root, "program", "top-level key");
    if (!arr) return;
    for (const auto& el : *arr) {
      const toml::table& t = *el.as_table();
      TableReader r(t, "[[program]]", {"name", "host", "socket", "step"});
      ScenarioProgram p;
      // Read "host" first: arguments are evaluated in no fixed order, and node("host") is null when it is
      // missing.
      const std::string host = *r.str("host", true);
      p.host = known_host(r, "host", host, r.node("host")->source());
      p.name = r.str("name").value_or(p.host + " program");
      if (auto sock = r.str("socket")) {
        if (*sock != "udp" && *sock != "tcp")
          fail(r.node("socket")->source(),
               r.label("socket") + ": \"" + *sock + "\" must be \"udp\" or \"tcp\"");
        p.tcp = *sock == "tcp";
      }
      const toml::array* steps = table_array(t, "step", "[[program]]");
      if (!steps || steps->empty())
        fail(t.source(), "[[program]] \"" + p.name + "\": needs at least one [[program.step]]");
      std::optional<SimTime> last_at;
      int index = 0;
      for (const auto& se : *steps) {
        ++index;
        Step s = read_step(*se.as_table(),
                           "[[program.step]] #" + std::to_string(index) + " of \"" + p.name + "\"");
        if (s.at) {
          if (last_at && *s.at < *last_at)
            fail(se.as_table()->get("at")->source(), "[[program.step]] #" + std::to_string(index) + " of \"" +
                                                         p.name + "\" key \"at\": time goes backwards (" +
                                                         format_millis(*s.at) + " ms comes after a step at " +
                                                         format_millis(*last_at) + " ms)");
          last_at = s.at;
        }
        p.steps.push_back(std::move(s));
      }
      sc.programs.push_back(std::move(p));
    }
  }
};

}  // namespace

Result<Scenario> parse_scenario(std::string_view toml_text, const std::string& file) {
  try {
    toml::table root = toml::parse(toml_text, file);
    TableReader top(root, "top level",
                    {"scenario", "tcp", "host", "link", "program", "comparison", "expect"});
    Loader l;
    l.sc.file = file;
    l.read_meta(root);
    l.read_tcp(root);
    l.read_hosts(root);
    l.read_links(root);
    l.read_programs(root);
    l.read_comparison(root);
    l.read_expectations(root);
    return std::move(l.sc);
  } catch (const toml::parse_error& e) {
    const auto& pos = e.source().begin;
    return Error{file, "line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column),
                 "TOML syntax: " + std::string(e.description())};
  } catch (const ScenarioProblem& p) {
    return Error{file, "line " + std::to_string(p.pos.line) + ", column " + std::to_string(p.pos.column),
                 p.reason};
  }
}

Result<Scenario> load_scenario_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path, "", "cannot open the scenario file (does it exist and is it readable?)"};
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  if (text.size() > 16 * 1024 * 1024)
    return Error{path, "", "scenario file larger than 16 MiB: refusing to read it"};
  return parse_scenario(text, path);
}

}  // namespace wirestep
