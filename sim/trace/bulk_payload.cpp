#include "sim/trace/bulk_payload.hpp"

#include <array>
#include <cstring>

namespace wirestep {
namespace {
// The pattern repeated to cover one maximal segment from any starting phase: fills are memcpy, not loops.
constexpr std::size_t kTile = 65536 + kBulkPatternLength;
const std::array<std::uint8_t, kTile>& tile() {
  static const auto t = [] {
    std::array<std::uint8_t, kTile> a{};
    for (std::size_t i = 0; i < kTile; ++i)
      a[i] = static_cast<std::uint8_t>(kBulkPattern[i % kBulkPatternLength]);
    return a;
  }();
  return t;
}
}  // namespace

void fill_bulk_payload(std::uint64_t offset, std::uint8_t* out, std::size_t n) {
  const auto& t = tile();
  while (n > 0) {
    const std::size_t phase = offset % kBulkPatternLength;
    const std::size_t take = n < kTile - phase ? n : 65536;
    std::memcpy(out, t.data() + phase, take);
    out += take;
    offset += take;
    n -= take;
  }
}

}  // namespace wirestep
