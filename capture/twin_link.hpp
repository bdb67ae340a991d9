// The simulated link's behaviour, applied to real frames: what the twin lab's relay (twin_relay.hpp) does
// with each Ethernet frame that enters it from one host on its way to the other. The same rules as
// sim/net/link.cpp, so the real run sees the scenario's network: the link's latency and bandwidth per
// direction, and its scripted drops (the n-th packet of a kind, retransmissions counted: packet_is_kind).
// No sockets here, so the rules are tested on hand-made frames.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/result.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/wire/bytes.hpp"

namespace wirestep {

// One direction of the scenario's link between the twin's two hosts.
struct TwinLinkDirection {
  SimDuration latency{};
  std::uint64_t bandwidth_bps = 0;  // 0: no serialization delay
  struct Drop {
    PacketKind kind = PacketKind::Any;
    std::vector<std::uint32_t> nth;  // 1-based among matching TCP packets; empty = every one
    std::uint32_t seen = 0;
    std::uint32_t dropped = 0;
  };
  std::vector<Drop> drops;
};

class TwinLink {
 public:
  // Port 0 faces the scenario's first host, port 1 its second. Fails when the scenario's network is not
  // one link between two hosts, or asks for what a relay cannot repeat (jitter, a queue limit).
  static Result<TwinLink> from_scenario(const Scenario& sc);
  TwinLink(TwinLinkDirection zero_to_one, TwinLinkDirection one_to_zero);

  struct Verdict {
    bool drop = false;
    std::int64_t deliver_at_ns = 0;  // when the frame leaves the relay's other port
  };
  // A frame that entered `port` at `now_ns` (any clock, nanoseconds). Frames that carry no TCP (ARP, ...)
  // are delayed like any other but never match a drop.
  Verdict on_frame(int port, wire::Bytes frame, std::int64_t now_ns);

  const TwinLinkDirection& direction(int from_port) const { return dirs_[from_port & 1]; }
  std::uint64_t dropped() const;

 private:
  TwinLinkDirection dirs_[2];
  std::int64_t busy_until_ns_[2] = {0, 0};
};

}  // namespace wirestep
