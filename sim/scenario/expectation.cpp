#include "sim/scenario/expectation.hpp"

#include "sim/scenario/call_error_zh.hpp"
#include "sim/scenario/comparison.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {

bool Bounds::holds(std::uint64_t n) const {
  if (equals && n != *equals) return false;
  if (at_least && n < *at_least) return false;
  if (at_most && n > *at_most) return false;
  if (fewer_than && n >= *fewer_than) return false;
  if (more_than && n <= *more_than) return false;
  return true;
}

std::string Bounds::text() const {
  std::string s;
  auto add = [&](const char* words, const std::optional<std::uint64_t>& v) {
    if (v) s += (s.empty() ? "" : " and ") + (words + std::to_string(*v));
  };
  add("exactly ", equals);
  add("at least ", at_least);
  add("more than ", more_than);
  add("at most ", at_most);
  add("fewer than ", fewer_than);
  return s;
}

std::string Bounds::text_zh() const {
  std::string s;
  auto add = [&](const char* words, const std::optional<std::uint64_t>& v) {
    if (v) s += (s.empty() ? "" : " 且 ") + (words + std::to_string(*v));
  };
  add("正好 ", equals);
  add("至少 ", at_least);
  add("多于 ", more_than);
  add("至多 ", at_most);
  add("少于 ", fewer_than);
  return s;
}

namespace {

// One check's outcome in one language; check_expectations asks for both.
struct Verdict {
  bool passed = false;
  std::string detail;
};

std::optional<std::uint32_t> host_index(const Trace& t, const std::string& name) {
  for (std::size_t i = 0; i < t.hosts().size(); ++i)
    if (t.hosts()[i].name == name) return static_cast<std::uint32_t>(i);
  return std::nullopt;
}

std::uint32_t sender_host(const Trace& t, std::size_t packet) {
  const TraceFlow& f = t.flows()[t.flow_of(packet)];
  return t.direction(packet) == Direction::AtoB ? f.a_host : f.b_host;
}

Verdict check_state(const Expectation& e, const Trace& t, bool zh) {
  Verdict r;
  const auto h = host_index(t, e.host);
  std::optional<SimTime> reached;
  for (std::size_t i = 0; h && i < t.event_count() && !reached; ++i) {
    if (t.event_kind(i) != EventKind::StateChange) continue;
    const TraceEvent ev = t.event(i);
    if (ev.host == *h && ev.value == static_cast<std::int64_t>(e.state)) reached = ev.time;
  }
  const std::string state(to_string(e.state));
  if (!reached) {
    r.detail = zh ? e.host + " 从未进入 " + state : e.host + " never reached " + state;
  } else if (e.by && *reached > *e.by) {
    r.detail = zh ? e.host + " 直到 " + format_millis(*reached) + " ms 才进入 " + state
                  : e.host + " reached " + state + " only at " + format_millis(*reached) + " ms";
  } else {
    r.passed = true;
    r.detail = zh ? e.host + " 在 " + format_millis(*reached) + " ms 进入 " + state
                  : e.host + " reached " + state + " at " + format_millis(*reached) + " ms";
  }
  return r;
}

Verdict check_flags(const Expectation& e, const Trace& t, bool zh) {
  Verdict r;
  const auto from = e.from.empty() ? std::nullopt : host_index(t, e.from);
  std::vector<std::uint8_t> seen;
  for (std::size_t i = 0; i < t.packet_count(); ++i) {
    if (t.flows()[t.flow_of(i)].proto != Transport::Tcp) continue;
    if (from && sender_host(t, i) != *from) continue;
    seen.push_back(t.packet(i).tcp_flags & ~wire::tcp_flag::kPsh);  // PSH is not what a lesson is about
  }
  std::size_t matched = 0;
  if (e.exactly) {
    r.passed = seen == e.flags;
    matched = r.passed ? e.flags.size() : 0;
  } else {
    for (std::size_t i = 0; i < seen.size() && matched < e.flags.size(); ++i)
      if (seen[i] == e.flags[matched]) ++matched;
    r.passed = matched == e.flags.size();
  }
  std::string got;
  for (std::size_t i = 0; i < seen.size() && i < 12; ++i)
    got += (i ? " " : "") + wire::tcp_flags_to_string(seen[i]);
  if (seen.size() > 12) got += " ...";
  const std::string missing = wire::tcp_flags_to_string(e.flags[std::min(matched, e.flags.size() - 1)]);
  if (zh)
    r.detail = r.passed ? "按顺序出现" : "缺少 " + missing + "；TCP 包依次是：" + (got.empty() ? "无" : got);
  else
    r.detail = r.passed ? "seen in order"
                        : "missing " + missing + "; the TCP packets were: " + (got.empty() ? "none" : got);
  return r;
}

Verdict check_count(const Expectation& e, const Trace& t, bool zh) {
  Verdict r;
  const auto from = e.from.empty() ? std::nullopt : host_index(t, e.from);
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < t.packet_count(); ++i) {
    const PacketRecord p = t.packet(i);
    const Transport proto = t.flows()[p.flow].proto;
    if (e.proto && proto != *e.proto) continue;
    if (e.cause && p.cause != *e.cause) continue;
    if (e.any_retransmission && p.cause != Cause::RtoRetransmission && p.cause != Cause::FastRetransmission &&
        p.cause != Cause::RecoveryRetransmission && p.cause != Cause::RackRetransmission &&
        p.cause != Cause::TailLossProbe && p.cause != Cause::RepeatedSynAnswer)
      continue;
    if (e.fate && p.fate != *e.fate) continue;
    if (e.packet_kind && !packet_is_kind(*e.packet_kind, proto, p.tcp_flags, p.payload_len)) continue;
    if (from && sender_host(t, i) != *from) continue;
    ++n;
  }
  r.passed = e.bounds.holds(n);
  r.detail = zh ? "计得 " + std::to_string(n) + " 个，预期" + e.bounds.text_zh()
                : std::to_string(n) + " counted, expected " + e.bounds.text();
  return r;
}

