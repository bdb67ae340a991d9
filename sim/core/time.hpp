// Simulated time: integer nanoseconds, never wall clock. Strong types keep instants and spans apart.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace wirestep {

struct SimDuration {
  std::int64_t ns = 0;

  static constexpr SimDuration nanos(std::int64_t v) { return {v}; }
  static constexpr SimDuration micros(std::int64_t v) { return {v * 1'000}; }
  static constexpr SimDuration millis(std::int64_t v) { return {v * 1'000'000}; }
  static constexpr SimDuration seconds(std::int64_t v) { return {v * 1'000'000'000}; }

  constexpr auto operator<=>(const SimDuration&) const = default;
  constexpr SimDuration operator+(SimDuration o) const { return {ns + o.ns}; }
  constexpr SimDuration operator-(SimDuration o) const { return {ns - o.ns}; }
  constexpr SimDuration operator*(std::int64_t k) const { return {ns * k}; }
  constexpr SimDuration operator/(std::int64_t k) const { return {ns / k}; }
  constexpr SimDuration& operator+=(SimDuration o) {
    ns += o.ns;
    return *this;
  }
};

struct SimTime {
  std::int64_t ns = 0;  // since the start of the run

  static constexpr SimTime zero() { return {0}; }
  static constexpr SimTime max() { return {INT64_MAX}; }

  constexpr auto operator<=>(const SimTime&) const = default;
  constexpr SimTime operator+(SimDuration d) const { return {ns + d.ns}; }
  constexpr SimTime operator-(SimDuration d) const { return {ns - d.ns}; }
  constexpr SimDuration operator-(SimTime o) const { return {ns - o.ns}; }
  constexpr SimTime& operator+=(SimDuration d) {
    ns += d.ns;
    return *this;
  }
};

// "12.345 ms" style, exact (integer arithmetic), for ladders and messages.
std::string format_millis(SimDuration d, int decimals = 3);
inline std::string format_millis(SimTime t, int decimals = 3) {
  return format_millis(SimDuration{t.ns}, decimals);
}

}  // namespace wirestep
