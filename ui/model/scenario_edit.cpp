#include "ui/model/scenario_edit.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

#include <toml++/toml.h>

#include "sim/net/impairment.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace wirestep {
namespace {

// The order tables have in the bundled lessons; toml++ keeps keys sorted, so text() writes one at a time.
constexpr std::string_view kTopLevelOrder[] = {"scenario",   "tcp",     "host",  "link",
                                               "comparison", "program", "expect"};

Error edit_error(std::string reason) {
  return Error{"", "", std::move(reason)};
}

std::string trim_decimals(std::int64_t whole, std::int64_t frac, int digits) {
  std::string out = std::to_string(whole);
  if (frac == 0) return out;
  std::string f = std::to_string(frac);
  f.insert(0, static_cast<std::size_t>(digits) - f.size(), '0');
  while (!f.empty() && f.back() == '0') f.pop_back();
  return out + "." + f;
}

// The opening comment of a scenario file ("# Teaches: ..."), kept when the edited document is saved.
std::string opening_comment(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string_view line = text.substr(pos, end - pos);
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && line[first] != '#') break;
    if (first != std::string_view::npos) out += std::string(line.substr(first)) + "\n";
    pos = end + 1;
  }
  return out;
}

std::string serialize(const toml::table& doc) {
  std::ostringstream os;
  bool first = true;
  auto write = [&](std::string_view key, const toml::node& node) {
    toml::table part;
    node.visit([&](const auto& v) { part.insert_or_assign(key, v); });
    if (!first) os << "\n\n";
    first = false;
    os << part;
  };
  for (std::string_view key : kTopLevelOrder)
    if (const toml::node* n = doc.get(key)) write(key, *n);
  // Keys the loader does not know stay in the text, so it reports them exactly as for the original file.
  for (auto&& [k, v] : doc)
    if (std::find(std::begin(kTopLevelOrder), std::end(kTopLevelOrder), k.str()) == std::end(kTopLevelOrder))
      write(k.str(), v);
  os << "\n";
  return os.str();
}

std::string direction_name(const ScenarioLink& l, bool a_to_b) {
  return a_to_b ? l.a + ">" + l.b : l.b + ">" + l.a;
}

std::string string_or(const toml::table& t, std::string_view key, std::string fallback) {
  if (auto v = t.get_as<std::string>(key)) return v->get();
  return fallback;
}

bool applies_to(const toml::table& imp, const std::string& dir) {
  const std::string d = string_or(imp, "direction", "both");
  return d == "both" || d == dir;
}

bool is_scripted(const toml::table& imp) {
  const std::string type = string_or(imp, "type", "");
  return type == "drop" || type == "delay" || (type == "duplicate" && !imp.contains("chance"));
}

DirectionSettings read_direction(const LinkParams& p) {
  DirectionSettings s;
  s.latency = p.latency;
  s.bandwidth_bps = p.bandwidth_bps;
  bool have_loss = false, have_burst = false;
  for (const Impairment& imp : p.impairments) {
    if (const auto* b = std::get_if<BernoulliLoss>(&imp.kind); b && !have_loss) {
      s.loss = b->loss;
      have_loss = true;
    } else if (const auto* g = std::get_if<GilbertElliottLoss>(&imp.kind); g && !have_burst) {
      s.burst_start = g->p;
      s.mean_burst = g->r == 0 ? 1'000'000 : std::max<std::uint32_t>(1, (kPpmOne + g->r / 2) / g->r);
      have_burst = true;
    }
  }
  return s;
}

class DocumentEditor {
 public:
  DocumentEditor(toml::table& doc, const Scenario& sc) : doc_(doc), sc_(sc) {}

