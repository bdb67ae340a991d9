// The state panel's and the inspector's models (sim/analysis/connection_state.hpp, packet_fields.hpp): states
// and variables at a cursor from the Trace's events; a frame split into fields with exact byte ranges.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/analysis/connection_state.hpp"
#include "sim/analysis/packet_fields.hpp"
#include "sim/analysis/step_order.hpp"
#include "sim/scenario/comparison.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/trace/packet_bytes.hpp"
#include "ui/cli/comparison_table.hpp"
#include "ui/gui/packet_text.hpp"

namespace wirestep::gui {
namespace ui_state_and_inspector_test {

Scenario lesson(const std::string& name) {
  auto sc = load_scenario_file(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/" + name);
  EXPECT_TRUE(sc.ok());
  return *sc;
}

const Field* find_field(const std::vector<Field>& fields, const std::string& name, Layer layer) {
  for (const Field& f : fields)
    if (f.name == name && f.layer == layer) return &f;
  return nullptr;
}

// The endpoint of `host` whose first recorded state is `first` (the listener starts in LISTEN, a client's
// socket in SYN-SENT, an accepted socket in SYN-RECEIVED).
std::size_t endpoint_of(const ConnectionStates& cs, std::uint32_t host, TcpState first) {
  for (std::size_t e = 0; e < cs.endpoints().size(); ++e)
    if (cs.endpoints()[e].host == host && cs.endpoints()[e].changes.front().to == first) return e;
  ADD_FAILURE() << "no endpoint of host " << host << " starting in " << to_string(first);
  return 0;
}

TEST(ConnectionStatesHandshake, EachEndpointsStateFollowsItsStateChanges) {
  const RunResult run = run_scenario(lesson("tcp-handshake.toml"));
  ConnectionStates cs;
  cs.build(run.trace);
  // The client's socket, the server's listening socket and the socket accept returned (notes 11.6).
  ASSERT_EQ(cs.endpoints().size(), 3u);
  const std::size_t client = endpoint_of(cs, 0, TcpState::SynSent);
  const std::size_t listener = endpoint_of(cs, 1, TcpState::Listen);
  const std::size_t accepted = endpoint_of(cs, 1, TcpState::SynReceived);
  EXPECT_NE(cs.endpoints()[listener].socket, cs.endpoints()[accepted].socket);
  const std::size_t all = run.trace.event_count();
  // After everything: the client (A, host 0) closed after TIME-WAIT, the server's connection after LAST-ACK.
  for (std::size_t e : {client, accepted}) {
    const auto st = cs.state_at(e, all);
    ASSERT_TRUE(st);
    EXPECT_EQ(st->state, TcpState::Closed);
    ASSERT_TRUE(st->from);
    EXPECT_TRUE(*st->from == TcpState::TimeWait || *st->from == TcpState::LastAck);
  }
  // RFC 9293 §3.3.2: the passive socket waits in LISTEN while its clients come and go.
  const auto waiting = cs.state_at(listener, all);
  ASSERT_TRUE(waiting);
  EXPECT_EQ(waiting->state, TcpState::Listen);
  EXPECT_EQ(waiting->from, TcpState::Closed);
  EXPECT_FALSE(cs.state_at(client, 0));  // before anything happened
  // Just after the client's first state change: SYN-SENT, reached from CLOSED.
  const auto& first = cs.endpoints()[client].changes.front();
  const auto st = cs.state_at(client, first.event + 1u);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->state, TcpState::SynSent);
  EXPECT_EQ(st->from, TcpState::Closed);
  EXPECT_EQ(first.why, "connect() sends SYN");
}

TEST(ConnectionStatesHandshake, VariablesAtTheCursorComeFromVariableEvents) {
  const RunResult run = run_scenario(lesson("tcp-handshake.toml"));
  ConnectionStates cs;
  cs.build(run.trace);
  StepOrder order;
  order.add_trace(run.trace);
  const std::size_t client = endpoint_of(cs, 0, TcpState::SynSent);
  // At 15 ms the client has sent its SYN (cwnd set, no SRTT yet); at 25 ms the SYN-ACK has given it an SRTT.
  const std::size_t at15 = order.events_happened(0, Cursor{15'000'000, std::nullopt});
  const std::size_t at25 = order.events_happened(0, Cursor{25'000'000, std::nullopt});
  EXPECT_TRUE(cs.var_at(client, TraceVar::Cwnd, at15));
  EXPECT_FALSE(cs.var_at(client, TraceVar::Srtt, at15));
  const auto srtt = cs.var_at(client, TraceVar::Srtt, at25);
  ASSERT_TRUE(srtt);
  EXPECT_GT(*srtt, 19'000'000);  // about one round trip of 2 x 10 ms
  EXPECT_LT(*srtt, 22'000'000);
}

TEST(ConnectionStatesDiagram, ElevenStatesAndTheirArrows) {
  EXPECT_EQ(state_diagram_boxes().size(), 11u);
  for (const StateArrow& a : state_diagram_arrows()) EXPECT_NE(a.from, a.to);
  EXPECT_EQ(parse_from_state("SYN-SENT -> ESTABLISHED: handshake complete"), TcpState::SynSent);
  EXPECT_EQ(parse_from_state("nonsense"), std::nullopt);
}

TEST(PacketFieldsSyn, LayersFieldsAndByteRangesOfASyn) {
  const RunResult run = run_scenario(lesson("tcp-handshake.toml"));
  std::vector<std::uint8_t> frame;
  rebuild_packet(run.trace, 0, LinkLayer::Ethernet, frame);
  FrameContext ctx;
  ctx.src_prefix_len = 24;
  ctx.dst_prefix_len = 24;
  const auto fields = describe_frame(frame, ctx);
  // Ethernet 0..14, IPv4 14..34, TCP from 34.
  const Field* src = find_field(fields, "source", Layer::Network);
  ASSERT_NE(src, nullptr);
  EXPECT_EQ(src->offset, 26u);
  EXPECT_EQ(src->length, 4u);
  EXPECT_NE(src->value.find("10.0.0.1"), std::string::npos);
  EXPECT_NE(src->value.find("network 10.0.0.0/24"), std::string::npos);
  EXPECT_NE(src->value.find("host 0.0.0.1"), std::string::npos);
  const Field* seq = find_field(fields, "sequence number", Layer::Transport);
  ASSERT_NE(seq, nullptr);
  EXPECT_EQ(seq->offset, 38u);
  const Field* flags = find_field(fields, "flags", Layer::Transport);
  ASSERT_NE(flags, nullptr);
  EXPECT_NE(flags->value.find("SYN"), std::string::npos);
  // The SYN carries the MSS option (RFC 9293 §3.7.1).
  const bool mss = std::any_of(fields.begin(), fields.end(), [](const Field& f) {
    return f.name == "option" && f.value.find("MSS") != std::string::npos && f.offset >= 54u;
  });
  EXPECT_TRUE(mss);
  // Every range lies inside the frame.
  for (const Field& f : fields) EXPECT_LE(f.offset + f.length, frame.size()) << f.name;
}

TEST(PacketFieldsPayload, GbkTextFromTheSeedsUdpExampleIsDecoded) {
  const RunResult run = run_scenario(lesson("udp-sendto.toml"));
  ASSERT_GT(run.trace.packet_count(), 0u);
  std::vector<std::uint8_t> frame;
  rebuild_packet(run.trace, 0, LinkLayer::Ethernet, frame);
  const auto fields = describe_frame(frame, FrameContext{});
  const auto payload = std::find_if(fields.begin(), fields.end(),
                                    [](const Field& f) { return f.layer == Layer::Payload && f.header; });
  ASSERT_NE(payload, fields.end());
  EXPECT_NE(payload->value.find("GBK"), std::string::npos) << payload->value;
  EXPECT_EQ(payload->offset, 14u + 20u + 8u);
}

TEST(PacketFieldsPayload, DecodesUtf8ThenGbkElseBinary) {
  const std::vector<std::uint8_t> utf8 = {0xE4, 0xBD, 0xA0, 0xE5, 0xA5, 0xBD};  // 你好
  const std::vector<std::uint8_t> gbk = {0xC4, 0xE3, 0xBA, 0xC3};               // 你好
  const std::vector<std::uint8_t> bin = {0x00, 0xFF, 0x01};
  EXPECT_EQ(decode_payload(utf8).encoding, PayloadText::Encoding::Utf8);
  EXPECT_EQ(decode_payload(utf8).text, "你好");
  EXPECT_EQ(decode_payload(gbk).encoding, PayloadText::Encoding::Gbk);
  EXPECT_EQ(decode_payload(gbk).text, "你好");
  EXPECT_EQ(decode_payload(bin).encoding, PayloadText::Encoding::Binary);
}

TEST(PacketFieldsTruncated, ShortFramesNeverReadPastTheirEnd) {
  const RunResult run = run_scenario(lesson("tcp-handshake.toml"));
  std::vector<std::uint8_t> frame;
  rebuild_packet(run.trace, 3, LinkLayer::Ethernet, frame);
  for (std::size_t n = 0; n < frame.size(); ++n) {
    const std::vector<std::uint8_t> cut(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(n));
    for (const Field& f : describe_frame(cut, FrameContext{}))
      EXPECT_LE(f.offset + f.length, n) << f.name << " in " << n << " bytes";
  }
}

TEST(PacketLabels, ConciseTextbookLabels) {
  const RunResult run = run_scenario(lesson("tcp-handshake.toml"));
  const RelativeSeq rel(run.trace);
  char buf[96];
  format_packet_label(buf, sizeof buf, run.trace, 0, &rel);
  EXPECT_STREQ(buf, "SYN seq=0");
  format_packet_label(buf, sizeof buf, run.trace, 1, &rel);
  EXPECT_STREQ(buf, "SYN,ACK seq=0 ack=1");
  format_packet_label(buf, sizeof buf, run.trace, 2, &rel);
  EXPECT_STREQ(buf, "ACK 1");
  format_packet_label(buf, sizeof buf, run.trace, 3, &rel);
  EXPECT_STREQ(buf, "seq=1 ack=1 len=18");
  char small[6];
  format_packet_label(small, sizeof small, run.trace, 3, &rel);
  EXPECT_EQ(std::string(small).size(), 5u);  // cut, terminated
  format_time(buf, sizeof buf, 21'099'000, 1000);
  EXPECT_STREQ(buf, "21.099 ms");
  format_time(buf, sizeof buf, 1'500'000'000, 100'000'000);
  EXPECT_STREQ(buf, "1.5 s");
}

TEST(ComparisonTableRows, RowsMatchTheMeasuredMetrics) {
  const Scenario sc = lesson("compare-tcp-udp-5pct.toml");
  ASSERT_TRUE(sc.comparison);
  const RunResult tcp = run_scenario(comparison_scenario(sc, true), sc.seed);
  const RunResult udp = run_scenario(comparison_scenario(sc, false), sc.seed);
  const ComparisonResult c = compare_runs(*sc.comparison, tcp, udp);
  const auto rows = comparison_rows(c);
  ASSERT_GE(rows.size(), 8u);
  EXPECT_EQ(rows[0].tcp, std::to_string(c.tcp.delivered) + " / " + std::to_string(c.tcp.messages_sent));
  EXPECT_EQ(rows[0].udp, std::to_string(c.udp.delivered) + " / " + std::to_string(c.udp.messages_sent));
  // The lesson's point: TCP delivers everything, UDP loses some, on the same loss pattern.
  EXPECT_EQ(c.tcp.delivered, c.tcp.messages_sent);
  EXPECT_LT(c.udp.delivered, c.udp.messages_sent);
  EXPECT_EQ(rows[1].udp, std::to_string(c.udp.lost));
}

}  // namespace ui_state_and_inspector_test
}  // namespace wirestep::gui
