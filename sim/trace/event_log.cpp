#include "sim/trace/event_log.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstring>
#include <stdexcept>

namespace wirestep {
namespace {

// Header byte 0: kind (bits 0-3), same time as the previous event (4), same host and socket (5),
// packets_before: 0 = same, 1 = +1, 2 = +2, 3 = a zigzag varint delta follows (6-7).
// Header byte 1: code (bits 0-3), a text index follows (4), value mode (5-6).
enum ValueMode : std::uint8_t {
  kSameAsLast = 0,   // the last value of this (host, socket, kind, code) in the block, or 0
  kDeltaToLast = 1,  // zigzag varint of value - that last value
  kDeltaToTime = 2,  // zigzag varint of value - the event's time (timer deadlines)
  kAbsolute = 3,     // zigzag varint of the value
};
constexpr std::size_t kMaxEventBytes = 2 + 10 + 5 + 5 + 10 + 5 + 10;

std::atomic<std::uint64_t> next_uid{1};
std::uint64_t new_uid() {
  return next_uid.fetch_add(1, std::memory_order_relaxed);
}

// Wrapping arithmetic: every int64 difference round-trips, including the extremes.
std::uint64_t zigzag(std::uint64_t wrapped_difference) {
  const auto d = static_cast<std::int64_t>(wrapped_difference);
  return (wrapped_difference << 1) ^ static_cast<std::uint64_t>(d >> 63);
}
std::uint64_t unzigzag(std::uint64_t z) {
  return (z >> 1) ^ (~(z & 1) + 1);
}

// 7 bits per byte, at least one byte: (bits * 9 + 64) / 64 is ceil(bits / 7) for 1..64 bits, and 1 for 0,
// with a multiply instead of a division.
int varint_length(std::uint64_t v) {
  return static_cast<int>((std::bit_width(v) * 9 + 64) >> 6);
}
std::uint8_t* put_varint(std::uint8_t* p, std::uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<std::uint8_t>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<std::uint8_t>(v);
  return p;
}
// The log only decodes what it encoded itself, so a varint is never longer than ten bytes.
std::uint64_t get_varint(const std::uint8_t*& p) {
  std::uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    const std::uint8_t b = *p++;
    v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) return v;
  }
}

}  // namespace

struct EventLog::Dictionary {
  // Direct-mapped on a hash of (host, socket, kind, code), without checking the key: the decoder runs the
  // same predictor on the same keys, so two keys sharing a slot only cost bytes (a poorer guess), never a
  // wrong value. Not checking the key halved the encoder's cost.
  struct Slot {
    std::uint32_t generation = 0;  // the block the slot was written in; other blocks see it empty
    std::int64_t value = 0;
  };
  static constexpr std::size_t kSlots = 128;
  std::array<Slot, kSlots> slots{};
  std::uint32_t generation = 0;  // the current block's; 0 is never current

  static Slot& slot_in(std::array<Slot, kSlots>& slots, const Entry& e) {
    // Fibonacci hashing of the key folded to 32 bits; the top 7 bits pick the slot (kSlots == 128).
    const std::uint32_t key = e.socket ^ e.host << 16 ^ static_cast<std::uint32_t>(e.kind) << 28 ^
                              static_cast<std::uint32_t>(e.code) << 24;
    return slots[(key * 0x9E3779B1u) >> 25];
  }
  // The value the last event with e's slot had in this block (0 if none); then remembers e's.
  std::int64_t exchange(const Entry& e) {
    Slot& s = slot_in(slots, e);
    const std::int64_t previous = s.generation == generation ? s.value : 0;
    s = Slot{generation, e.value};
    return previous;
  }
};

EventLog::EventLog() : uid_(new_uid()), dict_(std::make_unique<Dictionary>()) {}
EventLog::~EventLog() = default;

EventLog::EventLog(const EventLog& other) : EventLog() {
  *this = other;
}

EventLog& EventLog::operator=(const EventLog& other) {
  if (this == &other) return *this;
  chunks_.clear();
  arena_.clear();
  for (std::size_t c = 0; c < other.chunks_.size(); ++c) {
    chunks_.push_back(arena_.allocate(kChunkBytes));
    std::memcpy(chunks_.back(), other.chunks_[c], other.chunk_used_[c]);
  }
  chunk_used_ = other.chunk_used_;
  block_start_ = other.block_start_;
  size_ = other.size_;
  open_ = other.open_;
  *dict_ = *other.dict_;
  uid_ = new_uid();
  return *this;
}

