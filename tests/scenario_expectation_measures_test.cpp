// The expectation keys the Linux lessons (issue #16) state their point with: a TCP variable of a host
// (`variable` with `changes`, `max` or `first_cut_percent`), how long lost data waited for its resend
// (`resend_ms`), and when a program read its last byte (`last_byte_ms`); with their mistakes in a file.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "sim/scenario/expectation.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace scenario_expectation_measures_test {

Scenario load(const std::string& file) {
  auto sc = load_scenario_file(testing::source_path("scenarios/" + file));
  EXPECT_TRUE(sc) << (sc ? "" : sc.error().message());
  return *sc;
}

// The result of the expectation whose English text starts with `prefix`.
ExpectationResult result(const std::vector<ExpectationResult>& results, const std::string& prefix) {
  for (const auto& r : results)
    if (r.text.rfind(prefix, 0) == 0) return r;
  ADD_FAILURE() << "no expectation starting \"" << prefix << "\"";
  return {};
}

// A lesson with `extra` appended, loaded from a temporary file.
Result<Scenario> load_with(const std::string& lesson, const std::string& extra, testing::TempDir& dir) {
  const std::string path = dir.file("lesson.toml");
  { std::ofstream(path) << testing::read_text(testing::source_path("scenarios/" + lesson)) << extra; }
  return load_scenario_file(path);
}

TEST(ExpectationVariable, CubicCutsSsthreshToSeventyPercentAndNewRenoToHalf) {
  // RFC 9438 §4.6 (beta_cubic = 0.7) against RFC 5681 §3.1 (half): the cut is read off the Trace.
  const Scenario sc = load("tcp-linux-cubic-vs-newreno.toml");
  const auto results = check_expectations(sc.expectations, run_scenario(sc));
  const auto cubic = result(results, "CUBIC (A) sets ssthresh");
  EXPECT_TRUE(cubic.passed) << cubic.detail;
  EXPECT_NE(cubic.detail.find("to 70% of cwnd"), std::string::npos) << cubic.detail;
  EXPECT_NE(cubic.detail_zh.find("降为 cwnd 的 70%"), std::string::npos) << cubic.detail_zh;
  const auto reno = result(results, "NewReno (C) sets ssthresh");
  EXPECT_TRUE(reno.passed) << reno.detail;
  EXPECT_NE(reno.detail.find("to 50% of cwnd"), std::string::npos) << reno.detail;
}

TEST(ExpectationVariable, MaxAndChangesCountWhatTheHostRecorded) {
  // Window scaling (RFC 7323 §2): A's send window passes 65535 bytes, C's never does; an expectation that
  // claims the opposite fails and says what was seen.
  testing::TempDir dir;
  auto sc = load_with("tcp-linux-window-scaling.toml",
                      "\n[[expect]]\ntext = \"wrong on purpose\"\nvariable = \"snd.wnd\"\nhost = \"C\"\n"
                      "max = { more_than = 65535 }\n",
                      dir);
  ASSERT_TRUE(sc.ok()) << sc.error().message();
  const auto results = check_expectations(sc->expectations, run_scenario(*sc));
  EXPECT_TRUE(result(results, "B's scaled window").passed) << result(results, "B's scaled window").detail;
  const auto wrong = result(results, "wrong on purpose");
  EXPECT_FALSE(wrong.passed);
  EXPECT_EQ(wrong.detail, "C's largest snd.wnd was 65535 bytes, expected more than 65535");
  EXPECT_EQ(wrong.detail_zh, "C 的 snd.wnd 最大为 65535 字节，预期多于 65535");
}

TEST(ExpectationVariable, NoSampleWithoutTimestampsAfterARetransmittedSyn) {
  // Karn's rule (RFC 6298 §3): C records no SRTT at all; A measures 20 ms from its resent SYN (RFC 7323
  // §4.1).
  const Scenario sc = load("tcp-linux-timestamps-rtt.toml");
  const auto results = check_expectations(sc.expectations, run_scenario(sc));
  const auto none = result(results, "without timestamps C takes no RTT sample");
  EXPECT_TRUE(none.passed) << none.detail;
  EXPECT_EQ(none.detail, "C's srtt took 0 values, expected exactly 0");
  const auto a = result(results, "A measures the 20 ms round trip");
  EXPECT_TRUE(a.passed) << a.detail;
  EXPECT_NE(a.detail.find("was 20 ms"), std::string::npos) << a.detail;
}

TEST(ExpectationResend, SackRepairsEveryHoleInOneRoundTripNewRenoOnePerRoundTrip) {
  // RFC 2018 + RFC 8985 against RFC 6582 §3.2: the slowest repair is the measure the lesson states.
  const Scenario sc = load("tcp-linux-sack-vs-nosack.toml");
  const auto results = check_expectations(sc.expectations, run_scenario(sc));
  const auto sack = result(results, "with SACK, A repairs every hole");
  EXPECT_TRUE(sack.passed) << sack.detail;
  EXPECT_NE(sack.detail.find("5 lost; the slowest repair: sent at"), std::string::npos) << sack.detail;
  const auto reno = result(results, "without SACK, the last hole waits");
  EXPECT_TRUE(reno.passed) << reno.detail;
  EXPECT_NE(reno.detail_zh.find("丢失 5 个；最慢的修复"), std::string::npos) << reno.detail_zh;
}

