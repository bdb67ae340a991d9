// Reads from a run's segments why each retransmitted data segment was sent, so that the simulated run and
// the real Linux run of a twin scenario are judged by the same rules (issue 16: "same repair kind"). The
// simulator records its own reasons, but real Linux's are only visible on the wire; reading both the same
// way compares like with like.
//
// For each data sender, in capture order (the times measured from where the capture sees the sender answer
// at once, which the handshake shows: the SYN,ACK after a SYN, the ACK after a SYN,ACK):
// - a retransmission less than 2 ms after an ACK from the peer was sent because of that ACK (Linux's
//   shortest probe timeout is 2 ms, TCP_TIMEOUT_MIN): on a connection with SACK it is "RACK", since Linux
//   marks every SACK-based loss with RACK (RFC 8985 §6.2, tcp_rack_mark_lost); without SACK, "fast"
//   (duplicate ACKs or a partial ACK, RFC 5681 §3.2, RFC 6582 §3.2);
// - later than that, a segment with SACKed data above it and within the 200 ms minimum RTO is RACK's
//   reorder timer (RFC 8985 §6.3); the last segment sent, resent once while no recovery runs, is a tail loss
//   probe (§7.3); anything else is a retransmission timeout;
// - after a timeout, the segments resent until the peer acknowledges everything sent before it are part
//   of that timeout's repair (RFC 6298 §5, RFC 5681 §3.1 slow start), and are "RTO".
// A segment the capture missed cannot be judged.
#pragma once

#include <vector>

#include "capture/twin_segments.hpp"

namespace wirestep {

// Sets `repair` on every segment: None except on retransmitted data segments.
void classify_repairs(std::vector<TwinSegment>& segments);

}  // namespace wirestep
