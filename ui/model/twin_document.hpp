// A twin pair opened in the UI (issue 16): the simulated run's pcap and the real Linux run's pcap from
// `wirestep twin`, as one document with two lanes on one time axis ("simulated" / "real Linux"), and the
// segments where they differ (capture/twin_compare.hpp, the CLI's own comparison) marked on both and listed.
// Each run's times start at its first frame: the real capture's clock is the wall clock, the simulated
// one starts at zero, and only the order and spacing within each run mean anything. Headless: tests load it
// without a window.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capture/twin_compare.hpp"
#include "capture/twin_segments.hpp"
#include "sim/core/result.hpp"
#include "ui/model/document_loader.hpp"

namespace wirestep {

// One differing row of the comparison, with the packets it is about in the document's two traces.
struct TwinDifference {
  std::size_t row = 0;                       // index into TwinDocument::comparison.rows
  std::optional<std::uint32_t> sim_packet;   // packet index in traces[0]
  std::optional<std::uint32_t> real_packet;  // packet index in traces[1]
  TwinField field = TwinField::None;
  std::string text, text_zh;  // "row 5, A>B segment 3: payload length"
  // Each side's segment as `wirestep twin` lists it; empty for a side that sent no such segment.
  std::string sim_line, sim_line_zh, real_line, real_line_zh;
};

struct TwinDocument {
  static constexpr std::size_t kSimTrace = 0, kRealTrace = 1;
  std::string sim_path, real_path;
  std::vector<TwinSegment> sim, real;
  TwinComparison comparison;
  std::vector<TwinDifference> differences;            // every differing row, in row order
  std::string first_difference, first_difference_zh;  // describe_first_difference, both languages

  // Whether the packet of trace `trace` (kSimTrace / kRealTrace) is one of a differing row.
  bool is_different(std::size_t trace, std::uint32_t packet) const;
  const std::string& summary(Lang lang) const { return lang == Lang::Zh ? summary_zh : summary_en; }

  std::string summary_en, summary_zh;                  // "12 simulated segments, 13 real; 2 rows differ"
  std::vector<std::uint32_t> sim_marked, real_marked;  // sorted packet indexes of differing rows
};

// The two lanes' labels.
inline constexpr const char* kTwinSimLabel = "simulated";
inline constexpr const char* kTwinSimLabelZh = "模拟";
inline constexpr const char* kTwinRealLabel = "real Linux";
inline constexpr const char* kTwinRealLabelZh = "真实 Linux";

// Reads both pcaps (each as a capture, and into twin segments through the one decoder) and compares them.
// Errors name the file and the frame; not finished (finish_document), like load_document.
Result<LoadedDocument> load_twin_document(const std::string& sim_pcap, const std::string& real_pcap,
                                          const TwinCompareOptions& options = {});

}  // namespace wirestep
