#include "sim/tcp/recovery/sack_scoreboard.hpp"

#include <algorithm>
#include <cstdint>

namespace wirestep {

SackScoreboard::SackScoreboard(SeqNum snd_una, std::uint32_t smss)
    : smss_(std::max(1u, smss)),
      high_ack_(snd_una),
      high_data_(snd_una),
      high_rxt_(snd_una),
      recovery_point_(snd_una) {}

void SackScoreboard::on_sent(SeqNum snd_nxt) {
  if (snd_nxt > high_data_) high_data_ = snd_nxt;
}

std::uint32_t SackScoreboard::sacked_bytes() const {
  std::uint32_t n = 0;
  for (const SackBlock& r : ranges_) n += r.length();
  return n;
}

std::optional<std::uint32_t> SackScoreboard::add_range(SeqNum start, SeqNum end) {
  // The runs [first, last) touch or overlap the new one and merge with it.
  auto first = ranges_.begin();
  while (first != ranges_.end() && first->end < start) ++first;
  auto last = first;
  std::uint32_t already = 0;
  SeqNum merged_start = start;
  SeqNum merged_end = end;
  while (last != ranges_.end() && last->start <= end) {
    const SeqNum lo = seq_max(last->start, start);
    const SeqNum hi = seq_min(last->end, end);
    if (lo < hi) already += static_cast<std::uint32_t>(hi - lo);
    merged_start = seq_min(merged_start, last->start);
    merged_end = seq_max(merged_end, last->end);
    ++last;
  }
  const std::size_t merged = static_cast<std::size_t>(last - first);
  if (merged == 0 && ranges_.size() >= kMaxRanges) return std::nullopt;
  const auto at = ranges_.erase(first, last);
  ranges_.insert(at, SackBlock{merged_start, merged_end});
  return static_cast<std::uint32_t>(end - start) - already;
}

SackUpdate SackScoreboard::update(SeqNum cum_ack, std::span<const SackBlock> blocks) {
  SackUpdate u;
  const std::uint32_t sacked_before = sacked_bytes();

  // The cumulative ACK. One beyond HighData acknowledges data never sent: the connection's acceptability
  // check (RFC 9293 §3.10.7.4) answers that; here it moves nothing.
  const bool advanced = cum_ack > high_ack_ && cum_ack <= high_data_;
  if (advanced) {
    u.newly_acked = static_cast<std::uint32_t>(cum_ack - high_ack_);
    high_ack_ = cum_ack;
    auto keep = ranges_.begin();
    while (keep != ranges_.end() && keep->end <= high_ack_) ++keep;
    ranges_.erase(ranges_.begin(), keep);
    if (!ranges_.empty() && ranges_.front().start < high_ack_) ranges_.front().start = high_ack_;
    if (high_rxt_ < high_ack_) high_rxt_ = high_ack_;
  }

  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (i >= kMaxSackBlocksPerAck) {
      u.ignored_blocks += static_cast<std::uint32_t>(blocks.size() - i);
      break;
    }
    const SackBlock& b = blocks[i];
    if (!(b.start < b.end)) {  // empty, reversed, or 2^31 or more long
      ++u.ignored_blocks;
      continue;
    }
    // RFC 2883 §4: the first block reports a duplicate when it lies below the cumulative ACK or inside the
    // second block. It says what arrived twice, not what is newly held, so it never counts as SACKed.
    if (i == 0 && first_block_is_dsack(blocks, cum_ack)) {
      u.dsack = b;
      continue;
    }
    if (b.end > high_data_) {  // SACKs data never sent: hostile or broken, dropped whole
      ++u.ignored_blocks;
      continue;
    }
    if (b.end <= high_ack_) continue;  // already acknowledged: old news
    const std::optional<std::uint32_t> added = add_range(seq_max(b.start, high_ack_), b.end);
    if (!added) {
      ++u.ignored_blocks;
      continue;
    }
    u.newly_sacked += *added;
  }

  const std::int64_t delivered =
      std::int64_t{u.newly_acked} + std::int64_t{sacked_bytes()} - std::int64_t{sacked_before};
  u.delivered = static_cast<std::uint32_t>(std::max<std::int64_t>(0, delivered));

  // RFC 6675 §5 (a): a cumulative ACK resets DupAcks; an ACK SACKing new data without one is a DupAck.
  if (advanced) {
    dup_acks_ = 0;
  } else if (u.newly_sacked > 0) {
    u.dup_ack = true;
    ++dup_acks_;
  }
  // RFC 6675 §5: recovery ends with the ACK that covers RecoveryPoint.
  if (in_recovery_ && high_ack_ >= recovery_point_) {
    in_recovery_ = false;
    u.recovery_ended = true;
  }
  return u;
}

