// TCP super-packets captured on the sender before segmentation offload split them (TSO/GSO, Linux BIG TCP):
// IPv4 total length 0, the payload running to the end of the frame. Wireshark decodes them (its "TSO"
// case); the loader and Follow stream's frame re-reader recognise them through one decoder
// (capture/tso_packet.hpp).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "capture/capture_reader.hpp"
#include "capture/tso_packet.hpp"
#include "capture_test_support.hpp"
#include "test_support.hpp"
#include "ui/cli/follow_payload.hpp"

namespace wirestep {
namespace capture_tso_test {

using capture_test::ethernet;
using capture_test::ipv4_tcp;

constexpr std::size_t kIpAt = 14;  // after the Ethernet header
constexpr std::size_t kPayloadAt = kIpAt + 20 + 20;
constexpr std::size_t kPayload = 3000;

// An Ethernet frame holding one 3000-byte segment whose IPv4 total length field reads 0; the payload counts
// 0, 1, 2, ... so a misplaced start shows.
std::vector<std::uint8_t> super_packet(std::uint16_t fragment_field = 0) {
  std::vector<std::uint8_t> f =
      ethernet(ipv4_tcp("10.0.0.1", 5000, "10.0.0.2", 443, 1001, 1, wire::tcp_flag::kAck, 64000, kPayload));
  f[kIpAt + 2] = f[kIpAt + 3] = 0;
  f[kIpAt + 6] = static_cast<std::uint8_t>(fragment_field >> 8);
  f[kIpAt + 7] = static_cast<std::uint8_t>(fragment_field);
  for (std::size_t i = 0; i < kPayload; ++i) f[kPayloadAt + i] = static_cast<std::uint8_t>(i);
  return f;
}

std::string write_file(testing::TempDir& dir, const std::vector<std::uint8_t>& frame) {
  const std::string path = dir.file("tso.pcap");
  capture_test::PcapWriter w(path, 1);
  EXPECT_TRUE(w.ok());
  w.add(0, frame);
  w.close();
  return path;
}

TEST(CaptureTso, ASuperPacketLoadsAsOneSegmentWithThePayloadItsFrameHolds) {
  testing::TempDir dir;
  auto cap = load_capture(write_file(dir, super_packet()));
  ASSERT_TRUE(cap) << cap.error().message();
  ASSERT_EQ(cap->trace.packet_count(), 1u);
  EXPECT_EQ(cap->info.malformed_frames, 0u);
  EXPECT_EQ(cap->trace.payload_len(0), kPayload);
  EXPECT_EQ(cap->trace.seq(0), 1001u);
}

TEST(CaptureTso, FollowStreamReReadsASuperPacketsPayloadFromTheFile) {
  testing::TempDir dir;
  const std::string path = write_file(dir, super_packet());
  auto cap = load_capture(path);
  ASSERT_TRUE(cap) << cap.error().message();
  const PayloadSource source = captured_payload_source(cap->trace, path, capture_link_candidates(true));
  std::vector<std::uint8_t> out;
  const Status s = source(0, out);
  ASSERT_TRUE(s) << s.error().message();
  ASSERT_EQ(out.size(), kPayload);
  for (std::size_t i = 0; i < kPayload; ++i) ASSERT_EQ(out[i], static_cast<std::uint8_t>(i)) << "byte " << i;
}

TEST(CaptureTso, AFragmentWithTotalLengthZeroIsNotASuperPacket) {
  // RFC 791 §3.1: a fragment's payload is not a whole TCP segment, so it cannot be one sent before TSO.
  const std::vector<std::uint8_t> more_fragments = super_packet(0x2000);
  EXPECT_FALSE(decode_ipv4_tso(more_fragments, kIpAt, static_cast<std::uint32_t>(more_fragments.size())));
  const std::vector<std::uint8_t> whole = super_packet();
  const auto d = decode_ipv4_tso(whole, kIpAt, static_cast<std::uint32_t>(whole.size()));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->payload_offset, kPayloadAt);
  EXPECT_EQ(d->payload_len, kPayload);
}

TEST(CaptureTso, TsharkReadsTheSameSegmentLength) {
  // Wireshark takes a zero total length as TSO and the segment as the rest of the frame.
  WIRESTEP_REQUIRE_TSHARK();
  testing::TempDir dir;
  const std::string path = write_file(dir, super_packet());
  const auto t = testing::run_command_line("tshark -n -r '" + path +
                                           "' -T fields -e tcp.seq_raw -e tcp.len 2>/dev/null");
  ASSERT_EQ(t.exit_code, 0) << t.output;
  EXPECT_EQ(t.output, "1001\t3000\n");
}

}  // namespace capture_tso_test
}  // namespace wirestep
