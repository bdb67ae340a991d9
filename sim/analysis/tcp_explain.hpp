// Explanations of TCP analysis flags in words: the rule that fired and the earlier frames it refers to
// ("retransmission: seq 5001-6000 was first sent in frame 17 ..."), for the UI and `wirestep analyze`.
// Generated on demand from the Trace and the flag record, never stored: a lossy capture has many flags.
// Sequence numbers are relative (first byte after the SYN = 1), as Wireshark shows them. Every sentence
// exists in English and Chinese; the command line writes English.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "sim/analysis/flow_analysis.hpp"
#include "sim/analysis/lang.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

// Frame number of a Trace packet; captures loaded with a filter are not numbered packet + 1.
using FrameOf = std::function<std::uint32_t(std::uint32_t packet)>;

std::string explain(const FlaggedPacket& flag, const Conversation& conversation, const Trace& trace,
                    const FrameOf& frame_of, Lang lang = Lang::En);

}  // namespace wirestep
