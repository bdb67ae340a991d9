// A hash index in front of Trace::flow_for(): captures look a flow up for every frame, and the Trace's
// ordered map (kept ordered so iteration can never leak nondeterminism) costs two tree walks per packet.
// Both directions of a conversation are entered, so one probe answers. Never iterated: order cannot leak.
#pragma once

#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <utility>

#include "sim/trace/trace.hpp"

namespace wirestep {

class FlowLookup {
 public:
  explicit FlowLookup(Trace& trace) : trace_(trace) {}

  std::pair<std::uint32_t, Direction> flow_for(Transport proto, const wire::IpAddr& src, std::uint16_t sport,
                                               const wire::IpAddr& dst, std::uint16_t dport) {
    const Key key{proto, src, sport, dst, dport};
    if (auto it = index_.find(key); it != index_.end()) return it->second;
    const auto found = trace_.flow_for(proto, src, sport, dst, dport);
    const Direction back = found.second == Direction::AtoB ? Direction::BtoA : Direction::AtoB;
    index_.emplace(key, found);
    index_.emplace(Key{proto, dst, dport, src, sport}, std::pair{found.first, back});
    return found;
  }

 private:
  struct Key {
    Transport proto;
    wire::IpAddr src;
    std::uint16_t sport;
    wire::IpAddr dst;
    std::uint16_t dport;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    static std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
      h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
      return h;
    }
    std::size_t operator()(const Key& k) const {
      std::uint64_t a[2], b[2];
      std::memcpy(a, k.src.bytes.data(), 16);
      std::memcpy(b, k.dst.bytes.data(), 16);
      std::uint64_t h = (std::uint64_t{k.sport} << 32) | (std::uint64_t{k.dport} << 8) |
                        (static_cast<std::uint64_t>(k.proto) << 1) | (k.src.v6 ? 1 : 0);
      h = mix(h, a[0]);
      h = mix(h, a[1]);
      h = mix(h, b[0]);
      h = mix(h, b[1]);
      return static_cast<std::size_t>(h * 0xFF51AFD7ED558CCDULL ^ (h >> 29));
    }
  };

  Trace& trace_;
  std::unordered_map<Key, std::pair<std::uint32_t, Direction>, KeyHash> index_;
};

}  // namespace wirestep
