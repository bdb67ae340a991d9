// The timeline's window-free half: time <-> pixel mapping, the visible-range search, level-of-detail folding,
// hit testing and event marks (ui/gui/timeline_mapping.hpp).
#include <gtest/gtest.h>

#include <cmath>

#include "sim/tcp/tcp_state.hpp"
#include "sim/wire/transport.hpp"
#include "ui/gui/synthetic_trace.hpp"
#include "ui/gui/timeline_mapping.hpp"

namespace wirestep::gui {
namespace ui_timeline_mapping_test {

constexpr std::int64_t kMs = 1'000'000;

// Two hosts, one TCP flow; `sends` are (send ms, arrive ms, A->B?, fate).
struct Built {
  Trace trace;
  std::vector<FlowColumns> flow_columns;
  LadderLayout layout;
};

Built two_host_trace(const std::vector<std::tuple<std::int64_t, std::int64_t, bool, Fate>>& packets,
                     Transport proto = Transport::Tcp) {
  Built b;
  const auto a = wire::IpAddr::from_v4(*wire::Ipv4Addr::parse("10.0.0.1"));
  const auto c = wire::IpAddr::from_v4(*wire::Ipv4Addr::parse("10.0.0.2"));
  const auto ha = b.trace.add_host({"A", a, 24});
  const auto hb = b.trace.add_host({"B", c, 24});
  const auto [flow, dir] = b.trace.flow_for(proto, a, 1000, c, 80, ha, hb);
  (void)dir;
  for (const auto& [t, arrive, a_to_b, fate] : packets) {
    PacketRecord p;
    p.time = SimTime{t};
    p.arrive = SimTime{arrive};
    p.flow = flow;
    p.dir = a_to_b ? Direction::AtoB : Direction::BtoA;
    p.tcp_flags = wire::tcp_flag::kAck;
    p.payload_len = a_to_b ? 100 : 0;
    p.window = 1000;
    p.fate = fate;
    p.cause = proto == Transport::Udp ? Cause::Datagram : a_to_b ? Cause::FirstTransmission : Cause::PureAck;
    b.trace.add_packet(p);
  }
  b.flow_columns = {FlowColumns{0, 1}};
  b.layout.columns = 2;
  b.layout.column_x[0] = 100;
  b.layout.column_x[1] = 500;
  return b;
}

TEST(TimelineMapping, TimeAndPixelRoundTrip) {
  // 100 ms over 1000 px starting at y = 50: 0.1 ms per pixel.
  const TimeMapping m = make_mapping(0, 100 * kMs, 50.0f, 1000.0f);
  EXPECT_FLOAT_EQ(m.y(0), 50.0f);
  EXPECT_FLOAT_EQ(m.y(50 * kMs), 550.0f);
  EXPECT_FLOAT_EQ(m.y(100 * kMs), 1050.0f);
  EXPECT_EQ(m.time_at(550.0f), 50 * kMs);
  EXPECT_EQ(m.end_ns(), 100 * kMs);
}

TEST(TimelineMapping, ZeroSpanIsWidenedNotDividedByZero) {
  const TimeMapping m = make_mapping(5, 5, 0.0f, 100.0f);
  EXPECT_GT(m.ns_per_px, 0.0);
  EXPECT_TRUE(std::isfinite(m.y(INT64_MAX / 2)));
}

TEST(TimelineMapping, ZoomKeepsTheAnchorTimeUnderTheMouse) {
  std::int64_t b = 0, e = 100 * kMs;
  zoom_range(b, e, 25 * kMs, 0.5);
  EXPECT_EQ(e - b, 50 * kMs);
  // The anchor stays a quarter of the way down.
  EXPECT_EQ(b, 25 * kMs - 50 * kMs / 4);
  zoom_range(b, e, b, 1e-12);
  EXPECT_GE(e - b, 1000);  // never below 1 µs
}

TEST(TimelineVisibleRange, WidenedByTheLongestFlightSoEarlierArrowsStillShow) {
  const std::vector<std::int64_t> times = {0, 10, 20, 30, 40, 50};
  // View [30, 40] with no flight: indices 3..4; a flight of 15 reaches back to the packet sent at 20.
  IndexRange r = visible_packets(times, 30, 40, 0);
  EXPECT_EQ(r.first, 3u);
  EXPECT_EQ(r.last, 5u);
  r = visible_packets(times, 30, 40, 15);
  EXPECT_EQ(r.first, 2u);
  EXPECT_EQ(r.last, 5u);
  r = visible_packets(times, 100, 200, 15);
  EXPECT_EQ(r.size(), 0u);
}

TEST(TimelineArrows, PacketsSentTogetherTheSameWayAreDrawnApartNotOnTopOfEachOther) {
  // The handshake's last ACK and the first data segment leave A at the same instant; B's answer goes the
  // other way at that instant too and keeps its place.
  auto b = two_host_trace({{10 * kMs, 20 * kMs, true, Fate::Delivered},
                           {10 * kMs, 20 * kMs, true, Fate::Delivered},
                           {10 * kMs, 20 * kMs, false, Fate::Delivered},
                           {30 * kMs, 40 * kMs, true, Fate::Delivered}});
  const TimeMapping m = make_mapping(0, 100 * kMs, 0.0f, 1000.0f);
  std::vector<ArrowRecord> out;
  build_arrows(b.trace, b.flow_columns, b.layout, m, {0, 4}, Filters{}, out);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_FLOAT_EQ(out[0].y0, m.y(10 * kMs));
  EXPECT_FLOAT_EQ(out[1].y0, m.y(10 * kMs) + kSimultaneousOffsetPx);
  EXPECT_FLOAT_EQ(out[1].y1, m.y(20 * kMs) + kSimultaneousOffsetPx);
  EXPECT_FLOAT_EQ(out[2].y0, m.y(10 * kMs));  // the other direction is not stacked
  EXPECT_FLOAT_EQ(out[3].y0, m.y(30 * kMs));
}

TEST(TimelineArrows, SparsePacketsAreOneArrowEachFromSenderToReceiver) {
  // A->B at 10 ms arriving 20 ms; B->A at 30 ms arriving 40 ms.
  Built b = two_host_trace(
      {{10 * kMs, 20 * kMs, true, Fate::Delivered}, {30 * kMs, 40 * kMs, false, Fate::Delivered}});
  const TimeMapping m = make_mapping(0, 100 * kMs, 0.0f, 1000.0f);
  std::vector<ArrowRecord> out;
  build_arrows(b.trace, b.flow_columns, b.layout, m, {0, 2}, Filters{}, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].count, 1u);
  EXPECT_FLOAT_EQ(out[0].x0, 100.0f);
  EXPECT_FLOAT_EQ(out[0].y0, 100.0f);
  EXPECT_FLOAT_EQ(out[0].x1, 500.0f);
  EXPECT_FLOAT_EQ(out[0].y1, 200.0f);  // sloped by its real delay
  EXPECT_EQ(out[0].kind, ArrowKind::Data);
  EXPECT_FLOAT_EQ(out[1].x0, 500.0f);
  EXPECT_FLOAT_EQ(out[1].x1, 100.0f);
  EXPECT_EQ(out[1].kind, ArrowKind::Ack);
}

TEST(TimelineArrows, LostPacketEndsHalfWayWhereTheLinkDroppedIt) {
  // The link records a loss half-way along the wire: arrive = send + latency / 2.
  Built b = two_host_trace({{10 * kMs, 15 * kMs, true, Fate::DroppedByLink}});
  const TimeMapping m = make_mapping(0, 100 * kMs, 0.0f, 1000.0f);
  std::vector<ArrowRecord> out;
  build_arrows(b.trace, b.flow_columns, b.layout, m, {0, 1}, Filters{}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].end, ArrowEnd::LostOnLink);
  EXPECT_FLOAT_EQ(out[0].x1, 300.0f);
  EXPECT_FLOAT_EQ(out[0].y1, 150.0f);
  EXPECT_EQ(out[0].lost, 1u);
}

