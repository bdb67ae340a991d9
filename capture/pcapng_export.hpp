// Writes a Trace as pcapng with a comment on every packet stating its fate and cause ("dropped by link:
// rule 2", "fast retransmission of seq 5001"), so Wireshark shows the simulator's ground truth beside its
// own analysis. libpcap cannot write pcapng, so the blocks are written here (pcapng spec, IETF draft
// draft-ietf-opsawg-pcapng: SHB §4.1, IDB §4.2, EPB §4.3, options §3.5).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "capture/pcap_export.hpp"
#include "sim/core/result.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

// The ground-truth comment for one packet, as written into the pcapng file.
std::string packet_comment(const Trace& trace, std::size_t index);

Result<std::size_t> write_pcapng(const Trace& trace, const std::string& path,
                                 const PcapExportOptions& options = {});
// The same with a caller's comment written first on packet i when comments[i] is not empty (a packetdrill
// run names each packet's script line); the ground-truth comment follows as a second comment.
Result<std::size_t> write_pcapng(const Trace& trace, const std::string& path,
                                 const PcapExportOptions& options, std::span<const std::string> comments);

}  // namespace wirestep
