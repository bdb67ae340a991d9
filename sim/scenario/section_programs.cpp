// [[program]] and its [[program.step]]s: the socket calls each host makes, in order; and [comparison], the
// workload that generates a TCP and a UDP program itself.
#include <algorithm>
#include <cctype>

#include "sim/scenario/section_readers.hpp"
#include "sim/scenario/text_encoding.hpp"
#include "sim/scenario/units.hpp"

namespace wirestep::sections {
namespace {

using toml_reader::fail;

// sendto/send: count, interval, and a text payload with its encoding. Returns whether there was a text
// (otherwise the caller reads "bytes").
bool read_repeat_and_text(const TableReader& r, Step& s) {
  s.count = static_cast<std::uint32_t>(r.integer("count", 1, 10'000'000).value_or(1));
  if (auto iv = r.quantity<SimDuration>("interval", parse_duration)) s.interval = *iv;
  if (r.has("text") && r.has("bytes"))
    fail(r.node("bytes")->source(), r.label("bytes") + ": give either \"text\" or \"bytes\", not both",
         r.label_zh("bytes") + "：\"text\" 和 \"bytes\" 只能给一个");
  const auto text = r.str("text");
  if (!text) return false;
  s.text = *text;
  s.encoding = r.str("encoding").value_or("utf-8");
  std::string why, why_zh;
  // Check the encoding once now so a bad file fails at load time, not half-way through a run.
  if (!encode_text(s.text, s.encoding, why, why_zh))
    fail(r.node(r.has("encoding") ? "encoding" : "text")->source(), r.label("text") + ": " + why,
         r.label_zh("text") + "：" + why_zh);
  return true;
}

// "B:8080", "10.0.0.2:8080"
void read_destination(const ScenarioDraft& d, const TableReader& r, Step& s) {
  const std::string to = *r.str("to", true);
  const auto colon = to.rfind(':');
  const auto& where = r.node("to")->source();
  if (colon == std::string::npos)
    fail(where, r.label("to") + ": \"" + to + "\" needs a port, e.g. \"B:8080\" or \"10.0.0.2:8080\"",
         r.label_zh("to") + "：\"" + to + "\" 缺少端口，例如 \"B:8080\" 或 \"10.0.0.2:8080\"");
  const std::string host = to.substr(0, colon), port = to.substr(colon + 1);
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) ||
      std::stoi(port) > 65535 || std::stoi(port) == 0)
    fail(where, r.label("to") + ": port \"" + port + "\" must be 1..65535",
         r.label_zh("to") + "：端口 \"" + port + "\" 必须在 1..65535 之间");
  s.to_port = static_cast<std::uint16_t>(std::stoi(port));
  if (auto ip = wire::Ipv4Addr::parse(host)) {
    s.to_addr = *ip;  // any address, even one no host has: the lesson may be "no route"
    return;
  }
  known_host(d, r, "to", host, where);
  for (const auto& h : d.sc.hosts)
    if (h.name == host) s.to_addr = h.address;
}

// send: "text", or "bytes" as a count ("bytes = 1000") or a size with a unit ("bytes = \"1MB\"").
void read_send_payload(const toml::table& t, const std::string& ctx, const TableReader& r, Step& s) {
  if (read_repeat_and_text(r, s)) return;
  const toml::node* b = r.node("bytes");
  if (!b)
    fail(t.source(), ctx + ": send needs \"text\" or \"bytes\"",
         toml_reader::context_zh(ctx) + "：send 需要 \"text\" 或 \"bytes\"");
  if (b->is_integer()) {
    const std::int64_t v = *b->value<std::int64_t>();
    if (v < 0 || v > (std::int64_t{1} << 40))
      fail(b->source(), r.label("bytes") + ": must be 0..1 TiB",
           r.label_zh("bytes") + "：必须在 0..1 TiB 之间");
    s.send_bytes = static_cast<std::uint64_t>(v);
  } else {
    s.send_bytes = *r.quantity<std::uint64_t>("bytes", parse_byte_size);
  }
}

