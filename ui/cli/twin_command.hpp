// `wirestep twin SCENARIO [--pcap-sim F] [--pcap-real F] [--ignore-window] [--ignore-psh] [--ignore-repair]
// [--timeout S] [--real-runs N] [--compare-only]` (issue 16): runs a scenario's programs in the simulator
// (linux profile) and with real Linux sockets in network namespaces with the same scripted drops
// (capture/twin_lab.hpp), lists both runs' segments side by side and prints the first difference. Exit 0 when
// they agree segment for segment and every program ended the same way (with --real-runs N: the simulated run
// and one of the real runs), 1 when not, 2 on bad input or when the real side cannot run (root, namespaces).
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "capture/twin_compare.hpp"
#include "sim/analysis/lang.hpp"

namespace CLI {
class App;
}

namespace wirestep {

struct TwinCommandOptions {
  std::string scenario;
  std::string sim_pcap = "twin-sim.pcap";
  std::string real_pcap = "twin-real.pcap";
  bool ignore_window = false;  // leave the scaled window out of the verdict (still marked in the listing)
  bool ignore_psh = false;     // leave PSH out of the flags compared
  bool ignore_repair = false;  // leave the repair kind of retransmissions out
  double timeout_s = 60;
  bool compare_only = false;  // read the pcaps an earlier run wrote; run neither side
  int real_runs = 1;          // the real side this many times; compared with the closest, and with itself
  bool open_gui = false;  // then open both pcaps in the desktop UI (ui/main.cpp does, ui/cli links no GUI)
  Lang lang = Lang::En;
};

// What the comparison counts, from the --ignore-* flags (the report and a --gui document use the same).
TwinCompareOptions compare_options(const TwinCommandOptions& o);

// `listed_real_pcap`, when given, receives the real run's pcap the listing compared (with --real-runs, the
// one the simulated run agrees with longest).
int twin_command(const TwinCommandOptions& options, std::ostream& out, std::ostream& err,
                 std::string* listed_real_pcap = nullptr);

struct TwinCli {
  CLI::App* command = nullptr;
  TwinCommandOptions options;  // options.lang comes from the global --lang
};
std::unique_ptr<TwinCli> register_twin_command(CLI::App& app);

}  // namespace wirestep