TEST(TimelineArrows, PacketsCloserThanThreePixelsFoldIntoOneCountedMark) {
  // 10 packets 1 µs apart at 0.1 ms per pixel: all within one pixel.
  std::vector<std::tuple<std::int64_t, std::int64_t, bool, Fate>> p;
  for (int i = 0; i < 10; ++i)
    p.emplace_back(10 * kMs + i * 1000, 20 * kMs + i * 1000, true, Fate::Delivered);
  p.emplace_back(60 * kMs, 70 * kMs, true, Fate::Delivered);  // far away: its own arrow
  Built b = two_host_trace(p);
  const TimeMapping m = make_mapping(0, 100 * kMs, 0.0f, 1000.0f);
  std::vector<ArrowRecord> out;
  build_arrows(b.trace, b.flow_columns, b.layout, m, {0, p.size()}, Filters{}, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].count, 10u);
  EXPECT_EQ(out[0].packet, 0u);
  EXPECT_EQ(out[1].count, 1u);
  EXPECT_EQ(out[1].packet, 10u);
}

TEST(TimelineArrows, FewPacketsCloseTogetherStayIndividualArrows) {
  // An ACK and a data segment sent in the same nanosecond (the handshake's last ACK and the request).
  Built b = two_host_trace(
      {{10 * kMs, 20 * kMs, true, Fate::Delivered}, {10 * kMs, 21 * kMs, true, Fate::Delivered}});
  const TimeMapping m = make_mapping(0, 100 * kMs, 0.0f, 1000.0f);
  std::vector<ArrowRecord> out;
  build_arrows(b.trace, b.flow_columns, b.layout, m, {0, 2}, Filters{}, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].count, 1u);
  EXPECT_EQ(out[1].count, 1u);
}

