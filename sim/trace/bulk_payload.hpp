// The bytes of simulated bulk data ("send 1 MB"): a readable repeating pattern addressed by stream offset,
// so neither the Trace nor the sender stores them and any segment can be rebuilt exactly.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wirestep {

inline constexpr char kBulkPattern[] = "wirestep bulk data 0123456789abcdefghijklmnopqrstuvwxyz\n";
inline constexpr std::size_t kBulkPatternLength = sizeof kBulkPattern - 1;

inline std::uint8_t bulk_payload_byte(std::uint64_t offset) {
  return static_cast<std::uint8_t>(kBulkPattern[offset % kBulkPatternLength]);
}

void fill_bulk_payload(std::uint64_t offset, std::uint8_t* out, std::size_t n);

}  // namespace wirestep
