// `wirestep twin`'s headless parts, without namespaces: reading segments from a pcap (relative seq/ack,
// scaled window, option kinds), comparing two runs segment by segment, and the scenarios twin refuses. The
// relay's link rules are in capture_twin_link_test.cpp, the real runs in capture_twin_lab_test.cpp.
#include <gtest/gtest.h>

#include <fstream>

#include "capture/pcap_export.hpp"
#include "capture/twin_compare.hpp"
#include "capture/twin_lab.hpp"
#include "capture/twin_segments.hpp"
#include "capture/twin_spread.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/wire/transport.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace capture_twin_compare_test {

using namespace wire::tcp_flag;

TwinSegment segment(const char* from, const char* to, std::uint8_t flags, std::uint32_t seq,
                    std::uint32_t ack, std::uint32_t len, std::uint32_t window = 1000) {
  TwinSegment s;
  s.from = from;
  s.to = to;
  s.flags = flags;
  s.seq = seq;
  s.ack = ack;
  s.seq_relative = s.ack_relative = true;
  s.len = len;
  s.window = window;
  s.option_kinds = {8};
  return s;
}

std::vector<TwinSegment> handshake_and_request() {
  return {segment("A", "B", kSyn, 0, 0, 0), segment("B", "A", kSyn | kAck, 0, 1, 0),
          segment("A", "B", kAck, 1, 1, 0), segment("A", "B", kPsh | kAck, 1, 1, 100),
          segment("B", "A", kAck, 1, 101, 0)};
}

TEST(TwinOptionKinds, NopAndEolAreLeftOutAndKindsKeepTheirOrder) {
  // MSS, SACK-permitted, timestamps, NOP, window scale: Linux's SYN layout.
  const std::uint8_t opts[] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
  EXPECT_EQ(tcp_option_kinds(opts, sizeof opts), (std::vector<std::uint8_t>{2, 4, 8, 3}));
}

TEST(TwinOptionKinds, AnOptionRunningPastTheHeaderEndsTheListWithoutReadingBeyond) {
  const std::uint8_t opts[] = {1, 8, 10, 0, 0};  // NOP, then a timestamp option claiming 10 of 4 bytes left
  EXPECT_TRUE(tcp_option_kinds(opts, sizeof opts).empty());
  const std::uint8_t zero_length[] = {5, 0, 1, 1};  // length 0 would loop for ever
  EXPECT_TRUE(tcp_option_kinds(zero_length, sizeof zero_length).empty());
  const std::uint8_t eol_first[] = {0, 2, 4, 5, 0xb4};
  EXPECT_TRUE(tcp_option_kinds(eol_first, sizeof eol_first).empty());
}

TEST(TwinCompare, IdenticalRunsAgreeOnEveryRow) {
  const auto c = compare_twin(handshake_and_request(), handshake_and_request());
  EXPECT_TRUE(c.agree());
  EXPECT_EQ(c.rows.size(), 5u);
  EXPECT_EQ(c.differing_rows, 0u);
}

TEST(TwinCompare, ALengthDifferenceIsReportedAtItsRowWithBothSidesLines) {
  auto real = handshake_and_request();
  real[3].len = 64;
  const auto sim = handshake_and_request();
  const auto c = compare_twin(sim, real);
  ASSERT_FALSE(c.agree());
  EXPECT_EQ(*c.first_difference, 3u);
  EXPECT_EQ(c.rows[3].differs, TwinField::Length);
  const std::string text = describe_first_difference(c, sim, real, Lang::En);
  EXPECT_NE(text.find("first difference: row 4 (A>B segment 3): payload length"), std::string::npos) << text;
  EXPECT_NE(text.find("simulated:  A>B PSH,ACK seq 1 ack 1 len 100"), std::string::npos) << text;
  EXPECT_NE(text.find("real Linux: A>B PSH,ACK seq 1 ack 1 len 64"), std::string::npos) << text;
  const std::string zh = describe_first_difference(c, sim, real, Lang::Zh);
  EXPECT_NE(zh.find("第一处不同：第 4 行"), std::string::npos) << zh;
  EXPECT_NE(zh.find("载荷长度"), std::string::npos) << zh;
}

TEST(TwinCompare, SegmentsArePairedPerDirectionSoInterleavingDoesNotMatter) {
  // Real Linux may put B's ACK before A's next segment or after it: each direction is compared in order.
  auto real = handshake_and_request();
  std::swap(real[2], real[1]);
  EXPECT_TRUE(compare_twin(handshake_and_request(), real).agree());
}

