#include "sim/packetdrill/script_trace.hpp"

#include <algorithm>

namespace wirestep::packetdrill {

std::string script_line_text(const Script& script, std::uint32_t line) {
  if (line == 0 || line > script.lines.size()) return "";
  const std::string& s = script.lines[line - 1];
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string packet_script_comment(const Script& script, const RunResult& run, std::size_t packet) {
  const bool failed =
      std::find(run.failed_packets.begin(), run.failed_packets.end(), packet) != run.failed_packets.end();
  const std::uint32_t line = packet < run.packet_lines.size() ? run.packet_lines[packet] : 0;
  if (line == 0 && !failed) return "";
  const std::size_t slash = script.file.find_last_of('/');
  const std::string name = slash == std::string::npos ? script.file : script.file.substr(slash + 1);
  std::string out = name + ":" + std::to_string(line ? line : run.line) + ": " +
                    script_line_text(script, line ? line : run.line);
  if (failed) out += " [FAILED: " + run.reason.en + "]";
  return out;
}

std::vector<std::string> packet_script_comments(const Script& script, const RunResult& run) {
  std::vector<std::string> out(run.trace.packet_count());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = packet_script_comment(script, run, i);
  return out;
}

}  // namespace wirestep::packetdrill
