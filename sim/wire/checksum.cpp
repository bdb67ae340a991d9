#include "sim/wire/checksum.hpp"

namespace wirestep::wire {

void ChecksumAccumulator::add(Bytes data) {
  std::size_t i = 0;
  if (odd_ && !data.empty()) {
    sum_ += (std::uint32_t{pending_} << 8) | data[0];
    odd_ = false;
    i = 1;
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
