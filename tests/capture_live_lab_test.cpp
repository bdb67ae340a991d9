// The live lab: real Linux TCP and UDP between two network namespaces we create, with nftables dropping
// every 25th packet on the data direction. TCP repairs the losses (retransmissions in the capture), UDP does
// not (lost datagrams), our analyzer agrees with tshark on the real capture, and nothing is left behind.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace wirestep {
namespace capture_live_lab_test {

using testing::run_command_line;

int tshark_count(const std::string& pcap, const std::string& filter) {
  auto r =
      run_command_line("tshark -n -r " + pcap + " -Y '" + filter + "' -T fields -e frame.number 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0) << "tshark missing or failed";
  return static_cast<int>(std::count(r.output.begin(), r.output.end(), '\n'));
}

class LiveLab : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    pcap_ = dir_->file("lab.pcap");
    output_ = run_command_line(testing::wirestep_binary() +
                               " live --drop-every 25 --bytes 400KB --messages 200 --timeout 60 -w " + pcap_);
  }
  static void TearDownTestSuite() { delete dir_; }
  static testing::TempDir* dir_;
  static std::string pcap_;
  static testing::CommandResult output_;
};
testing::TempDir* LiveLab::dir_ = nullptr;
std::string LiveLab::pcap_;
testing::CommandResult LiveLab::output_;

TEST_F(LiveLab, LossyTcpTransferArrivesWholeWithRetransmissionsInTheCapture) {
  ASSERT_EQ(output_.exit_code, 0) << output_.output;
  EXPECT_NE(output_.output.find("TCP: sent 400000 bytes, the server received 400000"), std::string::npos)
      << output_.output;
  EXPECT_GT(tshark_count(pcap_, "tcp.analysis.retransmission"), 0);
}

TEST_F(LiveLab, UdpRunLosesDatagramsAndNobodyResendsThem) {
  ASSERT_EQ(output_.exit_code, 0) << output_.output;
  // 200 consecutive datagrams through a rule dropping every 25th packet from A: exactly 8 lost.
  EXPECT_NE(output_.output.find("UDP: sent 200 datagrams, the server received 192 (8 lost, never resent)"),
            std::string::npos)
      << output_.output;
  EXPECT_EQ(tshark_count(pcap_, "udp.dstport == 5002"), 200);
}

TEST_F(LiveLab, AnalyzerCountsMatchTsharkOnTheRealCapture) {
  ASSERT_EQ(output_.exit_code, 0) << output_.output;
  auto r = run_command_line(testing::wirestep_binary() + " analyze --json " + pcap_);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  int ours_retrans = 0, ours_dupack = 0, ours_fast = 0;
  for (const auto& f : j["flows"]) {
    if (f["proto"] != "tcp") continue;
    ours_retrans += f["retransmission"].get<int>();
    ours_fast += f["fast_retransmission"].get<int>();
    ours_dupack += f["duplicate_ack"].get<int>();
  }
  // Like Wireshark's tcp.analysis.retransmission, our "retransmission" count includes fast retransmissions.
  EXPECT_EQ(ours_retrans, tshark_count(pcap_, "tcp.analysis.retransmission"));
  EXPECT_EQ(ours_fast, tshark_count(pcap_, "tcp.analysis.fast_retransmission"));
  EXPECT_EQ(ours_dupack, tshark_count(pcap_, "tcp.analysis.duplicate_ack"));
}

TEST_F(LiveLab, NamespacesAreRemovedAfterTheRun) {
  ASSERT_EQ(output_.exit_code, 0) << output_.output;
  // Other tests run their own labs in parallel: check the two namespaces this run announced, by name.
  std::vector<std::string> names;
  for (std::size_t pos = 0; (pos = output_.output.find("wirestep-", pos)) != std::string::npos;) {
    const auto end = output_.output.find_first_of(" \n(", pos);
    names.push_back(output_.output.substr(pos, end - pos));
    pos = end;
  }
  ASSERT_GE(names.size(), 2u) << "the run did not name its namespaces:\n" << output_.output;
  const auto list = run_command_line("ip netns list");
  for (const auto& name : names)
    EXPECT_EQ(list.output.find(name), std::string::npos) << name << "\n" << list.output;
}

}  // namespace capture_live_lab_test
}  // namespace wirestep
