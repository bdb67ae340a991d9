#include "sim/packetdrill/script_runner.hpp"

#include <deque>
#include <map>
#include <memory>
#include <set>

#include "sim/net/network.hpp"
#include "sim/packetdrill/packet_match.hpp"
#include "sim/packetdrill/python_block.hpp"
#include "sim/packetdrill/script_parser.hpp"
#include "sim/packetdrill/shell_settings.hpp"

namespace wirestep::packetdrill {
namespace {

using namespace wire::tcp_flag;

// packetdrill's defaults: --local_ip, --remote_ip, the port a script binds and connects to,
// --tolerance_usecs.
const wire::Ipv4Addr kLocalAddr{(192u << 24) | (168u << 16) | 1u};  // 192.168.0.1
const wire::Ipv4Addr kRemoteAddr{(192u << 24) | (0u << 16) | (2u << 8) | 1u};
constexpr std::uint16_t kScriptPort = 8080;
constexpr std::uint16_t kPeerPort = 42000;  // the peer's port when it connects to the host
constexpr std::int64_t kDefaultToleranceUsecs = 4000;
constexpr std::int64_t kAnyTimeLimitUsecs = 120'000'000;     // how long a `*` line waits for its packet
constexpr std::int64_t kStepUsecs = 100;                     // clock steps while waiting for a packet
constexpr std::int64_t kMaxSteps = 200'000;                  // ... and at most this many for one wait
constexpr std::int64_t kMaxScriptUsecs = 1'000'000'000'000;  // 11.6 days: far past any real script

// The clock step for a wait of `span` microseconds: fine enough for the tolerance, bounded in count.
std::int64_t step_for(std::int64_t span) {
  return std::max<std::int64_t>(span > 1'000'000 ? 1000 : kStepUsecs, span / kMaxSteps);
}

SimTime at_usecs(std::int64_t us) {
  return SimTime{us * 1000};
}
std::int64_t usecs_of(SimTime t) {
  return t.ns / 1000;
}

std::string seconds(std::int64_t us) {
  const std::int64_t whole = us / 1'000'000, frac = (us < 0 ? -us : us) % 1'000'000;
  std::string f = std::to_string(frac);
  return std::to_string(whole) + "." + std::string(6 - f.size(), '0') + f;
}

// A system call's outcome as packetdrill compares it: a number, or -1 with an errno.
struct CallOutcome {
  bool done = false;
  SimTime at;
  std::int64_t value = 0;
  std::string error;  // the simulator's message; contains the errno name in parentheses
};

struct Stop {};  // thrown when the result is decided; caught in run()

class Runner {
 public:
  Runner(const Script& s, const RunOptions& o) : script_(s), net_(o.seed), ignore_options_(o.ignore_options) {
    local_ = net_.add_host("host", kLocalAddr);
    peer_ = net_.add_host("packetdrill", kRemoteAddr);  // the scripted remote peer, named as in the ladder
    LinkParams instant;
    instant.latency = SimDuration{};
    net_.connect(local_, peer_, instant, instant);
    net_.host(local_).set_tcp_config(o.tcp);
    net_.host(peer_).set_receive_tap([this](SimTime t, std::uint32_t idx) { sent_.push_back({t, idx}); });
  }

  RunResult run() {
    try {
      for (const ScriptOption& o : script_.options) option(o);
      for (const Event& e : script_.events) {
        event_ = &e;
        handle(e);
        if (e.time.kind != TimeSpec::Kind::None)
          result_.line_times.push_back({e.pos.line, at_usecs(event_time_)});
        ++result_.events_run;
      }
      event_ = nullptr;
      finish_pending();
    } catch (const Stop&) {
      if (result_.line) result_.line_times.push_back({result_.line, net_.now()});
    }
    result_.printed = python_.printed();
    result_.trace = net_.take_trace();
    result_.packet_lines.resize(result_.trace.packet_count(), 0);
    return std::move(result_);
  }

 private:
  struct Observed {
    SimTime time;
    std::uint32_t packet;
  };
  struct Pending {
    const Event* event;
    std::shared_ptr<CallOutcome> outcome;
    std::int64_t end_usecs;
    std::optional<std::int64_t> bind_fd;  // accept: the fd the script names the new socket by
  };

  [[noreturn]] void stop(Outcome o, SourcePos pos, Bilingual reason, std::string expected = "",
                         std::string actual = "") {
    result_.outcome = o;
    result_.line = pos.line;
    result_.column = pos.column;
    result_.reason = std::move(reason);
    result_.expected = std::move(expected);
    result_.actual = std::move(actual);
    throw Stop{};
  }
  [[noreturn]] void unsupported(SourcePos pos, const Bilingual& what) {
    stop(Outcome::Unsupported, pos, {"unsupported: " + what.en, "不支持：" + what.zh});
  }
  std::string line_text(std::uint32_t line) const {
    if (line == 0 || line > script_.lines.size()) return "";
    std::string s = script_.lines[line - 1];
    const auto b = s.find_first_not_of(" \t");
    return b == std::string::npos ? "" : s.substr(b);
  }

