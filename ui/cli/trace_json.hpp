// The `--json` schema of `wirestep run` (documented in README.md, "JSON schema"). Fields are added over
// time, never renamed: other tools rely on them.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/scenario/comparison.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/trace/trace.hpp"
#include "sim/trace/trace_summary.hpp"

namespace wirestep {

nlohmann::ordered_json packet_to_json(const Trace& trace, std::size_t index);
nlohmann::ordered_json summary_to_json(const TraceSummary& s);
nlohmann::ordered_json trace_to_json(const Trace& trace);
nlohmann::ordered_json run_to_json(const Scenario& scenario, const RunResult& run);
nlohmann::ordered_json comparison_to_json(const ComparisonResult& c);

}  // namespace wirestep
