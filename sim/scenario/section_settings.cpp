// [scenario] (name, texts, seed, duration), [view] (the lesson's layout) and [tcp] (the TCP settings every
// host uses).
#include "sim/scenario/section_readers.hpp"
#include "sim/scenario/units.hpp"

namespace wirestep::sections {

using toml_reader::fail;

void read_meta(const toml::table& root, ScenarioDraft& d) {
  Scenario& sc = d.sc;
  const toml::node* n = root.get("scenario");
  if (!n || !n->is_table()) fail(root.source(), "the [scenario] table is required (name, explanation, seed)");
  TableReader r(*n->as_table(), "[scenario]",
                {"name", "title", "title_zh", "explanation", "explanation_zh", "seed", "duration"});
  sc.name = *r.str("name", true);
  sc.title = r.str("title").value_or(sc.name);
  sc.title_zh = r.str("title_zh").value_or("");
  sc.explanation = r.str("explanation").value_or("");
  sc.explanation_zh = r.str("explanation_zh").value_or("");
  sc.seed = static_cast<std::uint64_t>(r.integer("seed", 0, INT64_MAX).value_or(1));
  if (auto dur = r.quantity<SimDuration>("duration", parse_duration)) {
    if (*dur > Scenario::kMaxDuration || dur->ns <= 0)
      fail(r.node("duration")->source(), r.label("duration") + ": must be above 0 and at most 3600 s");
    sc.duration = SimTime{dur->ns};
  }
  // [view]: how the lesson is first shown; the user can still change it.
  if (const toml::node* v = root.get("view")) {
    if (!v->is_table()) fail(v->source(), "top-level key \"view\": expected a table ([view])");
    TableReader vr(*v->as_table(), "[view]", {"layout"});
    if (auto layout = vr.str("layout")) {
      if (*layout != "sequence" && *layout != "time")
        fail(vr.node("layout")->source(), vr.label("layout") + ": expected \"time\" or \"sequence\"");
      sc.sequence_layout = *layout == "sequence";
    }
  }
}

void read_tcp(const toml::table& root, ScenarioDraft& d) {
  const toml::node* n = root.get("tcp");
  if (!n) return;
  if (!n->is_table()) fail(n->source(), "top-level key \"tcp\": expected a table ([tcp])");
  TableReader r(
      *n->as_table(), "[tcp]",
      {"mss", "send_buffer", "recv_buffer", "initial_window", "nagle", "delayed_ack", "delayed_ack_timeout",
       "min_rto", "initial_rto", "max_rto", "syn_retries", "retries", "msl", "window_scaling"});
  TcpConfig& c = d.sc.tcp;
  auto flag = [&](std::string_view key, bool& out) {
    if (auto v = r.boolean(key)) out = *v;
  };
  // A count ("recv_buffer = 65535") or a size with a unit ("recv_buffer = \"1MB\"").
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

}  // namespace wirestep::sections
