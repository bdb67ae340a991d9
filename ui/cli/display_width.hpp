// How many terminal columns UTF-8 text takes, and fitting text into a width: shortening with "…" and
// wrapping at word boundaries. East Asian Wide and Fullwidth characters take two columns (UAX #11), combining
// marks none; invalid bytes count one column each, as a terminal shows them as one replacement character.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace wirestep {

std::size_t display_width(std::string_view utf8);

// `text` if it fits in `columns`, else its longest prefix that fits with "…" after it. The cut never falls
// inside a number, so "seq=1234" never becomes a misleading "seq=12…".
std::string shorten_to_width(std::string_view text, std::size_t columns);

// `text` padded with spaces to `columns` terminal columns, on the right (left-aligned) or, with
// `align_right`, on the left; text already as wide is returned whole. Table cells with CJK text line up.
std::string pad_to_width(std::string_view text, std::size_t columns, bool align_right = false);

// The first `columns` columns of `text`, cut between characters, padded with spaces if a wide character does
// not fit: no "…", for text something else is drawn over.
std::string first_columns(std::string_view text, std::size_t columns);

// Lines of at most `columns`, broken at spaces (or between two wide characters, as Chinese has no spaces);
// lines after the first start with `indent` spaces. A word wider than a line is shortened. With
// `number_keeps_unit` (Chinese output), a number never ends a line when a wide character follows it
// ("3 个数据报"); English output keeps its breaks (its golden hashes are fixed).
std::vector<std::string> wrap_to_width(std::string_view text, std::size_t columns, std::size_t indent = 0,
                                       bool number_keeps_unit = false);

// Every line of `text` that is wider than `columns` wrapped with a four-space indent; `columns` 0: unchanged.
std::string wrap_lines(std::string_view text, std::size_t columns, bool number_keeps_unit = false);

// The width of the terminal on standard output, or `fallback` when it is not a terminal.
int terminal_columns(int fallback);

}  // namespace wirestep
