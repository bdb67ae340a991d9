// [[expect]]: what a run must show for the lesson to hold: a TCP state by a time, a sequence of flags, a
// count of packets by cause, fate, kind or protocol, what a program saw, or how TCP compares with UDP.
#include <algorithm>
#include <cctype>

#include "sim/scenario/comparison.hpp"
#include "sim/scenario/section_readers.hpp"
#include "sim/scenario/units.hpp"

namespace wirestep::sections {
namespace {

using toml_reader::fail;
using toml_reader::parse_enum;

// "SYN,ACK" (or "syn-ack", "SYN ACK") as flag bits.
std::uint8_t flag_bits(const TableReader& r, const toml::node& item) {
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
      fail(item.source(), r.label("flags") + ": \"" + word + "\" is not SYN, ACK, FIN or RST",
           r.label_zh("flags") + "：\"" + word + "\" 不是 SYN、ACK、FIN 或 RST");
    bits |= bit;
    word.clear();
  }
  return bits;
}

// equals / at_least / at_most / fewer_than / more_than from `r`, none of them required here.
Bounds read_bounds(const TableReader& r) {
  auto bound = [&](std::string_view key) -> std::optional<std::uint64_t> {
    if (auto v = r.integer(key, 0, INT64_MAX)) return static_cast<std::uint64_t>(*v);
    return std::nullopt;
  };
  Bounds b{bound("equals"), bound("at_least"), bound("at_most"), bound("fewer_than"), bound("more_than")};
  if (b.equals && (b.at_least || b.at_most || b.fewer_than || b.more_than))
    fail(r.node("equals")->source(), r.label("equals") + ": \"equals\" cannot be combined with a range",
         r.label_zh("equals") + "：\"equals\" 不能和范围一起用");
  return b;
}

// A program's count: a number (exactly) or a range such as { fewer_than = 100 }.
std::optional<Bounds> read_program_count(const TableReader& r, std::string_view key) {
  const toml::node* n = r.node(key);
  if (!n) return std::nullopt;
  if (n->is_integer()) {
    Bounds exactly;
    if (auto v = r.integer(key, 0, INT64_MAX)) exactly.equals = static_cast<std::uint64_t>(*v);
    return exactly;
  }
  if (!n->is_table())
    fail(n->source(), r.label(key) + ": expected a number or a range like { at_least = 1, fewer_than = 100 }",
         r.label_zh(key) + "：应为数字或范围，例如 { at_least = 1, fewer_than = 100 }");
  TableReader br(*n->as_table(), r.label(key), {"equals", "at_least", "at_most", "fewer_than", "more_than"});
  Bounds b = read_bounds(br);
  if (!b.any())
    fail(n->source(),
         r.label(key) + ": give \"equals\", \"at_least\", \"at_most\", \"fewer_than\" or \"more_than\"",
         r.label_zh(key) + "：请给出 \"equals\"、\"at_least\"、\"at_most\"、\"fewer_than\" 或 \"more_than\"");
  return b;
}

void read_flags(const TableReader& r, const toml::node& f, Expectation& e) {
  e.kind = Expectation::Kind::Flags;
  const toml::array* list = f.as_array();
  if (!list || list->empty())
    fail(f.source(), r.label("flags") + ": expected a list like [\"SYN\", \"SYN,ACK\", \"ACK\"]",
         r.label_zh("flags") + "：应为列表，例如 [\"SYN\", \"SYN,ACK\", \"ACK\"]");
  for (const auto& item : *list) {
    if (!item.is_string())
      fail(item.source(), r.label("flags") + ": each entry is a string like \"SYN,ACK\"",
           r.label_zh("flags") + "：每一项都是字符串，例如 \"SYN,ACK\"");
    e.flags.push_back(flag_bits(r, item));
  }
  if (const toml::node* x = r.node("exactly")) {
    if (!x->is_boolean())
      fail(x->source(), r.label("exactly") + ": expected true or false",
           r.label_zh("exactly") + "：应为 true 或 false");
    e.exactly = *x->value<bool>();
  }
}

void read_count(const TableReader& r, const toml::node& c, const std::string& ctx, Expectation& e) {
  e.kind = Expectation::Kind::Count;
  if (!c.is_table())
    fail(c.source(), r.label("count") + ": expected a table like { cause = \"rto-retransmission\" }",
         r.label_zh("count") + "：应为表，例如 { cause = \"rto-retransmission\" }");
  TableReader cr(*c.as_table(), ctx + " count", {"cause", "fate", "kind", "proto"});
  if (auto v = cr.str("cause"); v && *v == "retransmission")
    e.any_retransmission = true;
  else if (v)
    e.cause = parse_enum(
        cr, "cause", *v,
        {Cause::Datagram, Cause::FirstTransmission, Cause::RtoRetransmission, Cause::FastRetransmission,
         Cause::RecoveryRetransmission, Cause::RackRetransmission, Cause::TailLossProbe,
         Cause::RepeatedSynAnswer, Cause::ZeroWindowProbe, Cause::PureAck, Cause::DuplicateAck,
         Cause::WindowUpdate, Cause::KeepAlive, Cause::Reset, Cause::LinkDuplicate},
        cr.node("cause")->source());
  if (auto v = cr.str("fate"))
    e.fate = parse_enum(
        cr, "fate", *v,
        {Fate::Delivered, Fate::DroppedByLink, Fate::DroppedByQueue, Fate::DroppedByHost, Fate::InFlight},
        cr.node("fate")->source());
  e.packet_kind = read_packet_kind(cr);
  e.proto = read_proto(cr, false);
  e.bounds = read_bounds(r);
  if (!e.bounds.any())
    fail(r.where(),
         ctx + ": a count needs \"equals\", \"at_least\", \"at_most\", \"fewer_than\" or \"more_than\"",
         ctx + "：count 需要 \"equals\"、\"at_least\"、\"at_most\"、\"fewer_than\" 或 \"more_than\"");
}

void read_program_outcome(const ScenarioDraft& d, const TableReader& r, const std::string& prog,
                          Expectation& e) {
  e.kind = Expectation::Kind::Program;
  e.program = prog;
  if (!d.sc.comparison) {
    bool found = false;
    std::vector<std::string> names;
    for (const auto& p : d.sc.programs) {
      found |= p.name == prog;
      names.push_back(p.name);
    }
    if (!found)
      fail(
          r.node("program")->source(),
          r.label("program") + ": no program named \"" + prog + "\"" +
              toml_reader::did_you_mean(prog, names, " (programs: " + toml_reader::quoted_list(names) + ")"),
          r.label_zh("program") + "：没有名为 \"" + prog + "\" 的程序" +
              toml_reader::did_you_mean_zh(prog, names, "（程序：" + toml_reader::quoted_list(names) + "）"));
  }
  e.bytes_received = read_program_count(r, "bytes_received");
  e.messages_received = read_program_count(r, "messages_received");
  e.socket_calls = read_program_count(r, "socket_calls");
  e.last_byte_ms = read_program_count(r, "last_byte_ms");
  if (const toml::node* n = r.node("recv_sizes")) {
    const toml::array* a = n->as_array();
    if (!a)
      fail(n->source(), r.label("recv_sizes") + ": expected a list of byte counts, e.g. [36] or [18, 18]",
           r.label_zh("recv_sizes") + "：应为字节数的列表，例如 [36] 或 [18, 18]");
    std::vector<std::uint32_t> sizes;
    for (const auto& v : *a) {
      if (!v.is_integer() || *v.value<std::int64_t>() < 0 || *v.value<std::int64_t>() > UINT32_MAX)
        fail(v.source(), r.label("recv_sizes") + ": each entry is a byte count from 0 up",
             r.label_zh("recv_sizes") + "：每一项都是从 0 起的字节数");
      sizes.push_back(static_cast<std::uint32_t>(*v.value<std::int64_t>()));
    }
    e.recv_sizes = std::move(sizes);
  }
  auto flag = [&](std::string_view key, std::optional<bool>& out) {
    if (const toml::node* v = r.node(key)) {
      if (!v->is_boolean())
        fail(v->source(), r.label(key) + ": expected true or false",
             r.label_zh(key) + "：应为 true 或 false");
      out = *v->value<bool>();
    }
  };
  flag("recv_returned_zero", e.recv_returned_zero);
  flag("finished", e.finished);
  e.error_contains = r.str("error_contains");
  e.output_contains = r.str("output_contains");
}

void read_compare(const ScenarioDraft& d, const TableReader& r, const std::string& metric, Expectation& e) {
  e.kind = Expectation::Kind::Compare;
  if (!d.sc.comparison)
    fail(r.node("compare")->source(),
         r.label("compare") + ": only a scenario with [comparison] has TCP and UDP runs to compare",
         r.label_zh("compare") + "：只有带 [comparison] 的场景才有可比较的 TCP 和 UDP 两次运行");
  const auto& names = metric_names();
  if (std::find(names.begin(), names.end(), metric) == names.end())
    fail(
        r.node("compare")->source(),
        r.label("compare") + ": unknown metric \"" + metric + "\"" +
            toml_reader::did_you_mean(metric, names, " (use " + toml_reader::quoted_list(names) + ")"),
        r.label_zh("compare") + "：未知的指标 \"" + metric + "\"" +
            toml_reader::did_you_mean_zh(metric, names, "（可用：" + toml_reader::quoted_list(names) + "）"));
  e.metric = metric;
  e.relation = *r.str("relation", true);
  if (e.relation != "<" && e.relation != "<=" && e.relation != "==" && e.relation != ">=" &&
      e.relation != ">")
    fail(r.node("relation")->source(),
         r.label("relation") + ": must be one of <, <=, ==, >=, > (TCP's value on the left)",
         r.label_zh("relation") + "：必须是 <、<=、==、>=、> 之一（TCP 的值在左边）");
}

// variable = "ssthresh" with host and one measure: changes, max, min or first_cut_percent.
void read_variable(const ScenarioDraft& d, const TableReader& r, const std::string& name,
                   const std::string& ctx, Expectation& e) {
  e.kind = Expectation::Kind::Variable;
  e.variable = parse_enum(
      r, "variable", name,
      {TraceVar::Cwnd, TraceVar::Ssthresh, TraceVar::Srtt, TraceVar::Rttvar, TraceVar::Rto, TraceVar::SndUna,
       TraceVar::SndNxt, TraceVar::SndWnd, TraceVar::RcvNxt, TraceVar::RcvWnd, TraceVar::Pipe},
      r.node("variable")->source());
  e.host = required_host(d, r, "host");
  const int measures = r.has("changes") + r.has("max") + r.has("min") + r.has("first_cut_percent");
  if (measures != 1)
    fail(r.node("variable")->source(),
         ctx + ": a variable needs exactly one of \"changes\", \"max\", \"min\" or \"first_cut_percent\"",
         ctx + "：variable 需要正好一个 \"changes\"、\"max\"、\"min\" 或 \"first_cut_percent\"");
  const char* key = r.has("changes") ? "changes"
                    : r.has("max")   ? "max"
                    : r.has("min")   ? "min"
                                     : "first_cut_percent";
  e.measure = r.has("changes") ? Expectation::Measure::Changes
              : r.has("max")   ? Expectation::Measure::Max
              : r.has("min")   ? Expectation::Measure::Min
                               : Expectation::Measure::FirstCutPercent;
  e.measured = *read_program_count(r, key);
}

}  // namespace

