// The headless subcommands of `wirestep`. Each returns the process exit code: 0 success, 1 an expectation
// or program failed, 2 bad input (file, argument). main.cpp only parses arguments and dispatches.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "ui/cli/ladder_text.hpp"

namespace wirestep {

struct RunCommandOptions {
  std::string scenario;
  std::optional<std::uint64_t> seed;
  std::string pcap_path;
  std::string pcapng_path;  // with a ground-truth comment on every packet
  std::string svg_path;
  std::string json_path;
  LadderOptions ladder;
  bool quiet = false;  // summary only, no ladder
};

int run_command(const RunCommandOptions& options, std::ostream& out, std::ostream& err);
int scenarios_command(const std::string& directory, std::ostream& out, std::ostream& err);

// Where bundled scenarios live: $WIRESTEP_SCENARIOS, else the source tree's scenarios/.
std::string default_scenario_directory();

}  // namespace wirestep