SeqNum SackScoreboard::lost_below() const {
  // RFC 6675 §4 IsLost: DupThresh discontiguous SACKed runs above, or more than (DupThresh − 1)·SMSS
  // SACKed bytes above. Walk the runs from the top until either holds.
  std::uint64_t bytes = 0;
  std::uint32_t runs = 0;
  for (std::size_t i = ranges_.size(); i-- > 0;) {
    bytes += ranges_[i].length();
    ++runs;
    if (runs >= kDupThresh || bytes > std::uint64_t{kDupThresh - 1} * smss_) return ranges_[i].start;
  }
  return high_ack_;
}

bool SackScoreboard::is_lost(SeqNum seq) const {
  if (seq < high_ack_ || seq >= high_data_) return false;
  for (const SackBlock& r : ranges_)
    if (r.contains(seq)) return false;
  return seq < lost_below();
}

std::uint32_t SackScoreboard::pipe() const {
  // RFC 6675 §4 SetPipe, by bytes: each unSACKed byte counts once unless it is lost, and once more if it
  // was retransmitted. Holes lie wholly below or above lost_below(), which is a run's start.
  const SeqNum lost_end = lost_below();
  std::uint64_t pipe = 0;
  auto add_hole = [&](SeqNum a, SeqNum b) {
    if (!(a < b)) return;
    if (b > lost_end) pipe += static_cast<std::uint32_t>(b - a);                       // (a) not lost
    if (a < high_rxt_) pipe += static_cast<std::uint32_t>(seq_min(b, high_rxt_) - a);  // (b) retransmitted
  };
  SeqNum pos = high_ack_;
  for (const SackBlock& r : ranges_) {
    add_hole(pos, r.start);
    pos = r.end;
  }
  add_hole(pos, high_data_);
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(pipe, UINT32_MAX));
}

std::optional<SackBlock> SackScoreboard::hole_at_or_after(SeqNum from, SeqNum limit) const {
  SeqNum pos = seq_max(from, high_ack_);
  for (const SackBlock& r : ranges_) {
    if (pos >= limit) return std::nullopt;
    if (r.end <= pos) continue;
    if (r.start <= pos) {
      pos = r.end;  // inside a SACKed run: skip it
      continue;
    }
    return SackBlock{pos, seq_min(r.start, limit)};
  }
  if (pos >= limit || pos >= high_data_) return std::nullopt;
  return SackBlock{pos, seq_min(high_data_, limit)};
}

NextSegment SackScoreboard::next_seg(std::uint32_t new_data_allowed) const {
  std::optional<SackBlock> hole;
  if (!ranges_.empty()) {
    // Rules (1.a) not yet retransmitted (at or above HighRxt) and (1.b) below the highest SACKed byte.
    hole = hole_at_or_after(high_rxt_, ranges_.back().start);
  }
  // Rule 1: the first such byte that IsLost: retransmit from it.
  if (hole && hole->start < lost_below())
    return {NextSegRule::LostHole, hole->start, std::min(smss_, hole->length())};
  // Rule 2: new data, if the send buffer and the receive window allow.
  if (new_data_allowed > 0) return {NextSegRule::NewData, high_data_, std::min(smss_, new_data_allowed)};
  // Rule 3: the first unSACKed byte meeting (1.a) and (1.b), lost or not.
  if (hole) return {NextSegRule::UnsackedHole, hole->start, std::min(smss_, hole->length())};
  // Rule 4: one rescue retransmission per recovery, of a segment holding the highest unSACKed byte,
  // while HighACK is above RescueRxt (or RescueRxt is undefined).
  if (in_recovery_ && high_ack_ < high_data_ && (!rescue_rxt_ || high_ack_ > *rescue_rxt_)) {
    SackBlock top{high_ack_, high_data_};
    if (!ranges_.empty()) {
      if (ranges_.back().end < high_data_) {
        top = {ranges_.back().end, high_data_};
      } else {
        top = {ranges_.size() > 1 ? ranges_[ranges_.size() - 2].end : high_ack_, ranges_.back().start};
      }
    }
    if (top.start < top.end) {
      const std::uint32_t len = std::min(smss_, top.length());
      return {NextSegRule::Rescue, top.end - len, len};
    }
  }
  return {};  // rule 5: nothing to send
}

void SackScoreboard::on_retransmitted(SeqNum start, std::uint32_t length) {
  const SeqNum end = start + length;
  if (end > high_rxt_) high_rxt_ = seq_min(end, high_data_);
}

void SackScoreboard::on_rescue_sent() {
  rescue_rxt_ = recovery_point_;  // RFC 6675 §4 rule 4; HighRxt is not updated
}

bool SackScoreboard::should_enter_recovery() const {
  return !in_recovery_ && (dup_acks_ >= kDupThresh || is_lost(high_ack_));
}

void SackScoreboard::enter_recovery() {
  // RFC 6675 §5 step (4): RecoveryPoint = HighData; nothing retransmitted yet in this recovery.
  in_recovery_ = true;
  recovery_point_ = high_data_;
  high_rxt_ = high_ack_;
  rescue_rxt_.reset();
}

}  // namespace wirestep
