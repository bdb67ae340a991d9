// The text ladder `wirestep run` prints: why each segment was sent, payloads as text, and every line within
// the width of the terminal (`--width`), Chinese counted as two columns.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "capture/pcap_export.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/scenario/text_encoding.hpp"
#include "test_support.hpp"
#include "ui/cli/commands.hpp"
#include "ui/cli/display_width.hpp"
#include "ui/cli/ladder_text.hpp"
#include "ui/gui/packet_text.hpp"

namespace wirestep {
namespace ladder_text_test {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string run_lesson(const std::string& lesson, int width, LadderOptions::Events events) {
  RunCommandOptions o;
  o.scenario = testing::source_path("scenarios/" + lesson);
  o.width = width;
  o.ladder.events = events;
  o.ladder.max_lines = 0;
  std::ostringstream out, err;
  run_command(o, out, err);
  return out.str() + err.str();
}

std::vector<std::string> bundled_lessons() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(testing::source_path("scenarios")))
    if (e.path().extension() == ".toml") names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Lines of the ladder (between the header and the summary) that contain `needle`.
std::vector<std::string> ladder_lines_with(const std::string& output, const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& line : lines_of(output)) {
    if (line.rfind("Summary after", 0) == 0) break;
    if (line.find(needle) != std::string::npos) found.push_back(line);
  }
  return found;
}

TEST(DisplayWidth, ChineseCharactersTakeTwoColumns) {
  // A terminal gives CJK ideographs and fullwidth punctuation two cells (UAX #11 "W"/"F"), ASCII one.
  EXPECT_EQ(display_width("seq=1 ack=1"), 11u);
  EXPECT_EQ(display_width("你好"), 4u);
  EXPECT_EQ(display_width("你好，UDP！"), 11u);
  EXPECT_EQ(display_width("\u2026"), 1u);  // the ellipsis is narrow
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("\xFF"), 1u);  // an invalid byte is shown as one replacement character
}

TEST(DisplayWidth, ShorteningNeverCutsANumber) {
  // "seq=12…" would read as sequence number 12: the cut moves back before the number.
  EXPECT_EQ(shorten_to_width("seq=123456 ack=1", 9), "seq=\u2026");
  EXPECT_EQ(shorten_to_width("arrives 1234.567", 14), "arrives\u2026");
  EXPECT_EQ(shorten_to_width("fits", 4), "fits");
  // Chinese is cut between characters, counting two columns each.
  EXPECT_EQ(shorten_to_width("你好，UDP！这是", 7), "你好，\u2026");
}

TEST(DisplayWidth, LongTextsWrapAtWords) {
  const auto lines = wrap_to_width("the quick brown fox jumps over the lazy dog", 16, 2);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "the quick brown");
  EXPECT_EQ(lines[1], "  fox jumps over");
  for (const auto& l : lines) EXPECT_LE(display_width(l), 16u) << l;
  // Chinese has no spaces: it breaks between characters.
  for (const auto& l : wrap_to_width("三次握手：连接是如何建立的（以及为什么需要三次）", 20))
    EXPECT_LE(display_width(l), 20u) << l;
}

TEST(LadderText, EveryLessonFitsTheWidth) {
  // `wirestep run --width N`: no line of the ladder, the events, the summary or the expectations wraps in an
  // N-column terminal, for every bundled lesson.
  for (const auto& lesson : bundled_lessons()) {
    for (const int width : {60, 80, 120}) {
      const std::string out = run_lesson(lesson, width, LadderOptions::Events::All);
      ASSERT_FALSE(out.empty()) << lesson;
      for (const auto& line : lines_of(out))
        EXPECT_LE(display_width(line), static_cast<std::size_t>(width))
            << lesson << " at --width " << width << ":\n"
            << line;
    }
  }
}

TEST(LadderText, WidthZeroKeepsFullLabels) {
  // --width 0 is no limit: the handshake's SYN,ACK keeps its window, as in a wide terminal.
  const std::string out = run_lesson("tcp-handshake.toml", 0, LadderOptions::Events::All);
  EXPECT_EQ(ladder_lines_with(out, "SYN,ACK seq=0 ack=1 win=").size(), 1u) << out;
}

