// The loader's common-frame fast path (capture/common_frame.hpp) must give exactly what the general decoder
// gives: every corpus capture, a simulated TCP + UDP export, and thousands of mutated frames are loaded both
// ways and every packet column, counter and decode error compared.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "capture/capture_reader.hpp"
#include "capture_test_support.hpp"

namespace wirestep {
namespace capture_fast_path_test {

using namespace capture_test;

wire::TcpOptions mss_option(std::uint16_t mss) {
  wire::TcpOptions o;
  o.mss = mss;
  return o;
}

std::string compare_both_ways(const std::string& path) {
  auto fast = load_capture(path);
  CaptureOptions general_only;
  general_only.general_decoder_only = true;
  auto general = load_capture(path, general_only);
  if (static_cast<bool>(fast) != static_cast<bool>(general)) return "one way failed to open";
  if (!fast) return fast.error().reason == general.error().reason ? "" : "different open errors";
  return loaded_difference(*fast, *general);
}

TEST(CaptureFastPath, EveryCorpusCaptureLoadsTheSameThroughTheFastPathAndTheGeneralDecoder) {
  std::size_t files = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(corpus_dir(), ec)) {
    const std::string path = e.path().string();
    if (!e.is_regular_file() || !(path.ends_with(".pcap") || path.ends_with(".pcapng"))) continue;
    ++files;
    EXPECT_EQ(compare_both_ways(path), "") << path;
  }
  EXPECT_GT(files, 100u) << "the corpus is missing: " << corpus_dir();
}

// Frames the fast path takes (Ethernet, IPv4 without options, TCP without SYN, UDP) and frames it must hand
// on, then the same frames with one or two bytes of their headers changed at random: bad checksums, header
// lengths below the minimum or past the frame, fragments, IP options, lengths that lie, truncation.
TEST(CaptureFastPath, MutatedHeadersDecodeTheSameBothWays) {
  std::vector<std::vector<std::uint8_t>> frames = {
      ethernet(ipv4_tcp("10.0.0.1", 40000, "10.0.0.2", 80, 1000, 2000, wire::tcp_flag::kAck, 65535, 100)),
      ethernet(ipv4_tcp("10.0.0.2", 80, "10.0.0.1", 40000, 2000, 1100, wire::tcp_flag::kAck, 512)),
      ethernet(ipv4_tcp("10.0.0.1", 40000, "10.0.0.2", 80, 1100, 2000,
                        wire::tcp_flag::kFin | wire::tcp_flag::kAck, 65535)),
      ethernet(ipv4_tcp("10.0.0.1", 40001, "10.0.0.2", 80, 7, 0, wire::tcp_flag::kSyn, 65535, 0,
                        mss_option(1460))),
      ethernet(ipv4_udp("10.0.0.3", 5353, "10.0.0.4", 53, 40)),
      ethernet(ipv4_udp("10.0.0.4", 53, "10.0.0.3", 5353, 0)),
      ethernet(ipv6_udp(1, 2, 1000, 2000, 16), 0x86DD),
  };
  std::mt19937 rng(20261125);
  const std::string dir = ::testing::TempDir();
  for (int round = 0; round < 40; ++round) {
    const std::string path = dir + "/fast-path-" + std::to_string(round) + ".pcap";
    {
      PcapWriter w(path, 1 /* DLT_EN10MB */);
      ASSERT_TRUE(w.ok());
      std::int64_t t = 0;
      for (int n = 0; n < 100; ++n) {
        std::vector<std::uint8_t> f = frames[rng() % frames.size()];
        const int changes = round == 0 ? 0 : 1 + static_cast<int>(rng() % 2);
        for (int c = 0; c < changes; ++c) {
          // Mostly the IP and transport headers (bytes 14..54), where the fast path makes its decisions.
          const std::size_t at = 14 + rng() % std::min<std::size_t>(f.size() - 14, 40);
          f[at] = static_cast<std::uint8_t>(rng());
        }
        std::uint32_t wire_len = 0;
        if (rng() % 5 == 0) {  // cut by a snapshot length
          wire_len = static_cast<std::uint32_t>(f.size());
          f.resize(14 + rng() % (f.size() - 14));
        }
        w.add(t += 1000, f, wire_len);
      }
    }
    EXPECT_EQ(compare_both_ways(path), "") << "round " << round;
    std::filesystem::remove(path);
  }
}

}  // namespace capture_fast_path_test
}  // namespace wirestep
