// Editing an open scenario (ui/gui/scenario_edit.hpp): link settings and the seed change the TOML document,
// scripted rules on single packets replay the run with exactly that packet dropped, delayed or copied, and a
// saved file reproduces the edited run. Also the model pieces the edits rely on: scripted delay and
// duplication on a link, and [[link.one_way]] in the loader.
#include <gtest/gtest.h>
#include <imgui.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "headless_app.hpp"
#include "sim/net/link.hpp"
#include "sim/scenario/comparison.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "tests/test_support.hpp"
#include "ui/gui/app.hpp"
#include "ui/model/scenario_edit.hpp"

namespace wirestep::gui {
namespace scenario_edit_test {

// Ten datagrams A -> B, one every 10 ms, over a link that loses 10% in both directions.
const std::string kUdp = R"(# Teaches: a test scenario.
# Second comment line.

[scenario]
name = "edit-test"
seed = 3

[[host]]
name = "A"
address = "10.0.0.1/24"

[[host]]
name = "B"
address = "10.0.0.2/24"

[[link]]
between = ["A", "B"]
latency = "20ms"

[[link.impairment]]
type = "bernoulli"
loss = "10%"

[[program]]
name = "receiver"
host = "B"

[[program.step]]
call = "bind"
port = 8080

[[program.step]]
call = "recvfrom"
size = 1024
count = 10

[[program]]
name = "sender"
host = "A"

[[program.step]]
call = "sendto"
to = "B:8080"
text = "message {n}"
count = 10
interval = "10ms"
)";

EditableScenario load(const std::string& text = kUdp) {
  auto ed = EditableScenario::from_text(text, "edit-test.toml");
  if (!ed) ADD_FAILURE() << ed.error().message();
  return std::move(ed.value());
}

Status apply(EditableScenario& ed, const ScenarioEdit& e, const Trace* run = nullptr) {
  return ed.apply(e, {run});
}

std::vector<Fate> fates(const Trace& t) {
  std::vector<Fate> out;
  for (std::size_t i = 0; i < t.packet_count(); ++i) out.push_back(t.fate(i));
  return out;
}

// The first packet that arrived (a rule can name it), from `from` on.
std::uint32_t first_delivered(const Trace& t, std::uint32_t from = 0) {
  for (std::uint32_t i = from; i < t.packet_count(); ++i)
    if (t.fate(i) == Fate::Delivered) return i;
  ADD_FAILURE() << "no delivered packet after #" << from;
  return 0;
}

// ---------------------------------------------------------------------------------------------------------
// Link settings

TEST(ScenarioEditLink, LatencyOfOneDirectionReachesTheLoadedScenarioOnlyThere) {
  EditableScenario ed = load();
  DirectionSettings s = ed.links()[0].a_to_b;
  EXPECT_EQ(s.latency, SimDuration::millis(20));
  s.latency = SimDuration::micros(35'500);
  ASSERT_TRUE(apply(ed, SetDirection{0, true, s}));
  EXPECT_EQ(ed.scenario().links[0].a_to_b.latency, SimDuration::micros(35'500));
  EXPECT_EQ(ed.scenario().links[0].b_to_a.latency, SimDuration::millis(20));
  EXPECT_NE(ed.text().find("[[link.one_way]]"), std::string::npos) << ed.text();
  EXPECT_NE(ed.text().find("35.5ms"), std::string::npos) << ed.text();
}

TEST(ScenarioEditLink, EqualLatenciesFoldBackIntoTheSharedKey) {
  EditableScenario ed = load();
  DirectionSettings s = ed.links()[0].a_to_b;
  s.latency = SimDuration::millis(50);
  ASSERT_TRUE(apply(ed, SetDirection{0, true, s}));
  ASSERT_TRUE(apply(ed, SetDirection{0, false, s}));
  EXPECT_EQ(ed.scenario().links[0].a_to_b.latency, SimDuration::millis(50));
  EXPECT_EQ(ed.scenario().links[0].b_to_a.latency, SimDuration::millis(50));
  EXPECT_EQ(ed.text().find("one_way"), std::string::npos) << ed.text();
}

TEST(ScenarioEditLink, BandwidthZeroMeansUnlimitedAndRemovesTheKey) {
  EditableScenario ed = load();
  DirectionSettings s = ed.links()[0].a_to_b;
  s.bandwidth_bps = 1'500'000;
  ASSERT_TRUE(apply(ed, SetDirection{0, true, s}));
  EXPECT_EQ(ed.scenario().links[0].a_to_b.bandwidth_bps, 1'500'000u);
  EXPECT_EQ(ed.scenario().links[0].b_to_a.bandwidth_bps, 0u);
  s.bandwidth_bps = 0;
  ASSERT_TRUE(apply(ed, SetDirection{0, true, s}));
  EXPECT_EQ(ed.scenario().links[0].a_to_b.bandwidth_bps, 0u);
  EXPECT_EQ(ed.text().find("bandwidth"), std::string::npos) << ed.text();
}

TEST(ScenarioEditLink, LossOfOneDirectionSplitsASharedRuleAndKeepsTheOtherDirection) {
  EditableScenario ed = load();
  DirectionSettings s = ed.links()[0].a_to_b;
  EXPECT_EQ(s.loss, 100'000u);
  s.loss = 250'000;
  ASSERT_TRUE(apply(ed, SetDirection{0, true, s}));
  const ScenarioLink& l = ed.scenario().links[0];
  ASSERT_EQ(l.a_to_b.impairments.size(), 1u);
  ASSERT_EQ(l.b_to_a.impairments.size(), 1u);
  EXPECT_EQ(std::get<BernoulliLoss>(l.a_to_b.impairments[0].kind).loss, 250'000u);
  EXPECT_EQ(std::get<BernoulliLoss>(l.b_to_a.impairments[0].kind).loss, 100'000u);
}

TEST(ScenarioEditLink, ZeroLossInOneDirectionDeliversAllThereAndKeepsTheOtherDirectionsRule) {
  // The other direction's rule stays rule 1 of B>A, so it keeps its random stream.
  EditableScenario ed = load();
  DirectionSettings s = ed.links()[0].a_to_b;
  s.loss = 0;
  ASSERT_TRUE(apply(ed, SetDirection{0, true, s}));
  const RunResult run = run_scenario(ed.scenario());
  EXPECT_NE(std::find(run.trace.drop_rules().begin(), run.trace.drop_rules().end(),
                      "link B>A rule 1: bernoulli loss 10%"),
            run.trace.drop_rules().end());
  for (std::size_t i = 0; i < run.trace.packet_count(); ++i) EXPECT_EQ(run.trace.fate(i), Fate::Delivered);
}

TEST(ScenarioEditLink, BurstLossAddsAGilbertElliottRuleWithTheMeanBurst) {
  EditableScenario ed = load();
  DirectionSettings s = ed.links()[0].a_to_b;
  s.burst_start = 20'000;
  s.mean_burst = 4;
  ASSERT_TRUE(apply(ed, SetDirection{0, true, s}));
  const auto& imps = ed.scenario().links[0].a_to_b.impairments;
  ASSERT_EQ(imps.size(), 2u);
  const auto& g = std::get<GilbertElliottLoss>(imps[1].kind);
  EXPECT_EQ(g.p, 20'000u);
  EXPECT_EQ(g.r, 250'000u);
  EXPECT_EQ(ed.links()[0].a_to_b.mean_burst, 4u);
  EXPECT_EQ(ed.scenario().links[0].b_to_a.impairments.size(), 1u);
}

TEST(ScenarioEditLink, SeedChangesTheLossPattern) {
  EditableScenario ed = load();
  const RunResult before = run_scenario(ed.scenario());
  ASSERT_TRUE(apply(ed, SetSeed{99}));
  EXPECT_EQ(ed.scenario().seed, 99u);
  const RunResult after = run_scenario(ed.scenario());
  EXPECT_EQ(before.trace.packet_count(), after.trace.packet_count());
  bool differ = false;
  DirectionSettings s = ed.links()[0].a_to_b;
  s.loss = 500'000;  // with half the packets lost, two seeds agreeing on all ten would be a 1-in-1000 fluke
  ASSERT_TRUE(apply(ed, SetDirection{0, true, s}));
  const RunResult a = run_scenario(ed.scenario());
  ASSERT_TRUE(apply(ed, SetSeed{3}));
  const RunResult b = run_scenario(ed.scenario());
  for (std::size_t i = 0; i < std::min(a.trace.packet_count(), b.trace.packet_count()); ++i)
    differ |= a.trace.fate(i) != b.trace.fate(i);
  EXPECT_TRUE(differ);
}

TEST(ScenarioEditLink, InvalidValuesAreRejectedWithAMessageAndChangeNothing) {
  EditableScenario ed = load();
  const std::string before = ed.text();
  DirectionSettings s = ed.links()[0].a_to_b;
  s.loss = 1'500'000;
  const Status loss = apply(ed, SetDirection{0, true, s});
  ASSERT_FALSE(loss);
  EXPECT_NE(loss.error().message().find("cannot exceed 100%"), std::string::npos);
  s = ed.links()[0].a_to_b;
  s.mean_burst = 0;
  EXPECT_FALSE(apply(ed, SetDirection{0, true, s}));
  s = ed.links()[0].a_to_b;
  s.bandwidth_bps = 10;
  const Status bw = apply(ed, SetDirection{0, true, s});
  ASSERT_FALSE(bw);
  EXPECT_NE(bw.error().message().find("1 kbit/s"), std::string::npos);
  EXPECT_FALSE(apply(ed, SetDirection{5, true, ed.links()[0].a_to_b}));
  EXPECT_EQ(ed.text(), before);
  EXPECT_FALSE(ed.edited());
}

// ---------------------------------------------------------------------------------------------------------
// Scripted rules on one packet

TEST(ScenarioEditPacket, DropOfPacketNLosesExactlyThatPacket) {
  EditableScenario ed = load();
  const RunResult before = run_scenario(ed.scenario());
  // A delivered datagram after at least one lost one: its rule position skips the packets lost before it.
  std::uint32_t target = 0;
  for (std::uint32_t i = 0; i < before.trace.packet_count(); ++i)
    if (before.trace.fate(i) == Fate::DroppedByLink) target = first_delivered(before.trace, i);
  ASSERT_GT(target, 0u) << "the seed should lose one of the ten datagrams";
  ASSERT_TRUE(apply(ed, AddPacketRule{0, target, PacketAction::Drop}, &before.trace));
  const RunResult after = run_scenario(ed.scenario());
  std::vector<Fate> expected = fates(before.trace);
  expected[target] = Fate::DroppedByLink;
  EXPECT_EQ(fates(after.trace), expected);
  EXPECT_NE(
      after.trace.drop_rules()[after.trace.packet(target).rule - 1].find("scripted drop of udp packets"),
      std::string::npos);
}

TEST(ScenarioEditPacket, DuplicateAddsOneArrival) {
  EditableScenario ed = load();
  const RunResult before = run_scenario(ed.scenario());
  const std::uint32_t target = first_delivered(before.trace, 4);
  ASSERT_TRUE(apply(ed, AddPacketRule{0, target, PacketAction::Duplicate}, &before.trace));
  const RunResult after = run_scenario(ed.scenario());
  auto delivered = [](const Trace& t) {
    int n = 0;
    for (std::size_t i = 0; i < t.packet_count(); ++i) n += t.fate(i) == Fate::Delivered;
    return n;
  };
  EXPECT_EQ(after.trace.packet_count(), before.trace.packet_count() + 1);
  EXPECT_EQ(delivered(after.trace), delivered(before.trace) + 1);
  EXPECT_TRUE(after.trace.marks(target + 1) & mark::kDuplicate);
}

TEST(ScenarioEditPacket, DelayMakesThatPacketArriveLater) {
  EditableScenario ed = load();
  const RunResult before = run_scenario(ed.scenario());
  const std::uint32_t target = first_delivered(before.trace, 2);
  ASSERT_TRUE(
      apply(ed, AddPacketRule{0, target, PacketAction::Delay, SimDuration::millis(45)}, &before.trace));
  const RunResult after = run_scenario(ed.scenario());
  ASSERT_EQ(after.trace.packet_count(), before.trace.packet_count());
  EXPECT_EQ(after.trace.packet(target).arrive, before.trace.packet(target).arrive + SimDuration::millis(45));
  EXPECT_TRUE(after.trace.marks(target) & mark::kReordered);
  for (std::uint32_t i = 0; i < after.trace.packet_count(); ++i) {
    if (i == target) continue;
    EXPECT_EQ(after.trace.packet(i).arrive, before.trace.packet(i).arrive) << "packet " << i;
  }
}

TEST(ScenarioEditPacket, DropOfATcpDataSegmentIsRepairedByARetransmission) {
  auto ed = EditableScenario::from_file(testing::source_path("scenarios/tcp-handshake.toml"));
  ASSERT_TRUE(ed) << ed.error().message();
  const RunResult before = run_scenario(ed->scenario());
  std::uint32_t data = before.trace.packet_count();
  for (std::uint32_t i = 0; i < before.trace.packet_count() && data == before.trace.packet_count(); ++i)
    if (before.trace.payload_len(i) > 0) data = i;
  ASSERT_LT(data, before.trace.packet_count());
  ASSERT_TRUE(ed->apply(AddPacketRule{0, data, PacketAction::Drop}, {&before.trace}));
  const RunResult after = run_scenario(ed->scenario());
  EXPECT_EQ(after.trace.fate(data), Fate::DroppedByLink);
  int retransmissions = 0;
  for (std::size_t i = 0; i < after.trace.packet_count(); ++i)
    retransmissions += after.trace.packet(i).cause == Cause::RtoRetransmission;
  EXPECT_GE(retransmissions, 1);
}

TEST(ScenarioEditPacket, LostPacketsAndLinkCopiesCannotBeTargeted) {
  EditableScenario ed = load();
  const RunResult before = run_scenario(ed.scenario());
  std::uint32_t lost = before.trace.packet_count();
  for (std::uint32_t i = 0; i < before.trace.packet_count(); ++i)
    if (before.trace.fate(i) == Fate::DroppedByLink) lost = i;
  ASSERT_LT(lost, before.trace.packet_count());
  const Status s = apply(ed, AddPacketRule{0, lost, PacketAction::Delay}, &before.trace);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("already lost"), std::string::npos) << s.error().message();

  ASSERT_TRUE(
      apply(ed, AddPacketRule{0, first_delivered(before.trace), PacketAction::Duplicate}, &before.trace));
  const RunResult copied = run_scenario(ed.scenario());
  const std::uint32_t copy = first_delivered(before.trace) + 1;
  ASSERT_TRUE(copied.trace.marks(copy) & mark::kDuplicate);
  const Status c = apply(ed, AddPacketRule{0, copy, PacketAction::Drop}, &copied.trace);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message().find("copy the link made"), std::string::npos);
  EXPECT_FALSE(apply(ed, AddPacketRule{0, 9999, PacketAction::Drop}, &copied.trace));
  EXPECT_FALSE(apply(ed, AddPacketRule{0, 0, PacketAction::Delay, SimDuration{}}, &copied.trace));
}

TEST(ScenarioEditPacket, RulesAreListedAndRemovingOneRestoresTheRun) {
  EditableScenario ed = load();
  const RunResult before = run_scenario(ed.scenario());
  const std::uint32_t target = first_delivered(before.trace, 3);
  ASSERT_TRUE(apply(ed, AddPacketRule{0, target, PacketAction::Drop}, &before.trace));
  const auto rules = ed.scripted_rules();
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].link, 0u);
  EXPECT_EQ(rules[0].impairment, 1u);
  EXPECT_EQ(rules[0].text.rfind("A>B: scripted drop of udp packets #", 0), 0u) << rules[0].text;
  ASSERT_TRUE(apply(ed, RemoveRule{rules[0].link, rules[0].impairment}));
  EXPECT_TRUE(ed.scripted_rules().empty());
  EXPECT_EQ(fates(run_scenario(ed.scenario()).trace), fates(before.trace));
  EXPECT_FALSE(apply(ed, RemoveRule{0, 0}));  // the loss rule is not a scripted rule
}

TEST(ScenarioEditPacket, RuleInTheTcpRunOfAComparisonLeavesTheUdpRunAlone) {
  auto ed = EditableScenario::from_file(testing::source_path("scenarios/compare-tcp-udp-5pct.toml"));
  ASSERT_TRUE(ed) << ed.error().message();
  const Scenario& sc = ed->scenario();
  const RunResult tcp = run_scenario(comparison_scenario(sc, true), sc.seed);
  const RunResult udp = run_scenario(comparison_scenario(sc, false), sc.seed);
  const std::uint32_t target = first_delivered(tcp.trace, 10);
  ASSERT_TRUE(ed->apply(AddPacketRule{0, target, PacketAction::Drop}, {&tcp.trace, &udp.trace}));
  const Scenario& edited = ed->scenario();
  EXPECT_EQ(run_scenario(comparison_scenario(edited, true), edited.seed).trace.fate(target),
            Fate::DroppedByLink);
  EXPECT_EQ(fates(run_scenario(comparison_scenario(edited, false), edited.seed).trace), fates(udp.trace));
}

// ---------------------------------------------------------------------------------------------------------
// Saving

TEST(ScenarioEditSave, SavedFileLoadsAndReproducesTheEditedRunExactly) {
  EditableScenario ed = load();
  RunResult run = run_scenario(ed.scenario());
  DirectionSettings s = ed.links()[0].b_to_a;
  s.latency = SimDuration::millis(7);
  ASSERT_TRUE(apply(ed, SetDirection{0, false, s}));
  ASSERT_TRUE(apply(ed, SetSeed{11}));
  run = run_scenario(ed.scenario());
  ASSERT_TRUE(apply(ed, AddPacketRule{0, first_delivered(run.trace, 1), PacketAction::Drop}, &run.trace));
  run = run_scenario(ed.scenario());
  ASSERT_TRUE(
      apply(ed, AddPacketRule{0, first_delivered(run.trace, 5), PacketAction::Duplicate}, &run.trace));
  run = run_scenario(ed.scenario());
  ASSERT_TRUE(apply(ed, AddPacketRule{0, first_delivered(run.trace, 7), PacketAction::Delay}, &run.trace));
  const RunResult edited = run_scenario(ed.scenario());

  const std::string path =
      (std::filesystem::temp_directory_path() / ("wirestep-edit-" + std::to_string(::getpid()) + ".toml"))
          .string();
  ASSERT_TRUE(ed.save(path));
  auto reloaded = load_scenario_file(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(reloaded) << reloaded.error().message();
  const RunResult again = run_scenario(*reloaded);
  ASSERT_EQ(again.trace.packet_count(), edited.trace.packet_count());
  for (std::size_t i = 0; i < again.trace.packet_count(); ++i) {
    EXPECT_EQ(again.trace.fate(i), edited.trace.fate(i)) << "packet " << i;
    EXPECT_EQ(again.trace.packet(i).arrive, edited.trace.packet(i).arrive) << "packet " << i;
  }
  EXPECT_EQ(again.seed, 11u);
}

TEST(ScenarioEditSave, WirestepRunOnTheSavedFileReportsTheEditedRun) {
  // Three more datagrams dropped by hand: `wirestep run` on the saved file sees exactly those losses.
  auto ed = EditableScenario::from_file(testing::source_path("scenarios/udp-loss.toml"));
  ASSERT_TRUE(ed) << ed.error().message();
  for (std::uint32_t from : {10u, 40u, 70u}) {
    const RunResult run = run_scenario(ed->scenario());
    ASSERT_TRUE(
        ed->apply(AddPacketRule{0, first_delivered(run.trace, from), PacketAction::Drop}, {&run.trace}));
  }
  const RunResult edited = run_scenario(ed->scenario());
  int delivered = 0;
  for (std::size_t i = 0; i < edited.trace.packet_count(); ++i)
    delivered += edited.trace.fate(i) == Fate::Delivered;
  const std::string path =
      (std::filesystem::temp_directory_path() / ("wirestep-cli-" + std::to_string(::getpid()) + ".toml"))
          .string();
  ASSERT_TRUE(ed->save(path));
  // --width 0: the drop rule's text must not be wrapped to the 80 columns of a pipe.
  const auto r = testing::run_command_line(testing::wirestep_binary() + " run --width 0 " + path);
  std::filesystem::remove(path);
  EXPECT_NE(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("received " + std::to_string(delivered) + " datagrams"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("scripted drop of udp packets"), std::string::npos) << r.output;
}

TEST(ScenarioEditSave, TextKeepsTheOpeningCommentAndNotesTheEdit) {
  EditableScenario ed = load();
  EXPECT_EQ(ed.text().rfind("# Teaches: a test scenario.\n# Second comment line.\n", 0), 0u);
  EXPECT_EQ(ed.text().find("Edited in wirestep"), std::string::npos);
  ASSERT_TRUE(apply(ed, SetSeed{4}));
  EXPECT_NE(ed.text().find("# Edited in wirestep"), std::string::npos);
  EXPECT_LT(ed.text().find("[scenario]"), ed.text().find("[[host]]"));
}

TEST(ScenarioEditSave, EveryBundledScenarioRunsTheSameFromItsRewrittenText) {
  // The document is rewritten by toml++ before the first edit: it must still mean the same thing.
  for (const auto& entry : std::filesystem::directory_iterator(testing::source_path("scenarios"))) {
    if (entry.path().extension() != ".toml") continue;
    auto original = load_scenario_file(entry.path().string());
    ASSERT_TRUE(original) << original.error().message();
    auto ed = EditableScenario::from_file(entry.path().string());
    ASSERT_TRUE(ed) << entry.path() << ": " << ed.error().message();
    if (original->comparison) continue;  // compared below through the loader: same links and workload
    const RunResult a = run_scenario(*original), b = run_scenario(ed->scenario());
    EXPECT_EQ(fates(a.trace), fates(b.trace)) << entry.path();
  }
}

TEST(ScenarioEditSave, UnwritablePathGivesAMessage) {
  EditableScenario ed = load();
  const Status s = ed.save("/nonexistent-folder/x.toml");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("cannot write"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------------------
// Quantities and the re-run throttle

TEST(ScenarioEditFormat, DurationsAndRatesRoundTripThroughTheLoaderUnits) {
  EXPECT_EQ(format_duration_value(SimDuration::micros(12'500)), "12.5ms");
  EXPECT_EQ(format_duration_value(SimDuration::seconds(2)), "2s");
  EXPECT_EQ(format_duration_value(SimDuration{}), "0ms");
  EXPECT_EQ(format_duration_value(SimDuration{1'000'001}), "1.000001ms");
  EXPECT_EQ(format_bandwidth_value(10'000'000), "10Mbit");
  EXPECT_EQ(format_bandwidth_value(1'500'000), "1500kbit");
  EXPECT_EQ(format_bandwidth_value(1'234), "1234bit");
}

TEST(RerunThrottle, DraggingRerunsAtMostEveryIntervalAndAlwaysOnRelease) {
  RerunThrottle t(0.1);
  EXPECT_TRUE(t.due(0.00, true, false));
  EXPECT_FALSE(t.due(0.05, true, false));
  EXPECT_TRUE(t.due(0.11, true, false));
  EXPECT_TRUE(t.due(0.12, true, true));    // released: the last value runs at once
  EXPECT_FALSE(t.due(0.30, false, true));  // nothing changed since the last run
}

// ---------------------------------------------------------------------------------------------------------
// The model behind the edits: scripted delay and duplication, per-direction link settings

PacketTraits udp(std::uint32_t bytes = 100) {
  return PacketTraits{Transport::Udp, 0, bytes - 42, bytes};
}

TEST(LinkScriptedDelay, NthPacketArrivesLateAndIsMarkedHeldBack) {
  ScriptedDelay d;
  d.nth = {2};
  d.delay = SimDuration::millis(30);
  LinkParams p;
  p.latency = SimDuration::millis(10);
  p.impairments.push_back(Impairment{d, ""});
  Trace trace;
  LinkDirection link("A>B", p, 1, trace);
  const LinkVerdict v1 = link.transmit(SimTime{0}, udp());
  const LinkVerdict v2 = link.transmit(SimTime{1000}, udp());
  const LinkVerdict v3 = link.transmit(SimTime{2000}, udp());
  EXPECT_EQ(v1.arrive, SimTime{10'000'000});
  EXPECT_EQ(v2.arrive, SimTime{40'001'000});
  EXPECT_TRUE(v2.marks & mark::kReordered);
  EXPECT_EQ(v3.arrive, SimTime{10'002'000});  // the next packet overtakes the held one
  EXPECT_EQ(trace.drop_rules()[0], "link A>B rule 1: scripted delay of packets #2 (+30.000 ms)");
}

TEST(LinkScriptedDuplicate, CopiesOnlyTheNamedPacketAndSkipsPacketsAnEarlierRuleDropped) {
  ScriptedDrop drop;
  drop.nth = {1};
  ScriptedDuplicate copy;
  copy.nth = {2};
  LinkParams p;
  p.impairments = {Impairment{drop, ""}, Impairment{copy, ""}};
  Trace trace;
  LinkDirection link("A>B", p, 1, trace);
  std::vector<LinkVerdict> v;
  for (int i = 0; i < 4; ++i) v.push_back(link.transmit(SimTime{i * 1000LL}, udp()));
  // Packet 1 is dropped before the copy rule sees it: the copy rule's 2nd packet is the 3rd sent.
  EXPECT_EQ(v[0].fate, Fate::DroppedByLink);
  EXPECT_FALSE(v[1].duplicate);
  EXPECT_TRUE(v[2].duplicate);
  EXPECT_FALSE(v[3].duplicate);
}

std::string with_link(const std::string& link_tables) {
  return "[scenario]\nname = \"t\"\n[[host]]\nname = \"A\"\naddress = \"10.0.0.1/24\"\n[[host]]\nname = "
         "\"B\"\naddress = \"10.0.0.2/24\"\n" +
         link_tables;
}

TEST(ScenarioLoaderScriptedRules, DelayAndScriptedDuplicateAndOneWayAreRead) {
  auto sc = parse_scenario(with_link(R"([[link]]
between = ["A", "B"]
latency = "10ms"
bandwidth = "10Mbit"
[[link.one_way]]
direction = "B>A"
latency = "40ms"
bandwidth = "1Mbit"
[[link.impairment]]
direction = "A>B"
type = "delay"
nth = 3
delay = "250ms"
[[link.impairment]]
type = "duplicate"
proto = "tcp"
nth = [1, 2]
)"),
                           "t.toml");
  ASSERT_TRUE(sc) << sc.error().message();
  const ScenarioLink& l = sc->links[0];
  EXPECT_EQ(l.a_to_b.latency, SimDuration::millis(10));
  EXPECT_EQ(l.b_to_a.latency, SimDuration::millis(40));
  EXPECT_EQ(l.a_to_b.bandwidth_bps, 10'000'000u);
  EXPECT_EQ(l.b_to_a.bandwidth_bps, 1'000'000u);
  ASSERT_EQ(l.a_to_b.impairments.size(), 2u);
  const auto& d = std::get<ScriptedDelay>(l.a_to_b.impairments[0].kind);
  EXPECT_EQ(d.nth, std::vector<std::uint32_t>{3});
  EXPECT_EQ(d.delay, SimDuration::millis(250));
  const auto& c = std::get<ScriptedDuplicate>(l.b_to_a.impairments[0].kind);
  EXPECT_EQ(c.proto, Transport::Tcp);
  EXPECT_EQ(c.nth, (std::vector<std::uint32_t>{1, 2}));
}

TEST(ScenarioLoaderScriptedRules, MistakesNameTheKey) {
  auto both = parse_scenario(
      with_link("[[link]]\nbetween = [\"A\", \"B\"]\n[[link.impairment]]\ntype = \"duplicate\"\nchance = "
                "\"5%\"\nnth = 2\n"),
      "t.toml");
  ASSERT_FALSE(both);
  EXPECT_NE(both.error().message().find("give either \"chance\" or a selection"), std::string::npos)
      << both.error().message();
  auto no_delay = parse_scenario(
      with_link("[[link]]\nbetween = [\"A\", \"B\"]\n[[link.impairment]]\ntype = \"delay\"\nnth = 2\n"),
      "t.toml");
  ASSERT_FALSE(no_delay);
  EXPECT_NE(no_delay.error().message().find("key \"delay\": required"), std::string::npos)
      << no_delay.error().message();
  auto bad_way = parse_scenario(
      with_link(
          "[[link]]\nbetween = [\"A\", \"B\"]\n[[link.one_way]]\ndirection = \"A>C\"\nlatency = \"1ms\"\n"),
      "t.toml");
  ASSERT_FALSE(bad_way);
  EXPECT_NE(bad_way.error().message().find("\"A>C\" must be \"A>B\" or \"B>A\""), std::string::npos)
      << bad_way.error().message();
}

// ---------------------------------------------------------------------------------------------------------
// The App: an edit replays the run in place; frames with the Link tab and the packet actions draw

class EditInApp : public HeadlessAppTest {};

TEST_F(EditInApp, DropKeepsViewCursorAndSelectionAndLosesThePacket) {
  ASSERT_EQ(app_->open(testing::source_path("scenarios/udp-loss.toml")), std::nullopt);
  ASSERT_NE(app_->editable(), nullptr);
  const Trace& before = app_->doc().traces[0]->trace;
  const std::uint32_t target = first_delivered(before, 20);
  app_->set_cursor(before.packet(target).time.ns + 5'000'000);
  app_->select(PacketRef{0, target});
  const ViewState view = app_->view();
  const std::uint64_t generation = app_->doc().generation;
  ASSERT_EQ(app_->edit_scenario(AddPacketRule{0, target, PacketAction::Drop}), std::nullopt);
  EXPECT_NE(app_->doc().generation, generation);
  EXPECT_EQ(app_->doc().traces[0]->trace.fate(target), Fate::DroppedByLink);
  EXPECT_EQ(app_->view().cursor.time_ns, view.cursor.time_ns);
  EXPECT_EQ(app_->view().selected, view.selected);
  EXPECT_EQ(app_->view().view_begin_ns, view.view_begin_ns);
  EXPECT_EQ(app_->view().view_end_ns, view.view_end_ns);
  ASSERT_NE(app_->editable(), nullptr);
  EXPECT_EQ(app_->editable()->scripted_rules().size(), 1u);
  app_->show_link_tab();
  EXPECT_GT(frame(), 1000);
  EXPECT_GT(frame(), 1000);
}

TEST_F(EditInApp, RefusedEditKeepsTheRunAndSaysWhy) {
  ASSERT_EQ(app_->open(testing::source_path("scenarios/tcp-handshake.toml")), std::nullopt);
  const std::uint64_t generation = app_->doc().generation;
  DirectionSettings s = app_->editable()->links()[0].a_to_b;
  s.mean_burst = 0;
  const auto failed = app_->edit_scenario(SetDirection{0, true, s});
  ASSERT_TRUE(failed.has_value());
  EXPECT_TRUE(app_->edit_failed());
  EXPECT_NE(app_->edit_message().find("mean burst"), std::string::npos) << app_->edit_message();
  EXPECT_EQ(app_->doc().generation, generation);
  app_->show_link_tab();
  EXPECT_GT(frame(), 1000);
}

TEST_F(EditInApp, ComparisonReplaysBothRunsAndSavedFileLoads) {
  ASSERT_EQ(app_->open(testing::source_path("scenarios/compare-loss-5pct.toml")), std::nullopt);
  DirectionSettings s = app_->editable()->links()[0].a_to_b;
  s.loss = 200'000;
  ASSERT_EQ(app_->edit_scenario(SetDirection{0, true, s}), std::nullopt);
  ASSERT_EQ(app_->doc().traces.size(), 2u);
  ASSERT_TRUE(app_->doc().comparison.has_value());
  const std::string path =
      (std::filesystem::temp_directory_path() / ("wirestep-app-" + std::to_string(::getpid()) + ".toml"))
          .string();
  ASSERT_EQ(app_->save_scenario(path), std::nullopt);
  auto reloaded = load_scenario_file(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(reloaded) << reloaded.error().message();
  EXPECT_EQ(std::get<BernoulliLoss>(reloaded->links[0].a_to_b.impairments[0].kind).loss, 200'000u);
  app_->show_link_tab();
  EXPECT_GT(frame(), 1000);
}

TEST_F(EditInApp, InMemoryTraceIsNotEditable) {
  ASSERT_EQ(app_->open(testing::source_path("scenarios/udp-loss.toml")), std::nullopt);
  ASSERT_NE(app_->editable(), nullptr);
  app_->open_trace(Trace{}, "empty");
  EXPECT_EQ(app_->editable(), nullptr);
  EXPECT_TRUE(app_->edit_scenario(SetSeed{2}).has_value());
}

}  // namespace scenario_edit_test
}  // namespace wirestep::gui
