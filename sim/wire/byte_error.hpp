// A wire decoder's error in English and 简体中文, both built at the same place from the same numbers (issue
// #20): where is "byte 34" / "第 34 字节", counted from the start of the bytes the decoder was given.
#pragma once

#include <charconv>
#include <cstddef>
#include <string>

#include "sim/core/result.hpp"

namespace wirestep::wire {

inline std::string byte_where(std::size_t byte) {
  return "byte " + std::to_string(byte);
}
inline std::string byte_where_zh(std::size_t byte) {
  return "第 " + std::to_string(byte) + " 字节";
}

inline Error byte_error(std::size_t byte, std::string reason, std::string reason_zh) {
  return Error{"", byte_where(byte), std::move(reason), byte_where_zh(byte), std::move(reason_zh)};
}

// Decoders count from their own header; the caller adds where that header starts, in both languages. An
// error without a byte position is returned as it is.
inline Error shift_byte_error(Error e, std::size_t base) {
  constexpr std::string_view kPrefix = "byte ";
  if (e.where.rfind(kPrefix, 0) != 0) return e;
  std::size_t rel = 0;
  const char* first = e.where.data() + kPrefix.size();
  const char* last = e.where.data() + e.where.size();
  if (const auto r = std::from_chars(first, last, rel); r.ec != std::errc{} || r.ptr != last) return e;
  e.where = byte_where(base + rel);
  e.where_zh = byte_where_zh(base + rel);
  return e;
}

}  // namespace wirestep::wire
