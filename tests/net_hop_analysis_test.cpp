// A routed run records each hop of a packet as its own row (issue #18); the analysis must still see one
// packet: a TCP transfer A -> S -> R -> C has no retransmissions or duplicates, and each conversation counts
// what its two ends sent (sim/trace/hop_copy.hpp).
#include <gtest/gtest.h>

#include "net_test_support.hpp"
#include "sim/analysis/flow_analysis.hpp"
#include "sim/analysis/ground_truth.hpp"
#include "sim/trace/hop_copy.hpp"
#include "sim/trace/trace_summary.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace net_hop_analysis_test {

using testing::rows_of;
using testing::run_text;
using testing::switched_router_network;

RunResult transfer_through_router() {
  return run_text(
      switched_router_network(testing::tcp_server("server", "C", 8080) +
                              testing::program("client", "A",
                                               {"call = \"connect\"\nat = \"10ms\"\nto = \"10.1.0.2:8080\"",
                                                "call = \"send\"\nbytes = \"20000\"", "call = \"close\""},
                                               true)));
}

TEST(HopAnalysis, TcpThroughRouterAndSwitchHasNoRetransmissions) {
  const RunResult r = transfer_through_router();
  const auto tcp = rows_of(r.trace, Transport::Tcp);
  ASSERT_FALSE(tcp.empty());
  const FlowAnalyzer a = analyze_trace(r.trace);
  const Conversation* conv = nullptr;
  for (const Conversation& c : a.conversations())
    if (c.proto == Transport::Tcp) conv = &c;
  ASSERT_NE(conv, nullptr);
  // Every segment crosses three links (A-S, S-R, R-C or back): three rows, one packet.
  EXPECT_EQ(tcp.size(), 3 * conv->packets());
  EXPECT_EQ(conv->tcp.retransmissions(), 0u);
  for (const FlaggedPacket& f : a.flagged())
    EXPECT_TRUE(f.flag != TcpFlag::DuplicateAck && f.flag != TcpFlag::Retransmission &&
                f.flag != TcpFlag::SpuriousRetransmission && f.flag != TcpFlag::FastRetransmission)
        << "packet " << f.packet << " flagged " << wireshark_name(f.flag);
  EXPECT_EQ(conv->tcp.syn, 2u) << "SYN and SYN,ACK, once each";
  EXPECT_EQ(conv->tcp.fin, 1u) << "the client's FIN, once (the server never closes)";
  // Payload counted once: the 20000 bytes the client sent.
  EXPECT_EQ(conv->from_a().payload_bytes, 20000u);
}

TEST(HopAnalysis, PacketsAreCountedAtTheHopTheirSourceSent) {
  const RunResult r = transfer_through_router();
  std::uint64_t sent = 0;
  for (std::size_t i : rows_of(r.trace, Transport::Tcp)) {
    const Trace::LinkHop* hop = r.trace.hop(i);
    ASSERT_NE(hop, nullptr);
    const TraceFlow& f = r.trace.flows()[r.trace.flow_of(i)];
    const std::uint32_t source = r.trace.direction(i) == Direction::AtoB ? f.a_host : f.b_host;
    EXPECT_EQ(is_hop_copy(r.trace, i), hop->from_node != source);
    if (!is_hop_copy(r.trace, i)) ++sent;
  }
  const TraceSummary s = summarize(r.trace);
  EXPECT_EQ(s.tcp.packets, sent);
  EXPECT_EQ(s.tcp.delivered, sent);
  EXPECT_EQ(s.tcp.by_cause[static_cast<std::size_t>(Cause::RtoRetransmission)], 0u);
}

TEST(HopAnalysis, GroundTruthAgreesOnEveryPacketOfARoutedTransfer) {
  const RunResult r = transfer_through_router();
  TraceAnalysis ta;
  ta.build(r.trace, true);
  EXPECT_TRUE(ta.disagreements().empty()) << ta.disagreements().size() << " disagreements";
}

// A loss after the router is still the packet's fate, counted once (a capture at A would miss the ACK).
TEST(HopAnalysis, LossOnALaterHopIsThePacketsFate) {
  const RunResult r = run_text(testing::router_network(
      "[[link.impairment]]\ntype = \"drop\"\nproto = \"udp\"\nnth = 1\n[network]\narp = false\n" +
      testing::udp_receiver("rx", "B", 7, 2) +
      testing::program(
          "tx", "A",
          {"call = \"sendto\"\nto = \"10.1.0.2:7\"\ntext = \"x\"\ncount = 2\ninterval = \"10ms\""})));
  ASSERT_EQ(rows_of(r.trace, Transport::Udp).size(), 4u)
      << "two datagrams, two hops each; R-B drops the first";
  const TraceSummary s = summarize(r.trace);
  EXPECT_EQ(s.udp.packets, 2u);
  EXPECT_EQ(s.udp.delivered, 1u);
  EXPECT_EQ(s.udp.dropped_by_link, 1u);
}

// traceroute's probes all end at a router (TTL) or at the destination's closed port: 9 probes, none
// delivered to a socket, whatever hop each died on; the switch-free lesson has no flood copies to ignore.
TEST(HopAnalysis, TracerouteProbesCountOnceEachAndAllEndDropped) {
  auto sc = load_scenario_file(testing::source_path("scenarios/net-traceroute.toml"));
  ASSERT_TRUE(sc) << sc.error().message();
  const RunResult r = run_scenario(*sc);
  const TraceSummary s = summarize(r.trace);
  EXPECT_EQ(s.udp.packets, 9u);
  EXPECT_EQ(s.udp.delivered, 0u);
  EXPECT_EQ(s.udp.dropped_by_host, 9u);
}

}  // namespace net_hop_analysis_test
}  // namespace wirestep
