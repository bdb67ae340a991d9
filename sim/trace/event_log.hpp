// The Trace's event table, encoded. A long bulk transfer records five events per packet (socket calls,
// timers, variables); stored as 32-byte records that alone was 170 bytes per packet, against a budget of 64
// for the whole Trace. Consecutive events mostly share the time, the socket and the number they carry with
// the event before them (or with the last event of the same kind on the same socket), so each is stored as
// a two-byte header plus varint deltas: 3-6 bytes. Events are grouped in blocks of 64 that decode on their
// own, so reading event i costs one block's decode at worst; a small per-thread cache of decoded blocks makes
// sequential scans cost one decode per event.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/trace/page_arena.hpp"

namespace wirestep {

class EventLog {
 public:
  struct Entry {
    std::int64_t time = 0;
    std::int64_t value = 0;
    std::uint32_t packets_before = 0;
    std::uint32_t host = 0;
    std::uint32_t socket = 0;
    std::uint32_t text = 0;  // index into the owner's texts, or kNoText
    std::uint8_t kind = 0;   // < 16
    std::uint8_t code = 0;   // < 16
    bool operator==(const Entry&) const = default;
  };
  static constexpr std::uint32_t kNoText = 0xFFFFFFFF;
  static constexpr std::size_t kBlockEvents = 64;

  EventLog();
  EventLog(const EventLog& other);
  EventLog& operator=(const EventLog& other);
  EventLog(EventLog&& other) noexcept;
  EventLog& operator=(EventLog&& other) noexcept;
  ~EventLog();

  // kind and code must be below 16 (EventKind, TraceVar, TraceTimer and SocketText all are).
  // The open block's events are kept as they are and encoded together when the block fills: an append is a
  // copy, and the encoder runs 64 events at a time with its state in registers (a call per event, with the
  // state in memory, was a fifth of a bulk simulation's time).
  void append(const Entry& e) {
    const std::size_t within = size_ % kBlockEvents;
    if (within == 0 && size_ != 0) [[unlikely]]
      seal_block();
    open_[within] = e;
    ++size_;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Throws std::out_of_range past the end.
  Entry at(std::size_t i) const;
  // Bytes held: encoded events, the block index and the encoder's state.
  std::size_t memory_bytes() const;

  // Encoder state shared with the decoder: the last value per (host, socket, kind, code), reset per block.
  struct Dictionary;

 private:
  const Entry* decoded_block(std::size_t block) const;
  void decode_block(std::size_t block, Entry* out) const;  // a sealed block: kBlockEvents entries
  void seal_block();  // encodes the open block (full) and starts the next
  void new_chunk();

  static constexpr std::size_t kChunkBytes = 64 * 1024;
  PageArena arena_;  // holds the chunks
  std::vector<std::uint8_t*> chunks_;
  std::vector<std::uint32_t> chunk_used_;   // bytes written in each chunk
  std::vector<std::uint64_t> block_start_;  // (chunk << 32) | offset of each block's first event
  std::size_t size_ = 0;
  std::uint64_t uid_ = 0;                   // names this log's contents for the decoded-block cache
  std::array<Entry, kBlockEvents> open_{};  // the open block: events [sealed blocks * 64, size_)
  std::unique_ptr<Dictionary> dict_;
};

}  // namespace wirestep
