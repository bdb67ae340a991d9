// packetdrill's script language read into the AST: every one of Linux's shared scripts parses, spot checks
// of what a few lines become, and hostile input (truncated, unknown flags, unterminated blocks, a 1 MB line,
// random byte mutations) that must end in an error with file:line:column or a success, never a crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "sim/packetdrill/script_parser.hpp"
#include "sim/wire/transport.hpp"
#include "tests/test_support.hpp"

namespace wirestep::packetdrill {
namespace packetdrill_parser_test {

using namespace wire::tcp_flag;

std::string shared_dir() {
  return WIRESTEP_PACKETDRILL_DIR;
}

std::vector<std::string> shared_scripts() {
  std::vector<std::string> out;
  if (!std::filesystem::is_directory(shared_dir())) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(shared_dir()))
    if (e.path().extension() == ".pkt")
      out.push_back(std::filesystem::relative(e.path(), shared_dir()).string());
  std::sort(out.begin(), out.end());
  return out;
}

const Event& event_on_line(const Script& s, std::uint32_t line) {
  for (const Event& e : s.events)
    if (e.pos.line == line) return e;
  ADD_FAILURE() << "no event on line " << line;
  return s.events.front();
}

Script parse_ok(const std::string& text) {
  auto r = parse_script(text, "test.pkt");
  EXPECT_TRUE(r.ok()) << r.error().message();
  return r.ok() ? std::move(r).value() : Script{};
}

std::string parse_error(const std::string& text) {
  auto r = parse_script(text, "bad.pkt");
  EXPECT_FALSE(r.ok()) << "expected an error for: " << text.substr(0, 200);
  return r.ok() ? std::string() : r.error().message();
}

TEST(PacketdrillParser, TheSharedDirectoryHoldsAllThirtyThreeScripts) {
  EXPECT_EQ(shared_scripts().size(), 33u) << "in " << shared_dir();
}

class SharedScript : public ::testing::TestWithParam<std::string> {};

TEST_P(SharedScript, ParsesWithoutError) {
  auto r = parse_script_file(shared_dir() + "/" + GetParam());
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_FALSE(r->events.empty());
  EXPECT_FALSE(r->lines.empty());
}

INSTANTIATE_TEST_SUITE_P(LinuxScripts, SharedScript, ::testing::ValuesIn(shared_scripts()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(PacketdrillParser, ASynsOptionListKeepsEveryOptionInOrder) {
  auto r = parse_script_file(shared_dir() + "/blocking/blocking-connect.pkt");
  ASSERT_TRUE(r.ok()) << r.error().message();
  // Line 10: "+0 > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>"
  const auto& p = std::get<Packet>(event_on_line(*r, 10).body);
  EXPECT_FALSE(p.inbound);
  EXPECT_EQ(p.flags, kSyn);
  EXPECT_EQ(p.seq, 0u);
  EXPECT_EQ(p.len, 0u);
  ASSERT_EQ(p.options_kind, Packet::Options::List);
  ASSERT_EQ(p.options.size(), 5u);
  EXPECT_EQ(p.options[0].kind, TcpOption::Kind::Mss);
  EXPECT_EQ(p.options[0].value, 1460u);
  EXPECT_EQ(p.options[1].kind, TcpOption::Kind::SackPermitted);
  EXPECT_EQ(p.options[2].kind, TcpOption::Kind::Timestamp);
  EXPECT_EQ(p.options[2].value, 100u);
  EXPECT_EQ(p.options[2].echo, 0u);
  EXPECT_EQ(p.options[3].kind, TcpOption::Kind::Nop);
  EXPECT_EQ(p.options[4].kind, TcpOption::Kind::WindowScale);
  EXPECT_EQ(p.options[4].value, 8u);
  EXPECT_EQ(packet_to_string(p), "S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>");
}

TEST(PacketdrillParser, ABlockingCallKeepsItsRelativeStartAndItsEnd) {
  auto r = parse_script_file(shared_dir() + "/blocking/blocking-connect.pkt");
  ASSERT_TRUE(r.ok()) << r.error().message();
  // Line 8: "+.1...0.200 connect(3, ..., ...) = 0"
  const Event& e = event_on_line(*r, 8);
  EXPECT_EQ(e.time.kind, TimeSpec::Kind::Relative);
  EXPECT_EQ(e.time.usecs, 100'000);
  const auto& call = std::get<Syscall>(e.body);
  EXPECT_EQ(call.name, "connect");
  ASSERT_EQ(call.args.size(), 3u);
  EXPECT_EQ(call.args[0].kind, Expr::Kind::Integer);
  EXPECT_EQ(call.args[1].kind, Expr::Kind::Ellipsis);
  ASSERT_TRUE(call.end_usecs);
  EXPECT_EQ(*call.end_usecs, 200'000);
}

TEST(PacketdrillParser, AnErrnoResultKeepsTheNameAndStracesNote) {
  auto r = parse_script_file(shared_dir() + "/close/close-on-syn-sent.pkt");
  ASSERT_TRUE(r.ok()) << r.error().message();
  // Line 9: "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)"
  const auto& call = std::get<Syscall>(event_on_line(*r, 9).body);
  EXPECT_EQ(call.result.integer, -1);
  EXPECT_EQ(call.errno_name, "EINPROGRESS");
  EXPECT_EQ(call.errno_text, "Operation now in progress");
  // Line 7: "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0"
  const auto& fcntl = std::get<Syscall>(event_on_line(*r, 7).body);
  ASSERT_EQ(fcntl.args.size(), 3u);
  ASSERT_EQ(fcntl.args[2].kind, Expr::Kind::BitOr);
  EXPECT_EQ(fcntl.args[2].items[1].text, "O_NONBLOCK");
}

TEST(PacketdrillParser, RangesSackBlocksAndSendmsgStructsAcrossLines) {
  const Script s = parse_ok(
      "--tolerance_usecs=7000\n"
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3 // a comment\n"
      "/* a block\n comment */ +.21~+.215 > P. 1:41(40) ack 1\n"
      "+0 < . 1:1(0) ack 1 win 320 <sack 1001:2001 3001:4001,nop,nop>\n"
      "+0 sendmsg(4, {msg_name(...)=...,\n   msg_iov(1)=[{..., 40}], msg_flags=0}, MSG_MORE) = 40\n"
      "* setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0\n"
      "+0 %{ assert tcpi_snd_cwnd == 10 }%\n"
      "`sysctl -q net.ipv4.tcp_sack=0`\n");
  ASSERT_EQ(s.options.size(), 1u);
  EXPECT_EQ(s.options[0].name, "tolerance_usecs");
  EXPECT_EQ(s.options[0].value, "7000");
  ASSERT_EQ(s.events.size(), 7u);
  EXPECT_EQ(s.events[1].time.usecs, 210'000);
  EXPECT_EQ(s.events[1].time.range_end_usecs, 215'000);
  EXPECT_TRUE(s.events[1].time.range_end_relative);
  EXPECT_EQ(s.events[1].pos.line, 4u);
  const auto& sack = std::get<Packet>(s.events[2].body).options[0];
  ASSERT_EQ(sack.sack_blocks.size(), 2u);
  EXPECT_EQ(sack.sack_blocks[1].first, 3001u);
  const auto& msg = std::get<Syscall>(s.events[3].body);
  ASSERT_EQ(msg.args[1].kind, Expr::Kind::Struct);
  EXPECT_EQ(msg.args[1].field_names[0], "msg_name(...)");
  EXPECT_EQ(msg.args[1].field_names[1], "msg_iov(1)");
  EXPECT_EQ(s.events[4].time.kind, TimeSpec::Kind::Any);
  EXPECT_TRUE(std::holds_alternative<PythonBlock>(s.events[5].body));
  EXPECT_EQ(s.events[6].time.kind, TimeSpec::Kind::None);
  EXPECT_EQ(std::get<ShellCommand>(s.events[6].body).text, "sysctl -q net.ipv4.tcp_sack=0");
}

TEST(PacketdrillParser, BadInputIsNamedByFileLineAndColumn) {
  EXPECT_EQ(parse_error("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 > SX. 0:0(0)\n"),
            "bad.pkt: line 2, column 6: unknown TCP flag 'X' in \"SX.\"");
  EXPECT_EQ(parse_error("+0 %{ assert 1\n"),
            "bad.pkt: line 1, column 4: unterminated Python block: %{ has no "
            "matching }%");
  EXPECT_EQ(parse_error("+0 > P. 1:2001(1000) ack 1\n"),
            "bad.pkt: line 1, column 9: sequence range 1:2001 is 2000 bytes, but the length says 1000");
  EXPECT_NE(parse_error("+0 > S 0:0(0) <mss 1460,bogus 3>").find("unknown TCP option 'bogus'"),
            std::string::npos);
  EXPECT_NE(parse_error("`defaults.sh").find("unterminated shell command"), std::string::npos);
  EXPECT_NE(parse_error("/* never closed").find("unterminated comment"), std::string::npos);
  EXPECT_NE(parse_error("0 write(3, ..., 99999999999999999999) = 1").find("does not fit"), std::string::npos);
  EXPECT_NE(parse_error("0 x(" + std::string(100, '[') + ") = 0").find("nested more than 32"),
            std::string::npos);
  EXPECT_NE(parse_error("+0...0.2 > S 0:0(0)").find("only a system call can block"), std::string::npos);
  EXPECT_NE(parse_error("hello").find("line 1, column 1: expected an event time"), std::string::npos);
}

TEST(PacketdrillParser, EveryTruncationOfARealScriptEndsInAResultNotACrash) {
  const std::string text = testing::read_text(shared_dir() + "/nagle/sendmsg_msg_more.pkt");
  ASSERT_FALSE(text.empty());
  std::size_t errors = 0;
  for (std::size_t n = 0; n <= text.size(); ++n) {
    auto r = parse_script(std::string_view(text).substr(0, n), "cut.pkt");
    if (!r.ok()) {
      ++errors;
      EXPECT_NE(r.error().message().find("cut.pkt: line "), std::string::npos) << r.error().message();
    }
  }
  EXPECT_GT(errors, 0u);  // cutting inside a sendmsg or a packet must be reported
}

TEST(PacketdrillParser, AOneMegabyteLineIsReadOrRefusedWithoutCrashing) {
  const std::string huge_arg = "0 write(3, ..., " + std::string(1 << 20, '7') + ") = 1\n";
  EXPECT_NE(parse_error(huge_arg).find("does not fit"), std::string::npos);
  const std::string long_comment = "// " + std::string(1 << 20, 'c') + "\n0 close(3) = 0\n";
  EXPECT_EQ(parse_ok(long_comment).events.size(), 1u);
  ParseLimits small;
  small.max_bytes = 1000;
  auto r = parse_script(long_comment, "big.pkt", small);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("more than the limit"), std::string::npos);
}

TEST(PacketdrillParser, RandomByteMutationsOfARealScriptNeverCrash) {
  const std::string text = testing::read_text(shared_dir() + "/fast_retransmit/fr-4pkt-sack.pkt");
  ASSERT_FALSE(text.empty());
  std::uint64_t x = 0x9E3779B97F4A7C15ull;  // xorshift64: the same mutations every run
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  std::size_t ok = 0, failed = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string m = text;
    const int edits = 1 + static_cast<int>(next() % 8);
    for (int k = 0; k < edits; ++k) m[next() % m.size()] = static_cast<char>(next() & 0xFF);
    auto r = parse_script(m, "mutated.pkt");
    if (r.ok()) {
      ++ok;
    } else {
      ++failed;
      EXPECT_EQ(r.error().message().rfind("mutated.pkt: line ", 0), 0u) << r.error().message();
    }
  }
  EXPECT_GT(failed, 0u);
  EXPECT_GT(ok + failed, 2999u);
}

}  // namespace packetdrill_parser_test
}  // namespace wirestep::packetdrill