TEST(LessonList, FitsTheWidth) {
  // `wirestep scenarios` listed every lesson on one line of up to 194 columns; titles now wrap at words.
  for (const int width : {60, 80, 120}) {
    std::ostringstream out, err;
    EXPECT_EQ(scenarios_command(testing::source_path("scenarios"), out, err, width), 0) << err.str();
    const auto lines = lines_of(out.str());
    EXPECT_GE(lines.size(), bundled_lessons().size());
    for (const auto& line : lines)
      EXPECT_LE(display_width(line), static_cast<std::size_t>(width)) << "at " << width << ": " << line;
  }
}

TEST(LadderText, FastRetransmitIsMarkedAfterThreeNumberedDuplicateAcks) {
  // RFC 5681 §3.2: the third duplicate ACK triggers the fast retransmit. The ladder numbers the duplicates
  // and marks the retransmission, which otherwise looks like new data.
  const std::string out = run_lesson("tcp-fast-retransmit.toml", 120, LadderOptions::Events::None);
  EXPECT_FALSE(ladder_lines_with(out, "[dup ACK #1]").empty()) << out;
  EXPECT_FALSE(ladder_lines_with(out, "[dup ACK #3]").empty()) << out;
  const auto retx = ladder_lines_with(out, "[fast retx]");
  ASSERT_EQ(retx.size(), 1u) << out;
  const auto lines = lines_of(out);
  const auto third = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
    return l.find("[dup ACK #3]") != std::string::npos;
  });
  const auto fast = std::find(lines.begin(), lines.end(), retx[0]);
  EXPECT_LT(third, fast) << "the fast retransmit comes after the third duplicate ACK";
}

TEST(LadderText, RtoAndPartialAckRetransmissionsAreMarked) {
  // RFC 6298 §5.4: a retransmission after the timer expired; RFC 6582 §3.2 step 3: one after a partial ACK.
  EXPECT_FALSE(
      ladder_lines_with(run_lesson("tcp-data-lost-rto.toml", 120, LadderOptions::Events::None), "[RTO retx]")
          .empty());
  EXPECT_FALSE(ladder_lines_with(run_lesson("tcp-newreno-partial-ack.toml", 120, LadderOptions::Events::None),
                                 "[partial-ACK retx]")
                   .empty());
}

TEST(LadderText, ZeroWindowProbesAreMarked) {
  // RFC 9293 §3.8.6.1: the sender probes a zero window; each probe is marked so it is not read as data.
  const std::string out = run_lesson("tcp-zero-window.toml", 120, LadderOptions::Events::None);
  EXPECT_FALSE(ladder_lines_with(out, "[probe]").empty()) << out;
}

TEST(LadderText, CauseTagsExistInChinese) {
  EXPECT_EQ(cause_tag(Cause::FastRetransmission, 0), "[fast retx]");
  EXPECT_EQ(cause_tag(Cause::DuplicateAck, 2), "[dup ACK #2]");
  EXPECT_EQ(cause_tag(Cause::DuplicateAck, 2, Lang::Zh), "[重复确认 #2]");
  EXPECT_EQ(cause_tag(Cause::RtoRetransmission, 0, Lang::Zh), "[超时重传]");
  EXPECT_EQ(cause_tag(Cause::FirstTransmission, 0), "");
}

TEST(LadderText, GbkDatagramShowsAsChineseText) {
  // The UDP lesson sends "你好，UDP！这是用 GBK 编码的消息。" in GBK (34 bytes); the ladder shows the text,
  // shortened to fit, where it used to show nothing.
  const std::string wide = run_lesson("udp-sendto.toml", 0, LadderOptions::Events::None);
  EXPECT_EQ(ladder_lines_with(wide, "\"你好，UDP！这是用 GBK 编码的消息。\"").size(), 1u) << wide;
  const std::string narrow = run_lesson("udp-sendto.toml", 80, LadderOptions::Events::None);
  EXPECT_EQ(ladder_lines_with(narrow, "\"你好，UDP！").size(), 1u) << narrow;
}

