// [scenario] (name, texts, seed, duration), [view] (the lesson's layout) and [tcp] (the TCP settings every
// host starts from; a host's own tcp table is read by the same function).
#include "sim/scenario/section_readers.hpp"
#include "sim/scenario/units.hpp"

namespace wirestep::sections {

using toml_reader::fail;

void read_meta(const toml::table& root, ScenarioDraft& d) {
  Scenario& sc = d.sc;
  const toml::node* n = root.get("scenario");
  if (!n || !n->is_table())
    fail(root.source(), "the [scenario] table is required (name, explanation, seed)",
         "必须有 [scenario] 表（name、explanation、seed）");
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
      fail(r.node("duration")->source(), r.label("duration") + ": must be above 0 and at most 3600 s",
           r.label_zh("duration") + "：必须大于 0 且不超过 3600 s");
    sc.duration = SimTime{dur->ns};
  }
  // [view]: how the lesson is first shown; the user can still change it.
  if (const toml::node* v = root.get("view")) {
    if (!v->is_table())
      fail(v->source(), "top-level key \"view\": expected a table ([view])",
           "顶层键 \"view\"：应为表（[view]）");
    TableReader vr(*v->as_table(), "[view]", {"layout"});
    if (auto layout = vr.str("layout")) {
      if (*layout != "sequence" && *layout != "time")
        fail(vr.node("layout")->source(), vr.label("layout") + ": expected \"time\" or \"sequence\"",
             vr.label_zh("layout") + "：应为 \"time\" 或 \"sequence\"");
      sc.sequence_layout = *layout == "sequence";
    }
  }
}

