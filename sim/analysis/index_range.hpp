// A run of indexes [first, last) into a time-sorted column: what a binary search over times returns.
#pragma once

#include <cstddef>

namespace wirestep {

struct IndexRange {
  std::size_t first = 0;
  std::size_t last = 0;  // one past
  std::size_t size() const { return last - first; }
};

}  // namespace wirestep