TEST(PacketLabels, InspectorLabelQuotesTheGbkText) {
  // The GUI's inspector and tooltip show the datagram's text after len=; the arrow label stays short.
  auto sc = load_scenario_file(testing::source_path("scenarios/udp-sendto.toml"));
  ASSERT_TRUE(sc) << sc.error().message();
  const RunResult run = run_scenario(*sc);
  ASSERT_GE(run.trace.packet_count(), 1u);
  char buf[160];
  gui::format_packet_label(buf, sizeof buf, run.trace, 0, nullptr);
  EXPECT_STREQ(buf,
               "UDP 2525\u2192"
               "8080 len=34");
  gui::format_packet_label(buf, sizeof buf, run.trace, 0, nullptr, gui::LabelText::WithPayload);
  // Shortened to 20 columns so the inspector's first line keeps its closing quote.
  EXPECT_STREQ(buf,
               "UDP 2525\u2192"
               "8080 len=34 \"你好，UDP！这是用 G\u2026\"");
  // A small buffer shortens the text at a character, never inside a UTF-8 sequence.
  char small[40];
  gui::format_packet_label(small, sizeof small, run.trace, 0, nullptr, gui::LabelText::WithPayload);
  EXPECT_NE(std::string(small).find("\u2026\""), std::string::npos) << small;
  EXPECT_LE(display_width(small), 39u);
}

TEST(PayloadText, DecodesUtf8ThenGbkAndRefusesBinary) {
  const std::vector<std::uint8_t> gbk_hello = {0xC4, 0xE3, 0xBA, 0xC3};  // 你好 in GBK
  EXPECT_EQ(decode_payload_text(gbk_hello).value_or("?"), "你好");
  const std::string utf8 = "你好";
  EXPECT_EQ(decode_payload_text({utf8.begin(), utf8.end()}).value_or("?"), "你好");
  EXPECT_EQ(decode_payload_text({'G', 'E', 'T', '\r', '\n'}).value_or("?"), "GET\r\n");
  EXPECT_FALSE(decode_payload_text({0x00, 0x01, 0x02, 0x03}));
  EXPECT_FALSE(decode_payload_text({0xFF, 0xFF, 0xFF}));
  EXPECT_FALSE(decode_payload_text({}));
}

TEST(LadderText, DuplicateAckNumbersMatchTshark) {
  // Wireshark numbers duplicate ACKs per connection and direction ("Dup ACK 5#2"); ours must agree frame by
  // frame on the loss lesson, where recoveries restart the count. The pcap holds every packet in Trace order.
  auto sc = load_scenario_file(testing::source_path("scenarios/tcp-bulk-loss.toml"));
  ASSERT_TRUE(sc) << sc.error().message();
  const RunResult run = run_scenario(*sc);
  testing::TempDir dir;
  const std::string pcap = dir.file("bulk.pcap");
  ASSERT_TRUE(write_pcap(run.trace, pcap));
  const auto r = testing::run_command_line("tshark -n -r " + pcap +
                                           " -Y tcp.analysis.duplicate_ack_num -T fields -e frame.number -e "
                                           "tcp.analysis.duplicate_ack_num 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << "tshark failed or is missing: " << r.output;
  std::map<std::size_t, unsigned> theirs;
  std::istringstream in(r.output);
  for (std::size_t frame; in >> frame;) in >> theirs[frame];
  std::map<std::size_t, unsigned> ours;
  DupAckCounter counter;
  for (std::size_t i = 0; i < run.trace.packet_count(); ++i)
    if (const unsigned n = counter.next(run.trace, run.trace.packet(i))) ours[i + 1] = n;
  ASSERT_GT(ours.size(), 10u);
  EXPECT_EQ(ours, theirs);
}

}  // namespace ladder_text_test
}  // namespace wirestep
