// One SACK block as the option carries it (RFC 2018 §3): the left edge is the first byte of a received
// run, the right edge the byte just after its last. Shared by the scoreboard and RACK.
#pragma once

#include <cstdint>
#include <span>

#include "sim/tcp/seq_num.hpp"

namespace wirestep {

struct SackBlock {
  SeqNum start;  // left edge
  SeqNum end;    // right edge (exclusive)

  constexpr std::uint32_t length() const { return end > start ? static_cast<std::uint32_t>(end - start) : 0; }
  constexpr bool contains(SeqNum s) const { return s >= start && s < end; }
  constexpr bool operator==(const SackBlock&) const = default;
};

// RFC 2018 §3: a SACK option holds at most 4 blocks (40 option bytes); more in one ACK is hostile input.
inline constexpr std::size_t kMaxSackBlocksPerAck = 4;

// RFC 2883 §4: the first block reports a duplicate (D-SACK) when it lies below the ACK's cumulative
// number or inside the second block.
inline bool first_block_is_dsack(std::span<const SackBlock> blocks, SeqNum cum_ack) {
  if (blocks.empty() || !(blocks[0].start < blocks[0].end)) return false;
  const SackBlock& b = blocks[0];
  if (b.end <= cum_ack) return true;
  return blocks.size() > 1 && blocks[1].start < blocks[1].end && blocks[1].start <= b.start &&
         b.end <= blocks[1].end;
}

}  // namespace wirestep
