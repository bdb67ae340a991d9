// The conversation table: every packet of a Trace (captured or simulated) is assigned to a conversation and
// counted; TCP conversations get Wireshark's sequence analysis (tcp_analysis.hpp), UDP ones datagram sizes
// and gaps. Fed one packet at a time, in Trace order, so a capture is analysed while it loads.
//
// A conversation is a Trace flow (both directions of a 5-tuple), except that a TCP port pair reused for a new
// connection starts a new conversation, as Wireshark's tcp.stream does: a SYN carrying a new initial
// sequence number (in practice after FIN or RST). The Trace itself keeps one flow per 5-tuple.
//
// Memory: a few hundred bytes per conversation plus one record per flagged packet; nothing per ordinary
// packet (RTT samples only when asked for), so the Trace stays the only per-packet cost.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "sim/analysis/frame_info.hpp"
#include "sim/analysis/tcp_analysis.hpp"
#include "sim/analysis/tcp_end_state.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

struct DirectionTotals {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;          // on the wire, link headers included (Wireshark's conversation bytes)
  std::uint64_t payload_bytes = 0;  // TCP/UDP payload as the headers claim it
};

struct TimeStats {  // min / mean / max of a series of intervals
  std::uint64_t count = 0;
  std::int64_t min_ns = 0;
  std::int64_t max_ns = 0;
  std::int64_t sum_ns = 0;
  void add(std::int64_t ns);
  double mean_ns() const { return count ? static_cast<double>(sum_ns) / static_cast<double>(count) : 0.0; }
};

enum class TcpPhase : std::uint8_t { Handshake, Data, Teardown };
std::string_view to_string(TcpPhase p);

struct TcpConversation {
  std::uint32_t stream = 0;  // Wireshark's tcp.stream: TCP conversations numbered in order of first packet
  std::uint32_t syn = 0, fin = 0, rst = 0;           // segments with each flag
  std::array<std::uint32_t, kTcpFlagCount> flags{};  // segments carrying each analysis flag
  std::optional<std::int64_t> initial_rtt_ns;        // SYN -> SYN-ACK -> ACK, when all three were seen
  TimeStats ack_rtt;                                 // one sample per ACK that acknowledges a segment exactly
  // Where each phase starts (packet index), kNoPacket if it never did.
  std::uint32_t handshake_packet = kNoPacket;  // the first SYN
  std::uint32_t data_packet = kNoPacket;       // the first segment with payload
  std::uint32_t teardown_packet = kNoPacket;   // the first FIN or RST
  std::array<std::uint32_t, 2> base_seq{};     // per Trace direction, for relative sequence numbers
  std::array<TcpEndState, 2> end_state{};      // per Trace direction's sender, at the end of the capture
  std::uint32_t unanalyzed = 0;                // fragments and malformed segments, counted but not analysed

  // Wireshark's tcp.analysis.retransmission filter matches all three kinds.
  std::uint32_t retransmissions() const;
  TcpPhase phase_of(std::uint32_t packet) const;
};

struct UdpConversation {
  std::uint32_t min_payload = 0;
  std::uint32_t max_payload = 0;
  TimeStats gaps;  // time between consecutive datagrams of the conversation, either direction
  std::int64_t last_time_ns = 0;
};

// ICMP conversations (both addresses): what kinds of message went between them.
struct IcmpConversation {
  std::uint32_t echo_requests = 0;
  std::uint32_t echo_replies = 0;
  std::uint32_t errors = 0;  // destination unreachable, time exceeded, packet too big, ...
  std::uint32_t other = 0;   // neighbour discovery, redirects, anything else
};

// ARP conversations (sender and target address): requests and replies (RFC 826 ar$op).
struct ArpConversation {
  std::uint32_t requests = 0;
  std::uint32_t replies = 0;
};

