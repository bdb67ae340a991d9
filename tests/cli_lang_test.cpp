// The command line in English and 简体中文 (issue #20): every message has both texts, `--lang` and the
// environment choose, and the Chinese output of every command shows Chinese where a translation exists.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "capture/pcap_export.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "tests/test_support.hpp"
#include "ui/cli/analyze_command.hpp"
#include "ui/cli/cli_lang.hpp"
#include "ui/cli/cli_text.hpp"
#include "ui/cli/commands.hpp"
#include "ui/cli/display_width.hpp"
#include "ui/cli/follow_command.hpp"
#include "ui/cli/follow_format.hpp"

namespace wirestep {
namespace cli_lang_test {

using testing::run_command_line;

// The suites and the binaries they start expect the default English output even on a machine whose locale
// is Chinese; the tests below that want Chinese ask for it.
const bool kEnglishByDefault = [] { return setenv("WIRESTEP_LANG", "en", 1) == 0; }();

const std::string kBinary = WIRESTEP_BINARY;
const std::string kScenarios = std::string(WIRESTEP_SOURCE_DIR) + "/scenarios";

std::set<std::string> placeholders(std::string_view s) {
  std::set<std::string> out;
  for (std::size_t i = 0; i + 2 < s.size(); ++i)
    if (s[i] == '{' && s[i + 1] >= '0' && s[i + 1] <= '9' && s[i + 2] == '}')
      out.insert(std::string(s.substr(i, 3)));
  return out;
}

bool has_non_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  return false;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The English catalog's fixed words, cut at the placeholders: the pieces of two words or more (one word
// such as "delivered" may also be a host's or a program's name in a lesson).
std::vector<std::string> english_phrases() {
  std::vector<std::string> out;
  for (const MessageText& m : message_catalog()) {
    std::string piece;
    auto flush = [&] {
      const auto begin = piece.find_first_not_of(" .,;:()[]");
      const auto end = piece.find_last_not_of(" .,;:()[]");
      if (begin != std::string::npos) {
        const std::string core = piece.substr(begin, end - begin + 1);
        if (core.find(' ') != std::string::npos && !has_non_ascii(core) &&
            core.find("--") == std::string::npos)
          out.push_back(core);
      }
      piece.clear();
    };
    for (std::size_t i = 0; i < m.en.size(); ++i) {
      if (m.en[i] == '{' && i + 2 < m.en.size() && m.en[i + 2] == '}') {
        flush();
        i += 2;
      } else {
        piece += m.en[i];
      }
    }
    flush();
  }
  return out;
}

// Goal: a missing key or a translation that lost a placeholder fails here, not in front of a learner.
TEST(CliText, EveryMessageHasEnglishAndChineseWithTheSamePlaceholders) {
  const auto catalog = message_catalog();
  ASSERT_EQ(catalog.size(), static_cast<std::size_t>(Msg::Count));
  for (std::size_t i = 0; i < catalog.size(); ++i) {
    const MessageText& m = catalog[i];
    SCOPED_TRACE("message " + std::to_string(i) + ": " + std::string(m.en));
    EXPECT_EQ(static_cast<std::size_t>(m.id), i) << "the table is out of the enum's order";
    EXPECT_FALSE(m.en.empty());
    EXPECT_FALSE(m.zh.empty());
    EXPECT_TRUE(has_non_ascii(m.zh)) << "the Chinese text is still English: " << m.zh;
    EXPECT_EQ(placeholders(m.en), placeholders(m.zh));
  }
}

// Goal: placeholders are numbered, so a translation may put them in another order.
TEST(CliText, PlaceholdersAreFilledByNumberAndNumbersStayAscii) {
  EXPECT_EQ(cli_text(Lang::En, Msg::SentBytes, 1460), "sent 1460 bytes");
  EXPECT_EQ(cli_text(Lang::Zh, Msg::SentBytes, 1460), "发送了 1460 字节");
  EXPECT_EQ(cli_text(Lang::Zh, Msg::OtherFlows, 12, 3), "其他：3 个流中的 12 帧（既非 TCP 也非 UDP）");
  EXPECT_EQ(format_message("{0} and {2}", {"a"}), "a and {2}");
  EXPECT_EQ(translate_label(Lang::Zh, "messages lost"), "丢失的消息");
  EXPECT_EQ(translate_label(Lang::Zh, "not in the catalog"), "not in the catalog");
}

// Goal: the environment decides as gettext-based tools do; WIRESTEP_LANG overrides the locale.
TEST(CliLang, EnvironmentPicksTheLanguageLikeRealTools) {
  EXPECT_EQ(lang_from_environment(nullptr, nullptr, nullptr, nullptr), Lang::En);
  EXPECT_EQ(lang_from_environment(nullptr, nullptr, nullptr, "zh_CN.UTF-8"), Lang::Zh);
  EXPECT_EQ(lang_from_environment(nullptr, nullptr, nullptr, "en_US.UTF-8"), Lang::En);
  EXPECT_EQ(lang_from_environment(nullptr, "C", nullptr, "zh_CN.UTF-8"), Lang::En);  // LC_ALL wins
  EXPECT_EQ(lang_from_environment(nullptr, "", "zh_TW.UTF-8", "en_US.UTF-8"), Lang::Zh);
  EXPECT_EQ(lang_from_environment("en", nullptr, nullptr, "zh_CN.UTF-8"), Lang::En);
  EXPECT_EQ(lang_from_environment("zh", nullptr, nullptr, "C.UTF-8"), Lang::Zh);
  EXPECT_EQ(lang_from_environment("fr", nullptr, nullptr, "zh_CN.UTF-8"), Lang::Zh);  // unknown: ignored
  EXPECT_EQ(parse_lang("zh"), Lang::Zh);
  EXPECT_FALSE(parse_lang("zh_CN").has_value());
}

// Goal: a wrong --lang is a usage error (exit 2) that names the value, on every subcommand.
TEST(CliLang, UnknownLanguageIsAUsageErrorNamingIt) {
  const std::vector<std::string> commands = {"--lang xx scenarios", "scenarios --lang xx",
                                             "run " + kScenarios + "/tcp-handshake.toml --lang xx"};
  for (const std::string& args : commands) {
    const auto r = run_command_line(kBinary + " " + args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_NE(r.output.find("xx"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("en or zh"), std::string::npos) << r.output;
  }
}

// Goal: LANG=zh_CN.UTF-8 alone gives Chinese; --lang en overrides it.
TEST(CliLang, ChineseLocalePicksChineseAndLangOptionOverridesIt) {
  const std::string env = "env -u WIRESTEP_LANG -u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8 ";
  const auto zh = run_command_line(env + kBinary + " run " + kScenarios + "/tcp-handshake.toml --quiet");
  EXPECT_EQ(zh.exit_code, 0) << zh.output;
  EXPECT_NE(zh.output.find("汇总：模拟了"), std::string::npos) << zh.output;
  EXPECT_NE(zh.output.find("种子 "), std::string::npos) << zh.output;
  const auto en =
      run_command_line(env + kBinary + " run " + kScenarios + "/tcp-handshake.toml --quiet --lang en");
  EXPECT_EQ(en.exit_code, 0) << en.output;
  EXPECT_NE(en.output.find("Summary after"), std::string::npos) << en.output;
  EXPECT_FALSE(has_non_ascii(en.output.substr(en.output.find("Summary after")))) << en.output;
}

// Goal: every bundled lesson run in Chinese shows none of the English catalog's phrases, fits --width, and
// exits as it does in English. The expectation lines carry the lesson's own English text and are skipped.
TEST(CliLang, EveryLessonInChineseHasNoEnglishPhrasesAndTheSameExitStatus) {
  const auto phrases = english_phrases();
  ASSERT_GT(phrases.size(), 50u);
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(kScenarios))
    if (e.path().extension() == ".toml") files.push_back(e.path());
  ASSERT_GT(files.size(), 20u);
  const std::string pass = "  " + cli_text(Lang::Zh, Msg::Pass), fail = "  " + cli_text(Lang::Zh, Msg::Fail);
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    RunCommandOptions o;
    o.scenario = file.string();
    o.width = 80;
    o.ladder.events = LadderOptions::Events::All;
    std::ostringstream en_out, en_err, zh_out, zh_err;
    const int en_status = run_command(o, en_out, en_err);
    o.lang = Lang::Zh;
    const int zh_status = run_command(o, zh_out, zh_err);
    EXPECT_EQ(zh_status, en_status);
    // The check bites: the English run of the same lesson shows the phrases it looks for.
    EXPECT_TRUE(std::any_of(phrases.begin(), phrases.end(),
                            [&](const std::string& p) { return en_out.str().find(p) != std::string::npos; }));
    EXPECT_NE(zh_out.str().find("汇总"), std::string::npos);
    for (const std::string& line : lines_of(zh_out.str())) {
      EXPECT_LE(display_width(line), 80u) << line;
      if (line.starts_with(pass) || line.starts_with(fail) || line.starts_with("    ")) continue;
      for (const std::string& phrase : phrases)
        EXPECT_EQ(line.find(phrase), std::string::npos) << "English \"" << phrase << "\" in: " << line;
    }
  }
}

// Goal: a narrow terminal in Chinese: wide characters count two columns, so no line passes --width.
TEST(CliLang, ChineseLadderKeepsNarrowWidth) {
  for (int width : {60, 72}) {
    RunCommandOptions o;
    o.scenario = kScenarios + "/tcp-handshake.toml";
    o.width = width;
    o.lang = Lang::Zh;
    o.ladder.events = LadderOptions::Events::All;
    std::ostringstream out, err;
    EXPECT_EQ(run_command(o, out, err), 0) << err.str();
    EXPECT_NE(out.str().find("时间 (ms)"), std::string::npos) << out.str();
    for (const std::string& line : lines_of(out.str()))
      EXPECT_LE(display_width(line), static_cast<std::size_t>(width)) << line;
  }
}

// Goal: Chinese wraps between characters, but never puts closing punctuation at the start of a line or an
// opening parenthesis at the end of one (the line-breaking rules of Chinese typography).
TEST(CliLang, ChineseWrapKeepsPunctuationWithItsWord) {
  const std::string text = "TCP 与 UDP 同一传输、1% 丢包：偶尔出现的空洞（重传定时器）。收到 FIN，对端已关闭";
  for (std::size_t columns = 6; columns <= 30; ++columns) {
    const auto lines = wrap_to_width(text, columns);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      SCOPED_TRACE(std::to_string(columns) + " columns, line " + std::to_string(i) + ": " + lines[i]);
      EXPECT_LE(display_width(lines[i]), columns);
      for (const char* closing : {"、", "：", "）", "。", "，"}) EXPECT_FALSE(lines[i].starts_with(closing));
      EXPECT_FALSE(lines[i].ends_with("（"));
    }
  }
}

// Goal: the lesson list in Chinese shows the Chinese titles, one a line, the titles in one column.
TEST(CliLang, ScenariosInChineseShowChineseTitles) {
  auto sc = load_scenario_file(kScenarios + "/tcp-handshake.toml");
  ASSERT_TRUE(sc) << sc.error().message();
  ASSERT_FALSE(sc->title_zh.empty());
  std::ostringstream zh, en, err;
  EXPECT_EQ(scenarios_command(kScenarios, zh, err, 0, Lang::Zh), 0) << err.str();
  EXPECT_EQ(scenarios_command(kScenarios, en, err, 0, Lang::En), 0) << err.str();
  EXPECT_NE(zh.str().find(sc->title_zh), std::string::npos);
  EXPECT_EQ(zh.str().find(sc->title), std::string::npos) << zh.str();
  EXPECT_NE(en.str().find(sc->title), std::string::npos);
}

// Goal: `analyze` in Chinese: headings in Chinese, aligned over their numbers by display width.
TEST(CliLang, AnalyzeInChineseShowsChineseHeadingsOverTheirColumns) {
  testing::TempDir dir;
  auto sc = load_scenario_file(kScenarios + "/tcp-handshake.toml");
  ASSERT_TRUE(sc) << sc.error().message();
  const auto run = run_scenario(*sc);
  ASSERT_TRUE(write_pcap(run.trace, dir.file("h.pcap")));
  AnalyzeOptions a;
  a.file = dir.file("h.pcap");
  a.lang = Lang::Zh;
  std::ostringstream out, err;
  ASSERT_EQ(analyze_command(a, out, err), 0) << err.str();
  const auto lines = lines_of(out.str());
  std::size_t header = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i].starts_with("流 ")) header = i;
  ASSERT_LT(header + 1, lines.size()) << out.str();
  EXPECT_NE(out.str().find("TCP 流（"), std::string::npos) << out.str();
  // The bytes column ends at column 8 + 24 + 24 + 7 + 11 = 74 in the heading and in the row under it.
  const std::string head = first_columns(lines[header], 74), row = first_columns(lines[header + 1], 74);
  EXPECT_TRUE(head.ends_with("字节")) << lines[header];
  EXPECT_TRUE(row.back() >= '0' && row.back() <= '9') << lines[header + 1];
  EXPECT_TRUE(first_columns(lines[header], 63).ends_with("包数")) << lines[header];
  AnalyzeOptions en = a;
  en.lang = Lang::En;
  std::ostringstream en_out;
  ASSERT_EQ(analyze_command(en, en_out, err), 0);
  EXPECT_NE(en_out.str().find("TCP streams"), std::string::npos);
}

