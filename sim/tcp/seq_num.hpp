// TCP sequence numbers: 32-bit, compared modulo 2^32 (RFC 9293 §3.4). Never compare raw uint32_t values.
#pragma once

#include <cstdint>

namespace wirestep {

class SeqNum {
 public:
  constexpr SeqNum() = default;
  constexpr explicit SeqNum(std::uint32_t v) : v_(v) {}
  constexpr std::uint32_t raw() const { return v_; }

  constexpr SeqNum operator+(std::uint32_t n) const { return SeqNum(v_ + n); }
  constexpr SeqNum operator-(std::uint32_t n) const { return SeqNum(v_ - n); }
  constexpr SeqNum& operator+=(std::uint32_t n) {
    v_ += n;
    return *this;
  }
  // Distance from `o` to this (this - o), as a signed value: valid while the two are < 2^31 apart.
  constexpr std::int32_t operator-(SeqNum o) const { return static_cast<std::int32_t>(v_ - o.v_); }

  constexpr bool operator==(const SeqNum&) const = default;
  constexpr bool operator<(SeqNum o) const { return (*this - o) < 0; }
  constexpr bool operator<=(SeqNum o) const { return (*this - o) <= 0; }
  constexpr bool operator>(SeqNum o) const { return (*this - o) > 0; }
  constexpr bool operator>=(SeqNum o) const { return (*this - o) >= 0; }

 private:
  std::uint32_t v_ = 0;
};

inline constexpr SeqNum seq_max(SeqNum a, SeqNum b) {
  return a < b ? b : a;
}
inline constexpr SeqNum seq_min(SeqNum a, SeqNum b) {
  return a < b ? a : b;
}

}  // namespace wirestep
