#include "sim/packetdrill/packet_match.hpp"

#include "sim/packetdrill/script_parser.hpp"

namespace wirestep::packetdrill {
namespace {

std::string options_to_string(const wire::TcpOptions& o, std::uint32_t iss) {
  if (o.empty()) return "";
  std::string out;
  auto add = [&out](const std::string& s) { out += (out.empty() ? "" : ",") + s; };
  if (o.mss) add("mss " + std::to_string(*o.mss));
  if (o.sack_permitted) add("sackOK");
  if (o.timestamps)
    add("TS val " + std::to_string(o.timestamps->value) + " ecr " + std::to_string(o.timestamps->echo_reply));
  if (o.window_scale) add("wscale " + std::to_string(*o.window_scale));
  if (o.sack_count) {
    std::string s = "sack";
    for (std::uint8_t i = 0; i < o.sack_count && i < o.sack.size(); ++i)
      s += " " + std::to_string(o.sack[i].left - iss) + ":" + std::to_string(o.sack[i].right - iss);
    add(s);
  }
  return " <" + out + ">";
}

Bilingual field(const std::string& name, const std::string& expected, const std::string& actual) {
  return {"live packet field " + name + ": expected: " + expected + " vs actual: " + actual,
          "实际报文字段 " + name + "：预期 " + expected + "，实际 " + actual};
}

}  // namespace

std::string sent_to_string(const SentSegment& s, std::uint32_t iss) {
  const std::uint32_t rel = s.seq - iss;
  std::string out = flags_to_string(s.flags) + " " + std::to_string(rel) + ":" + std::to_string(rel + s.len) +
                    "(" + std::to_string(s.len) + ")";
  if (s.flags & wire::tcp_flag::kAck) out += " ack " + std::to_string(s.ack);
  out += " win " + std::to_string(s.window);
  return out + options_to_string(s.options, iss);
}

wire::TcpOptions inbound_options(const Packet& p, std::uint32_t iss) {
  wire::TcpOptions o;
  for (const TcpOption& opt : p.options) {
    switch (opt.kind) {
      case TcpOption::Kind::Mss:
        o.mss = static_cast<std::uint16_t>(opt.value);
        break;
      case TcpOption::Kind::WindowScale:
        o.window_scale = static_cast<std::uint8_t>(opt.value);
        break;
      case TcpOption::Kind::SackPermitted:
        o.sack_permitted = true;
        break;
      case TcpOption::Kind::Timestamp:
        o.timestamps = wire::TcpTimestamps{opt.value, opt.echo};
        break;
      case TcpOption::Kind::Sack:
        for (const auto& [l, r] : opt.sack_blocks) {
          if (o.sack_count >= o.sack.size()) break;
          o.sack[o.sack_count++] = wire::SackBlock{l + iss, r + iss};
        }
        break;
      case TcpOption::Kind::Nop:
      case TcpOption::Kind::Eol:
        break;  // layout only
    }
  }
  return o;
}

std::optional<Bilingual> compare_segment(const Packet& e, const SentSegment& a, std::uint32_t iss,
                                         bool compare_options, const TsRemap& ts) {
  using namespace wire::tcp_flag;
  if (e.flags != a.flags) return field("flags", flags_to_string(e.flags), flags_to_string(a.flags));
  const std::uint32_t rel = a.seq - iss;
  if (e.seq != rel) return field("seq", std::to_string(e.seq), std::to_string(rel));
  if (e.len != a.len) return field("payload length", std::to_string(e.len), std::to_string(a.len));
  if (e.ack && *e.ack != a.ack) return field("ack", std::to_string(*e.ack), std::to_string(a.ack));
  if (e.window && *e.window != a.window)
    return field("win", std::to_string(*e.window), std::to_string(a.window));
  if (e.options_kind == Packet::Options::Any || !compare_options) return std::nullopt;
  // Compared by meaning: the Trace keeps decoded options, not their byte layout (nop, eol).
  const wire::TcpOptions want = inbound_options(e, iss);
  wire::TcpOptions got = a.options;
  if (want.timestamps && got.timestamps) {
    // The host's TS val is compared through the remapping (see TsRemap); the echo is the peer's own value.
    if (ts.offset && ts.tick_usecs > 0) {
      const std::uint32_t expect = want.timestamps->value + *ts.offset;
      const auto off = static_cast<std::int32_t>(got.timestamps->value - expect);  // RFC 7323 §5.2: mod 2^32
      const std::int64_t slack = ts.tolerance_usecs / ts.tick_usecs + 1;
      if (off > slack || off < -slack)
        return Bilingual{"bad outbound TCP timestamp value: expected " +
                             std::to_string(want.timestamps->value) + " (" + std::to_string(expect) +
                             " on the wire) vs actual " + std::to_string(got.timestamps->value - *ts.offset),
                         "发出报文的 TCP 时间戳值不符：预期 " + std::to_string(want.timestamps->value) +
                             "（线上 " + std::to_string(expect) + "），实际 " +
                             std::to_string(got.timestamps->value - *ts.offset)};
    }
    got.timestamps->value = want.timestamps->value;
  }
  if (!(want == got)) {
    const std::string w = options_to_string(want, iss), g = options_to_string(a.options, iss);
    return field("TCP options", w.empty() ? "<none>" : w.substr(1), g.empty() ? "<none>" : g.substr(1));
  }
  return std::nullopt;
}

}  // namespace wirestep::packetdrill
