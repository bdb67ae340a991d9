// Follow stream, as Wireshark's "Follow TCP Stream" shows it: the payload of one conversation, both
// directions, in the order the bytes became readable. TCP is reassembled by sequence number per direction,
// so retransmitted and overlapping bytes appear once, out-of-order segments are placed where they belong and
// bytes the capture never saw become a gap ("[N bytes missing]"). UDP is its datagrams in order.
// Read first: RFC 9293 §3.4 (sequence numbers), §3.10.7.4 (segment text is delivered in sequence order).
// The analysis layer never reads a file: the caller hands in how to get one packet's payload bytes (a
// simulated Trace keeps them, a capture re-reads its file; ui/model/follow_source.hpp wires both).
// Limits: at most `max_bytes` (16 MiB by default) of payload are kept, held-back segments included; the rest
// is counted and reported as truncated.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/analysis/flow_analysis.hpp"
#include "sim/core/result.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

inline constexpr std::uint64_t kFollowMaxBytes = 16ull << 20;

// One piece of the stream: bytes one side sent, or (missing > 0, bytes empty) a gap the capture lacks.
struct FollowChunk {
  bool from_client = true;    // sent by the conversation's initiator (Wireshark's "Node 0")
  std::uint64_t rel_seq = 0;  // offset of the first byte in this side's stream (TCP: relative seq - 1)
  std::uint32_t packet = 0;   // Trace index of the first packet that carried these bytes
  std::uint64_t missing = 0;  // a gap: this many bytes were never captured
  std::vector<std::uint8_t> bytes;
};

struct FollowStream {
  Transport proto = Transport::Other;
  std::uint32_t conversation = 0;
  std::uint32_t stream = 0;  // TCP: Wireshark's tcp.stream
  wire::IpAddr client_addr, server_addr;
  std::uint16_t client_port = 0, server_port = 0;
  std::vector<FollowChunk> chunks;
  std::array<std::uint64_t, 2> bytes{};  // kept per side: [0] client, [1] server
  bool truncated = false;                // more payload than max_bytes: the rest was dropped
  std::uint64_t truncated_at = 0;        // bytes kept when it stopped
  std::vector<Error> errors;             // packets whose bytes could not be read ("frame 12: ...")
};

// Appends packet `packet`'s transport payload to `out`, or says why it cannot. May give fewer bytes than the
// Trace's payload_len (a capture cut short by its snaplen): the rest counts as missing.
using PayloadSource = std::function<Status(std::uint32_t packet, std::vector<std::uint8_t>& out)>;

// A simulated Trace's own payload bytes (Trace::payload_bytes).
PayloadSource trace_payload_source(const Trace& trace);

struct FollowOptions {
  std::uint64_t max_bytes = kFollowMaxBytes;
  // The number people see for a packet in errors (its frame number); packet + 1 when not set.
  std::function<std::uint32_t(std::uint32_t packet)> frame_number;
};

// Follows conversation `conversation` of `analysis` (FlowAnalyzer::conversations()) over `trace`. An error
// when the conversation does not exist or is neither TCP nor UDP.
Result<FollowStream> follow_stream(const Trace& trace, const FlowAnalyzer& analysis,
                                   std::uint32_t conversation, const PayloadSource& payload,
                                   const FollowOptions& options = {});

// The conversation whose tcp.stream is `stream` (what tshark's "-z follow,tcp,...,N" names), if any.
std::optional<std::uint32_t> conversation_of_tcp_stream(const FlowAnalyzer& analysis, std::uint32_t stream);
// The conversation whose udp.stream is `stream`: UDP conversations numbered in order of first packet.
std::optional<std::uint32_t> conversation_of_udp_stream(const FlowAnalyzer& analysis, std::uint32_t stream);

}  // namespace wirestep
