#include "capture/analyzed_capture.hpp"

#include <utility>

namespace wirestep {

Result<AnalyzedCapture> load_and_analyze(const std::string& path, const CaptureOptions& options,
                                         FlowAnalyzer::Options analysis_options) {
  FlowAnalyzer analysis(analysis_options);
  auto loaded = load_capture(
      path, options, [&](const PacketRecord& rec, const FrameInfo& info) { analysis.add(rec, info); });
  if (!loaded) return loaded.error();
  analysis.finish();
  return AnalyzedCapture{std::move(*loaded), std::move(analysis)};
}

}  // namespace wirestep
