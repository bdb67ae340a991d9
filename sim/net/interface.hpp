// A node's network interface (name, MAC, IPv4 address/prefix, MTU) and a routing table entry: what `ip a`
// and `ip route` show on Linux. A host has one or more; a router has several and forwards between them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/wire/ethernet.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep {

struct NetInterface {
  std::string name = "eth0";
  wire::MacAddr mac{};
  wire::Ipv4Addr addr;
  int prefix_len = 24;
  std::uint32_t mtu = 1500;  // RFC 894: Ethernet's IP payload
};

// One entry of a static routing table: packets to `dest`/`prefix_len` leave through interface `ifindex`,
// to the gateway `via` or, without one, straight to the destination (a connected route).
struct Route {
  wire::Ipv4Addr dest;
  int prefix_len = 0;
  std::optional<wire::Ipv4Addr> via;
  std::uint32_t ifindex = 0;
};

// Where a packet goes next: the interface and the neighbour whose MAC address it needs.
struct NextHop {
  std::uint32_t ifindex = 0;
  wire::Ipv4Addr neighbour;
};

}  // namespace wirestep