TEST(TimelineArrows, DirectionsFoldSeparately) {
  std::vector<std::tuple<std::int64_t, std::int64_t, bool, Fate>> p;
  for (int i = 0; i < 20; ++i) p.emplace_back(10 * kMs + i * 1000, 20 * kMs, i % 2 == 0, Fate::Delivered);
  Built b = two_host_trace(p);
  const TimeMapping m = make_mapping(0, 100 * kMs, 0.0f, 1000.0f);
  std::vector<ArrowRecord> out;
  build_arrows(b.trace, b.flow_columns, b.layout, m, {0, p.size()}, Filters{}, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].count + out[1].count, 20u);
  EXPECT_NE(out[0].x0, out[1].x0);
}

TEST(TimelineArrows, MillionPacketsZoomedOutGiveAtMostOneMarkPerRowAndWay) {
  // The whole of a million-packet Trace on 900 pixels: records are bounded by rows, not packets.
  const Trace t = make_synthetic_trace(1'000'000);
  const std::vector<FlowColumns> fc = {FlowColumns{0, 1}};
  LadderLayout layout;
  layout.columns = 2;
  layout.column_x = {100, 500};
  const auto times = t.packet_times_ns();
  const TimeMapping m = make_mapping(0, times.back() + 20 * kMs, 0.0f, 900.0f);
  std::vector<ArrowRecord> out;
  build_arrows(t, fc, layout, m, visible_packets(times, 0, m.end_ns(), 10 * kMs), Filters{}, out);
  EXPECT_GT(out.size(), 100u);
  EXPECT_LE(out.size(), 2u * static_cast<std::size_t>(900.0f / kFoldPx + 2));
  std::uint64_t total = 0, lost = 0;
  for (const auto& r : out) {
    total += r.count;
    lost += r.lost;
  }
  // Sampled counts add up to about the real total.
  EXPECT_NEAR(static_cast<double>(total), 1e6, 1e6 * 0.02);
  EXPECT_GT(lost, 0u);
}

