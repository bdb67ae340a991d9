// Loss repair without a timeout: fast retransmit and fast recovery (RFC 5681 §3.2) with NewReno's partial
// ACKs (RFC 6582 §3.2). A sends 60 full segments over a link that serializes one full frame per millisecond,
// so the duplicate ACKs arrive 1 ms apart and "after the third" has a time of its own.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "tcp_test_harness.hpp"

namespace wirestep {
namespace tcp_fast_retransmit_test {

using namespace tcptest;

constexpr std::uint32_t kMss = 1460;
constexpr std::uint64_t kSegments = 60;

struct Transfer {
  explicit Transfer(std::vector<std::uint32_t> lost_data_segments)
      : lab(options(std::move(lost_data_segments))) {
    lab.establish(at_ms(200));
    if (::testing::Test::HasFatalFailure()) return;
    lab.at(at_ms(200), [this] {
      TcpLab::send(lab.A(), lab.client, {}, kSegments * kMss, sent);
      TcpLab::read_until_eof(lab.B(), lab.server(), sink);
    });
    lab.at(at_ms(5000), [this] { ASSERT_TRUE(lab.A().close(lab.client).ok()); });
    lab.run(at_ms(10'000));
    wire = lab.wire();
  }
  static LabOptions options(std::vector<std::uint32_t> lost) {
    LabOptions o;
    o.bandwidth_a_to_b_bps = kOneFullFramePerMs;
    o.a_to_b.push_back(drop(PacketKind::Data, std::move(lost)));
    return o;
  }

  // B's ACKs carrying exactly `ack`, in arrival order.
  std::vector<WireSeg> acks_of(std::uint32_t ack) const {
    auto out = filter(wire, [&](const WireSeg& s) { return s.from == "B" && s.len == 0 && s.ack == ack; });
    std::stable_sort(out.begin(), out.end(),
                     [](const WireSeg& x, const WireSeg& y) { return x.arrive < y.arrive; });
    return out;
  }
  // FlightSize just before `t`: the highest byte A had sent minus the cumulative ACK `una`.
  std::uint32_t flight_before(SimTime t, std::uint32_t una) const {
    std::uint32_t high = una;
    for (const auto& s : data_segments(wire, "A"))
      if (s.time < t) high = std::max(high, s.seq + s.len);
    return high - una;
  }
  // The first value a Trace variable of A took at time `t`.
  std::optional<std::int64_t> var_at(TraceVar v, SimTime t) const {
    for (const auto& [when, value] : variable_history(lab.trace(), lab.a, v))
      if (when == t) return value;
    return std::nullopt;
  }
  mutable TcpLab lab;
  CallResult sent;
  Sink sink;
  std::vector<WireSeg> wire;
};

// RFC 5681 §3.2 / RFC 6582 §3.2: one lost segment is fast-retransmitted on the third duplicate ACK.
TEST(TcpFastRetransmit, SingleLossIsRepairedAfterThreeDuplicateAcks) {
  // On entry ssthresh = FlightSize/2 and cwnd = ssthresh + 3*SMSS; the full ACK deflates cwnd to
  // min(ssthresh, FlightSize + SMSS) (RFC 6582 §3.2 step 3); no RTO fires.
  Transfer t({20});
  ASSERT_FALSE(HasFatalFailure());
  const auto lost = filter(t.wire, [](const WireSeg& s) { return s.lost(); });
  ASSERT_EQ(lost.size(), 1u) << dump(t.wire);
  EXPECT_EQ(lost[0].seq, 19 * kMss + 1);

  // The ACKs that stop at the hole: the first advances snd.una to it, the rest are duplicates.
  const auto at_hole = t.acks_of(lost[0].seq);
  ASSERT_GE(at_hole.size(), 4u) << dump(t.wire);
  const std::vector<WireSeg> dups(at_hole.begin() + 1, at_hole.end());
  const auto fast = with_cause(t.wire, Cause::FastRetransmission);
  ASSERT_EQ(fast.size(), 1u) << dump(t.wire);
  EXPECT_EQ(fast[0].seq, lost[0].seq);
  EXPECT_EQ(fast[0].len, kMss);
  EXPECT_EQ(fast[0].time, dups[2].arrive) << "sent at " << format_ms(fast[0].time)
                                          << ", third duplicate arrived at " << format_ms(dups[2].arrive);
  EXPECT_LT(dups[1].arrive, fast[0].time);  // the second duplicate ACK did not trigger it
  EXPECT_EQ(format_ms(fast[0].time), "256ms");

  // Entry: ssthresh = max(FlightSize/2, 2*SMSS), cwnd = ssthresh + 3*SMSS (RFC 5681 §3.2 steps 2-3). The
  // first two duplicates each let one new segment out (Limited Transmit, RFC 3042), and RFC 5681 §3.2 step 2
  // leaves those two out of the FlightSize that sets ssthresh.
  const std::uint32_t flight = t.flight_before(fast[0].time, lost[0].seq);
  EXPECT_EQ(flight, 22u * kMss);
  const std::uint32_t ssthresh = std::max((flight - 2 * kMss) / 2, 2 * kMss);
  EXPECT_EQ(t.var_at(TraceVar::Ssthresh, fast[0].time), std::optional<std::int64_t>(ssthresh));
  EXPECT_EQ(t.var_at(TraceVar::Cwnd, fast[0].time), std::optional<std::int64_t>(ssthresh + 3 * kMss));
  EXPECT_EQ(ssthresh, 14'600u);

  // Exit: the first ACK beyond the hole acknowledges everything sent before the retransmission.
  const auto beyond = filter(t.wire, [&](const WireSeg& s) { return s.from == "B" && s.ack > lost[0].seq; });
  const auto full = *std::min_element(beyond.begin(), beyond.end(),
                                      [](const WireSeg& x, const WireSeg& y) { return x.arrive < y.arrive; });
  EXPECT_EQ(full.ack, 41u * kMss + 1);  // all 41 segments sent before the fast retransmission (2 by RFC 3042)
  const std::uint32_t flight_after = t.flight_before(full.arrive, full.ack);
  const std::uint32_t deflated = std::min(ssthresh, std::max(flight_after, kMss) + kMss);
  EXPECT_EQ(t.var_at(TraceVar::Cwnd, full.arrive), std::optional<std::int64_t>(deflated));
  EXPECT_LE(deflated, ssthresh);

  EXPECT_TRUE(with_cause(t.wire, Cause::RtoRetransmission).empty()) << dump(t.wire);
  EXPECT_TRUE(with_cause(t.wire, Cause::RecoveryRetransmission).empty()) << dump(t.wire);
  EXPECT_EQ(t.sink.data.size(), kSegments * kMss);
  EXPECT_EQ(t.lab.client_conn()->ssthresh(), ssthresh);  // one reduction for one loss
}

// RFC 6582 §3.2: with two losses in a window, the partial ACK retransmits the second hole; no RTO.
TEST(TcpNewReno, PartialAckRetransmitsTheNextHoleWithoutTimeout) {
  // cwnd is deflated by the amount acknowledged plus one SMSS; ssthresh is reduced only once.
  Transfer t({20, 22});
  ASSERT_FALSE(HasFatalFailure());
  const auto lost = filter(t.wire, [](const WireSeg& s) { return s.lost(); });
  ASSERT_EQ(lost.size(), 2u) << dump(t.wire);
  EXPECT_EQ(lost[0].seq, 19 * kMss + 1);
  EXPECT_EQ(lost[1].seq, 21 * kMss + 1);

  const auto fast = with_cause(t.wire, Cause::FastRetransmission);
  ASSERT_EQ(fast.size(), 1u) << dump(t.wire);
  EXPECT_EQ(fast[0].seq, lost[0].seq);
  const auto dups = t.acks_of(lost[0].seq);
  ASSERT_GE(dups.size(), 4u);
  EXPECT_EQ(fast[0].time, dups[3].arrive);  // the ACK reaching the hole, then three duplicates
  // Without the two Limited Transmit segments (RFC 5681 §3.2 step 2).
  const std::uint32_t ssthresh = (t.flight_before(fast[0].time, lost[0].seq) - 2 * kMss) / 2;
  EXPECT_EQ(t.var_at(TraceVar::Ssthresh, fast[0].time), std::optional<std::int64_t>(ssthresh));

  // The partial ACK stops at the second hole; the second hole goes out when it arrives.
  const auto partial = t.acks_of(lost[1].seq);
  ASSERT_FALSE(partial.empty()) << dump(t.wire);
  const auto recovery = with_cause(t.wire, Cause::RecoveryRetransmission);
  ASSERT_EQ(recovery.size(), 1u) << dump(t.wire);
  EXPECT_EQ(recovery[0].seq, lost[1].seq);
  EXPECT_EQ(recovery[0].time, partial[0].arrive);
  EXPECT_EQ(format_ms(recovery[0].time), "281ms");
  // RFC 6582 §3.2 step 3 (partial ACK): cwnd -= newly acknowledged bytes, += SMSS.
  const auto cwnd = variable_history(t.lab.trace(), t.lab.a, TraceVar::Cwnd);
  std::optional<std::int64_t> before, after;
  for (const auto& [when, value] : cwnd) {
    if (when < partial[0].arrive) before = value;
    if (when == partial[0].arrive && !after) after = value;
  }
  ASSERT_TRUE(before && after);
  EXPECT_EQ(*after, *before - (lost[1].seq - lost[0].seq) + kMss);

  // Full ACK: cwnd = min(ssthresh, FlightSize + SMSS), and recovery is over.
  const auto beyond = filter(t.wire, [&](const WireSeg& s) { return s.from == "B" && s.ack > lost[1].seq; });
  ASSERT_FALSE(beyond.empty());
  const auto full = *std::min_element(beyond.begin(), beyond.end(),
                                      [](const WireSeg& x, const WireSeg& y) { return x.arrive < y.arrive; });
  const std::uint32_t deflated =
      std::min(ssthresh, std::max(t.flight_before(full.arrive, full.ack), kMss) + kMss);
  EXPECT_EQ(t.var_at(TraceVar::Cwnd, full.arrive), std::optional<std::int64_t>(deflated));

  const auto ssthresh_changes = variable_history(t.lab.trace(), t.lab.a, TraceVar::Ssthresh);
  EXPECT_EQ(std::count_if(ssthresh_changes.begin(), ssthresh_changes.end(),
                          [](const auto& v) { return v.first > at_ms(200); }),
            1);
  EXPECT_TRUE(with_cause(t.wire, Cause::RtoRetransmission).empty()) << dump(t.wire);
  EXPECT_EQ(t.sink.data.size(), kSegments * kMss);
}

// RFC 5681 §3.2: two duplicate ACKs are not a loss signal; the retransmission timer repairs the loss.
TEST(TcpFastRetransmit, TwoDuplicateAcksWaitForTheTimeout) {
  // The RTO fires 1 s after the last ACK of new data restarted it (RFC 6298 §5.3).
  LabOptions o;
  o.a_to_b.push_back(drop(PacketKind::Data, {7}));  // of 9: segments 8 and 9 each draw one duplicate
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  Sink sink;
  lab.at(at_ms(100), [&] {
    TcpLab::send(lab.A(), lab.client, {}, 9 * kMss, sent);
    TcpLab::read_until_eof(lab.B(), lab.server(), sink);
  });
  lab.run(at_ms(5000));
  const auto w = lab.wire();
  EXPECT_TRUE(with_cause(w, Cause::FastRetransmission).empty()) << dump(w);
  const auto rto = with_cause(w, Cause::RtoRetransmission);
  ASSERT_EQ(rto.size(), 1u) << dump(w);
  EXPECT_EQ(rto[0].str(), "1120ms A>B <SEQ=8761><ACK=1><CTL=ACK><DATA=1460>");
  const auto at_hole =
      filter(w, [](const WireSeg& s) { return s.from == "B" && s.ack == 8761 && s.len == 0; });
  EXPECT_EQ(lines(at_hole), (Lines{"110ms B>A <SEQ=1><ACK=8761><CTL=ACK>",    // segments 5 and 6: new data
                                   "110ms B>A <SEQ=1><ACK=8761><CTL=ACK>",    // segment 8: duplicate 1
                                   "110ms B>A <SEQ=1><ACK=8761><CTL=ACK>"}))  // segment 9: duplicate 2
      << dump(w);
  EXPECT_EQ(sink.data.size(), 9u * kMss);
}

}  // namespace tcp_fast_retransmit_test
}  // namespace wirestep
