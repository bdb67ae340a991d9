// [[link.impairment]]: random loss (Bernoulli, Gilbert-Elliott), scripted drops, delays and copies of
// chosen packets, reordering and corruption; and the packet fields ("kind", "proto") that pick packets here
// and in an [[expect]] count.
#include "sim/scenario/section_readers.hpp"
#include "sim/scenario/units.hpp"

namespace wirestep::sections {
namespace {

using toml_reader::fail;

// The packets a scripted rule picks: kind, proto, nth (3 or [1, 4]), and the window [from, until).
template <typename Scripted>
void read_selection(const TableReader& r, Scripted& s) {
  if (auto k = read_packet_kind(r)) s.kind = *k;
  if (auto p = read_proto(r, true)) s.proto = *p;
  if (const toml::node* n = r.node("nth")) {
    auto add = [&](const toml::node& v) {
      if (!v.is_integer() || *v.value<std::int64_t>() < 1 || *v.value<std::int64_t>() > UINT32_MAX)
        fail(v.source(), r.label("nth") + ": occurrences are counted from 1, e.g. nth = 3 or nth = [1, 4]",
             r.label_zh("nth") + "：次数从 1 开始数，例如 nth = 3 或 nth = [1, 4]");
      s.nth.push_back(static_cast<std::uint32_t>(*v.value<std::int64_t>()));
    };
    if (const toml::array* a = n->as_array()) {
      if (a->empty())
        fail(n->source(), r.label("nth") + ": the list is empty", r.label_zh("nth") + "：列表是空的");
      for (const auto& v : *a) add(v);
    } else {
      add(*n);
    }
  }
  if (auto f = r.quantity<SimDuration>("from", parse_duration)) s.from = SimTime{f->ns};
  if (auto u = r.quantity<SimDuration>("until", parse_duration)) s.until = SimTime{u->ns};
  if (s.from && s.until && *s.until <= *s.from)
    fail(r.node("until")->source(), r.label("until") + ": the window ends before it starts",
         r.label_zh("until") + "：时间窗口在开始之前就结束了");
}

GilbertElliottLoss read_gilbert_elliott(const TableReader& r) {
  GilbertElliottLoss g;
  g.p = *r.quantity<Ppm>("p", parse_percent, true);
  if (r.has("r") && r.has("mean_burst"))
    fail(r.node("mean_burst")->source(),
         r.label("mean_burst") + ": give either \"r\" or \"mean_burst\", not both",
         r.label_zh("mean_burst") + "：\"r\" 和 \"mean_burst\" 只能给一个");
  if (auto mb = r.integer("mean_burst", 1, 1'000'000))
    g.r = static_cast<Ppm>(kPpmOne / *mb);
  else
    g.r = *r.quantity<Ppm>("r", parse_percent, true);
  g.loss_good = r.quantity<Ppm>("loss_good", parse_percent).value_or(0);
  g.loss_bad = r.quantity<Ppm>("loss_bad", parse_percent).value_or(kPpmOne);
  return g;
}

// With "chance" every packet may be copied; with a selection (nth, kind, ...) exactly those are.
ImpairmentKind read_duplicate(const TableReader& r) {
  const bool scripted = r.has("nth") || r.has("kind") || r.has("proto") || r.has("from") || r.has("until");
  if (scripted && r.has("chance"))
    fail(r.node("chance")->source(),
         r.label("chance") +
             ": give either \"chance\" or a selection (nth, kind, proto, from, until), not both",
         r.label_zh("chance") + "：\"chance\" 和选择条件（nth、kind、proto、from、until）只能给一种");
  if (!scripted) return Duplicate{*r.quantity<Ppm>("chance", parse_percent, true)};
  ScriptedDuplicate s;
  read_selection(r, s);
  return s;
}

// With "chance" any packet may be corrupted; with a selection exactly those are (a lesson's one bad packet).
ImpairmentKind read_corrupt(const TableReader& r) {
  const bool scripted = r.has("nth") || r.has("kind") || r.has("proto") || r.has("from") || r.has("until");
  if (scripted && r.has("chance"))
    fail(r.node("chance")->source(),
         r.label("chance") +
             ": give either \"chance\" or a selection (nth, kind, proto, from, until), not both",
         r.label_zh("chance") + "：\"chance\" 和选择条件（nth、kind、proto、from、until）只能给一种");
  if (!scripted) return Corrupt{*r.quantity<Ppm>("chance", parse_percent, true)};
  ScriptedCorrupt s;
  read_selection(r, s);
  return s;
}

}  // namespace

std::optional<PacketKind> read_packet_kind(const TableReader& r) {
  const auto k = r.str("kind");
  if (!k) return std::nullopt;
  const auto kind = packet_kind_from_string(*k);
  if (!kind)
    fail(r.node("kind")->source(),
         r.label("kind") + ": \"" + *k +
             "\" is not a packet kind (any, datagram, syn, syn-ack, data, ack, fin, rst)",
         r.label_zh("kind") + "：\"" + *k +
             "\" 不是包的种类（any、datagram、syn、syn-ack、data、ack、fin、rst）");
  return kind;
}

// "proto": tcp or udp (or "any" where `allow_any`, read as Transport::Other).
std::optional<Transport> read_proto(const TableReader& r, bool allow_any) {
  const auto p = r.str("proto");
  if (!p) return std::nullopt;
  if (*p == "tcp") return Transport::Tcp;
  if (*p == "udp") return Transport::Udp;
  // Routed networks (issue #18) also carry ICMP and ARP; counting them is what their lessons expect.
  if (*p == "icmp") return Transport::Icmp;
  if (*p == "arp") return Transport::Arp;
  if (allow_any && *p == "any") return Transport::Other;
  fail(r.node("proto")->source(),
       r.label("proto") + ": \"" + *p + "\" must be tcp" +
           (allow_any ? ", udp, icmp, arp or any" : ", udp, icmp or arp"),
       r.label_zh("proto") + "：\"" + *p + "\" 必须是 tcp" +
           (allow_any ? "、udp、icmp、arp 或 any" : "、udp、icmp 或 arp"));
}

Impairment read_impairment(const toml::table& t, const std::string& ctx) {
  const toml::node* type_node = t.get("type");
  if (!type_node || !type_node->is_string())
    fail(t.source(),
         ctx +
             " key \"type\": required (bernoulli, gilbert-elliott, drop, delay, duplicate, "
             "reorder, corrupt)",
         toml_reader::context_zh(ctx) +
             " 的键 "
             "\"type\"：必须给出（bernoulli、gilbert-elliott、drop、delay、duplicate、reorder、corrupt）");
  const std::string type(*type_node->value<std::string_view>());
  Impairment imp;
  if (type == "bernoulli") {
    TableReader r(t, ctx, {"type", "direction", "loss"});
    imp.kind = BernoulliLoss{*r.quantity<Ppm>("loss", parse_percent, true)};
  } else if (type == "gilbert-elliott") {
    TableReader r(t, ctx, {"type", "direction", "p", "r", "mean_burst", "loss_good", "loss_bad"});
    imp.kind = read_gilbert_elliott(r);
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
      fail(r.node("delay")->source(), r.label("delay") + ": must be above 0 and at most 3600 s",
           r.label_zh("delay") + "：必须大于 0 且不超过 3600 s");
    imp.kind = s;
  } else if (type == "duplicate") {
    TableReader r(t, ctx, {"type", "direction", "chance", "kind", "proto", "nth", "from", "until"});
    imp.kind = read_duplicate(r);
  } else if (type == "reorder") {
    TableReader r(t, ctx, {"type", "direction", "chance", "delay"});
    Reorder ro;
    ro.chance = *r.quantity<Ppm>("chance", parse_percent, true);
    if (auto d = r.quantity<SimDuration>("delay", parse_duration)) ro.extra_delay = *d;
    imp.kind = ro;
  } else if (type == "corrupt") {
    TableReader r(t, ctx, {"type", "direction", "chance", "kind", "proto", "nth", "from", "until"});
    imp.kind = read_corrupt(r);
  } else {
    fail(type_node->source(),
         ctx + " key \"type\": unknown impairment \"" + type + "\"" +
             toml_reader::did_you_mean(
                 type, {"bernoulli", "gilbert-elliott", "drop", "delay", "duplicate", "reorder", "corrupt"},
                 " (use bernoulli, gilbert-elliott, drop, delay, duplicate, reorder or corrupt)"),
         toml_reader::context_zh(ctx) + " 的键 \"type\"：未知的损伤类型 \"" + type + "\"" +
             toml_reader::did_you_mean_zh(
                 type, {"bernoulli", "gilbert-elliott", "drop", "delay", "duplicate", "reorder", "corrupt"},
                 "（可用：bernoulli、gilbert-elliott、drop、delay、duplicate、reorder、corrupt）"));
  }
  imp.description = describe(imp.kind);
  return imp;
}

}  // namespace wirestep::sections