TEST(TimelineArrows, FiltersHidePureAcksAndProtocols) {
  Built b = two_host_trace(
      {{10 * kMs, 20 * kMs, true, Fate::Delivered}, {30 * kMs, 40 * kMs, false, Fate::Delivered}});
  const TimeMapping m = make_mapping(0, 100 * kMs, 0.0f, 1000.0f);
  std::vector<ArrowRecord> out;
  Filters f;
  f.pure_acks = false;
  build_arrows(b.trace, b.flow_columns, b.layout, m, {0, 2}, f, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, ArrowKind::Data);
  f = Filters{};
  f.tcp = false;
  build_arrows(b.trace, b.flow_columns, b.layout, m, {0, 2}, f, out);
  EXPECT_TRUE(out.empty());
}

TEST(TimelineArrows, ArrowsWhollyAboveTheViewAreSkipped) {
  Built b = two_host_trace(
      {{1 * kMs, 2 * kMs, true, Fate::Delivered}, {50 * kMs, 60 * kMs, true, Fate::Delivered}});
  const TimeMapping m = make_mapping(40 * kMs, 100 * kMs, 0.0f, 600.0f);
  std::vector<ArrowRecord> out;
  build_arrows(b.trace, b.flow_columns, b.layout, m, {0, 2}, Filters{}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].packet, 1u);
}

TEST(TimelineClassify, ColoursFollowTheMostTellingCause) {
  PacketRecord p;
  p.tcp_flags = wire::tcp_flag::kAck;
  p.window = 100;
  p.cause = Cause::FastRetransmission;
  p.payload_len = 10;
  EXPECT_EQ(classify(p, Transport::Tcp), ArrowKind::Retransmission);
  p.cause = Cause::DuplicateAck;
  EXPECT_EQ(classify(p, Transport::Tcp), ArrowKind::DuplicateAck);
  p.cause = Cause::PureAck;
  p.payload_len = 0;
  p.window = 0;
  EXPECT_EQ(classify(p, Transport::Tcp), ArrowKind::ZeroWindow);
  p.window = 100;
  p.marks = mark::kReordered;
  EXPECT_EQ(classify(p, Transport::Tcp), ArrowKind::OutOfOrder);
  p.marks = 0;
  p.tcp_flags = wire::tcp_flag::kSyn;
  EXPECT_EQ(classify(p, Transport::Tcp), ArrowKind::Control);
  p.marks = mark::kDuplicate;
  EXPECT_EQ(classify(p, Transport::Tcp), ArrowKind::LinkCopy);
  p.marks = 0;
  EXPECT_EQ(classify(p, Transport::Udp), ArrowKind::Datagram);
}

TEST(TimelineHitTest, PicksTheNearestArrowWithinTolerance) {
  std::vector<ArrowRecord> r(2);
  r[0].x0 = 100, r[0].y0 = 100, r[0].x1 = 500, r[0].y1 = 200;
  r[1].x0 = 100, r[1].y0 = 110, r[1].x1 = 500, r[1].y1 = 210;
  // The midpoint of the first arrow is (300, 150); the second passes 10 px lower.
  EXPECT_EQ(hit_test(r, 300, 151), std::optional<std::size_t>(0));
  EXPECT_EQ(hit_test(r, 300, 159), std::optional<std::size_t>(1));
  EXPECT_EQ(hit_test(r, 300, 130), std::nullopt);
  EXPECT_EQ(hit_test(r, 50, 100), std::nullopt);  // beyond the segment's end
  EXPECT_NEAR(distance_to_segment(0, 0, 3, 4, 3, 4), 5.0f, 1e-5);
}

TEST(TimelineEventMarks, EventsCloseTogetherOnOneColumnFoldButColumnsStayApart) {
  const std::vector<std::int64_t> times = {10 * kMs, 10 * kMs, 10 * kMs, 10 * kMs, 50 * kMs};
  const std::vector<std::uint32_t> ids = {0, 1, 2, 3, 4};
  const std::vector<std::uint8_t> cols = {0, 0, 1, 0, 1};
  const TimeMapping m = make_mapping(0, 100 * kMs, 0.0f, 1000.0f);
  std::vector<EventMark> out;
  build_event_marks(times, ids, cols, m, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].column, 0u);
  EXPECT_EQ(out[0].count, 3u);
  EXPECT_EQ(out[1].column, 1u);
  EXPECT_EQ(out[1].count, 1u);
  EXPECT_EQ(out[2].event, 4u);
  EXPECT_FLOAT_EQ(out[2].y, 500.0f);
}

