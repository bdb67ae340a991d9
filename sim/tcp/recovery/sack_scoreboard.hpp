// The sender's SACK scoreboard and the loss-recovery rules of RFC 6675 (§2-§5): which bytes the receiver
// holds beyond the cumulative ACK, which are lost (IsLost), how many are in the network (SetPipe), and
// what to send next (NextSeg). A pure component: the connection feeds it what it sent and each ACK's
// cumulative number and SACK blocks, and asks.
//
// Positions are byte sequence numbers with exclusive ends, so where RFC 6675 says HighACK + 1 this says
// high_ack() (SND.UNA), and HighData, HighRxt and RecoveryPoint are each one past the RFC's byte. Every
// comparison is SeqNum's wrap-around one (RFC 9293 §3.4).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "sim/tcp/recovery/sack_block.hpp"
#include "sim/tcp/seq_num.hpp"

namespace wirestep {

// What one ACK told the scoreboard.
struct SackUpdate {
  std::uint32_t newly_acked = 0;   // bytes the cumulative ACK advanced by
  std::uint32_t newly_sacked = 0;  // bytes SACKed for the first time (D-SACK not counted)
  // RFC 6937 §3 DeliveredData: the change in SND.UNA plus the change in SACKed bytes.
  std::uint32_t delivered = 0;
  std::optional<SackBlock> dsack;    // RFC 2883 §4: a duplicate reported, not new data
  std::uint32_t ignored_blocks = 0;  // malformed, outside what was sent, or beyond the caps
  bool dup_ack = false;              // RFC 6675 §2 DupAck: SACKs new data, cumulative ACK unchanged
  bool recovery_ended = false;       // RFC 6675 §5: the ACK covered RecoveryPoint
};

// RFC 6675 §4 NextSeg's answer: which rule chose it and the bytes to send.
enum class NextSegRule : std::uint8_t { None, LostHole, NewData, UnsackedHole, Rescue };
struct NextSegment {
  NextSegRule rule = NextSegRule::None;
  SeqNum start;
  std::uint32_t length = 0;
};

class SackScoreboard {
 public:
  static constexpr std::uint32_t kDupThresh = 3;  // RFC 6675 §2: DupThresh
  // A peer chooses how many holes it reports; the scoreboard keeps at most this many SACKed runs and
  // ignores blocks that would need more (forgetting a SACK only makes the sender retransmit more).
  static constexpr std::size_t kMaxRanges = 64;

  SackScoreboard(SeqNum snd_una, std::uint32_t smss);

  // Data sent up to (not including) snd_nxt: HighData.
  void on_sent(SeqNum snd_nxt);
  // RFC 6675 §4 Update(): one ACK's cumulative number and SACK blocks (first block first, as received).
  SackUpdate update(SeqNum cum_ack, std::span<const SackBlock> blocks);
  // RFC 6675 §4 IsLost(SeqNum).
  bool is_lost(SeqNum seq) const;
  // RFC 6675 §4 SetPipe(): bytes the sender believes are in the network.
  std::uint32_t pipe() const;
  // RFC 6675 §4 NextSeg(); `new_data_allowed` is how many unsent bytes the send buffer and the receive
  // window allow. It does not change the scoreboard: report what was sent with the calls below.
  NextSegment next_seg(std::uint32_t new_data_allowed) const;
  void on_retransmitted(SeqNum start, std::uint32_t length);  // HighRxt
  void on_rescue_sent();                                      // RFC 6675 §4 NextSeg rule 4: RescueRxt

  // RFC 6675 §5: enter when DupAcks reach DupThresh or the first unacknowledged byte IsLost.
  bool should_enter_recovery() const;
  void enter_recovery();
  bool in_recovery() const { return in_recovery_; }

  SeqNum high_ack() const { return high_ack_; }
  SeqNum high_data() const { return high_data_; }
  SeqNum high_rxt() const { return high_rxt_; }
  SeqNum recovery_point() const { return recovery_point_; }
  std::uint32_t dup_acks() const { return dup_acks_; }
  std::uint32_t sacked_bytes() const;
  const std::vector<SackBlock>& sacked_ranges() const { return ranges_; }

 private:
  // Unsacked bytes below this are lost, above it not (IsLost is monotone: the lower a byte, the more
  // SACKed data lies above it).
  SeqNum lost_below() const;
  // Adds [start, end) to the SACKed runs; returns the bytes not SACKed before, or nullopt if the cap on
  // runs would be exceeded.
  std::optional<std::uint32_t> add_range(SeqNum start, SeqNum end);
  std::optional<SackBlock> hole_at_or_after(SeqNum from, SeqNum limit) const;

  std::uint32_t smss_;
  SeqNum high_ack_;   // SND.UNA
  SeqNum high_data_;  // SND.NXT
  SeqNum high_rxt_;   // one past the highest byte retransmitted in this recovery
  SeqNum recovery_point_;
  std::optional<SeqNum> rescue_rxt_;
  bool in_recovery_ = false;
  std::uint32_t dup_acks_ = 0;
  std::vector<SackBlock> ranges_;  // SACKed runs above high_ack_, sorted, disjoint, not adjacent
};

}  // namespace wirestep
