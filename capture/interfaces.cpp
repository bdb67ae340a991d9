#include "capture/interfaces.hpp"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <optional>

namespace wirestep {
namespace {

std::optional<wire::IpAddr> to_ip(const sockaddr* sa) {
  if (!sa) return std::nullopt;
  wire::IpAddr a;
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    std::memcpy(a.bytes.data(), &in->sin_addr, 4);
    return a;
  }
  if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    a.v6 = true;
    std::memcpy(a.bytes.data(), &in6->sin6_addr, 16);
    return a;
  }
  return std::nullopt;
}

int prefix_from_mask(const wire::IpAddr& mask) {
  int bits = 0;
  for (std::size_t i = 0; i < (mask.v6 ? 16u : 4u); ++i) bits += __builtin_popcount(mask.bytes[i]);
  return bits;
}

}  // namespace

InterfaceAddress split_interface_address(const wire::IpAddr& address, int prefix_len) {
  InterfaceAddress r;
  r.address = address;
  const int total = address.v6 ? 128 : 32;
  r.prefix_len = std::clamp(prefix_len, 0, total);
  r.network = address;
  r.host = address;
  for (int byte = 0; byte < total / 8; ++byte) {
    const int bits_in_network = std::clamp(r.prefix_len - byte * 8, 0, 8);
    const auto mask = static_cast<std::uint8_t>(bits_in_network == 0 ? 0 : 0xFF << (8 - bits_in_network));
    r.network.bytes[byte] = address.bytes[byte] & mask;
    r.host.bytes[byte] = address.bytes[byte] & static_cast<std::uint8_t>(~mask);
  }
  return r;
}

Result<std::vector<NetworkInterface>> list_interfaces() {
  ifaddrs* raw = nullptr;
  if (getifaddrs(&raw) != 0)
    return Error{"", "", std::string("cannot list interfaces: ") + std::strerror(errno), "",
                 std::string("无法列出网络接口：") + std::strerror(errno)};
  std::unique_ptr<ifaddrs, decltype(&freeifaddrs)> list(raw, &freeifaddrs);
  std::map<std::string, NetworkInterface> by_name;  // ordered: stable output
  for (const ifaddrs* ifa = raw; ifa; ifa = ifa->ifa_next) {
    NetworkInterface& nif = by_name[ifa->ifa_name];
    nif.name = ifa->ifa_name;
    nif.up = ifa->ifa_flags & IFF_UP;
    nif.running = ifa->ifa_flags & IFF_RUNNING;
    nif.loopback = ifa->ifa_flags & IFF_LOOPBACK;
    const auto addr = to_ip(ifa->ifa_addr);
    const auto mask = to_ip(ifa->ifa_netmask);
    if (addr)
      nif.addresses.push_back(
          split_interface_address(*addr, mask ? prefix_from_mask(*mask) : (addr->v6 ? 128 : 32)));
  }
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_if_t* devs = nullptr;
  if (pcap_findalldevs(&devs, errbuf) == 0) {
    for (const pcap_if_t* d = devs; d; d = d->next) {
      auto it = by_name.find(d->name);
      if (it == by_name.end()) continue;  // pseudo-devices such as "any" or usbmon are not interfaces
      it->second.capturable = true;
      if (d->description) it->second.description = d->description;
    }
    pcap_freealldevs(devs);
  }
  std::vector<NetworkInterface> out;
  for (auto& [name, nif] : by_name) out.push_back(std::move(nif));
  return out;
}

}  // namespace wirestep
