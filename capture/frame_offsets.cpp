#include "capture/frame_offsets.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace wirestep {
namespace {

// pcapng block types with packet data (draft-ietf-opsawg-pcapng §4.3, §4.4, Appendix A) and where the data
// starts inside each: type, length, interface, timestamp (2x4), captured length, original length = 28 bytes.
constexpr std::uint32_t kEnhancedPacketBlock = 6;
constexpr std::uint32_t kObsoletePacketBlock = 2;
constexpr std::uint32_t kSimplePacketBlock = 3;
constexpr std::uint64_t kEpbDataStart = 28;
constexpr std::uint64_t kSpbDataStart = 12;
constexpr std::uint64_t kMinBlockLen = 12;

constexpr std::uint32_t kModifiedPcapMagic = 0xa1b2cd34;  // Alexey Kuznetzov's patched format: 24-byte records

}  // namespace

FrameOffsets::FrameOffsets(std::FILE* stream, CaptureFormat format, std::uint32_t pcap_magic,
                           const std::string& path)
    : stream_(stream), format_(format) {
  if (pcap_magic == kModifiedPcapMagic || pcap_magic == __builtin_bswap32(kModifiedPcapMagic))
    record_header_len_ = 24;
  const long pos = stream_ ? std::ftell(stream_) : -1;
  end_of_last_ = pos > 0 ? static_cast<std::uint64_t>(pos) : 0;
  if (format_ == CaptureFormat::Pcapng) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    // The Section Header Block's byte-order magic 0x1A2B3C4D, at offset 8, tells the section's byte order.
    std::uint32_t bom = 0;
    big_endian_ = read_u32(8, true, bom) && bom == 0x1A2B3C4D;
  }
}

FrameOffsets::~FrameOffsets() {
  if (fd_ >= 0) ::close(fd_);
}

bool FrameOffsets::read_u32(std::uint64_t at, bool big_endian, std::uint32_t& out) const {
  std::uint8_t b[4];
  if (fd_ < 0 || ::pread(fd_, b, sizeof b, static_cast<off_t>(at)) != static_cast<ssize_t>(sizeof b)) return false;
  out = big_endian ? (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3]
                   : (std::uint32_t{b[3]} << 24) | (std::uint32_t{b[2]} << 16) | (std::uint32_t{b[1]} << 8) | b[0];
  return true;
}

FrameOffsets::Location FrameOffsets::pcapng_location(std::uint64_t block_end) {
  // Try the current section's byte order first; a later section may use the other one.
  for (bool big : {big_endian_, !big_endian_}) {
    std::uint32_t len = 0, type = 0, leading_len = 0;
    if (block_end < kMinBlockLen || !read_u32(block_end - 4, big, len)) return {};
    if (len < kMinBlockLen || len % 4 != 0 || len > block_end) continue;
    const std::uint64_t start = block_end - len;
    if (!read_u32(start, big, type) || !read_u32(start + 4, big, leading_len) || leading_len != len) continue;
    big_endian_ = big;
    if (type == kEnhancedPacketBlock || type == kObsoletePacketBlock) {
      Location at{start + kEpbDataStart, std::nullopt};
      std::uint32_t caplen = 0;
      if (read_u32(start + kEpbDataStart - 8, big, caplen)) at.stored_len = caplen;
      return at;
    }
    if (type == kSimplePacketBlock) return Location{start + kSpbDataStart, std::nullopt};
  }
  return {};
}

FrameOffsets::Location FrameOffsets::after_frame() {
  const long pos = std::ftell(stream_);
  if (pos < 0) return {};
  const auto end = static_cast<std::uint64_t>(pos);
  Location at;
  if (format_ == CaptureFormat::Pcapng) {
    at = pcapng_location(end);
  } else {
    at.data_offset = end_of_last_ + record_header_len_;
    if (end >= *at.data_offset) at.stored_len = static_cast<std::uint32_t>(end - *at.data_offset);
  }
  end_of_last_ = end;
  return at;
}

}  // namespace wirestep