  void option(const ScriptOption& o) {
    if (o.name == "tolerance_usecs") {
      try {
        tolerance_ = std::stoll(o.value);
      } catch (...) {
        stop(Outcome::Fail, o.pos,
             {"bad --tolerance_usecs value \"" + o.value + "\"",
              "--tolerance_usecs 的值 \"" + o.value + "\" 无效"});
      }
      if (tolerance_ < 0 || tolerance_ > 60'000'000)
        stop(Outcome::Fail, o.pos, {"--tolerance_usecs out of range", "--tolerance_usecs 超出范围"});
    } else if (o.name == "tcp_ts_tick_usecs") {
      // Asks for the host's TS vals to be checked against the script's (packet_match.hpp, TsRemap).
      try {
        ts_.tick_usecs = std::stoll(o.value);
      } catch (...) {
        ts_.tick_usecs = -1;
      }
      if (ts_.tick_usecs < 0 || ts_.tick_usecs > 1'000'000)
        stop(Outcome::Fail, o.pos,
             {"bad --tcp_ts_tick_usecs value \"" + o.value + "\"",
              "--tcp_ts_tick_usecs 的值 \"" + o.value + "\" 无效"});
    } else {
      unsupported(o.pos, {"option --" + o.name, "选项 --" + o.name});
    }
  }

  // Script time of the event (microseconds) and the window its outcome may fall in.
  struct When {
    std::int64_t t = 0;
    std::int64_t lo = 0;
    std::int64_t hi = 0;
  };
  When when(const TimeSpec& ts) {
    When w;
    switch (ts.kind) {
      case TimeSpec::Kind::None:
      case TimeSpec::Kind::Any:
        w.t = std::max(prev_usecs_, usecs_of(net_.now()));
        w.lo = w.t;
        w.hi = w.t + kAnyTimeLimitUsecs;
        return w;
      case TimeSpec::Kind::Absolute:
        w.t = ts.usecs;
        break;
      case TimeSpec::Kind::Relative:
        w.t = prev_usecs_ + ts.usecs;
        break;
    }
    w.lo = w.t - tolerance_;
    w.hi = w.t + tolerance_;
    if (ts.range_end_usecs)
      w.hi = (ts.range_end_relative ? prev_usecs_ : 0) + *ts.range_end_usecs + tolerance_;
    if (w.t > kMaxScriptUsecs || w.hi > kMaxScriptUsecs)
      stop(Outcome::Unsupported, event_ ? event_->pos : SourcePos{},
           {"unsupported: a script time past " + seconds(kMaxScriptUsecs) + " s",
            "不支持：脚本时间超过 " + seconds(kMaxScriptUsecs) + " 秒"});
    return w;
  }

  void advance_to(std::int64_t us) {
    if (at_usecs(us) > net_.now()) {
      // The loop's clock moves only with events: one that does nothing carries it to the script's time.
      net_.loop().at(at_usecs(us), [](SimTime) {});
      net_.run(at_usecs(us));
    }
    net_.run(net_.now());  // what is due now, including what the last call queued
    check_pending(false);
  }

  void handle(const Event& e) {
    if (const auto* shell = std::get_if<ShellCommand>(&e.body)) {
      const ShellVerdict v = classify_shell_command(shell->text);
      if (v.runs_defaults_sh && linux_tcp()) {
        // The linux profile is Linux's defaults; defaults.sh differs in two sysctls the profile has.
        TcpConfig cfg = net_.host(local_).tcp_config();
        apply_defaults_sh(cfg);
        net_.host(local_).set_tcp_config(cfg);
      } else {
        for (const Bilingual& n : v.notes) result_.notes.push_back(n);
      }
      if (!v.settings.empty()) {
        TcpConfig cfg = net_.host(local_).tcp_config();
        for (const auto& [name, value] : v.settings) apply_sysctl(cfg, name, value);
        net_.host(local_).set_tcp_config(cfg);
      }
      if (!v.supported) unsupported(e.pos, v.unsupported);
      if (e.time.kind != TimeSpec::Kind::None) prev_usecs_ = when(e.time).t;
      event_time_ = std::max(prev_usecs_, usecs_of(net_.now()));
      return;
    }
    if (const auto* py = std::get_if<PythonBlock>(&e.body)) return python_block(e, *py);
    const When w = when(e.time);
    if (const auto* p = std::get_if<Packet>(&e.body)) {
      if (p->inbound) {
        advance_to(w.t);
        event_time_ = usecs_of(net_.now());
        inject(*p);
        advance_to(usecs_of(net_.now()));
        prev_usecs_ = e.time.kind == TimeSpec::Kind::Any ? usecs_of(net_.now()) : w.t;
      } else {
        const SimTime sent = expect_outbound(*p, w);
        event_time_ = usecs_of(sent);
        prev_usecs_ = (e.time.kind == TimeSpec::Kind::Any || e.time.range_end_usecs) ? usecs_of(sent) : w.t;
      }
      return;
    }
    const auto& call = std::get<Syscall>(e.body);
    advance_to(w.t);
    event_time_ = usecs_of(net_.now());
    const std::int64_t start = w.t;
    std::optional<std::int64_t> end;
    if (call.end_usecs) end = (e.time.kind == TimeSpec::Kind::Relative ? prev_usecs_ : 0) + *call.end_usecs;
    if (end && *end > kMaxScriptUsecs)
      stop(Outcome::Unsupported, e.pos,
           {"unsupported: a script time past " + seconds(kMaxScriptUsecs) + " s",
            "不支持：脚本时间超过 " + seconds(kMaxScriptUsecs) + " 秒"});
    prev_usecs_ = e.time.kind == TimeSpec::Kind::Any ? usecs_of(net_.now()) : start;
    syscall(e, call, end);
  }

