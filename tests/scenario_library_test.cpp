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

namespace wirestep {
namespace {

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

TEST(ScenarioCommand, ScenariosListsEveryBundledFileWithItsTitle) {
  auto r = testing::run_command_line(testing::wirestep_binary() + " scenarios --dir " +
                                     testing::source_path("scenarios"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  for (const auto& f : bundled_scenarios())
    EXPECT_NE(r.output.find(std::filesystem::path(f).filename().string()), std::string::npos) << f;
  EXPECT_NE(r.output.find("三次握手"), std::string::npos);
}

}  // namespace
}  // namespace wirestep
