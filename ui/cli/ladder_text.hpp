// The text ladder diagram `wirestep run` prints: one column per host, time running down, one arrow per
// packet, a cross where the link dropped a packet, and the socket calls beside the lanes.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sim/analysis/lang.hpp"
#include "sim/analysis/relative_seq.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

struct LadderOptions {
  enum class Events { Auto, All, Verbose, Notes, None };
  // Auto: socket calls, states and timers for short runs, only states and notes for long ones.
  // Verbose: also every change of cwnd, ssthresh, SRTT, RTO, snd.una, rcv.nxt, windows.
  Events events = Events::Auto;
  std::size_t max_lines = 400;  // 0 = unlimited
  int lane_width = 46;          // characters between two host columns, at most
  // Columns every line must fit in (lanes narrow, labels and notes are shortened with "…"); 0 = no limit.
  int width = 0;
  // The encoding the scenario's programs declare for their payloads; empty: UTF-8 if valid, else GBK.
  std::string text_encoding;
  // The language of the notes, event texts and tags; arrow labels ("SYN seq=0") are the same in both.
  Lang lang = Lang::En;
};

std::string render_ladder(const Trace& trace, const LadderOptions& options = {});

// "UDP 2525 -> 8080 len=13", "SYN,ACK seq=0 ack=1 win=65535": the label on a packet's arrow. ARP and ICMP
// packets read like tshark's Info column in `lang` ("ARP who-has 10.0.0.2 tell 10.0.0.1",
// arp_icmp_label.hpp); TCP and UDP labels are the same in both languages.
std::string packet_label(const Trace& trace, std::size_t index, const RelativeSeq* rel = nullptr,
                         Lang lang = Lang::En);

// Why a segment was sent, when that is not plain new data: "[RTO retx]", "[fast retx]", "[partial-ACK
// retx]", "[dup ACK #2]", "[probe]", "[keep-alive]"; empty for first transmissions and plain ACKs.
// `dup_ack_number` is the count DupAckCounter gives.
std::string cause_tag(Cause cause, unsigned dup_ack_number, Lang lang = Lang::En);

// Numbers duplicate ACKs the way a reader counts them: the n-th since the last ACK in the same flow and
// direction that acknowledged new data (RFC 5681 §3.2 acts on the third). Feed packets in trace order.
class DupAckCounter {
 public:
  // The packet's number among duplicate ACKs (1, 2, 3...), 0 when it is not one.
  unsigned next(const Trace& trace, const PacketRecord& p);

 private:
  struct Seen {
    std::uint32_t ack = 0;
    unsigned dups = 0;
    bool any = false;
  };
  std::vector<Seen> seen_;  // index flow * 2 + direction
};

}  // namespace wirestep
