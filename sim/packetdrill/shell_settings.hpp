// What a script's backtick lines ask of the host (sysctls, ethtool, tc) and whether the simulated host
// already behaves so. packetdrill runs them in a shell on Linux; here nothing is executed.
#pragma once

#include <string>
#include <vector>

#include "sim/packetdrill/script_runner.hpp"

namespace wirestep::packetdrill {

struct ShellVerdict {
  bool supported = true;
  Bilingual unsupported;         // what the simulator lacks, when !supported
  std::vector<Bilingual> notes;  // assumptions (the Linux defaults the rfc TCP does not have)
};

ShellVerdict classify_shell_command(const std::string& text);

}  // namespace wirestep::packetdrill
