#include "capture/frame_offsets.hpp"

#include <algorithm>

namespace wirestep {
namespace {

constexpr std::uint64_t kPcapFileHeaderLen = 24;
constexpr std::uint32_t kModifiedPcapMagic =
    0xA1B2CD34;  // Alexey Kuznetzov's patched format: 24-byte records

}  // namespace

FrameOffsets::FrameOffsets(const std::string& path, std::uint32_t magic, std::uint64_t first_record)
    : file_(path) {
  // The magic as read big-endian: a1b2.... means a big-endian file.
  big_endian_ = (magic >> 16) == 0xA1B2;
  if (magic == kModifiedPcapMagic || magic == __builtin_bswap32(kModifiedPcapMagic)) record_header_len_ = 24;
  pos_ = std::max(first_record, kPcapFileHeaderLen);
  lost_ = !file_.is_open();
}

FrameOffsets::Location FrameOffsets::next_frame() {
  if (lost_) return {};
  // Record header: seconds, fraction, captured length, original length.
  const std::optional<std::uint32_t> caplen = file_.u32(pos_ + 8, big_endian_);
  const std::uint64_t data = pos_ + record_header_len_;
  if (!caplen || data + *caplen > file_.size()) {
    lost_ = true;
    return {};
  }
  pos_ = data + *caplen;
  return Location{data, *caplen};
}

}  // namespace wirestep
