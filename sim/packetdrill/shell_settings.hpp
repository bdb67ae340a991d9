// What a script's backtick lines ask of the host (sysctls, ethtool, tc) and whether the simulated host
// already behaves so. packetdrill runs them in a shell on Linux; here nothing is executed.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/packetdrill/script_runner.hpp"

#include "sim/tcp/tcp_config.hpp"

namespace wirestep::packetdrill {

struct ShellVerdict {
  bool supported = true;
  Bilingual unsupported;          // what the simulator lacks, when !supported
  std::vector<Bilingual> notes;   // assumptions (the Linux defaults the rfc TCP does not have)
  bool runs_defaults_sh = false;  // the line runs ../common/defaults.sh
  // sysctls the simulated TCP has a setting for, to apply with apply_sysctl (name without net.ipv4.).
  std::vector<std::pair<std::string, std::string>> settings;
};

// Sets the TcpConfig field a sysctl stands for: tcp_timestamps, tcp_sack, tcp_dsack,
// tcp_slow_start_after_idle (0/1), tcp_syn_retries and tcp_min_tso_segs (counts), tcp_congestion_control
// (cubic, reno). False for another name or a bad value.
bool apply_sysctl(TcpConfig& tcp, const std::string& name, const std::string& value);

// The sysctls of packetdrill's ../common/defaults.sh that the linux profile has but sets differently:
// tcp_rmem's maximum of 15 MiB (so the SYN offers window scale 8, not the profile's 7),
// tcp_syn_retries = 5, tcp_slow_start_after_idle = 0 and, with Linux's send buffer, tcp_wmem's default of
// 256 KiB. The rest of defaults.sh is what the linux profile
// already does (timestamps, SACK, D-SACK, CUBIC, RACK-TLP).
void apply_defaults_sh(TcpConfig& tcp);

ShellVerdict classify_shell_command(const std::string& text);

}  // namespace wirestep::packetdrill
