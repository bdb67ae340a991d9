// How far real Linux agrees with itself, next to how far the simulator agrees with it (issue 16). Two real
// runs of one twin scenario need not agree segment for segment: when the reader wakes, how the relay's frames
// bunch, which CPU a softirq runs on all move a receiver's ACKs. `wirestep twin --real-runs N` runs the real
// side N times; this compares the simulated run with each real run and every real run with every other by
// the same rules (capture/twin_compare.hpp), counting the rows that agree before the first difference.
#pragma once

#include <cstddef>
#include <vector>

#include "capture/twin_compare.hpp"

namespace wirestep {

// The rows before the first difference; every row when the two runs agree.
std::size_t agreeing_rows(const TwinComparison& c);

struct TwinSpread {
  std::vector<std::size_t> sim_vs_real;  // per real run, in run order
  std::vector<bool> sim_agrees;          // per real run: no difference at all
  std::size_t closest = 0;               // the real run the simulator agrees with longest (first on a tie)
  TwinComparison closest_comparison;     // the simulated run against that one, row by row
  // Every pair of real runs (i < j), in the order (0,1), (0,2), ..., (1,2), ...
  std::vector<std::size_t> real_vs_real;
  std::size_t real_pairs_agreeing = 0;  // pairs with no difference at all
  bool sim_agrees_with_any() const;
};

TwinSpread twin_spread(const std::vector<TwinSegment>& sim, const std::vector<std::vector<TwinSegment>>& real,
                       const TwinCompareOptions& options);

// The median of a list of row counts (the lower one of the middle two); 0 for an empty list.
std::size_t median_rows(std::vector<std::size_t> rows);

}  // namespace wirestep
