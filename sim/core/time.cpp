#include "sim/core/time.hpp"

#include <cstdio>

namespace wirestep {

std::string format_millis(SimDuration d, int decimals) {
  // Integer formatting so that output never depends on floating-point rounding modes.
  if (decimals < 0) decimals = 0;
  if (decimals > 6) decimals = 6;
  std::int64_t scale = 1;
  for (int i = 0; i < 6 - decimals; ++i) scale *= 10;
  const bool negative = d.ns < 0;
  std::int64_t units = (negative ? -d.ns : d.ns);
  units = (units + scale / 2) / scale;  // round half up to the requested precision
  std::int64_t denom = 1;
  for (int i = 0; i < decimals; ++i) denom *= 10;
  char buf[64];
  if (decimals == 0) {
    std::snprintf(buf, sizeof buf, "%s%lld", negative ? "-" : "", static_cast<long long>(units));
  } else {
    std::snprintf(buf, sizeof buf, "%s%lld.%0*lld", negative ? "-" : "",
                  static_cast<long long>(units / denom), decimals, static_cast<long long>(units % denom));
  }
  return buf;
}

}  // namespace wirestep
