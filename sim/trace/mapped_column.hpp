// One column of the Trace's packet table: a contiguous array (readers binary-search it as a span) that grows
// without copying. std::vector doubles by copying everything, and its unused half is memory held for
// nothing; here growth is mremap(2), which moves page mappings instead of bytes, and pages past the end are
// never touched, so they cost address space, not memory. Past 64 KiB it lives in huge pages (page_arena.hpp).
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <span>
#include <stdexcept>
#include <type_traits>

#include "sim/trace/page_arena.hpp"
#include "sim/trace/page_warmer.hpp"

namespace wirestep {

template <typename T>
class MappedColumn {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  MappedColumn() = default;
  MappedColumn(const MappedColumn& other) { *this = other; }
  MappedColumn& operator=(const MappedColumn& other) {
    if (this == &other) return *this;
    size_ = 0;
    reserve(other.size_);
    if (other.size_) std::memcpy(data_, other.data_, other.size_ * sizeof(T));
    size_ = other.size_;
    return *this;
  }
  MappedColumn(MappedColumn&& other) noexcept { swap(other); }
  MappedColumn& operator=(MappedColumn&& other) noexcept {
    MappedColumn gone;
    gone.swap(other);
    swap(gone);
    return *this;
  }
  ~MappedColumn() {
    if (data_) munmap(data_, capacity_ * sizeof(T));
  }

  void push_back(const T& v) {
    if (size_ == capacity_) [[unlikely]]
      grow();
    data_[size_++] = v;
  }
  // Appends n values at once (the same growth as n push_backs, one copy).
  void append(const T* values, std::size_t n) {
    while (capacity_ - size_ < n) grow();
    std::copy_n(values, n, data_ + size_);
    size_ += n;
  }
  void reserve(std::size_t n) {
    if (n <= capacity_) return;
    if (n * sizeof(T) > kSmallPageLimit) return reserve_huge(n);
    const std::size_t bytes = (n * sizeof(T) + kPage - 1) / kPage * kPage;
    void* p = data_ ? mremap(data_, capacity_ * sizeof(T), bytes, MREMAP_MAYMOVE)
                    : mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    data_ = static_cast<T*>(p);
    capacity_ = bytes / sizeof(T);
  }

  const T& operator[](std::size_t i) const { return data_[i]; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& at(std::size_t i) const {
    if (i >= size_) throw std::out_of_range("MappedColumn::at");
    return data_[i];
  }
  T& at(std::size_t i) {
    if (i >= size_) throw std::out_of_range("MappedColumn::at");
    return data_[i];
  }
  const T& back() const { return data_[size_ - 1]; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  operator std::span<const T>() const { return {data_, size_}; }
  // Memory the column holds: the pages written so far (the rest of the reservation is never touched).
  std::size_t resident_bytes() const { return (size_ * sizeof(T) + kPage - 1) / kPage * kPage; }

 private:
  static constexpr std::size_t kPage = 4096;
  static constexpr std::size_t kHugePage = PageArena::kRegionBytes;
  static constexpr std::size_t kSmallPageLimit = PageArena::kSmallPageBytes;
  static constexpr std::size_t kFirstPages = 1;
  // Past 64 KiB the column moves to a 2 MiB-aligned mapping marked MADV_HUGEPAGE (see page_arena.hpp for why
  // small-page faults matter); pages written later come 2 MiB a time.
  void reserve_huge(std::size_t n) {
    const std::size_t bytes = (n * sizeof(T) + kHugePage - 1) / kHugePage * kHugePage;
    void* p = map_huge_page_region(bytes);
    const std::size_t old_bytes = capacity_ * sizeof(T);
    if (old_bytes && old_bytes <= kSmallPageLimit) {
      // Copied, not moved: moved small pages would fill the first 2 MiB's page table, and the rest of that
      // range would then fault in small pages too.
      std::memcpy(p, data_, size_ * sizeof(T));
      munmap(data_, old_bytes);
    } else if (old_bytes &&
               mremap(data_, old_bytes, old_bytes, MREMAP_MAYMOVE | MREMAP_FIXED, p) == MAP_FAILED) {
      munmap(p, bytes);
      throw std::bad_alloc();
    }
    data_ = static_cast<T*>(p);
    capacity_ = bytes / sizeof(T);
    // A big reservation (a long capture's whole estimated length) is faulted in ahead of the writer.
    const std::size_t written =
        (std::max(size_ * sizeof(T), old_bytes) + kHugePage - 1) / kHugePage * kHugePage;
    if (bytes >= kWarmFrom && written < bytes)
      warm_pages_ahead(static_cast<char*>(p) + written, bytes - written);
  }
  static constexpr std::size_t kWarmFrom = std::size_t{16} << 20;
  [[gnu::noinline]] void grow() { reserve(capacity_ ? capacity_ * 2 : kFirstPages * kPage / sizeof(T)); }
  void swap(MappedColumn& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(capacity_, o.capacity_);
  }
  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace wirestep
