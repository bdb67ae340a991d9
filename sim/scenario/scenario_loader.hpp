// Reads a scenario from TOML (toml++). Every error names the file, line and column, and the key, with a hint:
// "udp-loss.toml: line 12, column 1: [[link]] key "lattency": unknown key (did you mean "latency"?)".
#pragma once

#include <string>
#include <string_view>

#include "sim/core/result.hpp"
#include "sim/scenario/scenario.hpp"

namespace wirestep {

Result<Scenario> load_scenario_file(const std::string& path);
// `file` is only used in messages.
Result<Scenario> parse_scenario(std::string_view toml_text, const std::string& file);

}  // namespace wirestep
