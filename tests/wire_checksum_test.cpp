// The Internet checksum (RFC 1071) as used by IPv4, UDP and TCP: exact values, odd lengths, chunking.
#include "sim/wire/checksum.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tests/wire_corpus_frames.hpp"

namespace wirestep::wire {
namespace wire_checksum_test {

using Buf = std::vector<std::uint8_t>;

// RFC 1071 §3: the worked example 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, so the checksum is its complement.
TEST(WireChecksum, RfcWorkedExampleGivesComplementOfSum) {
  const Buf data{0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7};
  EXPECT_EQ(internet_checksum(data), 0x220D);
}

// RFC 1071 §1: an empty sum is zero, so its complement is all ones.
TEST(WireChecksum, EmptyInputGivesAllOnes) {
  EXPECT_EQ(internet_checksum(Bytes{}), 0xFFFF);
}

// RFC 1071 §4.1: an odd trailing byte is padded with a zero byte on the right.
TEST(WireChecksum, OddTrailingByteIsPaddedOnTheRight) {
  EXPECT_EQ(internet_checksum(Buf{0xAB}), 0x54FF);  // ~0xAB00
  EXPECT_EQ(internet_checksum(Buf{0x12, 0x34, 0x56}), static_cast<std::uint16_t>(~(0x1234 + 0x5600)));
}

// RFC 1071 §1 (end-around carry): 0xFFFF + 0x0001 folds to 0x0001, not 0x0000.
TEST(WireChecksum, CarryWrapsAroundIntoLowBits) {
  EXPECT_EQ(internet_checksum(Buf{0xFF, 0xFF, 0x00, 0x01}), 0xFFFE);
  EXPECT_EQ(internet_checksum(Buf{0xFF, 0xFF}), 0x0000);
}

// RFC 1071 §2(D): carries are deferred in a wide sum and folded at the end; a megabyte does not overflow.
TEST(WireChecksum, LargeInputDoesNotOverflow) {
  const Buf ones(1 << 20, 0xFF);
  EXPECT_EQ(internet_checksum(ones), 0x0000);
  const Buf mixed(1 << 20, 0x01);  // 2^19 words of 0x0101: 0x0101 * 2^19 mod 0xFFFF == 0x0101 * 8
  EXPECT_EQ(internet_checksum(mixed), static_cast<std::uint16_t>(~0x0808));
}

// RFC 791 §3.1: a well-known IPv4 header (checksum b861); re-summing with the checksum in place gives 0.
TEST(WireChecksum, Ipv4HeaderVerifiesToZero) {
  Buf header{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
             0x00, 0x00, 0xC0, 0xA8, 0x00, 0x01, 0xC0, 0xA8, 0x00, 0xC7};
  EXPECT_EQ(internet_checksum(header), 0xB861);
  header[10] = 0xB8;
  header[11] = 0x61;
  EXPECT_EQ(internet_checksum(header), 0x0000);
}

// RFC 1071 §2(A): the sum is associative, so it can be built from pieces, including odd-length ones.
TEST(WireChecksum, EverySplitPointMatchesOneShot) {
  test::XorShift64 rng(1071);
  for (std::size_t len = 0; len <= 33; ++len) {
    Buf data(len);
    for (auto& b : data) b = rng.byte();
    const std::uint16_t expected = internet_checksum(data);
    for (std::size_t a = 0; a <= len; ++a) {
      for (std::size_t b = a; b <= len; ++b) {
        SCOPED_TRACE("len " + std::to_string(len) + " split " + std::to_string(a) + "," + std::to_string(b));
        ChecksumAccumulator acc;
        acc.add(Bytes(data).subspan(0, a));
        acc.add(Bytes(data).subspan(a, b - a));
        acc.add(Bytes(data).subspan(b));
        EXPECT_EQ(acc.finish(), expected);
      }
    }
  }
}

// RFC 1071 §2(A): adding an empty chunk while a byte is pending keeps the pending byte's position.
TEST(WireChecksum, EmptyChunkKeepsPendingOddByte) {
  ChecksumAccumulator acc;
  acc.add(Buf{0x12});
  acc.add(Bytes{});
  acc.add(Buf{0x34});
  EXPECT_EQ(acc.finish(), static_cast<std::uint16_t>(~0x1234));
}

// RFC 1071 §2(B): the sum is byte-order independent: swapping every pair swaps the checksum.
TEST(WireChecksum, ByteSwappedInputGivesByteSwappedChecksum) {
  for (std::uint64_t seed = 1; seed <= 64; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    test::XorShift64 rng(seed);
    Buf data(2 * (1 + rng.below(40)));
    for (auto& b : data) b = rng.byte();
    Buf swapped = data;
    for (std::size_t i = 0; i + 1 < swapped.size(); i += 2) std::swap(swapped[i], swapped[i + 1]);
    const std::uint16_t c = internet_checksum(data);
    EXPECT_EQ(internet_checksum(swapped), static_cast<std::uint16_t>((c >> 8) | (c << 8)));
  }
}

// RFC 1071 §1: add_be16/add_be32 are the same as adding those bytes big-endian.
TEST(WireChecksum, WordAddersMatchByteAdder) {
  ChecksumAccumulator words;
  words.add_be32(0xC0A80001);
  words.add_be16(0x0011);
  words.add_be32(0x0001FFFF);
  EXPECT_EQ(words.finish(),
            internet_checksum(Buf{0xC0, 0xA8, 0x00, 0x01, 0x00, 0x11, 0x00, 0x01, 0xFF, 0xFF}));
}

// RFC 1071 §1: one changed byte shifts the sum by a non-multiple of 0xFFFF, so it is always detected.
TEST(WireChecksum, AnySingleByteChangeIsDetected) {
  Buf data{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40,
           0x11, 0xB8, 0x61, 0xC0, 0xA8, 0x00, 0x01, 0xC0};
  const std::uint16_t base = internet_checksum(data);
  for (std::size_t i = 0; i < data.size(); ++i) {
    for (int v = 0; v < 256; ++v) {
      if (v == data[i]) continue;
      Buf changed = data;
      changed[i] = static_cast<std::uint8_t>(v);
      ASSERT_NE(internet_checksum(changed), base) << "byte " << i << " value " << v;
    }
  }
}

}  // namespace wire_checksum_test
}  // namespace wirestep::wire
