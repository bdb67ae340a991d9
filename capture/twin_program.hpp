// One scenario program (sim/app/program.hpp) run with real Linux sockets, for `wirestep twin`: the same steps
// in the same order as blocking calls, in a child process that already sits in its host's network namespace.
// The child reports to its parent through a pipe, one line per blocking call and one at the end, so the
// parent knows where a program waits when the run stops.
#pragma once

#include <time.h>

#include <cstdint>
#include <optional>
#include <string>

#include "sim/scenario/scenario.hpp"

namespace wirestep {

// What a real program did, parsed from its report lines.
struct RealProgramOutcome {
  std::string name;
  bool finished = false;
  std::string error;       // "line 40: send: EPIPE (Broken pipe)"; empty when none
  std::string error_name;  // "EPIPE", the errno's name, to compare with the simulated program's
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  std::optional<std::string> blocked_in;  // still in this call when the run stopped
};

// Runs `program` in the calling process, writing report lines to `report_fd`. `start` (CLOCK_MONOTONIC) is
// simulated time 0: a step with `at` waits for start + at.
void run_real_program(const ScenarioProgram& program, timespec start, int report_fd);

// Reads the report lines a child wrote (possibly cut short when it was killed).
RealProgramOutcome parse_real_program_report(const std::string& name, const std::string& report);

// The errno name in a simulated program's error ("... (ECONNRESET)" -> "ECONNRESET"); empty when none.
std::string errno_name_in(const std::string& error);

}  // namespace wirestep
