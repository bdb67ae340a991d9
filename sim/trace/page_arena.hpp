// Memory for the Trace's append-only tables, handed out in pieces that never move, from 2 MiB regions.
// Why regions of huge pages: on the VMs this project runs on, a 4 KiB page fault costs 6-12 us, and a 60 s
// bulk transfer writes about 25 MB of Trace, so the kernel handing out pages one at a time was a fifth of
// the run. The first 64 KiB come from small pages, so a short scenario's Trace costs the pages it writes
// and no more; after that regions are marked MADV_HUGEPAGE and one fault maps 2 MiB. The price is at most
// one region's unwritten tail, which shows in the process's RSS, not in used_bytes(). Where transparent huge
// pages are off, madvise is refused and everything still works, with small pages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace wirestep {

// Maps `bytes` (a multiple of 2 MiB) of zeroed memory aligned to 2 MiB, marked MADV_HUGEPAGE: a huge page can
// only map an aligned 2 MiB range. Throws std::bad_alloc when the system refuses. Release with munmap.
std::uint8_t* map_huge_page_region(std::size_t bytes);

class PageArena {
 public:
  static constexpr std::size_t kRegionBytes = std::size_t{2} << 20;
  static constexpr std::size_t kSmallPageBytes = std::size_t{64} << 10;  // the first region

  PageArena() = default;
  PageArena(const PageArena&) = delete;
  PageArena& operator=(const PageArena&) = delete;
  PageArena(PageArena&& other) noexcept;
  PageArena& operator=(PageArena&& other) noexcept;
  ~PageArena();

  // `bytes` (at most kSmallPageBytes) of zeroed memory, 64-byte aligned, valid until the arena is destroyed
  // or cleared. Throws std::bad_alloc when the system refuses memory.
  std::uint8_t* allocate(std::size_t bytes);
  void clear();  // returns every region to the system

  // Bytes handed out, rounded up to small pages. A huge-page region's unwritten tail is not counted.
  std::size_t used_bytes() const;

 private:
  void new_region();

  // Past kWarmAfterRegions the arena belongs to a big Trace that keeps growing (a long capture): the next
  // region is mapped early and faulted in by the page warmer (page_warmer.hpp) while this one fills.
  static constexpr std::size_t kWarmAfterRegions = 8;
  std::vector<std::uint8_t*> regions_;
  std::uint8_t* spare_ = nullptr;
  std::size_t region_bytes() const { return regions_.size() == 1 ? kSmallPageBytes : kRegionBytes; }
  std::size_t used_ = 0;  // bytes handed out of the last region
};

}  // namespace wirestep
