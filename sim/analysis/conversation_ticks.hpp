// One row of the conversation overview (issue #19): a conversation's packets as ticks along a time strip,
// one cell per pixel column, each cell coloured by the most telling finding among its packets. Computed per
// frame for the rows on screen only, so its cost is what one row shows: a binary search per cell over the
// conversation's packet times (packets are in time order) and a walk over its findings in view, never a walk
// over the conversation's packets.
#pragma once

#include <cstdint>
#include <span>

#include "sim/analysis/capture_finding.hpp"

namespace wirestep {

// A packet of a conversation that carries a finding (CaptureFlows::findings_of).
struct PacketFinding {
  std::uint32_t packet = 0;  // Trace index
  Finding finding = Finding::None;
};

struct TickCell {
  std::uint32_t packets = 0;        // packets sent in this cell's time span
  Finding finding = Finding::None;  // the most telling finding among them
};

// Fills `out` (one cell per pixel column, covering [t0_ns, t1_ns) evenly) for a conversation:
// `times` are the whole Trace's packet times, `packets` the conversation's Trace indexes (ascending),
// `findings` its flagged packets (ascending).
void fill_ticks(std::span<const std::int64_t> times, std::span<const std::uint32_t> packets,
                std::span<const PacketFinding> findings, std::int64_t t0_ns, std::int64_t t1_ns,
                std::span<TickCell> out);

}  // namespace wirestep
