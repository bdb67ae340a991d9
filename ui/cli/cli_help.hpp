// CLI11's --help in the language of the command line (issue #20): every subcommand's and option's
// description and the help's section labels ("Options", "Usage", ...) in English and 简体中文. The
// descriptions are written in English where each command is registered (ui/main.cpp, the *_command.cpp
// files); the catalog here keys their Chinese by that English text, so one table holds every translation and
// a test finds a description that has none.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "sim/analysis/lang.hpp"

namespace wirestep {

struct HelpText {
  std::string_view en;
  std::string_view zh;
};

// Every description the command line registers, with its Chinese.
std::span<const HelpText> help_catalog();

// The Chinese of a description, or nullopt when the catalog has none.
std::optional<std::string_view> help_text_zh(std::string_view english);

// A CLI11 usage error ("scenario is required", "--events: x not in {...}") in Chinese; the names, values
// and lists in it stay as typed. A message CLI11 words otherwise comes back unchanged (our own validators
// already answer in the chosen language).
std::string usage_error_zh(std::string_view english);

// Puts `app`, its options and its subcommands (recursively) into `lang`: descriptions, option and
// subcommand group names, the formatter's labels and the usage error CLI11 prints. Call it after every
// subcommand is registered and before parsing, with the language found by lang_from_arguments (cli_lang.hpp).
// English changes nothing.
void localize_help(CLI::App& app, Lang lang);

}  // namespace wirestep
