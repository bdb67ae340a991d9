// Burst loss on a fast link with the linux profile: many segments leave in one simulated instant, so new
// data sent before a retransmission shares its send time, and the duplicate ACKs already in flight when the
// retransmission leaves SACK that earlier data. RACK (RFC 8985 §6.2) must not count those as evidence that
// the retransmission was lost, and PRR (RFC 6937 §3) sends one segment when recovery starts on a duplicate
// ACK, as Linux does.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/packetdrill/script_parser.hpp"
#include "sim/packetdrill/script_runner.hpp"
#include "tcp_test_harness.hpp"
#include "tests/packetdrill_test_support.hpp"

namespace wirestep {
namespace tcp_rack_burst_loss_test {

using namespace tcptest;

constexpr std::uint64_t kBytes = 500 * 1024;

// A sends 500 KB over a 50 µs link without serialization delay (as scenarios/twin/twin-bulk-loss.toml): a
// whole window leaves at one instant and the ACKs of one round trip arrive together.
struct BurstTransfer {
  explicit BurstTransfer(std::vector<std::uint32_t> lost_nth) : lab(options(std::move(lost_nth))) {
    lab.establish(at_ms(10));
    if (::testing::Test::HasFatalFailure()) return;
    lab.at(at_ms(10), [this] {
      TcpLab::send(lab.A(), lab.client, {}, kBytes, sent);
      TcpLab::read_until_eof(lab.B(), lab.server(), sink);
    });
    lab.at(at_ms(2000), [this] { ASSERT_TRUE(lab.A().close(lab.client).ok()); });
    lab.run(at_ms(5000));
    wire = lab.wire();
  }
  static LabOptions options(std::vector<std::uint32_t> lost) {
    LabOptions o;
    o.latency = SimDuration::micros(50);
    o.tcp_a = o.tcp_b = TcpConfig::for_profile(TcpProfile::Linux);
    o.a_to_b.push_back(drop(PacketKind::Data, std::move(lost)));
    return o;
  }
  mutable TcpLab lab;
  CallResult sent;
  Sink sink;
  std::vector<WireSeg> wire;
};

// RFC 6675 §5 (a segment is retransmitted once per recovery unless the RTO fires) and RFC 8985 §6.2 (a
// retransmission is deemed lost again only when a segment sent after it is delivered): with duplicate ACKs
// in flight, every dropped segment goes out again exactly once, and nothing else is resent.
// (A writer woken by an ACK runs after the packets arriving at that instant, as a process the softirq woke
// does: the burst's repairs go out before the data it writes, host_tcp.cpp.)
TEST(TcpRackBurstLoss, EachSegmentLostInABurstIsRetransmittedOnceDespiteDuplicateAcksInFlight) {
  BurstTransfer t({20, 50, 80, 120, 150, 200, 230, 280, 310, 340});
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(t.sink.data.size(), kBytes) << dump(t.wire);
  EXPECT_TRUE(with_cause(t.wire, Cause::RtoRetransmission).empty()) << dump(t.wire);
  const auto lost = filter(t.wire, [](const WireSeg& s) { return s.lost(); });
  ASSERT_EQ(lost.size(), 10u) << dump(t.wire);
  std::map<std::uint32_t, int> resent;
  for (const WireSeg& s : data_segments(t.wire, "A"))
    if (s.cause != Cause::FirstTransmission) ++resent[s.seq];
  for (const WireSeg& l : lost) EXPECT_EQ(resent[l.seq], 1) << "segment " << l.str() << "\n" << dump(t.wire);
  EXPECT_EQ(resent.size(), lost.size()) << "only the lost segments are sent again\n" << dump(t.wire);
}

// The twin finding in its smallest form: the first drop is repaired by one retransmission, and the
// duplicate ACKs that were in flight when it left (they SACK data sent before it, at the same instant)
// trigger nothing more: the next segment A sends after it is new data. Nothing else is resent either: the
// last segments (a GSO packet cut at the end of the data, 856 bytes last) are acknowledged segment by
// segment, as in real Linux's capture of twin-bulk-loss.toml, so no tail loss probe leaves. (Disabled until
// this stop: B held the tail's ACKs and a probe of seq 511145 left at 15.6 ms.)
TEST(TcpRackBurstLoss, DuplicateAcksSentBeforeTheRetransmissionArrivedDoNotResendIt) {
  BurstTransfer t({20});
  ASSERT_FALSE(HasFatalFailure());
  const auto resent = filter(data_segments(t.wire, "A"),
                             [](const WireSeg& s) { return s.cause != Cause::FirstTransmission; });
  ASSERT_EQ(resent.size(), 1u) << dump(t.wire);
  EXPECT_EQ(resent[0].cause, Cause::RackRetransmission) << resent[0].str();
  EXPECT_EQ(resent[0].seq, 19u * 1448u + 1u) << "the 20th segment of 1448 bytes";
}

// Linux's own packetdrill script (test data, read from the shared folder): recovery entered on the third
// SACK sends only the first hole (RFC 6937 §3 with Linux's safe-ACK bound: a duplicate ACK adds no extra
// segment), and the second hole waits for the next SACK (line 36). The script then stops at line 38, which
// reads tcpi_reordering, a degree the simulator does not measure.
TEST(TcpRackBurstLoss, SackShiftScriptRepairsTheSecondHoleOnTheNextSackAsLinuxDoes) {
  using namespace packetdrill;
  auto script = parse_script_file(std::string(WIRESTEP_PACKETDRILL_DIR) +
                                  "/sack/sack-shift-sacked-2-6-8-3-9-nofack.pkt");
  ASSERT_TRUE(script.ok()) << script.error().message();
  RunOptions o;
  o.tcp = TcpConfig::for_profile(TcpProfile::Linux);
  const packetdrill::RunResult r = run_script(*script, o);
  ASSERT_EQ(r.outcome, Outcome::Unsupported) << test::describe(r);
  EXPECT_EQ(r.line, 38u) << test::describe(r);
}

}  // namespace tcp_rack_burst_loss_test
}  // namespace wirestep
