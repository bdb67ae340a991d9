#include "capture/pcapng_blocks.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace wirestep::pcapng {
namespace {

Error at(const std::string& file, std::uint64_t offset, std::string reason) {
  return Error{file, "offset " + std::to_string(offset), std::move(reason)};
}

std::string hex32(std::uint32_t v) {
  char buf[11];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

std::uint32_t load_u32(const std::uint8_t* p, bool big_endian) {
  return big_endian
             ? (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3]
             : (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
}

}  // namespace

std::optional<std::uint32_t> ByteSource::u32(std::uint64_t at, bool big_endian) {
  std::array<std::uint8_t, 4> b{};
  if (!read(at, b.data(), b.size())) return std::nullopt;
  return load_u32(b.data(), big_endian);
}

Result<Block> read_block(ByteSource& src, const std::string& file, std::uint64_t start, bool big_endian) {
  const std::uint64_t left = start < src.size() ? src.size() - start : 0;
  // Type, total length, and the word after them (a Section Header Block's byte-order magic): always there
  // in a block of at least 12 bytes.
  std::array<std::uint8_t, kBlockOverhead> head{};
  if (left < head.size())
    return at(file, start, "the file ends inside a block header (" + std::to_string(left) + " bytes left)");
  if (!src.read(start, head.data(), head.size())) return at(file, start, "cannot read the block header");
  Block b;
  b.start = start;
  b.big_endian = big_endian;
  // 0x0A0D0D0A reads the same in both byte orders, so a Section Header Block is recognised before its
  // order is known (§4.1); any other type is read in the order of its section.
  b.type = load_u32(head.data(), big_endian);
  if (b.type == kSectionHeaderBlock) {
    const std::uint32_t magic = load_u32(head.data() + 8, true);
    if (magic == kByteOrderMagic)
      b.big_endian = true;
    else if (magic == __builtin_bswap32(kByteOrderMagic))
      b.big_endian = false;
    else
      return at(file, start,
                "section header byte-order magic " + hex32(magic) + " is not " + hex32(kByteOrderMagic) +
                    " in either byte order");
  }
  b.total_len = load_u32(head.data() + 4, b.big_endian);
  const auto bad_length = [&](const std::string& why) {
    return at(file, start, "block total length " + std::to_string(b.total_len) + " " + why);
  };
  if (b.total_len < kBlockOverhead) return bad_length("is below the minimum of 12");
  if (b.total_len % 4 != 0) return bad_length("is not a multiple of 4");
  if (b.total_len > left)
    return bad_length("runs past the end of the file (" + std::to_string(left) + " bytes left)");
  const std::optional<std::uint32_t> trailer = src.u32(b.end() - 4, b.big_endian);
  if (!trailer) return at(file, start, "cannot read the block's trailing length");
  if (*trailer != b.total_len)
    return bad_length("disagrees with its trailing copy " + std::to_string(*trailer));
  return b;
}

bool is_packet_block(std::uint32_t type) {
  return type == kEnhancedPacketBlock || type == kSimplePacketBlock || type == kObsoletePacketBlock;
}

std::optional<PacketData> packet_data(ByteSource& src, const Block& block) {
  const std::uint64_t start = block.start;
  const bool big = block.big_endian;
  if (block.type == kSimplePacketBlock) {
    if (block.total_len < kSpbDataStart + 4) return std::nullopt;  // the fixed fields and the trailing length
    const std::optional<std::uint32_t> wire_len = src.u32(start + 8, big);
    if (!wire_len) return std::nullopt;
    const auto room = static_cast<std::uint32_t>(block.total_len - kSpbDataStart - 4);
    return PacketData{start + kSpbDataStart, std::min(*wire_len, room), *wire_len};
  }
  if (block.type != kEnhancedPacketBlock && block.type != kObsoletePacketBlock) return std::nullopt;
  if (block.total_len < kEpbDataStart + 4) return std::nullopt;
  // The two lengths are the last fixed fields before the data.
  const std::optional<std::uint32_t> captured_len = src.u32(start + kEpbDataStart - 8, big);
  const std::optional<std::uint32_t> wire_len = src.u32(start + kEpbDataStart - 4, big);
  if (!captured_len || !wire_len) return std::nullopt;
  return PacketData{start + kEpbDataStart, *captured_len, *wire_len};
}

}  // namespace wirestep::pcapng
