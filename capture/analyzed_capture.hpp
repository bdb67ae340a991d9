// A capture loaded and analysed in one pass: what `wirestep analyze` and the UI need. The analysis is fed
// from the loader (FrameSink), so it sees each frame's real time, length on the wire and file frame number,
// which a Trace alone does not keep.
#pragma once

#include <string>

#include "capture/capture_reader.hpp"
#include "sim/analysis/flow_analysis.hpp"

namespace wirestep {

struct AnalyzedCapture {
  LoadedCapture capture;
  FlowAnalyzer analysis;  // finished
};

Result<AnalyzedCapture> load_and_analyze(const std::string& path, const CaptureOptions& options = {},
                                         FlowAnalyzer::Options analysis_options = {});

}  // namespace wirestep
