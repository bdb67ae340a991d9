// The real side of `wirestep twin`: a scenario's programs run with real Linux sockets, one network namespace
// per host, every host's veth joined to a bridge in a middle namespace. The scenario's scripted drops become
// nftables `bridge` rules there, so a segment is lost in the network, after it left its sender, as on the
// simulated link (a drop in the sender's own namespace would be a local error, retransmitted at once). The
// capture runs on the bridge's ports (each frame once, where it enters the bridge, so dropped frames are in
// it too). TCP sysctls are set per host namespace to what the linux profile models.
//
// Addresses are the scenario's own, and exist only inside namespaces this run creates and removes (on
// success, on error and on Ctrl-C).
#pragma once

#include <atomic>
#include <iosfwd>
#include <string>
#include <vector>

#include "capture/twin_program.hpp"
#include "sim/analysis/lang.hpp"
#include "sim/core/result.hpp"
#include "sim/scenario/scenario.hpp"

namespace wirestep {

struct TwinRealOptions {
  std::string pcap_path;  // required
  double timeout_s = 60;  // the whole real run, wall clock
  // The run ends once every program has finished or waits in a blocking call and the bridge has seen no
  // frame for this long: longer than one retransmission timeout (Linux's initial RTO is 1 s).
  double quiet_s = 2.0;
  Lang lang = Lang::En;
  const std::atomic<bool>* cancel = nullptr;  // set by another thread to stop early (Ctrl-C does too)
};

struct TwinRealRun {
  std::vector<RealProgramOutcome> programs;  // in the scenario's order
  std::uint64_t frames = 0;
  bool timed_out = false;
};

// Whether twin can run this scenario for real: TCP programs only, the linux profile, drops only as scripted
// `drop` rules without a time window. The error says what stands in the way, in English and Chinese.
Status twin_scenario_supported(const Scenario& scenario);

// The nftables script for the middle namespace: one chain per direction with drops, and per rule a chain
// whose `numgen inc` counts the packets of the rule's kind, as a scripted drop counts them in the simulator
// (sim/net/link.cpp, scripted_picks): the n-th matching packet is dropped, retransmissions count.
std::string twin_drop_ruleset(const Scenario& scenario);

// The sysctls of each host namespace: the linux profile's values (sim/tcp/tcp_config.hpp).
std::vector<std::string> twin_tcp_sysctls();

Result<TwinRealRun> run_twin_real(const Scenario& scenario, const TwinRealOptions& options,
                                  std::ostream& progress);

}  // namespace wirestep