struct Conversation {
  std::uint32_t id = 0;
  Transport proto = Transport::Other;
  std::uint32_t trace_flow = 0;
  Direction initiator = Direction::AtoB;  // the Trace direction the initiator sent in: "a" in reports
  std::uint32_t first_packet = 0;
  std::uint32_t last_packet = 0;
  std::uint32_t first_frame = 0;
  std::uint32_t last_frame = 0;
  std::int64_t first_time_ns = 0;
  std::int64_t last_time_ns = 0;
  std::array<DirectionTotals, 2> by_direction{};  // indexed by Trace direction
  TcpConversation tcp;
  UdpConversation udp;
  IcmpConversation icmp;
  ArpConversation arp;
  // ICMP errors elsewhere in the capture that quote a packet of this conversation (a UDP datagram to a
  // closed port answered by port unreachable, a probe whose TTL ran out).
  std::uint32_t icmp_errors = 0;

  std::uint64_t packets() const { return by_direction[0].packets + by_direction[1].packets; }
  std::uint64_t bytes() const { return by_direction[0].bytes + by_direction[1].bytes; }
  // Totals sent by the initiator (a) or the responder (b).
  const DirectionTotals& from_a() const { return by_direction[static_cast<int>(initiator)]; }
  const DirectionTotals& from_b() const { return by_direction[static_cast<int>(initiator) ^ 1]; }
};

// One analysis flag on one packet, and the packets it refers to (for its explanation, tcp_explain.hpp).
struct FlaggedPacket {
  std::uint32_t packet = 0;
  std::uint32_t frame = 0;
  std::uint32_t conversation = 0;
  std::uint32_t ref_packet = kNoPacket;
  std::uint32_t first_sent = kNoPacket;
  std::uint32_t value = 0;
  TcpFlag flag = TcpFlag::Retransmission;
};

struct RttSample {
  std::uint32_t ack_packet;
  std::uint32_t acked_packet;
  std::int64_t rtt_ns;
};

class FlowAnalyzer {
 public:
  struct Options {
    bool keep_rtt_samples = false;  // one 16-byte record per sample, for RTT graphs
  };
  FlowAnalyzer() = default;
  explicit FlowAnalyzer(Options options) : options_(options) {}

  void add(const PacketRecord& rec, const FrameInfo& info);
  // Ends the analysis: frees the per-stream working state (unacknowledged segment lists).
  void finish();

  const std::vector<Conversation>& conversations() const { return conversations_; }
  const std::vector<FlaggedPacket>& flagged() const { return flagged_; }  // in packet order
  const std::vector<RttSample>& rtt_samples() const { return rtt_samples_; }
  // The conversation a packet of `trace_flow` belongs to (the flow's latest one that started at or before
  // it).
  std::optional<std::uint32_t> conversation_of(std::uint32_t trace_flow, std::uint32_t packet) const;

 private:
  Conversation& start_conversation(Transport proto, const PacketRecord& rec, const FrameInfo& info);
  void add_tcp(Conversation& c, const PacketRecord& rec, const FrameInfo& info);
  void add_udp(Conversation& c, const PacketRecord& rec, const FrameInfo& info);

  Options options_;
  std::vector<Conversation> conversations_;
  std::vector<std::unique_ptr<TcpStreamAnalysis>> tcp_state_;  // per conversation; null for UDP and other
  std::vector<TcpEndStates> end_states_;                       // per conversation
  std::vector<std::vector<std::uint32_t>> by_flow_;            // Trace flow -> its conversations, in order
  std::vector<FlaggedPacket> flagged_;
  std::vector<RttSample> rtt_samples_;
  std::uint32_t tcp_streams_ = 0;
};

// Analyses a whole simulated Trace: lengths on the wire are those of the pcap export (Ethernet + IPv4), frame
// numbers are packet index + 1. Each packet counts once: the rows a routed run adds for the next hops
// (hop_copy.hpp) are skipped. For captures use load_and_analyze() (analyzed_capture.hpp), which feeds the
// analyzer each frame's real time, length and number while loading.
FlowAnalyzer analyze_trace(const Trace& trace, FlowAnalyzer::Options options = {});

}  // namespace wirestep
