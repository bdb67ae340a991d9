// `wirestep packetdrill FILE.pkt... [--json F] [--pcap F] [--pcapng F] [--verbose] [--ignore-options]`: runs
// each packetdrill script against one simulated host (sim/packetdrill/script_runner.hpp) and prints what
// packetdrill prints: the failing line, the script's packet and the one the simulator sent. Exit 0 when every
// script passes, 1 when one fails, 2 when one cannot be parsed or uses something the simulator lacks
// ("unsupported: ..."). --pcap/--pcapng write each run's Trace (the pcapng with each packet's script line as
// its comment); with several scripts F is a directory, holding <folder>_<script>.pcap(ng) for each.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "sim/analysis/lang.hpp"
#include "sim/tcp/tcp_config.hpp"

namespace CLI {
class App;
}

namespace wirestep {

struct PacketdrillCommandOptions {
  std::vector<std::string> files;
  std::string json_path;    // every script's result as JSON
  std::string pcap_path;    // the run's packets (a directory with several scripts)
  std::string pcapng_path;  // ... as pcapng, each packet commented with its script line
  bool verbose = false;     // also the assumptions (Linux defaults the simulated TCP lacks) and event counts
  Lang lang = Lang::En;
  bool ignore_options = false;  // see packetdrill::RunOptions::ignore_options
  // The simulated host's TCP: Linux's scripts are written for Linux, so the linux profile by default.
  TcpProfile profile = TcpProfile::Linux;
};

int packetdrill_command(const PacketdrillCommandOptions& options, std::ostream& out, std::ostream& err);

struct PacketdrillCli {
  CLI::App* command = nullptr;
  PacketdrillCommandOptions options;  // options.lang comes from the global --lang
  std::string profile = "linux";
};
std::unique_ptr<PacketdrillCli> register_packetdrill_command(CLI::App& app);

}  // namespace wirestep
