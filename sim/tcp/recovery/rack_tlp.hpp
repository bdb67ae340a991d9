// RACK-TLP loss detection (RFC 8985). RACK (§6) marks a segment lost when a segment sent after it has
// been delivered and a reordering window has passed since; TLP (§7) sends one probe when a tail of data
// goes unacknowledged for a probe timeout, so a tail loss is repaired by fast recovery instead of an RTO.
// A pure component: the connection reports each transmission (time, range, whether a retransmission)
// and each ACK (time, cumulative ACK, SACK blocks, SRTT), and asks what is lost and when its timers are
// due. It never sends: it answers what to send and the connection reports back.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/tcp/recovery/sack_block.hpp"
#include "sim/tcp/seq_num.hpp"

namespace wirestep {

struct RackAck {
  SimTime now;
  SeqNum cum_ack;                    // the ACK's cumulative acknowledgment (new SND.UNA)
  std::span<const SackBlock> sacks;  // as received; a D-SACK first block (RFC 2883 §4) is recognised
  SeqNum snd_nxt;
  SimDuration srtt;          // RFC 6298 SRTT, 0 before the first sample
  SimDuration rtt_sample;    // RFC 6298 sample from this ACK, 0 when none (§6.2 step 1)
  bool in_recovery = false;  // the sender is in fast recovery or RTO recovery
};

// RFC 8985 §7.4: what an ACK says about the last probe.
enum class TlpOutcome : std::uint8_t {
  None,          // no probe episode ended
  NoLoss,        // the probe was new data, or both it and the original arrived
  LossRepaired,  // the probe repaired a loss: the congestion control must reduce (§7.4.2)
};

struct RackAckResult {
  std::vector<SackBlock> newly_lost;        // segments RACK marked lost on this ACK, to retransmit
  std::optional<SimTime> reorder_deadline;  // RFC 8985 §6.2 step 5: when to run detection again
  TlpOutcome tlp = TlpOutcome::None;
};

enum class TlpProbeKind : std::uint8_t {
  Skip,            // §7.3: a probe is still outstanding or no RTT sample since the last: re-arm the RTO
  NewData,         // send the next unsent segment
  RetransmitLast,  // retransmit the highest-sequence segment sent
};
struct TlpProbe {
  TlpProbeKind kind = TlpProbeKind::Skip;
  SackBlock segment;  // for RetransmitLast
};

// RFC 8985 §7.2: what the probe timeout adds to 2·SRTT, and the timer's granularity. The defaults are the
// RFC's; linux_kernel() is tcp_schedule_loss_probe as of Linux 6.7 (the twin's kernel is newer).
struct ProbeTimeoutRule {
  // WCDelAckT, the worst-case delayed-ACK time, added when one segment is in flight.
  SimDuration worst_case_del_ack = SimDuration::millis(200);
  // Added with several segments in flight: nothing in the RFC; Linux's TCP_TIMEOUT_MIN_US (2 ms) keeps a
  // probe from beating the ACKs of a burst on a short path.
  SimDuration several_in_flight{};
  // Timer granularity: the timeout is rounded up to whole ticks (Linux's usecs_to_jiffies); 0: exact.
  SimDuration tick{};

  // tcp_schedule_loss_probe: usecs_to_jiffies(2·SRTT + (one segment out ? rto_min : TCP_TIMEOUT_MIN_US)).
  static ProbeTimeoutRule linux_kernel(SimDuration rto_min, SimDuration jiffy) {
    return {rto_min, SimDuration::millis(2), jiffy};
  }
};

class RackTlp {
 public:
  static constexpr std::uint32_t kDupThresh = 3;  // RFC 8985 §6.2 step 4 uses RFC 6675's DupThresh
  static constexpr int kReoWndPersist = 16;       // §6.2 step 4: recoveries a grown window lasts

  explicit RackTlp(ProbeTimeoutRule pto_rule = {});

  // §6.1: every data segment sent, with its time. A retransmission updates the segment it repeats.
  void on_transmit(SimTime now, SeqNum start, std::uint32_t length, bool retransmission);
  // §6.2 steps 1-5 and §7.4.
  RackAckResult on_ack(const RackAck& ack);
  // §6.2 step 5: the reordering timer fired; detection runs again.
  RackAckResult on_reorder_timeout(SimTime now, SimDuration srtt, bool in_recovery);
  // §6.2 step 4: a fast or RTO recovery ended (counts down a reordering window grown by D-SACK).
  void on_recovery_exit();

