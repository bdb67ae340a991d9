// pcapng::read_block and packet_data on bytes built here: good blocks in both byte orders, and blocks that
// are cut short or lie about their length, each refused with the file, the offset and the reason.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <vector>

#include "capture/pcapng_blocks.hpp"
#include "pcapng_builder.hpp"

namespace wirestep {
namespace capture_pcapng_blocks_test {

using pcapng::Block;
using pcapng::read_block;

// The bytes of a built file, read the way the loader reads a file.
class MemorySource : public pcapng::ByteSource {
 public:
  explicit MemorySource(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}
  std::uint64_t size() const override { return bytes_.size(); }
  bool read(std::uint64_t at, std::uint8_t* out, std::size_t n) override {
    if (at > bytes_.size() || n > bytes_.size() - at) return false;
    std::memcpy(out, bytes_.data() + at, n);
    return true;
  }

 private:
  std::vector<std::uint8_t> bytes_;
};

const std::vector<std::uint8_t> kFrame = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};  // 13: padding follows

// Every block of `src` in order, as a walker reads them: each Section Header Block sets the byte order.
std::vector<Block> walk(MemorySource& src) {
  std::vector<Block> blocks;
  std::uint64_t at = 0;
  bool big = false;
  while (at < src.size()) {
    auto b = read_block(src, "t.pcapng", at, big);
    EXPECT_TRUE(b) << b.error().message();
    if (!b) break;
    blocks.push_back(*b);
    big = b->big_endian;
    at = b->end();
  }
  return blocks;
}

std::string error_of(std::vector<std::uint8_t> bytes, std::uint64_t at = 0, bool big = false) {
  MemorySource src(std::move(bytes));
  auto b = read_block(src, "t.pcapng", at, big);
  return b ? "no error" : b.error().message();
}

TEST(PcapngBlocks, LittleEndianSectionWalksEveryBlockToTheEnd) {
  // Section, interface, enhanced, simple and custom blocks: types, lengths and byte order as written.
  PcapngBuilder file(false);
  file.section().interface(1).enhanced(kFrame, 7).simple(kFrame).custom();
  MemorySource src(file.bytes());
  const std::vector<Block> blocks = walk(src);
  ASSERT_EQ(blocks.size(), 5u);
  EXPECT_EQ(blocks[0].type, 0x0A0D0D0Au);
  EXPECT_EQ(blocks[1].type, 1u);
  EXPECT_EQ(blocks[2].type, 6u);
  EXPECT_EQ(blocks[3].type, 3u);
  EXPECT_EQ(blocks[4].type, 0xBADu);
  EXPECT_EQ(blocks[0].total_len, 28u);
  EXPECT_EQ(blocks[2].total_len, 32u + 16u);  // 13 bytes of frame padded to 16
  EXPECT_EQ(blocks[2].body_start(), blocks[2].start + 8);
  EXPECT_EQ(blocks[2].body_len(), 36u);
  EXPECT_EQ(blocks[4].end(), file.bytes().size());
  for (const Block& b : blocks) EXPECT_FALSE(b.big_endian);
}

TEST(PcapngBlocks, BigEndianSectionIsReadInItsOwnOrder) {
  // The walker starts out assuming little-endian; the Section Header Block's magic corrects it.
  PcapngBuilder file(true);
  file.section().interface(1).enhanced(kFrame, 7);
  MemorySource src(file.bytes());
  const std::vector<Block> blocks = walk(src);
  ASSERT_EQ(blocks.size(), 3u);
  for (const Block& b : blocks) EXPECT_TRUE(b.big_endian);
  EXPECT_EQ(blocks[1].type, 1u);
  EXPECT_EQ(blocks[1].total_len, 20u);
  EXPECT_EQ(blocks[2].total_len, 48u);
}

TEST(PcapngBlocks, ASecondSectionChangesTheByteOrder) {
  // A file is a sequence of sections, each with its own byte order (§3.1).
  PcapngBuilder little(false), big(true);
  little.section().interface(1);
  big.section().interface(1);
  std::vector<std::uint8_t> bytes = little.bytes();
  bytes.insert(bytes.end(), big.bytes().begin(), big.bytes().end());
  MemorySource src(bytes);
  const std::vector<Block> blocks = walk(src);
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_FALSE(blocks[1].big_endian);
  EXPECT_TRUE(blocks[2].big_endian);
  EXPECT_EQ(blocks[3].type, 1u);
  EXPECT_EQ(blocks[3].total_len, 20u);
}

TEST(PcapngBlocks, PacketDataOfEnhancedAndSimpleBlocks) {
  // The frame's offset and lengths; a Simple Packet Block's data stops at its original length, not at the
  // padding that fills the block.
  PcapngBuilder file(false);
  file.section().interface(1).enhanced(kFrame, 7).simple(kFrame).custom();
  MemorySource src(file.bytes());
  const std::vector<Block> blocks = walk(src);
  ASSERT_EQ(blocks.size(), 5u);
  const auto epb = pcapng::packet_data(src, blocks[2]);
  ASSERT_TRUE(epb);
  EXPECT_EQ(epb->offset, blocks[2].start + 28);
  EXPECT_EQ(epb->captured_len, 13u);
  EXPECT_EQ(epb->wire_len, 13u);
  const auto spb = pcapng::packet_data(src, blocks[3]);
  ASSERT_TRUE(spb);
  EXPECT_EQ(spb->offset, blocks[3].start + 12);
  EXPECT_EQ(spb->captured_len, 13u);
  EXPECT_EQ(spb->wire_len, 13u);
  EXPECT_TRUE(pcapng::is_packet_block(blocks[2].type));
  EXPECT_FALSE(pcapng::is_packet_block(blocks[4].type));
  EXPECT_FALSE(pcapng::packet_data(src, blocks[4]));
}

TEST(PcapngBlocks, SimpleBlockLongerOnTheWireThanItHoldsIsCutToTheBlock) {
  // Original length 1500, 4 bytes of data: the snapshot length cut it; only the 4 bytes are the frame's.
  PcapngBuilder file(false);
  file.section().block(3, {0xDC, 0x05, 0, 0, 9, 9, 9, 9});
  MemorySource src(file.bytes());
  const std::vector<Block> blocks = walk(src);
  ASSERT_EQ(blocks.size(), 2u);
  const auto spb = pcapng::packet_data(src, blocks[1]);
  ASSERT_TRUE(spb);
  EXPECT_EQ(spb->captured_len, 4u);
  EXPECT_EQ(spb->wire_len, 1500u);
}

TEST(PcapngBlocks, EnhancedBlockTooShortForItsFieldsHasNoPacketData) {
  // 16 bytes of body cannot hold interface, timestamp and both lengths (20 bytes).
  PcapngBuilder file(false);
  file.section().block(6, std::vector<std::uint8_t>(16, 0));
  MemorySource src(file.bytes());
  const std::vector<Block> blocks = walk(src);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_FALSE(pcapng::packet_data(src, blocks[1]));
}

TEST(PcapngBlocks, FileEndingInsideAHeaderIsRefused) {
  PcapngBuilder file(false);
  file.section();
  std::vector<std::uint8_t> bytes = file.bytes();
  bytes.insert(bytes.end(), {6, 0, 0, 0, 32, 0, 0, 0});  // type and length, then nothing
  EXPECT_EQ(error_of(bytes, 28), "t.pcapng: offset 28: the file ends inside a block header (8 bytes left)");
  EXPECT_EQ(error_of({}, 0), "t.pcapng: offset 0: the file ends inside a block header (0 bytes left)");
  EXPECT_EQ(error_of(bytes, 1000),
            "t.pcapng: offset 1000: the file ends inside a block header (0 bytes left)");
}

TEST(PcapngBlocks, BlockCutShortByTheEndOfTheFileIsRefused) {
  PcapngBuilder file(false);
  file.section().enhanced(kFrame, 7);
  std::vector<std::uint8_t> bytes = file.bytes();
  bytes.erase(bytes.end() - 4, bytes.end());  // the trailing length is missing
  EXPECT_EQ(error_of(bytes, 28),
            "t.pcapng: offset 28: block total length 48 runs past the end of the file (44 bytes left)");
}

TEST(PcapngBlocks, TrailingLengthThatDisagreesIsRefused) {
  PcapngBuilder file(false);
  file.section().block(1, {1, 0, 0, 0, 0xFF, 0xFF, 0, 0}, std::nullopt, 24);
  EXPECT_EQ(error_of(file.bytes(), 28),
            "t.pcapng: offset 28: block total length 20 disagrees with its trailing copy 24");
}

TEST(PcapngBlocks, LengthsThatCannotBeTrueAreRefusedBeforeAnythingIsRead) {
  // Too small to hold the block's own frame, not a multiple of 4, and 4 GiB in a small file (no overflow).
  const auto with_length = [](std::uint32_t total) {
    PcapngBuilder file(false);
    file.section().block(1, {1, 0, 0, 0, 0xFF, 0xFF, 0, 0}, total);
    return file.bytes();
  };
  EXPECT_EQ(error_of(with_length(8), 28),
            "t.pcapng: offset 28: block total length 8 is below the minimum of 12");
  EXPECT_EQ(error_of(with_length(22), 28),
            "t.pcapng: offset 28: block total length 22 is not a multiple of 4");
  EXPECT_EQ(
      error_of(with_length(0xFFFFFFFC), 28),
      "t.pcapng: offset 28: block total length 4294967292 runs past the end of the file (20 bytes left)");
}

TEST(PcapngBlocks, SectionHeaderWithoutAByteOrderMagicIsRefused) {
  PcapngBuilder file(false);
  file.section(0x11223344);
  EXPECT_EQ(error_of(file.bytes()),
            "t.pcapng: offset 0: section header byte-order magic 0x44332211 is not 0x1a2b3c4d in either byte "
            "order");
}

TEST(PcapngBlocks, SectionHeaderByteOrderWinsOverTheCallersGuess) {
  // A reader that guessed wrong still gets the section's own order, in either direction.
  for (bool big : {false, true}) {
    PcapngBuilder file(big);
    file.section();
    MemorySource src(file.bytes());
    for (bool guess : {false, true}) {
      auto b = read_block(src, "t.pcapng", 0, guess);
      ASSERT_TRUE(b) << b.error().message();
      EXPECT_EQ(b->big_endian, big);
      EXPECT_EQ(b->total_len, 28u);
    }
  }
}

TEST(PcapngBlocks, TheWalkOverManySmallBlocksEnds) {
  // 10,000 minimal (12-byte) blocks: every step moves forward by at least 12 bytes.
  PcapngBuilder file(false);
  file.section();
  for (int i = 0; i < 10'000; ++i) file.block(0xBAD, {});
  MemorySource src(file.bytes());
  EXPECT_EQ(walk(src).size(), 10'001u);
}

TEST(PcapngBlocks, InterfaceDescriptionGivesLinkTypeSnaplenAndOptionsInEitherByteOrder) {
  // §4.2: link type, snapshot length, then if_name, if_tsresol and if_tsoffset options.
  for (bool big : {false, true}) {
    SCOPED_TRACE(big ? "big-endian" : "little-endian");
    PcapngBuilder file(big);
    file.section().interface(220, 4096, "usbmon1", std::uint8_t{9}, std::int64_t{-5});
    MemorySource src(file.bytes());
    const std::vector<Block> blocks = walk(src);
    ASSERT_EQ(blocks.size(), 2u);
    const auto d = pcapng::interface_description(src, blocks[1]);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->link_type, 220u);
    EXPECT_EQ(d->snaplen, 4096u);
    EXPECT_EQ(d->name, "usbmon1");
    EXPECT_EQ(d->tsresol, 9u);
    EXPECT_EQ(d->tsoffset_s, -5);
    EXPECT_EQ(pcapng::section_major_version(src, blocks[0]), 1u);
  }
}

TEST(PcapngBlocks, InterfaceOptionRunningPastItsBlockIsIgnored) {
  // An if_name claiming 200 bytes in a 24-byte block: the fixed fields stand, the option is not read.
  PcapngBuilder file(false);
  file.section().block(1, {1, 0, 0, 0, 0xFF, 0xFF, 0, 0, 2, 0, 200, 0, 'e', 't', 'h', '0'});
  MemorySource src(file.bytes());
  const std::vector<Block> blocks = walk(src);
  ASSERT_EQ(blocks.size(), 2u);
  const auto d = pcapng::interface_description(src, blocks[1]);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->link_type, 1u);
  EXPECT_EQ(d->snaplen, 65535u);
  EXPECT_TRUE(d->name.empty());
  EXPECT_EQ(d->tsresol, 6u) << "microseconds without if_tsresol";
}

TEST(PcapngBlocks, PacketStampOfEnhancedObsoleteAndSimpleBlocks) {
  // §4.3: 32-bit interface id and 64-bit timestamp; Appendix A: 16-bit id; §4.4: no id (interface 0).
  PcapngBuilder file(true);
  file.section().interface(1).interface(1).enhanced_on(1, kFrame, 2, 3).obsolete(1, kFrame, 4).simple(kFrame);
  MemorySource src(file.bytes());
  const std::vector<Block> blocks = walk(src);
  ASSERT_EQ(blocks.size(), 6u);
  const auto epb = pcapng::packet_stamp(src, blocks[3]);
  ASSERT_TRUE(epb);
  EXPECT_EQ(epb->interface, 1u);
  EXPECT_EQ(epb->ticks, (std::uint64_t{2} << 32) | 3);
  const auto pb = pcapng::packet_stamp(src, blocks[4]);
  ASSERT_TRUE(pb);
  EXPECT_EQ(pb->interface, 1u);
  EXPECT_EQ(pb->ticks, 4u);
  const auto spb = pcapng::packet_stamp(src, blocks[5]);
  ASSERT_TRUE(spb);
  EXPECT_EQ(spb->interface, 0u);
  EXPECT_FALSE(spb->ticks);
  EXPECT_FALSE(pcapng::packet_stamp(src, blocks[1])) << "an interface block has no stamp";
}

TEST(PcapngBlocks, TimestampUnitsFollowTsresolAndTsoffset) {
  // §4.2: if_tsresol 10^-v seconds, or 2^-v with the top bit set; if_tsoffset seconds are added.
  EXPECT_EQ(pcapng::timestamp_ns(1'500'000, 6, 0), 1'500'000'000);
  EXPECT_EQ(pcapng::timestamp_ns(7, 9, 0), 7);
  EXPECT_EQ(pcapng::timestamp_ns(12'345, 12, 0), 12);
  EXPECT_EQ(pcapng::timestamp_ns(3, 0, 0), 3'000'000'000);
  EXPECT_EQ(pcapng::timestamp_ns(1024 + 256, 0x80 | 10, 0), 1'250'000'000);
  EXPECT_EQ(pcapng::timestamp_ns(1, 6, 100), 100'000'001'000);
  EXPECT_EQ(pcapng::timestamp_ns(0, 6, -1), -1'000'000'000);
  EXPECT_EQ(pcapng::timestamp_ns(~std::uint64_t{0}, 0, 0), std::numeric_limits<std::int64_t>::max())
      << "saturates rather than overflows";
  EXPECT_EQ(pcapng::timestamp_ns(~std::uint64_t{0}, 0x7F, 0), 0);
}

}  // namespace capture_pcapng_blocks_test
}  // namespace wirestep