  // %{ }%: assertions on the socket under test's tcp_info, taken when the block runs (python_block.hpp).
  void python_block(const Event& e, const PythonBlock& py) {
    const When w = when(e.time);
    advance_to(w.t);
    event_time_ = usecs_of(net_.now());
    if (e.time.kind != TimeSpec::Kind::None)
      prev_usecs_ = e.time.kind == TimeSpec::Kind::Any ? event_time_ : w.t;
    std::optional<TcpInfo> info;
    const TcpConnection* conn =
        socket_under_test_ ? net_.host(local_).tcp_connection(*socket_under_test_) : nullptr;
    if (conn) info = tcp_info_of(*conn);
    const PythonOutcome r = python_.run(py.text, info);
    if (r.kind == PythonOutcome::Kind::Ok) return;
    // The statement's place in the file: the block's text starts just after `%{`.
    SourcePos at{e.pos.line + r.line, r.column + 1};
    if (r.line == 0 && e.pos.line <= script_.lines.size()) {
      const auto open = script_.lines[e.pos.line - 1].find("%{", e.pos.column ? e.pos.column - 1 : 0);
      at.column += open == std::string::npos ? 0 : static_cast<std::uint32_t>(open + 2);
    }
    stop(r.kind == PythonOutcome::Kind::Failed ? Outcome::Fail : Outcome::Unsupported, at, {r.en, r.zh},
         line_text(at.line), r.actual);
  }

  // --- packets

  // packetdrill neither checks for nor discards the host's packets at a `<` line or a call
  // (run_packet.c injects without sniffing): a packet no `>` line expects stays queued and is what the next
  // `>` line is compared with, and packets left at the end of the script are not checked (blocking-write.pkt
  // has no `>` line at all).

  void inject(const Packet& p) {
    if (!tuple_known_) {
      // The peer opens a connection to the port a server script binds (packetdrill's default).
      local_port_ = kScriptPort;
      remote_port_ = kPeerPort;
      tuple_known_ = true;
    }
    if (p.flags & kSyn) remote_isn_ = p.seq;
    PacketRecord rec;
    rec.tcp_flags = p.flags;
    rec.seq = p.seq;
    // packetdrill's remapping: the peer's ack (and SACK edges) are written relative to the host's ISN.
    rec.ack = (p.flags & kAck) ? p.ack.value_or(0) + iss_.value_or(0) : 0;
    rec.window = static_cast<std::uint16_t>(p.window.value_or(65535));
    if (p.options_kind == Packet::Options::List) {
      wire::TcpOptions o = inbound_options(p, iss_.value_or(0));
      // The peer echoes the host's TS val as the script wrote it: mapped back to the host's clock (TsRemap).
      if (o.timestamps && ts_.offset) o.timestamps->echo_reply += *ts_.offset;
      if (!o.empty()) rec.options = o;
    }
    rec.payload_len = p.len;
    // The peer's bytes are the bulk pattern at their stream offset (sequence number after the SYN).
    rec.payload_ref = p.len ? static_cast<std::uint32_t>(p.seq - remote_isn_ - 1) : 0;
    rec.ip_id = next_ip_id_++;
    rec.cause = (p.flags & kRst)                       ? Cause::Reset
                : (p.len || (p.flags & (kSyn | kFin))) ? Cause::FirstTransmission
                                                       : Cause::PureAck;
    const std::uint32_t index =
        net_.send(peer_, kLocalAddr, std::move(rec), Transport::Tcp, remote_port_, local_port_);
    tag(index, event_->pos.line);
  }

  SentSegment segment_of(const Observed& o) const {
    const Trace& t = net_.trace();
    SentSegment s;
    s.time = o.time;
    s.flags = t.tcp_flags(o.packet);
    s.seq = t.seq(o.packet);
    s.ack = t.ack(o.packet);
    s.len = t.payload_len(o.packet);
    s.window = t.window(o.packet);
    if (auto opt = t.options(o.packet)) s.options = *opt;
    return s;
  }