void read_expectations(const toml::table& root, ScenarioDraft& d) {
  const toml::array* arr = toml_reader::table_array(root, "expect", "top-level key");
  if (!arr) return;
  int index = 0;
  for (const auto& el : *arr) {
    ++index;
    const toml::table& t = *el.as_table();
    const std::string ctx = "[[expect]] #" + std::to_string(index);
    TableReader r(t, ctx, {"text",       "text_zh",        "run",
                           "state",      "host",           "by",
                           "flags",      "from",           "exactly",
                           "count",      "equals",         "at_least",
                           "at_most",    "fewer_than",     "more_than",
                           "program",    "bytes_received", "messages_received",
                           "recv_sizes", "socket_calls",   "recv_returned_zero",
                           "finished",   "error_contains", "output_contains",
                           "compare",    "relation",       "min",
                           "max",        "changes",        "variable",
                           "resend_ms",  "last_byte_ms",   "first_cut_percent"});
    Expectation e;
    e.line = static_cast<int>(t.source().begin.line);
    e.text = *r.str("text", true);
    e.text_zh = r.str("text_zh").value_or("");
    if (auto run = r.str("run")) {
      if (*run != "tcp" && *run != "udp")
        fail(r.node("run")->source(), r.label("run") + ": must be \"tcp\" or \"udp\"",
             r.label_zh("run") + "：必须是 \"tcp\" 或 \"udp\"");
      if (!d.sc.comparison)
        fail(r.node("run")->source(), r.label("run") + ": only comparison scenarios have two runs",
             r.label_zh("run") + "：只有对比场景才有两次运行");
      e.run = *run;
    }
    const int kinds = r.has("state") + r.has("flags") + r.has("count") + r.has("program") + r.has("compare") +
                      r.has("variable") + r.has("resend_ms");
    if (kinds != 1)
      fail(t.source(),
           ctx +
               ": give exactly one of \"state\", \"flags\", \"count\", \"program\", \"compare\", "
               "\"variable\" or \"resend_ms\"",
           ctx +
               "：\"state\"、\"flags\"、\"count\"、\"program\"、\"compare\"、\"variable\"、"
               "\"resend_ms\" 必须正好给出一个");
    e.from = r.has("from") ? required_host(d, r, "from") : "";
    if (auto st = r.str("state")) {
      e.kind = Expectation::Kind::State;
      e.state = parse_enum(r, "state", *st,
                           {TcpState::Closed, TcpState::Listen, TcpState::SynSent, TcpState::SynReceived,
                            TcpState::Established, TcpState::FinWait1, TcpState::FinWait2,
                            TcpState::CloseWait, TcpState::Closing, TcpState::LastAck, TcpState::TimeWait},
                           r.node("state")->source());
      e.host = required_host(d, r, "host");
      if (auto by = r.quantity<SimDuration>("by", parse_duration)) e.by = SimTime{by->ns};
    } else if (const toml::node* f = r.node("flags")) {
      read_flags(r, *f, e);
    } else if (const toml::node* c = r.node("count")) {
      read_count(r, *c, ctx, e);
    } else if (auto prog = r.str("program")) {
      read_program_outcome(d, r, *prog, e);
    } else if (auto m = r.str("compare")) {
      read_compare(d, r, *m, e);
    } else if (auto v = r.str("variable")) {
      read_variable(d, r, *v, ctx, e);
    } else if (r.has("resend_ms")) {
      // The slowest repair of a lost data segment `from` sent, in ms.
      e.kind = Expectation::Kind::Resend;
      if (e.from.empty())
        fail(r.node("resend_ms")->source(),
             r.label("resend_ms") + ": needs \"from\": the host that sent the data",
             r.label_zh("resend_ms") + "：需要 \"from\"：发送数据的主机");
      e.measured = *read_program_count(r, "resend_ms");
    }
    d.sc.expectations.push_back(std::move(e));
  }
}

}  // namespace wirestep::sections
