// The scenario loader: every bundled scenario loads, each class of mistake gets one exact, actionable message
// (file, line, column, key, hint), and hostile input never crashes it (STYLE.md §8).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "sim/scenario/scenario_loader.hpp"

namespace wirestep {
namespace scenario_loader_test {

// The smallest useful scenario; each error test changes one thing in it. Line numbers in the expected
// messages refer to this text.
const std::string kMinimal = R"([scenario]
name = "t"

[[host]]
name = "A"
address = "10.0.0.1/24"

[[host]]
name = "B"
address = "10.0.0.2/24"

[[link]]
between = ["A", "B"]
latency = "5ms"

[[program]]
name = "sender"
host = "A"

[[program.step]]
call = "sendto"
to = "B:8080"
text = "hi"
)";

// kMinimal with the one occurrence of `from` replaced by `to`.
std::string with(const std::string& from, const std::string& to, const std::string& base = kMinimal) {
  const auto at = base.find(from);
  EXPECT_NE(at, std::string::npos) << "test bug: \"" << from << "\" not in the scenario";
  EXPECT_EQ(base.find(from, at + 1), std::string::npos) << "test bug: \"" << from << "\" is not unique";
  if (at == std::string::npos) return base;
  std::string out = base;
  out.replace(at, from.size(), to);
  return out;
}

// The message a user would see, or "OK" when the text loads.
std::string message_for(const std::string& text) {
  const Result<Scenario> r = parse_scenario(text, "t.toml");
  return r.ok() ? "OK" : r.error().message();
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::filesystem::path> bundled_scenarios() {
  std::vector<std::filesystem::path> out;
  for (const auto& e :
       std::filesystem::directory_iterator(std::filesystem::path(WIRESTEP_SOURCE_DIR) / "scenarios"))
    if (e.path().extension() == ".toml") out.push_back(e.path());
  std::sort(out.begin(), out.end());  // directory order is not deterministic
  return out;
}

// Marsaglia's xorshift64: the test's own bits, so mutations are the same everywhere (STYLE.md §7).
struct XorShift64 {
  std::uint64_t s;
  std::uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
};

// ---------------------------------------------------------------------------------------------------------
// Valid input

TEST(ScenarioLoad, MinimalScenarioLoadsWithDefaults) {
  // The minimal text loads; what it leaves out takes the documented defaults.
  const Result<Scenario> r = parse_scenario(kMinimal, "t.toml");
  ASSERT_TRUE(r.ok()) << r.error().message();
  const Scenario& sc = *r;
  EXPECT_EQ(sc.file, "t.toml");
  EXPECT_EQ(sc.name, "t");
  EXPECT_EQ(sc.title, "t");
  EXPECT_EQ(sc.seed, 1u);
  EXPECT_FALSE(sc.duration.has_value());
  ASSERT_EQ(sc.hosts.size(), 2u);
  EXPECT_EQ(sc.hosts[1].name, "B");
  EXPECT_EQ(sc.hosts[1].address, wire::Ipv4Addr{0x0A000002});
  EXPECT_EQ(sc.hosts[1].prefix_len, 24);
  ASSERT_EQ(sc.links.size(), 1u);
  EXPECT_EQ(sc.links[0].a_to_b.latency, SimDuration::millis(5));
  EXPECT_EQ(sc.links[0].b_to_a.latency, SimDuration::millis(5));
  EXPECT_EQ(sc.links[0].a_to_b.bandwidth_bps, 0u);
  ASSERT_EQ(sc.programs.size(), 1u);
  ASSERT_EQ(sc.programs[0].steps.size(), 1u);
  const Step& s = sc.programs[0].steps[0];
  EXPECT_EQ(s.call, Step::Call::SendTo);
  EXPECT_EQ(s.line, 20);
  EXPECT_EQ(s.to_addr, wire::Ipv4Addr{0x0A000002});
  EXPECT_EQ(s.to_port, 8080);
  EXPECT_EQ(s.text, "hi");
  EXPECT_EQ(s.encoding, "utf-8");
  EXPECT_EQ(s.count, 1u);
}

TEST(ScenarioLoad, ImpairmentsGoToTheNamedDirection) {
  // direction = "A>B" puts a rule on A's side only; "both" (the default) on both; units parse exactly.
  const std::string text = with("latency = \"5ms\"", R"(latency = "1.5ms"
jitter = "250us"
bandwidth = "10Mbit"
queue = 64

[[link.impairment]]
direction = "A>B"
type = "bernoulli"
loss = "0.5%"

[[link.impairment]]
type = "gilbert-elliott"
p = "1%"
mean_burst = 4)");
  const Result<Scenario> r = parse_scenario(text, "t.toml");
  ASSERT_TRUE(r.ok()) << r.error().message();
  const ScenarioLink& l = r->links[0];
  EXPECT_EQ(l.a_to_b.latency, SimDuration::micros(1500));
  EXPECT_EQ(l.a_to_b.jitter, SimDuration::micros(250));
  EXPECT_EQ(l.a_to_b.bandwidth_bps, 10'000'000u);
  EXPECT_EQ(l.a_to_b.queue_packets, 64u);
  ASSERT_EQ(l.a_to_b.impairments.size(), 2u);
  ASSERT_EQ(l.b_to_a.impairments.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<BernoulliLoss>(l.a_to_b.impairments[0].kind));
  EXPECT_EQ(std::get<BernoulliLoss>(l.a_to_b.impairments[0].kind).loss, 5'000u);
  EXPECT_EQ(l.a_to_b.impairments[0].description, "bernoulli loss 0.5%");
  ASSERT_TRUE(std::holds_alternative<GilbertElliottLoss>(l.b_to_a.impairments[0].kind));
  const auto& ge = std::get<GilbertElliottLoss>(l.b_to_a.impairments[0].kind);
  EXPECT_EQ(ge.p, 10'000u);
  EXPECT_EQ(ge.r, 250'000u);
  EXPECT_EQ(l.b_to_a.impairments[0].description, "gilbert-elliott loss p=1% r=25%");
}

TEST(ScenarioLoad, EveryBundledScenarioLoads) {
  // Each scenarios/*.toml loads from disk, names itself after its file, and has hosts to run.
  const auto files = bundled_scenarios();
  ASSERT_GE(files.size(), 2u);
  for (const auto& f : files) {
    const Result<Scenario> r = load_scenario_file(f.string());
    ASSERT_TRUE(r.ok()) << r.error().message();
    EXPECT_EQ(r->name, f.stem().string()) << f;
    EXPECT_FALSE(r->hosts.empty()) << f;
    EXPECT_FALSE(r->explanation.empty()) << f;
  }
}

TEST(ScenarioLoad, BundledUdpSendtoHasTheSeedExampleValues) {
  // udp-sendto.toml is the seed's example: B:8080 receiver, A:2525 sender at 1 ms with GBK text.
  const Result<Scenario> r = load_scenario_file(
      (std::filesystem::path(WIRESTEP_SOURCE_DIR) / "scenarios" / "udp-sendto.toml").string());
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->seed, 1u);
  ASSERT_EQ(r->links.size(), 1u);
  EXPECT_EQ(r->links[0].a_to_b.latency, SimDuration::millis(5));
  EXPECT_EQ(r->links[0].a_to_b.bandwidth_bps, 100'000'000u);
  ASSERT_EQ(r->programs.size(), 2u);
  const ScenarioProgram& sender = r->programs[1];
  EXPECT_EQ(sender.host, "A");
  ASSERT_EQ(sender.steps.size(), 3u);
  EXPECT_EQ(sender.steps[0].call, Step::Call::Bind);
  EXPECT_EQ(sender.steps[0].port, 2525);
  EXPECT_EQ(sender.steps[1].call, Step::Call::SendTo);
  EXPECT_EQ(sender.steps[1].at, SimTime{SimDuration::millis(1).ns});
  EXPECT_EQ(sender.steps[1].to_port, 8080);
  EXPECT_EQ(sender.steps[1].encoding, "gbk");
  EXPECT_EQ(sender.steps[2].call, Step::Call::Close);
}

TEST(ScenarioLoad, MissingFileNamesThePath) {
  // A path that does not exist gives one message naming it.
  const Result<Scenario> r = load_scenario_file("/nonexistent/dir/x.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "/nonexistent/dir/x.toml: cannot open the scenario file (does it exist and is it readable?)");
}

// ---------------------------------------------------------------------------------------------------------
// One exact message per class of mistake

TEST(ScenarioErrors, TomlSyntaxErrorNamesLineAndColumn) {
  // toml++'s own description, prefixed with the file and the position it stopped at.
  EXPECT_EQ(
      message_for(with("[scenario]", "[scenario")),
      "t.toml: line 1, column 10: TOML syntax: Error while parsing table header: expected ']', saw '\\n'");
  EXPECT_EQ(
      message_for(with("name = \"t\"", "name = = \"t\"")),
      "t.toml: line 2, column 8: TOML syntax: Error while parsing value: could not determine value type");
  EXPECT_EQ(message_for(with("latency = \"5ms\"", "latency = \"5ms")),
            "t.toml: line 14, column 15: TOML syntax: Error while parsing string: unescaped control "
            "characters other "
            "than TAB (U+0009) are explicitly prohibited");
}

TEST(ScenarioErrors, UnknownKeyWithCloseMatchSuggestsIt) {
  // A near miss gets "did you mean"; the position is the key itself.
  EXPECT_EQ(message_for(with("latency =", "lattency =")),
            "t.toml: line 14, column 1: [[link]] key \"lattency\": unknown key (did you mean \"latency\"?)");
  EXPECT_EQ(message_for(with("name = \"t\"", "name = \"t\"\nseeed = 3")),
            "t.toml: line 3, column 1: [scenario] key \"seeed\": unknown key (did you mean \"seed\"?)");
  EXPECT_EQ(message_for(with("[[host]]\nname = \"A\"", "[[hots]]\nname = \"A\"")),
            "t.toml: line 4, column 3: top level key \"hots\": unknown key (did you mean \"host\"?)");
}

TEST(ScenarioErrors, UnknownKeyWithoutCloseMatchListsKnownKeys) {
  // Nothing is close to "colour": the message lists what the table accepts.
  EXPECT_EQ(message_for(with("latency =", "colour =")),
            "t.toml: line 14, column 1: [[link]] key \"colour\": unknown key (known keys: \"between\", "
            "\"latency\", "
            "\"jitter\", \"bandwidth\", \"queue\", \"one_way\", \"impairment\")");
}

TEST(ScenarioErrors, WrongValueTypeNamesExpectedAndFound) {
  // A number where a quantity string belongs, and a string where an integer belongs.
  EXPECT_EQ(message_for(with("latency = \"5ms\"", "latency = 5")),
            "t.toml: line 14, column 11: [[link]] key \"latency\": expected a string, found an integer");
  EXPECT_EQ(message_for(with("name = \"t\"", "name = \"t\"\nseed = \"7\"")),
            "t.toml: line 3, column 8: [scenario] key \"seed\": expected an integer, found a string");
}

TEST(ScenarioErrors, DurationWithoutUnitOrWithUnknownUnitIsRejected) {
  // "20" could mean anything; "parsecs" is not a time unit.
  EXPECT_EQ(
      message_for(with("latency = \"5ms\"", "latency = \"20\"")),
      "t.toml: line 14, column 11: [[link]] key \"latency\": \"20\": a duration needs a unit (ns, us, ms, s, "
      "min), e.g. \"20ms\"");
  EXPECT_EQ(message_for(with("latency = \"5ms\"", "latency = \"20 parsecs\"")),
            "t.toml: line 14, column 11: [[link]] key \"latency\": \"20 parsecs\": unknown time unit "
            "\"parsecs\" (use "
            "ns, us, ms, s or min)");
  EXPECT_EQ(message_for(with("latency = \"5ms\"", "latency = \"5ms\"\nbandwidth = \"10 furlongs\"")),
            "t.toml: line 15, column 13: [[link]] key \"bandwidth\": \"10 furlongs\": unknown rate unit "
            "\"furlongs\" "
            "(use bit, kbit, Mbit or Gbit per second, e.g. \"10Mbit\")");
}

TEST(ScenarioErrors, PercentageOverHundredIsRejected) {
  // A probability above 100% is meaningless.
  EXPECT_EQ(
      message_for(with("latency = \"5ms\"",
                       "latency = \"5ms\"\n\n[[link.impairment]]\ntype = \"bernoulli\"\nloss = \"150%\"")),
      "t.toml: line 18, column 8: [[link.impairment]] #1 key \"loss\": \"150%\": a percentage cannot exceed "
      "100%");
}

TEST(ScenarioErrors, TimeGoingBackwardsBetweenStepsIsRejected) {
  // A step "at 1 ms" after one "at 5 ms" cannot happen: programs run forward.
  const std::string text =
      kMinimal +
      "at = \"5ms\"\n\n[[program.step]]\ncall = \"sendto\"\nat = \"1ms\"\nto = \"B:8080\"\ntext = \"x\"\n";
  EXPECT_EQ(message_for(text),
            "t.toml: line 28, column 6: [[program.step]] #2 of \"sender\" key \"at\": time goes backwards "
            "(1.000 ms "
            "comes after a step at 5.000 ms)");
}

TEST(ScenarioErrors, UndefinedHostIsNamedWithHint) {
  // A host name that is not defined: a near miss gets a hint, anything else lists the hosts.
  EXPECT_EQ(message_for(with("host = \"A\"", "host = \"A2\"")),
            "t.toml: line 18, column 8: [[program]] key \"host\": host \"A2\" is not defined (did you mean "
            "\"A\"?)");
  EXPECT_EQ(message_for(with("host = \"A\"", "host = \"Zebra\"")),
            "t.toml: line 18, column 8: [[program]] key \"host\": host \"Zebra\" is not defined (hosts: "
            "\"A\", \"B\")");
  EXPECT_EQ(message_for(with("between = [\"A\", \"B\"]", "between = [\"A\", \"Bee\"]")),
            "t.toml: line 13, column 17: [[link]] key \"between\": host \"Bee\" is not defined (did you mean "
            "\"B\"?)");
  EXPECT_EQ(
      message_for(with("to = \"B:8080\"", "to = \"BB:8080\"")),
      "t.toml: line 22, column 6: [[program.step]] #1 of \"sender\" key \"to\": host \"BB\" is not defined "
      "(did you mean \"B\"?)");
}

TEST(ScenarioErrors, DuplicateHostNameIsRejected) {
  // Two [[host]] tables named "A".
  EXPECT_EQ(message_for(with("name = \"B\"", "name = \"A\"")),
            "t.toml: line 9, column 8: [[host]] key \"name\": host \"A\" is defined twice");
}

TEST(ScenarioErrors, DuplicateAddressIsRejected) {
  // Two hosts with 10.0.0.1.
  EXPECT_EQ(message_for(with("10.0.0.2/24", "10.0.0.1/24")),
            "t.toml: line 10, column 11: [[host]] key \"address\": 10.0.0.1 is used by two hosts");
}

TEST(ScenarioErrors, LinkToItselfIsRejected) {
  // between = ["A", "A"] is not a link.
  EXPECT_EQ(message_for(with("between = [\"A\", \"B\"]", "between = [\"A\", \"A\"]")),
            "t.toml: line 13, column 11: [[link]] key \"between\": a link needs two different hosts");
}

TEST(ScenarioErrors, UnknownImpairmentTypeIsRejected) {
  // A misspelt type gets a hint; an invented one gets the list.
  EXPECT_EQ(
      message_for(with("latency = \"5ms\"",
                       "latency = \"5ms\"\n\n[[link.impairment]]\ntype = \"bernouli\"\nloss = \"15%\"")),
      "t.toml: line 17, column 8: [[link.impairment]] #1 key \"type\": unknown impairment \"bernouli\" (did "
      "you "
      "mean \"bernoulli\"?)");
  EXPECT_EQ(
      message_for(with("latency = \"5ms\"", "latency = \"5ms\"\n\n[[link.impairment]]\ntype = \"teleport\"")),
      "t.toml: line 17, column 8: [[link.impairment]] #1 key \"type\": unknown impairment \"teleport\" (use "
      "bernoulli, gilbert-elliott, drop, delay, duplicate, reorder or corrupt)");
}

TEST(ScenarioErrors, UnknownSocketCallIsRejected) {
  // "sendot" is a typo of sendto; "transmit" is no socket call at all.
  EXPECT_EQ(message_for(with("call = \"sendto\"", "call = \"sendot\"")),
            "t.toml: line 21, column 8: [[program.step]] #1 of \"sender\" key \"call\": unknown socket call "
            "\"sendot\" (did you mean \"sendto\"?)");
  EXPECT_EQ(message_for(with("call = \"sendto\"", "call = \"transmit\"")),
            "t.toml: line 21, column 8: [[program.step]] #1 of \"sender\" key \"call\": unknown socket call "
            "\"transmit\" (use bind, listen, accept, connect, send, recv, sendto, recvfrom, shutdown, close "
            "or sleep)");
}

TEST(ScenarioErrors, MissingScenarioTableIsRejected) {
  // Without [scenario] there is no name to show; an empty file says the same.
  EXPECT_EQ(message_for(with("[scenario]\nname = \"t\"\n", "")),
            "t.toml: line 1, column 1: the [scenario] table is required (name, explanation, seed)");
  EXPECT_EQ(message_for(""),
            "t.toml: line 1, column 1: the [scenario] table is required (name, explanation, seed)");
}

TEST(ScenarioErrors, ProgramWithoutHostIsRejected) {
  // Regression (found by the mutation test): a [[program]] without "host" crashed instead of saying so.
  EXPECT_EQ(message_for(with("host = \"A\"\n", "")),
            "t.toml: line 16, column 1: [[program]] key \"host\": required but missing");
}

// ---------------------------------------------------------------------------------------------------------
// Hostile input (STYLE.md §8)

void expect_scenario_or_error(const std::string& text, const std::string& what) {
  const Result<Scenario> r = parse_scenario(text, "t.toml");
  if (!r.ok()) {
    EXPECT_FALSE(r.error().reason.empty()) << what;
    EXPECT_EQ(r.error().file, "t.toml") << what;
    EXPECT_FALSE(r.error().where.empty()) << what << ": " << r.error().reason;
  }
}

TEST(ScenarioFuzz, EveryTruncationParsesOrFailsCleanly) {
  // Each bundled scenario cut after every 7th byte: a Scenario or an Error with a reason, never a crash.
  for (const auto& f : bundled_scenarios()) {
    const std::string text = read_file(f);
    ASSERT_FALSE(text.empty()) << f;
    for (std::size_t len = 0; len <= text.size(); len += 7)
      expect_scenario_or_error(text.substr(0, len), f.filename().string() + " cut at " + std::to_string(len));
    const Result<Scenario> whole = parse_scenario(text, "t.toml");
    EXPECT_TRUE(whole.ok()) << f;
  }
}

TEST(ScenarioFuzz, RandomSingleByteMutationsParseOrFailCleanly) {
  // 2,000 single-byte changes per bundled scenario, from a fixed xorshift seed so failures replay.
  constexpr std::uint64_t kSeed = 0x9E3779B97F4A7C15ULL;
  XorShift64 rng{kSeed};
  int errors = 0, loaded = 0;
  for (const auto& f : bundled_scenarios()) {
    const std::string text = read_file(f);
    ASSERT_FALSE(text.empty()) << f;
    for (int i = 0; i < 2000; ++i) {
      std::string mutated = text;
      const std::size_t pos = static_cast<std::size_t>(rng.next() % mutated.size());
      const auto byte = static_cast<char>(static_cast<unsigned char>(rng.next() >> 56));
      mutated[pos] = byte;
      const Result<Scenario> r = parse_scenario(mutated, "t.toml");
      if (r.ok()) {
        ++loaded;
      } else {
        ++errors;
        EXPECT_FALSE(r.error().reason.empty())
            << f << " seed " << kSeed << " mutation " << i << " byte " << pos;
      }
    }
  }
  // Both outcomes occur: many mutations land in comments or text, many break the syntax.
  EXPECT_GT(errors, 0);
  EXPECT_GT(loaded, 0);
}

}  // namespace scenario_loader_test
}  // namespace wirestep
