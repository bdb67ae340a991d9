#include "ui/cli/display_width.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

namespace wirestep {
namespace {

struct CodePoint {
  char32_t value;
  std::size_t begin, end;  // byte range in the text
};

// One code point at `i`; an invalid or truncated sequence is one byte of value U+FFFD.
CodePoint next_code_point(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const std::size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) return {0xFFFD, i, i + 1};
  char32_t cp = len == 1 ? b : b & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return {0xFFFD, i, i + 1};
    cp = (cp << 6) | (c & 0x3F);
  }
  return {cp, i, i + len};
}

// The East Asian Wide (W) and Fullwidth (F) blocks of Unicode 15's EastAsianWidth.txt, merged into ranges.
constexpr std::array<std::pair<char32_t, char32_t>, 20> kWide{{
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x2E80, 0x303E},   {0x3041, 0x33FF},
    {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},
    {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD}, {0x16FE0, 0x18AFF},
}};

int columns_of(char32_t cp) {
  if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0xFE00 && cp <= 0xFE0F))
    return 0;  // combining marks, zero-width spaces, variation selectors
  for (const auto& [lo, hi] : kWide)
    if (cp >= lo && cp <= hi) return 2;
  return 1;
}

bool part_of_number(char32_t cp) {
  return (cp >= '0' && cp <= '9') || cp == '.';
}

// Chinese punctuation no line may start with (closing) or end with (opening).
bool closes(char32_t cp) {
  return cp == U'，' || cp == U'。' || cp == U'、' || cp == U'：' || cp == U'；' || cp == U'！' ||
         cp == U'？' || cp == U'）' || cp == U'」' || cp == U'』' || cp == U'》' || cp == U'】';
}
bool opens(char32_t cp) {
  return cp == U'（' || cp == U'「' || cp == U'『' || cp == U'《' || cp == U'【';
}

std::vector<CodePoint> code_points(std::string_view s) {
  std::vector<CodePoint> out;
  for (std::size_t i = 0; i < s.size();) {
    out.push_back(next_code_point(s, i));
    i = out.back().end;
  }
  return out;
}

}  // namespace

std::size_t display_width(std::string_view utf8) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const CodePoint cp = next_code_point(utf8, i);
    w += static_cast<std::size_t>(columns_of(cp.value));
    i = cp.end;
  }
  return w;
}

std::string shorten_to_width(std::string_view text, std::size_t columns) {
  if (display_width(text) <= columns) return std::string(text);
  if (columns == 0) return {};
  const auto cps = code_points(text);
  // Keep k code points, leaving one column for the ellipsis.
  std::size_t k = 0, used = 0;
  while (k < cps.size() && used + static_cast<std::size_t>(columns_of(cps[k].value)) <= columns - 1)
    used += static_cast<std::size_t>(columns_of(cps[k++].value));
  std::size_t keep = k;
  while (keep > 0 && keep < cps.size() && part_of_number(cps[keep - 1].value) &&
         part_of_number(cps[keep].value))
    --keep;
  while (keep > 0 && cps[keep - 1].value == ' ') --keep;  // no "word …"
  if (keep == 0 && k > 0 && !part_of_number(cps[0].value)) keep = k;
  const std::size_t bytes = keep ? cps[keep - 1].end : 0;
  return std::string(text.substr(0, bytes)) + "\u2026";
}

namespace {

// cps[i, j) is a number: digits, maybe with a sign, point, comma or percent ("1000", "21.099", "5%").
template <typename CodePoints>
bool is_number(const CodePoints& cps, std::size_t i, std::size_t j) {
  bool digit = false;
  for (std::size_t k = i; k < j; ++k) {
    const auto c = cps[k].value;
    if (c >= '0' && c <= '9')
      digit = true;
    else if (c != '.' && c != ',' && c != '%' && c != '-' && c != '+')
      return false;
  }
  return digit;
}

}  // namespace