// Goal: `follow` in Chinese names both ends and the gaps in Chinese; English keeps tshark's wording.
TEST(CliLang, FollowInChineseShowsChineseHeaderAndGaps) {
  FollowStream s;
  s.proto = Transport::Tcp;
  s.stream = 3;
  FollowChunk gap;
  gap.missing = 1460;
  s.chunks.push_back(gap);
  const std::string zh = render_follow(s, FollowFormat::Text, FollowEncoding::Utf8, Lang::Zh);
  EXPECT_NE(zh.find("跟踪流：tcp,text,utf-8\n"), std::string::npos) << zh;
  EXPECT_NE(zh.find("过滤器：tcp.stream eq 3\n"), std::string::npos) << zh;
  EXPECT_NE(zh.find("节点 0："), std::string::npos) << zh;
  EXPECT_NE(zh.find("[缺少 1460 字节]"), std::string::npos) << zh;
  const std::string en = render_follow(s, FollowFormat::Text, FollowEncoding::Utf8);
  EXPECT_NE(en.find("Follow: tcp,text,utf-8\nFilter: tcp.stream eq 3\nNode 0: "), std::string::npos) << en;
  EXPECT_NE(en.find("[1460 bytes missing]"), std::string::npos) << en;

  // The command's own messages too: a stream that does not exist.
  FollowCommandOptions o;
  o.file = kScenarios + "/tcp-handshake.toml";
  o.stream = 9;
  o.lang = Lang::Zh;
  std::ostringstream out, err;
  EXPECT_EQ(follow_command(o, out, err), 2);
  EXPECT_NE(err.str().find("没有 tcp.stream 9"), std::string::npos) << err.str();
}

}  // namespace cli_lang_test
}  // namespace wirestep
