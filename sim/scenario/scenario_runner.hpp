// Builds the simulated world a scenario describes, runs it, and returns the Trace with what each program saw.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/app/program.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

struct RunResult {
  std::uint64_t seed = 0;
  SimTime end;
  Trace trace;
  std::vector<ProgramReport> programs;
};

RunResult run_scenario(const Scenario& scenario, std::optional<std::uint64_t> seed_override = std::nullopt);

}  // namespace wirestep
