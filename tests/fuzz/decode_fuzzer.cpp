// libFuzzer target for the packet decoder: every link layer a capture can have, then IPv4/IPv6, TCP (with
// options) and UDP. The decoder must never read out of bounds, whatever the bytes: ASan and UBSan watch.
// Built with clang by scripts/test.sh and run for a bounded time in CI; a finding fails the run.
#include <cstddef>
#include <cstdint>

#include "capture/link_layer.hpp"
#include "sim/wire/ethernet.hpp"
#include "sim/wire/packet.hpp"

using namespace wirestep;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // The first byte picks the link layer, the rest is the frame.
  static constexpr LinkKind kLinks[] = {LinkKind::Ethernet, LinkKind::LinuxSll, LinkKind::LinuxSll2,
                                        LinkKind::RawIp,    LinkKind::RawIpv4,  LinkKind::RawIpv6,
                                        LinkKind::Null,     LinkKind::Loop};
  const LinkKind link = kLinks[data[0] % (sizeof kLinks / sizeof kLinks[0])];
  const wire::Bytes frame(data + 1, size - 1);
  auto at = locate_ip_packet(link, frame);
  if (at && *at) {
    auto decoded = wire::decode_ip_packet(frame, **at);
    if (decoded && decoded->payload_offset > frame.size() + 65535) __builtin_trap();  // offsets stay sane
  }
  // The IP decoder on its own, from offset 0, and Ethernet on its own.
  (void)wire::decode_ip_packet(frame, 0);
  (void)wire::decode_ethernet(frame);
  return 0;
}
