// IP addresses as plain values (no sockets API), shared by the simulator and capture.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wirestep::wire {

struct Ipv4Addr {
  std::uint32_t value = 0;  // host byte order: 10.0.0.1 == 0x0A000001
  constexpr auto operator<=>(const Ipv4Addr&) const = default;
  std::string to_string() const;
  static std::optional<Ipv4Addr> parse(std::string_view text);
};

// Either family, for flows found in captures. IPv4 is stored in the first four bytes.
struct IpAddr {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
  constexpr auto operator<=>(const IpAddr&) const = default;

  static IpAddr from_v4(Ipv4Addr a);
  Ipv4Addr v4() const;
  std::string to_string() const;  // IPv6 in RFC 5952 form (zero run compressed)
};

// "ip:port", with brackets for IPv6.
std::string endpoint_to_string(const IpAddr& addr, std::uint16_t port);

// Network and host part of an address for a prefix length (the seed's 网络号和主机号 lesson).
struct AddressParts {
  Ipv4Addr network;
  Ipv4Addr host;  // the address with the network bits cleared
};
AddressParts split_address(Ipv4Addr addr, int prefix_len);

// The prefix as a dotted mask (/24 -> 255.255.255.0), as `ipconfig` shows it; prefix_len is clamped to 0..32.
Ipv4Addr prefix_mask(int prefix_len);

// The directed broadcast address: network part with every host bit set (RFC 919 §7, RFC 922 §7). None for a
// /31, whose two addresses are both hosts (RFC 3021 §2.2), nor for a /32, a single host.
std::optional<Ipv4Addr> broadcast_address(Ipv4Addr addr, int prefix_len);

// Whether two hosts can reach each other without a router: each address lies in the other's prefix.
bool share_subnet(Ipv4Addr a, int a_prefix_len, Ipv4Addr b, int b_prefix_len);

}  // namespace wirestep::wire
