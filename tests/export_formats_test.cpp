// The exports a teacher or engineer takes away: the SVG ladder (valid XML, marks losses, renders) and
// pcapng with ground-truth comments that Wireshark shows as frame comments.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

#include "test_support.hpp"

namespace wirestep {
namespace export_formats_test {

using testing::run_command_line;

TEST(SvgExport, LadderIsValidXmlWithHostsArrowsLossesAndLegend) {
  testing::TempDir dir;
  const std::string svg = dir.file("loss.svg");
  ASSERT_EQ(run_command_line(testing::wirestep_binary() + " run " +
                             testing::source_path("scenarios/udp-loss.toml") + " --quiet --svg " + svg)
                .exit_code,
            0);
  // xmllint (libxml2-utils, installed by scripts/test.sh) is the outside judge of well-formedness.
  auto lint = run_command_line("xmllint --noout " + svg);
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
  const std::string text = testing::read_text(svg);
  EXPECT_NE(text.find(">A</text>"), std::string::npos);
  EXPECT_NE(text.find(">10.0.0.2</text>"), std::string::npos);
  // 100 datagrams: 100 arrows (each has a tooltip), and one red cross per lost datagram (11 with seed 7).
  std::size_t arrows = 0, crosses = 0;
  for (std::size_t at = 0; (at = text.find("<title>", at)) != std::string::npos; ++at) ++arrows;
  for (std::size_t at = 0; (at = text.find("class=\"lost\"", at)) != std::string::npos; ++at) ++crosses;
  EXPECT_EQ(arrows, 100u);
  EXPECT_EQ(crosses, 11u);
  EXPECT_NE(text.find("lost on the link (X)"), std::string::npos);
}

TEST(SvgExport, RsvgRendersTheHandshakeLadderToPng) {
  testing::TempDir dir;
  const std::string svg = dir.file("h.svg"), png = dir.file("h.png");
  ASSERT_EQ(run_command_line(testing::wirestep_binary() + " run " +
                             testing::source_path("scenarios/tcp-handshake.toml") + " --quiet --svg " + svg)
                .exit_code,
            0);
  auto r = run_command_line("rsvg-convert " + svg + " -o " + png);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto bytes = testing::read_bytes(png);
  ASSERT_GT(bytes.size(), 24u);
  EXPECT_EQ(bytes[1], 'P');  // PNG signature
  const std::uint32_t width = (bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19];
  EXPECT_EQ(width, 1000u);
}

TEST(PcapngExport, TsharkReadsEveryGroundTruthCommentBack) {
  testing::TempDir dir;
  const std::string pcapng = dir.file("bulk.pcapng"), json = dir.file("bulk.json");
  ASSERT_EQ(run_command_line(testing::wirestep_binary() + " run " +
                             testing::source_path("scenarios/tcp-bulk-loss.toml") + " --quiet --pcapng " +
                             pcapng + " --json " + json)
                .exit_code,
            0);
  // The ground truth to find in the comments: the run's own counts.
  const auto j = nlohmann::json::parse(testing::read_text(json));
  const auto& tcp = j["summary"]["tcp"];
  const std::size_t packets = tcp["packets"].get<std::size_t>();
  const long fast_count = tcp["by_cause"].value("fast-retransmission", 0L);
  const long lost_count = tcp["dropped_by_link"].get<long>();
  ASSERT_GT(fast_count, 0);
  ASSERT_GT(lost_count, 0);
  auto all = run_command_line("tshark -n -r " + pcapng + " -T fields -e frame.comment 2>/dev/null");
  ASSERT_EQ(all.exit_code, 0) << "tshark missing or failed";
  std::size_t lines = 0, with_comment = 0;
  std::istringstream in(all.output);
  for (std::string line; std::getline(in, line);) {
    ++lines;
    with_comment += line.rfind("wirestep: ", 0) == 0;
  }
  EXPECT_EQ(lines, packets);
  EXPECT_EQ(with_comment, lines);
  auto fast = run_command_line(
      "tshark -n -r " + pcapng +
      " -Y 'frame.comment contains \"fast retransmission of seq\"' -T fields -e frame.number "
      "2>/dev/null");
  EXPECT_EQ(std::count(fast.output.begin(), fast.output.end(), '\n'), fast_count);
  auto lost = run_command_line("tshark -n -r " + pcapng +
                               " -Y 'frame.comment contains \"dropped by link A>B rule 1\"' 2>/dev/null");
  EXPECT_EQ(std::count(lost.output.begin(), lost.output.end(), '\n'), lost_count);
}

TEST(PcapngExport, NoMalformedPacketsOrBadChecksums) {
  testing::TempDir dir;
  const std::string pcapng = dir.file("h.pcapng");
  ASSERT_EQ(
      run_command_line(testing::wirestep_binary() + " run " +
                       testing::source_path("scenarios/tcp-handshake.toml") + " --quiet --pcapng " + pcapng)
          .exit_code,
      0);
  auto bad = run_command_line("tshark -n -r " + pcapng +
                              " -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -Y '_ws.malformed || "
                              "tcp.checksum.status == 0 || ip.checksum.status == 0' 2>/dev/null");
  EXPECT_EQ(bad.exit_code, 0);
  EXPECT_EQ(bad.output, "");
}

}  // namespace export_formats_test
}  // namespace wirestep
