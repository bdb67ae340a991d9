#include "capture/frame_offsets.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace wirestep {
namespace {

// pcapng block types (draft-ietf-opsawg-pcapng §4 and Appendix A) and where packet data starts inside them:
// type, length, interface, timestamp (2x4), captured length, original length = 28 bytes.
constexpr std::uint32_t kSectionHeaderBlock = 0x0A0D0D0A;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint32_t kEnhancedPacketBlock = 6;
constexpr std::uint32_t kObsoletePacketBlock = 2;
constexpr std::uint32_t kSimplePacketBlock = 3;
constexpr std::uint64_t kEpbDataStart = 28;
constexpr std::uint64_t kEpbCaplenAt = 20;
constexpr std::uint64_t kSpbDataStart = 12;
constexpr std::uint64_t kMinBlockLen = 12;

constexpr std::uint64_t kPcapFileHeaderLen = 24;
constexpr std::uint32_t kModifiedPcapMagic =
    0xA1B2CD34;  // Alexey Kuznetzov's patched format: 24-byte records

constexpr std::uint64_t kWindowSize = 512 * 1024;  // a multiple of every page size

}  // namespace

FrameOffsets::FrameOffsets(const std::string& path, CaptureFormat format, std::uint32_t magic)
    : format_(format) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd_ >= 0 && ::fstat(fd_, &st) == 0) file_size_ = static_cast<std::uint64_t>(st.st_size);
  if (format_ == CaptureFormat::Pcapng) {
    pos_ = 0;  // the first block is the Section Header Block, which sets the byte order
  } else {
    // The magic as read big-endian: a1b2.... means a big-endian file.
    big_endian_ = (magic >> 16) == 0xA1B2;
    if (magic == kModifiedPcapMagic || magic == __builtin_bswap32(kModifiedPcapMagic))
      record_header_len_ = 24;
    pos_ = kPcapFileHeaderLen;
  }
  lost_ = fd_ < 0;
}

FrameOffsets::~FrameOffsets() {
  unmap();
  if (fd_ >= 0) ::close(fd_);
}

void FrameOffsets::unmap() {
  if (window_) ::munmap(const_cast<std::uint8_t*>(window_), window_len_);
  window_ = nullptr;
  window_len_ = 0;
}

// Makes [at, at + n) readable through the window, moving it when needed. False past the end of the file.
bool FrameOffsets::available(std::uint64_t at, std::uint64_t n) {
  if (at > file_size_ || n > file_size_ - at) return false;
  if (window_ && at >= window_start_ && at + n <= window_start_ + window_len_) return true;
  unmap();
  const std::uint64_t start = at / kWindowSize * kWindowSize;
  const std::uint64_t len =
      std::min(kWindowSize * 2, file_size_ - start);  // two windows: no record straddles
  void* m = ::mmap(nullptr, len, PROT_READ, MAP_PRIVATE, fd_, static_cast<off_t>(start));
  if (m == MAP_FAILED) return false;
  ::madvise(m, len, MADV_SEQUENTIAL);
  window_ = static_cast<const std::uint8_t*>(m);
  window_start_ = start;
  window_len_ = len;
  return at + n <= window_start_ + window_len_;
}

bool FrameOffsets::read_u32(std::uint64_t at, std::uint32_t& out) {
  if (!available(at, 4)) return false;
  const std::uint8_t* b = window_ + (at - window_start_);
  out = big_endian_
            ? (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3]
            : (std::uint32_t{b[3]} << 24) | (std::uint32_t{b[2]} << 16) | (std::uint32_t{b[1]} << 8) | b[0];
  return true;
}

FrameOffsets::Location FrameOffsets::next_pcap() {
  // Record header: seconds, fraction, captured length, original length.
  std::uint32_t caplen = 0;
  if (!read_u32(pos_ + 8, caplen)) return {};
  const std::uint64_t data = pos_ + record_header_len_;
  if (data + caplen > file_size_) return {};
  pos_ = data + caplen;
  return Location{data, caplen};
}

FrameOffsets::Location FrameOffsets::next_pcapng() {
  // Skips blocks without packets; each step moves forward by at least 12 bytes, so the walk ends.
  while (pos_ + kMinBlockLen <= file_size_) {
    std::uint32_t type = 0, len = 0;
    if (!read_u32(pos_, type)) return {};
    if (type == kSectionHeaderBlock) {
      std::uint32_t bom = 0;
      big_endian_ = true;
      if (!read_u32(pos_ + 8, bom)) return {};
      big_endian_ = bom == kByteOrderMagic;
    }
    if (!read_u32(pos_ + 4, len) || len < kMinBlockLen || len % 4 != 0 || len > file_size_ - pos_) return {};
    const std::uint64_t start = pos_;
    pos_ += len;
    if (type == kEnhancedPacketBlock || type == kObsoletePacketBlock) {
      std::uint32_t caplen = 0;
      if (len < kEpbDataStart + 4 || !read_u32(start + kEpbCaplenAt, caplen)) return {};
      return Location{start + kEpbDataStart, caplen};
    }
    if (type == kSimplePacketBlock) {
      std::uint32_t wire_len = 0;
      if (len < kSpbDataStart + 4 || !read_u32(start + 8, wire_len)) return {};
      return Location{start + kSpbDataStart, std::min<std::uint32_t>(wire_len, len - 16)};
    }
  }
  return {};
}

FrameOffsets::Location FrameOffsets::next_frame() {
  if (lost_) return {};
  const Location at = format_ == CaptureFormat::Pcapng ? next_pcapng() : next_pcap();
  if (!at.data_offset) lost_ = true;
  return at;
}

}  // namespace wirestep