TEST(TwinCompare, AnExtraRealSegmentIsADifferenceAfterTheSimulatedOnes) {
  auto real = handshake_and_request();
  real.push_back(segment("A", "B", kFin | kAck, 101, 1, 0));
  const auto c = compare_twin(handshake_and_request(), real);
  ASSERT_FALSE(c.agree());
  EXPECT_EQ(*c.first_difference, 5u);
  EXPECT_EQ(c.rows[5].differs, TwinField::MissingInSim);
  EXPECT_FALSE(c.rows[5].sim.has_value());
}

TEST(TwinCompare, AMissingRealSegmentIsADifference) {
  auto real = handshake_and_request();
  real.pop_back();
  const auto c = compare_twin(handshake_and_request(), real);
  ASSERT_FALSE(c.agree());
  EXPECT_EQ(c.rows[*c.first_difference].differs, TwinField::MissingInReal);
}

TEST(TwinCompare, WindowDifferencesCountButDecideOnlyWhenCompared) {
  auto real = handshake_and_request();
  real[2].window = 64256;
  EXPECT_EQ(compare_twin(handshake_and_request(), real).rows[2].differs, TwinField::Window);
  const auto c = compare_twin(handshake_and_request(), real, {.compare_window = false});
  EXPECT_TRUE(c.agree());
  EXPECT_EQ(c.window_differences, 1u);
}

TEST(TwinCompare, PshCanBeLeftOutOfTheFlags) {
  auto real = handshake_and_request();
  real[2].flags |= kPsh;
  EXPECT_EQ(compare_twin(handshake_and_request(), real).rows[2].differs, TwinField::Flags);
  EXPECT_TRUE(compare_twin(handshake_and_request(), real, {.compare_psh = false}).agree());
}

TEST(TwinCompare, OptionKindsAndAckAreCompared) {
  auto real = handshake_and_request();
  real[4].option_kinds = {8, 5};  // a SACK block the simulator did not send
  EXPECT_EQ(compare_twin(handshake_and_request(), real).rows[4].differs, TwinField::Options);
  real = handshake_and_request();
  real[4].ack = 51;
  EXPECT_EQ(compare_twin(handshake_and_request(), real).rows[4].differs, TwinField::Ack);
}

// --real-runs: the simulated run against each real run, and the real runs against each other, by the same
// rules, counted in rows that agree before the first difference.
TEST(TwinSpread, RealRunsAreComparedPairByPairAndTheSimulatorWithEach) {
  const auto sim = handshake_and_request();
  auto acks_one_later = handshake_and_request();
  acks_one_later[4].ack = 51;  // B acknowledged half of the request first
  auto pushes_nothing = handshake_and_request();
  pushes_nothing[3].len = 50;
  const TwinSpread s = twin_spread(sim, {acks_one_later, handshake_and_request(), pushes_nothing}, {});
  EXPECT_EQ(s.sim_vs_real, (std::vector<std::size_t>{4, 5, 3}));
  EXPECT_EQ(s.sim_agrees, (std::vector<bool>{false, true, false}));
  EXPECT_EQ(s.closest, 1u);
  EXPECT_TRUE(s.sim_agrees_with_any());
  // Pairs (1,2), (1,3), (2,3).
  EXPECT_EQ(s.real_vs_real, (std::vector<std::size_t>{4, 3, 3}));
  EXPECT_EQ(s.real_pairs_agreeing, 0u);
  EXPECT_EQ(median_rows(s.real_vs_real), 3u);
}

// The listing shows the real run the simulator agrees with longest; on a tie, the earlier one.
TEST(TwinSpread, TheClosestRealRunIsTheFirstOfTheLongestAgreements) {
  auto late = handshake_and_request();
  late[4].ack = 51;
  const TwinSpread s = twin_spread(handshake_and_request(), {late, late}, {});
  EXPECT_EQ(s.closest, 0u);
  EXPECT_FALSE(s.sim_agrees_with_any());
  EXPECT_EQ(s.real_pairs_agreeing, 1u) << "two identical real runs agree throughout";
  EXPECT_EQ(s.real_vs_real, (std::vector<std::size_t>{5}));
}

// The summary's median: of an even count the lower of the middle two, so it is always a measured value.
TEST(TwinSpread, MedianOfRowCountsTakesTheLowerMiddleAndIsZeroForNone) {
  EXPECT_EQ(median_rows({}), 0u);
  EXPECT_EQ(median_rows({7}), 7u);
  EXPECT_EQ(median_rows({9, 3, 5, 100}), 5u);
  EXPECT_EQ(median_rows({73, 210, 103, 103, 74}), 103u);
}