  SimTime expect_outbound(const Packet& p, const When& w) {
    const std::string want = seconds(w.t) + " > " + packet_to_string(p);
    advance_to(std::max<std::int64_t>(w.lo, usecs_of(net_.now())));
    while (sent_.empty() && usecs_of(net_.now()) < w.hi) {
      advance_to(std::min(w.hi, usecs_of(net_.now()) + step_for(w.hi - w.lo)));
    }
    if (sent_.empty())
      stop(Outcome::Fail, event_->pos,
           {"error handling packet: timed out waiting for a packet by " + seconds(w.hi) + " s",
            "处理报文出错：到 " + seconds(w.hi) + " 秒仍未等到报文"},
           want, "");
    SentSegment a = segment_of(sent_.front());
    last_sent_packet_ = sent_.front().packet;
    std::vector<std::uint32_t> burst{sent_.front().packet};
    sent_.pop_front();
    if (!iss_ && (a.flags & kSyn)) iss_ = a.seq;
    if (!tuple_known_) learn_tuple();
    const std::uint32_t iss = iss_.value_or(0);
    // A TSO/GSO burst: Linux hands one large segment to the tun device; the simulator sent MSS-sized
    // segments back to back at the same instant, which packetdrill on Linux would have seen as one.
    while (a.len < p.len && !sent_.empty() && !(a.flags & (kSyn | kFin | kRst))) {
      const SentSegment next = segment_of(sent_.front());
      if (next.time != a.time || next.seq != a.seq + a.len || next.ack != a.ack ||
          (next.flags & (kSyn | kRst)) || a.len + next.len > p.len)
        break;
      // packetdrill's aggregate takes the last fragment's flags (fragments are not compared on PSH or FIN):
      // the PSH Linux puts on each GSO packet's last segment shows only if the burst ends with one.
      a.len += next.len;
      a.flags = next.flags;
      a.window = next.window;
      burst.push_back(sent_.front().packet);
      sent_.pop_front();
    }
    for (const std::uint32_t i : burst) tag(i, event_->pos.line);
    result_.failed_packets = burst;  // cleared below when it matches
    const std::string got = seconds(usecs_of(a.time)) + " > " + sent_to_string(a, iss);
    learn_ts_offset(p, a);
    ts_.tolerance_usecs = tolerance_;
    if (auto diff = compare_segment(p, a, iss, !ignore_options_, ts_))
      stop(Outcome::Fail, event_->pos, {"error handling packet: " + diff->en, "处理报文出错：" + diff->zh},
           want, got);
    const std::int64_t t = usecs_of(a.time);
    if (t < w.lo || t > w.hi)
      stop(Outcome::Fail, event_->pos,
           {"error handling packet: timing error: expected outbound packet in " + seconds(w.lo) + ".." +
                seconds(w.hi) + " s but happened at " + seconds(t) + " s",
            "处理报文出错：时间不符：预期在 " + seconds(w.lo) + ".." + seconds(w.hi) + " 秒发出，实际在 " +
                seconds(t) + " 秒"},
           want, got);
    result_.failed_packets.clear();
    return a.time;
  }

  bool linux_tcp() { return net_.host(local_).tcp_config().profile == TcpProfile::Linux; }

  void tag(std::uint32_t packet, std::uint32_t line) {
    if (result_.packet_lines.size() <= packet) result_.packet_lines.resize(packet + 1, 0);
    result_.packet_lines[packet] = line;
  }

  // The first TS val the host sends fixes the offset between its clock and the script's values.
  void learn_ts_offset(const Packet& p, const SentSegment& a) {
    if (ts_.offset || !a.options.timestamps || p.options_kind != Packet::Options::List) return;
    for (const TcpOption& o : p.options)
      if (o.kind == TcpOption::Kind::Timestamp) ts_.offset = a.options.timestamps->value - o.value;
  }

  void learn_tuple() {
    // A client script: the host picked its ephemeral port when it connected; the flow says which.
    const Trace& t = net_.trace();
    const TraceFlow& f = t.flows()[t.flow_of(last_sent_packet_)];
    const bool host_is_a = f.a.v4() == kLocalAddr;
    local_port_ = host_is_a ? f.a_port : f.b_port;
    remote_port_ = host_is_a ? f.b_port : f.a_port;
    tuple_known_ = true;
  }

  // --- system calls

