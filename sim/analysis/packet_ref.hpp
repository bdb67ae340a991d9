// A packet of an open document, which may hold more than one Trace.
#pragma once

#include <cstdint>

namespace wirestep {

// A packet in one of the document's traces (a comparison has two: TCP and UDP).
struct PacketRef {
  std::uint32_t trace = 0;
  std::uint32_t packet = 0;
  bool operator==(const PacketRef&) const = default;
};

}  // namespace wirestep
