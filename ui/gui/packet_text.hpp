// Short texts about one packet for the timeline and its tooltip, written into caller-owned buffers so a
// steady frame allocates nothing. Window-free.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sim/trace/trace.hpp"
#include "ui/cli/ladder_text.hpp"

namespace wirestep::gui {

// The arrow's label: "SYN seq=0", "SYN,ACK seq=0 ack=1", "ACK 1001", "seq=1 ack=1 len=18", "FIN seq=19
// ack=33", "UDP 2525→8080 len=10". `rel` null: absolute numbers. Returns the length written (always
// terminated).
// `LabelText::WithPayload` adds the payload after len= when it is text (UTF-8, else GBK), quoted and
// shortened: `UDP 2525→8080 len=34 "你好，UDP！这是用 GBK…"`. Only for text drawn in the UI font (inspector,
// tooltip): the arrow labels' small font has no Chinese glyphs, and decoding allocates.
// ARP and ICMP packets read like tshark's Info column, in `lang` ("ARP who-has 10.0.0.2 tell 10.0.0.1",
// "Echo (ping) request id=0x0001, seq=1"; ui/cli/arp_icmp_label.hpp).
enum class LabelText { Plain, WithPayload };
std::size_t format_packet_label(char* buf, std::size_t size, const Trace& trace, std::size_t index,
                                const RelativeSeq* rel, LabelText text = LabelText::Plain,
                                Lang lang = Lang::En);

// "12.345 ms" / "1.234 s" / "850 µs" with a precision that suits the span being looked at.
std::size_t format_time(char* buf, std::size_t size, std::int64_t ns, std::int64_t resolution_ns);

}  // namespace wirestep::gui
