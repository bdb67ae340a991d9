// Ethernet II framing (with 802.1Q / 802.1ad VLAN tags skipped on decode).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sim/core/result.hpp"
#include "sim/wire/bytes.hpp"

namespace wirestep::wire {

inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherTypeIpv6 = 0x86DD;
inline constexpr std::uint16_t kEtherTypeVlan = 0x8100;
inline constexpr std::uint16_t kEtherTypeQinQ = 0x88A8;
inline constexpr std::size_t kEthernetHeaderLen = 14;

using MacAddr = std::array<std::uint8_t, 6>;

struct EthernetHeader {
  MacAddr dst{};
  MacAddr src{};
  std::uint16_t ether_type = kEtherTypeIpv4;    // after any VLAN tags
  std::uint8_t vlan_tags = 0;                   // how many 802.1Q/802.1ad tags were skipped
  std::size_t header_len = kEthernetHeaderLen;  // including tags
};

// Locally administered address derived from a small host number: 02:00:00:00:xx:xx.
MacAddr sim_mac(std::uint32_t host_index);

Result<EthernetHeader> decode_ethernet(Bytes frame);
void encode_ethernet(const EthernetHeader& h, std::vector<std::uint8_t>& out);

}  // namespace wirestep::wire
