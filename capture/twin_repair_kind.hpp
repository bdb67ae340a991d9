// How a lost TCP segment was repaired, as `wirestep twin` tells it from the wire (capture/twin_repair.hpp).
#pragma once

#include <cstdint>
#include <string>

#include "sim/analysis/lang.hpp"

namespace wirestep {

enum class RepairKind : std::uint8_t {
  None,  // not a retransmission
  Fast,  // without SACK: after duplicate ACKs or a partial ACK (RFC 5681 §3.2, RFC 6582 §3.2)
  Rack,  // with SACK: marked lost by RACK on an ACK (RFC 8985 §6.2) or by its reorder timer (§6.3)
  Tlp,   // the probe timer resent the last segment sent (RFC 8985 §7.3)
  Rto,   // the retransmission timer, and the segments resent after it until its recovery point (RFC 6298 §5)
};

// "fast retransmission" / "快速重传"; the short form ("fast", "RACK", "TLP", "RTO") for listings.
std::string repair_kind_name(RepairKind k, Lang lang);
std::string repair_kind_tag(RepairKind k, Lang lang);

}  // namespace wirestep
