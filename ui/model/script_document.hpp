// A packetdrill script opened in the UI: its lines, the run's outcome, and which line each packet and event
// of the run's Trace came from, so the script panel highlights the line at the cursor and moves the cursor to
// a line's time. Headless: tests check it without a window.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/analysis/step_order.hpp"
#include "sim/packetdrill/script_ast.hpp"
#include "sim/packetdrill/script_runner.hpp"

namespace wirestep {

struct ScriptDocument {
  std::string file;
  std::vector<std::string> lines;  // the script's text (index = line - 1)
  packetdrill::Outcome outcome = packetdrill::Outcome::Pass;
  std::uint32_t failed_line = 0;  // the line that failed or is unsupported; 0 when it passed
  packetdrill::Bilingual reason;
  std::string expected, actual;               // in script notation
  std::vector<std::uint32_t> packet_lines;    // by packet of the document's only trace (0: no line)
  std::vector<std::uint32_t> failed_packets;  // the packets the failure is about
  std::vector<packetdrill::RunResult::LineTime> line_times;  // events in the order they ran (times ascend)

  // Takes what it needs from a run (not the Trace, which the document keeps).
  static ScriptDocument from_run(const packetdrill::Script& script, const packetdrill::RunResult& run);

  // The line the cursor is on: the line of the packet it sits on after a step, otherwise the last event that
  // ran at or before its time (0 before the first).
  std::uint32_t line_at(const Cursor& cursor) const;
  std::uint32_t line_of_packet(std::uint32_t packet) const;
  // When the line's event ran (its first run); nullopt for lines without an event (comments, options, lines
  // after the failure).
  std::optional<std::int64_t> time_of_line(std::uint32_t line) const;
  bool is_failed_packet(std::uint32_t packet) const;
};

}  // namespace wirestep
