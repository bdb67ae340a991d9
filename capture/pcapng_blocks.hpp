// pcapng's block structure in one place (draft-ietf-opsawg-pcapng §3.1, §4, Appendix A): every block is a
// type, a total length, a body and the total length again; a Section Header Block's byte-order magic says in
// which byte order the numbers of its section are written. The frame reader (pcapng_reader.cpp), the frame
// re-reader (frame_bytes.cpp), the loader's format check (capture_reader.cpp) and the writer
// (pcapng_export.cpp) take the constants and the block reader from here.
//
// Blocks come from files that may be damaged or crafted: read_block checks every length before it reads,
// and trusts a block only when its total length is at least 12, a multiple of 4, inside the file and equal
// to the copy at its end. It reads a header, not a body; the body readers below (section version, interface
// description and its options, a packet block's interface and timestamp) check each field against the block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
// Interface Description Block: type, length, link type (2), reserved (2), snaplen, then options (§4.2).
inline constexpr std::uint64_t kIdbOptionsStart = 16;
// Section Header Block: type, length, magic, major and minor version, section length (8) (§4.1).
inline constexpr std::uint32_t kShbMinLen = 28;

// Options (§3.5): code and length (2 bytes each), the value padded to 32 bits; code 0 ends the list.
inline constexpr std::uint16_t kOptEndOfOpt = 0;
inline constexpr std::uint16_t kOptIfName = 2;       // §4.2: UTF-8 name of the capturing interface
inline constexpr std::uint16_t kOptIfTsresol = 9;    // §4.2: 1 byte, 10^-v or (top bit set) 2^-v seconds
inline constexpr std::uint16_t kOptIfTsoffset = 14;  // §4.2: 8 bytes, seconds added to every timestamp

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

// A Section Header Block's major version (§4.1: readers refuse any other than 1); nullopt when the block is
// shorter than its fixed fields.
std::optional<std::uint16_t> section_major_version(ByteSource& src, const Block& block);

// What an Interface Description Block says (§4.2). `link_type` is the LINKTYPE_ value as written.
struct InterfaceDescription {
  std::uint16_t link_type = 0;
  std::uint32_t snaplen = 0;  // 0: no limit
  std::string name;           // if_name, empty without one
  std::uint8_t tsresol = 6;   // if_tsresol; the default is microseconds
  std::int64_t tsoffset_s = 0;
};
// nullopt when the block is too short for its fixed fields; options that run past the block are ignored
// from there on (the fixed fields are what a frame needs).
std::optional<InterfaceDescription> interface_description(ByteSource& src, const Block& block);

// The interface a packet block was captured on and its raw timestamp: an Enhanced Packet Block's 32-bit
// interface id, an obsolete Packet Block's 16-bit one; a Simple Packet Block has neither (interface 0, no
// time). nullopt when the block is too short.
struct PacketStamp {
  std::uint32_t interface = 0;
  std::optional<std::uint64_t> ticks;  // in units of the interface's if_tsresol
};
std::optional<PacketStamp> packet_stamp(ByteSource& src, const Block& block);

// Timestamp ticks to ns since the epoch, with the interface's if_tsresol and if_tsoffset; saturates instead
// of overflowing (crafted files).
std::int64_t timestamp_ns(std::uint64_t ticks, std::uint8_t tsresol, std::int64_t tsoffset_s);

}  // namespace wirestep::pcapng
