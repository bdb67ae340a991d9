#include "sim/scenario/text_encoding.hpp"

#include <iconv.h>

#include <cerrno>

namespace wirestep {
namespace {

const char* iconv_name(std::string_view encoding) {
  if (encoding == "utf-8" || encoding == "utf8" || encoding == "UTF-8") return "UTF-8";
  if (encoding == "gbk" || encoding == "GBK") return "GBK";
  if (encoding == "gb18030" || encoding == "GB18030") return "GB18030";
  if (encoding == "latin-1" || encoding == "iso-8859-1") return "ISO-8859-1";
  return nullptr;
}

// Converts with iconv; `lossy` replaces undecodable input with U+FFFD instead of failing.
std::optional<std::string> convert(std::string_view in, const char* to, const char* from, bool lossy,
                                   std::string& why, std::string& why_zh) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    why = std::string("this system cannot convert ") + from + " to " + to;
    why_zh = std::string("本系统无法把 ") + from + " 转换为 " + to;
    return std::nullopt;
  }
  std::string out;
  std::string input(in);
  char* src = input.data();
  std::size_t src_left = input.size();
  char buf[256];
  while (src_left > 0) {
    char* dst = buf;
    std::size_t dst_left = sizeof buf;
    const std::size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
    out.append(buf, static_cast<std::size_t>(dst - buf));
    if (rc == static_cast<std::size_t>(-1)) {
      if (errno == E2BIG) continue;
      if (!lossy) {
        iconv_close(cd);
        const std::string at = std::to_string(input.size() - src_left);
        why = std::string("text cannot be represented in ") + to + " (byte " + at + ")";
        why_zh = std::string("文本无法用 ") + to + " 表示（第 " + at + " 字节）";
        return std::nullopt;
      }
      out += "\xEF\xBF\xBD";  // U+FFFD, then skip the bad byte
      ++src;
      --src_left;
    }
  }
  iconv_close(cd);
  return out;
}

}  // namespace

std::optional<std::vector<std::uint8_t>> encode_text(std::string_view text, std::string_view encoding,
                                                     std::string& why, std::string& why_zh) {
  const char* name = iconv_name(encoding);
  if (!name) {
    why = "unknown encoding \"" + std::string(encoding) + "\" (use utf-8, gbk, gb18030 or latin-1)";
    why_zh = "未知的编码 \"" + std::string(encoding) + "\"（可用 utf-8、gbk、gb18030 或 latin-1）";
    return std::nullopt;
  }
  auto converted = convert(text, name, "UTF-8", false, why, why_zh);
  if (!converted) return std::nullopt;
  return std::vector<std::uint8_t>(converted->begin(), converted->end());
}

std::optional<std::vector<std::uint8_t>> encode_text(std::string_view text, std::string_view encoding,
                                                     std::string& why) {
  std::string why_zh;
  return encode_text(text, encoding, why, why_zh);
}

std::string decode_text(const std::vector<std::uint8_t>& bytes, std::string_view encoding) {
  const char* name = iconv_name(encoding);
  std::string why, why_zh;
  auto out = convert(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), "UTF-8",
                     name ? name : "UTF-8", true, why, why_zh);
  return out ? *out : std::string();
}

}  // namespace wirestep

namespace wirestep {
std::optional<std::string> decode_text_strict(const std::vector<std::uint8_t>& bytes,
                                              std::string_view encoding) {
  const char* name = iconv_name(encoding);
  if (!name) return std::nullopt;
  std::string why, why_zh;
  return convert(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), "UTF-8", name,
                 false, why, why_zh);
}

std::string escape_control_chars(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\r')
      out += "\\r";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (byte < 0x20)
      out += {'\\', 'x', kHex[byte >> 4], kHex[byte & 0xF]};
    else
      out += c;
  }
  return out;
}
}  // namespace wirestep

namespace wirestep {
std::optional<std::string> decode_payload_text(const std::vector<std::uint8_t>& bytes,
                                               std::string_view declared) {
  if (bytes.empty()) return std::nullopt;
  std::optional<std::string> text;
  if (!declared.empty()) text = decode_text_strict(bytes, declared);
  if (!text) text = decode_text_strict(bytes, "utf-8");
  if (!text) text = decode_text_strict(bytes, "gbk");
  if (!text) return std::nullopt;
  for (const char c : *text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t' && c != '\r' && c != '\n') || byte == 0x7F) return std::nullopt;
  }
  return text;
}
}  // namespace wirestep
