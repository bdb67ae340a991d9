// Follow stream as text, the way `tshark -z follow,<proto>,<mode>,N` prints it: a header naming both ends,
// then one block per chunk, the client's flush left and the server's indented by a tab. Text decodes the
// bytes (UTF-8 or GBK); hex is tshark's hex dump; raw is one line of hex per chunk, byte for byte what tshark
// prints (a gap too: tshark writes "[N bytes missing in capture file]" as bytes). The GUI's panel uses the
// same chunk text and hex lines.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sim/analysis/follow_stream.hpp"
#include "sim/analysis/lang.hpp"

namespace wirestep {

enum class FollowFormat : std::uint8_t { Text, Hex, Raw };
enum class FollowEncoding : std::uint8_t { Utf8, Gbk };

std::optional<FollowFormat> parse_follow_format(std::string_view s);      // "text", "hex", "raw"
std::optional<FollowEncoding> parse_follow_encoding(std::string_view s);  // "utf8", "utf-8", "gbk"
std::string_view follow_encoding_name(FollowEncoding e);                  // "utf-8", "gbk" (iconv names)

// A chunk's bytes as readable UTF-8: decoded (invalid bytes become U+FFFD), CR LF as LF, tabs kept, every
// other control character a '.', so no payload can move a terminal's cursor.
std::string follow_chunk_text(std::span<const std::uint8_t> bytes, FollowEncoding encoding);

// Appends tshark's hex dump of `bytes` whose first byte is at stream offset `offset`: one line per 16 bytes,
// "0000000A  77 6f 72 6c 64 0a ...  world.", each ending in '\n' and prefixed with `indent`.
void append_hex_lines(std::string& out, std::span<const std::uint8_t> bytes, std::uint64_t offset,
                      std::string_view indent);

// "[N bytes missing]", the words the text, hex and GUI views use for a gap.
std::string follow_gap_text(std::uint64_t missing, Lang lang = Lang::En);

// The whole output, header and footer included. English is tshark's wording line for line; Chinese
// translates the header and the gap and truncation notes (raw mode's gap marker stays tshark's bytes).
std::string render_follow(const FollowStream& s, FollowFormat format, FollowEncoding encoding,
                          Lang lang = Lang::En);

}  // namespace wirestep
