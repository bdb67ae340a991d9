// The network lessons (scenarios/net-*.toml, issue #18): every expectation holds at seeds 1-20, and tshark
// reads each lesson's pcap without a malformed packet, counting exactly the ARP and ICMP packets the Trace
// says were sent.
#include <gtest/gtest.h>

#include <filesystem>

#include "capture/pcap_export.hpp"
#include "net_test_support.hpp"
#include "sim/scenario/expectation.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace net_lessons_test {

std::vector<std::string> net_lessons() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(testing::source_path("scenarios"))) {
    const std::string name = e.path().filename().string();
    if (name.rfind("net-", 0) == 0 && e.path().extension() == ".toml") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(NetLessons, ThereAreEightAndEachPassesItsExpectationsAtSeedsOneToTwenty) {
  const auto files = net_lessons();
  EXPECT_EQ(files.size(), 8u);
  for (const auto& f : files) {
    auto sc = load_scenario_file(f);
    ASSERT_TRUE(sc) << sc.error().message();
    EXPECT_TRUE(sc->network.routed) << f;
    EXPECT_FALSE(sc->expectations.empty()) << f;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      const auto run = run_scenario(*sc, seed);
      for (const auto& res : check_expectations(sc->expectations, run))
        EXPECT_TRUE(res.passed) << f << " seed " << seed << ": " << res.text << " -- " << res.detail;
    }
  }
}

// The same scenario and seed twice: identical Trace rows, hops included (DESIGN.md "Determinism").
TEST(NetLessons, SameSeedGivesIdenticalPcap) {
  testing::TempDir dir;
  for (const auto& f : net_lessons()) {
    auto sc = load_scenario_file(f);
    ASSERT_TRUE(sc);
    const auto a = run_scenario(*sc, 7), b = run_scenario(*sc, 7);
    ASSERT_TRUE(write_pcap(a.trace, dir.file("a.pcap")));
    ASSERT_TRUE(write_pcap(b.trace, dir.file("b.pcap")));
    EXPECT_EQ(testing::read_bytes(dir.file("a.pcap")), testing::read_bytes(dir.file("b.pcap"))) << f;
  }
}

TEST(NetLessons, TsharkReadsEveryPcapAndCountsTheArpAndIcmpPacketsSent) {
  WIRESTEP_REQUIRE_TSHARK();
  testing::TempDir dir;
  for (const auto& f : net_lessons()) {
    auto sc = load_scenario_file(f);
    ASSERT_TRUE(sc);
    const auto run = run_scenario(*sc);
    const std::string pcap = dir.file("lesson.pcap");
    ASSERT_TRUE(write_pcap(run.trace, pcap));
    const auto count = [&](const std::string& filter) {
      const auto r =
          testing::run_command_line("tshark -n -r '" + pcap + "' -Y '" + filter + "' 2>/dev/null | wc -l");
      return std::stoul(r.output);
    };
    EXPECT_EQ(count("_ws.malformed || _ws.expert.severity >= 6291456 || ip.checksum.status == 0 || "
                    "icmp.checksum.status == 0 || udp.checksum.status == 0"),
              0u)
        << f;
    EXPECT_EQ(count("arp"), testing::rows_of(run.trace, Transport::Arp).size()) << f;
    // tshark also dissects the header an ICMP error quotes: count ICMP messages, not quoted packets.
    EXPECT_EQ(count("icmp"), testing::rows_of(run.trace, Transport::Icmp).size()) << f;
    EXPECT_EQ(count("arp.opcode == 1"), count("arp") - count("arp.opcode == 2")) << f;
  }
}

}  // namespace net_lessons_test
}  // namespace wirestep
