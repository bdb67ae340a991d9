// The ladder diagram as an SVG a teacher can put on a slide: hosts as vertical lines, time running down
// (idle stretches compressed and marked), one arrow per packet sloped by its real delay, lost packets ending
// in a red cross where the link dropped them, retransmissions and duplicate ACKs in their own colours, TCP
// states beside the hosts, a time axis and a legend.
#pragma once

#include <cstddef>
#include <string>

#include "sim/analysis/lang.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

struct SvgOptions {
  std::size_t max_packets = 150;  // a slide, not a book: later packets are summarized in a note
  int width = 1000;
  // The axis, legend, notes and ARP/ICMP labels; TCP/UDP labels and state names are the same in both.
  Lang lang = Lang::En;
};

std::string render_ladder_svg(const Trace& trace, const std::string& title, const SvgOptions& options = {});

}  // namespace wirestep
