#include "sim/analysis/conversation_ticks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace wirestep {
namespace {

// The cell a time falls in; times outside [t0, t1) have none.
std::ptrdiff_t cell_of(std::int64_t t, std::int64_t t0, std::int64_t t1, std::size_t cells) {
  if (t < t0 || t >= t1) return -1;
  const double f = static_cast<double>(t - t0) / static_cast<double>(t1 - t0);
  return std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(f * static_cast<double>(cells)),
                                  static_cast<std::ptrdiff_t>(cells) - 1);
}

// Lower finding values are more telling; None (0) is the least.
bool more_telling(Finding a, Finding b) {
  if (a == Finding::None) return false;
  return b == Finding::None || a < b;
}

}  // namespace

void fill_ticks(std::span<const std::int64_t> times, std::span<const std::uint32_t> packets,
                std::span<const PacketFinding> findings, std::int64_t t0_ns, std::int64_t t1_ns,
                std::span<TickCell> out) {
  std::fill(out.begin(), out.end(), TickCell{});
  if (out.empty() || t1_ns <= t0_ns || packets.empty()) return;
  auto time_of = [&](std::uint32_t packet) { return packet < times.size() ? times[packet] : INT64_MIN; };
  auto first_at_or_after = [&](auto from, std::int64_t t) {
    return std::partition_point(from, packets.end(), [&](std::uint32_t p) { return time_of(p) < t; });
  };
  const double span = static_cast<double>(t1_ns - t0_ns);
  const double n = static_cast<double>(out.size());
  auto it = first_at_or_after(packets.begin(), t0_ns);
  for (std::size_t c = 0; c < out.size() && it != packets.end(); ++c) {
    // ceil: a packet at time t belongs to cell floor((t - t0) * n / span), as cell_of says.
    const auto end_ns = t0_ns + static_cast<std::int64_t>(std::ceil(span * static_cast<double>(c + 1) / n));
    const auto next = c + 1 == out.size() ? first_at_or_after(it, t1_ns) : first_at_or_after(it, end_ns);
    out[c].packets = static_cast<std::uint32_t>(next - it);
    it = next;
  }
  // Findings are few; each goes to the cell its packet's time falls in.
  const auto first = std::partition_point(findings.begin(), findings.end(),
                                          [&](const PacketFinding& f) { return time_of(f.packet) < t0_ns; });
  for (auto f = first; f != findings.end(); ++f) {
    const std::ptrdiff_t c = cell_of(time_of(f->packet), t0_ns, t1_ns, out.size());
    if (c < 0) break;
    if (more_telling(f->finding, out[static_cast<std::size_t>(c)].finding))
      out[static_cast<std::size_t>(c)].finding = f->finding;
  }
}

}  // namespace wirestep
