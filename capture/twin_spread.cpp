#include "capture/twin_spread.hpp"

#include <algorithm>
#include <utility>

namespace wirestep {

std::size_t agreeing_rows(const TwinComparison& c) {
  return c.first_difference ? *c.first_difference : c.rows.size();
}

bool TwinSpread::sim_agrees_with_any() const {
  return std::find(sim_agrees.begin(), sim_agrees.end(), true) != sim_agrees.end();
}

TwinSpread twin_spread(const std::vector<TwinSegment>& sim, const std::vector<std::vector<TwinSegment>>& real,
                       const TwinCompareOptions& options) {
  TwinSpread s;
  for (std::size_t i = 0; i < real.size(); ++i) {
    TwinComparison c = compare_twin(sim, real[i], options);
    s.sim_vs_real.push_back(agreeing_rows(c));
    s.sim_agrees.push_back(c.agree());
    // A full agreement beats any partial one, whatever its length.
    const auto score = [&](std::size_t k) { return std::pair{s.sim_agrees[k], s.sim_vs_real[k]}; };
    if (i == 0 || score(i) > score(s.closest)) {
      s.closest = i;
      s.closest_comparison = std::move(c);
    }
  }
  for (std::size_t i = 0; i < real.size(); ++i) {
    for (std::size_t j = i + 1; j < real.size(); ++j) {
      const TwinComparison c = compare_twin(real[i], real[j], options);
      s.real_vs_real.push_back(agreeing_rows(c));
      s.real_pairs_agreeing += c.agree();
    }
  }
  return s;
}

std::size_t median_rows(std::vector<std::size_t> rows) {
  if (rows.empty()) return 0;
  const std::size_t mid = (rows.size() - 1) / 2;
  std::nth_element(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(mid), rows.end());
  return rows[mid];
}

}  // namespace wirestep
