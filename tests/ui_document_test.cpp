// The desktop UI's document without a window (ui/model/): opening a lesson, a comparison and a capture from
// the corpus builds the indexes the views draw from (traces, columns, flows, step order, time range), a bad
// file keeps what was open, edits and flow choices replace the document, and a frame number maps back to
// the capture's file.
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <fstream>

#include "sim/analysis/flow_list.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "test_support.hpp"
#include "ui/cli/commands.hpp"
#include "ui/model/document.hpp"
#include "ui/model/document_loader.hpp"
#include "ui/model/open_document.hpp"
#include "ui/model/save_pcap.hpp"
#include "ui/model/scenario_list.hpp"

// The document is headless: nothing above may bring in Dear ImGui or GLFW.
#ifdef IMGUI_VERSION
#error "a ui/model header includes imgui.h"
#endif
#ifdef GLFW_VERSION_MAJOR
#error "a ui/model header includes GLFW"
#endif

namespace wirestep {
namespace ui_document_test {

std::string lesson(const std::string& name) {
  return testing::source_path("scenarios/" + name);
}

std::string corpus(const std::string& name) {
  return std::string(WIRESTEP_CORPUS_DIR) + "/tcpdump/" + name;
}

// Every step from the start to the end, as the step buttons walk them.
std::size_t count_steps(const StepOrder& steps) {
  std::size_t n = 0;
  for (auto s = steps.first(); s; s = steps.next(Cursor{s->time_ns, s})) ++n;
  return n;
}

std::int64_t longest_flight(const Trace& t) {
  std::int64_t longest = 0;
  for (std::size_t i = 0; i < t.packet_count(); ++i)
    longest = std::max(longest, t.packet(i).arrive.ns - t.packet(i).time.ns);
  return longest;
}

TEST(DocumentOpen, LessonRunsIntoOneIndexedTraceWithHostColumnsAndEveryStep) {
  // A lesson opens as one run: a column per host, each flow's ends on them, events beside the lanes, and
  // a step order that holds every send, every arrival and every step event once.
  OpenDocument d;
  ASSERT_EQ(d.open(lesson("tcp-handshake.toml")), std::nullopt);
  const Document& doc = d.doc();
  EXPECT_EQ(doc.generation, 1u);
  EXPECT_FALSE(doc.capture);
  EXPECT_EQ(doc.title, "TCP: handshake, request and response, teardown");
  EXPECT_TRUE(std::filesystem::path(doc.source).is_absolute());
  EXPECT_NE(d.scenario(), nullptr);
  EXPECT_TRUE(d.error().empty());
  ASSERT_EQ(doc.traces.size(), 1u);

  const LoadedTrace& lt = *doc.traces[0];
  EXPECT_EQ(lt.label, "");
  ASSERT_EQ(lt.columns.size(), 2u);
  EXPECT_EQ(lt.columns[0].name, "A");
  EXPECT_EQ(lt.columns[0].address, "10.0.0.1/24");
  EXPECT_EQ(lt.columns[1].name, "B");
  ASSERT_EQ(lt.flow_columns.size(), lt.trace.flows().size());
  EXPECT_EQ(lt.flow_columns[0].a, 0);
  EXPECT_EQ(lt.flow_columns[0].b, 1);
  EXPECT_TRUE(lt.rel.has_value());
  EXPECT_EQ(lt.max_flight_ns, longest_flight(lt.trace));
  EXPECT_TRUE(lt.kinds_present[static_cast<std::size_t>(ArrowKind::Control)]);
  EXPECT_TRUE(lt.kinds_present[static_cast<std::size_t>(ArrowKind::Data)]);
  EXPECT_TRUE(lt.kinds_present[static_cast<std::size_t>(ArrowKind::Ack)]);
  EXPECT_FALSE(lt.kinds_present[static_cast<std::size_t>(ArrowKind::Datagram)]);
  EXPECT_FALSE(lt.any_lost);
  EXPECT_FALSE(lt.states.endpoints().empty());

  // Events beside the lanes: sorted, the arrays parallel, each with its text.
  ASSERT_FALSE(lt.event_ids.empty());
  EXPECT_TRUE(std::is_sorted(lt.event_times.begin(), lt.event_times.end()));
  EXPECT_EQ(lt.event_times.size(), lt.event_ids.size());
  EXPECT_EQ(lt.event_columns.size(), lt.event_ids.size());
  EXPECT_EQ(lt.event_texts.size(), lt.event_ids.size());
  for (std::size_t i = 0; i < lt.event_ids.size(); ++i) {
    EXPECT_TRUE(is_step_event(lt.trace.event_kind(lt.event_ids[i])));
    EXPECT_EQ(lt.event_times[i], lt.trace.event_time(lt.event_ids[i]).ns);
  }

  ASSERT_EQ(doc.steps.trace_count(), 1u);
  EXPECT_EQ(count_steps(doc.steps),
            lt.trace.packet_count() + doc.steps.arrivals(0).size() + lt.event_ids.size());

  // The run starts at time 0, its interesting part ends when the last packet arrives, and the whole run
  // lasts until its last event (TIME-WAIT ends after the last packet).
  const auto times = lt.trace.packet_times_ns();
  EXPECT_EQ(doc.begin_ns, 0);
  EXPECT_EQ(doc.focus_end_ns, times.back() + lt.max_flight_ns);
  EXPECT_EQ(doc.end_ns, lt.trace.event_time(lt.trace.event_count() - 1).ns);
  EXPECT_GT(doc.end_ns, doc.focus_end_ns);
}

TEST(DocumentOpen, ComparisonHoldsItsTcpAndUdpRunsOnOneTimeAxisWithTheirTable) {
  // A comparison lesson runs twice, over TCP and over UDP: two labelled traces, one step order over both,
  // one time range covering both, and the rows of the comparison table.
  OpenDocument d;
  ASSERT_EQ(d.open(lesson("compare-tcp-udp-5pct.toml")), std::nullopt);
  const Document& doc = d.doc();
  ASSERT_EQ(doc.traces.size(), 2u);
  EXPECT_EQ(doc.traces[0]->label, "TCP");
  EXPECT_EQ(doc.traces[1]->label, "UDP");
  ASSERT_TRUE(doc.comparison.has_value());
  EXPECT_FALSE(doc.comparison_rows.empty());
  EXPECT_EQ(doc.steps.trace_count(), 2u);
  std::size_t expected_steps = 0;
  for (std::uint32_t t = 0; t < 2; ++t) {
    const LoadedTrace& lt = *doc.traces[t];
    expected_steps += lt.trace.packet_count() + doc.steps.arrivals(t).size() + lt.event_ids.size();
    // The initial view fits the traffic: every packet but a late outlier or two (end_of_bulk) is in it.
    const auto times = lt.trace.packet_times_ns();
    const auto in_focus =
        std::count_if(times.begin(), times.end(), [&](std::int64_t t) { return t <= doc.focus_end_ns; });
    EXPECT_GE(static_cast<std::size_t>(in_focus) + 10, times.size());
  }
  EXPECT_EQ(count_steps(doc.steps), expected_steps);
  EXPECT_TRUE(doc.traces[0]->kinds_present[static_cast<std::size_t>(ArrowKind::Data)]);
  EXPECT_TRUE(doc.traces[1]->kinds_present[static_cast<std::size_t>(ArrowKind::Datagram)]);
  EXPECT_TRUE(doc.traces[0]->any_lost || doc.traces[1]->any_lost) << "5% loss lost nothing";
  EXPECT_EQ(save_labels(doc), (std::vector<std::string>{"TCP", "UDP"}));
}

TEST(DocumentView, AComparisonsAxisFitsTheTrafficNotALateOutlier) {
  // 100 packets over 1 s, then a FIN resent 3 s later: the bulk ends at 990 ms.
  std::vector<std::int64_t> t;
  for (int i = 0; i < 100; ++i) t.push_back(i * 10'000'000LL);
  t.push_back(4'000'000'000LL);
  EXPECT_EQ(end_of_bulk(t), 990'000'000LL);
  // Evenly spread traffic has no outlier.
  t.back() = 1'000'000'000LL;
  EXPECT_EQ(end_of_bulk(t), std::nullopt);
  // Neither has a tail that is more than 2% of the packets (10 packets 3 s later are traffic, not an
  // outlier).
  for (int i = 0; i < 9; ++i) t.push_back(4'000'000'000LL + i);
  EXPECT_EQ(end_of_bulk(t), std::nullopt);
  // Too few packets to tell.
  EXPECT_EQ(end_of_bulk(std::vector<std::int64_t>{0, 1, 1'000'000'000}), std::nullopt);
}

TEST(DocumentOpen, CaptureFromTheCorpusListsItsFlowsWithAddressColumns) {
  // A capture opens as one trace whose columns are its addresses, with its conversations listed, its first
  // frame as the start of time, and its file kept for the inspector to re-read frames from.
  const std::string path = corpus("ssh.pcap");
  OpenDocument d;
  ASSERT_EQ(d.open(path), std::nullopt);
  const Document& doc = d.doc();
  EXPECT_TRUE(doc.capture);
  EXPECT_EQ(d.scenario(), nullptr);
  EXPECT_EQ(doc.title, "ssh.pcap");
  EXPECT_NE(doc.explanation.find("54 frames"), std::string::npos) << doc.explanation;
  ASSERT_EQ(doc.traces.size(), 1u);
  const LoadedTrace& lt = *doc.traces[0];
  EXPECT_EQ(lt.trace.packet_count(), 54u);
  EXPECT_EQ(lt.capture_path, path);
  EXPECT_TRUE(lt.capture_ethernet);
  ASSERT_EQ(lt.columns.size(), 2u);
  for (const auto& c : lt.columns) EXPECT_TRUE(c.address.empty()) << c.name;
  ASSERT_EQ(lt.flow_columns.size(), lt.trace.flows().size());
  EXPECT_NE(lt.flow_columns[0].a, lt.flow_columns[0].b);
  EXPECT_TRUE(lt.event_ids.empty());

  ASSERT_TRUE(doc.flows);
  ASSERT_EQ(doc.flows->rows().size(), 1u);
  EXPECT_EQ(doc.flows->rows()[0].proto, Transport::Tcp);
  EXPECT_EQ(doc.flows->rows()[0].packets, 54u);
  EXPECT_TRUE(doc.shown_flows.empty());
  EXPECT_FALSE(doc.whole_capture);

  EXPECT_EQ(doc.begin_ns, lt.trace.packet_times_ns().front());
  EXPECT_EQ(doc.steps.trace_count(), 1u);
  EXPECT_EQ(lt.display_number(0), 1u);
  EXPECT_EQ(lt.display_number(53), 54u);
  EXPECT_EQ(packets_to_save(doc), 54u);
  EXPECT_EQ(suggested_save_name(doc), "ssh-copy.pcap");
}

TEST(DocumentOpen, BadFileKeepsThePreviousDocumentAndSaysWhy) {
  // A file that does not load changes nothing but the error; the next good open clears it.
  testing::TempDir dir;
  const std::string garbage = dir.file("garbage.pcap");
  std::ofstream(garbage) << "this is not a capture";

  OpenDocument d;
  ASSERT_EQ(d.open(lesson("tcp-handshake.toml")), std::nullopt);
  const std::uint64_t generation = d.doc().generation;
  const std::string title = d.doc().title;
  for (const std::string& bad : {std::string("/nonexistent/lesson.toml"), garbage}) {
    const auto err = d.open(bad);
    ASSERT_TRUE(err.has_value()) << bad;
    EXPECT_NE(err->find(bad), std::string::npos) << *err;
    EXPECT_EQ(d.error(), *err);
    EXPECT_EQ(d.doc().generation, generation);
    EXPECT_EQ(d.doc().title, title);
    EXPECT_NE(d.scenario(), nullptr) << "the open lesson stays editable";
  }
  ASSERT_EQ(d.open(lesson("udp-loss.toml")), std::nullopt);
  EXPECT_TRUE(d.error().empty());
  EXPECT_EQ(d.doc().generation, generation + 1);
}

TEST(DocumentOpen, EveryReplacementIsANewGenerationAndATraceInMemoryIsIndexedToo) {
  // Views key their caches on the generation: opening the same file again, or handing over a Trace, is a
  // new document.
  OpenDocument d;
  EXPECT_EQ(d.doc().generation, 0u);
  EXPECT_TRUE(d.doc().traces.empty());
  ASSERT_EQ(d.open(lesson("udp-loss.toml")), std::nullopt);
  ASSERT_EQ(d.open(lesson("udp-loss.toml")), std::nullopt);
  EXPECT_EQ(d.doc().generation, 2u);

  auto sc = load_scenario_file(lesson("tcp-bulk-loss.toml"));
  ASSERT_TRUE(sc) << sc.error().message();
  RunResult run = run_scenario(*sc);
  const std::size_t packets = run.trace.packet_count();
  d.open_trace(std::move(run.trace), "in memory");
  EXPECT_EQ(d.doc().generation, 3u);
  EXPECT_EQ(d.doc().source, "in memory");
  EXPECT_EQ(d.scenario(), nullptr) << "a Trace made in memory has no scenario to edit";
  ASSERT_EQ(d.doc().traces.size(), 1u);
  const LoadedTrace& lt = *d.doc().traces[0];
  EXPECT_EQ(lt.trace.packet_count(), packets);
  EXPECT_EQ(lt.columns.size(), lt.trace.hosts().size());
  EXPECT_TRUE(lt.any_lost);
  EXPECT_TRUE(lt.kinds_present[static_cast<std::size_t>(ArrowKind::Retransmission)]);
  EXPECT_EQ(d.doc().steps.trace_count(), 1u);
}

TEST(DocumentFlows, OneFlowOfACaptureKeepsEachPacketsFrameNumber) {
  // A run with a TCP and a UDP flow, saved as pcap and opened as a capture: showing one flow copies its
  // packets into their own trace, each still numbered as its frame in the file; the whole capture waits
  // until every flow is shown again; a TCP and a UDP flow side by side are two labelled ladders.
  testing::TempDir dir;
  auto sc = load_scenario_file(lesson("tcp-udp-shared-bottleneck.toml"));
  ASSERT_TRUE(sc) << sc.error().message();
  const RunResult run = run_scenario(*sc);
  const std::string path = dir.file("shared.pcap");
  ASSERT_TRUE(write_trace_pcap(run.trace, path));

  OpenDocument d;
  ASSERT_EQ(d.open(path), std::nullopt);
  ASSERT_TRUE(d.doc().flows);
  const CaptureFlows& flows = *d.doc().flows;
  const std::size_t frames = d.doc().traces[0]->trace.packet_count();
  std::optional<std::uint32_t> tcp, udp;
  for (const FlowRow& r : flows.rows()) {
    if (r.proto == Transport::Tcp && !tcp) tcp = r.conversation;
    if (r.proto == Transport::Udp && !udp) udp = r.conversation;
  }
  ASSERT_TRUE(tcp && udp);

  ASSERT_TRUE(d.show_flows({*udp}, false));
  const Document& one = d.doc();
  ASSERT_EQ(one.traces.size(), 1u);
  const auto expected = flows.packets_of(*udp);
  const LoadedTrace& lt = *one.traces[0];
  ASSERT_EQ(lt.source_packets, std::vector<std::uint32_t>(expected.begin(), expected.end()));
  EXPECT_EQ(lt.trace.packet_count(), expected.size());
  for (std::uint32_t i = 0; i < lt.source_packets.size(); ++i)
    EXPECT_EQ(lt.display_number(i), lt.source_packets[i] + 1);
  EXPECT_EQ(lt.capture_path, path);
  ASSERT_TRUE(one.whole_capture);
  EXPECT_EQ(one.whole_capture->trace.packet_count(), frames);
  EXPECT_EQ(one.shown_flows, std::vector<std::uint32_t>{*udp});
  EXPECT_TRUE(lt.kinds_present[static_cast<std::size_t>(ArrowKind::Datagram)]);
  EXPECT_FALSE(lt.kinds_present[static_cast<std::size_t>(ArrowKind::Data)]);
  EXPECT_EQ(packets_to_save(one), expected.size());
  EXPECT_EQ(suggested_save_name(one), "shared-flow" + std::to_string(*udp) + ".pcap");

  // Asked UDP first, drawn TCP first, as a simulated comparison is.
  ASSERT_TRUE(d.show_flows({*udp, *tcp}, true));
  ASSERT_EQ(d.doc().traces.size(), 2u);
  EXPECT_EQ(d.doc().traces[0]->label, "TCP");
  EXPECT_EQ(d.doc().traces[1]->label, "UDP");
  EXPECT_TRUE(d.doc().flows_side_by_side);
  EXPECT_EQ(d.doc().steps.trace_count(), 2u);
  EXPECT_EQ(save_labels(d.doc()), std::vector<std::string>{}) << "a capture saves as one file";

  ASSERT_TRUE(d.show_flows({}, false));
  ASSERT_EQ(d.doc().traces.size(), 1u);
  EXPECT_EQ(d.doc().traces[0]->trace.packet_count(), frames);
  EXPECT_TRUE(d.doc().traces[0]->source_packets.empty());
  EXPECT_FALSE(d.doc().whole_capture);
  EXPECT_FALSE(d.doc().flows_side_by_side);

  // A lesson has no flow list to choose from.
  ASSERT_EQ(d.open(lesson("udp-loss.toml")), std::nullopt);
  const std::uint64_t generation = d.doc().generation;
  EXPECT_FALSE(d.show_flows({0}, false));
  EXPECT_EQ(d.doc().generation, generation);
}

TEST(DocumentEdit, DroppingAPacketRunsTheLessonAgainUnderItsOwnTitles) {
  // An edit replaces the run (a new generation) but not what the document is: same source, titles and
  // explanation, still editable. A refused edit changes nothing.
  OpenDocument d;
  ASSERT_EQ(d.open(lesson("udp-loss.toml")), std::nullopt);
  const Document& before = d.doc();
  const std::string source = before.source, title = before.title, explanation = before.explanation;
  std::uint32_t target = 0;
  while (before.traces[0]->trace.fate(target) != Fate::Delivered) ++target;
  const std::uint64_t generation = before.generation;

  ASSERT_TRUE(d.edit(AddPacketRule{0, target, PacketAction::Drop}));
  EXPECT_EQ(d.doc().generation, generation + 1);
  EXPECT_EQ(d.doc().traces[0]->trace.fate(target), Fate::DroppedByLink);
  EXPECT_TRUE(d.doc().traces[0]->any_lost);
  EXPECT_EQ(d.doc().source, source);
  EXPECT_EQ(d.doc().title, title);
  EXPECT_EQ(d.doc().explanation, explanation);
  ASSERT_NE(d.scenario(), nullptr);
  EXPECT_EQ(d.scenario()->scripted_rules().size(), 1u);

  const Status refused = d.edit(AddPacketRule{0, 99'999, PacketAction::Drop});
  EXPECT_FALSE(refused);
  EXPECT_EQ(d.doc().generation, generation + 1);

  ASSERT_EQ(d.open(corpus("ssh.pcap")), std::nullopt);
  EXPECT_FALSE(d.edit(SetSeed{2})) << "a capture is not a scenario";
}

TEST(DocumentAnalysis, TracesAreAnalysedOnceTheyAreCompleteWithGroundTruthOnlyForRuns) {
  // The Wireshark-style analysis runs when asked, once per trace; a run's is compared with the causes
  // the simulator recorded, a capture's has no ground truth.
  OpenDocument d;
  ASSERT_EQ(d.open(lesson("tcp-bulk-loss.toml")), std::nullopt);
  const LoadedTrace& run = *d.doc().traces[0];
  EXPECT_FALSE(run.analysis.covers(run.trace));
  d.update_analysis();
  EXPECT_TRUE(run.analysis.covers(run.trace));
  EXPECT_TRUE(run.analysis.has_ground_truth());
  EXPECT_EQ(run.analysis.packets(), run.trace.packet_count());

  ASSERT_EQ(d.open(corpus("ssh.pcap")), std::nullopt);
  d.update_analysis();
  const LoadedTrace& cap = *d.doc().traces[0];
  EXPECT_TRUE(cap.analysis.covers(cap.trace));
  EXPECT_FALSE(cap.analysis.has_ground_truth());
}

TEST(ScenarioList, ListsEveryBundledLessonUnderTheSpellingItsDocumentHas) {
  // The lessons panel marks the open lesson by comparing paths: a lesson opened through any spelling of
  // its path has the source the list shows.
  const std::vector<ScenarioEntry> lessons = list_scenarios(default_scenario_directory());
  ASSERT_GE(lessons.size(), 20u);
  EXPECT_TRUE(std::is_sorted(lessons.begin(), lessons.end(),
                             [](const ScenarioEntry& a, const ScenarioEntry& b) { return a.path < b.path; }));
  const auto handshake = std::find_if(lessons.begin(), lessons.end(),
                                      [](const ScenarioEntry& s) { return s.name == "tcp-handshake"; });
  ASSERT_NE(handshake, lessons.end());
  EXPECT_FALSE(handshake->title_zh.empty());

  OpenDocument d;
  ASSERT_EQ(d.open(testing::source_path("tests/../scenarios/./tcp-handshake.toml")), std::nullopt);
  EXPECT_EQ(d.doc().source, handshake->path);
  EXPECT_TRUE(list_scenarios("/nonexistent").empty());
}

}  // namespace ui_document_test
}  // namespace wirestep