Verdict check_program(const Expectation& e, const RunResult& run, bool zh) {
  Verdict r;
  const ProgramReport* p = nullptr;
  for (const auto& pr : run.programs)
    if (pr.name == e.program) p = &pr;
  if (!p) {
    r.detail = zh ? "没有名为 \"" + e.program + "\" 的程序" : "no program named \"" + e.program + "\"";
    return r;
  }
  std::vector<std::string> problems, facts;
  auto check = [&](bool ok, const std::string& fact) {
    facts.push_back(fact);
    if (!ok) problems.push_back(fact);
  };
  // "received 18 bytes (expected exactly 18)" / "收到 18 字节（预期正好 18）"
  auto measured = [&](const char* en, const char* zh_unit, std::uint64_t n, const Bounds& b) {
    return zh ? "收到 " + std::to_string(n) + " " + zh_unit + "（预期" + b.text_zh() + "）"
              : "received " + std::to_string(n) + " " + en + " (expected " + b.text() + ")";
  };
  if (e.bytes_received)
    check(e.bytes_received->holds(p->stream_bytes_received),
          measured("bytes", "字节", p->stream_bytes_received, *e.bytes_received));
  if (e.messages_received)
    check(e.messages_received->holds(p->received.size()),
          measured("datagrams", "个数据报", p->received.size(), *e.messages_received));
  if (e.recv_returned_zero)
    check((p->recv_returned_zero > 0) == *e.recv_returned_zero,
          p->recv_returned_zero ? (zh ? "recv() 返回了 0" : "recv() returned 0")
                                : (zh ? "recv() 从未返回 0" : "recv() never returned 0"));
  if (e.finished)
    check(p->finished == *e.finished, p->finished ? (zh ? "执行完了每一步" : "finished every step")
                                                  : (zh ? "没有执行完" : "did not finish"));
  // The call's error is the simulator's errno text ("connection refused (ECONNREFUSED)"); the match is on
  // the English text (the errno name a lesson names), the Chinese detail translates its explanation.
  if (e.error_contains)
    check(p->error && p->error->find(*e.error_contains) != std::string::npos,
          p->error ? (zh ? "失败：" + call_error_zh(*p->error) : "failed: " + *p->error)
                   : (zh ? "没有调用失败" : "no call failed"));
  // Program output is what ping/traceroute print, the same in both languages (as on a terminal).
  if (e.output_contains) {
    bool found = false;
    for (const auto& line : p->output) found = found || line.find(*e.output_contains) != std::string::npos;
    check(found, found ? (zh ? "输出中有 \"" : "printed \"") + *e.output_contains + "\""
                       : (zh ? "输出中没有 \"" : "never printed \"") + *e.output_contains + "\"");
  }
  if (e.recv_sizes) {
    auto list_text = [](const std::vector<std::uint32_t>& v) {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size() && i < 12; ++i) out += (i ? ", " : "") + std::to_string(v[i]);
      return out + (v.size() > 12 ? ", ...]" : "]");
    };
    check(p->recv_sizes == *e.recv_sizes,
          zh ? "recv 依次返回 " + list_text(p->recv_sizes) + " 字节（预期 " + list_text(*e.recv_sizes) + "）"
             : "recv returned " + list_text(p->recv_sizes) + " bytes (expected " + list_text(*e.recv_sizes) +
                   ")");
  }
  if (e.socket_calls)
    check(e.socket_calls->holds(p->socket_calls),
          zh ? "调用了 " + std::to_string(p->socket_calls) + " 次套接字函数（预期" +
                   e.socket_calls->text_zh() + "）"
             : "made " + std::to_string(p->socket_calls) + " socket calls (expected " +
                   e.socket_calls->text() + ")");
  r.passed = problems.empty();
  const auto& list = r.passed ? facts : problems;
  for (std::size_t i = 0; i < list.size(); ++i) r.detail += (i ? (zh ? "；" : "; ") : "") + list[i];
  return r;
}

