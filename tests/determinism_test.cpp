// Same scenario + same seed => identical bytes, in every build type (DESIGN.md "Determinism").
#include <gtest/gtest.h>

#include "capture/pcap_export.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "test_support.hpp"
#include "ui/cli/trace_json.hpp"

namespace wirestep {
namespace determinism_test {

using testing::fnv1a64;
using testing::read_bytes;
using testing::source_path;

// The golden hash is the same constant in Release, Debug and sanitizer builds: the test suite runs in all
// three (scripts/test.sh), so passing everywhere proves the bytes are identical across builds.
constexpr std::uint64_t kUdpLossSeed7PcapHash = 0x7522d50e5e843dc0ULL;

std::vector<std::uint8_t> pcap_of(const std::string& scenario, std::uint64_t seed,
                                  const testing::TempDir& dir) {
  auto sc = load_scenario_file(source_path(scenario));
  EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : sc.error().message());
  if (!sc.ok()) return {};
  const RunResult run = run_scenario(*sc, seed);
  const std::string path = dir.file("run.pcap");
  EXPECT_TRUE(write_pcap(run.trace, path).ok());
  return read_bytes(path);
}

TEST(SimDeterminism, SameSeedTwiceGivesByteIdenticalPcap) {
  testing::TempDir dir;
  const auto first = pcap_of("scenarios/udp-loss.toml", 7, dir);
  const auto second = pcap_of("scenarios/udp-loss.toml", 7, dir);
  ASSERT_GT(first.size(), 24u);
  EXPECT_EQ(first, second);
}

TEST(SimDeterminism, UdpLossSeed7MatchesGoldenHashInEveryBuild) {
  testing::TempDir dir;
  const auto bytes = pcap_of("scenarios/udp-loss.toml", 7, dir);
  EXPECT_EQ(fnv1a64(bytes), kUdpLossSeed7PcapHash) << std::hex << "actual 0x" << fnv1a64(bytes);
}

TEST(SimDeterminism, DifferentSeedsGiveDifferentLossPatterns) {
  testing::TempDir dir;
  EXPECT_NE(pcap_of("scenarios/udp-loss.toml", 7, dir), pcap_of("scenarios/udp-loss.toml", 8, dir));
}

TEST(SimDeterminism, SameSeedTwiceGivesIdenticalJsonTrace) {
  auto sc = load_scenario_file(source_path("scenarios/udp-loss.toml"));
  ASSERT_TRUE(sc.ok());
  const std::string a = run_to_json(*sc, run_scenario(*sc, 11)).dump();
  const std::string b = run_to_json(*sc, run_scenario(*sc, 11)).dump();
  EXPECT_EQ(a, b);
}

TEST(SimDeterminism, CommandLineRunsTwiceWriteIdenticalPcaps) {
  testing::TempDir dir;
  const std::string cmd = testing::wirestep_binary() + " run " + source_path("scenarios/udp-loss.toml") +
                          " --seed 7 --quiet --pcap ";
  ASSERT_EQ(testing::run_command_line(cmd + dir.file("a.pcap")).exit_code, 0);
  ASSERT_EQ(testing::run_command_line(cmd + dir.file("b.pcap")).exit_code, 0);
  const auto a = read_bytes(dir.file("a.pcap"));
  EXPECT_EQ(a, read_bytes(dir.file("b.pcap")));
  EXPECT_EQ(fnv1a64(a), kUdpLossSeed7PcapHash);
}

}  // namespace determinism_test
}  // namespace wirestep
