// The project's own PRNG: xoshiro256** seeded through splitmix64. Standard-library distributions are banned
// (their algorithms differ between implementations), so every mapping from bits to values lives here.
// One stream per component, derived from (seed, name): adding a link never shifts another link's draws.
#pragma once

#include <cstdint>
#include <string_view>

namespace wirestep {

// Probabilities are integers in parts per million: no floating point reaches protocol or link state.
using Ppm = std::uint32_t;
inline constexpr Ppm kPpmOne = 1'000'000;

class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  // An independent stream for a named component ("link A-B A>B loss", "host A isn").
  static Rng stream(std::uint64_t seed, std::string_view name);

  std::uint64_t next_u64();
  std::uint32_t next_u32() { return static_cast<std::uint32_t>(next_u64() >> 32); }
  // Uniform in [0, bound) without modulo bias (rejection sampling); bound 0 returns 0.
  std::uint64_t below(std::uint64_t bound);
  // Uniform in [lo, hi] inclusive.
  std::int64_t between(std::int64_t lo, std::int64_t hi);
  // True with probability ppm / 1e6.
  bool chance(Ppm ppm) { return ppm >= kPpmOne || (ppm > 0 && below(kPpmOne) < ppm); }

 private:
  std::uint64_t s_[4];
};

}  // namespace wirestep
