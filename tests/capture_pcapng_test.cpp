// pcapng structure the corpus barely covers: Simple Packet Blocks, blocks libpcap skips, a second section,
// big-endian files. Frames load, and every stored offset re-reads the frame's bytes.
#include <gtest/gtest.h>

#include <fstream>

#include "capture/capture_reader.hpp"
#include "capture/frame_bytes.hpp"
#include "capture_test_support.hpp"

namespace wirestep {
namespace {

using namespace capture_test;

// Builds pcapng blocks (draft-ietf-opsawg-pcapng §4) in one byte order.
class PcapngBuilder {
 public:
  explicit PcapngBuilder(bool big_endian) : big_(big_endian) {}
  PcapngBuilder& section() {
    std::vector<std::uint8_t> body;
    u32(body, 0x1A2B3C4D);
    u16(body, 1);
    u16(body, 0);
    u32(body, 0xFFFFFFFF);  // section length -1: not given
    u32(body, 0xFFFFFFFF);
    return block(0x0A0D0D0A, body);
  }
  PcapngBuilder& interface(std::uint16_t link_type) {
    std::vector<std::uint8_t> body;
    u16(body, link_type);
    u16(body, 0);
    u32(body, 65535);
    return block(1, body);
  }
  PcapngBuilder& enhanced(const std::vector<std::uint8_t>& frame, std::uint32_t ts_low) {
    std::vector<std::uint8_t> body;
    u32(body, 0);  // interface 0
    u32(body, 0);
    u32(body, ts_low);
    u32(body, static_cast<std::uint32_t>(frame.size()));
    u32(body, static_cast<std::uint32_t>(frame.size()));
    body.insert(body.end(), frame.begin(), frame.end());
    return block(6, body);
  }
  PcapngBuilder& simple(const std::vector<std::uint8_t>& frame) {
    std::vector<std::uint8_t> body;
    u32(body, static_cast<std::uint32_t>(frame.size()));
    body.insert(body.end(), frame.begin(), frame.end());
    return block(3, body);
  }
  PcapngBuilder& custom() { return block(0x00000BAD, {1, 2, 3, 4}); }
  void write(const std::string& path) const {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes_.data()), static_cast<std::streamsize>(bytes_.size()));
  }

 private:
  PcapngBuilder& block(std::uint32_t type, std::vector<std::uint8_t> body) {
    while (body.size() % 4) body.push_back(0);
    const auto len = static_cast<std::uint32_t>(12 + body.size());
    u32(bytes_, type);
    u32(bytes_, len);
    bytes_.insert(bytes_.end(), body.begin(), body.end());
    u32(bytes_, len);
    return *this;
  }
  void u16(std::vector<std::uint8_t>& out, std::uint16_t v) const {
    if (big_) {
      out.push_back(static_cast<std::uint8_t>(v >> 8));
      out.push_back(static_cast<std::uint8_t>(v));
    } else {
      out.push_back(static_cast<std::uint8_t>(v));
      out.push_back(static_cast<std::uint8_t>(v >> 8));
    }
  }
  void u32(std::vector<std::uint8_t>& out, std::uint32_t v) const {
    if (big_) {
      u16(out, static_cast<std::uint16_t>(v >> 16));
      u16(out, static_cast<std::uint16_t>(v));
    } else {
      u16(out, static_cast<std::uint16_t>(v));
      u16(out, static_cast<std::uint16_t>(v >> 16));
    }
  }
  bool big_;
  std::vector<std::uint8_t> bytes_;
};

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

TEST(CapturePcapng, ASectionInTheOtherByteOrderStopsLibpcapButKeepsWhatWasRead) {
  // libpcap 1.10 does not follow a byte-order change between sections (tcpdump stops there too).
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
  ASSERT_GE(cap->info.frames, 1u);
  std::vector<std::vector<std::uint8_t>> written = {kFrames[0], kFrames[2]};
  written.resize(cap->info.frames);
  expect_offsets_reread(path, *cap, written);
}

}  // namespace
}  // namespace wirestep
