#include "sim/wire/checksum.hpp"

#include <bit>
#include <cstring>

namespace wirestep::wire {

void ChecksumAccumulator::add(Bytes data) {
  std::size_t i = 0;
  if (odd_ && !data.empty()) {
    sum_ += (std::uint32_t{pending_} << 8) | data[0];
    odd_ = false;
    i = 1;
  }
  // RFC 1071 §2: the sum does not depend on byte order and may be taken over wider words, then folded. On a
  // little-endian host, add native 32-bit words and swap the folded result: ~4x fewer steps than 16-bit
  // loads.
  if constexpr (std::endian::native == std::endian::little) {
    std::uint64_t native = 0;
    for (; i + 4 <= data.size(); i += 4) {
      std::uint32_t w;
      std::memcpy(&w, data.data() + i, 4);
      native += w;
    }
    while (native >> 16) native = (native & 0xFFFF) + (native >> 16);
    sum_ += __builtin_bswap16(static_cast<std::uint16_t>(native));
  }
  for (; i + 1 < data.size(); i += 2) sum_ += load_be16(data.data() + i);
  if (i < data.size()) {
    pending_ = data[i];
    odd_ = true;
  }
}

std::uint16_t ChecksumAccumulator::finish() const {
  std::uint64_t s = sum_;
  if (odd_) s += std::uint32_t{pending_} << 8;  // RFC 1071: pad the last odd byte with zero
  while (s >> 16) s = (s & 0xFFFF) + (s >> 16);
  return static_cast<std::uint16_t>(~s & 0xFFFF);
}

}  // namespace wirestep::wire
