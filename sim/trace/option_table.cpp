#include "sim/trace/option_table.hpp"

#include <algorithm>
#include <atomic>

namespace wirestep {

namespace {

// A record: varint packet delta (from the block's previous record; 0 for the first), a header byte, varint
// stream slot (its first appearance in the block makes a new slot), then the fields the header names.
constexpr std::uint8_t kHasMss = 0x01;
constexpr std::uint8_t kHasWindowScale = 0x02;
constexpr std::uint8_t kSackPermitted = 0x04;
constexpr std::uint8_t kHasTimestamps = 0x08;
constexpr std::uint8_t kSackCountShift = 4;  // three bits: sack_count as stored, blocks min(count, 4)
constexpr std::size_t kMaxRecordBytes = 5 + 1 + 1 + 2 + 1 + 2 * 5 + 4 * 2 * 5;

std::uint64_t new_uid() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

std::uint32_t zigzag(std::uint32_t delta) {
  const auto d = static_cast<std::int32_t>(delta);
  return (static_cast<std::uint32_t>(d) << 1) ^ static_cast<std::uint32_t>(d >> 31);
}
std::uint32_t unzigzag(std::uint32_t z) {
  return (z >> 1) ^ (0u - (z & 1u));
}

std::uint8_t* put_varint(std::uint8_t* p, std::uint32_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<std::uint8_t>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<std::uint8_t>(v);
  return p;
}
std::uint32_t get_varint(const std::uint8_t*& p) {
  std::uint32_t v = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    const std::uint8_t b = *p++;
    v |= std::uint32_t{static_cast<std::uint8_t>(b & 0x7F)} << shift;
    if (!(b & 0x80)) break;
  }
  return v;
}

// What a record's deltas are taken from: per stream slot, reset per block so a block decodes alone.
struct SlotState {
  std::uint32_t tsval = 0;
  std::uint32_t tsecr = 0;
  std::uint32_t sack_base = 0;
};

// A few decoded blocks per thread (as EventLog's): a scan reads forward, a UI frame reads two Traces side by
// side. Keyed by the table's uid (never 0) and the block; the packet range lets a lookup skip the block
// index's binary search. (The simulator's receiving host gets each segment's options with the packet, so it
// never reads them back from here.)
struct CachedOptionBlock {
  std::uint64_t uid = 0;
  std::size_t block = 0;
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  std::array<OptionTable::Decoded, OptionTable::kBlockRecords> entries;
};
thread_local std::array<CachedOptionBlock, 8> option_cache{};
thread_local std::size_t option_cache_victim = 0;

CachedOptionBlock& option_cache_slot(std::uint64_t uid, std::size_t block) {
  CachedOptionBlock& c = option_cache[option_cache_victim];
  option_cache_victim = (option_cache_victim + 1) % option_cache.size();
  c.uid = uid;
  c.block = block;
  return c;
}

}  // namespace

OptionTable::OptionTable() : uid_(new_uid()) {}

OptionTable::OptionTable(const OptionTable& other) : OptionTable() {
  *this = other;
}

OptionTable& OptionTable::operator=(const OptionTable& other) {
  if (this == &other) return *this;
  bytes_ = other.bytes_;
  block_first_ = other.block_first_;
  block_offset_ = other.block_offset_;
  open_ = other.open_;
  open_count_ = other.open_count_;
  size_ = other.size_;
  uid_ = new_uid();  // the copy grows on its own: its blocks must never be taken for the original's
  return *this;
}

OptionTable::OptionTable(OptionTable&& other) noexcept : OptionTable() {
  swap(other);
}

OptionTable& OptionTable::operator=(OptionTable&& other) noexcept {
  swap(other);  // contents and uid travel together, so cached blocks stay right for both
  return *this;
}

void OptionTable::swap(OptionTable& o) noexcept {
  std::swap(bytes_, o.bytes_);
  std::swap(block_first_, o.block_first_);
  std::swap(block_offset_, o.block_offset_);
  std::swap(open_, o.open_);
  std::swap(open_count_, o.open_count_);
  std::swap(size_, o.size_);
  std::swap(uid_, o.uid_);
}

void OptionTable::seal_block() {
  std::array<std::uint8_t, kBlockRecords * kMaxRecordBytes> buf;
  std::array<std::uint32_t, kBlockRecords> slot_stream;  // [0, slot_count) in use
  std::array<SlotState, kBlockRecords> slots;
  std::size_t slot_count = 0;
  std::uint8_t* p = buf.data();
  std::uint32_t last_packet = open_[0].packet;
  for (std::size_t r = 0; r < open_count_; ++r) {
    const Open& e = open_[r];
    const wire::TcpOptions& o = e.options;
    p = put_varint(p, e.packet - last_packet);
    last_packet = e.packet;
    const std::uint8_t sack_count = std::min<std::uint8_t>(o.sack_count, 7);
    *p++ = static_cast<std::uint8_t>((o.mss ? kHasMss : 0) | (o.window_scale ? kHasWindowScale : 0) |
                                     (o.sack_permitted ? kSackPermitted : 0) |
                                     (o.timestamps ? kHasTimestamps : 0) | (sack_count << kSackCountShift));
    std::size_t slot = 0;
    while (slot < slot_count && slot_stream[slot] != e.stream) ++slot;
    if (slot == slot_count) {
      slot_stream[slot_count++] = e.stream;
      slots[slot] = SlotState{};
    }
    p = put_varint(p, static_cast<std::uint32_t>(slot));
    SlotState& s = slots[slot];
    if (o.mss) {
      *p++ = static_cast<std::uint8_t>(*o.mss);
      *p++ = static_cast<std::uint8_t>(*o.mss >> 8);
    }
    if (o.window_scale) *p++ = *o.window_scale;
    if (o.timestamps) {
      p = put_varint(p, zigzag(o.timestamps->value - s.tsval));
      p = put_varint(p, zigzag(o.timestamps->echo_reply - s.tsecr));
      s.tsval = o.timestamps->value;
      s.tsecr = o.timestamps->echo_reply;
    }
    std::uint32_t base = s.sack_base;
    for (std::size_t k = 0; k < std::min<std::size_t>(sack_count, o.sack.size()); ++k) {
      p = put_varint(p, zigzag(o.sack[k].left - base));
      p = put_varint(p, o.sack[k].right - o.sack[k].left);
      base = o.sack[k].left;
    }
    if (sack_count) s.sack_base = o.sack[0].left;
  }
  block_first_.push_back(open_[0].packet);
  block_offset_.push_back(bytes_.size());
  bytes_.append(buf.data(), static_cast<std::size_t>(p - buf.data()));
  open_count_ = 0;
}

