// The network a topology view draws (issue #18), in a neutral form: nodes (hosts, routers, switches) with
// their interfaces, and links between two node interfaces. Filled by one function per source: a scenario
// (its hosts and links) or, when no scenario is at hand, a simulated Trace (its hosts, and a link wherever
// packets went between two of them). Routers and switches arrive with the simulator's multi-node work; this
// form already has room for them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/wire/ethernet.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep {

class Trace;
struct Scenario;

enum class NodeKind : std::uint8_t { Host, Router, Switch };

struct TopologyInterface {
  std::string name;                       // "eth0"
  std::optional<wire::Ipv4Addr> address;  // none: a switch port
  int prefix_len = 24;
  wire::MacAddr mac{};
};

struct TopologyNode {
  std::string name;
  NodeKind kind = NodeKind::Host;
  std::vector<TopologyInterface> interfaces;
};

// One end of a link: a node and one of its interfaces.
struct LinkEnd {
  std::uint32_t node = 0;
  std::uint32_t interface = 0;
};

// One direction's settings, as the link label shows them; latency_ns < 0: unknown (built from a Trace).
struct LinkDirectionInfo {
  std::int64_t latency_ns = -1;
  std::uint64_t bandwidth_bps = 0;  // 0: unlimited
  bool lossy = false;               // impairments configured (loss, duplication, ...)
};

struct TopologyLink {
  LinkEnd a, b;
  LinkDirectionInfo a_to_b, b_to_a;
};

struct TopologyInput {
  std::vector<TopologyNode> nodes;
  std::vector<TopologyLink> links;

  std::optional<std::uint32_t> node_named(const std::string& name) const;
  // The first link joining the two nodes (either way round).
  std::optional<std::uint32_t> link_between(std::uint32_t n1, std::uint32_t n2) const;
};

// A scenario's hosts (one interface "eth0" each, the MAC the pcap export writes) and links.
TopologyInput topology_from_scenario(const Scenario& scenario);
// A simulated Trace's hosts, linked wherever a flow joins two of them; link settings unknown. A capture
// has no hosts in its Trace: the result is empty.
TopologyInput topology_from_trace(const Trace& trace);

// "10 ms, 10 Mbit/s" for a link; both directions when they differ ("10 ms / 15 ms").
std::string link_label(const TopologyLink& link);

}  // namespace wirestep
