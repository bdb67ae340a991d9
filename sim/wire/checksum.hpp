// The Internet checksum (RFC 1071): ones'-complement sum of 16-bit words, used by IPv4, UDP and TCP.
#pragma once

#include <cstdint>

#include "sim/wire/bytes.hpp"

namespace wirestep::wire {

class ChecksumAccumulator {
 public:
  void add(Bytes data);
  void add_be16(std::uint16_t v) { sum_ += v; }
  void add_be32(std::uint32_t v) { sum_ += (v >> 16) + (v & 0xFFFF); }
  // The value to put in the header field.
  std::uint16_t finish() const;

 private:
  std::uint64_t sum_ = 0;
  bool odd_ = false;  // an odd-length chunk leaves a pending high byte
  std::uint8_t pending_ = 0;
};

inline std::uint16_t internet_checksum(Bytes data) {
  ChecksumAccumulator acc;
  acc.add(data);
  return acc.finish();
}

}  // namespace wirestep::wire
