// Builds a scenario's nodes and links into a Network: hosts with their TCP settings, and for a routed
// scenario (issue #18) routers, interfaces, routing tables (connected routes, static routes, the default
// gateway) and links between interfaces.
#pragma once

#include "sim/net/network.hpp"
#include "sim/scenario/scenario.hpp"

namespace wirestep {

void build_topology(const Scenario& sc, Network& net);

// The MAC address an interface gets when the scenario names none: locally administered (RFC 7042 §2.1),
// 02:00:00:<interface>:<node>, so the first interface keeps the address direct scenarios always had.
wire::MacAddr default_mac(std::uint32_t node, std::uint32_t ifindex);

}  // namespace wirestep