  std::int64_t int_arg(const Syscall& c, std::size_t i) {
    if (i >= c.args.size() || c.args[i].kind != Expr::Kind::Integer)
      stop(Outcome::Fail, event_->pos,
           {c.name + ": argument " + std::to_string(i + 1) + " must be a number",
            c.name + "：第 " + std::to_string(i + 1) + " 个参数必须是数字"});
    return c.args[i].integer;
  }
  std::string symbol_arg(const Syscall& c, std::size_t i) {
    if (i >= c.args.size() || c.args[i].kind != Expr::Kind::Symbol) return "";
    return c.args[i].text;
  }
  // [N] as a socket option's value.
  std::optional<std::int64_t> array_value(const Syscall& c, std::size_t i) {
    if (i >= c.args.size()) return std::nullopt;
    const Expr& e = c.args[i];
    if (e.kind == Expr::Kind::Array && e.items.size() == 1 && e.items[0].kind == Expr::Kind::Integer)
      return e.items[0].integer;
    if (e.kind == Expr::Kind::Integer) return e.integer;
    return std::nullopt;
  }
  // send/sendmsg flags: 0 or MSG_MORE (alone or in an `|`); anything else is not modelled.
  bool send_flags_more(const Syscall& c, std::size_t i) {
    if (i >= c.args.size())
      stop(Outcome::Fail, event_->pos,
           {c.name + ": argument " + std::to_string(i + 1) + " (flags) is missing",
            c.name + "：缺少第 " + std::to_string(i + 1) + " 个参数（标志）"});
    const Expr& f = c.args[i];
    if (f.kind == Expr::Kind::Integer && f.integer == 0) return false;
    bool more = false;
    for (const Expr& x : f.kind == Expr::Kind::BitOr ? f.items : std::vector<Expr>{f}) {
      if (x.kind == Expr::Kind::Symbol && x.text == "MSG_MORE") {
        more = true;
        continue;
      }
      if (x.kind == Expr::Kind::Integer && x.integer == 0) continue;
      const std::string what = x.kind == Expr::Kind::Symbol ? x.text : "a value that is not 0 or MSG_MORE";
      unsupported(x.pos.line ? x.pos : event_->pos,
                  {c.name + " flag " + what + " (only 0 and MSG_MORE)",
                   c.name + " 的标志 " + what + "（只支持 0 和 MSG_MORE）"});
    }
    return more;
  }

  // sendmsg's byte count: the iov lengths of its msghdr, msg_iov(k)=[{..., n}, ...] with k entries.
  std::int64_t msghdr_length(const Syscall& c) {
    auto bad = [&](const SourcePos& at, const std::string& en, const std::string& zh) {
      stop(Outcome::Fail, at.line ? at : event_->pos, {"sendmsg: " + en, "sendmsg：" + zh});
    };
    if (c.args.size() < 2 || c.args[1].kind != Expr::Kind::Struct)
      bad(c.args.size() > 1 ? c.args[1].pos : SourcePos{}, "argument 2 must be a struct msghdr { ... }",
          "第 2 个参数必须是 struct msghdr { ... }");
    const Expr& msg = c.args[1];
    for (std::size_t k = 0; k < msg.items.size() && k < msg.field_names.size(); ++k) {
      const std::string& name = msg.field_names[k];
      if (name.rfind("msg_iov", 0) != 0) continue;
      const Expr& iov = msg.items[k];
      if (iov.kind != Expr::Kind::Array)
        bad(iov.pos, "msg_iov must be an array [{..., length}, ...]",
            "msg_iov 必须是数组 [{..., 长度}, ...]");
      // msg_iov(k): packetdrill checks the count against the array.
      const auto open = name.find('('), close = name.find(')');
      if (open != std::string::npos && close != std::string::npos && close > open + 1) {
        const std::string count = name.substr(open + 1, close - open - 1);
        if (count.find_first_not_of("0123456789") != std::string::npos || count.size() > 6 ||
            std::stoul(count) != iov.items.size())
          bad(iov.pos,
              "msg_iov(" + count + ") does not match the " + std::to_string(iov.items.size()) + " entries",
              "msg_iov(" + count + ") 与 " + std::to_string(iov.items.size()) + " 个条目不符");
      }
      std::int64_t total = 0;
      for (const Expr& entry : iov.items) {
        // {..., n} or {iov_base=..., iov_len=n}: the length is the last value.
        if (entry.kind != Expr::Kind::Struct || entry.items.empty() ||
            entry.items.back().kind != Expr::Kind::Integer || entry.items.back().integer < 0 ||
            entry.items.back().integer > (std::int64_t{1} << 40))
          bad(entry.pos, "each msg_iov entry must be {..., length} with a length from 0 to 2^40",
              "每个 msg_iov 条目必须是 {..., 长度}，长度在 0 到 2^40 之间");
        total += entry.items.back().integer;
      }
      return total;
    }
    bad(msg.pos, "the msghdr has no msg_iov", "msghdr 中没有 msg_iov");
    return 0;
  }

  SocketId fd(const Syscall& c) {
    const std::int64_t f = int_arg(c, 0);
    const auto it = fds_.find(f);
    if (it == fds_.end())
      stop(Outcome::Fail, event_->pos,
           {c.name + ": fd " + std::to_string(f) + " is not open in this script (EBADF)",
            c.name + "：本脚本没有打开 fd " + std::to_string(f) + "（EBADF）"});
    return it->second;
  }
  bool connected(SocketId s) { return net_.host(local_).tcp_connection(s) != nullptr; }

