// The capture module's errors in English and 简体中文, both built at the same place from the same numbers
// (issue #20). libpcap's own messages exist only in English: they are kept verbatim, after a Chinese sentence
// naming the step that failed, so a Chinese reader knows what happened and can still search the text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/core/result.hpp"

namespace wirestep {

inline std::string offset_where(std::uint64_t offset) {
  return "offset " + std::to_string(offset);
}
inline std::string offset_where_zh(std::uint64_t offset) {
  return "偏移 " + std::to_string(offset);
}

// An error about a whole file (no position in it).
inline Error file_error(std::string file, std::string reason, std::string reason_zh) {
  return Error{std::move(file), "", std::move(reason), "", std::move(reason_zh)};
}

// An error at a byte offset of a file.
inline Error offset_error(std::string file, std::uint64_t offset, std::string reason, std::string reason_zh) {
  return Error{std::move(file), offset_where(offset), std::move(reason), offset_where_zh(offset),
               std::move(reason_zh)};
}

// "libpcap 无法打开文件：<libpcap's English text>".
inline std::string libpcap_zh(std::string_view step_zh, std::string_view libpcap_text) {
  std::string out = "libpcap ";
  out += step_zh;
  out += "：";
  out += libpcap_text;
  return out;
}

inline constexpr std::string_view kWriteFailed = "write failed (disk full?)";
inline constexpr std::string_view kWriteFailedZh = "写入失败（磁盘满了？）";

}  // namespace wirestep
