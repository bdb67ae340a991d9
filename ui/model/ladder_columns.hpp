// The columns of a ladder diagram: one per host of a simulated run, one per address of a capture (in order
// of appearance), at most kMaxLadderColumns; each flow's two ends sit on two of them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wirestep {

// Past this a capture's further addresses share one "others" column: a ladder wider than this is unreadable.
inline constexpr std::size_t kMaxLadderColumns = 8;
// Names of the columns that are not an address (the views translate them).
inline constexpr const char* kOthersColumn = "others";
inline constexpr const char* kNonIpColumn = "non-IP";

struct FlowColumns {
  std::uint8_t a = 0;
  std::uint8_t b = 1;
};

}  // namespace wirestep
