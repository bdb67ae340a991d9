// The tail loss probe's timeout on the wire with the linux profile (RFC 8985 §7.2, as Linux's
// tcp_schedule_loss_probe): 2·SRTT plus the worst-case delayed-ACK time when one segment is in flight, plus
// 2 ms when several are, rounded up to 4 ms jiffies; never later than the RTO.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tcp_test_harness.hpp"

namespace wirestep {
namespace tcp_tlp_timeout_test {

using namespace tcptest;

constexpr SimTime kSend = at_ms(1000);

// A sends `bytes` at 1 s (the handshake is over by then) over a link of `one_way` latency and no
// serialization delay; the link drops the data segments numbered in `lost`.
struct TailLoss {
  TailLoss(SimDuration one_way, std::uint64_t bytes, std::vector<std::uint32_t> lost)
      : lab(options(one_way, lost)) {
    lab.establish(kSend);
    if (::testing::Test::HasFatalFailure()) return;
    srtt = lab.client_conn()->rtt().srtt().value_or(SimDuration{});
    rto = lab.client_conn()->rtt().rto();
    lab.at(kSend, [this, bytes] {
      TcpLab::send(lab.A(), lab.client, {}, bytes, sent);
      TcpLab::read_until_eof(lab.B(), lab.server(), sink);
    });
    lab.run(kSend + rto * 3);
    data = data_segments(lab.wire(), "A");
  }
  static LabOptions options(SimDuration one_way, std::vector<std::uint32_t> lost) {
    LabOptions o;
    o.latency = one_way;
    o.tcp_a = o.tcp_b = TcpConfig::for_profile(TcpProfile::Linux);
    o.a_to_b.push_back(drop(PacketKind::Data, std::move(lost)));
    return o;
  }
  TcpLab lab;
  SimDuration srtt, rto;
  CallResult sent;
  Sink sink;
  std::vector<WireSeg> data;
};

// RFC 8985 §7.2: with one segment in flight the receiver may be holding its ACK for the delayed-ACK time,
// so the probe waits 2·SRTT + WCDelAckT (Linux: TCP_RTO_MIN, 200 ms). A 300 ms round trip keeps the RTO
// (SRTT + 4·RTTVAR = 900 ms after the handshake's sample) later than that, so the probe is not capped.
TEST(TcpTlpTimeout, OneSegmentInFlightIsProbedTwoSrttPlusTheWorstCaseDelayedAckAfterItWasSent) {
  TailLoss t(SimDuration::millis(150), 1000, {1});
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  ASSERT_EQ(t.srtt, SimDuration::millis(300)) << "the handshake's RTT sample";
  ASSERT_GT(t.rto, t.srtt * 2 + SimDuration::millis(200));
  ASSERT_GE(t.data.size(), 2u) << dump(t.lab.wire());
  EXPECT_EQ(t.data[0].time, kSend) << dump(t.data);
  EXPECT_TRUE(t.data[0].lost());
  // 600 ms + 200 ms is a whole number of 4 ms jiffies: the probe leaves exactly then, not a tick sooner.
  EXPECT_EQ(t.data[1].time, kSend + t.srtt * 2 + SimDuration::millis(200)) << dump(t.data);
  EXPECT_EQ(t.data[1].cause, Cause::TailLossProbe) << t.data[1];
  EXPECT_EQ(t.data[1].seq, t.data[0].seq);
  EXPECT_EQ(t.sink.data.size(), 1000u) << "the probe repaired the loss";
}

// RFC 8985 §7.2 with Linux's TCP_TIMEOUT_MIN_US: several segments in flight need no delayed-ACK allowance,
// but Linux adds 2 ms and rounds up to a jiffy (usecs_to_jiffies), so a probe does not race the ACKs of a
// burst. SRTT 21 ms: 2·21 + 2 = 44 ms, eleven 4 ms jiffies, so nothing leaves at 2·SRTT = 42 ms.
TEST(TcpTlpTimeout, SeveralSegmentsInFlightAreProbedTwoSrttPlusTwoMillisecondsAfterTheLastWasSent) {
  TailLoss t(SimDuration::micros(10'500), 3 * 1448, {1, 2, 3});
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  ASSERT_EQ(t.srtt, SimDuration::millis(21));
  ASSERT_GE(t.data.size(), 4u) << dump(t.lab.wire());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(t.data[i].time, kSend) << dump(t.data);
  EXPECT_EQ(t.data[3].time, kSend + t.srtt * 2 + SimDuration::millis(2)) << dump(t.data);
  EXPECT_EQ(t.data[3].cause, Cause::TailLossProbe) << t.data[3];
  EXPECT_EQ(t.data[3].seq, t.data[2].seq) << "§7.3: the highest-sequence segment goes again";
  EXPECT_EQ(t.sink.data.size(), 3u * 1448u) << dump(t.lab.wire());
}

}  // namespace tcp_tlp_timeout_test
}  // namespace wirestep
