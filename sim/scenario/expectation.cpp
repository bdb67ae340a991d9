#include "sim/scenario/expectation.hpp"

#include <algorithm>
#include <map>

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
  // When the last byte arrived tells how long a transfer took, stalls included.
  if (e.last_byte_ms) {
    std::optional<SimTime> at;
    for (const auto& [when, total] : p->recv_log)
      if (total == p->stream_bytes_received && total > 0 && !at) at = when;
    const std::uint64_t ms = at ? static_cast<std::uint64_t>(at->ns / 1'000'000) : 0;
    check(at && e.last_byte_ms->holds(ms), !at ? (zh ? "没有读到任何字节" : "read no byte")
                                           : zh ? "在 " + format_millis(*at) + " ms 读到最后一个字节（预期" +
                                                      e.last_byte_ms->text_zh() + " ms）"
                                                : "read the last byte at " + format_millis(*at) +
                                                      " ms (expected " + e.last_byte_ms->text() + " ms)");
  }
  r.passed = problems.empty();
  const auto& list = r.passed ? facts : problems;
  for (std::size_t i = 0; i < list.size(); ++i) r.detail += (i ? (zh ? "；" : "; ") : "") + list[i];
  return r;
}

bool time_valued(TraceVar v) {
  return v == TraceVar::Srtt || v == TraceVar::Rttvar || v == TraceVar::Rto;
}

// One measure of a host's variable over all its connections, in time order (the events table is sorted).
Verdict check_variable(const Expectation& e, const Trace& t, bool zh) {
  Verdict r;
  const auto h = host_index(t, e.host);
  const std::string name(to_string(e.variable));
  std::uint64_t changes = 0;
  std::optional<std::int64_t> max, min;
  std::optional<std::uint64_t> cut_percent;
  SimTime cut_at{};
  // Per socket: the variable's last value, and cwnd as last recorded before the current instant (the
  // window the loss response started from; note_vars records cwnd and ssthresh at the same instant).
  struct Last {
    std::optional<std::int64_t> value, cwnd, cwnd_now;
    SimTime cwnd_now_at{};
  };
  std::map<std::uint32_t, Last> last;
  for (std::size_t i = 0; h && i < t.event_count(); ++i) {
    if (t.event_kind(i) != EventKind::Variable) continue;
    const TraceEvent ev = t.event(i);
    if (ev.host != *h) continue;
    Last& l = last[ev.socket];
    const auto var = static_cast<TraceVar>(ev.code);
    if (var == TraceVar::Cwnd) {
      if (l.cwnd_now && l.cwnd_now_at < ev.time) l.cwnd = l.cwnd_now;
      l.cwnd_now = ev.value;
      l.cwnd_now_at = ev.time;
    }
    if (var != e.variable) continue;
    ++changes;
    const std::int64_t v = time_valued(var) ? ev.value / 1'000'000 : ev.value;
    max = max ? std::max(*max, v) : v;
    min = min ? std::min(*min, v) : v;
    const std::optional<std::int64_t> before =
        var == TraceVar::Cwnd ? l.cwnd : (l.cwnd_now && l.cwnd_now_at < ev.time ? l.cwnd_now : l.cwnd);
    if (!cut_percent && l.value && ev.value < *l.value && before && *before > 0 && ev.value >= 0) {
      // Rounded to the nearest percent: CUBIC's 717/1024 of a window is 70 %, not 69.
      const auto b = static_cast<std::uint64_t>(*before);
      cut_percent = (static_cast<std::uint64_t>(ev.value) * 100 + b / 2) / b;
      cut_at = ev.time;
    }
    l.value = ev.value;
  }
  const std::string unit = time_valued(e.variable) ? " ms" : (zh ? " 字节" : " bytes");
  switch (e.measure) {
    case Expectation::Measure::Changes:
      r.passed = e.measured.holds(changes);
      r.detail = zh ? e.host + " 的 " + name + " 记录了 " + std::to_string(changes) + " 个值，预期" +
                          e.measured.text_zh()
                    : e.host + "'s " + name + " took " + std::to_string(changes) + " values, expected " +
                          e.measured.text();
      break;
    case Expectation::Measure::Max:
    case Expectation::Measure::Min: {
      const bool is_max = e.measure == Expectation::Measure::Max;
      const auto& v = is_max ? max : min;
      r.passed = v && *v >= 0 && e.measured.holds(static_cast<std::uint64_t>(*v));
      r.detail = !v ? (zh ? e.host + " 没有记录 " + name : e.host + " never recorded " + name)
                 : zh ? e.host + " 的 " + name + (is_max ? " 最大为 " : " 最小为 ") + std::to_string(*v) +
                            unit + "，预期" + e.measured.text_zh()
                      : e.host + "'s " + (is_max ? "largest " : "smallest ") + name + " was " +
                            std::to_string(*v) + unit + ", expected " + e.measured.text();
      break;
    }
    case Expectation::Measure::FirstCutPercent:
      r.passed = cut_percent && e.measured.holds(*cut_percent);
      r.detail =
          !cut_percent
              ? (zh ? e.host + " 的 " + name + " 从未下降" : e.host + "'s " + name + " never decreased")
          : zh ? e.host + " 的 " + name + " 在 " + format_millis(cut_at) + " ms 第一次下降，降为 cwnd 的 " +
                     std::to_string(*cut_percent) + "%，预期" + e.measured.text_zh()
               : e.host + "'s " + name + " first fell at " + format_millis(cut_at) + " ms, to " +
                     std::to_string(*cut_percent) + "% of cwnd, expected " + e.measured.text();
      break;
  }
  return r;
}