  void syscall(const Event& e, const Syscall& c, std::optional<std::int64_t> end) {
    Host& host = net_.host(local_);
    auto out = std::make_shared<CallOutcome>();
    auto now_value = [&](std::int64_t v) {
      out->done = true;
      out->at = net_.now();
      out->value = v;
    };
    auto now_status = [&](const Status& st) {
      out->done = true;
      out->at = net_.now();
      out->value = st ? 0 : -1;
      if (!st) out->error = st.error().reason;
    };
    auto count_cb = [out](SimTime t, Result<std::uint64_t> r) {
      out->done = true;
      out->at = t;
      out->value = r ? static_cast<std::int64_t>(*r) : -1;
      if (!r) out->error = r.error().reason;
    };
    std::optional<std::int64_t> bind_fd;
    const std::string unsupported_call = c.name;
    if (c.name == "socket") {
      if (symbol_arg(c, 1) != "SOCK_STREAM")
        unsupported(e.pos, {"socket type " + symbol_arg(c, 1) + " (only SOCK_STREAM)",
                            "套接字类型 " + symbol_arg(c, 1) + "（只支持 SOCK_STREAM）"});
      const SocketId s = host.tcp_socket();
      if (c.result.kind == Expr::Kind::Integer) fds_[c.result.integer] = s;
      socket_under_test_ = s;
      now_value(c.result.kind == Expr::Kind::Integer ? c.result.integer : 3);
    } else if (c.name == "bind") {
      local_port_ = kScriptPort;
      remote_port_ = kPeerPort;
      tuple_known_ = true;
      now_status(host.bind(fd(c), kScriptPort));
    } else if (c.name == "listen") {
      const std::int64_t backlog =
          c.args.size() > 1 && c.args[1].kind == Expr::Kind::Integer ? c.args[1].integer : 1;
      now_status(host.listen(fd(c), static_cast<std::uint32_t>(std::clamp<std::int64_t>(backlog, 0, 65535))));
    } else if (c.name == "accept") {
      if (c.result.kind == Expr::Kind::Integer) bind_fd = c.result.integer;
      host.accept(fd(c), [out](SimTime t, Result<SocketId> r) {
        out->done = true;
        out->at = t;
        out->value = r ? static_cast<std::int64_t>(*r) : -1;
        if (!r) out->error = r.error().reason;
      });
    } else if (c.name == "connect") {
      const SocketId s = fd(c);
      tuple_known_ = false;  // learnt from the SYN: the host picks its port
      host.connect(s, kRemoteAddr, kScriptPort, [out](SimTime t, Status st) {
        out->done = true;
        out->at = t;
        out->value = st ? 0 : -1;
        if (!st) out->error = st.error().reason;
      });
      if (nonblocking_.count(int_arg(c, 0))) {
        // O_NONBLOCK: connect returns at once while the handshake goes on (RFC 9293 §3.10.1 has no
        // "in progress" answer; POSIX connect(2) does).
        out->done = true;
        out->at = net_.now();
        out->value = -1;
        out->error = "connect: operation now in progress (EINPROGRESS)";
      }
    } else if (c.name == "fcntl") {
      const std::string cmd = symbol_arg(c, 1);
      if (cmd != "F_SETFL") unsupported(e.pos, {"fcntl " + cmd, "fcntl " + cmd});
      bool nb = false;
      if (c.args.size() > 2)
        for (const Expr& x :
             c.args[2].kind == Expr::Kind::BitOr ? c.args[2].items : std::vector<Expr>{c.args[2]})
          nb = nb || (x.kind == Expr::Kind::Symbol && x.text == "O_NONBLOCK");
      fd(c);
      if (nb) nonblocking_.insert(int_arg(c, 0));
      now_value(0);
    } else if (c.name == "write" || c.name == "send" || c.name == "sendmsg") {
      // write(fd, ..., n); send(fd, ..., n, flags); sendmsg(fd, {..., msg_iov(k)=[{..., n1}, ...]}, flags).
      const SocketId s = fd(c);
      const std::int64_t n = c.name == "sendmsg" ? msghdr_length(c) : int_arg(c, 2);
      if (n < 0) stop(Outcome::Fail, e.pos, {c.name + ": negative length", c.name + "：长度为负"});
      const std::size_t flags_at = c.name == "sendmsg" ? 2 : 3;
      const bool more = c.name != "write" && send_flags_more(c, flags_at);
      // MSG_MORE corks this call's push (send(2)); a call without it pushes again.
      host.set_connection_option(s, Host::TcpOption::MoreData, more ? 1 : 0);
      host.send(s, {}, static_cast<std::uint64_t>(n), count_cb);
    } else if (c.name == "read" || c.name == "recv") {
      if (c.name == "recv" &&
          !(c.args.size() > 3 && c.args[3].kind == Expr::Kind::Integer && c.args[3].integer == 0))
        unsupported(e.pos, {"recv flags other than 0", "recv 的标志不为 0"});
      const std::int64_t n = int_arg(c, 2);
      if (n < 0) stop(Outcome::Fail, e.pos, {c.name + ": negative length", c.name + "：长度为负"});
      host.recv_discard(fd(c), static_cast<std::size_t>(n), count_cb);
    } else if (c.name == "close") {
      now_status(host.close(fd(c)));
    } else if (c.name == "shutdown") {
      const std::string how = symbol_arg(c, 1);
      if (how != "SHUT_WR" && how != "SHUT_RD" && how != "SHUT_RDWR")
        unsupported(e.pos, {"shutdown(" + how + ")", "shutdown(" + how + ")"});
      now_status(host.shutdown(fd(c), how == "SHUT_WR"   ? Host::ShutHow::Write
                                      : how == "SHUT_RD" ? Host::ShutHow::Read
                                                         : Host::ShutHow::ReadWrite));
    } else if (c.name == "setsockopt" || c.name == "getsockopt") {
      sockopt(e, c, now_value);
    } else {
      unsupported(e.pos, {"system call " + unsupported_call + "()", "系统调用 " + unsupported_call + "()"});
    }
    net_.run(net_.now());  // callbacks the call posted for now
    if (end) {
      pending_.push_back(Pending{&e, out, *end, bind_fd});
      check_pending(false);
      return;
    }
    if (!out->done)
      stop(Outcome::Fail, e.pos,
           {"system call blocked: the script expects " + c.name + "() to return at once",
            "系统调用被阻塞：脚本预期 " + c.name + "() 立即返回"},
           line_text(e.pos.line), c.name + "() still blocked at " + seconds(usecs_of(net_.now())) + " s");
    check_result(e, c, *out, bind_fd);
  }

