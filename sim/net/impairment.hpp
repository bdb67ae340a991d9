// What a link does to packets besides delaying them: loss models (Bernoulli, Gilbert–Elliott), scripted
// drops, duplication, reordering and corruption. Each rule is data; link.cpp applies them in the order
// configured.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"
#include "sim/wire/packet.hpp"

namespace wirestep {
using wire::Transport;
}

namespace wirestep {

// The packet kinds a scripted rule can name ("the first SYN-ACK", "the 3rd data segment").
enum class PacketKind : std::uint8_t { Any, Datagram, Syn, SynAck, Data, Ack, Fin, Rst };
std::string_view to_string(PacketKind k);
std::optional<PacketKind> packet_kind_from_string(std::string_view s);
// True when a packet with these properties is of kind `k` (Any matches all).
bool packet_is_kind(PacketKind k, Transport proto, std::uint8_t tcp_flags, std::uint32_t payload_len);

struct BernoulliLoss {
  Ppm loss = 0;
};

// Two-state Markov loss (Gilbert–Elliott). Mean burst length in the bad state is 1 / r.
struct GilbertElliottLoss {
  Ppm p = 0;        // good -> bad per packet
  Ppm r = kPpmOne;  // bad -> good per packet
  Ppm loss_good = 0;
  Ppm loss_bad = kPpmOne;
};

struct ScriptedDrop {
  PacketKind kind = PacketKind::Any;
  Transport proto = Transport::Other;  // Other = either protocol
  std::vector<std::uint32_t> nth;      // 1-based occurrences among matching packets; empty = every match
  std::optional<SimTime> from;         // time window [from, until); open ends allowed
  std::optional<SimTime> until;
};

// Scripted delay and duplication pick packets the way ScriptedDrop does (kind, proto, nth, time window) and
// count the packets that reach them undropped, so "the 7th packet" means the same for all three.
struct ScriptedDelay {
  PacketKind kind = PacketKind::Any;
  Transport proto = Transport::Other;
  std::vector<std::uint32_t> nth;
  std::optional<SimTime> from;
  std::optional<SimTime> until;
  SimDuration delay =
      SimDuration::millis(100);  // added to the packet's flight; later packets may overtake it
};

struct ScriptedDuplicate {
  PacketKind kind = PacketKind::Any;
  Transport proto = Transport::Other;
  std::vector<std::uint32_t> nth;
  std::optional<SimTime> from;
  std::optional<SimTime> until;
};

struct Duplicate {
  Ppm chance = 0;
};

struct Reorder {
  Ppm chance = 0;
  SimDuration extra_delay = SimDuration::millis(10);  // the chosen packet arrives this much later
};

struct Corrupt {
  Ppm chance = 0;
};

// Flips a bit in exactly the chosen packets ("the 2nd datagram A>B"), so a lesson shows one checksum
// failure at every seed.
struct ScriptedCorrupt {
  PacketKind kind = PacketKind::Any;
  Transport proto = Transport::Other;
  std::vector<std::uint32_t> nth;
  std::optional<SimTime> from;
  std::optional<SimTime> until;
};

using ImpairmentKind = std::variant<BernoulliLoss, GilbertElliottLoss, ScriptedDrop, Duplicate, Reorder,
                                    Corrupt, ScriptedDelay, ScriptedDuplicate, ScriptedCorrupt>;

struct Impairment {
  ImpairmentKind kind;
  std::string description;  // how the Trace names it: "rule 2: bernoulli loss 10%"
};

std::string describe(const ImpairmentKind& k);
std::string format_ppm_percent(Ppm ppm);  // 100000 -> "10%", 5000 -> "0.5%"

}  // namespace wirestep
