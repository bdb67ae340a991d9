// One direction of a point-to-point link: drop-tail queue, serialization at the link rate, propagation
// latency with jitter, and the impairment rules in order. Decisions are made when a packet is handed to the
// link (everything they depend on is known then), so the Trace records a fate as soon as a packet is sent.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"
#include "sim/net/impairment.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

struct LinkParams {
  SimDuration latency = SimDuration::millis(10);
  SimDuration jitter{};             // each packet gets latency + uniform [0, jitter]; order is kept
  std::uint64_t bandwidth_bps = 0;  // 0 = infinitely fast (no serialization delay)
  std::uint32_t queue_packets = 0;  // drop-tail limit on packets waiting or being sent; 0 = unlimited
  std::vector<Impairment> impairments;
};

// What the link decided for one packet.
struct LinkVerdict {
  Fate fate = Fate::Delivered;
  std::uint16_t rule = 0;  // Trace drop-rule id when dropped
  SimTime arrive;          // arrival at the far end, or where/when it was dropped
  std::uint8_t marks = 0;  // mark::kReordered / kCorrupted
  std::uint16_t corrupt_rule = 0;
  bool duplicate = false;  // deliver a second copy at duplicate_arrive
  SimTime duplicate_arrive;
};

struct PacketTraits {
  Transport proto;
  std::uint8_t tcp_flags;
  std::uint32_t payload_len;
  std::uint32_t wire_bytes;  // IP packet size plus link framing
};

class LinkDirection {
 public:
  // `name` ("A>B") seeds this direction's random streams; `trace` receives the rule descriptions.
  LinkDirection(std::string name, LinkParams params, std::uint64_t seed, Trace& trace);

  LinkVerdict transmit(SimTime now, const PacketTraits& pkt);
  const std::string& name() const { return name_; }
  const LinkParams& params() const { return params_; }

 private:
  struct RuleState {
    std::uint16_t trace_rule = 0;
    Rng rng{0};
    std::uint64_t matches = 0;  // scripted drops: matching packets seen so far
    bool bad_state = false;     // Gilbert–Elliott
  };
  bool rule_drops(const Impairment& imp, RuleState& st, SimTime now, const PacketTraits& pkt);

  std::string name_;
  LinkParams params_;
  std::vector<RuleState> rules_;
  Rng jitter_rng_;
  SimTime busy_until_{};
  SimTime last_arrive_{};
  // Serialization end times of packets still in the queue, from departures_head_ on (a vector read from the
  // front: cheaper per packet than a deque).
  std::vector<SimTime> departures_;
  std::size_t departures_head_ = 0;
  // The last packet size's serialization time: a bulk flow's segments are all one size, and the division
  // costs more than the rest of a transmit.
  std::uint32_t last_wire_bytes_ = 0;
  SimDuration last_serialization_{};
  std::uint16_t queue_rule_ = 0;
};

}  // namespace wirestep
