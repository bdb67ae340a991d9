// The analyzer's explanations as the GUI shows them (inspector, timeline hover, Truth tab): every sentence in
// English and 简体中文, and frames cited by the file's own numbers also when the timeline shows one flow
// alone.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "capture/analyzed_capture.hpp"
#include "capture_test_support.hpp"
#include "hand_built_tcp.hpp"
#include "sim/analysis/flow_list.hpp"
#include "sim/analysis/ground_truth.hpp"
#include "sim/analysis/tcp_explain.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "test_support.hpp"
#include "two_tcp_one_udp_capture.hpp"

namespace wirestep {
namespace explain_lang_test {

namespace f = wire::tcp_flag;

// The shared capture (two_tcp_one_udp_capture.hpp): the TCP conversation's second data segment (frame 7) is
// sent again as frame 10; shown alone, the conversation renumbers frame 7 as its 6th packet.
void write_capture(const std::string& path) {
  capture_test::write_two_tcp_one_udp(path);
}

// The TCP flow alone, as the Flows tab shows it: its own Trace, analysed, with each packet's place in the
// file.
struct FlowShownAlone {
  FlowSubset subset;
  TraceAnalysis analysis;
};

FlowShownAlone tcp_flow_alone(const std::string& path) {
  auto loaded = load_and_analyze(path);
  EXPECT_TRUE(loaded.ok()) << loaded.error().message();
  const Trace& whole = loaded->capture.trace;
  const CaptureFlows flows(whole, loaded->analysis, loaded->capture.info.non_ip_flow);
  EXPECT_EQ(flows.rows().at(0).proto, Transport::Tcp);
  FlowShownAlone out{extract_flows(whole, flows.packets_of(0)), {}};
  out.analysis.build(out.subset.trace, false);
  return out;
}

// The one retransmission in the flow shown alone.
std::uint32_t retransmission(const FlowShownAlone& shown) {
  for (const FlaggedPacket& fp : shown.analysis.analyzer().flagged())
    if (fp.flag == TcpFlag::Retransmission) return fp.packet;
  ADD_FAILURE() << "no retransmission flagged";
  return 0;
}

TEST(ExplainFrameNumbers, AFlowShownAloneCitesTheFilesFrameNumbers) {
  testing::TempDir dir;
  const std::string path = dir.file("tcp-udp.pcap");
  write_capture(path);
  const FlowShownAlone shown = tcp_flow_alone(path);
  ASSERT_EQ(shown.subset.trace.packet_count(), 8u);
  const std::uint32_t again = retransmission(shown);
  EXPECT_EQ(again, 6u);  // the flow's 7th packet is the file's frame 10
  EXPECT_EQ(shown.subset.source_packets.at(again) + 1, 10u);
  const std::string why =
      shown.analysis.explain_packet(shown.subset.trace, again, Lang::En, shown.subset.source_packets);
  // Frame 10 resends the bytes of the file's frame 7 (the flow's own numbering would say 6).
  EXPECT_EQ(why.rfind("retransmission: seq 101-200 was first sent in frame 7", 0), 0u) << why;
}

TEST(ExplainFrameNumbers, WithoutASubsetPacketsAreNumberedFromOne) {
  testing::TempDir dir;
  const std::string path = dir.file("tcp-udp.pcap");
  write_capture(path);
  const FlowShownAlone shown = tcp_flow_alone(path);
  const std::string why = shown.analysis.explain_packet(shown.subset.trace, retransmission(shown));
  EXPECT_NE(why.find("first sent in frame 6"), std::string::npos) << why;
}

TEST(ExplainChinese, ARetransmissionIsExplainedInChineseWithTheFilesFrameNumbers) {
  testing::TempDir dir;
  const std::string path = dir.file("tcp-udp.pcap");
  write_capture(path);
  const FlowShownAlone shown = tcp_flow_alone(path);
  const std::string why = shown.analysis.explain_packet(shown.subset.trace, retransmission(shown), Lang::Zh,
                                                        shown.subset.source_packets);
  EXPECT_EQ(why, "重传：seq 101-200 最早在第 7 帧发送过；新数据本应从 seq 201 开始");
}

bool has_chinese(const std::string& s) {
  // Every CJK ideograph is three UTF-8 bytes starting 0xE4-0xE9.
  for (unsigned char c : s)
    if (c >= 0xE4 && c <= 0xE9) return true;
  return false;
}

// RFC 5681 §3.2 (fast retransmit), RFC 9293 §3.8.6.1 (zero window), §3.10.7 (RST): lessons whose analysis
// raises these flags among others.
TEST(ExplainChinese, EveryFlagTheLessonsRaiseHasAChineseSentence) {
  std::map<TcpFlag, int> seen;
  for (const char* name : {"tcp-bulk-loss.toml", "tcp-fast-retransmit.toml", "tcp-zero-window.toml",
                           "tcp-rst-abort.toml", "tcp-data-lost-rto.toml", "link-duplicate.toml"}) {
    auto sc = load_scenario_file(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/" + name);
    ASSERT_TRUE(sc.ok()) << sc.error().message();
    const RunResult run = run_scenario(*sc);
    TraceAnalysis a;
    a.build(run.trace, true);
    for (const FlaggedPacket& fp : a.analyzer().flagged()) {
      const std::string en = a.explain(run.trace, fp, Lang::En);
      const std::string zh = a.explain(run.trace, fp, Lang::Zh);
      EXPECT_TRUE(has_chinese(zh)) << name << " packet " << fp.packet << ": " << zh;
      EXPECT_FALSE(has_chinese(en)) << name << " packet " << fp.packet << ": " << en;
      ++seen[fp.flag];
    }
  }
  for (TcpFlag flag : {TcpFlag::Retransmission, TcpFlag::FastRetransmission, TcpFlag::DuplicateAck,
                       TcpFlag::ZeroWindow, TcpFlag::Reset})
    EXPECT_GT(seen[flag], 0) << wireshark_name(flag);
}

TEST(ExplainChinese, ADisagreementWithoutFlagsIsExplainedInChinese) {
  // A simulated "retransmission" carrying new bytes: nothing on the wire marks it, said in Chinese too.
  HandBuiltTcp h;
  h.send(0, Direction::AtoB, f::kSyn, 100, 0, 0);
  h.send(10, Direction::BtoA, f::kSyn | f::kAck, 500, 101, 0);
  h.send(20, Direction::AtoB, f::kAck, 101, 501, 0, Cause::PureAck);
  const auto odd = h.send(20, Direction::AtoB, f::kAck, 101, 501, 100, Cause::RtoRetransmission);
  const Trace& t = h.trace();
  TraceAnalysis analysis;
  analysis.build(t, true);
  EXPECT_EQ(
      analysis.explain_packet(t, odd, Lang::Zh),
      "没有重传、重复 ACK 或窗口标志：按 Wireshark 的规则，没有任何标志把这个报文段标为 retransmission");
}

}  // namespace explain_lang_test
}  // namespace wirestep
