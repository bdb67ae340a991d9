// File > Save pcap: what the open document's packets become on disk. A simulated run goes through the
// exporter (capture/pcap_export.hpp), which rebuilds every packet; a capture keeps its real frames, copied
// from the original file (capture/frame_copy.hpp). Every write goes to "NAME.part" and is renamed at the end.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "capture/frame_copy.hpp"
#include "sim/core/result.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep::gui {

// "1,234,567".
std::string format_count(std::uint64_t n);

// The files one save writes for a document whose traces carry `labels`: one trace (or a capture) goes to
// `chosen`; a simulated TCP-vs-UDP comparison writes each run beside it, NAME-tcp.pcap and NAME-udp.pcap.
std::vector<std::string> save_paths(const std::string& chosen, const std::vector<std::string>& labels);

// Writes a simulated run through the exporter. Returns the number of packets written.
Result<std::size_t> write_trace_pcap(const Trace& trace, const std::string& out);

}  // namespace wirestep::gui
