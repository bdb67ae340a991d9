// A packetdrill script opened as a document (headless): the Trace shows as a ladder of two lanes, the
// packetdrill peer and the simulated host; each packet knows its script line; the cursor's line follows the
// step; a line's time moves the cursor; a failing script opens with its failing line and reason.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/test_support.hpp"

#include "ui/model/document.hpp"
#include "ui/model/open_document.hpp"
#include "ui/model/script_document.hpp"

#ifdef IMGUI_VERSION
#error "a ui/model header includes imgui.h"
#endif

namespace wirestep {
namespace ui_script_document_test {

std::string shared(const std::string& name) {
  return std::string(WIRESTEP_PACKETDRILL_DIR) + "/" + name;
}

TEST(UiScriptDocument, APassingScriptOpensAsALadderOfPeerAndHostWithItsLines) {
  OpenDocument od;
  ASSERT_FALSE(od.open(shared("close/close-on-syn-sent.pkt")));
  const Document& d = od.doc();
  ASSERT_TRUE(d.script);
  ASSERT_EQ(d.traces.size(), 1u);
  const Trace& t = d.traces[0]->trace;
  ASSERT_EQ(t.hosts().size(), 2u);
  EXPECT_EQ(t.hosts()[1].name, "packetdrill");
  EXPECT_EQ(d.script->outcome, packetdrill::Outcome::Pass);
  EXPECT_EQ(d.script->failed_line, 0u);
  EXPECT_FALSE(d.script->lines.empty());
  ASSERT_GT(t.packet_count(), 0u);
  for (std::uint32_t p = 0; p < t.packet_count(); ++p) {
    const std::uint32_t line = d.script->line_of_packet(p);
    ASSERT_GT(line, 0u) << "packet " << p;
    EXPECT_NE(d.script->lines[line - 1].find(t.direction(p) == Direction::AtoB ? ">" : "<"),
              std::string::npos)
        << d.script->lines[line - 1];
  }
}

TEST(UiScriptDocument, TheCursorsLineFollowsTheStepAndALinesTimeMovesTheCursor) {
  OpenDocument od;
  ASSERT_FALSE(od.open(shared("close/close-on-syn-sent.pkt")));
  const ScriptDocument& s = *od.doc().script;
  const Trace& t = od.doc().traces[0]->trace;
  // On a packet's step: that packet's line.
  Cursor c;
  c.time_ns = t.packet_times_ns()[0];
  c.step = TimelineStep{0, StepKind::Send, 0, c.time_ns};
  EXPECT_EQ(s.line_at(c), s.line_of_packet(0));
  // Before anything ran: no line. After everything: the last event's line.
  EXPECT_EQ(s.line_at(Cursor{-1, std::nullopt}), 0u);
  EXPECT_EQ(s.line_at(Cursor{INT64_MAX, std::nullopt}), s.line_times.back().line);
  // A line's time puts the cursor on that line.
  const std::uint32_t line = s.line_of_packet(0);
  const auto when = s.time_of_line(line);
  ASSERT_TRUE(when);
  EXPECT_EQ(*when, t.packet_times_ns()[0]);
  EXPECT_FALSE(s.time_of_line(1));  // a comment line has no time
}

TEST(UiScriptDocument, AFailingScriptOpensWithItsFailingLineAndReason) {
  OpenDocument od;
  // limited-transmit-no-sack.pkt with line 21 expecting no PSH, which the linux profile's burst carries.
  std::ifstream in(shared("limited_transmit/limited-transmit-no-sack.pkt"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = text.find("+0 > P. 1:10001(10000) ack 1");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 7, "+0 > . ");
  const testing::TempDir dir;
  const std::string path = dir.file("limited-transmit-no-sack.pkt");
  std::ofstream(path) << text;
  ASSERT_FALSE(od.open(path));
  const ScriptDocument& s = *od.doc().script;
  EXPECT_EQ(s.outcome, packetdrill::Outcome::Fail);
  EXPECT_EQ(s.failed_line, 21u);
  EXPECT_NE(s.reason.en.find("error handling packet"), std::string::npos) << s.reason.en;
  EXPECT_FALSE(s.reason.zh.empty());
  EXPECT_FALSE(s.expected.empty());
  ASSERT_FALSE(s.failed_packets.empty());
  EXPECT_TRUE(s.is_failed_packet(s.failed_packets[0]));
  EXPECT_EQ(s.line_of_packet(s.failed_packets[0]), 21u);
  EXPECT_NE(od.doc().explanation.find("line 21"), std::string::npos) << od.doc().explanation;
}

TEST(UiScriptDocument, AScriptThatDoesNotParseKeepsTheOpenDocumentAndNamesFileAndLine) {
  OpenDocument od;
  ASSERT_FALSE(od.open(shared("close/close-on-syn-sent.pkt")));
  const std::uint64_t gen = od.doc().generation;
  const testing::TempDir dir;
  const std::string bad = dir.file("bad.pkt");
  std::ofstream(bad) << "0 socket(..., SOCK_STREAM\n+0 > S 0:0(0)\n";
  const auto err = od.open(bad);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("bad.pkt: line 2, column 1"), std::string::npos) << *err;
  EXPECT_EQ(od.doc().generation, gen);
  EXPECT_TRUE(od.doc().script);
}

}  // namespace ui_script_document_test
}  // namespace wirestep