Verdict check_compare(const Expectation& e, const ComparisonResult* c, bool zh) {
  Verdict r;
  if (!c) {
    r.detail = zh ? "这个场景没有 [comparison]" : "this scenario has no [comparison]";
    return r;
  }
  const auto tcp = metric_value(c->tcp, e.metric), udp = metric_value(c->udp, e.metric);
  if (!tcp || !udp) {
    r.detail = zh ? "没有测得指标 " + e.metric : "metric " + e.metric + " was not measured";
    return r;
  }
  const std::string& op = e.relation;
  r.passed = op == "<"    ? *tcp < *udp
             : op == "<=" ? *tcp <= *udp
             : op == "==" ? *tcp == *udp
             : op == ">=" ? *tcp >= *udp
             : op == ">"  ? *tcp > *udp
                          : false;
  r.detail = e.metric + (zh ? "：TCP " : ": TCP ") + std::to_string(*tcp) + " " + op + " UDP " +
             std::to_string(*udp);
  return r;
}

}  // namespace

namespace {

Verdict check_one(const Expectation& e, const RunResult& target, const ComparisonResult* comparison,
                  bool zh) {
  switch (e.kind) {
    case Expectation::Kind::State:
      return check_state(e, target.trace, zh);
    case Expectation::Kind::Flags:
      return check_flags(e, target.trace, zh);
    case Expectation::Kind::Count:
      return check_count(e, target.trace, zh);
    case Expectation::Kind::Program:
      return check_program(e, target, zh);
    case Expectation::Kind::Compare:
      return check_compare(e, comparison, zh);
  }
  return {};
}

}  // namespace

std::vector<ExpectationResult> check_expectations(const std::vector<Expectation>& expectations,
                                                  const RunResult& run, const RunResult* udp_run,
                                                  const ComparisonResult* comparison) {
  std::vector<ExpectationResult> out;
  for (const Expectation& e : expectations) {
    const RunResult& target = (e.run == "udp" && udp_run) ? *udp_run : run;
    // Checked once per language: the measurement is the same, only its words differ.
    const Verdict en = check_one(e, target, comparison, false);
    const Verdict zh = check_one(e, target, comparison, true);
    out.push_back({e.text, en.passed, en.detail, e.text_zh.empty() ? e.text : e.text_zh, zh.detail});
  }
  return out;
}

}  // namespace wirestep
