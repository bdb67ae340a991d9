#include "ui/cli/cli_lang.hpp"

#include <cstdlib>

namespace wirestep {

std::optional<Lang> parse_lang(std::string_view text) {
  if (text == "en") return Lang::En;
  if (text == "zh") return Lang::Zh;
  return std::nullopt;
}

Lang lang_from_environment(const char* wirestep_lang, const char* lc_all, const char* lc_messages,
                           const char* lang) {
  auto set = [](const char* v) { return v != nullptr && *v != '\0'; };
  auto chinese = [](std::string_view v) { return v.starts_with("zh"); };
  // WIRESTEP_LANG=en or zh overrides the locale; another value is ignored, as a tool ignores a locale it
  // does not ship.
  if (set(wirestep_lang)) {
    const std::string_view v = wirestep_lang;
    if (chinese(v)) return Lang::Zh;
    if (v.starts_with("en")) return Lang::En;
  }
  // POSIX precedence: LC_ALL, then the category (LC_MESSAGES), then LANG; the first one set decides.
  for (const char* v : {lc_all, lc_messages, lang})
    if (set(v)) return chinese(v) ? Lang::Zh : Lang::En;
  return Lang::En;
}

Lang lang_from_environment() {
  return lang_from_environment(std::getenv("WIRESTEP_LANG"), std::getenv("LC_ALL"),
                               std::getenv("LC_MESSAGES"), std::getenv("LANG"));
}

Lang lang_from_arguments(int argc, const char* const* argv) {
  std::optional<Lang> chosen;
  for (int i = 1; i < argc && argv[i] != nullptr; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    std::optional<Lang> l;
    if (arg == "--lang" && i + 1 < argc && argv[i + 1] != nullptr)
      l = parse_lang(argv[++i]);
    else if (arg.starts_with("--lang="))
      l = parse_lang(arg.substr(7));
    // An invalid value is left to CLI11, which refuses it with its message (exit 2).
    if (l) chosen = l;
  }
  return chosen ? *chosen : lang_from_environment();
}

}  // namespace wirestep
