// A lesson teaches what holds at every seed ("fewer than 100 arrive", "at least one retransmission"), not
// what one seed happened to produce: every bundled lesson must pass all its expectations at seeds 1..20.
// One test per lesson, so CTest runs them in parallel; in-process through the scenario runner.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "sim/scenario/comparison.hpp"
#include "sim/scenario/expectation.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace lesson_any_seed_test {

constexpr std::uint64_t kFirstSeed = 1, kLastSeed = 20;

std::vector<std::string> lesson_names() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(testing::source_path("scenarios")))
    if (e.path().extension() == ".toml") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<ExpectationResult> run_and_check(const Scenario& sc, std::uint64_t seed) {
  if (sc.comparison) {
    // Both runs share the seed, as `wirestep run --seed` does: the links lose the same packets.
    const RunResult tcp = run_scenario(comparison_scenario(sc, true), seed);
    const RunResult udp = run_scenario(comparison_scenario(sc, false), seed);
    const ComparisonResult c = compare_runs(*sc.comparison, tcp, udp);
    return check_expectations(sc.expectations, tcp, &udp, &c);
  }
  return check_expectations(sc.expectations, run_scenario(sc, seed));
}

class LessonAtAnySeed : public ::testing::TestWithParam<std::string> {};

TEST_P(LessonAtAnySeed, EveryExpectationHoldsAtSeedsOneToTwenty) {
  // Goal: the lesson's point is visible whichever seed the learner types.
  const std::string file = testing::source_path("scenarios/" + GetParam() + ".toml");
  auto sc = load_scenario_file(file);
  ASSERT_TRUE(sc.ok()) << sc.error().message();
  ASSERT_FALSE(sc->expectations.empty()) << file;
  for (std::uint64_t seed = kFirstSeed; seed <= kLastSeed; ++seed)
    for (const auto& r : run_and_check(*sc, seed))
      EXPECT_TRUE(r.passed) << "wirestep run " << file << " --seed " << seed << ": " << r.text << " ("
                            << r.detail << ")";
}

INSTANTIATE_TEST_SUITE_P(BundledLessons, LessonAtAnySeed, ::testing::ValuesIn(lesson_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace lesson_any_seed_test
}  // namespace wirestep
