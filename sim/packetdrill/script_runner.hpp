// Runs one packetdrill script against one simulated host (192.168.0.1, packetdrill's default local address)
// whose TCP is today's simulator, with a scripted remote peer (192.0.2.1) on a link without delay: `<`
// packets are built and injected at their times, the host's packets are matched against `>` lines, system
// calls run at their times with their results and return times checked. The first line that breaks ends
// the run: a failure (expected vs what the simulator did), or something the simulator cannot do
// ("unsupported: ...", never silently passed).
//
// Matching follows packetdrill: the host's sequence numbers are written relative to its ISN, the peer's
// literally; times may be off by --tolerance_usecs (4000 by default); a `>` line longer than one segment is a
// TSO/GSO burst and matches the back-to-back segments the host sent at one instant that fill it exactly.
// Options are compared by meaning (mss, wscale, sackOK, TS, SACK blocks), not by layout: nop and eol padding
// are not checked, since the Trace keeps the decoded options only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/packetdrill/script_ast.hpp"
#include "sim/tcp/tcp_config.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep::packetdrill {

// Text a person reads, in both of the UI's languages (the CLI picks one).
struct Bilingual {
  std::string en;
  std::string zh;
};

enum class Outcome : std::uint8_t { Pass, Fail, Unsupported };

struct RunResult {
  Outcome outcome = Outcome::Pass;
  std::uint32_t line = 0;  // the script line that failed or is unsupported (0 when it passed)
  std::uint32_t column = 0;
  Bilingual reason;      // "error handling packet: flags: expected P. vs actual ." / "unsupported: ..."
  std::string expected;  // the script's line as it was expected, in script notation
  std::string actual;    // what the simulator did, in the same notation ("" when nothing)
  std::vector<Bilingual> notes;  // assumptions made on the way (the Linux defaults the rfc TCP lacks)
  std::size_t events_run = 0;    // events completed before the result was decided
  // What print() in the %{ }% blocks wrote, one line per call, in script order (packetdrill's Python
  // writes it to stdout), also from blocks that ran before a failure.
  std::string printed;
  Trace trace;  // the run, for exports and the timeline
  // Which script line each packet of the trace came from (index = packet; 0 for none): the `<` line that
  // injected it or the `>` line it matched (every segment of a TSO burst), so exports and the UI can say so.
  std::vector<std::uint32_t> packet_lines;
  std::vector<std::uint32_t> failed_packets;  // the packets the failure is about (none when nothing was sent)
  struct LineTime {
    std::uint32_t line = 0;
    SimTime time;
  };
  std::vector<LineTime> line_times;  // every timed event run (and the failing one), with when it happened
};

struct RunOptions {
  std::uint64_t seed = 1;  // the host's ISNs and ephemeral ports
  TcpConfig tcp;           // the simulated host's TCP
  // A diagnosis aid, not packetdrill's rule: compare packets without their TCP options, to see what breaks
  // after the handshake when the options alone differ (the rfc TCP offers no SACK or timestamps).
  bool ignore_options = false;
};

RunResult run_script(const Script& script, const RunOptions& options = {});

}  // namespace wirestep::packetdrill
