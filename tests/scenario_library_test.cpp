// The bundled lessons are wirestep's own acceptance tests: every one runs, and every expectation in it
// passes. A mutation test shows the expectations are not vacuous: break the behaviour, see them fail.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "sim/scenario/comparison.hpp"
#include "sim/scenario/expectation.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "test_support.hpp"
#include "ui/cli/commands.hpp"

namespace wirestep {
namespace scenario_library_test {

std::vector<std::string> bundled_scenarios() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(testing::source_path("scenarios")))
    if (e.path().extension() == ".toml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// Runs a scenario (both runs for a comparison) and checks its expectations.
std::vector<ExpectationResult> run_and_check(const Scenario& sc) {
  if (sc.comparison) {
    const RunResult tcp = run_scenario(comparison_scenario(sc, true));
    const RunResult udp = run_scenario(comparison_scenario(sc, false));
    const ComparisonResult c = compare_runs(*sc.comparison, tcp, udp);
    return check_expectations(sc.expectations, tcp, &udp, &c);
  }
  return check_expectations(sc.expectations, run_scenario(sc));
}

TEST(ScenarioLibrary, EveryBundledScenarioMeetsAllItsExpectations) {
  const auto files = bundled_scenarios();
  ASSERT_GE(files.size(), 5u);
  for (const auto& file : files) {
    auto sc = load_scenario_file(file);
    ASSERT_TRUE(sc.ok()) << sc.error().message();
    EXPECT_FALSE(sc->expectations.empty()) << file << " teaches something: it needs an [[expect]]";
    EXPECT_FALSE(sc->title_zh.empty()) << file << " needs a Chinese title";
    EXPECT_FALSE(sc->explanation.empty()) << file << " needs an explanation";
    EXPECT_FALSE(sc->explanation_zh.empty()) << file << " needs a Chinese explanation";
    for (const auto& r : run_and_check(*sc))
      EXPECT_TRUE(r.passed) << file << ": " << r.text << " (" << r.detail << ")";
  }
}

TEST(ScenarioLibrary, RemovingTheLossBreaksTheRetransmissionLesson) {
  // Mutation: tcp-bulk-loss without its 2% loss must fail "repaired by fast retransmit" and "RTO".
  auto sc = load_scenario_file(testing::source_path("scenarios/tcp-bulk-loss.toml"));
  ASSERT_TRUE(sc.ok());
  for (auto& link : sc->links) link.a_to_b.impairments.clear();
  const auto results = run_and_check(*sc);
  const auto failed = std::count_if(results.begin(), results.end(), [](const auto& r) { return !r.passed; });
  EXPECT_GE(failed, 2);
  // The byte stream still arrives: that expectation holds with or without loss.
  EXPECT_TRUE(results[0].passed) << results[0].detail;
}

TEST(ScenarioLibrary, ListeningServerMakesTheRefusedConnectLessonFail) {
  // Mutation: with a server listening on port 80 the SYN gets a SYN-ACK, not a RST.
  auto sc = load_scenario_file(testing::source_path("scenarios/tcp-connect-refused.toml"));
  ASSERT_TRUE(sc.ok());
  ScenarioProgram server{"server", "B", true, {}};
  Step bind;
  bind.call = Step::Call::Bind;
  bind.port = 80;
  Step listen;
  listen.call = Step::Call::Listen;
  server.steps = {bind, listen};
  sc->programs.push_back(server);
  for (const auto& r : run_and_check(*sc)) EXPECT_FALSE(r.passed) << r.text;
}

TEST(ScenarioLibrary, WithoutLossUdpAndTcpDeliverTheSameMessages) {
  // Mutation: the comparison's "UDP loses some" must fail on a clean link.
  auto sc = load_scenario_file(testing::source_path("scenarios/compare-tcp-udp-5pct.toml"));
  ASSERT_TRUE(sc.ok());
  for (auto& link : sc->links) link.a_to_b.impairments.clear(), link.b_to_a.impairments.clear();
  const auto results = run_and_check(*sc);
  bool lost_expectation_failed = false;
  for (const auto& r : results)
    if (r.text.find("UDP loses") != std::string::npos) lost_expectation_failed = !r.passed;
  EXPECT_TRUE(lost_expectation_failed);
}

TEST(ScenarioCommand, RunExitsOneWhenAnExpectationFails) {
  // A scenario whose expectation cannot hold: wirestep run prints FAIL and exits 1.
  testing::TempDir dir;
  std::string text = testing::read_text(testing::source_path("scenarios/udp-sendto.toml"));
  text += "\n[[expect]]\ntext = \"impossible\"\ncount = { proto = \"udp\" }\nequals = 2\n";
  const std::string path = dir.file("bad.toml");
  { std::ofstream(path) << text; }
  auto r = testing::run_command_line(testing::wirestep_binary() + " run " + path + " --quiet");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("FAIL  impossible  (1 counted, expected exactly 2)"), std::string::npos)
      << r.output;
}

TEST(ScenarioCommand, RunExitsTwoOnABadScenario) {
  testing::TempDir dir;
  const std::string path = dir.file("typo.toml");
  {
    std::ofstream(path)
        << "[scenario]\nname = \"t\"\n[[host]]\nname = \"A\"\naddress = \"10.0.0.1\"\nlattency = 3\n";
  }
  auto r = testing::run_command_line(testing::wirestep_binary() + " run " + path);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("line 6, column 1: [[host]] key \"lattency\": unknown key"), std::string::npos)
      << r.output;
}

