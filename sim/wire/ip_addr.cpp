#include "sim/wire/ip_addr.hpp"

#include <cstdio>

namespace wirestep::wire {

std::string Ipv4Addr::to_string() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", (value >> 24) & 0xFF, (value >> 16) & 0xFF,
                (value >> 8) & 0xFF, value & 0xFF);
  return buf;
}

std::optional<Ipv4Addr> Ipv4Addr::parse(std::string_view text) {
  std::uint32_t result = 0;
  int parts = 0;
  std::size_t i = 0;
  while (parts < 4) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return std::nullopt;
    std::uint32_t octet = 0;
    int digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      octet = octet * 10 + static_cast<std::uint32_t>(text[i] - '0');
      if (++digits > 3 || octet > 255) return std::nullopt;
      ++i;
    }
    result = (result << 8) | octet;
    ++parts;
    if (parts < 4) {
      if (i >= text.size() || text[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != text.size()) return std::nullopt;
  return Ipv4Addr{result};
}

IpAddr IpAddr::from_v4(Ipv4Addr a) {
  IpAddr r;
  r.bytes[0] = static_cast<std::uint8_t>(a.value >> 24);
  r.bytes[1] = static_cast<std::uint8_t>(a.value >> 16);
  r.bytes[2] = static_cast<std::uint8_t>(a.value >> 8);
  r.bytes[3] = static_cast<std::uint8_t>(a.value);
  return r;
}

Ipv4Addr IpAddr::v4() const {
  return Ipv4Addr{(std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
                  (std::uint32_t{bytes[2]} << 8) | bytes[3]};
}

std::string IpAddr::to_string() const {
  if (!v6) return v4().to_string();
  std::uint16_t words[8];
  for (int i = 0; i < 8; ++i) words[i] = static_cast<std::uint16_t>((bytes[2 * i] << 8) | bytes[2 * i + 1]);
  // RFC 5952 §4.2: compress the longest run (length >= 2) of zero words, the first one on ties.
  int best_start = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (words[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && words[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  char buf[8];
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", words[i]);
    out += buf;
  }
  return out;
}

std::string endpoint_to_string(const IpAddr& addr, std::uint16_t port) {
  return addr.v6 ? "[" + addr.to_string() + "]:" + std::to_string(port)
                 : addr.to_string() + ":" + std::to_string(port);
}

AddressParts split_address(Ipv4Addr addr, int prefix_len) {
  if (prefix_len < 0) prefix_len = 0;
  if (prefix_len > 32) prefix_len = 32;
  const std::uint32_t mask = prefix_len == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix_len);
  return {Ipv4Addr{addr.value & mask}, Ipv4Addr{addr.value & ~mask}};
}

Ipv4Addr prefix_mask(int prefix_len) {
  return split_address(Ipv4Addr{0xFFFFFFFFu}, prefix_len).network;
}

std::optional<Ipv4Addr> broadcast_address(Ipv4Addr addr, int prefix_len) {
  if (prefix_len >= 31) return std::nullopt;
  return Ipv4Addr{addr.value | ~prefix_mask(prefix_len).value};
}

bool share_subnet(Ipv4Addr a, int a_prefix_len, Ipv4Addr b, int b_prefix_len) {
  return split_address(a, a_prefix_len).network == split_address(b, a_prefix_len).network &&
         split_address(a, b_prefix_len).network == split_address(b, b_prefix_len).network;
}

}  // namespace wirestep::wire
