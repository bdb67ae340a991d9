// A packetdrill run as a Trace: each packet names the script line it came from (the `<` line that injected
// it, the `>` line it matched), the packets a failure is about are marked, an outbound packet no `>` line
// expects fails the script at the next `>` line (as packetdrill), and the host's TS vals are remapped
// relative to the first one it sent (packetdrill's rule; RFC 7323 §3 leaves the clock's origin to the host).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "sim/packetdrill/script_parser.hpp"
#include "sim/packetdrill/script_runner.hpp"
#include "sim/packetdrill/script_trace.hpp"
#include "tests/packetdrill_test_support.hpp"

namespace wirestep::packetdrill {
namespace packetdrill_trace_test {

using test::describe;
using test::kServer;

struct ScriptRun {
  Script script;
  RunResult result;
};

ScriptRun run_text(const std::string& text, const RunOptions& options = {}) {
  auto script = parse_script(text, "dir/inline.pkt");
  EXPECT_TRUE(script.ok()) << script.error().message();
  if (!script.ok()) return {};
  ScriptRun r{*script, {}};
  r.result = run_script(r.script, options);
  return r;
}

TEST(PacketdrillTrace, EveryPacketOfAPassingRunNamesItsScriptLine) {
  const ScriptRun r = run_text(kServer);
  ASSERT_EQ(r.result.outcome, Outcome::Pass) << describe(r.result);
  const Trace& t = r.result.trace;
  ASSERT_EQ(r.result.packet_lines.size(), t.packet_count());
  std::vector<std::uint32_t> lines(r.result.packet_lines.begin(), r.result.packet_lines.end());
  EXPECT_EQ(lines, (std::vector<std::uint32_t>{5, 6, 7, 10, 11, 13, 14}));
  EXPECT_TRUE(r.result.failed_packets.empty());
  EXPECT_EQ(packet_script_comment(r.script, r.result, 1), "inline.pkt:6: +0 > S. 0:0(0) ack 1 <...>");
  // Every timed event has its time, in script order: the UI moves the cursor to a line's time.
  ASSERT_EQ(r.result.line_times.size(), 14u);
  EXPECT_EQ(r.result.line_times[4].line, 5u);
  EXPECT_EQ(r.result.line_times[4].time.ns, 100'000'000);
  EXPECT_TRUE(std::is_sorted(r.result.line_times.begin(), r.result.line_times.end(),
                             [](const auto& a, const auto& b) { return a.time < b.time; }));
}

TEST(PacketdrillTrace, TheFailedExpectationMarksThePacketItFailedOn) {
  std::string text = kServer;
  text.replace(text.find("+0 > P. 1:1001(1000) ack 1"), 26, "+0 > F. 1:1001(1000) ack 1");
  const ScriptRun r = run_text(text);
  ASSERT_EQ(r.result.outcome, Outcome::Fail) << describe(r.result);
  ASSERT_EQ(r.result.failed_packets.size(), 1u);
  const std::uint32_t p = r.result.failed_packets[0];
  EXPECT_EQ(r.result.packet_lines[p], 10u);
  const std::string c = packet_script_comment(r.script, r.result, p);
  EXPECT_NE(c.find("inline.pkt:10: +0 > F. 1:1001(1000) ack 1 [FAILED: error handling packet: "),
            std::string::npos)
      << c;
  EXPECT_EQ(r.result.line_times.back().line, 10u);  // the failing line has its time too
}

TEST(PacketdrillTrace, APacketNoLineExpectsFailsAtTheNextOutboundLine) {
  // The data segment is sent but its `>` line is gone: as packetdrill, the `<` line after it injects
  // without looking (run_packet.c), and the next `>` line meets the data segment instead of the FIN.
  std::string text = kServer;
  text.erase(text.find("+0 > P. 1:1001(1000) ack 1"), 27);
  const ScriptRun r = run_text(text);
  ASSERT_EQ(r.result.outcome, Outcome::Fail) << describe(r.result);
  EXPECT_EQ(r.result.line, 12u);  // `+0 > F. 1001:1001(0) ack 1`
  EXPECT_NE(r.result.reason.en.find("error handling packet"), std::string::npos) << r.result.reason.en;
  EXPECT_NE(r.result.reason.zh.find("处理报文出错"), std::string::npos) << r.result.reason.zh;
  EXPECT_NE(r.result.actual.find("> P. 1:1001(1000) ack 1"), std::string::npos) << r.result.actual;
  ASSERT_EQ(r.result.failed_packets.size(), 1u);
  EXPECT_EQ(r.result.trace.payload_len(r.result.failed_packets[0]), 1000u);
}

TEST(PacketdrillTrace, APacketNoLineExpectsBeforeASystemCallWaitsForTheNextOutboundLine) {
  // connect() sends a SYN the script does not list: packetdrill does not look at it when the next call
  // runs, and a script that ends there passes; a `>` line after it is compared with the SYN.
  const std::string text =
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
      "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
      "+.1 close(3) = 0\n";
  const ScriptRun passed = run_text(text);
  EXPECT_EQ(passed.result.outcome, Outcome::Pass) << describe(passed.result);
  const ScriptRun r = run_text(text + "+0 > R 1:1(0)\n");
  ASSERT_EQ(r.result.outcome, Outcome::Fail) << describe(r.result);
  EXPECT_EQ(r.result.line, 5u);
  EXPECT_NE(r.result.actual.find("> S 0:0(0)"), std::string::npos) << r.result.actual;
}

// The Linux profile sends timestamps (RFC 7323 §3) from a clock whose origin the script cannot know.
const char* kTsClient =
    "--tcp_ts_tick_usecs=1000\n"
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
    "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
    "+0 > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>\n"
    "+.1 < S. 0:0(0) ack 1 win 65535 <mss 1460,nop,nop,TS val 700 ecr 100,nop,wscale 7>\n"
    "+0 > . 1:1(0) ack 1 <nop,nop,TS val 200 ecr 700>\n";

RunOptions linux_host() {
  RunOptions o;
  o.tcp = TcpConfig::for_profile(TcpProfile::Linux);
  return o;
}

TEST(PacketdrillTrace, TsValsAreRemappedRelativeToTheFirstTheHostSent) {
  // The first TS val fixes the offset; 100 ms later the host's clock (1 ms ticks) reads 100 more, and the
  // peer's echo of "100" reaches the host as the value the host really sent.
  const ScriptRun r = run_text(kTsClient, linux_host());
  ASSERT_EQ(r.result.outcome, Outcome::Pass) << describe(r.result);
  const Trace& t = r.result.trace;
  ASSERT_GE(t.packet_count(), 3u);
  const std::optional<wire::TcpOptions> syn = t.options(0);
  const std::optional<wire::TcpOptions> synack = t.options(1);
  ASSERT_TRUE(syn && syn->timestamps && synack && synack->timestamps);
  EXPECT_EQ(synack->timestamps->echo_reply, syn->timestamps->value);
}

TEST(PacketdrillTrace, ATsValOffTheScriptsClockFails) {
  std::string text = kTsClient;
  text.replace(text.find("TS val 200 ecr 700"), 18, "TS val 900 ecr 700");
  const ScriptRun r = run_text(text, linux_host());
  ASSERT_EQ(r.result.outcome, Outcome::Fail) << describe(r.result);
  EXPECT_EQ(r.result.line, 7u);
  EXPECT_NE(r.result.reason.en.find("bad outbound TCP timestamp value: expected 900"), std::string::npos)
      << r.result.reason.en;
}

TEST(PacketdrillTrace, WithoutTheTickOptionTsValsAreNotChecked) {
  // packetdrill checks TS vals only when told the host's tick; the remapped echo still applies.
  std::string text = kTsClient;
  text.replace(0, text.find('\n') + 1, "");
  text.replace(text.find("TS val 200 ecr 700"), 18, "TS val 900 ecr 700");
  const ScriptRun r = run_text(text, linux_host());
  EXPECT_EQ(r.result.outcome, Outcome::Pass) << describe(r.result);
}

TEST(PacketdrillTrace, AHostWithoutTimestampsStillMatchesScriptsThatWaiveOptions) {
  // The rfc profile sends no TS option: nothing to remap, and `<...>` lines match as before.
  const ScriptRun r = run_text(
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "+0...0.100 connect(3, ..., ...) = 0\n"
      "+0 > S 0:0(0) <...>\n"
      "+.1 < S. 0:0(0) ack 1 win 5792 <mss 1460,nop,nop,TS val 700 ecr 100>\n"
      "+0 > . 1:1(0) ack 1 <...>\n");
  EXPECT_EQ(r.result.outcome, Outcome::Pass) << describe(r.result);
}

TEST(PacketdrillTrace, CommentsCoverEveryPacketAndOutOfRangeLinesAreEmpty) {
  const ScriptRun r = run_text(kServer);
  const auto comments = packet_script_comments(r.script, r.result);
  ASSERT_EQ(comments.size(), r.result.trace.packet_count());
  for (const std::string& c : comments) EXPECT_EQ(c.rfind("inline.pkt:", 0), 0u) << c;
  EXPECT_EQ(packet_script_comment(r.script, r.result, 10'000), "");
  EXPECT_EQ(script_line_text(r.script, 0), "");
  EXPECT_EQ(script_line_text(r.script, 999), "");
}

}  // namespace packetdrill_trace_test
}  // namespace wirestep::packetdrill
