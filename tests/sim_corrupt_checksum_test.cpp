// A corrupted packet is caught by the receiver's checksum and discarded: UDP loses the message, TCP
// retransmits the segment (RFC 768 "Fields"; RFC 9293 §3.1: the checksum covers a pseudo-header, the header
// and the data; RFC 1122 §4.1.3.4 / §4.2.2.7: a bad checksum is silently discarded). The pcap export carries
// the damaged bytes, so tshark finds the same bad checksum the simulated receiver did.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "sim/net/link.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/trace/packet_bytes.hpp"
#include "sim/wire/packet.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace sim_corrupt_checksum_test {

using testing::run_command_line;

constexpr const char* kLesson = "scenarios/link-corrupt-checksum.toml";

RunResult run_lesson() {
  auto sc = load_scenario_file(testing::source_path(kLesson));
  EXPECT_TRUE(sc) << (sc ? "" : sc.error().message());
  return run_scenario(*sc);
}

// A scripted corruption marks exactly the chosen occurrence and drops nothing.
TEST(LinkScriptedCorrupt, MarksOnlyTheNthMatchingPacket) {
  Trace trace;
  LinkParams p;
  ScriptedCorrupt c;
  c.kind = PacketKind::Datagram;
  c.nth = {2};
  p.impairments.push_back(Impairment{c, ""});
  LinkDirection link("A>B", p, 1, trace);
  const PacketTraits udp{Transport::Udp, 0, 100, 128};
  int corrupted = 0;
  for (int i = 1; i <= 5; ++i) {
    const LinkVerdict v = link.transmit(SimTime{i * 1000}, udp);
    EXPECT_EQ(v.fate, Fate::Delivered);
    EXPECT_EQ((v.marks & mark::kCorrupted) != 0, i == 2) << "datagram " << i;
    corrupted += (v.marks & mark::kCorrupted) != 0;
  }
  EXPECT_EQ(corrupted, 1);
  EXPECT_EQ(trace.drop_rules()[0], "link A>B rule 1: scripted corruption of datagram #2");
}

// RFC 768: the receiver discards the damaged datagram; the application never sees it, nobody resends.
TEST(UdpChecksum, CorruptedDatagramIsDroppedByTheReceivingHost) {
  const RunResult r = run_lesson();
  int udp_dropped = 0, udp_total = 0;
  for (std::size_t i = 0; i < r.trace.packet_count(); ++i) {
    const PacketRecord p = r.trace.packet(i);
    if (r.trace.flows()[p.flow].proto != Transport::Udp) continue;
    ++udp_total;
    if (p.fate == Fate::DroppedByHost) {
      ++udp_dropped;
      EXPECT_TRUE(p.marks & mark::kCorrupted);
    }
  }
  EXPECT_EQ(udp_total, 5);
  EXPECT_EQ(udp_dropped, 1);
  for (const auto& prog : r.programs)
    if (prog.name == "UDP receiver") {
      ASSERT_EQ(prog.received.size(), 4u);
      // Reading 2 is the one missing.
      EXPECT_EQ(std::string(prog.received[1].data.begin(), prog.received[1].data.end()), "reading 3\n");
    }
}

// RFC 9293 §3.1 and §3.10.7.4: a segment failing its checksum is discarded unacknowledged; the sender's
// retransmission repairs it and the stream arrives whole and in order.
TEST(TcpChecksum, CorruptedSegmentIsDroppedAndRetransmitted) {
  const RunResult r = run_lesson();
  int tcp_dropped = 0, retransmissions = 0;
  for (std::size_t i = 0; i < r.trace.packet_count(); ++i) {
    const PacketRecord p = r.trace.packet(i);
    if (r.trace.flows()[p.flow].proto != Transport::Tcp) continue;
    tcp_dropped += p.fate == Fate::DroppedByHost;
    retransmissions += p.cause == Cause::RtoRetransmission || p.cause == Cause::FastRetransmission;
  }
  EXPECT_EQ(tcp_dropped, 1);
  EXPECT_GE(retransmissions, 1);
  for (const auto& prog : r.programs) {
    if (prog.name == "TCP receiver") {
      EXPECT_EQ(std::string(prog.stream_received.begin(), prog.stream_received.end()),
                "reading 1\nreading 2\nreading 3\nreading 4\nreading 5\n");
    }
  }
}

// The rebuilt bytes of a corrupted packet no longer check, and those of every other packet still do.
TEST(CorruptedPacketBytes, OnlyTheCorruptedPacketsFailTheirChecksum) {
  const RunResult r = run_lesson();
  int bad = 0;
  for (std::size_t i = 0; i < r.trace.packet_count(); ++i) {
    std::vector<std::uint8_t> bytes;
    rebuild_packet(r.trace, i, LinkLayer::RawIp, bytes);
    auto d = wire::decode_ip_packet(bytes);
    ASSERT_TRUE(d) << "packet " << i;
    const bool corrupted = r.trace.marks(i) & mark::kCorrupted;
    EXPECT_TRUE(d->transport_checksum_ok == std::optional<bool>(!corrupted)) << "packet " << i;
    bad += d->transport_checksum_ok == std::optional<bool>(false);
  }
  EXPECT_EQ(bad, 2);
}

// tshark, the outside oracle, reports a bad UDP and a bad TCP checksum in the export, and nothing else.
TEST(TsharkOracle, CorruptedPacketsShowABadChecksumInThePcap) {
  testing::TempDir dir;
  const std::string pcap = dir.file("corrupt.pcap");
  auto run = run_command_line(testing::wirestep_binary() + " run " + testing::source_path(kLesson) +
                              " --quiet --pcap " + pcap);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string opts =
      " -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE ";
  auto udp = run_command_line("tshark -n -r " + pcap + opts +
                              "-Y 'udp.checksum.status == 0' -T fields -e udp.payload 2>/dev/null");
  EXPECT_EQ(udp.exit_code, 0) << "tshark missing or failed";
  // "reading 2\n" with the last byte's lowest bit flipped: 0x0a becomes 0x0b.
  EXPECT_EQ(udp.output, "72656164696e6720320b\n");
  auto tcp = run_command_line("tshark -n -r " + pcap + opts +
                              "-Y 'tcp.checksum.status == 0' -T fields -e tcp.len 2>/dev/null");
  EXPECT_EQ(tcp.output, "10\n");
  auto other = run_command_line("tshark -n -r " + pcap + opts +
                                "-Y '_ws.malformed || ip.checksum.status == 0' 2>/dev/null");
  EXPECT_EQ(other.output, "");
}

// A rule is either random ("chance") or scripted (a selection), never both.
TEST(ScenarioLoaderCorrupt, ChanceTogetherWithASelectionIsRejected) {
  const std::string toml = R"(
[scenario]
name = "c"
title = "t"
title_zh = "t"
explanation = "e"
explanation_zh = "e"

[[host]]
name = "A"
address = "10.0.0.1/24"

[[host]]
name = "B"
address = "10.0.0.2/24"

[[link]]
between = ["A", "B"]

[[link.impairment]]
type = "corrupt"
chance = "1%"
nth = 2
)";
  auto sc = parse_scenario(toml, "c.toml");
  ASSERT_FALSE(sc);
  EXPECT_NE(sc.error().message().find("give either \"chance\" or a selection"), std::string::npos)
      << sc.error().message();
}

}  // namespace sim_corrupt_checksum_test
}  // namespace wirestep
