// Which language the command line speaks: `--lang en|zh`, else the environment, the way gettext-based tools
// read it: WIRESTEP_LANG first, then the first of LC_ALL, LC_MESSAGES and LANG that is set; a locale starting
// with "zh" (zh_CN.UTF-8, zh_TW, zh) means Chinese, anything else English.
#pragma once

#include <optional>
#include <string_view>

#include "sim/analysis/lang.hpp"

namespace wirestep {

// "en" or "zh"; anything else is nullopt (the command line refuses it with exit 2).
std::optional<Lang> parse_lang(std::string_view text);

// The rule above on given values (nullptr or "" = not set), so tests need not change the environment.
Lang lang_from_environment(const char* wirestep_lang, const char* lc_all, const char* lc_messages,
                           const char* lang);
// The rule above on this process's environment.
Lang lang_from_environment();

// The language before CLI11 parses anything, so that --help is already in it: the value of the last valid
// `--lang X` or `--lang=X` among the arguments (before a "--"), else the environment.
Lang lang_from_arguments(int argc, const char* const* argv);

}  // namespace wirestep
