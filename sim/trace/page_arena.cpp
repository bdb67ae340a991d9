#include "sim/trace/page_arena.hpp"

#include "sim/trace/page_warmer.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <new>
#include <utility>

namespace wirestep {
namespace {

constexpr std::size_t kSmallPage = 4096;
constexpr std::size_t kAlign = 64;
constexpr std::size_t kRegionAlign = PageArena::kRegionBytes;

std::size_t round_to_pages(std::size_t bytes) {
  return (bytes + kSmallPage - 1) / kSmallPage * kSmallPage;
}

std::uint8_t* map_or_throw(std::size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return static_cast<std::uint8_t*>(p);
}

}  // namespace

std::uint8_t* map_huge_page_region(std::size_t bytes) {
  // Mapping 2 MiB more and unmapping the ends is the portable way to get the alignment from mmap.
  std::uint8_t* raw = map_or_throw(bytes + kRegionAlign);
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + kRegionAlign - 1) & ~(std::uintptr_t{kRegionAlign} - 1);
  if (aligned > start) munmap(raw, aligned - start);
  munmap(reinterpret_cast<void*>(aligned + bytes), start + kRegionAlign - aligned);  // never empty
  auto* region = reinterpret_cast<std::uint8_t*>(aligned);
  // Refused where THP is disabled or unsupported: then the region simply uses small pages.
  (void)madvise(region, bytes, MADV_HUGEPAGE);
  return region;
}

PageArena::PageArena(PageArena&& other) noexcept
    : regions_(std::exchange(other.regions_, {})),
      spare_(std::exchange(other.spare_, nullptr)),
      used_(std::exchange(other.used_, 0)) {}

PageArena& PageArena::operator=(PageArena&& other) noexcept {
  if (this == &other) return *this;
  clear();
  regions_ = std::exchange(other.regions_, {});
  spare_ = std::exchange(other.spare_, nullptr);
  used_ = std::exchange(other.used_, 0);
  return *this;
}

PageArena::~PageArena() {
  clear();
}

void PageArena::clear() {
  for (std::size_t r = 0; r < regions_.size(); ++r)
    munmap(regions_[r], r == 0 ? kSmallPageBytes : kRegionBytes);
  regions_.clear();
  if (spare_) munmap(std::exchange(spare_, nullptr), kRegionBytes);
  used_ = 0;
}

void PageArena::new_region() {
  regions_.reserve(regions_.size() + 1);
  if (regions_.empty()) {
    regions_.push_back(map_or_throw(kSmallPageBytes));
  } else if (spare_) {
    regions_.push_back(std::exchange(spare_, nullptr));
  } else {
    regions_.push_back(map_huge_page_region(kRegionBytes));
  }
  used_ = 0;
  if (regions_.size() >= kWarmAfterRegions) {
    spare_ = map_huge_page_region(kRegionBytes);
    warm_pages_ahead(spare_, kRegionBytes);
  }
}

std::uint8_t* PageArena::allocate(std::size_t bytes) {
  if (bytes > kSmallPageBytes) throw std::bad_alloc();
  bytes = (bytes + kAlign - 1) / kAlign * kAlign;
  if (regions_.empty() || used_ + bytes > region_bytes()) new_region();
  std::uint8_t* p = regions_.back() + used_;
  used_ += bytes;
  return p;
}

std::size_t PageArena::used_bytes() const {
  std::size_t total = 0;
  for (std::size_t r = 0; r < regions_.size(); ++r) {
    const bool last = r + 1 == regions_.size();
    total += round_to_pages(last ? used_ : r == 0 ? kSmallPageBytes : kRegionBytes);
  }
  return total;
}

}  // namespace wirestep
