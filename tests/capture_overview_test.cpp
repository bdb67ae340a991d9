// The capture views of issue #19: the conversation overview (one row per conversation, its packets as ticks
// coloured by Wireshark's findings), the ladder colouring a capture's packets by those findings, and the TCP
// states inferred from captured segments. A hand-made capture goes through the real loader and analysis.
#include <gtest/gtest.h>
#include <imgui.h>

#include <numeric>

#include "capture/analyzed_capture.hpp"
#include "capture/capture_reader.hpp"
#include "capture_test_support.hpp"
#include "headless_app.hpp"
#include "sim/analysis/connection_state.hpp"
#include "sim/analysis/conversation_ticks.hpp"
#include "sim/analysis/flow_list.hpp"
#include "ui/gui/app.hpp"
#include "ui/gui/capture_banner.hpp"
#include "ui/gui/timeline_mapping.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/model/arrow_kind.hpp"
#include "ui/model/document.hpp"

namespace wirestep::gui {
namespace capture_overview_test {

using capture_test::ethernet;
using capture_test::ipv4_tcp;
using capture_test::ipv4_udp;
namespace f = wire::tcp_flag;
constexpr std::int64_t kMs = 1'000'000;

// Conversation 0: TCP 10.0.0.1:5000 -> 10.0.0.2:443: handshake, two data segments, the second sent again
// 295 ms later (a retransmission: packet 7), its ACK, then FIN/ACK both ways. Conversation 1: a UDP query and
// its answer. `extra_udp` more UDP conversations from 10.0.1.N, one packet each, from t = 400 ms.
void write_capture(const std::string& path, int extra_udp = 0) {
  capture_test::PcapWriter w(path, 1);
  ASSERT_TRUE(w.ok());
  w.add(0, ethernet(ipv4_tcp("10.0.0.1", 5000, "10.0.0.2", 443, 100, 0, f::kSyn, 64000)));
  w.add(1 * kMs, ethernet(ipv4_tcp("10.0.0.2", 443, "10.0.0.1", 5000, 500, 101, f::kSyn | f::kAck, 64000)));
  w.add(2 * kMs, ethernet(ipv4_tcp("10.0.0.1", 5000, "10.0.0.2", 443, 101, 501, f::kAck, 64000)));
  w.add(3 * kMs, ethernet(ipv4_tcp("10.0.0.1", 5000, "10.0.0.2", 443, 101, 501, f::kAck, 64000, 100)));
  w.add(3 * kMs + kMs / 2, ethernet(ipv4_udp("10.0.0.1", 53000, "10.0.0.3", 53, 30)));
  w.add(4 * kMs, ethernet(ipv4_tcp("10.0.0.2", 443, "10.0.0.1", 5000, 501, 201, f::kAck, 64000)));
  w.add(5 * kMs, ethernet(ipv4_tcp("10.0.0.1", 5000, "10.0.0.2", 443, 201, 501, f::kAck, 64000, 100)));
  w.add(300 * kMs, ethernet(ipv4_tcp("10.0.0.1", 5000, "10.0.0.2", 443, 201, 501, f::kAck, 64000, 100)));
  w.add(301 * kMs, ethernet(ipv4_tcp("10.0.0.2", 443, "10.0.0.1", 5000, 501, 301, f::kAck, 64000)));
  w.add(302 * kMs, ethernet(ipv4_udp("10.0.0.3", 53, "10.0.0.1", 53000, 90)));
  w.add(310 * kMs, ethernet(ipv4_tcp("10.0.0.1", 5000, "10.0.0.2", 443, 301, 501, f::kFin | f::kAck, 64000)));
  w.add(311 * kMs, ethernet(ipv4_tcp("10.0.0.2", 443, "10.0.0.1", 5000, 501, 302, f::kFin | f::kAck, 64000)));
  w.add(312 * kMs, ethernet(ipv4_tcp("10.0.0.1", 5000, "10.0.0.2", 443, 302, 502, f::kAck, 64000)));
  for (int i = 0; i < extra_udp; ++i) {
    const std::string src = "10.0.1." + std::to_string(i + 1);
    w.add((400 + i) * kMs, ethernet(ipv4_udp(src.c_str(), 40000, "10.0.0.3", 53, 20)));
  }
}

constexpr std::uint32_t kRetransmission = 7;  // packet index

class CaptureOverview : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("overview.pcap");
    write_capture(path_);
    auto loaded = load_and_analyze(path_);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message();
    analyzed_ = std::make_unique<AnalyzedCapture>(std::move(*loaded));
    flows_ = std::make_unique<CaptureFlows>(analyzed_->capture.trace, analyzed_->analysis,
                                            analyzed_->capture.info.non_ip_flow);
  }
  const Trace& trace() const { return analyzed_->capture.trace; }