  Status set_direction(const SetDirection& e) {
    if (e.link >= sc_.links.size()) return edit_error("there is no link #" + std::to_string(e.link + 1));
    const DirectionSettings& want = e.settings;
    if (want.latency.ns < 0 || want.latency > Scenario::kMaxDuration)
      return edit_error("latency must be between 0 and 3600 s");
    if (want.bandwidth_bps != 0 && want.bandwidth_bps < 1000)
      return edit_error("bandwidth below 1 kbit/s: a single packet would take seconds (0 means unlimited)");
    if (want.loss > kPpmOne || want.burst_start > kPpmOne)
      return edit_error("a probability cannot exceed 100%");
    if (want.mean_burst < 1 || want.mean_burst > 1'000'000)
      return edit_error("the mean burst length is 1 to 1000000 packets");
    const ScenarioLink& l = sc_.links[e.link];
    const DirectionSettings have = read_direction(e.a_to_b ? l.a_to_b : l.b_to_a);
    const DirectionSettings other = read_direction(e.a_to_b ? l.b_to_a : l.a_to_b);
    toml::table& link = *link_table(e.link);
    const std::string here = direction_name(l, e.a_to_b), there = direction_name(l, !e.a_to_b);
    if (want.latency != have.latency)
      set_link_value(link, "latency", here, there, format_duration_value(want.latency),
                     format_duration_value(other.latency));
    if (want.bandwidth_bps != have.bandwidth_bps) {
      auto rate = [](std::uint64_t bps) {
        return bps ? std::optional<std::string>(format_bandwidth_value(bps)) : std::nullopt;
      };
      set_link_value(link, "bandwidth", here, there, rate(want.bandwidth_bps), rate(other.bandwidth_bps));
    }
    if (want.loss != have.loss)
      set_rule(link, "bernoulli", here, there, want.loss > 0,
               [&](toml::table& t) { t.insert_or_assign("loss", format_ppm_percent(want.loss)); });
    if (want.burst_start != have.burst_start || want.mean_burst != have.mean_burst)
      set_rule(link, "gilbert-elliott", here, there, want.burst_start > 0, [&](toml::table& t) {
        t.insert_or_assign("p", format_ppm_percent(want.burst_start));
        t.erase("r");
        t.insert_or_assign("mean_burst", static_cast<std::int64_t>(want.mean_burst));
      });
    return Ok{};
  }

  Status set_seed(const SetSeed& e) {
    if (e.seed > static_cast<std::uint64_t>(INT64_MAX)) return edit_error("the seed is at most 2^63 - 1");
    toml::table* meta = doc_.get_as<toml::table>("scenario");
    if (!meta) return edit_error("the scenario has no [scenario] table");
    meta->insert_or_assign("seed", static_cast<std::int64_t>(e.seed));
    return Ok{};
  }

  Status add_packet_rule(const AddPacketRule& e, const std::vector<const Trace*>& runs) {
    if (e.run >= runs.size() || !runs[e.run]) return edit_error("that run is not open");
    if (e.action == PacketAction::Delay && (e.delay.ns <= 0 || e.delay > Scenario::kMaxDuration))
      return edit_error("a delay must be above 0 and at most 3600 s");
    auto target = target_packet(sc_, *runs[e.run], e.packet);
    if (!target) return target.error();
    toml::table rule{{"direction", direction_name(sc_.links[target->link], target->a_to_b)}};
    rule.insert_or_assign("type", e.action == PacketAction::Drop    ? "drop"
                                  : e.action == PacketAction::Delay ? "delay"
                                                                    : "duplicate");
    rule.insert_or_assign("proto", target->proto == Transport::Tcp ? "tcp" : "udp");
    rule.insert_or_assign("nth", static_cast<std::int64_t>(target->nth));
    if (e.action == PacketAction::Delay) rule.insert_or_assign("delay", format_duration_value(e.delay));
    // Appended: the rules before it (and their random streams, named by position) stay as they were.
    impairments(*link_table(target->link), true)->push_back(std::move(rule));
    return Ok{};
  }

  Status remove_rule(const RemoveRule& e) {
    if (e.link >= sc_.links.size()) return edit_error("there is no link #" + std::to_string(e.link + 1));
    toml::table& link = *link_table(e.link);
    toml::array* imps = impairments(link, false);
    if (!imps || e.impairment >= imps->size() || !imps->get_as<toml::table>(e.impairment) ||
        !is_scripted(*imps->get_as<toml::table>(e.impairment)))
      return edit_error("that scripted rule does not exist any more");
    imps->erase(imps->cbegin() + static_cast<std::ptrdiff_t>(e.impairment));
    if (imps->empty()) link.erase("impairment");
    return Ok{};
  }

