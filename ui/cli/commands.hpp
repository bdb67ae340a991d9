// The headless subcommands of `wirestep`. Each returns the process exit code: 0 success, 1 an expectation
// or program failed, 2 bad input (file, argument). main.cpp only parses arguments and dispatches.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

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
  // Columns every line of output fits in: -1 the terminal's width (80 when standard output is not a
  // terminal), 0 no limit. Sets ladder.width.
  int width = -1;
  // The language of every line for a person (ladder, summary, expectations, messages); sets ladder.lang.
  Lang lang = Lang::En;
};

int run_command(const RunCommandOptions& options, std::ostream& out, std::ostream& err);

// A --seed argument: a whole number from 0 to 2^63 - 1 (what a scenario file's `seed` holds), written in
// decimal digits only. "-1", "1e3" or a number past the limit is refused with the reason in `why` (in
// `lang`), where a plain conversion would wrap "-1" to 18446744073709551615 without a word.
std::optional<std::uint64_t> parse_seed(std::string_view text, std::string& why, Lang lang = Lang::En);
// The lesson list, one lesson a line, titles wrapped to `width` columns (-1 the terminal's, 0 no limit).
// Chinese shows each lesson's Chinese title (its English one when it has none).
int scenarios_command(const std::string& directory, std::ostream& out, std::ostream& err, int width = -1,
                      Lang lang = Lang::En);

// Where bundled scenarios live: $WIRESTEP_SCENARIOS, else the source tree's scenarios/.
std::string default_scenario_directory();

}  // namespace wirestep
