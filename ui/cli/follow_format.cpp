#include "ui/cli/follow_format.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "sim/scenario/text_encoding.hpp"
#include "ui/cli/cli_text.hpp"

namespace wirestep {
namespace {

constexpr std::string_view kRule = "===================================================================\n";

char printable(std::uint8_t b) {
  return b >= 0x20 && b < 0x7F ? static_cast<char>(b) : '.';
}

void append_hex_byte(std::string& out, std::uint8_t b) {
  constexpr char kDigits[] = "0123456789abcdef";
  out += kDigits[b >> 4];
  out += kDigits[b & 0x0F];
}

}  // namespace

std::optional<FollowFormat> parse_follow_format(std::string_view s) {
  if (s == "text" || s == "ascii") return FollowFormat::Text;
  if (s == "hex") return FollowFormat::Hex;
  if (s == "raw") return FollowFormat::Raw;
  return std::nullopt;
}

std::optional<FollowEncoding> parse_follow_encoding(std::string_view s) {
  if (s == "utf8" || s == "utf-8" || s == "UTF-8") return FollowEncoding::Utf8;
  if (s == "gbk" || s == "GBK") return FollowEncoding::Gbk;
  return std::nullopt;
}

std::string_view follow_encoding_name(FollowEncoding e) {
  return e == FollowEncoding::Gbk ? "gbk" : "utf-8";
}

std::string follow_chunk_text(std::span<const std::uint8_t> bytes, FollowEncoding encoding) {
  const std::string decoded =
      decode_text(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), follow_encoding_name(encoding));
  std::string out;
  out.reserve(decoded.size());
  for (std::size_t i = 0; i < decoded.size(); ++i) {
    const auto c = static_cast<unsigned char>(decoded[i]);
    if (c == '\r' && i + 1 < decoded.size() && decoded[i + 1] == '\n') continue;
    if (c == '\n' || c == '\t' || c >= 0x80 || (c >= 0x20 && c != 0x7F))
      out += static_cast<char>(c);
    else
      out += '.';
  }
  return out;
}

void append_hex_lines(std::string& out, std::span<const std::uint8_t> bytes, std::uint64_t offset,
                      std::string_view indent) {
  for (std::size_t line = 0; line < bytes.size(); line += 16) {
    const std::size_t n = std::min<std::size_t>(16, bytes.size() - line);
    char head[24];
    std::snprintf(head, sizeof head, "%08llX  ", static_cast<unsigned long long>(offset + line));
    out += indent;
    out += head;
    for (std::size_t i = 0; i < 16; ++i) {
      if (i == 8) out += ' ';
      if (i < n) {
        append_hex_byte(out, bytes[line + i]);
        out += ' ';
      } else {
        out += "   ";
      }
    }
    out += ' ';
    for (std::size_t i = 0; i < n; ++i) {
      if (i == 8) out += ' ';
      out += printable(bytes[line + i]);
    }
    out += '\n';
  }
}

std::string follow_gap_text(std::uint64_t missing, Lang lang) {
  return cli_text(lang, Msg::BytesMissing, missing);
}

std::string render_follow(const FollowStream& s, FollowFormat format, FollowEncoding encoding, Lang lang) {
  const char* proto = s.proto == Transport::Udp ? "udp" : "tcp";
  std::string out = "\n";
  out += kRule;
  std::string mode;
  switch (format) {
    case FollowFormat::Text:
      mode = "text," + std::string(follow_encoding_name(encoding));
      break;
    case FollowFormat::Hex:
      mode = "hex";
      break;
    case FollowFormat::Raw:
      mode = "raw";
      break;
  }
  out += cli_text(lang, Msg::FollowTitle, proto, mode) + "\n";
  out += cli_text(lang, Msg::FollowFilter, proto, s.stream) + "\n";
  out += cli_text(lang, Msg::FollowNode, 0, wire::endpoint_to_string(s.client_addr, s.client_port)) + "\n";
  out += cli_text(lang, Msg::FollowNode, 1, wire::endpoint_to_string(s.server_addr, s.server_port)) + "\n";
  for (const FollowChunk& c : s.chunks) {
    const std::string_view indent = c.from_client ? "" : "\t";
    if (c.missing > 0) {
      if (format == FollowFormat::Raw) {
        // tshark's raw mode writes its own marker's bytes, terminating NUL included: the same, so the two
        // outputs line up.
        const std::string marker = "[" + std::to_string(c.missing) + " bytes missing in capture file]";
        out += indent;
        for (char ch : marker) append_hex_byte(out, static_cast<std::uint8_t>(ch));
        out += "00\n";
      } else {
        out += std::string(indent) + follow_gap_text(c.missing, lang) + "\n";
      }
      continue;
    }
    switch (format) {
      case FollowFormat::Text: {
        out += std::string(indent) + std::to_string(c.bytes.size()) + "\n";
        const std::string text = follow_chunk_text(c.bytes, encoding);
        std::size_t start = 0;
        while (start < text.size()) {
          const std::size_t nl = text.find('\n', start);
          const std::size_t end = nl == std::string::npos ? text.size() : nl;
          out += indent;
          out.append(text, start, end - start);
          out += '\n';
          start = end + 1;
        }
        break;
      }
      case FollowFormat::Hex:
        append_hex_lines(out, c.bytes, c.rel_seq, indent);
        break;
      case FollowFormat::Raw:
        out += indent;
        for (std::uint8_t b : c.bytes) append_hex_byte(out, b);
        out += '\n';
        break;
    }
  }
  if (s.truncated) out += cli_text(lang, Msg::TruncatedAt, s.truncated_at) + "\n";
  out += kRule;
  return out;
}

}  // namespace wirestep