  testing::TempDir dir_;
  std::string path_;
  std::unique_ptr<AnalyzedCapture> analyzed_;
  std::unique_ptr<CaptureFlows> flows_;
};

TEST_F(CaptureOverview, AConversationsFindingsAreItsFlaggedPacketsWithTheMostTellingFinding) {
  ASSERT_EQ(flows_->rows().size(), 2u);
  const auto tcp = flows_->findings_of(0);
  ASSERT_EQ(tcp.size(), 1u);
  EXPECT_EQ(tcp[0].packet, kRetransmission);
  EXPECT_EQ(tcp[0].finding, Finding::Retransmission);
  EXPECT_TRUE(flows_->findings_of(1).empty());   // UDP
  EXPECT_TRUE(flows_->findings_of(99).empty());  // no such conversation
}

TEST_F(CaptureOverview, TicksCountEveryPacketInViewOncePerPixelColumn) {
  std::vector<TickCell> cells(320);  // 1 ms per cell over [0, 320 ms)
  fill_ticks(trace().packet_times_ns(), flows_->packets_of(0), flows_->findings_of(0), 0, 320 * kMs, cells);
  const std::uint32_t total = std::accumulate(
      cells.begin(), cells.end(), 0u, [](std::uint32_t n, const TickCell& c) { return n + c.packets; });
  EXPECT_EQ(total, flows_->packets_of(0).size());
  EXPECT_EQ(cells[0].packets, 1u);    // SYN at 0 ms
  EXPECT_EQ(cells[3].packets, 1u);    // first data at 3 ms (the UDP query at 3.5 ms is another row)
  EXPECT_EQ(cells[300].packets, 1u);  // the retransmission
  EXPECT_EQ(cells[300].finding, Finding::Retransmission);
  EXPECT_EQ(cells[5].finding, Finding::None);
  EXPECT_EQ(cells[150].packets, 0u);
}

TEST_F(CaptureOverview, TicksOutsideTheViewAreNotDrawn) {
  std::vector<TickCell> cells(10);
  fill_ticks(trace().packet_times_ns(), flows_->packets_of(0), flows_->findings_of(0), 100 * kMs, 200 * kMs,
             cells);
  for (const TickCell& c : cells) {
    EXPECT_EQ(c.packets, 0u);
    EXPECT_EQ(c.finding, Finding::None);
  }
  // A cell wider than the whole conversation holds all of it, and its worst finding.
  std::vector<TickCell> one(1);
  fill_ticks(trace().packet_times_ns(), flows_->packets_of(0), flows_->findings_of(0), 0, kMs * 1000, one);
  EXPECT_EQ(one[0].packets, flows_->packets_of(0).size());
  EXPECT_EQ(one[0].finding, Finding::Retransmission);
  // Degenerate ranges draw nothing rather than dividing by zero.
  fill_ticks(trace().packet_times_ns(), flows_->packets_of(0), flows_->findings_of(0), 5, 5, one);
  EXPECT_EQ(one[0].packets, 0u);
}