 private:
  toml::table* link_table(std::size_t i) {
    toml::array* links = doc_.get_as<toml::array>("link");
    return links ? links->get_as<toml::table>(i) : nullptr;
  }

  static toml::array* impairments(toml::table& link, bool create) {
    if (toml::array* a = link.get_as<toml::array>("impairment")) return a;
    if (!create) return nullptr;
    link.insert_or_assign("impairment", toml::array{});
    return link.get_as<toml::array>("impairment");
  }

  // One of [[link]]'s settings for both directions (`latency`) or, when the two differ, one value per
  // direction in [[link.one_way]]. nullopt: the key is absent (an unlimited bandwidth).
  static void set_link_value(toml::table& link, std::string_view key, const std::string& here,
                             const std::string& there, const std::optional<std::string>& value_here,
                             const std::optional<std::string>& value_there) {
    auto one_way = [&](const std::string& dir, bool create) -> toml::table* {
      toml::array* ways = link.get_as<toml::array>("one_way");
      if (ways)
        for (auto& w : *ways)
          if (toml::table* t = w.as_table(); t && string_or(*t, "direction", "") == dir) return t;
      if (!create) return nullptr;
      if (!ways) {
        link.insert_or_assign("one_way", toml::array{});
        ways = link.get_as<toml::array>("one_way");
      }
      ways->push_back(toml::table{{"direction", dir}});
      return ways->back().as_table();
    };
    auto put = [&](toml::table& t, const std::optional<std::string>& v) {
      if (v)
        t.insert_or_assign(key, *v);
      else
        t.erase(key);
    };
    if (value_here == value_there) {
      put(link, value_here);
      for (const std::string* dir : {&here, &there})
        if (toml::table* t = one_way(*dir, false)) t->erase(key);
    } else {
      link.erase(key);
      for (const auto& [dir, v] : {std::pair{&here, &value_here}, std::pair{&there, &value_there}}) {
        if (v->has_value())
          put(*one_way(*dir, true), *v);
        else if (toml::table* t = one_way(*dir, false))
          t->erase(key);
      }
    }
    // A [[link.one_way]] with nothing but its direction says nothing: drop it.
    if (toml::array* ways = link.get_as<toml::array>("one_way")) {
      for (std::size_t i = ways->size(); i-- > 0;)
        if (const toml::table* t = ways->get_as<toml::table>(i); t && t->size() <= 1)
          ways->erase(ways->cbegin() + static_cast<std::ptrdiff_t>(i));
      if (ways->empty()) link.erase("one_way");
    }
  }

  // Changes this direction's first rule of `type`. A rule shared by both directions is split into one per
  // direction, side by side, so each direction's list of rules (and the random stream each rule draws from,
  // named by its position) stays as it was.
  template <typename Apply>
  static void set_rule(toml::table& link, std::string_view type, const std::string& here,
                       const std::string& there, bool create, Apply apply) {
    toml::array* imps = impairments(link, false);
    if (imps) {
      for (std::size_t i = 0; i < imps->size(); ++i) {
        toml::table* t = imps->get_as<toml::table>(i);
        if (!t || string_or(*t, "type", "") != type || !applies_to(*t, here)) continue;
        if (string_or(*t, "direction", "both") == here) {
          apply(*t);
          return;
        }
        toml::table mine = *t;
        t->insert_or_assign("direction", there);
        mine.insert_or_assign("direction", here);
        apply(mine);
        imps->insert(imps->cbegin() + static_cast<std::ptrdiff_t>(i + 1), std::move(mine));
        return;
      }
    }
    if (!create) return;
    toml::table rule{{"direction", here}, {"type", std::string(type)}};
    apply(rule);
    impairments(link, true)->push_back(std::move(rule));
  }

  toml::table& doc_;
  const Scenario& sc_;
};

}  // namespace

