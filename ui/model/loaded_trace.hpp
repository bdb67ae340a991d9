// One Trace of the open document and the indexes the views need to draw it quickly, built once when the
// Trace is loaded (index_trace) or, for a capture growing live, extended over the new packets only
// (extend_capture_index): the ladder's columns and each flow's two, relative sequence numbers, the longest
// flight (how far back a frame must look for arrows still crossing the view), the events beside the lanes
// with their texts, the TCP connection states, and which arrow kinds the legend lists.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/analysis/connection_state.hpp"
#include "sim/analysis/ground_truth.hpp"
#include "sim/analysis/lang.hpp"
#include "sim/analysis/relative_seq.hpp"
#include "sim/trace/trace.hpp"
#include "ui/model/arrow_kind.hpp"
#include "ui/model/ladder_columns.hpp"

namespace wirestep {

struct LoadedTrace {
  std::string label;     // "TCP", "UDP" in a comparison, "simulated" / "real Linux" in a twin; "" otherwise
  std::string label_zh;  // the same in Chinese where it differs; empty: `label` in both languages
  const std::string& label_in(Lang lang) const {
    return lang == Lang::Zh && !label_zh.empty() ? label_zh : label;
  }
  Trace trace;
  std::optional<RelativeSeq> rel;         // set once the Trace is indexed
  std::vector<FlowColumns> flow_columns;  // per flow: the columns of its two ends
  struct Column {
    std::string name;     // "A" or the address for captures
    std::string address;  // "10.0.0.1/24"
  };
  std::vector<Column> columns;  // at most kMaxLadderColumns
  std::int64_t max_flight_ns = 0;
  // Events shown beside the lanes (socket calls, states, timer fires, notes), sorted by time.
  std::vector<std::int64_t> event_times;
  std::vector<std::uint32_t> event_ids;
  std::vector<std::uint8_t> event_columns;
  std::vector<std::string> event_texts;     // parallel; empty when there are too many to keep
  std::vector<std::string> event_texts_zh;  // the same in Chinese (the Trace itself stays English)
  const std::vector<std::string>& event_texts_in(Lang lang) const {
    return lang == Lang::Zh && event_texts_zh.size() == event_texts.size() ? event_texts_zh : event_texts;
  }
  ConnectionStates states;
  std::array<bool, static_cast<std::size_t>(ArrowKind::Count)> kinds_present{};  // for the legend
  bool any_lost = false;
  std::string capture_path;  // captures: the file the inspector re-reads frames from
  bool capture_ethernet = true;
  // A capture showing only some flows (Flows tab): each packet's index in the whole capture (frame - 1).
  std::vector<std::uint32_t> source_packets;
  // The number people see for a packet: its frame number in the file (or in the whole run), also when only
  // some flows are shown.
  std::uint32_t display_number(std::uint32_t packet) const {
    return (packet < source_packets.size() ? source_packets[packet] : packet) + 1;
  }
  // The Wireshark-style analyzer's flags and, for runs, their agreement with the causes (built once the
  // Trace is complete: OpenDocument::update_analysis).
  TraceAnalysis analysis;
};

// A capture's TCP states are inferred for this many connections: the state panel lists each end as a socket
// (the diagram colours the first 4); a bound keeps a capture of a port scan from holding millions.
inline constexpr std::size_t kInferredConnections = 256;

// Builds every index a frame needs, once per Trace. `capture`: columns are addresses, not hosts.
void index_trace(LoadedTrace& lt, bool capture);
// A capture growing while it is shown: extends the indexes over the flows and the packets from
// `first_packet` on, leaving them as index_trace would build them over the whole Trace (captures only:
// they have no events).
void extend_capture_index(LoadedTrace& lt, std::size_t first_packet);

}  // namespace wirestep
