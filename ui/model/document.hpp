// What is open: a simulated run, a comparison's TCP and UDP runs (two Traces on one time axis, with their
// table), or a capture (a file, or a live capture growing), each Trace with its indexes (loaded_trace.hpp),
// the step order over all of them and the time range they span. Plain data the views read; OpenDocument
// (open_document.hpp) makes it and replaces it. No ImGui, no GLFW: tests load and check it without a window.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/analysis/step_order.hpp"
#include "sim/scenario/comparison.hpp"
#include "ui/cli/comparison_table.hpp"
#include "ui/model/loaded_trace.hpp"

namespace wirestep {

class CaptureFlows;      // sim/analysis/flow_list.hpp
struct CaptureFileInfo;  // capture/capture_reader.hpp
struct ScriptDocument;   // ui/model/script_document.hpp
struct TwinDocument;     // ui/model/twin_document.hpp

struct Document {
  std::string source;  // the file
  std::string title, title_zh, explanation, explanation_zh;
  bool capture = false;
  std::vector<std::unique_ptr<LoadedTrace>> traces;
  std::optional<ComparisonResult> comparison;
  std::vector<ComparisonRow> comparison_rows;
  std::int64_t begin_ns = 0, end_ns = 1;  // the whole run
  std::int64_t focus_end_ns = 1;          // where the interesting part ends (initial zoom)
  bool sequence_layout = false;           // the lesson asks for a row per step ([view] layout)
  StepOrder steps;
  std::uint64_t generation = 0;  // changes with every load, so views know their caches are stale
  // Captures (flow_list.hpp): the conversations and each one's packets. While the timeline shows only some
  // conversations, `traces` holds them and the whole capture's trace waits in `whole_capture`.
  std::shared_ptr<const CaptureFlows> flows;
  std::vector<std::uint32_t> shown_flows;  // conversation ids; empty: the whole capture
  bool flows_side_by_side = false;         // a TCP and a UDP flow in two ladders
  std::unique_ptr<LoadedTrace> whole_capture;
  // A capture file: what the loader reports about it (truncation, read errors, frames it could not decode),
  // for the banner over the timeline.
  std::shared_ptr<const CaptureFileInfo> capture_info;
  // A packetdrill script (.pkt): its lines and which line each packet of the run came from (the Script tab).
  std::shared_ptr<const ScriptDocument> script;
  // A twin pair (issue 16): traces[0] the simulated run, traces[1] the real Linux one, and where they differ.
  std::shared_ptr<const TwinDocument> twin;
};

// Makes a loaded document ready to show: indexes every Trace not indexed yet (a capture's whole trace comes
// back indexed from a flow view), spans the time range, builds the step order, and stamps `generation`.
void finish_document(Document& d, std::uint64_t generation);

// A capture with more conversations or hosts than a ladder shows readably opens on the conversation overview
// (ui/gui/overview_panel.hpp): past kMaxLadderColumns addresses the ladder folds hosts into "others".
bool prefers_overview(const Document& d);
inline constexpr std::size_t kOverviewConversations = 12;

// The time of the last packet of the bulk of the traffic, when a few packets (at most 2%, at most 10) follow
// it after a gap longer than half the bulk's span; nullopt when there is no such outlier. `sorted_times`
// ascending.
std::optional<std::int64_t> end_of_bulk(std::span<const std::int64_t> sorted_times);

// Packets in all of the document's traces (the menu bar shows it).
std::size_t packet_count(const Document& d);

}  // namespace wirestep
