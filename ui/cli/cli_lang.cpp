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

}  // namespace wirestep
