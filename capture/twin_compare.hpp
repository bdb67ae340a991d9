// Compares the simulated and the real run of a twin scenario segment by segment (issue 16): for each
// direction between two hosts, the n-th segment of one run against the n-th of the other, on flags,
// relative seq/ack, payload length, option kinds, the repair kind of a retransmission and (optionally) the
// scaled window. Timing is not compared:
// the real network's delays are not the simulated link's.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "capture/twin_segments.hpp"
#include "sim/analysis/lang.hpp"

namespace wirestep {

enum class TwinField { None, MissingInReal, MissingInSim, Flags, Seq, Ack, Length, Options, Repair, Window };

// One line of the side-by-side listing: a simulated segment and its real counterpart (the same direction and
// position in it), or one of them alone when a run sent more segments in that direction.
struct TwinRow {
  std::optional<std::size_t> sim;       // index into the simulated segments
  std::optional<std::size_t> real;      // index into the real segments
  std::size_t direction_index = 0;      // 1-based position among its direction's segments
  TwinField differs = TwinField::None;  // the first field that differs, in the order listed above
  bool window_differs = false;          // apart, since the window may be left out of the verdict
};

struct TwinCompareOptions {
  bool compare_window = true;
  // PSH is set where a real send() had to wait for buffer space (tcp_sendmsg_locked pushes before it
  // sleeps), which depends on timing; leaving it out shows what differs beyond it.
  bool compare_psh = true;
  // How a retransmitted segment was repaired (fast, RACK, TLP, RTO), read from each run's own segments by
  // the same rules (twin_repair.hpp).
  bool compare_repair = true;
};

struct TwinComparison {
  std::vector<TwinRow> rows;  // the simulated run's order, then real segments with no counterpart
  std::optional<std::size_t> first_difference;  // row index
  std::size_t differing_rows = 0;
  std::size_t window_differences = 0;  // rows whose windows differ (counted also when not compared)
  bool agree() const { return !first_difference; }
};

TwinComparison compare_twin(const std::vector<TwinSegment>& sim, const std::vector<TwinSegment>& real,
                            const TwinCompareOptions& options = {});

// "A>B SYN,ACK seq 0 ack 1 len 0 win 64240 <mss,sackOK,ts,ws>"; Chinese labels the numbers in Chinese.
std::string describe_twin_segment(const TwinSegment& s, Lang lang);
std::string twin_flags_text(std::uint8_t flags);
std::string twin_field_name(TwinField f, Lang lang);

// "segment 5 (the 3rd A>B): length: simulated 1448, real Linux 1024" with both sides' lines.
std::string describe_first_difference(const TwinComparison& c, const std::vector<TwinSegment>& sim,
                                      const std::vector<TwinSegment>& real, Lang lang);

}  // namespace wirestep