TEST(TwinSegmentsFromPcap, SimulatedHandshakeReadsAsRelativeNumbersWithScaledWindows) {
  auto sc = load_scenario_file(testing::source_path("scenarios/twin/twin-request-response.toml"));
  ASSERT_TRUE(sc) << sc.error().message();
  const auto run = run_scenario(*sc);
  testing::TempDir dir;
  ASSERT_TRUE(write_pcap(run.trace, dir.file("sim.pcap")));
  auto segs =
      read_twin_segments(dir.file("sim.pcap"), {{sc->hosts[0].address, "A"}, {sc->hosts[1].address, "B"}});
  ASSERT_TRUE(segs) << segs.error().message();
  ASSERT_GE(segs->size(), 4u);
  const auto& syn = (*segs)[0];
  EXPECT_EQ(syn.from, "A");
  EXPECT_EQ(syn.flags, kSyn);
  EXPECT_EQ(syn.seq, 0u);
  EXPECT_TRUE(syn.seq_relative);
  // RFC 7323 §2.3: the SYN's window is never scaled; the linux profile's SYN carries MSS, SACK-permitted,
  // timestamps and window scale (RFC 9293 §3.7.1, RFC 2018 §2, RFC 7323 §3, §2).
  EXPECT_EQ(syn.window, 64240u);
  EXPECT_EQ(syn.option_kinds, (std::vector<std::uint8_t>{2, 4, 8, 3}));
  const auto& synack = (*segs)[1];
  EXPECT_EQ(synack.flags, kSyn | kAck);
  EXPECT_EQ(synack.ack, 1u);
  EXPECT_TRUE(synack.ack_relative);
  const auto& ack = (*segs)[2];
  EXPECT_EQ(ack.flags, kAck);
  EXPECT_EQ(ack.seq, 1u);
  EXPECT_EQ(ack.window % 128, 0u) << "window scale 7: a multiple of 128";
  EXPECT_EQ(ack.option_kinds, (std::vector<std::uint8_t>{8}));
}

