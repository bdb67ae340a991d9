#include "ui/cli/follow_payload.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>
#include <vector>

#include "capture/frame_bytes.hpp"
#include "capture/tso_packet.hpp"
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
        // A TSO / BIG TCP super-packet, which the loader accepts and the shared decoder does not.
        auto tso = decode_ipv4_tso(bytes, **at, frame->wire_len);
        if (!tso) continue;
        d = std::move(*tso);
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
