// Relative sequence numbers, as Wireshark shows them: each direction's numbers counted from its ISN.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/trace/trace.hpp"

namespace wirestep {

// Initial sequence numbers per flow direction, so labels can show relative numbers as Wireshark does.
class RelativeSeq {
 public:
  explicit RelativeSeq(const Trace& trace);
  // Takes in the packets from `first_packet` on (a live capture's new packets), as if built over all of them.
  void extend(const Trace& trace, std::size_t first_packet);
  // Sequence number relative to this direction's ISN, ack relative to the other direction's.
  std::uint32_t seq(std::uint32_t flow, Direction dir, std::uint32_t raw) const;
  std::uint32_t ack(std::uint32_t flow, Direction dir, std::uint32_t raw) const;

 private:
  std::vector<std::array<std::optional<std::uint32_t>, 2>> isn_;
};

}  // namespace wirestep
