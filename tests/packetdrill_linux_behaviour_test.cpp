// Linux behaviours the shared packetdrill scripts need (issues #16 and #17), each checked as packets on the
// wire by a small script run against the linux profile: PSH on a GSO burst (__tcp_transmit_skb), packets no
// `>` line expects left queued as packetdrill leaves them, slow start after idle (RFC 5681 §4.1,
// tcp_cwnd_restart), MSG_MORE and the probe timer that ends a cork (tcp_push, tcp_write_wakeup), sendmsg's
// msghdr, Linux's RTO (tcp_set_rto) and the shared scripts these make pass.
#include <gtest/gtest.h>

#include <string>

#include "sim/packetdrill/script_parser.hpp"
#include "sim/packetdrill/script_runner.hpp"
#include "sim/tcp/rtt_estimator.hpp"
#include "tests/packetdrill_test_support.hpp"

namespace wirestep::packetdrill {
namespace packetdrill_linux_behaviour_test {

using test::describe;

RunResult run_on(const std::string& text, TcpProfile profile) {
  auto script = parse_script(text, "inline.pkt");
  EXPECT_TRUE(script.ok()) << script.error().message();
  if (!script.ok()) return {};
  RunOptions o;
  o.tcp = TcpConfig::for_profile(profile);
  return run_script(*script, o);
}
RunResult run_linux(const std::string& text) {
  return run_on(text, TcpProfile::Linux);
}

// A listener that accepts one connection from a peer announcing MSS 1000 and window scale 7.
const std::string kAccept =
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
    "+0 bind(3, ..., ...) = 0\n"
    "+0 listen(3, 1) = 0\n"
    "+.1 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>\n"
    "+0 > S. 0:0(0) ack 1 <...>\n"
    "+.1 < . 1:1(0) ack 1 win 320\n"
    "+0 accept(3, ..., ...) = 4\n";

// __tcp_transmit_skb forces PSH on every GSO packet of more than one segment (tcp_skb_pcount > 1) so the
// receiver's GRO flushes at once; segmented, the PSH is on the packet's last segment. The initial window
// of a 15000-byte write (10 segments, GSO packets of 2 at a low pacing rate) ends with one, so packetdrill's
// aggregate of the burst shows P. although the write's last byte (tcp_mark_push) is not in it.
TEST(PacketdrillLinuxPush, AGsoBurstOfNewDataEndsWithPsh) {
  const RunResult r = run_linux(kAccept +
                                "+0 write(4, ..., 15000) = 15000\n"
                                "+0 > P. 1:10001(10000) ack 1\n");
  EXPECT_EQ(r.outcome, Outcome::Pass) << describe(r);
}

TEST(PacketdrillLinuxPush, ABurstExpectedWithoutPshFailsOnTheFlags) {
  const RunResult r = run_linux(kAccept +
                                "+0 write(4, ..., 15000) = 15000\n"
                                "+0 > . 1:10001(10000) ack 1\n");
  ASSERT_EQ(r.outcome, Outcome::Fail) << describe(r);
  EXPECT_EQ(r.line, 10u);
  EXPECT_NE(r.reason.en.find("flags: expected: . vs actual: P."), std::string::npos) << r.reason.en;
}

// The rfc profile has no GSO habit: PSH only where the data queued ends (RFC 9293 §3.9.1 leaves it to the
// sender), so the same burst carries none.
TEST(PacketdrillLinuxPush, TheRfcProfileBurstCarriesNoPsh) {
  const RunResult r = run_on(kAccept +
                                 "+0 write(4, ..., 15000) = 15000\n"
                                 "+0 > . 1:10001(10000) ack 1\n",
                             TcpProfile::Rfc);
  EXPECT_EQ(r.outcome, Outcome::Pass) << describe(r);
}

// Segment by segment (as `ethtool -K tun0 tso off gso off` shows them, nagle/https_client.pkt): a
// 2500-byte write is a GSO packet of two segments, PSH on the second, and the write's tail with PSH.
TEST(PacketdrillLinuxPush, EachGsoPacketsLastSegmentCarriesPsh) {
  const RunResult r = run_linux("`ethtool -K tun0 tso off gso off`\n" + kAccept +
                                "+0 write(4, ..., 2500) = 2500\n"
                                "+0 > . 1:1001(1000) ack 1\n"
                                "+0 > P. 1001:2001(1000) ack 1\n"
                                "+0 > P. 2001:2501(500) ack 1\n");
  EXPECT_EQ(r.outcome, Outcome::Pass) << describe(r);
}

// A burst whose last segment is a GSO packet of one (pcount 1 gets no forced PSH) shows no PSH in
// packetdrill's aggregate: MSG_MORE leaves 3 full segments of 3100 bytes (nagle/sendmsg_msg_more.pkt).
TEST(PacketdrillLinuxPush, ABurstEndingInASingleSegmentPacketShowsNoPsh) {
  const RunResult r = run_linux(kAccept +
                                "+0 setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0\n"
                                "+0 send(4, ..., 3100, MSG_MORE) = 3100\n"
                                "+0 > . 1:3001(3000) ack 1\n");
  EXPECT_EQ(r.outcome, Outcome::Pass) << describe(r);
}

// packetdrill injects a `<` packet without looking at what the host sent (run_packet.c): a packet no line
// expects waits for the next `>` line, and one left at the end is not checked (blocking-write.pkt).
TEST(PacketdrillQueue, PacketsNoLineExpectsAreNotCheckedAtInboundLines) {
  const RunResult r = run_linux(kAccept +
                                "+0 write(4, ..., 3000) = 3000\n"
                                "+.1 < . 1:1(0) ack 3001 win 320\n");
  EXPECT_EQ(r.outcome, Outcome::Pass) << describe(r);
}

// RFC 5681 §4.1 / Linux tcp_cwnd_restart: after 2 s idle (more than the RTO of 300 ms), a write restarts
// from min(cwnd, IW): cwnd 36 halves per RTO of idle to 9 and is raised to IW = 10 segments.
const std::string kIdle =
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
    "+0 bind(3, ..., ...) = 0\n"
    "+0 listen(3, 1) = 0\n"
    "+0 < S 0:0(0) win 65535 <mss 1000,sackOK,nop,nop,nop,wscale 7>\n"
    "+0 > S. 0:0(0) ack 1 <...>\n"
    "+.1 < . 1:1(0) ack 1 win 511\n"
    "+0 accept(3, ..., ...) = 4\n"
    "+0 write(4, ..., 26000) = 26000\n"
    "+0 > P. 1:10001(10000) ack 1\n"
    "+.1 < . 1:1(0) ack 10001 win 511\n"
    "+0 > P. 10001:26001(16000) ack 1\n"
    "+.1 < . 1:1(0) ack 26001 win 511\n"
    "+2 write(4, ..., 20000) = 20000\n";

TEST(PacketdrillSlowStartAfterIdle, AWriteAfterIdleSendsTheRestartWindow) {
  const RunResult r = run_linux("`sysctl -q net.ipv4.tcp_slow_start_after_idle=1`\n" + kIdle +
                                "+0 > P. 26001:36001(10000) ack 1\n"
                                "+.1 < . 1:1(0) ack 36001 win 511\n"
                                "+0 > P. 36001:46001(10000) ack 1\n");
  EXPECT_EQ(r.outcome, Outcome::Pass) << describe(r);
}

TEST(PacketdrillSlowStartAfterIdle, TurnedOffTheWholeCwndIsUsed) {
  const RunResult r = run_linux("`sysctl -q net.ipv4.tcp_slow_start_after_idle=0`\n" + kIdle +
                                "+0 > P. 26001:46001(20000) ack 1\n");
  EXPECT_EQ(r.outcome, Outcome::Pass) << describe(r);
}

// send(MSG_MORE) corks the call's push (tcp_push with TCP_NAGLE_CORK, no PSH mark) even with TCP_NODELAY;
// with nothing in flight the probe timer (max(RTO, 200 ms) = 10 ms + 200 ms, tcp_check_probe_timer) sends
// the held bytes with PSH (tcp_write_wakeup). A later call without MSG_MORE pushes everything at once.
TEST(PacketdrillMsgMore, AHeldTailLeavesWithPshWhenTheProbeTimerFires) {
  const std::string script =
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
      "+0 bind(3, ..., ...) = 0\n"
      "+0 listen(3, 1) = 0\n"
      "+0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>\n"
      "+0 > S. 0:0(0) ack 1 <...>\n"
      "+.01 < . 1:1(0) ack 1 win 257\n"
      "+0 accept(3, ..., ...) = 4\n"
      "+0 setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0\n"
      "+0 send(4, ..., 40, MSG_MORE) = 40\n"
      "+.21~+.215 > P. 1:41(40) ack 1\n"
      "+.01 < . 1:1(0) ack 41 win 257\n"
      "+0 sendmsg(4, {msg_name(...)=..., msg_iov(2)=[{..., 100}, {..., 60}], msg_flags=0}, MSG_MORE) = 160\n"
      "+.01 write(4, ..., 5) = 5\n"
      "+0 > P. 41:206(165) ack 1\n";
  const RunResult r = run_linux(script);
  EXPECT_EQ(r.outcome, Outcome::Pass) << describe(r);
}

TEST(PacketdrillMsgMore, NothingLeavesBeforeTheProbeTimer) {
  const RunResult r = run_linux(kAccept +
                                "+0 setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0\n"
                                "+0 send(4, ..., 40, MSG_MORE) = 40\n"
                                "+.1 > P. 1:41(40) ack 1\n");
  ASSERT_EQ(r.outcome, Outcome::Fail) << describe(r);
  EXPECT_EQ(r.line, 11u);
  EXPECT_NE(r.reason.en.find("timed out waiting for a packet"), std::string::npos) << r.reason.en;
}

// Bad sendmsg and send arguments name the line and say why; flags other than MSG_MORE are not modelled.
TEST(PacketdrillMsgMore, BadMsghdrsFailOrAreUnsupportedNamingTheLine) {
  RunResult r = run_linux(kAccept + "+0 sendmsg(4, {msg_iov(3)=[{..., 1}, {..., 2}]}, 0) = 3\n");
  ASSERT_EQ(r.outcome, Outcome::Fail) << describe(r);
  EXPECT_EQ(r.line, 9u);
  EXPECT_NE(r.reason.en.find("msg_iov(3) does not match the 2 entries"), std::string::npos) << r.reason.en;
  EXPECT_NE(r.reason.zh.find("msg_iov(3)"), std::string::npos) << r.reason.zh;
  r = run_linux(kAccept + "+0 sendmsg(4, 7, 0) = 3\n");
  ASSERT_EQ(r.outcome, Outcome::Fail) << describe(r);
  EXPECT_NE(r.reason.en.find("must be a struct msghdr"), std::string::npos) << r.reason.en;
  r = run_linux(kAccept + "+0 sendmsg(4, {msg_flags=0}, 0) = 3\n");
  ASSERT_EQ(r.outcome, Outcome::Fail) << describe(r);
  EXPECT_NE(r.reason.en.find("no msg_iov"), std::string::npos) << r.reason.en;
  r = run_linux(kAccept + "+0 sendmsg(4, {msg_iov(1)=[{..., -5}]}, 0) = 3\n");
  ASSERT_EQ(r.outcome, Outcome::Fail) << describe(r);
  r = run_linux(kAccept + "+0 send(4, ..., 40, MSG_DONTWAIT) = 40\n");
  ASSERT_EQ(r.outcome, Outcome::Unsupported) << describe(r);
  EXPECT_NE(r.reason.en.find("MSG_DONTWAIT"), std::string::npos) << r.reason.en;
  r = run_linux(kAccept + "+0 send(4, ..., 40) = 40\n");
  ASSERT_EQ(r.outcome, Outcome::Fail) << describe(r);
  EXPECT_NE(r.reason.en.find("flags"), std::string::npos) << r.reason.en;
}

// Linux's tcp_set_rto: the minimum floors the variance term, RTO = SRTT + max(4*RTTVAR, 200 ms); RFC 6298
// §2.4 floors the sum instead. A 10 ms path: 210 ms against 200 ms; 100 ms: 300 ms either way.
TEST(TcpLinuxRto, TheMinimumFloorsTheVarianceTerm) {
  RttEstimator linux_rto(SimDuration::seconds(1), SimDuration::millis(200), SimDuration::seconds(120), true);
  RttEstimator rfc_rto(SimDuration::seconds(1), SimDuration::millis(200), SimDuration::seconds(120), false);
  linux_rto.sample(SimDuration::millis(10));
  rfc_rto.sample(SimDuration::millis(10));
  EXPECT_EQ(linux_rto.rto(), SimDuration::millis(210));
  EXPECT_EQ(rfc_rto.rto(), SimDuration::millis(200));
  RttEstimator slow(SimDuration::seconds(1), SimDuration::millis(200), SimDuration::seconds(120), true);
  slow.sample(SimDuration::millis(100));
  EXPECT_EQ(slow.rto(), SimDuration::millis(300));
}

}  // namespace packetdrill_linux_behaviour_test
}  // namespace wirestep::packetdrill
