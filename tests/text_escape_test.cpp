// escape_control_chars: the one escaping the CLI's received text and the inspector's payload text share.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "sim/scenario/text_encoding.hpp"
#include "test_support.hpp"
#include "ui/cli/commands.hpp"

namespace wirestep {
namespace text_escape_test {

TEST(TextEscape, LineBreaksAndTabAreNamed) {
  // CR, LF and tab are the control characters a learner sees in protocols (HTTP, SMTP): by their C names.
  EXPECT_EQ(escape_control_chars("GET / HTTP/1.0\r\n\r\n"), "GET / HTTP/1.0\\r\\n\\r\\n");
  EXPECT_EQ(escape_control_chars("a\tb"), "a\\tb");
}

TEST(TextEscape, OtherControlCharactersBecomeHex) {
  // ESC, BEL, NUL and the last C0 code: none reaches a terminal raw.
  EXPECT_EQ(escape_control_chars("\x1b[2J"), "\\x1b[2J");
  EXPECT_EQ(escape_control_chars(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(escape_control_chars("\a\x1f"), "\\x07\\x1f");
}

TEST(TextEscape, QuotesBackslashAndDelAreKept) {
  // Only control characters are escaped: a quote or a backslash in the text prints as itself.
  EXPECT_EQ(escape_control_chars("say \"hi\" \\ ok"), "say \"hi\" \\ ok");
  EXPECT_EQ(escape_control_chars("\x7f"), "\x7f");
  EXPECT_EQ(escape_control_chars(" ~"), " ~");
}

TEST(TextEscape, Utf8MultibyteIsKept) {
  // Bytes at or above 0x80 are never control characters here, so multibyte UTF-8 passes through whole.
  EXPECT_EQ(escape_control_chars("你好\n"), "你好\\n");
  EXPECT_EQ(escape_control_chars("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");  // U+1F600, four bytes
}

TEST(TextEscape, InvalidBytesAreKeptAsTheyAre) {
  // Callers pass decoded text; a stray byte that is not valid UTF-8 is still not a control character.
  EXPECT_EQ(escape_control_chars("\xFF\xC3"), "\xFF\xC3");
  EXPECT_EQ(escape_control_chars(""), "");
}

TEST(TextEscape, CliShowsReceivedTextEscaped) {
  // `wirestep run` prints what a program received: line breaks by name, an escape sequence as hex. The
  // handshake lesson, its request replaced by a text that would turn a terminal red.
  std::ifstream in(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/tcp-handshake.toml");
  std::stringstream lesson;
  lesson << in.rdbuf();
  std::string toml = lesson.str();
  const std::string request = R"(text = "GET / HTTP/1.0\r\n\r\n")";
  ASSERT_NE(toml.find(request), std::string::npos) << "the lesson's request changed";
  toml.replace(toml.find(request), request.size(), R"(text = "\u001b[31mred\r\n")");
  testing::TempDir dir;
  const std::string path = dir.file("escape.toml");
  std::ofstream(path) << toml;
  RunCommandOptions options;
  options.scenario = path;
  options.quiet = true;
  std::ostringstream out, err;
  run_command(options, out, err);
  EXPECT_NE(out.str().find(R"(received 10 bytes "\x1b[31mred\r\n")"), std::string::npos)
      << out.str() << err.str();
}

}  // namespace text_escape_test
}  // namespace wirestep
