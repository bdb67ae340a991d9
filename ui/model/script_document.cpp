#include "ui/model/script_document.hpp"

#include <algorithm>

namespace wirestep {

ScriptDocument ScriptDocument::from_run(const packetdrill::Script& script,
                                        const packetdrill::RunResult& run) {
  ScriptDocument d;
  d.file = script.file;
  d.lines = script.lines;
  d.outcome = run.outcome;
  d.failed_line = run.line;
  d.reason = run.reason;
  d.expected = run.expected;
  d.actual = run.actual;
  d.packet_lines = run.packet_lines;
  d.failed_packets = run.failed_packets;
  d.line_times = run.line_times;
  return d;
}

std::uint32_t ScriptDocument::line_of_packet(std::uint32_t packet) const {
  return packet < packet_lines.size() ? packet_lines[packet] : 0;
}

std::uint32_t ScriptDocument::line_at(const Cursor& cursor) const {
  if (cursor.step && cursor.step->kind != StepKind::Event)
    if (const std::uint32_t l = line_of_packet(cursor.step->index)) return l;
  // The last event at or before the cursor: times ascend, so the first one after it bounds the search.
  const auto after = std::upper_bound(
      line_times.begin(), line_times.end(), cursor.time_ns,
      [](std::int64_t t, const packetdrill::RunResult::LineTime& lt) { return t < lt.time.ns; });
  return after == line_times.begin() ? 0 : std::prev(after)->line;
}

std::optional<std::int64_t> ScriptDocument::time_of_line(std::uint32_t line) const {
  for (const auto& lt : line_times)
    if (lt.line == line) return lt.time.ns;
  return std::nullopt;
}

bool ScriptDocument::is_failed_packet(std::uint32_t packet) const {
  return std::find(failed_packets.begin(), failed_packets.end(), packet) != failed_packets.end();
}

}  // namespace wirestep