EventLog::EventLog(EventLog&& other) noexcept : EventLog() {
  *this = std::move(other);
}

EventLog& EventLog::operator=(EventLog&& other) noexcept {
  if (this == &other) return *this;
  arena_ = std::move(other.arena_);
  chunks_ = std::move(other.chunks_);
  chunk_used_ = std::move(other.chunk_used_);
  block_start_ = std::move(other.block_start_);
  size_ = other.size_;
  open_ = other.open_;
  std::swap(dict_, other.dict_);
  uid_ = new_uid();
  other.chunks_.clear();
  other.chunk_used_.clear();
  other.block_start_.clear();
  other.size_ = 0;
  other.uid_ = new_uid();
  return *this;
}

void EventLog::new_chunk() {
  chunks_.push_back(arena_.allocate(kChunkBytes));
  chunk_used_.push_back(0);
}

void EventLog::seal_block() {
  if (chunks_.empty()) new_chunk();
  block_start_.push_back(std::uint64_t{chunks_.size() - 1} << 32 | chunk_used_.back());
  // Counted per dictionary, not taken from the block index: after a move the moved-from log holds the
  // other's old dictionary, whose slots must not look current in the moved-from log's next block.
  Dictionary& dict = *dict_;
  if (++dict.generation == 0) {  // after 2^32 blocks: old slots would look current again
    dict = Dictionary{};
    dict.generation = 1;
  }
  // The encoder's state lives in locals for the block: nothing goes back to memory between events.
  std::uint8_t* base = chunks_.back();
  std::uint8_t* p = base + chunk_used_.back();
  std::int64_t last_time = 0;
  std::uint32_t last_host = 0, last_packets = 0;
  std::uint32_t last_socket = 0xFFFFFFFF;  // so a first event on socket 0 of host 0 still writes its socket
  for (std::size_t i = 0; i < kBlockEvents; ++i) {
    const Entry& e = open_[i];
    // An event never straddles two chunks: the decoder moves to the next chunk at a chunk's end.
    if (p > base + (kChunkBytes - kMaxEventBytes)) [[unlikely]] {
      chunk_used_.back() = static_cast<std::uint32_t>(p - base);
      new_chunk();
      base = p = chunks_.back();
    }
    std::uint8_t* const begin = p;
    p += 2;
    const bool same_time = e.time == last_time;
    const bool same_socket = e.host == last_host && e.socket == last_socket;
    const std::uint64_t packets_delta = std::uint64_t{e.packets_before} - last_packets;
    const std::uint8_t packets_mode = packets_delta <= 2 ? static_cast<std::uint8_t>(packets_delta) : 3;
    const bool has_text = e.text != kNoText;

    const std::int64_t previous = dict.exchange(e);
    std::uint8_t mode = kSameAsLast;
    std::uint64_t payload = 0;
    if (e.value != previous) {
      const std::uint64_t v = static_cast<std::uint64_t>(e.value);
      mode = kDeltaToLast;
      payload = zigzag(v - static_cast<std::uint64_t>(previous));
      int length = varint_length(payload);
      if (length > 1) {
        const std::uint64_t to_time = zigzag(v - static_cast<std::uint64_t>(e.time));
        if (const int l = varint_length(to_time); l < length) {
          mode = kDeltaToTime;
          payload = to_time;
          length = l;
        }
        if (const std::uint64_t absolute = zigzag(v); varint_length(absolute) < length) {
          mode = kAbsolute;
          payload = absolute;
        }
      }
    }

    begin[0] = static_cast<std::uint8_t>((e.kind & 0x0F) | (same_time ? 0x10 : 0) | (same_socket ? 0x20 : 0) |
                                         packets_mode << 6);
    begin[1] = static_cast<std::uint8_t>((e.code & 0x0F) | (has_text ? 0x10 : 0) | mode << 5);
    if (!same_time)
      p = put_varint(p, zigzag(static_cast<std::uint64_t>(e.time) - static_cast<std::uint64_t>(last_time)));
    if (!same_socket) {
      p = put_varint(p, e.host);
      p = put_varint(p, std::uint32_t(e.socket + 1));  // kNone (all ones) is the common "no socket": 0
    }
    if (packets_mode == 3) p = put_varint(p, zigzag(packets_delta));
    if (has_text) p = put_varint(p, e.text);
    if (mode != kSameAsLast) p = put_varint(p, payload);
    last_time = e.time;
    last_host = e.host;
    last_socket = e.socket;
    last_packets = e.packets_before;
  }
  chunk_used_.back() = static_cast<std::uint32_t>(p - base);
}

