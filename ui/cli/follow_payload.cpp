#include "ui/cli/follow_payload.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>
#include <vector>

#include "capture/frame_bytes.hpp"
#include "sim/wire/bytes.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/packet.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {
namespace {

constexpr std::array<LinkKind, 1> kEthernet{LinkKind::Ethernet};
constexpr std::array<LinkKind, 6> kOthers{LinkKind::RawIp, LinkKind::LinuxSll, LinkKind::LinuxSll2,
                                          LinkKind::Null,  LinkKind::Loop,     LinkKind::Ethernet};

// The decoded packet is the one the Trace recorded: same transport, same sequence number for TCP.
bool matches(const Trace& trace, std::uint32_t packet, const wire::DecodedPacket& d) {
  if (d.is_fragment) return false;
  if (d.tcp) return trace.seq(packet) == d.tcp->seq;
  return d.udp.has_value();
}

// A TCP super-packet captured before the NIC segmented it (TSO, Linux BIG TCP): IPv4 total length 0, the
// payload running to the end of the frame. The loader accepts these (capture_reader.cpp), the shared decoder
// rightly does not; the Trace's payload length says how much is payload.
std::optional<std::size_t> tso_payload_offset(const Trace& trace, std::uint32_t packet, wire::Bytes frame,
                                              std::size_t ip_offset) {
  if (ip_offset + wire::kIpv4MinHeaderLen > frame.size()) return std::nullopt;
  const wire::Bytes ip = frame.subspan(ip_offset);
  const std::size_t ihl = (ip[0] & 0x0F) * 4u;
  if ((ip[0] >> 4) != 4 || wire::load_be16(&ip[2]) != 0 || ip[9] != wire::kIpProtoTcp ||
      ihl < wire::kIpv4MinHeaderLen || ihl > ip.size())
    return std::nullopt;
  auto tcp = wire::decode_tcp(ip.subspan(ihl));
  if (!tcp || tcp->seq != trace.seq(packet) || ihl + tcp->header_len > ip.size()) return std::nullopt;
  return ip_offset + ihl + tcp->header_len;
}

}  // namespace

std::span<const LinkKind> capture_link_candidates(bool ethernet) {
  if (ethernet) return kEthernet;
  return kOthers;
}

PayloadSource captured_payload_source(const Trace& trace, std::string path, std::span<const LinkKind> links) {
  return [&trace, path = std::move(path), links](std::uint32_t packet,
                                                 std::vector<std::uint8_t>& out) -> Status {
    if (packet >= trace.packet_count()) return Error{path, "", "no such packet"};
    auto frame = read_frame_bytes(path, trace.payload_ref(packet));
    if (!frame) return frame.error();
    const wire::Bytes bytes(frame->bytes);
    for (LinkKind link : links) {
      auto at = locate_ip_packet(link, bytes);
      if (!at || !*at) continue;
      auto d = wire::decode_ip_packet(bytes, **at);
      if (!d) {
        if (auto start = tso_payload_offset(trace, packet, bytes, **at)) {
          const std::size_t n = std::min<std::size_t>(trace.payload_len(packet), bytes.size() - *start);
          out.insert(out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(*start),
                     bytes.begin() + static_cast<std::ptrdiff_t>(*start + n));
          return Ok{};
        }
        continue;
      }
      if (!matches(trace, packet, *d)) continue;
      // A frame cut short by the snaplen holds only part of the payload: give what is there.
      const std::size_t start = std::min(d->payload_offset, bytes.size());
      const std::size_t n = std::min(d->payload_len, bytes.size() - start);
      out.insert(out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(start),
                 bytes.begin() + static_cast<std::ptrdiff_t>(start + n));
      return Ok{};
    }
    return Error{path, "offset " + std::to_string(trace.payload_ref(packet)),
                 "the frame no longer holds the packet the capture loaded (file changed?)"};
  };
}

}  // namespace wirestep
