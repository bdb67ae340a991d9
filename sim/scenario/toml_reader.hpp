// Reading a TOML file a person wrote (toml++), with messages that say where and what: every problem names
// the line and column, the table and the key, and for a misspelt word the nearest known one ("line 12,
// column 1: [[link]] key "lattency": unknown key (did you mean "latency"?)"). Nothing here knows scenarios;
// the section readers (section_readers.hpp) are built on it.
//
// The first problem found ends the reading: fail() throws, read_toml() catches and returns it as an Error.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "sim/core/result.hpp"

namespace wirestep::toml_reader {

// Internal only: what fail() throws and read_toml() turns into an Error.
struct Problem {
  toml::source_position pos;
  std::string reason;
  std::string reason_zh;  // empty: the Chinese message falls back to the English one
};

// Both languages at once: the model knows no Lang, the Error carries both and the reader picks.
[[noreturn]] void fail(const toml::source_region& where, std::string reason, std::string reason_zh = {});

// Levenshtein distance, for suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate within two edits of `word`, or "" when none is that close.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);
// "\"a\", \"b\", \"c\""
std::string quoted_list(const std::vector<std::string>& v);
// " (did you mean \"latency\"?)" for a near miss, else `otherwise` (a list of what is allowed).
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates,
                         std::string otherwise);
// The same in 简体中文: "（是不是 \"latency\"？）", else `otherwise`.
std::string did_you_mean_zh(std::string_view word, const std::vector<std::string>& candidates,
                            std::string otherwise);

// "a string", "an integer", ... for "expected X, found Y".
std::string type_name(const toml::node& n);
std::string type_name_zh(const toml::node& n);  // "字符串", "整数", ...
// A table's name in a Chinese message: "[[link]]" stays, "top level" becomes "顶层",
// "[[program.step]] #3 of \"server\"" becomes "\"server\" 的 [[program.step]] #3".
std::string context_zh(std::string_view context);
// "line 3, column 7" / "第 3 行第 7 列"
std::string position_text(const toml::source_position& pos);
std::string position_text_zh(const toml::source_position& pos);

// One TOML table, its keys checked against `allowed` when it is constructed (an unknown key fails, with a
// hint), and typed reads of its values that fail with the key's name and position.
class TableReader {
 public:
  TableReader(const toml::table& t, std::string context, std::vector<std::string> allowed);

  const toml::table& table() const { return t_; }
  const toml::source_region& where() const { return t_.source(); }
  bool has(std::string_view key) const { return t_.contains(key); }
  const toml::node* node(std::string_view key) const { return t_.get(key); }

  // "[[link]] key \"latency\"": how messages name a key.
  std::string label(std::string_view key) const { return context_ + " key \"" + std::string(key) + "\""; }
  // "[[link]] 的键 \"latency\"": the same in a Chinese message.
  std::string label_zh(std::string_view key) const {
    return context_zh(context_) + " 的键 \"" + std::string(key) + "\"";
  }

  [[noreturn]] void missing(std::string_view key) const;

  std::optional<std::string> str(std::string_view key, bool required = false) const;
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t lo, std::int64_t hi,
                                      bool required = false) const;
  // true or false; anything else fails with "expected true or false, found ...".
  std::optional<bool> boolean(std::string_view key) const;

  // A string parsed into a quantity ("10ms", "5%", "1MB"); `parse` says why it cannot, in both languages.
  template <typename T>
  std::optional<T> quantity(std::string_view key,
                            std::optional<T> (*parse)(std::string_view, std::string&, std::string&),
                            bool required = false) const {
    auto s = str(key, required);
    if (!s) return std::nullopt;
    std::string why, why_zh;
    auto v = parse(*s, why, why_zh);
    if (!v)
      fail(t_.get(key)->source(), label(key) + ": \"" + *s + "\": " + why,
           label_zh(key) + "：无法读取 \"" + *s + "\"（" + why_zh + "）");
    return v;
  }

 private:
  const toml::table& t_;
  std::string context_;
  std::vector<std::string> allowed_;
};

// An array of tables ([[host]]) under `key`, nullptr when absent, or an error naming what it found instead.
const toml::array* table_array(const toml::table& parent, std::string_view key, const std::string& context);

// The enumerator whose to_string() is `value`, or a failure at `where` listing them (or the nearest).
template <typename E>
E parse_enum(const TableReader& r, std::string_view key, const std::string& value,
             std::initializer_list<E> all, const toml::source_region& where) {
  std::vector<std::string> names;
  for (E e : all) {
    if (to_string(e) == value) return e;
    names.emplace_back(to_string(e));
  }
  fail(where,
       r.label(key) + ": unknown value \"" + value + "\"" +
           did_you_mean(value, names, " (use " + quoted_list(names) + ")"),
       r.label_zh(key) + "：未知的值 \"" + value + "\"" +
           did_you_mean_zh(value, names, "（可用：" + quoted_list(names) + "）"));
}

// Parses `text` and hands its root table to `read`; a syntax error, or the first fail() inside `read`,
// becomes an Error naming `file`, line and column.
template <typename T, typename Read>
Result<T> read_toml(std::string_view text, const std::string& file, Read&& read) {
  try {
    const toml::table root = toml::parse(text, file);
    return read(root);
  } catch (const toml::parse_error& e) {
    // toml++ describes the syntax error in English only.
    const std::string what(e.description());
    return Error{file, position_text(e.source().begin), "TOML syntax: " + what,
                 position_text_zh(e.source().begin), "TOML 语法错误：" + what};
  } catch (const Problem& p) {
    return Error{file, position_text(p.pos), p.reason, position_text_zh(p.pos), p.reason_zh};
  }
}

}  // namespace wirestep::toml_reader
