#include "sim/scenario/toml_reader.hpp"

#include <algorithm>

namespace wirestep::toml_reader {

[[noreturn]] void fail(const toml::source_region& where, std::string reason, std::string reason_zh) {
  throw Problem{where.begin, std::move(reason), std::move(reason_zh)};
}

std::string position_text(const toml::source_position& pos) {
  return "line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column);
}

std::string position_text_zh(const toml::source_position& pos) {
  return "第 " + std::to_string(pos.line) + " 行第 " + std::to_string(pos.column) + " 列";
}

std::string context_zh(std::string_view context) {
  if (context == "top level") return "顶层";
  if (context == "top-level key") return "顶层键";
  const std::string c(context);
  const std::size_t of = c.find(" of \"");
  if (of == std::string::npos) return c;
  return c.substr(of + 4) + " 的 " + c.substr(0, of);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = 3;  // suggest only near misses
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string quoted_list(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + ("\"" + v[i] + "\"");
  return out;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates,
                         std::string otherwise) {
  const std::string hint = closest(word, candidates);
  return hint.empty() ? otherwise : " (did you mean \"" + hint + "\"?)";
}

std::string did_you_mean_zh(std::string_view word, const std::vector<std::string>& candidates,
                            std::string otherwise) {
  const std::string hint = closest(word, candidates);
  return hint.empty() ? otherwise : "（是不是 \"" + hint + "\"？）";
}

std::string type_name_zh(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "字符串";
    case toml::node_type::integer:
      return "整数";
    case toml::node_type::floating_point:
      return "浮点数";
    case toml::node_type::boolean:
      return "布尔值";
    case toml::node_type::table:
      return "表";
    case toml::node_type::array:
      return "数组";
    default:
      return "日期或时间";
  }
}

std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    default:
      return "a date or time";
  }
}

TableReader::TableReader(const toml::table& t, std::string context, std::vector<std::string> allowed)
    : t_(t), context_(std::move(context)), allowed_(std::move(allowed)) {
  for (auto&& [k, v] : t_) {
    const std::string key(k.str());
    if (std::find(allowed_.begin(), allowed_.end(), key) == allowed_.end())
      fail(k.source(),
           context_ + " key \"" + key + "\": unknown key" +
               did_you_mean(key, allowed_, " (known keys: " + quoted_list(allowed_) + ")"),
           label_zh(key) + "：未知的键" +
               did_you_mean_zh(key, allowed_, "（已知的键：" + quoted_list(allowed_) + "）"));
  }
}

void TableReader::missing(std::string_view key) const {
  fail(t_.source(), label(key) + ": required but missing", label_zh(key) + "：必须给出，但缺失");
}

std::optional<std::string> TableReader::str(std::string_view key, bool required) const {
  const toml::node* n = t_.get(key);
  if (!n) {
    if (required) missing(key);
    return std::nullopt;
  }
  if (!n->is_string())
    fail(n->source(), label(key) + ": expected a string, found " + type_name(*n),
         label_zh(key) + "：应为字符串，实际是" + type_name_zh(*n));
  return std::string(*n->value<std::string_view>());
}

std::optional<std::int64_t> TableReader::integer(std::string_view key, std::int64_t lo, std::int64_t hi,
                                                 bool required) const {
  const toml::node* n = t_.get(key);
  if (!n) {
    if (required) missing(key);
    return std::nullopt;
  }
  if (!n->is_integer())
    fail(n->source(), label(key) + ": expected an integer, found " + type_name(*n),
         label_zh(key) + "：应为整数，实际是" + type_name_zh(*n));
  const std::int64_t v = *n->value<std::int64_t>();
  if (v < lo || v > hi)
    fail(n->source(),
         label(key) + ": " + std::to_string(v) + " is out of range [" + std::to_string(lo) + ", " +
             std::to_string(hi) + "]",
         label_zh(key) + "：" + std::to_string(v) + " 超出范围 [" + std::to_string(lo) + ", " +
             std::to_string(hi) + "]");
  return v;
}

std::optional<bool> TableReader::boolean(std::string_view key) const {
  const toml::node* n = t_.get(key);
  if (!n) return std::nullopt;
  if (!n->is_boolean())
    fail(n->source(), label(key) + ": expected true or false, found " + type_name(*n),
         label_zh(key) + "：应为 true 或 false，实际是" + type_name_zh(*n));
  return *n->value<bool>();
}

const toml::array* table_array(const toml::table& parent, std::string_view key, const std::string& context) {
  const toml::node* n = parent.get(key);
  if (!n) return nullptr;
  const toml::array* arr = n->as_array();
  if (!arr || !arr->is_array_of_tables())
    fail(n->source(),
         context + " \"" + std::string(key) + "\": expected an array of tables ([[" + std::string(key) +
             "]]), found " + type_name(*n),
         context_zh(context) + " \"" + std::string(key) + "\"：应为表数组（[[" + std::string(key) +
             "]]），实际是" + type_name_zh(*n));
  return arr;
}

}  // namespace wirestep::toml_reader
