#include "ui/cli/comparison_table.hpp"

#include <algorithm>

#include "ui/cli/cli_text.hpp"
#include "ui/cli/display_width.hpp"

namespace wirestep {
namespace {

std::string ms(SimDuration d) {
  return format_millis(d, 1) + " ms";
}

std::string percent_of(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "-";
  const std::uint64_t tenths = (part * 1000 + whole / 2) / whole;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "%";
}

}  // namespace

std::vector<ComparisonRow> comparison_rows(const ComparisonResult& c) {
  const TransportMetrics& t = c.tcp;
  const TransportMetrics& u = c.udp;
  auto n = [](std::uint64_t v) { return std::to_string(v); };
  auto of = [](std::uint32_t v, std::uint32_t total) {
    return std::to_string(v) + " / " + std::to_string(total);
  };
  return {
      {"messages delivered to the application", of(t.delivered, t.messages_sent),
       of(u.delivered, u.messages_sent)},
      {"messages lost", n(t.lost), n(u.lost)},
      {"messages duplicated", n(t.duplicated), n(u.duplicated)},
      {"messages out of order", n(t.out_of_order), n(u.out_of_order)},
      {"packets on the wire (both directions)", n(t.packets), n(u.packets)},
      {"bytes on the wire (IP)", n(t.wire_bytes), n(u.wire_bytes)},
      {"header bytes (IP + TCP 20 / UDP 8 each)",
       n(t.header_bytes) + " (" + percent_of(t.header_bytes, t.wire_bytes) + ")",
       n(u.header_bytes) + " (" + percent_of(u.header_bytes, u.wire_bytes) + ")"},
      {"last message delivered at", t.completion ? format_millis(*t.completion, 1) + " ms" : "-",
       u.completion ? format_millis(*u.completion, 1) + " ms" : "-"},
      {"latency per message: mean", t.delivered ? ms(t.latency_mean) : "-",
       u.delivered ? ms(u.latency_mean) : "-"},
      {"latency per message: p99", t.delivered ? ms(t.latency_p99) : "-",
       u.delivered ? ms(u.latency_p99) : "-"},
  };
}

std::string render_comparison_table(const ComparisonResult& c, Lang lang) {
  auto rows = comparison_rows(c);
  for (auto& r : rows) r.what = std::string(translate_label(lang, r.what));
  std::size_t w0 = 0, w1 = 3, w2 = 3;
  for (const auto& r : rows) {
    w0 = std::max(w0, display_width(r.what));
    w1 = std::max(w1, r.tcp.size());
    w2 = std::max(w2, r.udp.size());
  }
  std::string out = "  " + pad_to_width("", w0) + "   " + pad_to_width("TCP", w1, true) + "   " +
                    pad_to_width("UDP", w2, true) + "\n";
  for (const auto& r : rows)
    out += "  " + pad_to_width(r.what, w0) + "   " + pad_to_width(r.tcp, w1, true) + "   " +
           pad_to_width(r.udp, w2, true) + "\n";
  return out;
}

}  // namespace wirestep