  template <typename F>
  void sockopt(const Event& e, const Syscall& c, F&& now_value) {
    const bool set = c.name == "setsockopt";
    const SocketId s = fd(c);
    const std::string name = symbol_arg(c, 2);
    TcpConfig cfg = net_.host(local_).tcp_config();
    const auto value = array_value(c, 3);
    // Options live in the host's TcpConfig, copied into each connection when it is made: a listener's
    // options reach the sockets accept() returns, as on Linux. A connection's copy cannot change afterwards.
    const bool fresh = !connected(s);
    if (name == "SO_REUSEADDR" && set) return now_value(0);  // TIME-WAIT never blocks a bind here
    if (name == "TCP_MAXSEG") {
      if (set && fresh && value) {
        cfg.mss = static_cast<std::uint16_t>(std::clamp<std::int64_t>(*value, 88, 65535));
        net_.host(local_).set_tcp_config(cfg);
        return now_value(0);
      }
      if (!set) {
        const TcpConnection* conn = net_.host(local_).tcp_connection(s);
        const std::int64_t mss = conn ? conn->effective_mss() : cfg.mss;
        if (value && *value != mss)
          stop(Outcome::Fail, e.pos,
               {"getsockopt(TCP_MAXSEG): expected " + std::to_string(*value) + " but it is " +
                    std::to_string(mss),
                "getsockopt(TCP_MAXSEG)：预期 " + std::to_string(*value) + "，实际 " + std::to_string(mss)},
               line_text(e.pos.line), "[" + std::to_string(mss) + "]");
        return now_value(0);
      }
    }
    if ((name == "SO_SNDBUF" || name == "SO_RCVBUF") && set && fresh && value) {
      // socket(7): the kernel doubles the value to leave room for its bookkeeping.
      const auto bytes = static_cast<std::uint32_t>(std::clamp<std::int64_t>(*value * 2, 2048, 1 << 30));
      (name == "SO_SNDBUF" ? cfg.send_buffer : cfg.recv_buffer) = bytes;
      if (name == "SO_SNDBUF") cfg.send_buffer_locked = true;  // SOCK_SNDBUF_LOCK: no autotuning
      net_.host(local_).set_tcp_config(cfg);
      return now_value(0);
    }
    if (name == "TCP_NODELAY" && set && fresh && value) {
      cfg.nagle = *value == 0;
      net_.host(local_).set_tcp_config(cfg);
      return now_value(0);
    }
    if (!fresh && set && value) {
      // A connected socket: the connection's own copy changes (Host::set_connection_option).
      std::optional<Host::TcpOption> opt;
      std::int64_t v = *value;
      if (name == "TCP_NODELAY") opt = Host::TcpOption::NoDelay;
      if (name == "TCP_CORK") opt = Host::TcpOption::Cork;
      if (name == "SO_SNDBUF" || name == "SO_RCVBUF") {
        opt = name == "SO_SNDBUF" ? Host::TcpOption::SendBuffer : Host::TcpOption::RecvBuffer;
        v *= 2;  // socket(7): the kernel doubles the value
      }
      if (opt && net_.host(local_).set_connection_option(s, *opt, v)) return now_value(0);
    }
    if (name == "SO_SNDBUF" && !set && !fresh) {
      const std::int64_t have = net_.host(local_).tcp_connection(s)->send_buffer_bytes();
      if (value && *value != have)
        stop(Outcome::Fail, e.pos,
             {"getsockopt(SO_SNDBUF): expected " + std::to_string(*value) + " but it is " +
                  std::to_string(have),
              "getsockopt(SO_SNDBUF)：预期 " + std::to_string(*value) + "，实际 " + std::to_string(have)},
             line_text(e.pos.line), "[" + std::to_string(have) + "]");
      return now_value(0);
    }
    if (name == "TCP_CORK" && set && fresh && value) {
      cfg.cork = *value != 0;
      net_.host(local_).set_tcp_config(cfg);
      return now_value(0);
    }
    const std::string where = fresh ? "" : " on a connected socket";
    const std::string where_zh = fresh ? "" : "（已连接的套接字）";
    unsupported(e.pos, {c.name + "(" + name + ")" + where, c.name + "(" + name + ")" + where_zh});
  }

