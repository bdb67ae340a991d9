// TCP sequence analysis of one TCP stream, with the meanings of Wireshark's tcp.analysis.* flags, so a
// capture read here and in Wireshark tells the same story. Read first: the Wireshark User's Guide, "TCP
// Analysis" (§7.5), and RFC 9293 §3.4 (sequence numbers), §3.8.6 (window), RFC 5681 §3.2 (fast
// retransmit), RFC 1122 §4.2.3.6 (keep-alives), RFC 7323 §2.3 (window scale, capped at 14).
//
// The rules mirror Wireshark 4.0's tcp_analyze_sequence_number() (epan/dissectors/packet-tcp.c), written
// anew here, in the same order and with the same quirks, because users compare the two: for example
// "next sequence 0" means "not seen yet", a fast retransmission must come within 20 ms of the last duplicate
// ACK, and an out-of-order segment within the handshake RTT (3 ms without one) of the highest segment.
// What is ours: every flag names the earlier packet it refers to (TcpFlagHit::ref_packet) so it can be
// explained, and the retransmitted range's first transmission is looked up exactly, not approximated.
//
// One TcpStreamAnalysis per TCP stream (Wireshark's tcp.stream); flow_analysis.hpp decides where a stream
// starts (a SYN with a new initial sequence number on a port pair already seen).
#pragma once

#include <array>
#include <climits>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace wirestep {

// Wireshark's flags, in the order of its expert infos. Retransmission, FastRetransmission and
// SpuriousRetransmission exclude each other on one segment (Wireshark's filter tcp.analysis.retransmission
// matches all three).
enum class TcpFlag : std::uint8_t {
  Retransmission,
  FastRetransmission,
  SpuriousRetransmission,
  DuplicateAck,
  OutOfOrder,
  LostSegment,     // "previous segment not captured"
  AckLostSegment,  // "ACKed segment that wasn't captured"
  ZeroWindow,
  ZeroWindowProbe,
  ZeroWindowProbeAck,
  WindowFull,
  WindowUpdate,
  KeepAlive,
  KeepAliveAck,
  Reset,  // not a tcp.analysis flag: Wireshark's tcp.connection.rst expert info
};
inline constexpr std::size_t kTcpFlagCount = static_cast<std::size_t>(TcpFlag::Reset) + 1;
// Wireshark's field name without "tcp.analysis.": "retransmission", "fast_retransmission", ..., and "rst".
std::string_view wireshark_name(TcpFlag f);

// A segment as the analysis sees it: header fields as on the wire (window unscaled).
struct TcpSegment {
  std::uint32_t packet = 0;  // Trace index, used to name earlier packets in explanations
  std::int64_t time_ns = 0;
  std::uint8_t flags = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint32_t len = 0;  // payload bytes, as the IP header claims (not as captured)
  std::uint16_t window = 0;
  std::optional<std::uint8_t> window_scale;  // the option, on SYNs
};

inline constexpr std::uint32_t kNoPacket = 0xFFFFFFFF;

// One flag on one segment and what it refers to. `value` depends on the flag (see tcp_explain.cpp):
// duplicate ACK number, the sequence number the rule compared against, a time in microseconds.
// `first_sent` is, for retransmissions, the packet that first carried the retransmitted bytes.
struct TcpFlagHit {
  TcpFlag flag;
  std::uint32_t ref_packet = kNoPacket;
  std::uint32_t value = 0;
  std::uint32_t first_sent = kNoPacket;
};

struct TcpSegmentResult {
  std::array<TcpFlagHit, 6> hits{};
  std::uint8_t count = 0;
  // The segment this one acknowledges exactly (Wireshark's tcp.analysis.acks_frame) and the time since.
  std::uint32_t acked_packet = kNoPacket;
  std::int64_t ack_rtt_ns = 0;
  void add(TcpFlag f, std::uint32_t ref = kNoPacket, std::uint32_t value = 0,
           std::uint32_t first_sent = kNoPacket) {
    if (count < hits.size()) hits[count++] = TcpFlagHit{f, ref, value, first_sent};
  }
  bool has(TcpFlag f) const {
    for (std::size_t i = 0; i < count; ++i)
      if (hits[i].flag == f) return true;
    return false;
  }
};