void EventLog::decode_block(std::size_t block, Entry* out) const {
  std::size_t chunk = block_start_[block] >> 32;
  std::size_t offset = block_start_[block] & 0xFFFFFFFF;
  Dictionary dict;  // stack copy: decoding never disturbs the encoder's state
  dict.generation = 1;
  Entry last{};
  last.socket = 0xFFFFFFFF;
  for (std::size_t i = 0; i < kBlockEvents; ++i) {
    while (offset >= chunk_used_[chunk]) {
      ++chunk;
      offset = 0;
    }
    const std::uint8_t* p = chunks_[chunk] + offset;
    const std::uint8_t b0 = p[0], b1 = p[1];
    p += 2;
    Entry e;
    e.kind = b0 & 0x0F;
    e.code = b1 & 0x0F;
    e.time = (b0 & 0x10)
                 ? last.time
                 : static_cast<std::int64_t>(static_cast<std::uint64_t>(last.time) + unzigzag(get_varint(p)));
    if (b0 & 0x20) {
      e.host = last.host;
      e.socket = last.socket;
    } else {
      e.host = static_cast<std::uint32_t>(get_varint(p));
      e.socket = static_cast<std::uint32_t>(get_varint(p)) - 1;
    }
    const std::uint8_t packets_mode = b0 >> 6;
    e.packets_before = packets_mode == 3
                           ? static_cast<std::uint32_t>(last.packets_before + unzigzag(get_varint(p)))
                           : last.packets_before + packets_mode;
    e.text = (b1 & 0x10) ? static_cast<std::uint32_t>(get_varint(p)) : kNoText;
    const std::uint8_t mode = (b1 >> 5) & 0x03;
    Dictionary::Slot& slot = Dictionary::slot_in(dict.slots, e);
    const std::int64_t previous = slot.generation == dict.generation ? slot.value : 0;
    slot.generation = dict.generation;
    switch (mode) {
      case kSameAsLast:
        e.value = previous;
        break;
      case kDeltaToLast:
        e.value = static_cast<std::int64_t>(static_cast<std::uint64_t>(previous) + unzigzag(get_varint(p)));
        break;
      case kDeltaToTime:
        e.value = static_cast<std::int64_t>(static_cast<std::uint64_t>(e.time) + unzigzag(get_varint(p)));
        break;
      default:
        e.value = static_cast<std::int64_t>(unzigzag(get_varint(p)));
        break;
    }
    slot.value = e.value;
    last = e;
    out[i] = e;
    offset = static_cast<std::size_t>(p - chunks_[chunk]);
  }
}

const EventLog::Entry* EventLog::decoded_block(std::size_t block) const {
  // A few decoded blocks per thread: a UI frame reads two Traces side by side, a scan reads forward.
  struct CachedBlock {
    std::uint64_t uid = 0;
    std::size_t block = 0;
    std::array<Entry, kBlockEvents> entries;
  };
  thread_local std::array<CachedBlock, 4> cache{};
  thread_local std::size_t next_victim = 0;
  for (CachedBlock& c : cache)
    if (c.uid == uid_ && c.block == block) return c.entries.data();
  CachedBlock& c = cache[next_victim];
  next_victim = (next_victim + 1) % cache.size();
  c.uid = uid_;
  c.block = block;
  decode_block(block, c.entries.data());  // only sealed blocks are decoded, and they never change
  return c.entries.data();
}

EventLog::Entry EventLog::at(std::size_t i) const {
  if (i >= size_) throw std::out_of_range("EventLog::at");
  const std::size_t block = i / kBlockEvents, within = i % kBlockEvents;
  if (block == block_start_.size()) return open_[within];  // the open block is not encoded yet
  return decoded_block(block)[within];
}

std::size_t EventLog::memory_bytes() const {
  return arena_.used_bytes() + chunk_used_.capacity() * sizeof(std::uint32_t) +
         block_start_.capacity() * sizeof(std::uint64_t) + sizeof(Dictionary) + sizeof(open_);
}

}  // namespace wirestep
