// The text ladder diagram `wirestep run` prints: one column per host, time running down, one arrow per
// packet, a cross where the link dropped a packet, and the socket calls beside the lanes.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sim/analysis/relative_seq.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

struct LadderOptions {
  enum class Events { Auto, All, Verbose, Notes, None };
  // Auto: socket calls, states and timers for short runs, only states and notes for long ones.
  // Verbose: also every change of cwnd, ssthresh, SRTT, RTO, snd.una, rcv.nxt, windows.
  Events events = Events::Auto;
  std::size_t max_lines = 400;  // 0 = unlimited
  int lane_width = 46;          // characters between two host columns
};

std::string render_ladder(const Trace& trace, const LadderOptions& options = {});

// "UDP 2525 -> 8080 len=13", "SYN,ACK seq=0 ack=1 win=65535": the label on a packet's arrow.
std::string packet_label(const Trace& trace, std::size_t index, const RelativeSeq* rel = nullptr);

}  // namespace wirestep
