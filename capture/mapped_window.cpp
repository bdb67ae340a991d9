#include "capture/mapped_window.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace wirestep {
namespace {

constexpr std::uint64_t kWindowSize = 1024 * 1024;  // a multiple of every page size

}  // namespace

MappedWindow::MappedWindow(const std::string& path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) open_errno_ = errno;
  struct stat st {};
  if (fd_ >= 0 && ::fstat(fd_, &st) == 0) file_size_ = static_cast<std::uint64_t>(st.st_size);
}

MappedWindow::~MappedWindow() {
  unmap();
  if (fd_ >= 0) ::close(fd_);
}

void MappedWindow::unmap() {
  if (window_) ::munmap(const_cast<std::uint8_t*>(window_), window_len_);
  window_ = nullptr;
  window_len_ = 0;
}

const std::uint8_t* MappedWindow::view(std::uint64_t at, std::uint64_t n) {
  if (at > file_size_ || n > file_size_ - at) return nullptr;
  if (n == 0) return window_ ? window_ : reinterpret_cast<const std::uint8_t*>("");
  if (window_ && at >= window_start_ && at + n <= window_start_ + window_len_)
    return window_ + (at - window_start_);
  unmap();
  const std::uint64_t start = at / kWindowSize * kWindowSize;
  // Two windows' worth, so a record or block that starts near the end of one is still inside.
  const std::uint64_t want = std::max(kWindowSize * 2, at + n - start);
  const std::uint64_t len = std::min(want, file_size_ - start);
  void* m = ::mmap(nullptr, len, PROT_READ, MAP_PRIVATE, fd_, static_cast<off_t>(start));
  if (m == MAP_FAILED) return nullptr;
  ::madvise(m, len, MADV_SEQUENTIAL);
  window_ = static_cast<const std::uint8_t*>(m);
  window_start_ = start;
  window_len_ = len;
  return window_ + (at - window_start_);
}

bool MappedWindow::read(std::uint64_t at, std::uint8_t* out, std::size_t n) {
  const std::uint8_t* p = view(at, n);
  if (!p) return false;
  std::memcpy(out, p, n);
  return true;
}

}  // namespace wirestep