class TcpStreamAnalysis {
 public:
  // Wireshark's stream separation: a pure SYN whose sequence number differs from the initial sequence
  // number already seen in its direction starts a new stream (port reuse after close).
  bool starts_new_stream(int dir, const TcpSegment& s) const;
  // Analyses one segment sent in direction `dir` (0 = the Trace's a>b, 1 = b>a).
  TcpSegmentResult on_segment(int dir, const TcpSegment& s);

  // The handshake RTT: last SYN to the first pure ACK after it (Wireshark's tcp.analysis.initial_rtt).
  // Only a positive interval is a round trip: stamps going backwards give none here.
  std::optional<std::int64_t> initial_rtt_ns() const {
    return handshake_rtt_ns_ > 0 ? std::optional<std::int64_t>(handshake_rtt_ns_) : std::nullopt;
  }
  // Initial sequence number (minus one when the SYN was not seen), for relative sequence numbers.
  std::uint32_t base_seq(int dir) const { return dirs_[dir & 1].base_seq; }
  // Drops the list of unacknowledged segments once the stream is over.
  void release();

  // Wireshark keeps at most this many unacknowledged segments per direction (TCP_MAX_UNACKED_SEGMENTS).
  static constexpr std::uint32_t kMaxUnackedSegments = 10'000;

 private:
  // In a side's duplicate-ACK counter: an ACKed-unseen report was given against this side and it has sent
  // no new ACK since. Wireshark's -1 in an unsigned counter, so it also passes the fast retransmission's
  // "two or more duplicate ACKs" test, as there.
  static constexpr std::uint32_t kAckLostReported = 0xFFFFFFFF;
  static constexpr std::int64_t kNever = INT64_MIN;  // "no time yet": any interval since it is huge
  struct Unacked {
    std::uint32_t packet;
    std::uint32_t seq;
    std::uint32_t nextseq;
    std::int64_t time_ns;
  };
  // One direction's view, Wireshark's tcp_flow_t + tcp_analyze_seq_flow_info_t. Zero sequence values mean
  // "not seen yet", as there.
  struct Side {
    std::uint32_t base_seq = 0;
    bool base_seq_set = false;
    std::int8_t win_scale = -1;         // -1 unknown, -2 not in use (one side did not offer it)
    bool is_first_ack = false;          // a SYN was seen and no pure ACK since: window not scaled yet
    std::uint32_t window = 0xFFFFFFFF;  // last raw window; Wireshark starts at G_MAXUINT32
    std::uint32_t last_packet = kNoPacket;
    std::uint32_t nextseq = 0;  // highest sequence number sent + 1
    std::uint32_t nextseq_packet = kNoPacket;
    std::int64_t nextseq_time_ns = kNever;
    std::uint32_t maxseqtobeacked = 0;  // highest contiguous sequence number sent + 1
    std::uint32_t lastack = 0;
    std::uint32_t lastack_packet = kNoPacket;
    std::int64_t lastack_time_ns = kNever;
    std::uint32_t last_non_dup_ack_packet = kNoPacket;
    std::uint32_t dupacknum = 0;  // or kAckLostReported
    std::uint32_t last_segment_flags = 0;
    std::vector<Unacked> unacked;  // oldest first
  };

  void analyze_sequence(Side& fwd, Side& rev, const TcpSegment& s, TcpSegmentResult& out);
  std::uint32_t first_sent(const Side& fwd, std::uint32_t seq, bool fallback) const;

  std::array<Side, 2> dirs_;
  std::optional<std::int64_t> mru_syn_ns_;  // the most recent SYN (a retransmitted SYN restarts the RTT)
  // Wireshark's ts_first_rtt: 0 = not measured yet; may be negative when the stamps go backwards.
  std::int64_t handshake_rtt_ns_ = 0;
};

}  // namespace wirestep
