#include "capture/frame_offsets.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace wirestep {
namespace {

constexpr std::uint64_t kPcapFileHeaderLen = 24;
constexpr std::uint32_t kModifiedPcapMagic =
    0xA1B2CD34;  // Alexey Kuznetzov's patched format: 24-byte records

constexpr std::uint64_t kWindowSize = 512 * 1024;  // a multiple of every page size

}  // namespace

FrameOffsets::FrameOffsets(const std::string& path, CaptureFormat format, std::uint32_t magic)
    : path_(path), format_(format) {
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

bool FrameOffsets::read(std::uint64_t at, std::uint8_t* out, std::size_t n) {
  if (!available(at, n)) return false;
  std::memcpy(out, window_ + (at - window_start_), n);
  return true;
}

FrameOffsets::Location FrameOffsets::next_pcap() {
  // Record header: seconds, fraction, captured length, original length.
  const std::optional<std::uint32_t> caplen = u32(pos_ + 8, big_endian_);
  if (!caplen) return {};
  const std::uint64_t data = pos_ + record_header_len_;
  if (data + *caplen > file_size_) return {};
  pos_ = data + *caplen;
  return Location{data, *caplen};
}

FrameOffsets::Location FrameOffsets::next_pcapng() {
  using namespace pcapng;
  // Skips blocks without packets; each step moves forward by at least 12 bytes, so the walk ends.
  while (pos_ + kBlockOverhead <= file_size_) {
    const Result<Block> block = read_block(*this, path_, pos_, big_endian_);
    if (!block) return {};
    big_endian_ = block->big_endian;
    pos_ = block->end();
    if (!is_packet_block(block->type)) continue;
    const std::optional<PacketData> data = packet_data(*this, *block);
    if (!data) return {};
    return Location{data->offset, data->captured_len};
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
