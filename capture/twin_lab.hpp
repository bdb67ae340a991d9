// The real side of `wirestep twin`: a scenario's programs run with real Linux sockets, one network namespace
// per host; the two hosts' veths end in a middle namespace where a user-space relay (twin_relay.hpp) passes
// each frame on as the scenario's link would: after its latency and bandwidth, unless a scripted drop takes
// it. A segment is so lost in the network, after it left its sender, as on the simulated link (a drop in the
// sender's own namespace would be a local error, retransmitted at once). The capture runs on the middle
// namespace's ports, inbound (each frame once, where it enters the relay, so dropped frames are in it too).
// TCP sysctls are set per host namespace to what the linux profile models.
//
// Addresses are the scenario's own, and exist only inside namespaces this run creates and removes (on
// success, on error and on Ctrl-C).
#pragma once

#include <atomic>
#include <iosfwd>
#include <string>
#include <vector>

#include "capture/twin_program.hpp"
#include "capture/twin_relay.hpp"
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
  TwinRelayStats relay;  // frames passed on and dropped, and how late the relay was at worst
};

// Whether twin can run this scenario for real: two hosts on one link without jitter or queue limit, TCP
// programs only, the linux profile, drops only as scripted `drop` rules without a time window. The error says
// what stands in the way, in English and Chinese.
Status twin_scenario_supported(const Scenario& scenario);

// The sysctls of each host namespace: the linux profile's values (sim/tcp/tcp_config.hpp).
std::vector<std::string> twin_tcp_sysctls();

Result<TwinRealRun> run_twin_real(const Scenario& scenario, const TwinRealOptions& options,
                                  std::ostream& progress);

}  // namespace wirestep
