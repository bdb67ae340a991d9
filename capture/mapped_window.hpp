// A file read through a read-only mapped window that moves along it, so a capture of any size is walked
// with a few MiB of memory and no copy, and without a system call per read (glibc does not cache a read
// stream's position, so ftell/fseek per frame cost one each). The pcap offset walker (frame_offsets.hpp) and
// the pcapng reader (pcapng_reader.hpp) read their files through it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "capture/pcapng_blocks.hpp"

namespace wirestep {

class MappedWindow final : public pcapng::ByteSource {
 public:
  explicit MappedWindow(const std::string& path);
  ~MappedWindow();
  MappedWindow(const MappedWindow&) = delete;
  MappedWindow& operator=(const MappedWindow&) = delete;

  bool is_open() const { return fd_ >= 0; }
  int open_errno() const { return open_errno_; }  // why the file could not be opened

  std::uint64_t size() const override { return file_size_; }
  bool read(std::uint64_t at, std::uint8_t* out, std::size_t n) override;
  // [at, at + n) in memory, valid until the next call; nullptr past the end of the file. The window moves
  // (and widens for a block larger than it) when needed.
  const std::uint8_t* view(std::uint64_t at, std::uint64_t n);

 private:
  void unmap();

  int fd_ = -1;
  int open_errno_ = 0;
  std::uint64_t file_size_ = 0;
  const std::uint8_t* window_ = nullptr;  // mapped [window_start_, window_start_ + window_len_)
  std::uint64_t window_start_ = 0;
  std::uint64_t window_len_ = 0;
};

}  // namespace wirestep
