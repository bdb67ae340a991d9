// F-RTO (RFC 5682) with the linux profile (Linux tcp_frto = 2, the SACK-enhanced variant of §3): a delay
// spike holds the receiver's ACKs back past the retransmission timeout, so the timeout is spurious (nothing
// was lost). A sends 60 full segments over a link that serialises about one frame per millisecond, 10 ms
// each way; every ACK B sends between 260 and 700 ms is held back 600 ms.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/analysis/event_text_zh.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/tcp/recovery/frto.hpp"
#include "tcp_test_harness.hpp"

namespace wirestep {
namespace tcp_frto_test {

using namespace tcptest;

constexpr std::uint64_t kSegments = 300;
constexpr std::uint32_t kPayload = 1448;

Impairment delay_acks(SimTime from, SimTime until, SimDuration by) {
  ScriptedDelay d;
  d.kind = PacketKind::Any;
  d.proto = Transport::Tcp;
  d.from = from;
  d.until = until;
  d.delay = by;
  return Impairment{d, ""};
}

struct SpuriousTimeout {
  explicit SpuriousTimeout(bool frto) : lab(options(frto)) {
    lab.establish(at_ms(200));
    if (::testing::Test::HasFatalFailure()) return;
    lab.at(at_ms(200), [this] {
      TcpLab::send(lab.A(), lab.client, {}, kSegments * kPayload, sent);
      TcpLab::read_until_eof(lab.B(), lab.server(), sink);
    });
    lab.at(at_ms(5000), [this] { ASSERT_TRUE(lab.A().close(lab.client).ok()); });
    lab.run(at_ms(10'000));
    wire = lab.wire();
  }
  static LabOptions options(bool frto) {
    LabOptions o;
    o.bandwidth_a_to_b_bps = kOneFullFramePerMs;
    o.tcp_a = o.tcp_b = TcpConfig::for_profile(TcpProfile::Linux);
    o.tcp_a.frto = frto;
    o.b_to_a.push_back(delay_acks(at_ms(260), at_ms(700), SimDuration::millis(600)));
    return o;
  }
  mutable TcpLab lab;
  CallResult sent;
  Sink sink;
  std::vector<WireSeg> wire;
};

std::vector<WireSeg> resent(const std::vector<WireSeg>& wire) {
  return filter(data_segments(wire, "A"),
                [](const WireSeg& s) { return s.cause != Cause::FirstTransmission; });
}

std::size_t notes_containing(const Trace& t, const std::string& text) {
  std::size_t n = 0;
  for (const TraceEvent& e : t.events())
    n += e.kind == EventKind::Note && e.detail.find(text) != std::string::npos;
  return n;
}

// RFC 5682 §3 steps 1-3: one segment is resent at the timeout, new data follows the first ACK, and when the
// next ACK acknowledges data that was never resent the timeout is declared spurious: no go-back-N.
TEST(TcpFrto, DelayedNotLostTimeoutIsDeclaredSpuriousWithoutGoBackN) {
  SpuriousTimeout t(true);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  EXPECT_EQ(t.sink.data.size(), kSegments * kPayload) << dump(t.wire);
  EXPECT_TRUE(filter(t.wire, [](const WireSeg& s) { return s.lost(); }).empty());
  const auto rto = with_cause(t.wire, Cause::RtoRetransmission);
  ASSERT_EQ(rto.size(), 1u) << dump(t.wire);
  // No go-back-N: the segments after the first are not resent by the timeout. (RACK, without the TSecr
  // check of RFC 8985 §6.2 step 2, may still resend one: sack_recovery.cpp.)
  SpuriousTimeout conventional(false);
  EXPECT_LT(resent(t.wire).size(), resent(conventional.wire).size()) << dump(t.wire);
  EXPECT_LE(resent(t.wire).size(), 2u) << dump(t.wire);
  EXPECT_EQ(notes_containing(t.lab.net.trace(), "F-RTO"), 1u);
}

// RFC 5682 §1: without F-RTO the same spike makes the sender resend the window it already delivered.
TEST(TcpFrto, WithoutFrtoTheSameSpikeResendsDeliveredData) {
  SpuriousTimeout t(false);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  EXPECT_EQ(t.sink.data.size(), kSegments * kPayload) << dump(t.wire);
  EXPECT_GT(resent(t.wire).size(), 1u) << dump(t.wire);
  EXPECT_EQ(notes_containing(t.lab.net.trace(), "F-RTO"), 0u);
}

// The note that names the spurious timeout reads in Chinese too (issue #20), numbers kept.
TEST(TcpFrto, SpuriousTimeoutNoteReadsInChinese) {
  SpuriousTimeout t(true);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  std::size_t checked = 0;
  for (const TraceEvent& e : t.lab.net.trace().events()) {
    if (e.kind != EventKind::Note || e.detail.find("F-RTO") == std::string::npos) continue;
    const std::string zh = event_text(Lang::Zh, e.kind, e.detail);
    EXPECT_NE(zh.find("虚假"), std::string::npos) << zh;
    EXPECT_EQ(zh.find("spurious"), std::string::npos) << zh;
    EXPECT_EQ(zh.find("restored"), std::string::npos) << zh;
    ++checked;
  }
  EXPECT_EQ(checked, 1u);
}

// RFC 5682 §3 step 3b and Linux's tcp_try_undo_loss: the undone timeout leaves cwnd and ssthresh where they
// were before it, not at one segment and half the flight.
TEST(TcpFrto, SpuriousTimeoutRestoresCwndAndSsthresh) {
  SpuriousTimeout with(true), without(false);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  auto last_ssthresh = [](const Trace& tr) {
    std::int64_t last = 0;
    for (const TraceEvent& e : tr.events())
      if (e.kind == EventKind::Variable && e.host == 0 &&
          e.code == static_cast<std::uint8_t>(TraceVar::Ssthresh) && e.time < at_ms(4000))
        last = e.value;
    return last;
  };
  // Without F-RTO ssthresh drops at the timeout and stays there; with it, it is restored.
  EXPECT_GT(last_ssthresh(with.lab.net.trace()), last_ssthresh(without.lab.net.trace()));
}

// The component alone, step by step (RFC 5682 §3).
TEST(TcpFrtoSteps, DuplicateAckWaitsThenPartialAckSendsNewDataThenNewAckIsSpurious) {
  Frto f;
  ASSERT_TRUE(f.on_timeout(SeqNum(1000), SeqNum(9000), 20'000, 40'000));
  EXPECT_EQ(f.on_ack(SeqNum(1000), false, false), FrtoVerdict::Wait);        // step 2: dup ACK
  EXPECT_EQ(f.on_ack(SeqNum(2448), true, false), FrtoVerdict::SendNewData);  // step 2b
  EXPECT_EQ(f.on_ack(SeqNum(3896), true, false), FrtoVerdict::Spurious);     // step 3b
  EXPECT_EQ(f.prior_cwnd(), 20'000u);
  EXPECT_EQ(f.prior_ssthresh(), 40'000u);
  EXPECT_FALSE(f.active());
}

TEST(TcpFrtoSteps, AckCoveringRecoverIsConventional) {
  Frto f;
  ASSERT_TRUE(f.on_timeout(SeqNum(1000), SeqNum(9000), 20'000, 40'000));
  EXPECT_EQ(f.on_ack(SeqNum(9000), true, false), FrtoVerdict::Conventional);  // step 2a
  EXPECT_FALSE(f.active());
}

TEST(TcpFrtoSteps, DuplicateAckAfterNewDataIsConventionalUnlessItSacksOriginalData) {
  Frto f;
  ASSERT_TRUE(f.on_timeout(SeqNum(1000), SeqNum(9000), 20'000, 40'000));
  ASSERT_EQ(f.on_ack(SeqNum(2448), true, false), FrtoVerdict::SendNewData);
  EXPECT_EQ(f.on_ack(SeqNum(2448), false, false), FrtoVerdict::Conventional);  // step 3a
  Frto g;
  ASSERT_TRUE(g.on_timeout(SeqNum(1000), SeqNum(9000), 20'000, 40'000));
  ASSERT_EQ(g.on_ack(SeqNum(2448), true, false), FrtoVerdict::SendNewData);
  EXPECT_EQ(g.on_ack(SeqNum(2448), false, true), FrtoVerdict::Spurious);  // step 3b through SACK
}

TEST(TcpFrtoSteps, TimeoutDuringRtoRecoveryDoesNotStartFrto) {
  Frto f;
  ASSERT_TRUE(f.on_timeout(SeqNum(1000), SeqNum(9000), 20'000, 40'000));
  // RFC 5682 §3 step 1: the timer expires again with recover >= SND.UNA: conventional recovery only.
  EXPECT_FALSE(f.on_timeout(SeqNum(1000), SeqNum(9000), 1448, 10'000));
  EXPECT_FALSE(f.active());
  EXPECT_EQ(f.on_ack(SeqNum(2448), true, false), FrtoVerdict::Conventional);
}

// The scenario's [tcp] / per-host tcp key: on with the linux profile (tcp_frto = 2), off when asked.
TEST(TcpFrtoSettings, LinuxProfileTurnsFrtoOnAndTheFrtoKeyTurnsItOff) {
  EXPECT_TRUE(TcpConfig::for_profile(TcpProfile::Linux).frto);
  EXPECT_FALSE(TcpConfig::for_profile(TcpProfile::Rfc).frto);
  const std::string text = R"([scenario]
name = "t"

[[host]]
name = "A"
address = "10.0.0.1/24"
tcp = { profile = "linux", frto = false }

[[host]]
name = "B"
address = "10.0.0.2/24"
tcp = { profile = "linux" }
)";
  const Result<Scenario> sc = parse_scenario(text, "t.toml");
  ASSERT_TRUE(sc.ok()) << sc.error().message();
  ASSERT_EQ(sc->hosts.size(), 2u);
  ASSERT_TRUE(sc->hosts[0].tcp && sc->hosts[1].tcp);
  EXPECT_FALSE(sc->hosts[0].tcp->frto);
  EXPECT_TRUE(sc->hosts[1].tcp->frto);
}

}  // namespace tcp_frto_test
}  // namespace wirestep