std::string format_duration_value(SimDuration d) {
  constexpr std::int64_t kMs = 1'000'000, kS = 1'000'000'000;
  if (d.ns != 0 && d.ns % kS == 0) return std::to_string(d.ns / kS) + "s";
  return trim_decimals(d.ns / kMs, d.ns % kMs, 6) + "ms";
}

std::string format_bandwidth_value(std::uint64_t bps) {
  if (bps % 1'000'000'000 == 0) return std::to_string(bps / 1'000'000'000) + "Gbit";
  if (bps % 1'000'000 == 0) return std::to_string(bps / 1'000'000) + "Mbit";
  if (bps % 1'000 == 0) return std::to_string(bps / 1'000) + "kbit";
  return std::to_string(bps) + "bit";
}

Result<PacketTarget> target_packet(const Scenario& sc, const Trace& run, std::uint32_t packet) {
  const std::string which = "packet #" + std::to_string(packet + 1);
  if (packet >= run.packet_count()) return edit_error("there is no " + which + " in this run");
  if (run.marks(packet) & mark::kDuplicate)
    return edit_error(which + " is a copy the link made: choose the packet it copies");
  const Fate fate = run.fate(packet);
  if (fate == Fate::DroppedByLink || fate == Fate::DroppedByQueue)
    return edit_error(which + " was already lost on the link: there is nothing to drop, delay or copy");
  const TraceFlow& flow = run.flows().at(run.flow_of(packet));
  const bool from_a = run.direction(packet) == Direction::AtoB;
  const std::uint32_t src = from_a ? flow.a_host : flow.b_host, dst = from_a ? flow.b_host : flow.a_host;
  const auto& hosts = run.hosts();
  if (src >= hosts.size() || dst >= hosts.size())
    return edit_error(which + " did not travel over a link (no route)");
  PacketTarget t;
  t.proto = flow.proto;
  bool found = false;
  for (std::size_t i = 0; i < sc.links.size() && !found; ++i) {
    const ScenarioLink& l = sc.links[i];
    if (l.a == hosts[src].name && l.b == hosts[dst].name) {
      t = {i, true, flow.proto, 0};
      found = true;
    } else if (l.b == hosts[src].name && l.a == hosts[dst].name) {
      t = {i, false, flow.proto, 0};
      found = true;
    }
  }
  if (!found) return edit_error(which + " did not travel over a link of this scenario");
  // A rule appended to the direction sees the packets of its protocol that no earlier rule or the queue
  // dropped, in the order they were handed to the link (the Trace's order); copies never pass the rules.
  for (std::uint32_t i = 0; i <= packet; ++i) {
    if (run.marks(i) & mark::kDuplicate) continue;
    const Fate f = run.fate(i);
    if (f == Fate::DroppedByLink || f == Fate::DroppedByQueue) continue;
    const TraceFlow& fl = run.flows().at(run.flow_of(i));
    if (fl.proto != t.proto) continue;
    const bool a = run.direction(i) == Direction::AtoB;
    if ((a ? fl.a_host : fl.b_host) == src && (a ? fl.b_host : fl.a_host) == dst) ++t.nth;
  }
  return t;
}

struct EditableScenario::Impl {
  std::string file;
  std::string comment;  // the original's opening comment
  toml::table doc;
  Scenario sc;
};

EditableScenario::EditableScenario(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EditableScenario::EditableScenario(EditableScenario&&) noexcept = default;
EditableScenario& EditableScenario::operator=(EditableScenario&&) noexcept = default;
EditableScenario::~EditableScenario() = default;

Result<EditableScenario> EditableScenario::from_text(std::string_view toml_text, const std::string& file) {
  // The loader first: its messages name the line and key of the file as written.
  auto checked = parse_scenario(toml_text, file);
  if (!checked) return checked.error();
  auto impl = std::make_unique<Impl>();
  impl->file = file;
  impl->comment = opening_comment(toml_text);
  try {
    impl->doc = toml::parse(toml_text, file);
  } catch (const toml::parse_error& e) {
    return Error{file, "", std::string(e.description())};
  }
  // What runs is the document as it would be saved (same values; line numbers of the saved text).
  EditableScenario ed(std::move(impl));
  auto sc = parse_scenario(ed.text(), file);
  if (!sc) return sc.error();
  ed.impl_->sc = std::move(*sc);
  return ed;
}

Result<EditableScenario> EditableScenario::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path, "", "cannot open the scenario file (does it exist and is it readable?)"};
  std::ostringstream ss;
  ss << in.rdbuf();
  return from_text(ss.str(), path);
}

