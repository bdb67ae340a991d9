// The Trace's TCP options, encoded. The linux profile puts timestamps on every segment (RFC 7323 §3) and
// SACK blocks on ACKs during loss (RFC 2018 §3): kept as one decoded wire::TcpOptions per packet that was
// about 95 bytes per packet, against a budget of 64 for the whole Trace. Consecutive segments of a flow
// differ little, so each packet's options are stored as a record of varint deltas (TSval/TSecr from the
// same flow direction's previous record, SACK edges from its previous left edge): 4-6 bytes for a
// timestamp-only segment. Records are grouped in blocks of 64 that decode on their own, and a small
// per-thread cache of decoded blocks makes a sequential scan cost one decode per record.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "sim/trace/mapped_column.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {

class OptionTable {
 public:
  static constexpr std::size_t kBlockRecords = 64;

  OptionTable();
  OptionTable(const OptionTable& other);
  OptionTable& operator=(const OptionTable& other);
  OptionTable(OptionTable&& other) noexcept;
  OptionTable& operator=(OptionTable&& other) noexcept;
  ~OptionTable() = default;

  // Adds the options of `packet`; packets come in increasing order. `stream` names the flow direction
  // (flow * 2 + dir): deltas are taken within it. Blocks already encoded never change.
  void append(std::uint32_t packet, std::uint32_t stream, const wire::TcpOptions& options) {
    if (open_count_ == kBlockRecords) [[unlikely]]
      seal_block();
    open_[open_count_++] = Open{packet, stream, options};
    ++size_;
  }
  // The options stored for `packet`, or nothing when it has none.
  std::optional<wire::TcpOptions> find(std::uint32_t packet) const;
  std::size_t size() const { return size_; }
  // Bytes held: encoded records, the block index and the open block.
  std::size_t memory_bytes() const;

  struct Decoded {
    std::uint32_t packet = 0;
    wire::TcpOptions options;
  };

 private:
  struct Open {
    std::uint32_t packet = 0;
    std::uint32_t stream = 0;
    wire::TcpOptions options;
  };
  void seal_block();
  const Decoded* decoded_block(std::size_t block) const;  // kBlockRecords entries
  void decode_block(std::size_t block, Decoded* out) const;
  void swap(OptionTable& other) noexcept;

  MappedColumn<std::uint8_t> bytes_;          // encoded records of the sealed blocks
  MappedColumn<std::uint32_t> block_first_;   // first packet of each sealed block
  MappedColumn<std::uint64_t> block_offset_;  // where each sealed block starts in bytes_
  std::array<Open, kBlockRecords> open_{};    // the block being filled, not encoded yet
  std::size_t open_count_ = 0;
  std::size_t size_ = 0;
  std::uint64_t uid_ = 0;  // names this table's contents for the decoded-block cache
};

}  // namespace wirestep
