// The graphs panel's window-free half (sim/analysis/graph_series.hpp): series built from a Trace (sequence vs
// time, cwnd, throughput), the min/max pyramid and the per-pixel-column level of detail.
#include <gtest/gtest.h>
#include <imgui.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "headless_app.hpp"
#include "sim/analysis/graph_series.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/wire/transport.hpp"
#include "ui/gui/app.hpp"
#include "ui/gui/graph_columns.hpp"
#include "ui/gui/graph_panel.hpp"
#include "ui/gui/synthetic_trace.hpp"

namespace wirestep::gui {
namespace graph_series_test {

constexpr std::int64_t kMs = 1'000'000;

RunResult run_lesson(const std::string& name) {
  auto sc = load_scenario_file(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/" + name);
  EXPECT_TRUE(sc.ok());
  return run_scenario(*sc);
}

bool is_retransmission(Cause c) {
  return c == Cause::RtoRetransmission || c == Cause::FastRetransmission ||
         c == Cause::RecoveryRetransmission;
}

// The bulk transfer over a lossy link, run once for all the tests that read it.
class GraphBulkLoss : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    run_ = new RunResult(run_lesson("tcp-bulk-loss.toml"));
    rel_ = new RelativeSeq(run_->trace);
    states_ = new ConnectionStates();
    states_->build(run_->trace);
  }
  static void TearDownTestSuite() {
    delete states_;
    delete rel_;
    delete run_;
  }
  static const Trace& trace() { return run_->trace; }
  // The data direction the panel opens on.
  static FlowDirection data_direction() {
    const auto choices = list_flow_directions(trace(), 0);
    const auto pick = default_flow_direction(choices);
    EXPECT_TRUE(pick.has_value());
    return choices.at(pick.value_or(0));
  }
  static RunResult* run_;
  static RelativeSeq* rel_;
  static ConnectionStates* states_;
};
RunResult* GraphBulkLoss::run_ = nullptr;
RelativeSeq* GraphBulkLoss::rel_ = nullptr;
ConnectionStates* GraphBulkLoss::states_ = nullptr;

TEST_F(GraphBulkLoss, DefaultDirectionIsTheOneCarryingTheMegabyte) {
  // A sends 1 MB to B: the panel opens on A -> B, not on B's ACKs.
  const FlowDirection fd = data_direction();
  EXPECT_EQ(fd.proto, Transport::Tcp);
  const TraceFlow& f = trace().flows()[fd.flow];
  const std::uint32_t sender = fd.dir == Direction::AtoB ? f.a_host : f.b_host;
  EXPECT_EQ(trace().hosts()[sender].name, "A");
  EXPECT_GE(fd.payload_bytes, 1'000'000u);
  EXPECT_EQ(flow_direction_label(trace(), fd).substr(0, 2), "A:");
}

TEST_F(GraphBulkLoss, EveryRetransmissionIsMarkedAndNoFirstTransmissionIs) {
  // Each segment sent again (RTO, fast, recovery) lands in the retransmission series, and only those.
  const FlowDirection fd = data_direction();
  const SeqGraph g = build_seq_graph(trace(), *rel_, fd.flow, fd.dir);
  std::size_t retransmissions = 0, first = 0, lost = 0;
  for (std::size_t i = 0; i < trace().packet_count(); ++i) {
    const PacketRecord p = trace().packet(i);
    if (p.flow != fd.flow || p.dir != fd.dir || p.payload_len == 0) continue;
    if (is_retransmission(p.cause))
      ++retransmissions;
    else
      ++first;
    if (p.fate == Fate::DroppedByLink || p.fate == Fate::DroppedByQueue || p.fate == Fate::DroppedByHost)
      ++lost;
  }
  ASSERT_GT(retransmissions, 0u);
  EXPECT_EQ(g.retransmitted.size(), retransmissions);
  EXPECT_EQ(g.first_sent.size(), first);
  ASSERT_GT(lost, 0u);
  EXPECT_EQ(g.lost.size(), lost);
}

TEST_F(GraphBulkLoss, EveryLostFirstTransmissionIsLaterRetransmitted) {
  // The loss marks sit at the top of a bar, and some retransmission bar covers the same bytes afterwards.
  const FlowDirection fd = data_direction();
  const SeqGraph g = build_seq_graph(trace(), *rel_, fd.flow, fd.dir);
  ASSERT_FALSE(g.lost.empty());
  for (std::size_t i = 0; i < g.first_sent.size(); ++i) {
    const auto lost = g.lost.between(g.first_sent.time(i), g.first_sent.time(i));
    bool this_one_lost = false;
    for (std::size_t k = lost.first; k < lost.last; ++k) this_one_lost |= g.lost.lo(k) == g.first_sent.hi(i);
    if (!this_one_lost) continue;
    bool repaired = false;
    for (std::size_t r = 0; r < g.retransmitted.size() && !repaired; ++r)
      repaired = g.retransmitted.time(r) > g.first_sent.time(i) &&
                 g.retransmitted.lo(r) <= g.first_sent.lo(i) && g.retransmitted.hi(r) >= g.first_sent.hi(i);
    EXPECT_TRUE(repaired) << "segment [" << g.first_sent.lo(i) << ", " << g.first_sent.hi(i) << ") sent at "
                          << g.first_sent.time(i) << " ns";
  }
}

TEST_F(GraphBulkLoss, AckLineNeverGoesBackAndEndsAtTheLastByte) {
  const FlowDirection fd = data_direction();
  const SeqGraph g = build_seq_graph(trace(), *rel_, fd.flow, fd.dir);
  ASSERT_GT(g.acked.size(), 100u);
  for (std::size_t i = 1; i < g.acked.size(); ++i) {
    EXPECT_LE(g.acked.time(i - 1), g.acked.time(i));
    EXPECT_LE(g.acked.lo(i - 1), g.acked.lo(i)) << "at " << g.acked.time(i) << " ns";
  }
  // 1 MB of data plus the FIN: the last ACK acknowledges relative sequence number 1'000'002.
  EXPECT_EQ(g.acked.lo(g.acked.size() - 1), 1'000'002);
  const std::int64_t highest_byte = g.first_sent.range(0, g.first_sent.size()).max;
  EXPECT_EQ(highest_byte, 1'000'001);
}

TEST_F(GraphBulkLoss, ReceiveWindowLineStaysAtOrAboveTheAckLine) {
  const FlowDirection fd = data_direction();
  const SeqGraph g = build_seq_graph(trace(), *rel_, fd.flow, fd.dir);
  ASSERT_EQ(g.window.size(), g.acked.size());
  // The link does not reorder here, so each ACK is also the cumulative one and its window edge lies above it.
  std::size_t above = 0;
  for (std::size_t i = 0; i < g.window.size(); ++i) {
    EXPECT_GE(g.window.lo(i), g.acked.lo(i)) << "at " << g.window.time(i) << " ns";
    above += g.window.lo(i) > g.acked.lo(i);
  }
  // B's receive buffer is never full for long: the window is open almost all the time.
  EXPECT_GT(above, g.window.size() * 9 / 10);
}

TEST_F(GraphBulkLoss, CwndSeriesEqualsTheSendersCwndEvents) {
  // The graph reads the same events as the state panel: every cwnd change of A's socket, at its time.
  const FlowDirection fd = data_direction();
  const SeqGraph seq = build_seq_graph(trace(), *rel_, fd.flow, fd.dir);
  const CwndGraph g = build_cwnd_graph(trace(), *states_, fd.flow, fd.dir, seq.isn);
  ASSERT_TRUE(g.endpoint.has_value());
  const auto& ep = states_->endpoints()[*g.endpoint];
  EXPECT_EQ(trace().hosts()[ep.host].name, "A");
  std::vector<std::pair<std::int64_t, std::int64_t>> expected;
  for (std::size_t e = 0; e < trace().event_count(); ++e) {
    if (trace().event_kind(e) != EventKind::Variable) continue;
    const TraceEvent ev = trace().event(e);
    if (ev.host == ep.host && ev.socket == ep.socket && ev.code == static_cast<std::uint8_t>(TraceVar::Cwnd))
      expected.emplace_back(ev.time.ns, ev.value);
  }
  ASSERT_GT(expected.size(), 10u);
  ASSERT_EQ(g.cwnd.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(g.cwnd.time(i), expected[i].first);
    EXPECT_EQ(g.cwnd.lo(i), expected[i].second);
  }
  // Losses happened, so ssthresh has finite values, and none of the "infinite" ones is kept.
  ASSERT_FALSE(g.ssthresh.empty());
  EXPECT_LT(g.ssthresh.range(0, g.ssthresh.size()).max, kInfiniteSsthresh);
}

TEST_F(GraphBulkLoss, ThroughputBinsSumToThePayloadBytesSent) {
  // Whatever the bin width, the bins over the whole run add up to every payload byte sent that way.
  const FlowDirection fd = data_direction();
  const ThroughputSeries s = build_throughput(trace(), fd.flow, fd.dir);
  EXPECT_EQ(s.total(), fd.payload_bytes);
  std::vector<ThroughputBin> bins;
  const std::int64_t begin = trace().packet_times_ns().front(), end = trace().packet_times_ns().back();
  for (std::int64_t bin : {kMs, 7 * kMs, 100 * kMs, 5'000 * kMs}) {
    throughput_bins(s, begin, end, bin, bins);
    std::uint64_t sum = 0;
    for (const ThroughputBin& b : bins) {
      EXPECT_EQ(b.begin_ns % bin, 0) << "bins are aligned to their width";
      sum += b.bytes;
    }
    EXPECT_EQ(sum, fd.payload_bytes) << "bin " << bin << " ns";
    EXPECT_LE(bins.front().begin_ns, begin);
    EXPECT_GE(bins.back().begin_ns + bin, end);
  }
}

TEST(GraphSeries, RangeQueryEqualsALinearScanForEveryShapeOfRange) {
  // The pyramid must give exactly what reading every point would, across block boundaries and levels.
  Series s;
  std::uint32_t x = 12345;
  std::vector<std::int64_t> lo, hi;
  for (int i = 0; i < 5000; ++i) {
    x = x * 1103515245u + 12345u;  // a fixed sequence, no library distribution
    const std::int64_t v = static_cast<std::int64_t>(x >> 8) % 100'000 - 50'000;
    lo.push_back(v);
    hi.push_back(v + static_cast<std::int64_t>(x % 1500));
    s.add_bar(i, lo.back(), hi.back());
  }
  s.finish();
  for (std::size_t first : {0u, 1u, 15u, 16u, 17u, 255u, 256u, 1000u, 4095u, 4999u})
    for (std::size_t len : {0u, 1u, 2u, 15u, 16u, 31u, 257u, 4096u, 5000u}) {
      const std::size_t last = std::min<std::size_t>(first + len, s.size());
      MinMax want;
      for (std::size_t i = first; i < last; ++i) want.add(lo[i], hi[i]);
      const MinMax got = s.range(first, last);
      EXPECT_EQ(got.min, want.min) << first << "+" << len;
      EXPECT_EQ(got.max, want.max) << first << "+" << len;
    }
  EXPECT_TRUE(s.range(10, 10).empty());
}

TEST(GraphSeries, PointsAfterBarsKeepTheirOwnValueAsTop) {
  Series s;
  s.add_point(0, 5);
  s.add_bar(1, 10, 20);
  s.add_point(2, 7);
  s.finish();
  EXPECT_EQ(s.hi(0), 5);
  EXPECT_EQ(s.hi(1), 20);
  EXPECT_EQ(s.hi(2), 7);
  EXPECT_EQ(s.range(0, 3).min, 5);
  EXPECT_EQ(s.range(0, 3).max, 20);
  EXPECT_EQ(s.last_at_or_before(1), 1u);
  EXPECT_FALSE(s.last_at_or_before(-1).has_value());
}

TEST(GraphColumns, OneRecordPerPixelColumnKeepingItsMinimumAndMaximum) {
  // 10 px over 10 ms: points at 2.1, 2.3, 2.5, 2.7 ms share column 2; the extremes of the column survive.
  Series s;
  s.add_point(0, 100);
  s.add_point(21 * kMs / 10, 5);
  s.add_point(23 * kMs / 10, -3);
  s.add_point(25 * kMs / 10, 9);
  s.add_point(27 * kMs / 10, 2);
  s.add_point(9 * kMs + kMs / 2, 40);
  s.add_point(11 * kMs, 1000);  // outside the view
  s.finish();
  const TimeMapping map = make_mapping(0, 10 * kMs, 50.0f, 10.0f);
  std::vector<ColumnAgg> cols;
  aggregate_columns(s, map, cols);
  ASSERT_EQ(cols.size(), 3u);
  EXPECT_FLOAT_EQ(cols[0].x, 50.0f);
  EXPECT_EQ(cols[0].count, 1u);
  EXPECT_FLOAT_EQ(cols[1].x, 52.0f);
  EXPECT_EQ(cols[1].count, 4u);
  EXPECT_EQ(cols[1].min, -3);
  EXPECT_EQ(cols[1].max, 9);
  EXPECT_EQ(cols[1].last, 2);
  EXPECT_FLOAT_EQ(cols[2].x, 59.0f);
  EXPECT_EQ(cols[2].max, 40);
}

TEST(GraphColumns, AMillionPointsFoldIntoAtMostOneRecordPerPixel) {
  // The synthetic million-packet Trace's data direction on an 800 px wide graph.
  const Trace t = make_synthetic_trace(1'000'000);
  const RelativeSeq rel(t);
  const SeqGraph g = build_seq_graph(t, rel, 0, Direction::AtoB);
  ASSERT_GT(g.first_sent.size(), 600'000u);
  const std::int64_t begin = t.packet_times_ns().front(), end = t.packet_times_ns().back();
  const TimeMapping map = make_mapping(begin, end, 0.0f, 800.0f);
  std::vector<ColumnAgg> cols;
  aggregate_columns(g.first_sent, map, cols);
  EXPECT_LE(cols.size(), 801u);
  std::size_t points = 0;
  for (const ColumnAgg& c : cols) points += c.count;
  EXPECT_EQ(points, g.first_sent.size());
  // Each column's top is its highest segment end: the whole graph reaches the last byte sent.
  std::int64_t top = INT64_MIN;
  for (const ColumnAgg& c : cols) top = std::max(top, c.max);
  EXPECT_EQ(top, g.first_sent.range(0, g.first_sent.size()).max);
  // One loss in 97 segments, every one marked.
  EXPECT_EQ(g.lost.size(), (g.first_sent.size() + g.retransmitted.size()) / 97);
}

// A capture-like Trace: one TCP flow with no causes, an ISN just below 2^32.
Trace captured_flow(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& segments, std::uint32_t isn) {
  Trace t;
  const auto a = wire::IpAddr::from_v4(*wire::Ipv4Addr::parse("10.0.0.1"));
  const auto b = wire::IpAddr::from_v4(*wire::Ipv4Addr::parse("10.0.0.2"));
  const auto [flow, dir] = t.flow_for(Transport::Tcp, a, 1000, b, 80);
  (void)dir;
  std::int64_t now = 0;
  PacketRecord syn;
  syn.flow = flow;
  syn.tcp_flags = wire::tcp_flag::kSyn;
  syn.seq = isn;
  syn.fate = Fate::Captured;
  syn.cause = Cause::Captured;
  t.add_packet(syn);
  for (const auto& [rel_seq, len] : segments) {
    PacketRecord p = syn;
    now += kMs;
    p.time = p.arrive = SimTime{now};
    p.tcp_flags = wire::tcp_flag::kAck;
    p.seq = isn + rel_seq;
    p.payload_len = len;
    t.add_packet(p);
  }
  return t;
}

TEST(GraphCapture, SegmentBelowTheHighestByteSentCountsAsRetransmission) {
  // Captures carry no cause; a segment that repeats bytes already sent is drawn as a retransmission.
  const Trace t = captured_flow({{1, 100}, {101, 100}, {201, 100}, {101, 100}, {301, 100}}, 1000);
  const SeqGraph g = build_seq_graph(t, RelativeSeq(t), 0, Direction::AtoB);
  ASSERT_EQ(g.retransmitted.size(), 1u);
  EXPECT_EQ(g.retransmitted.lo(0), 101);
  EXPECT_EQ(g.retransmitted.time(0), 4 * kMs);
  EXPECT_EQ(g.first_sent.size(), 4u);
  EXPECT_EQ(g.isn, 1000u);
}

TEST(GraphCapture, SequenceNumbersKeepRisingAcrossTheWrapAt2To32) {
  // ISN 2^32 - 150: the second segment's raw seq wraps to a small number; the graph does not drop to zero.
  const std::uint32_t isn = 0xFFFFFFFFu - 149;
  const Trace t = captured_flow({{1, 100}, {101, 100}, {201, 100}}, isn);
  const SeqGraph g = build_seq_graph(t, RelativeSeq(t), 0, Direction::AtoB);
  ASSERT_EQ(g.first_sent.size(), 3u);
  EXPECT_EQ(g.first_sent.lo(1), 101);
  EXPECT_EQ(g.first_sent.hi(2), 301);
  EXPECT_TRUE(g.retransmitted.empty());
}

// A simulated handshake with window scaling on both SYNs (A shifts by 0, B by 3), then B's ACKs as given:
// (send ms, arrive ms, relative ack, window on the wire).
Trace acks_from_b(
    const std::vector<std::tuple<std::int64_t, std::int64_t, std::uint32_t, std::uint16_t>>& acks) {
  Trace t;
  const auto a = wire::IpAddr::from_v4(*wire::Ipv4Addr::parse("10.0.0.1"));
  const auto b = wire::IpAddr::from_v4(*wire::Ipv4Addr::parse("10.0.0.2"));
  const auto [flow, dir] = t.flow_for(Transport::Tcp, a, 1000, b, 80);
  (void)dir;
  constexpr std::uint32_t kIsnA = 5000, kIsnB = 9000;
  PacketRecord syn;
  syn.flow = flow;
  syn.tcp_flags = wire::tcp_flag::kSyn;
  syn.seq = kIsnA;
  syn.window = 1000;
  syn.cause = Cause::FirstTransmission;
  syn.options = wire::TcpOptions{};
  syn.options->window_scale = 0;
  t.add_packet(syn);
  PacketRecord synack = syn;
  synack.dir = Direction::BtoA;
  synack.tcp_flags = wire::tcp_flag::kSyn | wire::tcp_flag::kAck;
  synack.seq = kIsnB;
  synack.ack = kIsnA + 1;
  synack.window = 2000;  // SYN windows are never scaled (RFC 7323 §2.2)
  synack.options->window_scale = 3;
  synack.time = synack.arrive = SimTime{kMs};
  t.add_packet(synack);
  for (const auto& [sent, arrive, ack, window] : acks) {
    PacketRecord p;
    p.flow = flow;
    p.dir = Direction::BtoA;
    p.tcp_flags = wire::tcp_flag::kAck;
    p.seq = kIsnB + 1;
    p.ack = kIsnA + ack;
    p.window = window;
    p.cause = Cause::PureAck;
    p.time = SimTime{sent * kMs};
    p.arrive = SimTime{arrive * kMs};
    t.add_packet(p);
  }
  return t;
}

TEST(GraphAckLine, AnAckOvertakenByANewerOneDoesNotPullTheLineBack) {
  // ACK 101 is sent first but arrives after ACK 201: the sender's view stays at 201.
  const Trace t = acks_from_b({{10, 30, 101, 100}, {12, 20, 201, 100}});
  const SeqGraph g = build_seq_graph(t, RelativeSeq(t), 0, Direction::AtoB);
  ASSERT_EQ(g.acked.size(), 3u);  // the SYN,ACK and the two ACKs, in arrival order
  EXPECT_EQ(g.acked.time(1), 20 * kMs);
  EXPECT_EQ(g.acked.lo(1), 201);
  EXPECT_EQ(g.acked.time(2), 30 * kMs);
  EXPECT_EQ(g.acked.lo(2), 201);
}

TEST(GraphAckLine, ReceiveWindowIsScaledExceptOnTheSynAck) {
  // B's shift is 3: a window of 100 on the wire is 800 bytes; the SYN,ACK's 2000 is taken as it is.
  const Trace t = acks_from_b({{10, 20, 101, 100}});
  const SeqGraph g = build_seq_graph(t, RelativeSeq(t), 0, Direction::AtoB);
  ASSERT_EQ(g.window.size(), 2u);
  EXPECT_EQ(g.window.lo(0), 1 + 2000);
  EXPECT_EQ(g.window.lo(1), 101 + 800);
}

TEST(GraphFlowChoice, UdpOnlyTraceDefaultsToItsFirstFlowsBusierDirection) {
  const RunResult run = run_lesson("udp-sendto.toml");
  const auto choices = list_flow_directions(run.trace, 3);
  ASSERT_FALSE(choices.empty());
  const auto pick = default_flow_direction(choices);
  ASSERT_TRUE(pick.has_value());
  EXPECT_EQ(choices[*pick].trace, 3u);
  EXPECT_EQ(choices[*pick].proto, Transport::Udp);
  for (const FlowDirection& fd : choices) {
    if (fd.flow == choices[*pick].flow) {
      EXPECT_GE(choices[*pick].payload_bytes, fd.payload_bytes);
    }
  }
  // No TCP: the sequence graph has nothing to draw rather than nonsense.
  const SeqGraph g =
      build_seq_graph(run.trace, RelativeSeq(run.trace), choices[*pick].flow, choices[*pick].dir);
  EXPECT_TRUE(g.first_sent.empty());
  EXPECT_TRUE(g.acked.empty());
}

TEST(GraphAxes, TickStepsAreRoundAndWideEnough) {
  EXPECT_DOUBLE_EQ(value_tick_step(1.0, 40.0f), 50.0);
  EXPECT_DOUBLE_EQ(value_tick_step(1000.0, 40.0f), 50'000.0);
  EXPECT_DOUBLE_EQ(value_tick_step(2.5, 40.0f), 100.0);
  EXPECT_DOUBLE_EQ(value_tick_step(0.01, 30.0f), 0.5);
  EXPECT_EQ(throughput_bin_ns(1'000'000.0, 8.0f), 10 * kMs);
}

TEST(GraphAxes, CompactLabelsUseSuffixesAndDropTrailingZeros) {
  char buf[16];
  auto text = [&](double v) {
    format_compact(buf, sizeof buf, v);
    return std::string(buf);
  };
  EXPECT_EQ(text(0), "0");
  EXPECT_EQ(text(950), "950");
  EXPECT_EQ(text(0.5), "0.5");
  EXPECT_EQ(text(200'000), "200k");
  EXPECT_EQ(text(12'500), "12.5k");
  EXPECT_EQ(text(1'250'000), "1.25M");
  EXPECT_EQ(text(-3'000'000'000.0), "-3G");
  char tiny[4];
  EXPECT_EQ(format_compact(tiny, sizeof tiny, 123456), 3u);
  EXPECT_EQ(std::strlen(tiny), 3u);
}

// The Graphs tab itself, headless (ImGui's own context and font atlas, no window), so ImGui's own checks
// (Begin/End, clip rects, ID stack) run over the drawing code and the mouse does what the tab promises.
class GraphTab : public HeadlessAppTest {
 protected:
  // The wheel is consumed by one frame, as a backend's event queue would be.
  int frame() {
    const int n = HeadlessAppTest::frame();
    ImGui::GetIO().MouseWheel = 0;
    return n;
  }
  void mouse(float x, float y, bool down) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = {x, y};
    io.MouseDown[0] = down;
  }
};

// At 1400x900 the lower right tab sits in the right column's lower half; this point is inside the plot.
constexpr float kPlotX = 1200.0f, kPlotY = 760.0f;

TEST_F(GraphTab, EveryGraphDrawsForALessonAComparisonAndACapture) {
  const std::string capture = std::string(WIRESTEP_CORPUS_DIR) + "/tcpdump/ssh.pcap";
  std::vector<std::string> inputs = {
      std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/tcp-bulk-loss.toml",
      std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/compare-tcp-udp-5pct.toml",
      std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/udp-sendto.toml"};
  if (std::filesystem::exists(capture)) inputs.push_back(capture);
  for (const std::string& input : inputs) {
    SCOPED_TRACE(input);
    // One App for all: the tab's caches must follow each new document.
    ASSERT_EQ(app_->open(input), std::nullopt);
    for (GraphKind kind : {GraphKind::Sequence, GraphKind::Cwnd, GraphKind::Throughput}) {
      app_->show_graphs(kind);
      EXPECT_GT(frame(), 1000);
      mouse(kPlotX, kPlotY, false);  // hovering shows the values under the mouse
      EXPECT_GT(frame(), 1000);
      app_->view().lang = Lang::Zh;
      EXPECT_GT(frame(), 1000);
      app_->view().lang = Lang::En;
    }
  }
}

TEST_F(GraphTab, WheelZoomsTheTimelineAboutTheMouseAndDragPansIt) {
  ASSERT_EQ(app_->open(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/tcp-bulk-loss.toml"), std::nullopt);
  app_->show_graphs(GraphKind::Sequence);
  mouse(kPlotX, kPlotY, false);
  frame();
  frame();
  const std::int64_t b0 = app_->view().view_begin_ns, e0 = app_->view().view_end_ns;
  ImGui::GetIO().MouseWheel = 1.0f;
  frame();
  const std::int64_t b1 = app_->view().view_begin_ns, e1 = app_->view().view_end_ns;
  EXPECT_NEAR(static_cast<double>(e1 - b1), 0.8 * static_cast<double>(e0 - b0), 2.0);
  EXPECT_GT(b1, b0) << "the mouse is inside the view: both ends move towards it";
  EXPECT_LT(e1, e0);

  // Dragging 100 px to the left moves the view later by 100 px worth of time; its span stays.
  mouse(kPlotX, kPlotY, true);
  frame();
  for (float dx : {-30.0f, -60.0f, -100.0f}) {
    mouse(kPlotX + dx, kPlotY, true);
    frame();
  }
  mouse(kPlotX - 100.0f, kPlotY, false);
  const std::int64_t cursor_before = app_->view().cursor.time_ns;
  frame();
  EXPECT_GT(app_->view().view_begin_ns, b1);
  EXPECT_EQ(app_->view().view_end_ns - app_->view().view_begin_ns, e1 - b1);
  EXPECT_EQ(app_->view().cursor.time_ns, cursor_before) << "a drag is not a click";

  // A click without moving puts the time cursor under the mouse.
  mouse(kPlotX - 100.0f, kPlotY, true);
  frame();
  mouse(kPlotX - 100.0f, kPlotY, false);
  frame();
  EXPECT_NE(app_->view().cursor.time_ns, cursor_before);
  EXPECT_GT(app_->view().cursor.time_ns, app_->view().view_begin_ns);
  EXPECT_LT(app_->view().cursor.time_ns, app_->view().view_end_ns);
}

TEST_F(GraphTab, MillionPacketTraceDrawsEveryGraphZoomedInAndOut) {
  app_->open_trace(make_synthetic_trace(1'000'000), "synthetic");
  for (GraphKind kind : {GraphKind::Sequence, GraphKind::Cwnd, GraphKind::Throughput}) {
    app_->show_graphs(kind);
    for (std::int64_t span : {1'000'000LL, 1'000'000'000LL, 12'000'000'000LL}) {
      app_->view().view_begin_ns = 5'000'000'000;
      app_->view().view_end_ns = 5'000'000'000 + span;
      EXPECT_GT(frame(), 1000);
    }
  }
}

}  // namespace graph_series_test
}  // namespace wirestep::gui