  void check_result(const Event& e, const Syscall& c, const CallOutcome& out,
                    std::optional<std::int64_t> bind_fd) {
    const std::string got = out.value >= 0 ? std::to_string(out.value) : "-1 (" + out.error + ")";
    if (c.name == "accept" && out.value >= 0 && bind_fd) {
      fds_[*bind_fd] = static_cast<SocketId>(out.value);
      socket_under_test_ = static_cast<SocketId>(out.value);
      if (out.value >= 0 && c.result.kind == Expr::Kind::Integer) return;
    }
    if (c.name == "socket") return;
    if (c.result.kind == Expr::Kind::Ellipsis) return;
    if (c.result.kind != Expr::Kind::Integer)
      unsupported(e.pos, {"a result that is not a number", "结果不是数字"});
    bool ok = out.value == c.result.integer;
    if (ok && c.result.integer == -1 && !c.errno_name.empty())
      ok = out.error.find(c.errno_name) != std::string::npos;
    if (!ok)
      stop(Outcome::Fail, e.pos,
           {c.name + "() returned " + got + ", expected " + std::to_string(c.result.integer) +
                (c.errno_name.empty() ? "" : " " + c.errno_name),
            c.name + "() 返回 " + got + "，预期 " + std::to_string(c.result.integer) +
                (c.errno_name.empty() ? "" : " " + c.errno_name)},
           line_text(e.pos.line), c.name + "() = " + got);
  }

  void check_pending(bool at_end) {
    for (std::size_t i = 0; i < pending_.size();) {
      Pending& p = pending_[i];
      const auto& c = std::get<Syscall>(p.event->body);
      const std::int64_t now = usecs_of(net_.now());
      if (p.outcome->done) {
        const std::int64_t t = usecs_of(p.outcome->at);
        if (t < p.end_usecs - tolerance_ || t > p.end_usecs + tolerance_)
          stop(Outcome::Fail, p.event->pos,
               {"timing error: expected system call return at " + seconds(p.end_usecs) +
                    " s but happened at " + seconds(t) + " s",
                "时间不符：预期系统调用在 " + seconds(p.end_usecs) + " 秒返回，实际在 " + seconds(t) + " 秒"},
               line_text(p.event->pos.line), c.name + "() returned at " + seconds(t) + " s");
        const Pending done = p;
        pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(i));
        check_result(*done.event, c, *done.outcome, done.bind_fd);
        continue;
      }
      if (at_end || now > p.end_usecs + tolerance_)
        stop(Outcome::Fail, p.event->pos,
             {"timing error: expected system call return at " + seconds(p.end_usecs) +
                  " s; still blocked at " + seconds(now) + " s",
              "时间不符：预期系统调用在 " + seconds(p.end_usecs) + " 秒返回，到 " + seconds(now) +
                  " 秒仍被阻塞"},
             line_text(p.event->pos.line), c.name + "() still blocked");
      ++i;
    }
  }

  void finish_pending() {
    std::int64_t last = usecs_of(net_.now());
    for (const Pending& p : pending_) last = std::max(last, p.end_usecs + tolerance_);
    const std::int64_t step = step_for(last - usecs_of(net_.now()));
    while (!pending_.empty() && usecs_of(net_.now()) < last)
      advance_to(std::min(last, usecs_of(net_.now()) + step));
    check_pending(true);
  }

  const Script& script_;
  Network net_;
  bool ignore_options_ = false;
  HostId local_ = 0;
  HostId peer_ = 0;
  RunResult result_;
  const Event* event_ = nullptr;
  std::deque<Observed> sent_;  // the host's packets not yet matched, oldest first
  std::uint32_t last_sent_packet_ = 0;
  std::map<std::int64_t, SocketId> fds_;  // the script's fd numbers -> the host's sockets
  std::set<std::int64_t> nonblocking_;
  std::vector<Pending> pending_;  // blocking calls not yet returned
  std::optional<std::uint32_t> iss_;
  std::uint32_t remote_isn_ = 0;
  std::uint16_t local_port_ = kScriptPort;
  std::uint16_t remote_port_ = kPeerPort;
  bool tuple_known_ = false;
  std::uint16_t next_ip_id_ = 1;
  std::int64_t prev_usecs_ = 0;
  std::int64_t event_time_ = 0;  // when the current event happened (usecs), for RunResult::line_times
  std::int64_t tolerance_ = kDefaultToleranceUsecs;
  TsRemap ts_;
  std::optional<SocketId> socket_under_test_;  // the socket %{ }% blocks read tcp_info from (last made)
  PythonSession python_;                       // one per script: variables carry from block to block
};

}  // namespace

RunResult run_script(const Script& script, const RunOptions& options) {
  return Runner(script, options).run();
}

}  // namespace wirestep::packetdrill
