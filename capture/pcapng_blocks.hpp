// pcapng's block structure in one place (draft-ietf-opsawg-pcapng §3.1, §4, Appendix A): every block is a
// type, a total length, a body and the total length again; a Section Header Block's byte-order magic says in
// which byte order the numbers of its section are written. The file walker (frame_offsets.cpp), the frame
// re-reader (frame_bytes.cpp), the loader's format check (capture_reader.cpp) and the writer
// (pcapng_export.cpp) take the constants and the block reader from here.
//
// Blocks come from files that may be damaged or crafted: read_block checks every length before it reads,
// and trusts a block only when its total length is at least 12, a multiple of 4, inside the file and equal
// to the copy at its end. It reads a header, not a body: options and packet data are the caller's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "sim/core/result.hpp"

namespace wirestep::pcapng {

// Block types (§4, Appendix A).
inline constexpr std::uint32_t kSectionHeaderBlock = 0x0A0D0D0A;  // §4.1; also the file's magic number
inline constexpr std::uint32_t kInterfaceDescriptionBlock = 1;    // §4.2
inline constexpr std::uint32_t kObsoletePacketBlock = 2;          // Appendix A
inline constexpr std::uint32_t kSimplePacketBlock = 3;            // §4.4
inline constexpr std::uint32_t kEnhancedPacketBlock = 6;          // §4.3
// §4.1: the Section Header Block's first body field, as read in the section's own byte order.
inline constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;

// Type, total length and the trailing copy of the length: what every block has besides its body (§3.1).
inline constexpr std::uint32_t kBlockOverhead = 12;
// Enhanced (and obsolete) Packet Block: type, length, interface, timestamp (2 x 4), captured length,
// original length, then the packet data (§4.3).
inline constexpr std::uint64_t kEpbDataStart = 28;
// Simple Packet Block: type, length, original length, then the packet data (§4.4).
inline constexpr std::uint64_t kSpbDataStart = 12;

// Random access to the bytes of a file (or of memory, in tests).
class ByteSource {
 public:
  virtual std::uint64_t size() const = 0;
  // Copies [at, at + n) to `out`; false when any of it lies past the end or cannot be read.
  virtual bool read(std::uint64_t at, std::uint8_t* out, std::size_t n) = 0;
  // A 32-bit number at `at` in the given byte order; nullopt past the end.
  std::optional<std::uint32_t> u32(std::uint64_t at, bool big_endian);

 protected:
  ~ByteSource() = default;
};

struct Block {
  std::uint64_t start = 0;  // offset of its type field
  std::uint32_t type = 0;
  std::uint32_t total_len = 0;  // from its type to its trailing length: at least 12, a multiple of 4
  bool big_endian = false;  // the byte order of its numbers (a Section Header Block's own, from its magic)

  std::uint64_t body_start() const { return start + 8; }
  std::uint64_t body_len() const { return total_len - kBlockOverhead; }
  std::uint64_t end() const { return start + total_len; }  // where the next block starts
};

// The block starting at `start`, read in the byte order of its section; a Section Header Block is read in
// the byte order its magic gives. Errors name `file`, the block's offset and what is wrong with it.
Result<Block> read_block(ByteSource& src, const std::string& file, std::uint64_t start, bool big_endian);

// Enhanced, Simple and obsolete Packet Blocks hold a frame; every other block is skipped by frame readers.
bool is_packet_block(std::uint32_t type);

struct PacketData {
  std::uint64_t offset = 0;        // the frame's first byte
  std::uint32_t captured_len = 0;  // as the block's header says (an EPB's is not checked against the block)
  std::uint32_t wire_len = 0;
};
// Where the frame of a packet block lies; nullopt when the block is too short for its fixed fields. A Simple
// Packet Block has no captured length: its data fills the block, up to the original length (§4.4).
std::optional<PacketData> packet_data(ByteSource& src, const Block& block);

}  // namespace wirestep::pcapng
