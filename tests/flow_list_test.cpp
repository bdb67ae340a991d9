// The Flows tab's data and File > Save pcap: a hand-made capture with two TCP connections and one UDP
// exchange goes through the real loader and analysis; the tests check which packets each flow owns, the text
// filter and sorting, the Trace a flow filter shows, and which frames a save writes (read back by the
// loader).
#include <gtest/gtest.h>
#include <imgui.h>

#include <filesystem>

#include "capture/analyzed_capture.hpp"
#include "capture_test_support.hpp"
#include "headless_app.hpp"
#include "sim/analysis/flow_list.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "two_tcp_one_udp_capture.hpp"
#include "ui/cli/commands.hpp"
#include "ui/gui/app.hpp"
#include "ui/gui/synthetic_trace.hpp"
#include "ui/model/save_pcap.hpp"

namespace wirestep::gui {
namespace flow_list_test {

namespace fs = std::filesystem;

constexpr std::int64_t kMs = 1'000'000;

class FlowList : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("two-tcp-one-udp.pcap");
    capture_test::write_two_tcp_one_udp(path_);
    auto loaded = load_and_analyze(path_);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message();
    analyzed_ = std::make_unique<AnalyzedCapture>(std::move(*loaded));
    flows_ = std::make_unique<CaptureFlows>(analyzed_->capture.trace, analyzed_->analysis,
                                            analyzed_->capture.info.non_ip_flow);
  }
  std::vector<std::uint32_t> listed(std::string_view filter, FlowColumn column = FlowColumn::Number,
                                    bool ascending = true, bool tcp = true, bool udp = true) {
    std::vector<std::uint32_t> out;
    flows_->list(filter, tcp, udp, column, ascending, out);
    return out;
  }
  static std::vector<std::uint32_t> vec(std::span<const std::uint32_t> s) { return {s.begin(), s.end()}; }

  testing::TempDir dir_;
  std::string path_;
  std::unique_ptr<AnalyzedCapture> analyzed_;
  std::unique_ptr<CaptureFlows> flows_;
};

TEST_F(FlowList, RowsAreTheConversationsWithEndpointsTotalsAndAnalysisCounts) {
  const auto& rows = flows_->rows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].proto_text, "TCP");
  EXPECT_EQ(rows[0].a, "10.0.0.1:5000");
  EXPECT_EQ(rows[0].b, "10.0.0.2:443");
  EXPECT_EQ(rows[0].packets, 8u);
  EXPECT_EQ(rows[0].retransmissions, 1u);  // the data segment sent again at 300 ms
  EXPECT_EQ(rows[1].proto_text, "UDP");
  EXPECT_EQ(rows[1].a, "10.0.0.1:53000");
  EXPECT_EQ(rows[1].packets, 2u);
  EXPECT_EQ(rows[1].bytes, 2u * 14 + 20 + 8 + 30 + 20 + 8 + 90);  // Ethernet + IPv4 + UDP + payload
  EXPECT_EQ(rows[2].a, "10.0.0.4:6000");
  EXPECT_EQ(rows[2].packets, 1u);
}

TEST_F(FlowList, EveryPacketBelongsToExactlyOneFlowInTraceOrder) {
  EXPECT_EQ(vec(flows_->packets_of(0)), (std::vector<std::uint32_t>{0, 1, 2, 3, 5, 6, 9, 10}));
  EXPECT_EQ(vec(flows_->packets_of(1)), (std::vector<std::uint32_t>{4, 8}));
  EXPECT_EQ(vec(flows_->packets_of(2)), (std::vector<std::uint32_t>{7}));
  EXPECT_TRUE(flows_->packets_of(3).empty());
  // Several flows merge in Trace order; naming one twice adds nothing.
  const std::vector<std::uint32_t> both{2, 1, 2};
  EXPECT_EQ(flows_->packets_of(both), (std::vector<std::uint32_t>{4, 7, 8}));
}

