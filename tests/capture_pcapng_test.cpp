// pcapng structure the corpus barely covers: Simple Packet Blocks, blocks libpcap skips, a second section,
// big-endian files. Frames load, and every stored offset re-reads the frame's bytes.
#include <gtest/gtest.h>

#include <fstream>

#include "capture/capture_reader.hpp"
#include "capture/frame_bytes.hpp"
#include "capture_test_support.hpp"
#include "pcapng_builder.hpp"

namespace wirestep {
namespace capture_pcapng_test {

using namespace capture_test;

// Every frame's stored offset re-reads exactly the frame that was written.
void expect_offsets_reread(const std::string& path, const LoadedCapture& cap,
                           const std::vector<std::vector<std::uint8_t>>& frames) {
  ASSERT_EQ(cap.trace.packet_count(), frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    auto f = read_frame_bytes(path, cap.trace.packet(i).payload_ref);
    ASSERT_TRUE(f) << "frame " << i + 1 << ": " << f.error().message();
    EXPECT_EQ(f->bytes, frames[i]) << "frame " << i + 1;
    EXPECT_EQ(f->wire_len, frames[i].size());
  }
}

const std::vector<std::vector<std::uint8_t>> kFrames = {
    ethernet(ipv4_tcp("10.0.0.1", 1000, "10.0.0.2", 80, 1, 1, wire::tcp_flag::kAck, 1000, 5)),
    ethernet(ipv4_tcp("10.0.0.1", 1000, "10.0.0.2", 80, 6, 1, wire::tcp_flag::kAck, 1000, 6)),
    ethernet(ipv4_udp("10.0.0.2", 53, "10.0.0.1", 5353, 3)),
};

TEST(CapturePcapng, SimpleBlocksSkippedBlocksAndASecondSectionKeepExactOffsets) {
  testing::TempDir dir;
  const std::string path = dir.file("mixed.pcapng");
  PcapngBuilder(false)
      .section()
      .interface(1)
      .enhanced(kFrames[0], 1000)
      .custom()
      .simple(kFrames[1])
      .section()
      .interface(1)
      .custom()
      .enhanced(kFrames[2], 3000)
      .write(path);
  auto cap = load_capture(path);
  ASSERT_TRUE(cap) << cap.error().message();
  EXPECT_EQ(cap->info.format, CaptureFormat::Pcapng);
  EXPECT_TRUE(cap->info.read_error.empty()) << cap->info.read_error;
  expect_offsets_reread(path, *cap, kFrames);
}

TEST(CapturePcapng, BigEndianFileReadsAndReReads) {
  testing::TempDir dir;
  const std::string path = dir.file("big.pcapng");
  PcapngBuilder(true)
      .section()
      .interface(1)
      .enhanced(kFrames[0], 1)
      .simple(kFrames[1])
      .enhanced(kFrames[2], 3)
      .write(path);
  auto cap = load_capture(path);
  ASSERT_TRUE(cap) << cap.error().message();
  expect_offsets_reread(path, *cap, kFrames);
  EXPECT_EQ(cap->trace.flows().size(), 2u);
}

TEST(CapturePcapng, ASectionInTheOtherByteOrderIsReadInItsOwnByteOrder) {
  // draft-ietf-opsawg-pcapng §4.1: each section has its own byte order, so a little-endian section followed
  // by a big-endian one loads both frames (libpcap 1.10 and tcpdump stop at the change; Wireshark does not).
  testing::TempDir dir;
  const std::string path = dir.file("flip.pcapng");
  PcapngBuilder little(false);
  little.section().interface(1).enhanced(kFrames[0], 1).write(path);
  std::vector<std::uint8_t> bytes = testing::read_bytes(path);
  const std::string second = dir.file("second.pcapng");
  PcapngBuilder(true).section().interface(1).enhanced(kFrames[2], 2).write(second);
  const auto tail = testing::read_bytes(second);
  bytes.insert(bytes.end(), tail.begin(), tail.end());
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  auto cap = load_capture(path);
  ASSERT_TRUE(cap) << cap.error().message();
  EXPECT_TRUE(cap->info.read_error.empty()) << cap->info.read_error;
  EXPECT_EQ(cap->info.frames, 2u);
  // A new section starts a new interface list; interfaces are numbered across the file.
  EXPECT_EQ(cap->info.interfaces.size(), 2u);
  expect_offsets_reread(path, *cap, {kFrames[0], kFrames[2]});
}

TEST(CapturePcapng, ABlockWhoseTrailingLengthLiesStopsLoadingButKeepsWhatWasRead) {
  // The reader refuses the block; the frames before it keep offsets that re-read them.
  testing::TempDir dir;
  const std::string path = dir.file("lie.pcapng");
  PcapngBuilder(false)
      .section()
      .interface(1)
      .enhanced(kFrames[0], 1)
      .block(0xBAD, {1, 2, 3, 4}, std::nullopt, 20)
      .enhanced(kFrames[1], 2)
      .write(path);
  auto cap = load_capture(path);
  ASSERT_TRUE(cap) << cap.error().message();
  EXPECT_FALSE(cap->info.read_error.empty());
  expect_offsets_reread(path, *cap, {kFrames[0]});
}

}  // namespace capture_pcapng_test
}  // namespace wirestep
