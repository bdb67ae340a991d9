// TCP versus UDP on the same workload (seed note 10: reliability, order, speed, header size, congestion
// control). Builds the two programs pairs, and measures what each transport did for the application.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace wirestep {

struct TransportMetrics {
  std::uint64_t packets = 0;       // every packet put on the wire, both directions
  std::uint64_t wire_bytes = 0;    // IP bytes
  std::uint64_t header_bytes = 0;  // IP + transport headers
  std::uint32_t messages_sent = 0;
  std::uint32_t delivered = 0;  // distinct messages the receiving application got
  std::uint32_t lost = 0;
  std::uint32_t duplicated = 0;       // copies beyond the first
  std::uint32_t out_of_order = 0;     // arrived after a later-numbered message
  std::optional<SimTime> completion;  // when the last delivered message reached the application
  SimDuration latency_mean{};         // intended send time -> delivery to the application
  SimDuration latency_p99{};
  SimDuration latency_max{};
};

struct ComparisonResult {
  TransportMetrics tcp;
  TransportMetrics udp;
};

// The scenario with its [comparison] workload turned into programs for one transport.
Scenario comparison_scenario(const Scenario& sc, bool tcp);
ComparisonResult compare_runs(const ComparisonWorkload& w, const RunResult& tcp, const RunResult& udp);
// Metric by name for expectations: packets, wire_bytes, header_bytes, delivered, lost, duplicated,
// out_of_order, completion_ms, latency_mean_ms, latency_p99_ms. nullopt when unknown or not measured.
std::optional<std::int64_t> metric_value(const TransportMetrics& m, const std::string& name);
const std::vector<std::string>& metric_names();

}  // namespace wirestep