// The slowest repair among the data segments `from` sent that the link or a queue lost: from the lost
// transmission to the first later one of the same bytes that arrived.
Verdict check_resend(const Expectation& e, const Trace& t, bool zh) {
  Verdict r;
  const auto from = host_index(t, e.from);
  struct Pending {
    std::uint32_t flow;
    Direction dir;
    std::uint32_t seq;
    SimTime sent;
  };
  std::vector<Pending> pending;
  std::size_t lost = 0;
  std::optional<SimDuration> slowest;
  SimTime slowest_sent{};
  for (std::size_t i = 0; from && i < t.packet_count(); ++i) {
    const std::uint32_t flow = t.flow_of(i);
    if (t.flows()[flow].proto != Transport::Tcp || t.payload_len(i) == 0 || sender_host(t, i) != *from)
      continue;
    const Fate fate = t.fate(i);
    const SimTime sent{t.packet_times_ns()[i]};
    if (fate == Fate::DroppedByLink || fate == Fate::DroppedByQueue) {
      ++lost;
      pending.push_back({flow, t.direction(i), t.seq(i), sent});
      continue;
    }
    if (fate != Fate::Delivered) continue;
    // Wrap-aware (RFC 9293 §3.4): the lost segment's first byte lies in this one.
    const std::uint32_t seq = t.seq(i), len = t.payload_len(i);
    std::erase_if(pending, [&](const Pending& p) {
      if (p.flow != flow || p.dir != t.direction(i) || p.seq - seq >= len) return false;
      const SimDuration wait = sent - p.sent;
      if (!slowest || wait > *slowest) {
        slowest = wait;
        slowest_sent = p.sent;
      }
      return true;
    });
  }
  if (lost == 0) {
    r.detail = zh ? e.from + " 没有丢失数据报文段" : e.from + " lost no data segment";
    return r;
  }
  if (!pending.empty()) {
    r.detail =
        zh ? e.from + " 在 " + format_millis(pending.front().sent) + " ms 发出的数据报文段丢失后没有成功重发"
           : "the data segment " + e.from + " sent at " + format_millis(pending.front().sent) +
                 " ms was lost and never resent successfully";
    return r;
  }
  const auto ms = static_cast<std::uint64_t>(slowest->ns / 1'000'000);
  r.passed = e.measured.holds(ms);
  r.detail =
      zh ? "丢失 " + std::to_string(lost) + " 个；最慢的修复：" + format_millis(slowest_sent) + " ms 发出，" +
               format_millis(*slowest) + " ms 后重发成功，预期" + e.measured.text_zh() + " ms"
         : std::to_string(lost) + " lost; the slowest repair: sent at " + format_millis(slowest_sent) +
               " ms, resent " + format_millis(*slowest) + " ms later, expected " + e.measured.text() + " ms";
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
    case Expectation::Kind::Variable:
      return check_variable(e, target.trace, zh);
    case Expectation::Kind::Resend:
      return check_resend(e, target.trace, zh);
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