TEST(TwinSegmentsFromPcap, TsharkReadsTheSameSegments) {
  WIRESTEP_REQUIRE_TSHARK();
  auto sc = load_scenario_file(testing::source_path("scenarios/twin/twin-syn-lost.toml"));
  ASSERT_TRUE(sc) << sc.error().message();
  testing::TempDir dir;
  const std::string pcap = dir.file("sim.pcap");
  ASSERT_TRUE(write_pcap(run_scenario(*sc).trace, pcap));
  auto segs = read_twin_segments(pcap, {});
  ASSERT_TRUE(segs);
  auto r = testing::run_command_line("tshark -n -r " + pcap +
                                     " -T fields -e tcp.flags -e tcp.seq -e tcp.ack -e tcp.len 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0);
  std::istringstream lines(r.output);
  std::string line;
  std::size_t i = 0;
  for (; std::getline(lines, line); ++i) {
    ASSERT_LT(i, segs->size());
    std::istringstream f(line);
    std::string flags;
    std::uint32_t seq = 0, ack = 0, len = 0;
    f >> flags >> seq >> ack >> len;
    const auto& s = (*segs)[i];
    EXPECT_EQ(std::stoul(flags, nullptr, 16), s.flags) << "frame " << i + 1;
    EXPECT_EQ(seq, s.seq) << "frame " << i + 1;
    if (s.flags & kAck) {
      EXPECT_EQ(ack, s.ack) << "frame " << i + 1;
    }
    EXPECT_EQ(len, s.len) << "frame " << i + 1;
  }
  EXPECT_EQ(i, segs->size());
}

TEST(TwinSegmentsFromPcap, MissingFileIsAnErrorNamingIt) {
  auto segs = read_twin_segments("/nonexistent/twin.pcap", {});
  ASSERT_FALSE(segs);
  EXPECT_NE(segs.error().message().find("/nonexistent/twin.pcap"), std::string::npos);
  EXPECT_FALSE(segs.error().reason_zh.empty());
}

TEST(TwinSegmentsFromPcap, TruncatedFileIsAnErrorNamingTheFrame) {
  auto sc = load_scenario_file(testing::source_path("scenarios/twin/twin-request-response.toml"));
  ASSERT_TRUE(sc);
  testing::TempDir dir;
  const std::string pcap = dir.file("sim.pcap");
  ASSERT_TRUE(write_pcap(run_scenario(*sc).trace, pcap));
  auto bytes = testing::read_bytes(pcap);
  bytes.resize(bytes.size() - 30);  // the last frame cut in the middle
  std::ofstream(dir.file("cut.pcap"), std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  auto segs = read_twin_segments(dir.file("cut.pcap"), {});
  ASSERT_FALSE(segs);
  EXPECT_NE(segs.error().message().find("cut.pcap: frame 10"), std::string::npos) << segs.error().message();
}

TEST(TwinSupported, TheBundledTwinScenariosAreAccepted) {
  for (const char* name : {"request-response", "server-closes", "connect-refused", "rst-abort", "syn-lost",
                           "zero-window", "bulk-loss", "bulk-loss-5ms"}) {
    auto sc = load_scenario_file(testing::source_path(std::string("scenarios/twin/twin-") + name + ".toml"));
    ASSERT_TRUE(sc) << name << ": " << sc.error().message();
    EXPECT_TRUE(twin_scenario_supported(*sc)) << name;
  }
}

Result<Scenario> with_change(const std::string& from, const std::string& to) {
  std::string text = testing::read_text(testing::source_path("scenarios/twin/twin-syn-lost.toml"));
  const auto at = text.find(from);
  if (at == std::string::npos) return Error{"", "", "test setup: no " + from};
  text.replace(at, from.size(), to);
  return parse_scenario(text, "changed.toml");
}

TEST(TwinSupported, TheRfcProfileIsRefusedInBothLanguages) {
  auto sc = with_change("profile = \"linux\"", "profile = \"rfc\"");
  ASSERT_TRUE(sc) << sc.error().message();
  auto st = twin_scenario_supported(*sc);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().reason.find("profile = \"linux\""), std::string::npos);
  EXPECT_NE(st.error().reason_zh.find("真实 Linux"), std::string::npos);
}

TEST(TwinSupported, RandomLossHasNoRealCounterpart) {
  auto sc = with_change("type = \"drop\"\nkind = \"syn\"\nnth = 1", "type = \"bernoulli\"\nloss = \"5%\"");
  ASSERT_TRUE(sc) << sc.error().message();
  auto st = twin_scenario_supported(*sc);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().reason.find("scripted drops"), std::string::npos) << st.error().reason;
}

TEST(TwinSupported, DropsByTimeAreRefused) {
  auto sc = with_change("nth = 1", "from = \"1s\"");
  ASSERT_TRUE(sc) << sc.error().message();
  auto st = twin_scenario_supported(*sc);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().reason.find("from/until"), std::string::npos) << st.error().reason;
}

TEST(TwinSupported, UdpProgramsAreRefused) {
  auto sc = load_scenario_file(testing::source_path("scenarios/udp-sendto.toml"));
  ASSERT_TRUE(sc);
  auto st = twin_scenario_supported(*sc);
  ASSERT_FALSE(st);
  EXPECT_FALSE(st.error().reason_zh.empty());
}

TEST(TwinProgramReport, ALineCutShortLeavesTheProgramBlockedInItsLastCall) {
  const auto o = parse_real_program_report("server", "call accept()\ncall recv(1024)\n");
  EXPECT_FALSE(o.finished);
  ASSERT_TRUE(o.blocked_in);
  EXPECT_EQ(*o.blocked_in, "recv(1024)");
  const auto e = parse_real_program_report(
      "client",
      "call send()\nend finished=0 sent=27 received=0 errno=ECONNRESET error=line 5: send: ECONNRESET "
      "(Connection reset by peer)\n");
  EXPECT_FALSE(e.blocked_in);
  EXPECT_EQ(e.error_name, "ECONNRESET");
  EXPECT_EQ(e.bytes_sent, 27u);
  EXPECT_EQ(e.error, "line 5: send: ECONNRESET (Connection reset by peer)");
}

TEST(TwinProgramReport, TheErrnoNameIsFoundInASimulatedError) {
  EXPECT_EQ(errno_name_in("line 40: connection reset by peer (ECONNRESET)"), "ECONNRESET");
  EXPECT_EQ(errno_name_in("send: the socket is not connected (ENOTCONN / EPIPE)"), "ENOTCONN");
  EXPECT_EQ(errno_name_in("no errno here, Error"), "");
}

}  // namespace capture_twin_compare_test
}  // namespace wirestep
