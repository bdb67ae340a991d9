// The Flows tab's data, without a window: one row per conversation of a capture
// (sim/analysis/flow_analysis.hpp) with its endpoints, totals and TCP analysis counts; the text filter and
// the sort; and, built once per capture, every conversation's packet indexes, so showing one flow in the
// timeline or saving a few flows costs the size of those flows, never a walk over the whole capture per
// frame.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/analysis/conversation_ticks.hpp"
#include "sim/analysis/flow_analysis.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

struct FlowRow {
  std::uint32_t conversation = 0;  // index into FlowAnalyzer::conversations(), shown as the flow number
  Transport proto = Transport::Other;
  wire::IpAddr a_addr, b_addr;  // a: the initiator (first sender)
  std::uint16_t a_port = 0, b_port = 0;
  std::string proto_text;  // "TCP", "UDP", "ICMP", "ARP", "other"
  std::string a, b;        // "10.0.0.1:443", "[2001:db8::1]:53"; a bare address for ICMP, ARP and other;
                           // "non-IP frames" for the non-IP flow
  std::string search;      // lower case "tcp 10.0.0.1:443 10.0.0.2:5555", what the filter matches
  std::uint64_t packets = 0, bytes = 0;
  std::int64_t first_ns = 0, last_ns = 0;  // Trace time of the first and last packet
  std::uint32_t retransmissions = 0, dup_acks = 0, lost_segments = 0, out_of_order = 0, zero_windows = 0;
  std::uint32_t icmp_errors = 0;  // ICMP errors quoting this flow's packets (Conversation::icmp_errors)
  TcpConversation tcp;            // every count, for the row's tooltip
};

enum class FlowColumn : std::uint8_t {
  Number,
  Proto,
  A,
  B,
  Packets,
  Bytes,
  Retransmissions,
  DupAcks,
  LostSegments,
  OutOfOrder,
  ZeroWindows,
  Start,
  Duration,  // last packet - first
  Rate,      // bytes per second over the duration
};

// Bytes per second of a row over its duration (0 for a single instant).
double flow_rate(const FlowRow& row);

// True when every space-separated word of `filter` occurs in the row's protocol or endpoints, ignoring
// case: "tcp", "10.0.0.2", ":443", "udp 10.0.0.2". An empty filter matches every row.
bool flow_matches(const FlowRow& row, std::string_view filter);

class CaptureFlows {
 public:
  // One pass over the Trace: each packet goes to the conversation the analysis assigned it to.
  CaptureFlows(const Trace& trace, const FlowAnalyzer& analysis, std::uint32_t non_ip_flow);

  const std::vector<FlowRow>& rows() const { return rows_; }
  std::size_t packet_count() const { return packets_.size(); }
  // The conversation's packets (Trace indexes, ascending).
  std::span<const std::uint32_t> packets_of(std::uint32_t conversation) const;
  // The packets of several conversations merged in Trace order (what the timeline shows, what a save writes).
  std::vector<std::uint32_t> packets_of(std::span<const std::uint32_t> conversations) const;
  // The conversation's packets that carry a Wireshark finding (capture_finding.hpp), in Trace order.
  std::span<const PacketFinding> findings_of(std::uint32_t conversation) const;

  // Rows matching `filter` whose protocol the view shows, sorted by `column` (ties: flow number). `out`
  // receives row indexes; its capacity is reused.
  void list(std::string_view filter, bool show_tcp, bool show_udp, FlowColumn column, bool ascending,
            std::vector<std::uint32_t>& out) const;

 private:
  std::vector<FlowRow> rows_;
  // Per conversation, its packets: packets_[offsets_[c] .. offsets_[c + 1]).
  std::vector<std::uint32_t> offsets_;
  std::vector<std::uint32_t> packets_;
  // Per conversation, its flagged packets: findings_[finding_offsets_[c] .. finding_offsets_[c + 1]).
  std::vector<std::uint32_t> finding_offsets_;
  std::vector<PacketFinding> findings_;
};

// Some conversations of a capture as a Trace of their own, for the timeline: the packets keep their times,
// fields and file offsets (so the inspector re-reads the right frames); `source_packets` maps each packet
// back to its index in the whole capture (frame numbers).
struct FlowSubset {
  Trace trace;
  std::vector<std::uint32_t> source_packets;
};
FlowSubset extract_flows(const Trace& whole, std::span<const std::uint32_t> packets);

}  // namespace wirestep
