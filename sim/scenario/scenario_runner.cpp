#include "sim/scenario/scenario_runner.hpp"

#include <algorithm>
#include <memory>

#include "sim/scenario/topology_builder.hpp"

namespace wirestep {

RunResult run_scenario(const Scenario& sc, std::optional<std::uint64_t> seed_override) {
  RunResult result;
  result.seed = seed_override.value_or(sc.seed);
  Network net(result.seed);
  build_topology(sc, net);
  result.programs.resize(sc.programs.size());
  std::vector<std::unique_ptr<ProgramRunner>> runners;
  for (std::size_t i = 0; i < sc.programs.size(); ++i) {
    const auto& p = sc.programs[i];
    runners.push_back(std::make_unique<ProgramRunner>(net, *net.host_by_name(p.host), p, result.programs[i]));
  }
  // Programs start in file order at time 0; the event loop keeps that order for equal times.
  for (auto& r : runners) net.loop().at(SimTime::zero(), [&r](SimTime) { r->start(); });
  const SimTime until = sc.duration.value_or(SimTime::zero() + Scenario::kMaxDuration);
  net.run(until);
  for (auto& r : runners) r->on_run_end();
  // With an explicit duration the run lasts exactly that long; otherwise it ends with the last thing that
  // happened (a timer of a connection already gone may still have run later, doing nothing).
  SimTime last{};
  const Trace& t = net.trace();
  for (std::size_t i = 0; i < t.packet_count(); ++i) last = std::max(last, t.packet(i).arrive);
  if (t.event_count() > 0) last = std::max(last, t.event_time(t.event_count() - 1));
  result.end = sc.duration ? *sc.duration : std::min(last, net.now());
  result.trace = net.take_trace();
  return result;
}

}  // namespace wirestep