const Scenario& EditableScenario::scenario() const {
  return impl_->sc;
}

std::string EditableScenario::text() const {
  std::string out = impl_->comment;
  if (edits_ > 0) {
    out +=
        "# Edited in wirestep (link settings and scripted rules changed). Saved from " + impl_->file + ".\n";
  }
  if (!out.empty()) out += "\n";
  return out + serialize(impl_->doc);
}

std::vector<LinkSettings> EditableScenario::links() const {
  std::vector<LinkSettings> out;
  for (const ScenarioLink& l : impl_->sc.links)
    out.push_back({l.a, l.b, read_direction(l.a_to_b), read_direction(l.b_to_a)});
  return out;
}

std::vector<ScriptedRule> EditableScenario::scripted_rules() const {
  std::vector<ScriptedRule> out;
  const toml::array* links = impl_->doc.get_as<toml::array>("link");
  if (!links) return out;
  for (std::size_t li = 0; li < links->size() && li < impl_->sc.links.size(); ++li) {
    const toml::table* link = links->get_as<toml::table>(li);
    const toml::array* imps = link ? link->get_as<toml::array>("impairment") : nullptr;
    if (!imps) continue;
    const ScenarioLink& l = impl_->sc.links[li];
    const std::string ab = direction_name(l, true), ba = direction_name(l, false);
    // The loaded rule of each entry: its position among the entries that apply to one of its directions.
    std::size_t in_ab = 0, in_ba = 0;
    for (std::size_t i = 0; i < imps->size(); ++i) {
      const toml::table* t = imps->get_as<toml::table>(i);
      if (!t) continue;
      const bool to_ab = applies_to(*t, ab), to_ba = applies_to(*t, ba);
      if (is_scripted(*t)) {
        const std::string dir = string_or(*t, "direction", "both");
        const auto& list = to_ab ? l.a_to_b.impairments : l.b_to_a.impairments;
        const std::size_t pos = to_ab ? in_ab : in_ba;
        out.push_back({li, i, dir + ": " + (pos < list.size() ? list[pos].description : std::string("?"))});
      }
      in_ab += to_ab;
      in_ba += to_ba;
    }
  }
  return out;
}

Status EditableScenario::apply(const ScenarioEdit& edit, const std::vector<const Trace*>& runs) {
  toml::table candidate = impl_->doc;
  DocumentEditor editor(candidate, impl_->sc);
  Status done = std::visit(
      [&](const auto& e) -> Status {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, SetDirection>)
          return editor.set_direction(e);
        else if constexpr (std::is_same_v<E, SetSeed>)
          return editor.set_seed(e);
        else if constexpr (std::is_same_v<E, AddPacketRule>)
          return editor.add_packet_rule(e, runs);
        else
          return editor.remove_rule(e);
      },
      edit);
  if (!done) return done;
  // The edited text goes through the loader like any file: a value it would refuse is refused here.
  std::swap(candidate, impl_->doc);
  ++edits_;
  auto sc = parse_scenario(text(), impl_->file);
  if (!sc) {
    std::swap(candidate, impl_->doc);
    --edits_;
    return sc.error();
  }
  impl_->sc = std::move(*sc);
  return Ok{};
}

Status EditableScenario::save(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Error{path, "", "cannot write the file (does the folder exist, may we write there?)"};
  out << text();
  out.close();
  if (!out) return Error{path, "", "writing the file failed (disk full?)"};
  return Ok{};
}

bool RerunThrottle::due(double now_s, bool changed, bool released) {
  if (!changed) return false;
  if (!released && now_s - last_s_ < interval_s_) return false;
  last_s_ = now_s;
  return true;
}

}  // namespace wirestep
