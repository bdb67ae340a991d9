// The label an ARP or ICMP packet's arrow carries, worded like tshark's Info column so a learner can hold the
// ladder beside Wireshark: "ARP who-has 10.0.0.2 tell 10.0.0.1", "ARP 10.0.0.2 is-at 02:00:00:00:00:01",
// "Echo (ping) request id=0x0001, seq=1", "Destination unreachable (Port unreachable)", "Time-to-live
// exceeded (Time to live exceeded in transit)"; in Chinese with the same numbers. Written into a caller's
// buffer (the timeline formats labels every frame without allocating). RFC 826 (ARP), RFC 792 (ICMP),
// RFC 4443 and RFC 4861 (ICMPv6).
#pragma once

#include <cstddef>
#include <vector>

#include "sim/analysis/lang.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

// Writes the label of `p` when it is an ARP or ICMP packet (its `arp` or `icmp` is set) and returns its
// length (the buffer is always terminated); returns 0 and writes nothing for any other packet.
std::size_t format_arp_icmp_label(char* buf, std::size_t size, const PacketRecord& p, Lang lang);

// Every fixed Chinese phrase the labels use, so the UI's font can load their glyphs.
std::vector<const char*> arp_icmp_label_texts(Lang lang);

}  // namespace wirestep
