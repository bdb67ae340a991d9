// Decoding a whole IP packet (IPv4 or IPv6 + TCP/UDP/ICMP) into one typed summary, and encoding one from it.
// Shared by the simulator's exports and by capture, so both produce the same Trace fields.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/result.hpp"
#include "sim/wire/arp.hpp"
#include "sim/wire/bytes.hpp"
#include "sim/wire/icmp.hpp"
#include "sim/wire/ip_addr.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep::wire {

// What a packet (or, for ARP, a frame) carries. Icmp covers ICMPv4 and ICMPv6; Arp frames carry no IP.
// New kinds go at the end: the value is part of the Trace's flow key.
enum class Transport : std::uint8_t { Tcp, Udp, Other, Icmp, Arp };

struct DecodedPacket {
  IpAddr src;
  IpAddr dst;
  std::uint8_t ip_protocol = 0;
  std::uint16_t ip_id = 0;  // IPv4 only
  std::uint8_t ttl = 0;     // TTL or hop limit
  bool dont_fragment = false;
  bool is_fragment = false;  // IPv4 MF/offset or IPv6 Fragment header: transport not decoded unless first
  std::optional<bool> ip_checksum_ok;  // IPv4 only
  Transport transport = Transport::Other;
  std::optional<UdpHeader> udp;
  std::optional<TcpHeader> tcp;
  std::optional<IcmpMessage> icmp;            // ICMP over IPv4 or ICMPv6 over IPv6 (body = payload below)
  std::optional<bool> transport_checksum_ok;  // unknown when the capture is cut short or UDP checksum is 0
  std::size_t ip_offset = 0;                  // where the IP header starts in the buffer given
  std::size_t payload_offset = 0;             // application payload start
  std::size_t payload_len = 0;                // application payload length as the headers claim it
  bool truncated = false;                     // fewer bytes captured than the headers claim
};

// Decodes an IP packet starting at `ip_offset` of `buffer`. Errors carry a byte offset relative to `buffer`.
Result<DecodedPacket> decode_ip_packet(Bytes buffer, std::size_t ip_offset = 0);

// Encodes IPv4 + UDP or TCP. `eth` adds an Ethernet II header in front when given.
struct EncodeIpv4 {
  Ipv4Header ip;
  std::optional<std::pair<std::uint32_t, std::uint32_t>>
      eth_hosts;  // (src host index, dst host index) for MACs
};
void encode_ipv4_udp(const EncodeIpv4& e, std::uint16_t src_port, std::uint16_t dst_port, Bytes payload,
                     std::vector<std::uint8_t>& out);
void encode_ipv4_tcp(const EncodeIpv4& e, const TcpHeader& tcp, Bytes payload,
                     std::vector<std::uint8_t>& out);
// IPv4 + ICMP (RFC 792): `rest` is the header's bytes 4-7 (id << 16 | seq for echo, the next-hop MTU for
// fragmentation needed), `body` the echo data or the quoted original packet (icmp_quote_of). An ARP frame is
// encode_arp (arp.hpp): it has no IP header.
void encode_ipv4_icmp(const EncodeIpv4& e, std::uint8_t type, std::uint8_t code, std::uint32_t rest,
                      Bytes body, std::vector<std::uint8_t>& out);

}  // namespace wirestep::wire