TEST(ExpectationResend, LossNotRepairedBeforeTheRunEndsFails) {
  // The run stops 100 ms in: C's lost tail has not been resent, which is a failure, not a pass.
  testing::TempDir dir;
  std::string text = testing::read_text(testing::source_path("scenarios/tcp-linux-tlp-vs-rto.toml"));
  text.replace(text.find("seed = 1\n"), 9, "seed = 1\nduration = \"100ms\"\n");
  const std::string path = dir.file("short.toml");
  { std::ofstream(path) << text; }
  auto sc = load_scenario_file(path);
  ASSERT_TRUE(sc.ok()) << sc.error().message();
  const auto results = check_expectations(sc->expectations, run_scenario(*sc));
  const auto c = result(results, "the timer resends C's tail");
  EXPECT_FALSE(c.passed);
  EXPECT_NE(c.detail.find("was lost and never resent successfully"), std::string::npos) << c.detail;
}

TEST(ExpectationResend, WithoutFromIsAMistakeNamingTheLine) {
  // Whose losses? The file must say; the message names the file, line and key in both languages.
  testing::TempDir dir;
  auto sc = load_with("tcp-linux-tlp-vs-rto.toml",
                      "\n[[expect]]\ntext = \"x\"\nresend_ms = { at_most = 5 }\n", dir);
  ASSERT_FALSE(sc.ok());
  EXPECT_NE(sc.error().message().find("lesson.toml: line"), std::string::npos) << sc.error().message();
  EXPECT_NE(sc.error().message().find("needs \"from\""), std::string::npos) << sc.error().message();
}

TEST(ExpectationVariable, UnknownVariableSuggestsTheNearestName) {
  // A typo gets the list of variables the Trace follows, as every other enum key does.
  testing::TempDir dir;
  auto sc = load_with("tcp-linux-tlp-vs-rto.toml",
                      "\n[[expect]]\ntext = \"x\"\nvariable = \"cwdn\"\nhost = \"A\"\nmax = 1\n", dir);
  ASSERT_FALSE(sc.ok());
  EXPECT_NE(sc.error().message().find("did you mean \"cwnd\""), std::string::npos) << sc.error().message();
}

TEST(ExpectationVariable, NeedsExactlyOneMeasure) {
  // "changes" and "max" together would be two expectations in one; neither is no expectation at all.
  testing::TempDir dir;
  for (const char* measures : {"changes = 1\nmax = 2\n", ""}) {
    auto sc = load_with(
        "tcp-linux-tlp-vs-rto.toml",
        std::string("\n[[expect]]\ntext = \"x\"\nvariable = \"cwnd\"\nhost = \"A\"\n") + measures, dir);
    ASSERT_FALSE(sc.ok()) << measures;
    EXPECT_NE(
        sc.error().message().find("exactly one of \"changes\", \"max\", \"min\" or \"first_cut_percent\""),
        std::string::npos)
        << sc.error().message();
  }
}

TEST(ExpectationVariable, UnknownHostIsAMistake) {
  // The host must exist; the loader names the hosts there are.
  testing::TempDir dir;
  auto sc = load_with("tcp-linux-tlp-vs-rto.toml",
                      "\n[[expect]]\ntext = \"x\"\nvariable = \"cwnd\"\nhost = \"Z\"\nmax = 1\n", dir);
  ASSERT_FALSE(sc.ok());
  EXPECT_NE(sc.error().message().find("\"Z\""), std::string::npos) << sc.error().message();
}

TEST(ProgramLastByte, NagleAndDelayedAckStallTheTailFortyMilliseconds) {
  // RFC 896 + RFC 1122 §4.2.3.2: C reads the tail a delayed-ACK time and a round trip after A does.
  const Scenario sc = load("tcp-linux-nagle-delayed-ack.toml");
  const auto results = check_expectations(sc.expectations, run_scenario(sc));
  const auto a = result(results, "A reads the whole response");
  const auto c = result(results, "C reads the end of the response");
  EXPECT_TRUE(a.passed) << a.detail;
  EXPECT_TRUE(c.passed) << c.detail;
  EXPECT_NE(a.detail.find("read the last byte at 4"), std::string::npos) << a.detail;
  EXPECT_NE(c.detail_zh.find("读到最后一个字节"), std::string::npos) << c.detail_zh;
}

TEST(ProgramLastByte, NothingReadFails) {
  // A program that read nothing has no last byte: the expectation fails rather than passing at 0 ms.
  testing::TempDir dir;
  auto sc = load_with(
      "tcp-linux-tlp-vs-rto.toml",
      "\n[[expect]]\ntext = \"x\"\nprogram = \"A sends\"\nlast_byte_ms = { at_most = 100000 }\n", dir);
  ASSERT_TRUE(sc.ok()) << sc.error().message();
  const auto x = result(check_expectations(sc->expectations, run_scenario(*sc)), "x");
  EXPECT_FALSE(x.passed);
  EXPECT_EQ(x.detail, "read no byte");
  EXPECT_EQ(x.detail_zh, "没有读到任何字节");
}

}  // namespace scenario_expectation_measures_test
}  // namespace wirestep
