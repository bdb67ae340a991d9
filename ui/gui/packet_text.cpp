#include "ui/gui/packet_text.hpp"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include <cstring>
#include <string>
#include <vector>

#include "sim/scenario/text_encoding.hpp"
#include "sim/wire/transport.hpp"
#include "ui/cli/arp_icmp_label.hpp"
#include "ui/cli/display_width.hpp"

namespace wirestep::gui {
namespace {

std::size_t clamp_written(int n, std::size_t size) {
  if (n < 0 || size == 0) return 0;
  return static_cast<std::size_t>(n) < size ? static_cast<std::size_t>(n) : size - 1;
}

// "SYN,ACK" without PSH: PSH says nothing a learner needs on the arrow.
std::size_t flag_names(char* buf, std::size_t size, std::uint8_t flags) {
  namespace f = wire::tcp_flag;
  static constexpr struct {
    std::uint8_t bit;
    const char* name;
  } kNames[] = {{f::kSyn, "SYN"}, {f::kFin, "FIN"}, {f::kRst, "RST"}, {f::kAck, "ACK"},
                {f::kUrg, "URG"}, {f::kEce, "ECE"}, {f::kCwr, "CWR"}};
  std::size_t used = 0;
  for (const auto& n : kNames) {
    if (!(flags & n.bit)) continue;
    used +=
        clamp_written(std::snprintf(buf + used, size - used, "%s%s", used ? "," : "", n.name), size - used);
  }
  if (size) buf[used] = '\0';
  return used;
}

constexpr std::uint32_t kMaxTextPayload = 200;  // longer payloads are bulk data, not a message
constexpr std::size_t kTextColumns = 20;  // the inspector's first line must still show the closing quote

// Appends ` "text"` when the payload decodes to text and fits in what is left of `buf`.
std::size_t append_payload_text(char* buf, std::size_t size, std::size_t used, const Trace& trace,
                                std::size_t index, const PacketRecord& p) {
  if (p.payload_len == 0 || p.payload_len > kMaxTextPayload || used + 1 >= size) return used;
  std::vector<std::uint8_t> bytes;
  trace.payload_bytes(index, bytes);
  const auto text = decode_payload_text(bytes);
  if (!text) return used;
  const std::string escaped = escape_control_chars(*text);
  // Shorten by columns until the bytes fit, so the buffer never ends inside a UTF-8 sequence.
  for (std::size_t columns = kTextColumns; columns >= 4; columns -= 4) {
    const std::string quoted = " \"" + shorten_to_width(escaped, columns) + "\"";
    if (used + quoted.size() < size) {
      std::memcpy(buf + used, quoted.data(), quoted.size());
      used += quoted.size();
      buf[used] = '\0';
      return used;
    }
  }
  return used;
}

}  // namespace

std::size_t format_packet_label(char* buf, std::size_t size, const Trace& trace, std::size_t index,
                                const RelativeSeq* rel, LabelText text, Lang lang) {
  namespace f = wire::tcp_flag;
  if (size == 0) return 0;
  const PacketRecord p = trace.packet(index);
  if (p.arp || p.icmp) return format_arp_icmp_label(buf, size, p, lang);
  const TraceFlow& flow = trace.flows().at(p.flow);
  const bool fwd = p.dir == Direction::AtoB;
  if (flow.proto == Transport::Udp) {
    const unsigned sport = fwd ? flow.a_port : flow.b_port, dport = fwd ? flow.b_port : flow.a_port;
    const std::size_t used = clamp_written(
        std::snprintf(buf, size, "UDP %u\xE2\x86\x92%u len=%" PRIu32, sport, dport, p.payload_len), size);
    return text == LabelText::WithPayload ? append_payload_text(buf, size, used, trace, index, p) : used;
  }
  if (flow.proto != Transport::Tcp) return clamp_written(std::snprintf(buf, size, "IP"), size);
  const std::uint32_t seq = rel ? rel->seq(p.flow, p.dir, p.seq) : p.seq;
  const std::uint32_t ack = rel ? rel->ack(p.flow, p.dir, p.ack) : p.ack;
  const bool has_ack = p.tcp_flags & f::kAck;
  std::size_t used = 0;
  auto put = [&](int n) { used += clamp_written(n, size - used); };
  const bool control = p.tcp_flags & (f::kSyn | f::kFin | f::kRst);
  if (!control && p.payload_len == 0 && has_ack) {
    // A pure ACK is its acknowledgement number.
    put(std::snprintf(buf, size, "ACK %" PRIu32, ack));
  } else {
    if (control) {
      used = flag_names(buf, size, p.tcp_flags & ~f::kPsh);
      put(std::snprintf(buf + used, size - used, " "));
    }
    put(std::snprintf(buf + used, size - used, "seq=%" PRIu32, seq));
    if (has_ack) put(std::snprintf(buf + used, size - used, " ack=%" PRIu32, ack));
    if (p.payload_len) put(std::snprintf(buf + used, size - used, " len=%" PRIu32, p.payload_len));
    if (text == LabelText::WithPayload) used = append_payload_text(buf, size, used, trace, index, p);
  }
  if (p.window == 0 && !(p.tcp_flags & f::kRst)) put(std::snprintf(buf + used, size - used, " win=0"));
  return used;
}

std::size_t format_time(char* buf, std::size_t size, std::int64_t ns, std::int64_t resolution_ns) {
  const char* sign = ns < 0 ? "-" : "";
  const std::uint64_t a = static_cast<std::uint64_t>(ns < 0 ? -ns : ns);
  int n = 0;
  if (resolution_ns >= 1'000'000'000) {
    n = std::snprintf(buf, size, "%s%" PRIu64 " s", sign, a / 1'000'000'000);
  } else if (resolution_ns >= 100'000'000 && a >= 1'000'000'000) {
    n = std::snprintf(buf, size, "%s%" PRIu64 ".%01" PRIu64 " s", sign, a / 1'000'000'000,
                      a % 1'000'000'000 / 100'000'000);
  } else if (resolution_ns >= 1'000'000) {
    n = std::snprintf(buf, size, "%s%" PRIu64 " ms", sign, a / 1'000'000);
  } else if (resolution_ns >= 100'000) {
    n = std::snprintf(buf, size, "%s%" PRIu64 ".%01" PRIu64 " ms", sign, a / 1'000'000,
                      a % 1'000'000 / 100'000);
  } else if (resolution_ns >= 10'000) {
    n = std::snprintf(buf, size, "%s%" PRIu64 ".%02" PRIu64 " ms", sign, a / 1'000'000,
                      a % 1'000'000 / 10'000);
  } else if (resolution_ns >= 1'000) {
    n = std::snprintf(buf, size, "%s%" PRIu64 ".%03" PRIu64 " ms", sign, a / 1'000'000,
                      a % 1'000'000 / 1'000);
  } else {
    n = std::snprintf(buf, size, "%s%" PRIu64 ".%06" PRIu64 " ms", sign, a / 1'000'000, a % 1'000'000);
  }
  return clamp_written(n, size);
}

}  // namespace wirestep::gui
