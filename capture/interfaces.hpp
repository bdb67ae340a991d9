// The machine's network interfaces and their addresses, split into network and host part (the seed's
// "ip a / ifconfig" and "网络号和主机号" lessons). Addresses come from getifaddrs(3); which interfaces
// libpcap can capture on comes from pcap_findalldevs.
#pragma once

#include <string>
#include <vector>

#include "sim/core/result.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep {

struct InterfaceAddress {
  wire::IpAddr address;
  int prefix_len = 0;
  wire::IpAddr network;  // address with the host bits cleared
  wire::IpAddr host;     // address with the network bits cleared
};

struct NetworkInterface {
  std::string name;
  bool up = false;
  bool running = false;
  bool loopback = false;
  bool capturable = false;  // libpcap lists it
  std::string description;
  std::vector<InterfaceAddress> addresses;
};

// Splits any address by prefix length (IPv4 or IPv6).
InterfaceAddress split_interface_address(const wire::IpAddr& address, int prefix_len);
Result<std::vector<NetworkInterface>> list_interfaces();

}  // namespace wirestep