TEST_F(FlowList, FilterMatchesProtocolAddressAndPortIgnoringCase) {
  EXPECT_EQ(listed(""), (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(listed("tcp"), (std::vector<std::uint32_t>{0, 2}));
  EXPECT_EQ(listed("UDP"), (std::vector<std::uint32_t>{1}));
  EXPECT_EQ(listed(":443"), (std::vector<std::uint32_t>{0}));
  EXPECT_EQ(listed("10.0.0.2"), (std::vector<std::uint32_t>{0, 2}));
  EXPECT_EQ(listed("  tcp   10.0.0.4 "), (std::vector<std::uint32_t>{2}));  // every word must match
  EXPECT_EQ(listed("udp :443"), (std::vector<std::uint32_t>{}));
  EXPECT_EQ(listed("192.168."), (std::vector<std::uint32_t>{}));
}

TEST_F(FlowList, ViewProtocolTogglesHideTheirFlows) {
  EXPECT_EQ(listed("", FlowColumn::Number, true, false, true), (std::vector<std::uint32_t>{1}));
  EXPECT_EQ(listed("", FlowColumn::Number, true, true, false), (std::vector<std::uint32_t>{0, 2}));
}

TEST_F(FlowList, SortsByAnyColumnEitherWay) {
  EXPECT_EQ(listed("", FlowColumn::Packets, false), (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(listed("", FlowColumn::Packets, true), (std::vector<std::uint32_t>{2, 1, 0}));
  EXPECT_EQ(listed("", FlowColumn::Number, false), (std::vector<std::uint32_t>{2, 1, 0}));
  EXPECT_EQ(listed("", FlowColumn::A, true), (std::vector<std::uint32_t>{0, 1, 2}));  // .1:5000 < .1:53000
  EXPECT_EQ(listed("", FlowColumn::B, true), (std::vector<std::uint32_t>{2, 0, 1}));  // .2:80 < .2:443 < .3
  EXPECT_EQ(listed("", FlowColumn::Retransmissions, false), (std::vector<std::uint32_t>{0, 2, 1}));
  EXPECT_EQ(listed("tcp", FlowColumn::Start, false), (std::vector<std::uint32_t>{2, 0}));
}

TEST_F(FlowList, AFlowsTraceKeepsItsPacketsFieldsAndFileOffsets) {
  const Trace& whole = analyzed_->capture.trace;
  const FlowSubset udp = extract_flows(whole, flows_->packets_of(1));
  ASSERT_EQ(udp.trace.packet_count(), 2u);
  EXPECT_EQ(udp.source_packets, (std::vector<std::uint32_t>{4, 8}));
  ASSERT_EQ(udp.trace.flows().size(), 1u);
  EXPECT_EQ(udp.trace.flows()[0].a, whole.flows()[whole.flow_of(4)].a);
  for (std::size_t i = 0; i < 2; ++i) {
    const PacketRecord p = udp.trace.packet(i), q = whole.packet(udp.source_packets[i]);
    EXPECT_EQ(p.time.ns, q.time.ns);
    EXPECT_EQ(p.dir, q.dir);
    EXPECT_EQ(p.payload_len, q.payload_len);
    EXPECT_EQ(p.payload_ref, q.payload_ref);  // the inspector re-reads the frame from the file here
  }
}

TEST_F(FlowList, SavingAFlowWritesExactlyItsFramesReadableByTheLoader) {
  std::vector<std::uint32_t> frames;
  for (std::uint32_t p : flows_->packets_of(0)) frames.push_back(p + 1);
  const std::string out = dir_.file("flow0.pcap");
  auto written = copy_capture_frames(path_, frames, out);
  ASSERT_TRUE(written.ok()) << written.error().message();
  EXPECT_EQ(*written, 8u);
  auto back = load_capture(out);
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(back->trace.packet_count(), 8u);
  ASSERT_EQ(back->trace.flows().size(), 1u);
  EXPECT_EQ(back->trace.flows()[0].b_port, 443);
  // Timestamps are kept to the nanosecond: the retransmission is still 295 ms after the segment it repeats.
  EXPECT_EQ(back->trace.packet_times_ns()[6] - back->trace.packet_times_ns()[5], 295 * kMs);
  EXPECT_FALSE(fs::exists(out + ".part"));
}

TEST_F(FlowList, SavingOverTheCaptureBeingShownIsRefused) {
  const std::vector<std::uint32_t> frames{1, 2};
  auto written = copy_capture_frames(path_, frames, path_);
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message().find("capture being shown"), std::string::npos);
  EXPECT_EQ(load_capture(path_)->trace.packet_count(), 11u);
}

TEST_F(FlowList, FramesTheFileNoLongerHasFailTheSaveAndLeaveNoFile) {
  const std::vector<std::uint32_t> frames{2, 12};
  const std::string out = dir_.file("missing.pcap");
  auto written = copy_capture_frames(path_, frames, out);
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message().find("frame 12 is missing"), std::string::npos);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out + ".part"));
}

TEST_F(FlowList, AppShowsOneFlowThenATcpAndUdpPairThenEverything) {
  App app;
  ASSERT_EQ(app.open(path_), std::nullopt);
  ASSERT_TRUE(app.doc().flows);
  EXPECT_EQ(app.doc().flows->rows().size(), 3u);

  app.show_flows({1});
  ASSERT_EQ(app.doc().traces.size(), 1u);
  EXPECT_EQ(app.doc().traces[0]->trace.packet_count(), 2u);
  EXPECT_EQ(app.doc().traces[0]->source_packets, (std::vector<std::uint32_t>{4, 8}));
  EXPECT_EQ(app.doc().traces[0]->capture_path, path_);
  EXPECT_EQ(app.doc().begin_ns, 3 * kMs + kMs / 2);  // the view fits the flow shown

  app.show_flows({1, 0}, true);
  ASSERT_EQ(app.doc().traces.size(), 2u);
  EXPECT_EQ(app.doc().traces[0]->label, "TCP");
  EXPECT_EQ(app.doc().traces[0]->trace.packet_count(), 8u);
  EXPECT_EQ(app.doc().traces[1]->label, "UDP");
  EXPECT_EQ(app.doc().traces[1]->trace.packet_count(), 2u);
  EXPECT_TRUE(app.doc().flows_side_by_side);

  // Two TCP flows cannot be a TCP-UDP pair: they share one ladder.
  app.show_flows({0, 2}, true);
  ASSERT_EQ(app.doc().traces.size(), 1u);
  EXPECT_EQ(app.doc().traces[0]->trace.packet_count(), 9u);
  EXPECT_FALSE(app.doc().flows_side_by_side);

  app.show_flows({});
  ASSERT_EQ(app.doc().traces.size(), 1u);
  EXPECT_EQ(app.doc().traces[0]->trace.packet_count(), 11u);
  EXPECT_FALSE(app.doc().whole_capture);
  EXPECT_TRUE(app.doc().shown_flows.empty());
}

