// `wirestep packetdrill`: exit codes (0 pass, 1 fail, 2 parse error or unsupported), the failing line with
// the script's packet and the simulator's, the per-category summary, Chinese messages and the JSON file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "tests/test_support.hpp"
#include "ui/cli/packetdrill_command.hpp"

namespace wirestep {
namespace packetdrill_command_test {

std::string shared(const std::string& name) {
  return std::string(WIRESTEP_PACKETDRILL_DIR) + "/" + name;
}

int run(PacketdrillCommandOptions o, std::string& out, std::string& err) {
  std::ostringstream o_out, o_err;
  const int code = packetdrill_command(o, o_out, o_err);
  out = o_out.str();
  err = o_err.str();
  return code;
}

TEST(PacketdrillCommand, APassingScriptExitsZero) {
  PacketdrillCommandOptions o;
  o.files = {shared("close/close-on-syn-sent.pkt")};
  std::string out, err;
  EXPECT_EQ(run(o, out, err), 0) << out << err;
  EXPECT_NE(out.find("close-on-syn-sent.pkt: pass"), std::string::npos) << out;
}

TEST(PacketdrillCommand, ScriptsRunAgainstTheLinuxProfileByDefault) {
  PacketdrillCommandOptions o;
  o.files = {shared("blocking/blocking-accept.pkt")};
  std::string out, err;
  EXPECT_EQ(run(o, out, err), 0) << out << err;  // SACK, wscale 8 from defaults.sh, window 64240
  o.profile = TcpProfile::Rfc;
  EXPECT_EQ(run(o, out, err), 1) << out << err;  // the rfc TCP answers without sackOK
}

// The rfc TCP fails blocking-accept at its SYN-ACK (no sackOK): a failure with a known line and packets.
TEST(PacketdrillCommand, AFailingScriptExitsOneWithLineScriptPacketAndActualPacket) {
  PacketdrillCommandOptions o;
  o.profile = TcpProfile::Rfc;
  o.files = {shared("blocking/blocking-accept.pkt")};
  std::string out, err;
  EXPECT_EQ(run(o, out, err), 1) << out << err;
  EXPECT_NE(out.find("blocking-accept.pkt:13: error handling packet:"), std::string::npos) << out;
  EXPECT_NE(out.find("script packet: 0.100000 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>"), std::string::npos)
      << out;
  EXPECT_NE(out.find("actual packet: 0.100000 > S. 0:0(0) ack 1"), std::string::npos) << out;
}

TEST(PacketdrillCommand, SeveralScriptsGetASummaryPerCategoryAndJson) {
  const testing::TempDir dir;
  const std::string json_path = dir.file("packetdrill.json");
  PacketdrillCommandOptions o;
  o.profile = TcpProfile::Rfc;
  o.files = {shared("close/close-on-syn-sent.pkt"), shared("blocking/blocking-accept.pkt"),
             shared("cubic/cubic-bulk-166k.pkt")};
  o.json_path = json_path;
  std::string out, err;
  EXPECT_EQ(run(o, out, err), 2) << out << err;  // one is unsupported
  EXPECT_NE(out.find("cubic-bulk-166k.pkt:11: unsupported: tc:"), std::string::npos) << out;
  EXPECT_NE(out.find("summary (passed / failed / unsupported)"), std::string::npos) << out;
  EXPECT_NE(out.find("total                 1 / 1 / 1"), std::string::npos) << out;
  std::ifstream in(json_path);
  const auto doc = nlohmann::json::parse(in);
  ASSERT_EQ(doc["scripts"].size(), 3u);
  EXPECT_EQ(doc["scripts"][1]["outcome"], "fail");
  EXPECT_EQ(doc["scripts"][1]["line"], 13);
  EXPECT_EQ(doc["summary"]["unsupported"], 1);
}

TEST(PacketdrillCommand, BadScriptsExitTwoNamingFileLineAndColumnInChinese) {
  const testing::TempDir dir;
  const std::string bad = dir.file("bad.pkt");
  std::ofstream(bad) << "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 > Q 0:0(0)\n";
  PacketdrillCommandOptions o;
  o.files = {bad};
  o.lang = Lang::Zh;
  std::string out, err;
  EXPECT_EQ(run(o, out, err), 2);
  EXPECT_NE(err.find("line 2, column 6: unknown TCP flag 'Q'"), std::string::npos) << err;
  EXPECT_NE(err.find("解析错误"), std::string::npos) << err;
  o.files = {shared("blocking/blocking-accept.pkt")};
  o.profile = TcpProfile::Rfc;
  EXPECT_EQ(run(o, out, err), 1);
  EXPECT_NE(out.find("处理报文出错"), std::string::npos) << out;
  EXPECT_NE(out.find("脚本报文"), std::string::npos) << out;
}

TEST(PacketdrillCommand, TheExecutableRunsTheCommand) {
  const auto r = testing::run_command_line(std::string(WIRESTEP_BINARY) + " packetdrill " +
                                           shared("close/close-local-close-then-remote-fin.pkt"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(": pass"), std::string::npos) << r.output;
}

}  // namespace packetdrill_command_test
}  // namespace wirestep