std::vector<std::string> wrap_to_width(std::string_view text, std::size_t columns, std::size_t indent,
                                       bool number_keeps_unit) {
  std::vector<std::string> lines;
  if (columns == 0 || display_width(text) <= columns) {
    lines.emplace_back(text);
    return lines;
  }
  indent = std::min(indent, columns / 2);
  const auto cps = code_points(text);
  std::string line;
  std::size_t line_w = 0;
  std::size_t i = 0;
  auto flush = [&] {
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
      --line_w;
    }
    lines.push_back(line);
    line.assign(indent, ' ');
    line_w = indent;
  };
  while (i < cps.size()) {
    if (cps[i].value == ' ') {
      if (line_w < columns && line_w > (lines.empty() ? 0 : indent)) {
        line += ' ';
        ++line_w;
      }
      ++i;
      continue;
    }
    // A word runs to the next space; each wide character is a word of its own. Chinese line breaking: closing
    // punctuation ("，", "：", "）") stays with the word before it, opening ("（") with the word after it.
    std::size_t j = i, w = 0;
    do {
      if (columns_of(cps[j].value) == 2) {
        w += 2;
        ++j;
      } else {
        while (j < cps.size() && cps[j].value != ' ' && columns_of(cps[j].value) != 2)
          w += static_cast<std::size_t>(columns_of(cps[j++].value));
      }
    } while (j < cps.size() && opens(cps[j - 1].value) && cps[j].value != ' ');
    // A number stays with the Chinese unit after it ("3 个数据报", "18 字节"): issue #20, numbers and units
    // never wrap apart.
    if (number_keeps_unit && j + 1 < cps.size() && cps[j].value == ' ' && columns_of(cps[j + 1].value) == 2 &&
        is_number(cps, i, j)) {
      w += 3;
      j += 2;
    }
    while (j < cps.size() && closes(cps[j].value)) w += static_cast<std::size_t>(columns_of(cps[j++].value));
    const std::string_view word = text.substr(cps[i].begin, cps[j - 1].end - cps[i].begin);
    const std::size_t start_w = lines.empty() ? 0 : indent;
    if (line_w + w > columns && line_w > start_w) flush();
    if (line_w + w > columns) {
      const std::string cut = shorten_to_width(word, columns - line_w);
      line += cut;
      line_w += display_width(cut);
    } else {
      line += word;
      line_w += w;
    }
    i = j;
  }
  if (line_w > (lines.empty() ? 0 : indent)) flush();
  return lines;
}

std::string wrap_lines(std::string_view text, std::size_t columns, bool number_keeps_unit) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    const bool has_nl = nl != std::string_view::npos;
    const std::string_view line = text.substr(pos, has_nl ? nl - pos : std::string_view::npos);
    if (columns == 0 || display_width(line) <= columns) {
      out += line;
    } else {
      // Continuation lines keep the line's own indent plus four, so a wrapped row still reads as one.
      const std::size_t lead = std::min(line.find_first_not_of(' '), columns / 2);
      const std::string pad(lead == std::string_view::npos ? 0 : lead, ' ');
      const auto wrapped = wrap_to_width(line.substr(pad.size()), columns - pad.size(), 4, number_keeps_unit);
      for (std::size_t k = 0; k < wrapped.size(); ++k) out += (k ? "\n" : "") + pad + wrapped[k];
    }
    if (has_nl) out += '\n';
    pos = has_nl ? nl + 1 : text.size();
  }
  return out;
}

int terminal_columns(int fallback) {
  winsize ws{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return fallback;
}

std::string pad_to_width(std::string_view text, std::size_t columns, bool align_right) {
  const std::size_t w = display_width(text);
  const std::string fill(w < columns ? columns - w : 0, ' ');
  return align_right ? fill + std::string(text) : std::string(text) + fill;
}

std::string first_columns(std::string_view text, std::size_t columns) {
  std::string out;
  std::size_t used = 0;
  for (const CodePoint& cp : code_points(text)) {
    const auto w = static_cast<std::size_t>(columns_of(cp.value));
    if (used + w > columns) break;
    out.append(text.substr(cp.begin, cp.end - cp.begin));
    used += w;
  }
  return out + std::string(columns - used, ' ');
}

}  // namespace wirestep
