// Small routed networks for the routing, ARP and ICMP tests (issue #18): scenario text around a few
// programs, run at a seed, and helpers to find the rows of one protocol.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace wirestep::testing {

// A (10.0.0.1/24, gateway .254) -- R (10.0.0.254/24, 10.1.0.254/24) -- B (10.1.0.2/24): 5 ms per link.
inline std::string router_network(const std::string& extra) {
  return R"(
[[host]]
name = "A"
address = "10.0.0.1/24"
gateway = "10.0.0.254"

[[host]]
name = "B"
address = "10.1.0.2/24"
gateway = "10.1.0.254"

[[router]]
name = "R"
[[router.interface]]
name = "eth0"
address = "10.0.0.254/24"
[[router.interface]]
name = "eth1"
address = "10.1.0.254/24"

[[link]]
between = ["A", "R:eth0"]
latency = "5ms"

[[link]]
between = ["R:eth1", "B"]
latency = "5ms"
)" + extra;
}

inline RunResult run_text(const std::string& text, std::uint64_t seed = 1) {
  auto sc =
      parse_scenario("[scenario]\nname = \"t\"\nexplanation = \"t\"\nseed = 1\n" + text, "net-test.toml");
  EXPECT_TRUE(sc) << (sc ? "" : sc.error().message());
  if (!sc) return RunResult{};
  return run_scenario(*sc, seed);
}

inline std::vector<std::size_t> rows_of(const Trace& t, Transport proto) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < t.packet_count(); ++i)
    if (t.flows()[t.flow_of(i)].proto == proto) out.push_back(i);
  return out;
}

inline std::string output_of(const RunResult& r, const std::string& program) {
  std::string out;
  for (const auto& p : r.programs)
    if (p.name == program)
      for (const auto& l : p.output) out += l + "\n";
  return out;
}

}  // namespace wirestep::testing