TEST(TimelineTicks, StepsAreOneTwoFiveTimesAPowerOfTen) {
  EXPECT_EQ(tick_step_ns(1000.0, 60.0f), 100'000);    // 60 µs wanted -> 100 µs
  EXPECT_EQ(tick_step_ns(1000.0, 150.0f), 200'000);   // 150 µs -> 200 µs
  EXPECT_EQ(tick_step_ns(1e6, 60.0f), 100'000'000);   // 60 ms -> 100 ms
  EXPECT_EQ(tick_step_ns(1e6, 300.0f), 500'000'000);  // 300 ms -> 500 ms
}

// Issue #20, sequence layout: every instant something happens gets its own row of fixed height.
TEST(SequenceLayout, EveryInstantGetsItsOwnRowOfTheFixedHeight) {
  const std::vector<std::int64_t> rows = {0, 1000, 2 * kMs, 200 * kMs, 200 * kMs + 1000};
  const TimeMapping m = make_sequence_mapping(rows, 0, 40.0f, 400.0f, 24.0f);
  ASSERT_TRUE(m.sequence());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    EXPECT_FLOAT_EQ(m.y(rows[k]), 40.0f + 24.0f * static_cast<float>(k)) << "row " << k;
    // Round trip at the row boundary: the row's pixel gives back its instant.
    EXPECT_EQ(m.time_at(m.y(rows[k])), rows[k]) << "row " << k;
  }
}

TEST(SequenceLayout, TwoEventsOneMicrosecondApartAreAFullRowApart) {
  // On a 200 ms proportional ladder they would share one pixel; here neither can hide the other.
  const std::vector<std::int64_t> rows = {0, 100 * kMs, 100 * kMs + 1000, 200 * kMs};
  const TimeMapping m = make_sequence_mapping(rows, 0, 0.0f, 600.0f, 20.0f);
  EXPECT_FLOAT_EQ(m.y(100 * kMs + 1000) - m.y(100 * kMs), 20.0f);
  EXPECT_EQ(m.fold_ns(kFoldPx), 0);  // nothing folds: every step has its own row
}

TEST(SequenceLayout, MappingIsMonotonicInsideAndOutsideTheRows) {
  const std::vector<std::int64_t> rows = {10 * kMs, 10 * kMs + 5, 11 * kMs, 40 * kMs};
  const TimeMapping m = make_sequence_mapping(rows, 9 * kMs, 0.0f, 300.0f, 16.0f);
  float last_y = -1e9f;
  std::int64_t last_t = INT64_MIN;
  for (std::int64_t t = 0; t <= 60 * kMs; t += 250'000) {
    const float y = m.y(t);
    EXPECT_GE(y, last_y) << "t = " << t;
    last_y = y;
  }
  for (float y = -100.0f; y <= 400.0f; y += 0.5f) {
    const std::int64_t t = m.time_at(y);
    EXPECT_GE(t, last_t) << "y = " << y;
    last_t = t;
  }
  // The view starts at its own instant and ends where the rows run out of pixels.
  EXPECT_NEAR(m.y(9 * kMs), 0.0f, 1e-3f);
  EXPECT_GT(m.end_ns(), 40 * kMs);
}

TEST(SequenceLayout, ArrowsRunFromTheSendRowToTheArriveRow) {
  Built b =
      two_host_trace({{0, 30 * kMs, true, Fate::Delivered}, {31 * kMs, 61 * kMs, false, Fate::Delivered}});
  SequenceRows rows;
  rows.add_trace(b.trace);
  const auto times = rows.times();
  EXPECT_EQ(std::vector<std::int64_t>(times.begin(), times.end()),
            (std::vector<std::int64_t>{0, 30 * kMs, 31 * kMs, 61 * kMs}));
  TimeMapping m = make_sequence_mapping(rows.times(), 0, 0.0f, 500.0f, 20.0f);
  m.send_rows = rows.send_rows(0);
  std::vector<ArrowRecord> out;
  build_arrows(b.trace, b.flow_columns, b.layout, m, {0, 2}, Filters{}, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_FLOAT_EQ(out[0].y0, 0.0f);
  EXPECT_FLOAT_EQ(out[0].y1, 20.0f);
  EXPECT_FLOAT_EQ(out[1].y0, 40.0f);
  EXPECT_FLOAT_EQ(out[1].y1, 60.0f);
}

// Issue #20: two packets sent at the same nanosecond (an ACK and the data behind it) and two events at
// another (a state change and the socket call it ends) each get their own row, in the order they happened.
TEST(SequenceLayout, TwoStepsAtTheSameNanosecondGetTwoRows) {
  Built b = two_host_trace({{10 * kMs, 20 * kMs, true, Fate::Delivered},
                            {10 * kMs, 20 * kMs, true, Fate::Delivered},
                            {25 * kMs, 35 * kMs, false, Fate::Delivered}});
  // Recorded after the two sends and before the third: at 20 ms, when both arrive.
  b.trace.add_event(TraceEvent{SimTime{20 * kMs}, EventKind::StateChange, 1, 0,
                               static_cast<std::int64_t>(TcpState::CloseWait), "ESTABLISHED -> CLOSE-WAIT"});
  b.trace.add_event(TraceEvent{SimTime{20 * kMs}, EventKind::SocketReturn, 1, 0, 0, "recv -> 0"});
  b.trace.add_var(SimTime{20 * kMs}, 1, 0, TraceVar::Cwnd, 1000);  // not a step: no row of its own
  SequenceRows rows;
  rows.add_trace(b.trace);
  const auto times = rows.times();
  // 10 ms twice (two sends), 20 ms twice (two events; the arrivals share their instant), 25 ms, 35 ms.
  EXPECT_EQ(std::vector<std::int64_t>(times.begin(), times.end()),
            (std::vector<std::int64_t>{10 * kMs, 10 * kMs, 20 * kMs, 20 * kMs, 25 * kMs, 35 * kMs}));
  EXPECT_EQ(rows.send_rows(0)[0], 0u);
  EXPECT_EQ(rows.send_rows(0)[1], 1u);
  EXPECT_EQ(rows.send_rows(0)[2], 4u);
  EXPECT_EQ(rows.event_rows(0)[0], 2u);
  EXPECT_EQ(rows.event_rows(0)[1], 3u);
  EXPECT_EQ(rows.event_rows(0)[2], SequenceRows::kNoRow);

  TimeMapping m = make_sequence_mapping(rows.times(), 10 * kMs, 0.0f, 400.0f, 20.0f);
  m.send_rows = rows.send_rows(0);
  m.event_rows = rows.event_rows(0);
  // Each step on its own row; an instant's time maps to its first row.
  EXPECT_FLOAT_EQ(m.send_y(0, 10 * kMs), 0.0f);
  EXPECT_FLOAT_EQ(m.send_y(1, 10 * kMs), 20.0f);
  EXPECT_FLOAT_EQ(m.event_y(0, 20 * kMs), 40.0f);
  EXPECT_FLOAT_EQ(m.event_y(1, 20 * kMs), 60.0f);
  EXPECT_FLOAT_EQ(m.y(20 * kMs), 40.0f);
  EXPECT_FLOAT_EQ(m.event_y(2, 20 * kMs), 40.0f);  // a variable sits on its instant's first row
  // The two arrows start on their own rows and end on the first row of their arrival instant.
  std::vector<ArrowRecord> out;
  build_arrows(b.trace, b.flow_columns, b.layout, m, {0, 3}, Filters{}, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].count, 1u);
  EXPECT_FLOAT_EQ(out[0].y0, 0.0f);
  EXPECT_FLOAT_EQ(out[1].y0, 20.0f);
  EXPECT_FLOAT_EQ(out[0].y1, 40.0f);
  EXPECT_FLOAT_EQ(out[1].y1, 40.0f);
  // Hit testing finds each by its own row.
  EXPECT_EQ(hit_test(out, 120.0f, 2.0f), std::optional<std::size_t>(0));
  EXPECT_EQ(hit_test(out, 120.0f, 21.0f), std::optional<std::size_t>(1));
  // Event marks: one per event, each on its row.
  const std::vector<std::int64_t> ev_times = {20 * kMs, 20 * kMs};
  const std::vector<std::uint32_t> ev_ids = {0, 1};
  const std::vector<std::uint8_t> ev_cols = {1, 1};
  std::vector<EventMark> marks;
  build_event_marks(ev_times, ev_ids, ev_cols, m, marks);
  ASSERT_EQ(marks.size(), 2u);
  EXPECT_FLOAT_EQ(marks[0].y, 40.0f);
  EXPECT_FLOAT_EQ(marks[1].y, 60.0f);
}

TEST(SequenceLayout, RowsSharingAnInstantKeepTheMappingMonotonicAndRoundTrip) {
  const std::vector<std::int64_t> rows = {0, 0, 0, 5 * kMs, 9 * kMs, 9 * kMs, 40 * kMs};
  const TimeMapping m = make_sequence_mapping(rows, 0, 0.0f, 300.0f, 10.0f);
  float last_y = -1e9f;
  for (std::int64_t t = -kMs; t <= 60 * kMs; t += 100'000) {
    const float y = m.y(t);
    EXPECT_GE(y, last_y) << "t = " << t;
    last_y = y;
    EXPECT_EQ(m.time_of_row(m.row_of(t)), t) << "t = " << t;  // time -> row -> the same time
  }
  std::int64_t last_t = INT64_MIN;
  for (float y = -50.0f; y <= 400.0f; y += 0.25f) {
    const std::int64_t t = m.time_at(y);
    EXPECT_GE(t, last_t) << "y = " << y;
    last_t = t;
  }
  // The rows of one instant all give back that instant; it maps to its first row.
  EXPECT_EQ(m.time_at(15.0f), 0);
  EXPECT_EQ(m.time_at(20.0f), 0);
  EXPECT_FLOAT_EQ(m.y(9 * kMs), 40.0f);
  EXPECT_EQ(m.time_at(45.0f), 9 * kMs);
  // Between instants time runs from the last row of the earlier to the first of the later: 0 ms at row 2,
  // 5 ms at row 3.
  EXPECT_FLOAT_EQ(m.y(2500 * 1000), 25.0f);
  // A view can start inside an instant's rows: the second of three rows at 0 is at the top.
  const TimeMapping inside = make_sequence_mapping(rows, 0, 0.0f, 300.0f, 10.0f, 1.0);
  EXPECT_FLOAT_EQ(inside.row_y(1.0), 0.0f);
  EXPECT_EQ(inside.t0_ns, 0);
  const auto [t, skip] = inside.top_of_row(inside.row0);
  EXPECT_EQ(t, 0);
  EXPECT_DOUBLE_EQ(skip, 1.0);
}

// A comparison: two traces' rows merge by instant, the first trace's rows of an instant first.
TEST(SequenceLayout, TwoTracesMergeByInstantAndKeepTheirOwnRows) {
  Built a = two_host_trace({{10 * kMs, 20 * kMs, true, Fate::Delivered}});
  Built b = two_host_trace(
      {{10 * kMs, 30 * kMs, true, Fate::Delivered}, {15 * kMs, 25 * kMs, true, Fate::Delivered}});
  SequenceRows rows;
  rows.add_trace(a.trace);
  rows.add_trace(b.trace);
  const auto times = rows.times();
  EXPECT_EQ(std::vector<std::int64_t>(times.begin(), times.end()),
            (std::vector<std::int64_t>{10 * kMs, 10 * kMs, 15 * kMs, 20 * kMs, 25 * kMs, 30 * kMs}));
  EXPECT_EQ(rows.send_rows(0)[0], 0u);
  EXPECT_EQ(rows.send_rows(1)[0], 1u);
  EXPECT_EQ(rows.send_rows(1)[1], 2u);
}

}  // namespace ui_timeline_mapping_test
}  // namespace wirestep::gui