Step read_step(const ScenarioDraft& d, const toml::table& t, const std::string& ctx) {
  const toml::node* call_node = t.get("call");
  if (!call_node || !call_node->is_string())
    fail(t.source(),
         ctx +
             " key \"call\": required (bind, listen, accept, connect, send, recv, sendto, recvfrom, "
             "shutdown, close, sleep)",
         toml_reader::context_zh(ctx) +
             " 的键 \"call\"：必须给出（bind、listen、accept、connect、send、recv、sendto、recvfrom、"
             "shutdown、close、sleep）");
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
    // to = "sender": answer whoever the last recvfrom heard from, as an echo server does.
    if (r.str("to") == std::optional<std::string>("sender"))
      s.to_sender = true;
    else
      read_destination(d, r, s);
    if (read_repeat_and_text(r, s)) {
    } else if (auto n = r.integer("bytes", 0, 65507)) {
      s.size = static_cast<std::uint32_t>(*n);
    } else {
      fail(t.source(), ctx + ": sendto needs \"text\" or \"bytes\"",
           toml_reader::context_zh(ctx) + "：sendto 需要 \"text\" 或 \"bytes\"");
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
    read_destination(d, r, s);
  } else if (call == "send") {
    TableReader r(t, ctx, {"call", "at", "text", "encoding", "bytes", "count", "interval", "on"});
    read_at(r);
    s.call = Step::Call::Send;
    s.on = r.str("on").value_or("");
    read_send_payload(t, ctx, r, s);
  } else if (call == "recv") {
    TableReader r(t, ctx, {"call", "at", "size", "count", "until_eof", "on"});
    read_at(r);
    s.call = Step::Call::Recv;
    s.on = r.str("on").value_or("");
    s.size = static_cast<std::uint32_t>(r.integer("size", 1, 16 << 20, true).value_or(1024));
    s.count = static_cast<std::uint32_t>(r.integer("count", 1, 10'000'000).value_or(1));
    if (auto u = r.boolean("until_eof")) s.until_eof = *u;
  } else if (call == "shutdown") {
    TableReader r(t, ctx, {"call", "at", "on"});
    read_at(r);
    s.call = Step::Call::Shutdown;
    s.on = r.str("on").value_or("");
  } else if (call == "ping") {
    // ping -c count -i interval -s size -t ttl -W wait (issue #18)
    TableReader r(t, ctx, {"call", "at", "to", "count", "interval", "size", "ttl", "wait"});
    read_at(r);
    s.call = Step::Call::Ping;
    const std::string to = *r.str("to", true);
    auto ip = wire::Ipv4Addr::parse(to);
    if (!ip)
      fail(r.node("to")->source(),
           r.label("to") + ": \"" + to + "\" is not an IPv4 address like \"10.0.0.2\"",
           r.label_zh("to") + "：\"" + to + "\" 不是形如 \"10.0.0.2\" 的 IPv4 地址");
    s.to_addr = *ip;
    s.count = static_cast<std::uint32_t>(r.integer("count", 1, 10'000).value_or(4));
    s.interval = r.quantity<SimDuration>("interval", parse_duration).value_or(SimDuration::seconds(1));
    s.size = static_cast<std::uint32_t>(r.integer("size", 0, 65507).value_or(56));
    s.ttl = static_cast<std::uint8_t>(r.integer("ttl", 1, 255).value_or(64));
    s.wait = r.quantity<SimDuration>("wait", parse_duration).value_or(SimDuration::seconds(10));
  } else if (call == "traceroute") {
    // traceroute -m max_ttl -q queries -w wait (issue #18)
    TableReader r(t, ctx, {"call", "at", "to", "max_ttl", "queries", "wait"});
    read_at(r);
    s.call = Step::Call::Traceroute;
    const std::string to = *r.str("to", true);
    auto ip = wire::Ipv4Addr::parse(to);
    if (!ip)
      fail(r.node("to")->source(),
           r.label("to") + ": \"" + to + "\" is not an IPv4 address like \"10.0.0.2\"",
           r.label_zh("to") + "：\"" + to + "\" 不是形如 \"10.0.0.2\" 的 IPv4 地址");
    s.to_addr = *ip;
    s.max_ttl = static_cast<std::uint8_t>(r.integer("max_ttl", 1, 255).value_or(30));
    s.queries = static_cast<std::uint8_t>(r.integer("queries", 1, 10).value_or(3));
    s.wait = r.quantity<SimDuration>("wait", parse_duration).value_or(SimDuration::seconds(5));
  } else {
    fail(call_node->source(),
         ctx + " key \"call\": unknown socket call \"" + call + "\"" +
             toml_reader::did_you_mean(call,
                                       {"bind", "sendto", "recvfrom", "sleep", "close", "listen", "accept",
                                        "connect", "send", "recv", "shutdown", "ping", "traceroute"},
                                       " (use bind, listen, accept, connect, send, recv, "
                                       "sendto, recvfrom, shutdown, close or sleep)"),
         toml_reader::context_zh(ctx) + " 的键 \"call\"：未知的套接字调用 \"" + call + "\"" +
             toml_reader::did_you_mean_zh(call,
                                          {"bind", "sendto", "recvfrom", "sleep", "close", "listen", "accept",
                                           "connect", "send", "recv", "shutdown", "ping", "traceroute"},
                                          "（可用：bind、listen、accept、connect、send、recv、"
                                          "sendto、recvfrom、shutdown、close、sleep）"));
  }
  return s;
}

}  // namespace

void read_programs(const toml::table& root, ScenarioDraft& d) {
  const toml::array* arr = toml_reader::table_array(root, "program", "top-level key");
  if (!arr) return;
  for (const auto& el : *arr) {
    const toml::table& t = *el.as_table();
    TableReader r(t, "[[program]]", {"name", "host", "socket", "step"});
    ScenarioProgram p;
    // Read "host" first: arguments are evaluated in no fixed order, and node("host") is null when it is
    // missing.
    const std::string host = *r.str("host", true);
    p.host = known_host(d, r, "host", host, r.node("host")->source());
    p.name = r.str("name").value_or(p.host + " program");
    if (auto sock = r.str("socket")) {
      if (*sock != "udp" && *sock != "tcp")
        fail(r.node("socket")->source(), r.label("socket") + ": \"" + *sock + "\" must be \"udp\" or \"tcp\"",
             r.label_zh("socket") + "：\"" + *sock + "\" 必须是 \"udp\" 或 \"tcp\"");
      p.tcp = *sock == "tcp";
    }
    const toml::array* steps = toml_reader::table_array(t, "step", "[[program]]");
    if (!steps || steps->empty())
      fail(t.source(), "[[program]] \"" + p.name + "\": needs at least one [[program.step]]",
           "[[program]] \"" + p.name + "\"：至少需要一个 [[program.step]]");
    std::optional<SimTime> last_at;
    int index = 0;
    for (const auto& se : *steps) {
      ++index;
      const std::string ctx = "[[program.step]] #" + std::to_string(index) + " of \"" + p.name + "\"";
      Step s = read_step(d, *se.as_table(), ctx);
      if (s.at) {
        if (last_at && *s.at < *last_at)
          fail(se.as_table()->get("at")->source(),
               ctx + " key \"at\": time goes backwards (" + format_millis(*s.at) +
                   " ms comes after a step at " + format_millis(*last_at) + " ms)",
               toml_reader::context_zh(ctx) + " 的键 \"at\"：时间倒退了（" + format_millis(*s.at) +
                   " ms 排在 " + format_millis(*last_at) + " ms 的步骤之后）");
        last_at = s.at;
      }
      p.steps.push_back(std::move(s));
    }
    d.sc.programs.push_back(std::move(p));
  }
}

void read_comparison(const toml::table& root, ScenarioDraft& d) {
  const toml::node* n = root.get("comparison");
  if (!n) return;
  if (!n->is_table())
    fail(n->source(), "top-level key \"comparison\": expected a table ([comparison])",
         "顶层键 \"comparison\"：应为表（[comparison]）");
  TableReader r(*n->as_table(), "[comparison]",
                {"from", "to", "port", "messages", "size", "interval", "start"});
  ComparisonWorkload w;
  w.from = required_host(d, r, "from");
  w.to = required_host(d, r, "to");
  if (w.from == w.to)
    fail(r.node("to")->source(), r.label("to") + ": sender and receiver must be different hosts",
         r.label_zh("to") + "：发送方和接收方必须是不同的主机");
  w.port = static_cast<std::uint16_t>(r.integer("port", 1, 65535).value_or(9000));
  w.messages = static_cast<std::uint32_t>(r.integer("messages", 1, 1'000'000).value_or(100));
  w.size = static_cast<std::uint32_t>(r.integer("size", 16, 65507).value_or(1000));
  if (auto v = r.quantity<SimDuration>("interval", parse_duration)) w.interval = *v;
  if (auto v = r.quantity<SimDuration>("start", parse_duration)) w.start = SimTime{v->ns};
  if (!d.sc.programs.empty())
    fail(n->source(), "[comparison] generates the programs itself: remove the [[program]] tables",
         "[comparison] 会自己生成程序：请删除 [[program]] 表");
  d.sc.comparison = w;
}

}  // namespace wirestep::sections
