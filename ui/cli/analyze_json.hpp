// The `--json` schema of `wirestep analyze` (documented in README.md). Keys are added over time, never
// renamed or removed: other tools rely on them. Written flow by flow, so a capture with a million flagged
// packets never becomes one document in memory.
#pragma once

#include <ostream>

#include "capture/capture_reader.hpp"
#include "sim/analysis/flow_analysis.hpp"

namespace wirestep {

void write_analysis_json(const LoadedCapture& capture, const FlowAnalyzer& analysis, std::ostream& out);

}  // namespace wirestep
