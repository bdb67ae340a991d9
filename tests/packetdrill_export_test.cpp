// `wirestep packetdrill --pcap F --pcapng F`: the run's Trace as files tshark reads without a malformed
// packet or a bad checksum, the pcapng commenting each packet with its script line (and marking the packet a
// failure is about); with several scripts F is a directory with one file per script.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "tests/test_support.hpp"
#include "ui/cli/packetdrill_command.hpp"

namespace wirestep {
namespace packetdrill_export_test {

std::string shared(const std::string& name) {
  return std::string(WIRESTEP_PACKETDRILL_DIR) + "/" + name;
}

int run(const PacketdrillCommandOptions& o, std::string& out) {
  std::ostringstream o_out, o_err;
  const int code = packetdrill_command(o, o_out, o_err);
  out = o_out.str() + o_err.str();
  return code;
}

// Frames tshark reads, and those it finds malformed or with a bad checksum.
std::pair<int, int> tshark_counts(const std::string& file) {
  const std::string opts = " -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE ";
  const auto all =
      testing::run_command_line("tshark -n -r " + file + opts + "-T fields -e frame.number 2>/dev/null");
  EXPECT_EQ(all.exit_code, 0) << all.output;
  const auto bad = testing::run_command_line(
      "tshark -n -r " + file + opts +
      "-Y '_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0' 2>/dev/null");
  int n = 0, b = 0;
  for (char ch : all.output) n += ch == '\n';
  for (char ch : bad.output) b += ch == '\n';
  return {n, b};
}

TEST(PacketdrillExport, APassingScriptsPcapAndPcapngReadCleanlyWithScriptLinesAsComments) {
  WIRESTEP_REQUIRE_TSHARK();
  const testing::TempDir dir;
  PacketdrillCommandOptions o;
  o.files = {shared("close/close-on-syn-sent.pkt")};
  o.pcap_path = dir.file("run.pcap");
  o.pcapng_path = dir.file("run.pcapng");
  std::string out;
  ASSERT_EQ(run(o, out), 0) << out;
  const auto [pcap_frames, pcap_bad] = tshark_counts(o.pcap_path);
  EXPECT_GT(pcap_frames, 0);
  EXPECT_EQ(pcap_bad, 0);
  const auto [frames, bad] = tshark_counts(o.pcapng_path);
  EXPECT_EQ(frames, pcap_frames);
  EXPECT_EQ(bad, 0);
  const auto comments =
      testing::run_command_line("tshark -n -r " + o.pcapng_path + " -T fields -e frame.comment 2>/dev/null");
  ASSERT_EQ(comments.exit_code, 0) << comments.output;
  // Each frame: its script line ("file:line: text"), then the simulator's own ground truth.
  std::istringstream lines(comments.output);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    ++n;
    EXPECT_EQ(line.rfind("close-on-syn-sent.pkt:", 0), 0u) << line;
    EXPECT_NE(line.find("wirestep: "), std::string::npos) << line;
  }
  EXPECT_EQ(n, frames);
  EXPECT_NE(comments.output.find(" > S 0:0(0)"), std::string::npos) << comments.output;
  EXPECT_EQ(comments.output.find("FAILED"), std::string::npos) << comments.output;
}

TEST(PacketdrillExport, AFailingScriptsPcapngMarksThePacketTheExpectationBrokeOn) {
  WIRESTEP_REQUIRE_TSHARK();
  const testing::TempDir dir;
  PacketdrillCommandOptions o;
  o.profile = TcpProfile::Rfc;  // fails at line 13: the rfc TCP's SYN-ACK has no sackOK
  o.files = {shared("blocking/blocking-accept.pkt")};
  o.pcapng_path = dir.file("fail.pcapng");
  std::string out;
  ASSERT_EQ(run(o, out), 1) << out;
  EXPECT_EQ(tshark_counts(o.pcapng_path).second, 0);
  const auto comments =
      testing::run_command_line("tshark -n -r " + o.pcapng_path + " -T fields -e frame.comment 2>/dev/null");
  EXPECT_NE(comments.output.find("blocking-accept.pkt:13: "), std::string::npos) << comments.output;
  EXPECT_NE(comments.output.find("[FAILED: error handling packet:"), std::string::npos) << comments.output;
}

TEST(PacketdrillExport, SeveralScriptsWriteOneFilePerScriptIntoTheDirectory) {
  const testing::TempDir dir;
  PacketdrillCommandOptions o;
  o.files = {shared("close/close-on-syn-sent.pkt"), shared("blocking/blocking-accept.pkt")};
  o.pcapng_path = dir.file("captures");
  std::string out;
  run(o, out);
  EXPECT_TRUE(std::filesystem::is_regular_file(dir.file("captures/close_close-on-syn-sent.pcapng"))) << out;
  EXPECT_TRUE(std::filesystem::is_regular_file(dir.file("captures/blocking_blocking-accept.pcapng"))) << out;
}

TEST(PacketdrillExport, AnUnwritablePathIsAnErrorNamingTheFile) {
  PacketdrillCommandOptions o;
  o.files = {shared("close/close-on-syn-sent.pkt")};
  o.pcap_path = "/nonexistent-dir/run.pcap";
  std::string out;
  EXPECT_EQ(run(o, out), 2) << out;
  EXPECT_NE(out.find("/nonexistent-dir/run.pcap"), std::string::npos) << out;
}

}  // namespace packetdrill_export_test
}  // namespace wirestep
