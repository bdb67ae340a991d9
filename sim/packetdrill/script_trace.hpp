// A packetdrill run's Trace read back against its script: the script line behind each packet and event, in
// the words an export comment or the UI shows ("close.pkt:14: 0.100 > S. 0:0(0) ...").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/packetdrill/script_ast.hpp"
#include "sim/packetdrill/script_runner.hpp"

namespace wirestep::packetdrill {

// The script line without its leading blanks ("" when out of range).
std::string script_line_text(const Script& script, std::uint32_t line);
// "file.pkt:14: <line>", with " [FAILED: <reason>]" on the packets the failure is about; "" when the packet
// belongs to no line.
std::string packet_script_comment(const Script& script, const RunResult& run, std::size_t packet);
// One comment per packet of run.trace, for write_pcapng.
std::vector<std::string> packet_script_comments(const Script& script, const RunResult& run);

}  // namespace wirestep::packetdrill