TEST(ScenarioExpectations, RangesStateTheLessonAndNameTheirBounds) {
  // "fewer than 100 arrive" holds for 87 and for 99, not for 100; the detail says what was expected.
  testing::TempDir dir;
  std::string text = testing::read_text(testing::source_path("scenarios/udp-sendto.toml"));
  text +=
      "\n[[expect]]\ntext = \"some but not all\"\nprogram = \"receiver\"\n"
      "messages_received = { at_least = 1, fewer_than = 2 }\n"
      "\n[[expect]]\ntext = \"more than one\"\ncount = { proto = \"udp\" }\nmore_than = 1\n";
  const std::string path = dir.file("ranges.toml");
  { std::ofstream(path) << text; }
  auto sc = load_scenario_file(path);
  ASSERT_TRUE(sc.ok()) << sc.error().message();
  const auto results = run_and_check(*sc);
  ASSERT_GE(results.size(), 2u);
  const auto& range = results[results.size() - 2];
  EXPECT_TRUE(range.passed) << range.detail;
  EXPECT_EQ(range.detail, "received 1 datagrams (expected at least 1 and fewer than 2)");
  const auto& more = results.back();
  EXPECT_FALSE(more.passed);
  EXPECT_EQ(more.detail, "1 counted, expected more than 1");
}

TEST(ScenarioExpectations, EqualsCombinedWithARangeIsRejected) {
  // A bound that contradicts itself is a mistake in the file, reported with its line.
  testing::TempDir dir;
  std::string text = testing::read_text(testing::source_path("scenarios/udp-sendto.toml"));
  text +=
      "\n[[expect]]\ntext = \"x\"\nprogram = \"receiver\"\n"
      "messages_received = { equals = 1, at_most = 2 }\n";
  const std::string path = dir.file("both.toml");
  { std::ofstream(path) << text; }
  auto sc = load_scenario_file(path);
  ASSERT_FALSE(sc.ok());
  EXPECT_NE(sc.error().message().find("\"equals\" cannot be combined with a range"), std::string::npos)
      << sc.error().message();
}

TEST(ScenarioSeed, WholeNumbersUpToTwoToTheSixtyThreeAreSeeds) {
  // The seed a scenario file can hold (a TOML integer, 0 .. 2^63 - 1) is what --seed accepts.
  std::string why;
  EXPECT_EQ(parse_seed("0", why), 0u);
  EXPECT_EQ(parse_seed("8", why), 8u);
  EXPECT_EQ(parse_seed("9223372036854775807", why), 9223372036854775807u);
  for (const char* bad :
       {"-1", "1e3", "99999999999999999999", "9223372036854775808", "", "+5", "0x10", " 7", "7.0"}) {
    EXPECT_FALSE(parse_seed(bad, why)) << bad;
    EXPECT_NE(why.find("from 0 to 9223372036854775807"), std::string::npos) << why;
  }
}

TEST(ScenarioSeed, RunRefusesANegativeOrOutOfRangeSeedWithExitTwo) {
  // `--seed -1` used to wrap silently to 18446744073709551615; now it is bad input naming the argument.
  const std::string file = testing::source_path("scenarios/udp-sendto.toml");
  for (const char* bad :
       {"--seed -1", "--seed=-1", "--seed 1e3", "--seed 99999999999999999999", "--seed x"}) {
    auto r = testing::run_command_line(testing::wirestep_binary() + " run " + file + " --quiet " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
    EXPECT_NE(r.output.find("--seed"), std::string::npos) << bad << ": " << r.output;
    EXPECT_EQ(r.output.find("18446744073709551615"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("PASS"), std::string::npos) << bad << ": nothing may run: " << r.output;
  }
  auto ok = testing::run_command_line(testing::wirestep_binary() + " run " + file + " --quiet --seed 8");
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_EQ(ok.output.rfind("seed 8 ", 0), 0u) << ok.output;
}

TEST(ScenarioSeed, ScenarioFileSeedOutOfRangeNamesTheKey) {
  // The same limits in a file: a negative, fractional or too large seed is an error naming "seed".
  testing::TempDir dir;
  const std::string text = testing::read_text(testing::source_path("scenarios/udp-sendto.toml"));
  const std::string::size_type at = text.find("\nseed = ");
  ASSERT_NE(at, std::string::npos);
  const std::string::size_type eol = text.find('\n', at + 1);
  for (const char* bad : {"-1", "1e3", "99999999999999999999"}) {
    const std::string path = dir.file("seed.toml");
    { std::ofstream(path) << text.substr(0, at) + "\nseed = " + bad + text.substr(eol); }
    auto sc = load_scenario_file(path);
    ASSERT_FALSE(sc.ok()) << bad;
    EXPECT_NE(sc.error().message().find("seed.toml: line"), std::string::npos) << sc.error().message();
    auto r = testing::run_command_line(testing::wirestep_binary() + " run " + path + " --quiet");
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
  }
}

TEST(ScenarioCommand, ScenariosListsEveryBundledFileWithItsTitle) {
  auto r = testing::run_command_line(testing::wirestep_binary() + " scenarios --dir " +
                                     testing::source_path("scenarios"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  for (const auto& f : bundled_scenarios())
    EXPECT_NE(r.output.find(std::filesystem::path(f).filename().string()), std::string::npos) << f;
  EXPECT_NE(r.output.find("三次握手"), std::string::npos);
}

}  // namespace scenario_library_test
}  // namespace wirestep