void OptionTable::decode_block(std::size_t block, Decoded* out) const {
  std::array<SlotState, kBlockRecords> slots{};
  const std::uint8_t* p = &bytes_[block_offset_[block]];
  std::uint32_t packet = block_first_[block];
  for (std::size_t r = 0; r < kBlockRecords; ++r) {
    packet += get_varint(p);
    const std::uint8_t header = *p++;
    SlotState& s = slots[std::min<std::size_t>(get_varint(p), kBlockRecords - 1)];
    wire::TcpOptions o;
    if (header & kHasMss) {
      o.mss = static_cast<std::uint16_t>(p[0] | p[1] << 8);
      p += 2;
    }
    if (header & kHasWindowScale) o.window_scale = *p++;
    o.sack_permitted = (header & kSackPermitted) != 0;
    if (header & kHasTimestamps) {
      s.tsval += unzigzag(get_varint(p));
      s.tsecr += unzigzag(get_varint(p));
      o.timestamps = wire::TcpTimestamps{s.tsval, s.tsecr};
    }
    o.sack_count = static_cast<std::uint8_t>((header >> kSackCountShift) & 0x07);
    std::uint32_t base = s.sack_base;
    for (std::size_t k = 0; k < std::min<std::size_t>(o.sack_count, o.sack.size()); ++k) {
      o.sack[k].left = base + unzigzag(get_varint(p));
      o.sack[k].right = o.sack[k].left + get_varint(p);
      base = o.sack[k].left;
    }
    if (o.sack_count) s.sack_base = o.sack[0].left;
    out[r] = Decoded{packet, o};
  }
}

namespace {

std::optional<wire::TcpOptions> search(const OptionTable::Decoded* d, std::uint32_t packet) {
  // Where every packet carries options (the linux profile's timestamps) a block holds consecutive packets
  // and the record sits at packet − first: one comparison instead of a mispredicted binary search.
  if (const std::uint32_t guess = packet - d[0].packet; guess < OptionTable::kBlockRecords) {
    if (d[guess].packet == packet) return d[guess].options;
  }
  const OptionTable::Decoded* end = d + OptionTable::kBlockRecords;
  const OptionTable::Decoded* it = std::lower_bound(
      d, end, packet, [](const OptionTable::Decoded& e, std::uint32_t p) { return e.packet < p; });
  if (it != end && it->packet == packet) return it->options;
  return std::nullopt;
}
}  // namespace

const OptionTable::Decoded* OptionTable::decoded_block(std::size_t block) const {
  for (CachedOptionBlock& c : option_cache)
    if (c.uid == uid_ && c.block == block) return c.entries.data();
  CachedOptionBlock& c = option_cache_slot(uid_, block);
  decode_block(block, c.entries.data());  // sealed blocks never change
  c.first = c.entries.front().packet;
  c.last = c.entries.back().packet;
  return c.entries.data();
}

std::optional<wire::TcpOptions> OptionTable::find(std::uint32_t packet) const {
  if (open_count_ && packet >= open_[0].packet) {
    if (const std::uint32_t guess = packet - open_[0].packet; guess < open_count_) {  // as in search()
      if (open_[guess].packet == packet) return open_[guess].options;
    }
    const auto* end = open_.data() + open_count_;
    const auto* it = std::lower_bound(open_.data(), end, packet,
                                      [](const Open& e, std::uint32_t p) { return e.packet < p; });
    if (it != end && it->packet == packet) return it->options;
    return std::nullopt;
  }
  for (const CachedOptionBlock& c : option_cache)
    if (c.uid == uid_ && c.first <= packet && packet <= c.last) return search(c.entries.data(), packet);
  const std::span<const std::uint32_t> firsts = block_first_;
  const auto after = std::upper_bound(firsts.begin(), firsts.end(), packet);
  if (after == firsts.begin()) return std::nullopt;
  return search(decoded_block(static_cast<std::size_t>(after - firsts.begin()) - 1), packet);
}

std::size_t OptionTable::memory_bytes() const {
  return bytes_.resident_bytes() + block_first_.resident_bytes() + block_offset_.resident_bytes() +
         sizeof(open_);
}

}  // namespace wirestep
