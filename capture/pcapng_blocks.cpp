#include "capture/pcapng_blocks.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>

#include "capture/capture_error.hpp"

namespace wirestep::pcapng {
namespace {

Error at(const std::string& file, std::uint64_t offset, std::string reason, std::string reason_zh) {
  return offset_error(file, offset, std::move(reason), std::move(reason_zh));
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
    return at(file, start, "the file ends inside a block header (" + std::to_string(left) + " bytes left)",
              "文件在一个块头中间结束（只剩 " + std::to_string(left) + " 字节）");
  if (!src.read(start, head.data(), head.size()))
    return at(file, start, "cannot read the block header", "无法读取块头");
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
                    " in either byte order",
                "节头的字节序魔数 " + hex32(magic) + " 按哪种字节序读都不是 " + hex32(kByteOrderMagic));
  }
  b.total_len = load_u32(head.data() + 4, b.big_endian);
  const auto bad_length = [&](const std::string& why, const std::string& why_zh) {
    return at(file, start, "block total length " + std::to_string(b.total_len) + " " + why,
              "块总长度 " + std::to_string(b.total_len) + " " + why_zh);
  };
  if (b.total_len < kBlockOverhead) return bad_length("is below the minimum of 12", "小于最小值 12");
  if (b.total_len % 4 != 0) return bad_length("is not a multiple of 4", "不是 4 的倍数");
  if (b.total_len > left)
    return bad_length("runs past the end of the file (" + std::to_string(left) + " bytes left)",
                      "超出了文件末尾（只剩 " + std::to_string(left) + " 字节）");
  const std::optional<std::uint32_t> trailer = src.u32(b.end() - 4, b.big_endian);
  if (!trailer) return at(file, start, "cannot read the block's trailing length", "无法读取块末尾的长度");
  if (*trailer != b.total_len)
    return bad_length("disagrees with its trailing copy " + std::to_string(*trailer),
                      "与块末尾的副本 " + std::to_string(*trailer) + " 不一致");
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

std::optional<std::uint16_t> section_major_version(ByteSource& src, const Block& block) {
  if (block.type != kSectionHeaderBlock || block.total_len < kShbMinLen) return std::nullopt;
  std::array<std::uint8_t, 2> v{};
  if (!src.read(block.start + 12, v.data(), v.size())) return std::nullopt;
  return block.big_endian ? static_cast<std::uint16_t>(v[0] << 8 | v[1])
                          : static_cast<std::uint16_t>(v[1] << 8 | v[0]);
}

std::optional<InterfaceDescription> interface_description(ByteSource& src, const Block& block) {
  if (block.type != kInterfaceDescriptionBlock || block.total_len < kIdbOptionsStart + 4) return std::nullopt;
  const bool big = block.big_endian;
  const std::optional<std::uint32_t> first = src.u32(block.start + 8, big);  // link type, reserved
  const std::optional<std::uint32_t> snaplen = src.u32(block.start + 12, big);
  if (!first || !snaplen) return std::nullopt;
  InterfaceDescription d;
  d.link_type = static_cast<std::uint16_t>(big ? *first >> 16 : *first & 0xFFFF);
  d.snaplen = *snaplen;
  // Options up to the trailing length; each value must fit in what is left of the block.
  const std::uint64_t end = block.end() - 4;
  std::uint64_t at = block.start + kIdbOptionsStart;
  while (at + 4 <= end) {
    const std::optional<std::uint32_t> head = src.u32(at, big);
    if (!head) break;
    const auto code = static_cast<std::uint16_t>(big ? *head >> 16 : *head & 0xFFFF);
    const auto len = static_cast<std::uint16_t>(big ? *head & 0xFFFF : *head >> 16);
    if (code == kOptEndOfOpt || len > end - at - 4) break;
    const std::uint64_t value = at + 4;
    if (code == kOptIfName) {
      d.name.resize(len);
      if (!src.read(value, reinterpret_cast<std::uint8_t*>(d.name.data()), len)) d.name.clear();
      if (const auto nul = d.name.find('\0'); nul != std::string::npos) d.name.resize(nul);
    } else if (code == kOptIfTsresol && len >= 1) {
      std::uint8_t r = 6;
      if (src.read(value, &r, 1)) d.tsresol = r;
    } else if (code == kOptIfTsoffset && len >= 8) {
      const std::optional<std::uint32_t> a = src.u32(value, big), b = src.u32(value + 4, big);
      if (a && b) {
        // A 64-bit number in the section's byte order: the high half comes first only in big-endian.
        const std::uint64_t v = big ? (std::uint64_t{*a} << 32 | *b) : (std::uint64_t{*b} << 32 | *a);
        d.tsoffset_s = static_cast<std::int64_t>(v);
      }
    }
    at = value + (len + 3u) / 4u * 4u;
  }
  return d;
}

std::optional<PacketStamp> packet_stamp(ByteSource& src, const Block& block) {
  const bool big = block.big_endian;
  if (block.type == kSimplePacketBlock) return PacketStamp{};
  if (block.type != kEnhancedPacketBlock && block.type != kObsoletePacketBlock) return std::nullopt;
  if (block.total_len < kEpbDataStart + 4) return std::nullopt;
  const std::optional<std::uint32_t> id = src.u32(block.start + 8, big);
  const std::optional<std::uint32_t> high = src.u32(block.start + 12, big);
  const std::optional<std::uint32_t> low = src.u32(block.start + 16, big);
  if (!id || !high || !low) return std::nullopt;
  PacketStamp s;
  // Appendix A: the obsolete block's interface id is 16 bits, followed by a 16-bit drops count.
  s.interface = block.type == kObsoletePacketBlock ? (big ? *id >> 16 : *id & 0xFFFF) : *id;
  s.ticks = std::uint64_t{*high} << 32 | *low;
  return s;
}

std::int64_t timestamp_ns(std::uint64_t ticks, std::uint8_t tsresol, std::int64_t tsoffset_s) {
  __extension__ typedef __int128 Wide;  // ticks x 10^9 overflows 64 bits
  const std::uint8_t exponent = tsresol & 0x7F;
  Wide ns = 0;
  if (tsresol & 0x80) {
    // 2^-exponent seconds per tick.
    ns = exponent >= 64 ? Wide{0} : (Wide{ticks} * 1'000'000'000) >> exponent;
  } else if (exponent <= 9) {
    Wide scale = 1;
    for (int i = exponent; i < 9; ++i) scale *= 10;
    ns = Wide{ticks} * scale;
  } else {
    Wide scale = 1;
    for (int i = 9; i < exponent && scale <= Wide{std::numeric_limits<std::uint64_t>::max()}; ++i)
      scale *= 10;
    ns = Wide{ticks} / scale;
  }
  ns += Wide{tsoffset_s} * 1'000'000'000;
  constexpr Wide kMax = std::numeric_limits<std::int64_t>::max();
  constexpr Wide kMin = std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(ns > kMax ? kMax : ns < kMin ? kMin : ns);
}

}  // namespace wirestep::pcapng