TEST_F(CaptureOverview, RowsSortByRateAndDuration) {
  std::vector<std::uint32_t> out;
  flows_->list("", true, true, FlowColumn::Duration, false, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(flows_->rows()[out[0]].conversation, 0u);  // TCP lasts 312 ms, UDP 298.5 ms
  flows_->list("", true, true, FlowColumn::Rate, false, out);
  const double r0 = flow_rate(flows_->rows()[out[0]]), r1 = flow_rate(flows_->rows()[out[1]]);
  EXPECT_GE(r0, r1);
  EXPECT_GT(r1, 0.0);
}

TEST_F(CaptureOverview, TheLadderColoursACapturedRetransmissionByTheAnalyzersFinding) {
  TraceAnalysis analysis;
  analysis.build(trace(), false);
  ASSERT_EQ(analysis.mask_of(kRetransmission), flag_bit(TcpFlag::Retransmission));
  LadderLayout layout;
  layout.columns = 3;
  layout.column_x = {100, 300, 500};
  const std::vector<FlowColumns> columns(trace().flows().size(), FlowColumns{0, 1});
  // 1 px per ms: no two packets fold, every packet is its own arrow.
  const TimeMapping map = make_mapping(0, 400 * kMs, 0.0f, 400.0f);
  std::vector<ArrowRecord> arrows;
  build_arrows(trace(), columns, layout, map, {0, trace().packet_count()}, Filters{}, arrows, &analysis);
  ASSERT_EQ(arrows.size(), trace().packet_count());
  for (const ArrowRecord& r : arrows) {
    SCOPED_TRACE(r.packet);
    EXPECT_EQ(r.kind == ArrowKind::Retransmission, r.packet == kRetransmission);
  }
  // Without the analysis a capture's packet has no cause to colour it by.
  build_arrows(trace(), columns, layout, map, {0, trace().packet_count()}, Filters{}, arrows);
  for (const ArrowRecord& r : arrows) EXPECT_NE(r.kind, ArrowKind::Retransmission);
}

TEST(CaptureFindings, MostTellingFindingPrefersRetransmissionsOverTheirOtherFlags) {
  EXPECT_EQ(most_telling(0), Finding::None);
  EXPECT_EQ(most_telling(flag_bit(TcpFlag::OutOfOrder) | flag_bit(TcpFlag::FastRetransmission)),
            Finding::FastRetransmission);
  EXPECT_EQ(most_telling(flag_bit(TcpFlag::SpuriousRetransmission)), Finding::Retransmission);
  EXPECT_EQ(most_telling(flag_bit(TcpFlag::DuplicateAck) | flag_bit(TcpFlag::LostSegment)),
            Finding::LostSegment);
  EXPECT_EQ(most_telling(flag_bit(TcpFlag::ZeroWindowProbe)), Finding::ZeroWindow);
  EXPECT_EQ(most_telling(flag_bit(TcpFlag::KeepAlive)), Finding::KeepAlive);
  EXPECT_EQ(most_telling(flag_bit(TcpFlag::WindowUpdate)), Finding::None);  // not a trouble sign
}

TEST(CaptureFindings, ACapturedPacketIsColouredByItsFindingARunByItsCause) {
  PacketRecord p;
  p.fate = Fate::Captured;
  p.window = 65535;
  p.payload_len = 100;
  EXPECT_EQ(classify(p, Transport::Tcp, 0), ArrowKind::Data);
  EXPECT_EQ(classify(p, Transport::Tcp, flag_bit(TcpFlag::FastRetransmission)), ArrowKind::Retransmission);
  EXPECT_EQ(classify(p, Transport::Tcp, flag_bit(TcpFlag::LostSegment)), ArrowKind::LostSegment);
  EXPECT_EQ(classify(p, Transport::Tcp, flag_bit(TcpFlag::KeepAlive)), ArrowKind::KeepAlive);
  p.payload_len = 0;
  EXPECT_EQ(classify(p, Transport::Tcp, flag_bit(TcpFlag::DuplicateAck)), ArrowKind::DuplicateAck);
  // A simulated packet keeps the simulator's cause, whatever the analyzer thought.
  p.fate = Fate::Delivered;
  EXPECT_EQ(classify(p, Transport::Tcp, flag_bit(TcpFlag::DuplicateAck)), ArrowKind::Ack);
}

// RFC 9293 §3.3.2: an observer of the segments infers each end's state.
TEST_F(CaptureOverview, TcpStatesAreInferredFromTheCapturedSegmentsPacketByPacket) {
  ConnectionStates states;
  states.build_inferred(trace(), 2);
  ASSERT_TRUE(states.by_packet());
  ASSERT_EQ(states.endpoints().size(), 2u);
  EXPECT_EQ(states.endpoints()[0].label, "10.0.0.1:5000");
  EXPECT_EQ(states.endpoints()[1].label, "10.0.0.2:443");
  // After the SYN (1 packet happened): the client is SYN-SENT.
  auto client = states.state_at(0, 1);
  ASSERT_TRUE(client);
  EXPECT_EQ(client->state, TcpState::SynSent);
  EXPECT_EQ(client->from, TcpState::Closed);
  // After the SYN/ACK: the server is SYN-RECEIVED.
  auto server = states.state_at(1, 2);
  ASSERT_TRUE(server);
  EXPECT_EQ(server->state, TcpState::SynReceived);
  // After the data: both ESTABLISHED.
  EXPECT_EQ(states.state_at(0, 4)->state, TcpState::Established);
  EXPECT_EQ(states.state_at(1, 6)->state, TcpState::Established);
  // After the last ACK of the close: the client waits in TIME-WAIT, the server is CLOSED.
  const std::size_t all = trace().packet_count();
  EXPECT_EQ(states.state_at(0, all)->state, TcpState::TimeWait);
  EXPECT_EQ(states.state_at(1, all)->state, TcpState::Closed);
}

class CaptureViews : public HeadlessAppTest {
 protected:
  testing::TempDir dir_;
};

TEST_F(CaptureViews, ACaptureWithManyConversationsOpensOnTheOverviewAFewOnTheLadder) {
  const std::string few = dir_.file("few.pcap"), many = dir_.file("many.pcap");
  write_capture(few);
  write_capture(many, static_cast<int>(kOverviewConversations));
  ASSERT_EQ(app_->open(few), std::nullopt);
  EXPECT_FALSE(app_->view().overview);
  EXPECT_GT(frame(), 0);
  ASSERT_EQ(app_->open(many), std::nullopt);
  EXPECT_TRUE(app_->view().overview);
  EXPECT_GT(frame(), 0);  // the overview draws
  // Choosing one conversation (the overview's click) shows its ladder.
  app_->show_flows({0}, false);
  EXPECT_FALSE(app_->view().overview);
  EXPECT_EQ(app_->doc().traces.size(), 1u);
  EXPECT_GT(frame(), 0);
}

TEST_F(CaptureViews, NonIpFramesHaveALaneOfTheirOwnNotOneCalledZeroZeroZeroZero) {
  const std::string path = dir_.file("arp.pcap");
  {
    capture_test::PcapWriter w(path, 1);
    ASSERT_TRUE(w.ok());
    w.add(0, ethernet(std::vector<std::uint8_t>(28, 0), 0x0806));  // an ARP frame (not decoded as IP)
    w.add(kMs, ethernet(ipv4_udp("10.0.0.1", 5000, "10.0.0.2", 53, 10)));
  }
  ASSERT_EQ(app_->open(path), std::nullopt);
  const LoadedTrace& lt = *app_->doc().traces.at(0);
  std::vector<std::string> names;
  for (const auto& c : lt.columns) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{kNonIpColumn, "10.0.0.1", "10.0.0.2"}));
  EXPECT_STREQ(column_display_name(Lang::Zh, names[0]), "\xE9\x9D\x9E IP");  // 非 IP
  EXPECT_GT(frame(), 0);
}

TEST_F(CaptureViews, AFileCutShortGetsTheBannerAndAFileReadCleanlyDoesNot) {
  const std::string clean = dir_.file("clean.pcap"), cut = dir_.file("cut.pcap");
  write_capture(clean);
  {
    std::ifstream in(clean, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream out(cut, std::ios::binary);
    out.write(bytes.data(),
              static_cast<std::streamsize>(bytes.size() - 20));  // the last record loses 20 bytes
  }
  ASSERT_EQ(app_->open(clean), std::nullopt);
  EXPECT_FALSE(CaptureBanner::wanted(app_->doc()));
  ASSERT_EQ(app_->open(cut), std::nullopt);
  ASSERT_TRUE(app_->doc().capture_info);
  EXPECT_TRUE(app_->doc().capture_info->truncated);
  EXPECT_TRUE(CaptureBanner::wanted(app_->doc()));
  EXPECT_EQ(packet_count(app_->doc()), 12u);  // every frame before the cut one
  EXPECT_GT(frame(), 0);
  // The banner stays while a flow is shown: it is about the file.
  app_->show_flows({0}, false);
  EXPECT_TRUE(CaptureBanner::wanted(app_->doc()));
}

}  // namespace capture_overview_test
}  // namespace wirestep::gui
