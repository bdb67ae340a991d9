// Ground truth beside inference (DESIGN.md "Ground truth vs inference"): the Wireshark-style analyzer
// (sim/analysis/flow_analysis.hpp) run on a Trace, and, for simulated runs, its flags compared packet by
// packet with the cause the simulator recorded. Built once per loaded Trace; panels only look things up.
// Window-free and unit-tested.
//
// A cause and a flag agree when they name the same thing: an RTO retransmission is Wireshark's
// "retransmission", a fast retransmission its "fast_retransmission", and so on. Flags that describe a
// segment's situation rather than why it was sent (zero window, window full, the ACK of a probe or a
// keep-alive) have no cause to compare with and never count as a disagreement.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/analysis/flow_analysis.hpp"
#include "sim/analysis/lang.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

using FlagMask = std::uint16_t;  // one bit per TcpFlag
static_assert(kTcpFlagCount <= 16);
constexpr FlagMask flag_bit(TcpFlag f) {
  return static_cast<FlagMask>(1u << static_cast<unsigned>(f));
}

// The analyzer flag naming the same event as the simulator's cause; nullopt for causes Wireshark has no
// flag for (first transmissions, ordinary ACKs, datagrams, copies the link made).
std::optional<TcpFlag> flag_for_cause(Cause c);
// Flags that say why a segment was sent, and so are compared with the cause.
bool is_cause_flag(TcpFlag f);

// One packet where the simulator and the analyzer tell different stories.
struct Disagreement {
  std::uint32_t packet = 0;
  std::optional<TcpFlag> simulator;  // what the cause says the analyzer should have raised
  FlagMask analyzer = 0;             // the cause flags the analyzer did raise
};

class TraceAnalysis {
 public:
  // Runs the analyzer over `trace`. `ground_truth`: the Trace is simulated, so its causes are known and
  // every packet is compared; for captures only the flags are kept.
  void build(const Trace& trace, bool ground_truth);
  // Whether the last build saw every packet of `trace` (a live capture grows after it).
  bool covers(const Trace& trace) const { return built_ && packets_ == trace.packet_count(); }
  std::size_t packets() const { return packets_; }

  bool has_ground_truth() const { return ground_truth_; }
  const FlowAnalyzer& analyzer() const { return analyzer_; }
  // The flags on one packet (empty when none): a binary search in the analyzer's packet-ordered list.
  std::span<const FlaggedPacket> flags_of(std::uint32_t packet) const;
  FlagMask mask_of(std::uint32_t packet) const;
  // Whether the analyzer's cause flags on the packet are exactly the one its cause names (always true
  // without ground truth).
  bool agrees(const Trace& trace, std::uint32_t packet) const;

  const std::vector<Disagreement>& disagreements() const { return disagreements_; }
  // Packets whose cause names each flag, and packets the analyzer flagged with it.
  const std::array<std::uint32_t, kTcpFlagCount>& simulator_counts() const { return simulator_counts_; }
  const std::array<std::uint32_t, kTcpFlagCount>& analyzer_counts() const { return analyzer_counts_; }

  // The analyzer's sentence for one flag (tcp_explain.hpp) in `lang`, citing frames by the numbers people
  // see: packet + 1, or, for a Trace holding only some flows of a capture, `source_packets[packet] + 1`
  // (each packet's index in the whole capture, FlowSubset::source_packets), so a filtered view cites the
  // file's own frame numbers.
  std::string explain(const Trace& trace, const FlaggedPacket& flag, Lang lang = Lang::En,
                      std::span<const std::uint32_t> source_packets = {}) const;
  // Every flag on the packet explained, one per line; for a disagreement without analyzer flags, says so.
  std::string explain_packet(const Trace& trace, std::uint32_t packet, Lang lang = Lang::En,
                             std::span<const std::uint32_t> source_packets = {}) const;

 private:
  FlowAnalyzer analyzer_;
  bool ground_truth_ = false;
  bool built_ = false;
  std::size_t packets_ = 0;
  std::vector<Disagreement> disagreements_;
  std::array<std::uint32_t, kTcpFlagCount> simulator_counts_{};
  std::array<std::uint32_t, kTcpFlagCount> analyzer_counts_{};
};

// "retransmission, duplicate_ack" (Wireshark's field names), "none" for an empty mask.
std::string flag_names(FlagMask mask);

}  // namespace wirestep
