// Expectations: what must happen in a scenario, checked after the run (the way packetdrill scripts are
// Linux's acceptance tests). Each names what it checks in words a learner can read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/net/impairment.hpp"
#include "sim/tcp/tcp_state.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

struct RunResult;
struct ComparisonResult;

// How many: a lesson states what it teaches ("fewer than 100 arrive", "at least one retransmission"), which
// holds at any seed, rather than one seed's exact count. All given bounds must hold.
struct Bounds {
  std::optional<std::uint64_t> equals, at_least, at_most, fewer_than, more_than;
  bool any() const { return equals || at_least || at_most || fewer_than || more_than; }
  bool holds(std::uint64_t n) const;
  std::string text() const;     // "exactly 40", "at least 41 and fewer than 100"
  std::string text_zh() const;  // "正好 40", "至少 41 且少于 100"
};

struct Expectation {
  enum class Kind {
    State,     // a host's TCP connection reaches `state` (by `by`)
    Flags,     // TCP packets with these flags appear in this order
    Count,     // the number of packets matching a filter
    Program,   // what an application saw
    Compare,   // a metric of the TCP run against the UDP run (comparison scenarios)
    Variable,  // a TCP variable of a host's connections (cwnd, ssthresh, srtt, snd.wnd, ...)
    Resend,    // how long the data segments a host lost waited for a resend that arrived
  };
  Kind kind = Kind::Count;
  int line = 0;
  std::string text;     // the description shown when it passes or fails
  std::string text_zh;  // the same in 简体中文 (every bundled lesson has one)

  // State
  std::string host;
  TcpState state = TcpState::Established;
  std::optional<SimTime> by;

  // Flags: e.g. {"SYN", "SYN,ACK", "ACK"}; `from` restricts to packets sent by that host.
  std::vector<std::uint8_t> flags;
  std::string from;
  bool exactly = false;  // the whole TCP packet sequence, not a subsequence

  // Count filter (all optional) and bounds.
  std::optional<Cause> cause;
  bool any_retransmission = false;  // cause = "retransmission": RTO, fast or recovery
  std::optional<Fate> fate;
  std::optional<PacketKind> packet_kind;
  std::optional<Transport> proto;
  Bounds bounds;
  std::string run = "";  // comparison scenarios: "tcp" or "udp" run; "" = the only run

  // Program
  std::string program;
  std::optional<Bounds> bytes_received;
  std::optional<Bounds> messages_received;
  std::optional<bool> recv_returned_zero;
  std::optional<bool> finished;
  std::optional<std::string> error_contains;
  std::optional<std::string> output_contains;  // a line the program printed (ping, traceroute) holds this
  std::optional<std::vector<std::uint32_t>> recv_sizes;  // what each recv/recvfrom returned, in order
  std::optional<Bounds> socket_calls;                    // socket() and every call after it, sleep aside
  std::optional<Bounds> last_byte_ms;  // when recv() returned the last byte the program read (simulated ms)

  // Variable: `host`'s variable and one measure of it. Values are bytes, or ms for srtt, rttvar and rto.
  enum class Measure : std::uint8_t {
    Changes,          // how many values the Trace recorded (one per change: an RTT sample moves srtt)
    Max,              // the largest value
    Min,              // the smallest value (a timeout's cwnd of one segment, RFC 5681 §3.1)
    FirstCutPercent,  // at its first decrease: the new value as a percent of cwnd just before (the
                      // multiplicative decrease, RFC 5681 §3.1 / RFC 9438 §4.6)
  };
  TraceVar variable = TraceVar::Cwnd;
  Measure measure = Measure::Changes;
  Bounds measured;  // the bounds on the measure (also Resend's, in ms)

  // Compare: metric, then the relation the TCP run's value has to the UDP run's.
  std::string metric;
  std::string relation;  // "<", "<=", "==", ">=", ">"
};

// Both languages side by side: the model knows no Lang (docs/architecture.md), the reader picks one.
struct ExpectationResult {
  std::string text;
  bool passed = false;
  std::string detail;     // what was actually seen
  std::string text_zh;    // the lesson's text_zh, or the English text when it has none
  std::string detail_zh;  // the same measurement in 简体中文
};

std::vector<ExpectationResult> check_expectations(const std::vector<Expectation>& expectations,
                                                  const RunResult& run, const RunResult* udp_run = nullptr,
                                                  const ComparisonResult* comparison = nullptr);

}  // namespace wirestep
