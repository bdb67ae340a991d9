// A hash index in front of Trace::flow_for(): captures look a flow up for every frame, and the Trace's
// ordered map (kept ordered so iteration can never leak nondeterminism) costs two tree walks per packet.
// Both directions of a conversation are entered, so one probe answers. An open-addressing table (linear
// probing, power-of-two size, at most half full) over the 5-tuple packed into five words, with the hash
// stored beside each key, so a probe rarely compares a whole key. Never iterated: its order cannot leak into
// output.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "sim/trace/trace.hpp"

namespace wirestep {

class FlowLookup {
 public:
  explicit FlowLookup(Trace& trace) : trace_(trace), slots_(kInitialSlots) {}

  std::pair<std::uint32_t, Direction> flow_for(Transport proto, const wire::IpAddr& src, std::uint16_t sport,
                                               const wire::IpAddr& dst, std::uint16_t dport) {
    const Key key = make_key(proto, src, sport, dst, dport);
    const std::uint64_t h = hash(key);
    for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (!s.used) break;
      if (s.hash == h && s.key == key) return {s.flow, s.dir};
    }
    const auto found = trace_.flow_for(proto, src, sport, dst, dport);
    const Direction back = opposite(found.second);
    insert(key, h, found.first, found.second);
    const Key reverse = make_key(proto, dst, dport, src, sport);
    if (reverse != key) insert(reverse, hash(reverse), found.first, back);
    return found;
  }

  // The same for IPv4 addresses (host order), with a smaller key: most frames of most captures take this
  // path.
  std::pair<std::uint32_t, Direction> flow_for_v4(Transport proto, std::uint32_t src, std::uint16_t sport,
                                                  std::uint32_t dst, std::uint16_t dport) {
    const V4Key key{(std::uint64_t{src} << 32) | dst, (std::uint64_t{sport} << 32) |
                                                          (std::uint64_t{dport} << 16) |
                                                          (static_cast<std::uint64_t>(proto) << 1) | 1u};
    const std::uint64_t h = mix(key.addrs * 0x9E3779B97F4A7C15ULL ^ key.rest);
    for (std::size_t i = h & (v4_slots_.size() - 1);; i = (i + 1) & (v4_slots_.size() - 1)) {
      const V4Slot& s = v4_slots_[i];
      if (!s.key.rest) break;  // empty: `rest` always has its low bit set in a used slot
      if (s.key == key) return {s.flow, s.dir};
    }
    const auto found = flow_for(proto, wire::IpAddr::from_v4(wire::Ipv4Addr{src}), sport,
                                wire::IpAddr::from_v4(wire::Ipv4Addr{dst}), dport);
    insert_v4(key, h, found.first, found.second);
    const V4Key reverse{(std::uint64_t{dst} << 32) | src, (std::uint64_t{dport} << 32) |
                                                              (std::uint64_t{sport} << 16) |
                                                              (static_cast<std::uint64_t>(proto) << 1) | 1u};
    if (!(reverse == key))
      insert_v4(reverse, mix(reverse.addrs * 0x9E3779B97F4A7C15ULL ^ reverse.rest), found.first,
                opposite(found.second));
    return found;
  }

 private:
  struct V4Key {
    std::uint64_t addrs = 0;  // src << 32 | dst
    std::uint64_t rest = 0;   // sport << 32 | dport << 16 | proto << 1 | 1 (0 marks an empty slot)
    bool operator==(const V4Key&) const = default;
  };
  struct V4Slot {
    V4Key key;
    std::uint32_t flow = 0;
    Direction dir = Direction::AtoB;
  };
  void insert_v4(const V4Key& key, std::uint64_t h, std::uint32_t flow, Direction dir) {
    if (2 * (v4_used_ + 1) > v4_slots_.size()) {
      std::vector<V4Slot> old(v4_slots_.size() * 2);
      old.swap(v4_slots_);
      v4_used_ = 0;
      for (const V4Slot& s : old)
        if (s.key.rest)
          insert_v4(s.key, mix(s.key.addrs * 0x9E3779B97F4A7C15ULL ^ s.key.rest), s.flow, s.dir);
    }
    std::size_t i = h & (v4_slots_.size() - 1);
    while (v4_slots_[i].key.rest) i = (i + 1) & (v4_slots_.size() - 1);
    v4_slots_[i] = V4Slot{key, flow, dir};
    ++v4_used_;
  }

  // The 5-tuple packed into bytes, compared and hashed as four 64-bit words and a tail.
  using Key = std::array<std::uint64_t, 5>;
  struct Slot {
    std::uint64_t hash = 0;
    Key key{};
    std::uint32_t flow = 0;
    Direction dir = Direction::AtoB;
    bool used = false;
  };
  static constexpr std::size_t kInitialSlots = 1024;

  static Key make_key(Transport proto, const wire::IpAddr& src, std::uint16_t sport, const wire::IpAddr& dst,
                      std::uint16_t dport) {
    Key k;
    std::memcpy(&k[0], src.bytes.data(), 16);
    std::memcpy(&k[2], dst.bytes.data(), 16);
    k[4] = (std::uint64_t{sport} << 32) | (std::uint64_t{dport} << 16) |
           (static_cast<std::uint64_t>(proto) << 2) | (src.v6 ? 2u : 0u) | (dst.v6 ? 1u : 0u);
    return k;
  }
  static std::uint64_t mix(std::uint64_t h) {  // a 64-bit finalizer (MurmurHash3's fmix64)
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h;
  }
  static std::uint64_t hash(const Key& k) {
    std::uint64_t h = k[4];
    for (std::size_t i = 0; i < 4; ++i) h = (h ^ k[i]) * 0x9E3779B97F4A7C15ULL + (h >> 29);
    return mix(h);
  }
  void insert(const Key& key, std::uint64_t h, std::uint32_t flow, Direction dir) {
    if (2 * (used_ + 1) > slots_.size()) grow();
    std::size_t i = h & (slots_.size() - 1);
    while (slots_[i].used) i = (i + 1) & (slots_.size() - 1);
    slots_[i] = Slot{h, key, flow, dir, true};
    ++used_;
  }
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    used_ = 0;
    for (const Slot& s : old)
      if (s.used) insert(s.key, s.hash, s.flow, s.dir);
  }

  Trace& trace_;
  std::vector<Slot> slots_;
  std::size_t used_ = 0;
  std::vector<V4Slot> v4_slots_ = std::vector<V4Slot>(kInitialSlots);
  std::size_t v4_used_ = 0;
};

}  // namespace wirestep
