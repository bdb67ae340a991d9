// tshark, an outside oracle, reads our pcap exports: no malformed packets, no bad checksums (DESIGN.md
// "Wire format is shared"). The test fails, never skips, when tshark is missing: scripts/test.sh installs it.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace wirestep {
namespace tshark_export_test {

using testing::run_command_line;

struct TsharkCheck {
  int packets = 0;
  int bad = 0;
  std::string output;
};

TsharkCheck tshark_check(const std::string& pcap) {
  TsharkCheck c;
  const std::string opts =
      " -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE ";
  auto all = run_command_line("tshark -n -r " + pcap + opts + "-T fields -e frame.number 2>/dev/null");
  EXPECT_EQ(all.exit_code, 0) << "tshark missing or failed: " << all.output;
  for (char ch : all.output) c.packets += ch == '\n';
  // Checksum status 0 is "Bad" in Wireshark's checksum fields; _ws.malformed marks dissector failures.
  auto bad = run_command_line("tshark -n -r " + pcap + opts +
                              "-Y '_ws.malformed || ip.checksum.status == 0 || udp.checksum.status == 0 || "
                              "tcp.checksum.status == 0 || _ws.expert.severity == error' 2>/dev/null");
  EXPECT_EQ(bad.exit_code, 0);
  for (char ch : bad.output) c.bad += ch == '\n';
  c.output = bad.output;
  return c;
}

TEST(TsharkOracle, UdpLossExportHasNoMalformedPacketsOrBadChecksums) {
  testing::TempDir dir;
  const std::string pcap = dir.file("udp-loss.pcap");
  auto run =
      run_command_line(testing::wirestep_binary() + " run " +
                       testing::source_path("scenarios/udp-loss.toml") + " --seed 7 --quiet --pcap " + pcap);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const TsharkCheck c = tshark_check(pcap);
  EXPECT_EQ(c.packets, 100);  // every datagram the sender put on the wire, lost ones included
  EXPECT_EQ(c.bad, 0) << c.output;
}

TEST(TsharkOracle, GbkDatagramPayloadReachesTsharkByteForByte) {
  testing::TempDir dir;
  const std::string pcap = dir.file("udp-sendto.pcap");
  ASSERT_EQ(run_command_line(testing::wirestep_binary() + " run " +
                             testing::source_path("scenarios/udp-sendto.toml") + " --quiet --pcap " + pcap)
                .exit_code,
            0);
  EXPECT_EQ(tshark_check(pcap).bad, 0);
  auto fields = run_command_line("tshark -n -r " + pcap +
                                 " -T fields -e udp.srcport -e udp.dstport -e data.data 2>/dev/null");
  // "你好" in GBK is C4 E3 BA C3.
  EXPECT_EQ(fields.output.substr(0, 18), "2525\t8080\tc4e3bac3");
}

}  // namespace tshark_export_test
}  // namespace wirestep