TcpConfig read_tcp_settings(const toml::table& t, const std::string& context, const TcpConfig& base) {
  TableReader r(t, context,
                {"profile", "mss", "send_buffer", "recv_buffer", "recv_buffer_max", "initial_window", "nagle",
                 "delayed_ack", "delayed_ack_timeout", "delayed_ack_max", "min_rto", "initial_rto", "max_rto",
                 "syn_retries", "retries", "msl", "window_scaling", "timestamps", "sack", "dsack",
                 "congestion_control", "keepalive_idle", "keepalive_interval", "keepalive_probes",
                 // Linux's habits (issue #16): the linux profile turns them all on, each can be set alone.
                 "quick_ack", "linux_nagle", "push_each_write", "probe_below_una", "rst_ack_on_abort",
                 "syn_window_mss_multiple", "socket_errors_once", "cork", "frto", "linux_send_buffer",
                 "send_buffer_max", "send_buffer_locked", "receive_skbs", "tso_defer", "grow_skb",
                 "oow_ack_ratelimit", "comp_sack_nr", "comp_sack_delay", "comp_sack_slack"});
  // The profile first, whatever the key order: every other key then overrides one of its values.
  TcpConfig c = base;
  if (auto p = r.str("profile"))
    c = TcpConfig::for_profile(toml_reader::parse_enum(r, "profile", *p, {TcpProfile::Rfc, TcpProfile::Linux},
                                                       r.node("profile")->source()));
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
      fail(v->source(),
           r.label(key) + ": " + std::to_string(value) + " bytes is outside [" + std::to_string(lo) + ", " +
               std::to_string(hi) + "]",
           r.label_zh(key) + "：" + std::to_string(value) + " 字节超出范围 [" + std::to_string(lo) + ", " +
               std::to_string(hi) + "]");
    out = static_cast<std::uint32_t>(value);
  };
  if (auto v = r.integer("mss", 64, 65495)) c.mss = static_cast<std::uint16_t>(*v);
  bytes("send_buffer", c.send_buffer, 1, 1u << 30);
  bytes("recv_buffer", c.recv_buffer, 1, 1u << 30);
  bytes("recv_buffer_max", c.recv_buffer_max, 1, 1u << 30);
  bytes("send_buffer_max", c.send_buffer_max, 1, 1u << 30);
  if (auto v = r.integer("initial_window", 1, 1000))
    c.initial_window_segments = static_cast<std::uint32_t>(*v);
  flag("nagle", c.nagle);
  flag("delayed_ack", c.delayed_ack);
  flag("window_scaling", c.window_scaling);
  flag("timestamps", c.timestamps);
  flag("sack", c.sack);
  flag("dsack", c.dsack);
  flag("quick_ack", c.quick_ack);
  flag("linux_nagle", c.linux_nagle);
  flag("push_each_write", c.push_each_write);
  flag("probe_below_una", c.probe_below_una);
  flag("rst_ack_on_abort", c.rst_ack_on_abort);
  flag("syn_window_mss_multiple", c.syn_window_mss_multiple);
  flag("socket_errors_once", c.socket_errors_once);
  flag("cork", c.cork);
  flag("frto", c.frto);
  flag("linux_send_buffer", c.linux_send_buffer);
  flag("send_buffer_locked", c.send_buffer_locked);
  flag("tso_defer", c.tso_defer);
  flag("grow_skb", c.grow_skb);
  if (auto v = r.quantity<SimDuration>("delayed_ack_timeout", parse_duration)) c.delayed_ack_timeout = *v;
  if (auto v = r.quantity<SimDuration>("delayed_ack_max", parse_duration)) c.delayed_ack_max = *v;
  if (auto v = r.quantity<SimDuration>("min_rto", parse_duration)) c.min_rto = *v;
  if (auto v = r.quantity<SimDuration>("initial_rto", parse_duration)) c.initial_rto = *v;
  if (auto v = r.quantity<SimDuration>("max_rto", parse_duration)) c.max_rto = *v;
  if (auto v = r.quantity<SimDuration>("msl", parse_duration)) c.msl = *v;
  if (auto v = r.quantity<SimDuration>("oow_ack_ratelimit", parse_duration)) c.oow_ack_ratelimit = *v;
  if (auto v = r.integer("comp_sack_nr", 0, 255)) c.comp_sack_nr = static_cast<std::uint32_t>(*v);
  if (auto v = r.quantity<SimDuration>("comp_sack_delay", parse_duration)) c.comp_sack_delay = *v;
  if (auto v = r.quantity<SimDuration>("comp_sack_slack", parse_duration)) c.comp_sack_slack = *v;
  // RFC 1122 §4.2.3.6 keep-alive: an idle time of 0 (the default) leaves it off.
  if (auto v = r.quantity<SimDuration>("keepalive_idle", parse_duration)) c.keepalive_idle = *v;
  if (auto v = r.quantity<SimDuration>("keepalive_interval", parse_duration)) {
    if (v->ns <= 0)
      fail(r.node("keepalive_interval")->source(), r.label("keepalive_interval") + ": must be above 0",
           r.label_zh("keepalive_interval") + "：必须大于 0");
    c.keepalive_interval = *v;
  }
  if (auto v = r.integer("keepalive_probes", 1, 1000)) c.keepalive_probes = static_cast<std::uint32_t>(*v);
  if (auto v = r.integer("syn_retries", 0, 100)) c.syn_retries = static_cast<std::uint32_t>(*v);
  if (auto v = r.integer("retries", 0, 100)) c.data_retries = static_cast<std::uint32_t>(*v);
  if (auto v = r.str("congestion_control"))
    c.congestion = toml_reader::parse_enum(r, "congestion_control", *v,
                                           {CongestionAlgorithm::NewReno, CongestionAlgorithm::Cubic},
                                           r.node("congestion_control")->source());
  if (auto v = r.str("receive_skbs"))
    c.receive_skbs = toml_reader::parse_enum(r, "receive_skbs", *v, {ReceiveSkbs::Paged, ReceiveSkbs::Linear},
                                             r.node("receive_skbs")->source());
  if (c.min_rto > c.max_rto)
    fail(t.source(), context + ": min_rto is larger than max_rto",
         toml_reader::context_zh(context) + "：min_rto 大于 max_rto");
  if (c.delayed_ack_timeout > c.delayed_ack_max)
    fail(t.source(), context + ": delayed_ack_timeout is larger than delayed_ack_max",
         toml_reader::context_zh(context) + "：delayed_ack_timeout 大于 delayed_ack_max");
  return c;
}

void read_tcp(const toml::table& root, ScenarioDraft& d) {
  const toml::node* n = root.get("tcp");
  if (!n) return;
  if (!n->is_table())
    fail(n->source(), "top-level key \"tcp\": expected a table ([tcp])", "顶层键 \"tcp\"：应为表（[tcp]）");
  d.sc.tcp = read_tcp_settings(*n->as_table(), "[tcp]", TcpConfig{});
}

}  // namespace wirestep::sections
