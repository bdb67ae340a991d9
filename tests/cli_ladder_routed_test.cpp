// The text ladder of a routed network (issue #18), as `wirestep run` prints it in an 80-column terminal: one
// lane per node in the order the hops walk, one arrow per hop, ARP and ICMP worded like tshark (in Chinese
// too), names and addresses never written over each other, and no line wider than the terminal.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "ui/cli/display_width.hpp"
#include "ui/cli/ladder_svg.hpp"
#include "ui/cli/ladder_text.hpp"

namespace wirestep {
namespace cli_ladder_routed_test {

Trace lesson(const std::string& name) {
  auto sc = load_scenario_file(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/" + name);
  EXPECT_TRUE(sc) << name;
  return sc ? run_scenario(*sc).trace : Trace{};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string ladder(const Trace& t, Lang lang = Lang::En, int width = 80) {
  LadderOptions o;
  o.width = width;
  o.lang = lang;
  o.events = LadderOptions::Events::None;
  return render_ladder(t, o);
}

// The notes after the lanes, joined into one line: a note the width wrapped reads whole again.
std::string notes(const std::string& text) {
  std::string out;
  for (const auto& l : lines_of(text)) {
    const std::size_t lanes_end = l.rfind('|');
    if (lanes_end == std::string::npos) continue;
    const std::size_t from = l.find_first_not_of(' ', lanes_end + 1);
    if (from != std::string::npos) out += l.substr(from) + " ";
  }
  return out;
}

// The first line that contains `what`.
std::string line_with(const std::vector<std::string>& lines, const std::string& what) {
  for (const auto& l : lines)
    if (l.find(what) != std::string::npos) return l;
  return {};
}

TEST(CliLadderRouted, HeaderNamesEveryNodeInHopOrderAndNoAddressForTheSwitch) {
  const auto lines = lines_of(ladder(lesson("net-router-subnets.toml")));
  ASSERT_GE(lines.size(), 4u);
  // Lanes: A, S, B, R, C (a walk along the links from A), names whole.
  const std::string& names = lines[0];
  const auto pos = [&](const char* n) { return names.find(std::string(" ") + n); };
  EXPECT_LT(pos("A"), pos("S"));
  EXPECT_LT(pos("S"), pos("B"));
  EXPECT_LT(pos("B"), pos("R"));
  EXPECT_LT(pos("R"), pos("C"));
  // Every address whole on one of the two address lines, and none for the switch.
  const std::string addrs = lines[1] + "\n" + lines[2];
  for (const char* a : {"10.0.0.1", "10.0.0.2", "10.1.0.2", "10.0.0.254"})
    EXPECT_NE(addrs.find(a), std::string::npos) << a << "\n" << addrs;
  EXPECT_EQ(addrs.find("0.0.0.0"), std::string::npos) << addrs;
}

TEST(CliLadderRouted, DatagramToCIsThreeArrowsOnePerHop) {
  const auto lines = lines_of(ladder(lesson("net-router-subnets.toml")));
  // The datagram for C: A -> S, then S -> R, then R -> C, each a row with its own arrow.
  std::vector<std::string> rows;
  for (const auto& l : lines)
    if (l.find("-> 8080 len=25") != std::string::npos) rows.push_back(l);
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& r : rows) EXPECT_NE(r.find_first_of("<>"), std::string::npos) << r;
  // Each arrow spans one gap between neighbouring lanes, so it is short: "|----->|".
  for (const auto& r : rows) {
    const std::size_t a = r.find('-'), b = r.rfind('-', r.rfind('|', r.find("len=25")));
    ASSERT_NE(a, std::string::npos) << r;
    EXPECT_LT(b - a, 20u) << r;
  }
}

TEST(CliLadderRouted, ArpLabelsReadLikeTsharkAndFitTheTerminal) {
  const std::string text = ladder(lesson("net-router-subnets.toml"));
  const auto lines = lines_of(text);
  EXPECT_NE(line_with(lines, "ARP who-has 10.0.0.2 tell 10.0.0.1"), "") << text;
  EXPECT_NE(line_with(lines, "ARP 10.0.0.2 is-at 02:00:00:00:00:01"), "") << text;
  EXPECT_EQ(text.find(" IP "), std::string::npos) << "no ARP arrow is called IP\n" << text;
  for (const auto& l : lines) EXPECT_LE(display_width(l), 80u) << l;
}

TEST(CliLadderRouted, ChineseLabelsKeepTheLanesInPlace) {
  const Trace t = lesson("net-router-subnets.toml");
  const auto en = lines_of(ladder(t, Lang::En)), zh = lines_of(ladder(t, Lang::Zh));
  const std::string row = line_with(zh, "谁是 10.0.0.2");
  ASSERT_NE(row, "") << "the Chinese ARP label is shown";
  for (const auto& l : zh) EXPECT_LE(display_width(l), 80u) << l;
  // The lanes of a row with a Chinese label stand where the English row's do.
  const std::string en_row = line_with(en, "who-has 10.0.0.2");
  const auto lanes = [](const std::string& s) { return s.substr(0, s.find("   ", 12)); };
  EXPECT_EQ(lanes(row), lanes(en_row));
}

TEST(CliLadderRouted, IcmpErrorsAreNamedOnTheTwoLaneLessons) {
  // Too wide for the arrow in 80 columns: the label is in the note, wrapped at a word like any long note.
  const std::string unreachable = ladder(lesson("net-udp-port-unreachable.toml"));
  EXPECT_NE(notes(unreachable).find("Destination unreachable (Port unreachable) arrives"), std::string::npos)
      << unreachable;
  const std::string zh = ladder(lesson("net-udp-port-unreachable.toml"), Lang::Zh);
  EXPECT_NE(zh.find("目的不可达（端口不可达）"), std::string::npos) << zh;
  // On the arrow, the Chinese label takes two columns a character: the lane after it stays where it was.
  const auto zh_lines = lines_of(zh);
  const std::string zh_row = line_with(zh_lines, "目的不可达");
  const std::string udp_row = line_with(zh_lines, "UDP ");
  EXPECT_EQ(display_width(zh_row.substr(0, zh_row.rfind('|') + 1)),
            display_width(udp_row.substr(0, udp_row.rfind('|') + 1)))
      << zh_row << "\n"
      << udp_row;
  const std::string traceroute = ladder(lesson("net-traceroute.toml"));
  EXPECT_NE(notes(traceroute).find("Time-to-live exceeded (Time to live exceeded in transit)"),
            std::string::npos)
      << traceroute;
}

TEST(CliLadderRouted, DirectTwoHostRunKeepsItsLabelsOnTheArrows) {
  // A run without routers is drawn as before: the label on the arrow, not in the note.
  const auto lines = lines_of(ladder(lesson("tcp-handshake.toml")));
  const std::string syn = line_with(lines, "SYN seq=0");
  ASSERT_NE(syn, "");
  EXPECT_LT(syn.find("SYN seq=0"), syn.find_last_of('|')) << syn;
}

TEST(CliLadderRouted, SvgDrawsOneArrowPerHopWithTsharkLabels) {
  const Trace t = lesson("net-router-subnets.toml");
  const std::string svg = render_ladder_svg(t, "t");
  // One <line> with a marker or dash per packet row: every hop is drawn.
  std::size_t arrows = 0;
  for (std::size_t at = svg.find("stroke-width=\"2\""); at != std::string::npos;
       at = svg.find("stroke-width=\"2\"", at + 1))
    ++arrows;
  EXPECT_EQ(arrows, t.packet_count());
  EXPECT_NE(svg.find(">ARP who-has 10.0.0.254 tell 10.0.0.1</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">0.0.0.0</text>"), std::string::npos) << "the switch has no address";
  SvgOptions zh;
  zh.lang = Lang::Zh;
  EXPECT_NE(render_ladder_svg(t, "t", zh).find(">ARP 谁是 10.0.0.254？请告诉 10.0.0.1</text>"),
            std::string::npos);
}

}  // namespace cli_ladder_routed_test
}  // namespace wirestep