TEST_F(FlowList, AppSavesTheFramesOfTheFlowsTheTimelineShows) {
  App app;
  ASSERT_EQ(app.open(path_), std::nullopt);
  app.show_flows({0, 1}, true);
  const std::string out = dir_.file("pair.pcap");
  EXPECT_EQ(app.save_pcap(out), std::nullopt);
  EXPECT_EQ(app.file_status(), "Wrote 10 packets to pair.pcap");
  EXPECT_EQ(load_capture(out)->trace.packet_count(), 10u);

  app.show_flows({});
  EXPECT_EQ(app.save_pcap(out), std::nullopt);
  EXPECT_EQ(load_capture(out)->trace.packet_count(), 11u);

  const auto failed = app.save_pcap(dir_.file("no-such-folder/x.pcap"));
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(app.file_status().rfind("Could not save: ", 0), 0u) << app.file_status();
}

TEST_F(FlowList, WholeFramesDrawTheFlowsTabAPairAndBothFileDialogs) {
  // Without a window: ImGui's own context and font atlas, so unbalanced Begin/End or Push/Pop would assert.
  {
    HeadlessApp ui;
    App& app = ui.app();
    auto frame = [&] { return ui.frame(); };
    ASSERT_EQ(app.open(path_), std::nullopt);
    for (int i = 0; i < 3; ++i) EXPECT_GT(frame(), 1000);
    app.set_flow_filter(":443");
    app.show_flows({0, 1}, true);
    for (int i = 0; i < 3; ++i) EXPECT_GT(frame(), 1000);
    app.show_open_dialog();
    for (int i = 0; i < 3; ++i) EXPECT_GT(frame(), 1000);
    app.show_save_dialog();
    app.view().lang = Lang::Zh;
    for (int i = 0; i < 3; ++i) EXPECT_GT(frame(), 1000);
    EXPECT_EQ(app.doc().traces.size(), 2u);  // drawing changed nothing by itself
  }
}

TEST(SavePcap, ARunIsWrittenThroughTheExporter) {
  testing::TempDir dir;
  App app;
  ASSERT_EQ(app.open(default_scenario_directory() + "/tcp-handshake.toml"), std::nullopt);
  const std::string out = dir.file("handshake.pcap");
  EXPECT_EQ(app.save_pcap(out), std::nullopt);
  auto back = load_capture(out);
  ASSERT_TRUE(back.ok());
  // Every packet put on a wire, including any the link lost (a capture at the sender).
  EXPECT_EQ(back->trace.packet_count(), app.doc().traces[0]->trace.packet_count());
  EXPECT_EQ(app.file_status(),
            "Wrote " + format_count(back->trace.packet_count()) + " packets to handshake.pcap");
}

TEST(SavePcap, AComparisonWritesOneFilePerRun) {
  testing::TempDir dir;
  App app;
  ASSERT_EQ(app.open(default_scenario_directory() + "/compare-loss-1pct.toml"), std::nullopt);
  ASSERT_EQ(app.doc().traces.size(), 2u);
  EXPECT_EQ(app.save_pcap(dir.file("cmp.pcap")), std::nullopt);
  EXPECT_EQ(load_capture(dir.file("cmp-tcp.pcap"))->trace.packet_count(),
            app.doc().traces[0]->trace.packet_count());
  EXPECT_EQ(load_capture(dir.file("cmp-udp.pcap"))->trace.packet_count(),
            app.doc().traces[1]->trace.packet_count());
  EXPECT_FALSE(fs::exists(dir.file("cmp.pcap")));
}

TEST(SavePcap, NamesAndCounts) {
  EXPECT_EQ(save_paths("/d/x.pcap", {""}), (std::vector<std::string>{"/d/x.pcap"}));
  EXPECT_EQ(save_paths("/d/x.pcap", {}), (std::vector<std::string>{"/d/x.pcap"}));
  EXPECT_EQ(save_paths("/d/x.pcap", {"TCP", "UDP"}),
            (std::vector<std::string>{"/d/x-tcp.pcap", "/d/x-udp.pcap"}));
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(format_count(1234), "1,234");
  EXPECT_EQ(format_count(1'000'000), "1,000,000");
}

}  // namespace flow_list_test
}  // namespace wirestep::gui
