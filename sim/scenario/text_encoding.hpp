// Text payloads in the encodings the seed notes use (UTF-8, GBK), through the C library's iconv.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wirestep {

// Encodes UTF-8 `text` into `encoding` ("utf-8", "gbk", "gb18030", "latin-1"). nullopt with `why` on failure.
std::optional<std::vector<std::uint8_t>> encode_text(std::string_view text, std::string_view encoding,
                                                     std::string& why);
// The same, with the reason also in 简体中文 (`why_zh`).
std::optional<std::vector<std::uint8_t>> encode_text(std::string_view text, std::string_view encoding,
                                                     std::string& why, std::string& why_zh);
// Decodes bytes in `encoding` to UTF-8; invalid sequences become U+FFFD.
std::string decode_text(const std::vector<std::uint8_t>& bytes, std::string_view encoding);

}  // namespace wirestep

namespace wirestep {
// Strict decode: nullopt unless every byte is valid in `encoding`.
std::optional<std::string> decode_text_strict(const std::vector<std::uint8_t>& bytes,
                                              std::string_view encoding);

// Decoded text made safe to print on one line: CR, LF and tab become \r, \n and \t, every other C0
// control character (below 0x20) \xNN, so no payload can move a terminal's cursor or ring its bell. Other
// bytes, UTF-8 sequences and invalid bytes alike, are kept as they are; so are quotes, backslashes and DEL.
std::string escape_control_chars(std::string_view text);
}  // namespace wirestep

namespace wirestep {
// A payload as text a person can read, or nullopt when it is not text: decoded in `declared` when given,
// else as UTF-8, else as GBK (the seed notes' encoding), and free of control characters other than tab, CR
// and LF (which escape_control_chars shows as \t, \r, \n).
std::optional<std::string> decode_payload_text(const std::vector<std::uint8_t>& bytes,
                                               std::string_view declared = {});
}  // namespace wirestep