  // §7.2: the probe timeout from now, or nullopt when no probe should be armed. `rto_expiry` caps it.
  std::optional<SimTime> arm_pto(SimTime now, SimDuration srtt, std::optional<SimTime> rto_expiry,
                                 bool in_recovery);
  std::optional<SimTime> pto_deadline() const { return pto_deadline_; }
  // §7.3: the probe timeout fired; what to send. `new_data_allowed`: an unsent segment exists and the
  // receive window allows it.
  TlpProbe on_pto(SimTime now, bool new_data_allowed);
  // §7.3: the probe went out (also reported as a transmission); starts the TLP episode.
  void on_probe_sent(SimTime now, SeqNum start, std::uint32_t length, bool retransmission);

  // RACK state (RFC 8985 §5.2 names), for tests and the Trace.
  SimDuration rack_rtt() const { return rack_rtt_; }
  std::optional<SimTime> rack_xmit_ts() const {
    return rack_valid_ ? std::optional(rack_xmit_ts_) : std::nullopt;
  }
  SeqNum rack_end_seq() const { return rack_end_seq_; }
  SeqNum fack() const { return fack_; }
  SimDuration min_rtt() const { return min_rtt_; }
  bool reordering_seen() const { return reordering_seen_; }
  int reo_wnd_mult() const { return reo_wnd_mult_; }
  SimDuration reo_wnd(SimDuration srtt, bool in_recovery) const;
  std::optional<SeqNum> tlp_end_seq() const { return tlp_end_seq_; }
  bool is_lost(SeqNum seq) const;
  std::size_t segments_tracked() const { return segs_.size(); }
  // When the oldest unacknowledged segment was last sent (Linux's tcp_rtx_queue_head(sk)->tstamp).
  std::optional<SimTime> oldest_xmit_ts() const {
    return segs_.empty() ? std::nullopt : std::optional(segs_.front().xmit_ts);
  }

 private:
  struct Segment {
    SeqNum start;
    SeqNum end;
    SimTime xmit_ts;
    std::uint64_t xmit_order = 0;  // which transmission this was, counted over the connection
    bool retransmitted = false;
    bool sacked = false;
    bool lost = false;
  };
  // RFC 8985 §6.2 RACK_sent_after breaks a tie of equal times by sequence, standing in for the order of
  // sending. Here many sends share one instant and a retransmission can follow higher new data in it, so
  // the tie is broken by the real order: as on Linux, whose clock moves between two ACKs' sends.
  static bool sent_after(SimTime t1, std::uint64_t order1, SimTime t2, std::uint64_t order2) {
    return t1 > t2 || (t1 == t2 && order1 > order2);
  }
  void detect_loss(SimTime now, SimDuration srtt, bool in_recovery, RackAckResult& out);
  std::uint32_t segs_sacked() const;

  ProbeTimeoutRule pto_rule_;
  std::deque<Segment> segs_;  // unacknowledged segments in sequence order
  // Kept with segs_ so the per-ACK checks need no scan: how many are SACKed, how many were retransmitted.
  std::uint32_t sacked_count_ = 0;
  std::uint32_t retransmitted_count_ = 0;
  std::vector<Segment> delivered_;  // on_ack's scratch list, reused so an ACK allocates nothing
  SeqNum snd_una_;
  bool una_valid_ = false;

  bool rack_valid_ = false;
  SimTime rack_xmit_ts_;
  std::uint64_t rack_xmit_order_ = 0;
  SeqNum rack_end_seq_;
  std::uint64_t transmissions_ = 0;
  SimDuration rack_rtt_;
  SeqNum fack_;
  bool fack_valid_ = false;
  SimDuration min_rtt_;
  bool reordering_seen_ = false;
  int reo_wnd_mult_ = 1;
  int reo_wnd_persist_ = 0;
  std::optional<SeqNum> dsack_round_;
  std::optional<SimTime> reorder_deadline_;

  std::optional<SimTime> pto_deadline_;
  std::optional<SeqNum> tlp_end_seq_;
  bool tlp_is_retrans_ = false;
  bool rtt_sampled_since_probe_ = false;
};

}  // namespace wirestep
