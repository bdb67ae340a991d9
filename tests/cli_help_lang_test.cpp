// Issue #20 for the command line's own words: CLI11's --help in 简体中文 (every option's description, the
// section labels), the SVG ladder's titles and legend, the --seed message, a failed call's errno explanation
// in a lesson's Chinese expectations, and "1 bit" where a /31 or /1 has one.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/test_support.hpp"
#include "ui/cli/cli_help.hpp"
#include "ui/cli/cli_lang.hpp"
#include "ui/cli/display_width.hpp"
#include "ui/cli/hosts_command.hpp"

namespace wirestep {
namespace cli_help_lang_test {

using testing::run_command_line;

const std::string kBinary = WIRESTEP_BINARY;
const std::string kScenarios = std::string(WIRESTEP_SOURCE_DIR) + "/scenarios";
// The binaries started here decide their language from --lang or from this environment, never from the
// machine's locale.
const std::string kEnv = "env -u WIRESTEP_LANG -u LC_ALL -u LC_MESSAGES -u LANG ";

// Every subcommand, and "" for wirestep itself.
const std::vector<std::string> kSubcommands = {"",     "run",        "scenarios", "analyze",     "capture",
                                               "live", "interfaces", "follow",    "packetdrill", "hosts",
                                               "gui",  "shot",       "twin"};

bool has_cjk(std::string_view s) {
  // U+4E00..U+9FFF in UTF-8 start with 0xE4..0xE9.
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0xE4 && b <= 0xE9) return true;
  }
  return false;
}

// The descriptions in CLI11's help: the first line (the command's own description), and the text in the
// description column (from column 30) of every option and subcommand line: after a name padded with spaces
// (names never hold two spaces in a row) or on a line of its own under a name too long for the column.
std::vector<std::string> descriptions_in(const std::string& help) {
  std::vector<std::string> out;
  std::istringstream in(help);
  bool first = true;
  for (std::string line; std::getline(in, line); first = false) {
    if (first) {
      out.push_back(line);
      continue;
    }
    if (line.size() > 30 && line.starts_with("  ") && line[28] == ' ' && line[29] == ' ' && line[30] != ' ')
      out.push_back(line.substr(30));
  }
  return out;
}

std::string help_of(const std::string& sub, const std::string& lang) {
  const auto r = run_command_line(kEnv + kBinary + (sub.empty() ? "" : " " + sub) + " --help --lang " + lang);
  EXPECT_EQ(r.exit_code, 0) << sub << "\n" << r.output;
  return r.output;
}

TEST(CliHelpLang, EverySubcommandsHelpInChineseHasNoUntranslatedDescription) {
  for (const std::string& sub : kSubcommands) {
    SCOPED_TRACE("wirestep " + sub + " --help");
    const std::string en = help_of(sub, "en");
    const std::string zh = help_of(sub, "zh");
    const auto english = descriptions_in(en);
    ASSERT_GE(english.size(), 2u) << en;  // the command's description and at least --help
    for (const std::string& d : english) {
      EXPECT_TRUE(help_text_zh(d).has_value())
          << "no Chinese in the catalog (ui/cli/cli_help.cpp) for: " << d;
      EXPECT_EQ(zh.find(d), std::string::npos) << "untranslated: " << d << "\n" << zh;
    }
    EXPECT_TRUE(has_cjk(zh)) << zh;
    EXPECT_NE(zh.find("用法:"), std::string::npos) << zh;
    EXPECT_NE(zh.find("选项:"), std::string::npos) << zh;
    EXPECT_EQ(zh.find("Options:"), std::string::npos) << zh;
    EXPECT_EQ(zh.find("Usage:"), std::string::npos) << zh;
    // English stays English.
    EXPECT_NE(en.find("Options:"), std::string::npos) << en;
    EXPECT_FALSE(has_cjk(en)) << en;
  }
}

TEST(CliHelpLang, MainHelpListsSubcommandsUnderAChineseHeading) {
  const std::string zh = help_of("", "zh");
  EXPECT_NE(zh.find("子命令:"), std::string::npos) << zh;
  EXPECT_NE(zh.find("[选项] [子命令]"), std::string::npos) << zh;
  EXPECT_NE(zh.find("无界面运行场景"), std::string::npos) << zh;
}

// A Chinese locale alone is enough, and --lang wins over it, before CLI11 has parsed anything.
TEST(CliHelpLang, ChineseLocaleGivesChineseRunHelpAndLangEnOverridesIt) {
  const auto zh = run_command_line(kEnv + "LANG=zh_CN.UTF-8 " + kBinary + " run --help");
  EXPECT_EQ(zh.exit_code, 0) << zh.output;
  EXPECT_NE(zh.output.find("位置参数:"), std::string::npos) << zh.output;
  EXPECT_NE(zh.output.find("场景文件 (.toml)"), std::string::npos) << zh.output;
  // The description column stays aligned after a Chinese label: "必需" is 6 bytes but 4 columns.
  const auto required = zh.output.find("必需");
  ASSERT_NE(required, std::string::npos) << zh.output;
  const auto line_start = zh.output.rfind('\n', required) + 1;
  const auto desc = zh.output.find("场景文件 (.toml)", line_start);
  ASSERT_NE(desc, std::string::npos) << zh.output;
  EXPECT_EQ(display_width(zh.output.substr(line_start, desc - line_start)), 30u) << zh.output;
  const auto en = run_command_line(kEnv + "LANG=zh_CN.UTF-8 " + kBinary + " run --help --lang=en");
  EXPECT_EQ(en.exit_code, 0) << en.output;
  EXPECT_NE(en.output.find("scenario file (.toml)"), std::string::npos) << en.output;
  EXPECT_FALSE(has_cjk(en.output)) << en.output;
}

TEST(CliHelpLang, HelpCatalogHasOneChineseTextPerEnglishDescription) {
  std::set<std::string_view> seen;
  for (const HelpText& h : help_catalog()) {
    EXPECT_TRUE(seen.insert(h.en).second) << "twice: " << h.en;
    EXPECT_TRUE(has_cjk(h.zh)) << h.en;
    EXPECT_FALSE(has_cjk(h.en)) << h.en;
  }
}

TEST(CliUsageErrorLang, CliElevensUsageErrorsReadInChineseWithNamesKept) {
  EXPECT_EQ(usage_error_zh("scenario is required"), "缺少必需的 scenario");
  EXPECT_EQ(usage_error_zh("The following argument was not expected: extra"), "多余的参数：extra");
  EXPECT_EQ(usage_error_zh("The following arguments were not expected: a b"), "多余的参数：a b");
  EXPECT_EQ(usage_error_zh("--flow excludes --stream"), "--flow 不能与 --stream 同用");
  EXPECT_EQ(usage_error_zh("--seed: 1 required UINT:SEED missing"), "--seed：缺少 1 个 UINT:SEED 值");
  EXPECT_EQ(usage_error_zh("--events: bogus not in {auto,all,verbose,notes,none}"),
            "--events：bogus 不是 {auto,all,verbose,notes,none} 之一");
  EXPECT_EQ(usage_error_zh("Could not convert: --count = x"), "无法转换：--count = x");
  // Our own validators' words, and anything unknown, pass through unchanged.
  EXPECT_EQ(usage_error_zh("--lang: xx：应为 en 或 zh"), "--lang: xx：应为 en 或 zh");
  EXPECT_EQ(usage_error_zh(""), "");
  EXPECT_EQ(usage_error_zh(": missing"), ": missing");
}

TEST(CliUsageErrorLang, MissingScenarioInChineseIsAChineseUsageErrorWithExitTwo) {
  const auto zh = run_command_line(kEnv + kBinary + " run --lang zh");
  EXPECT_EQ(zh.exit_code, 2) << zh.output;
  EXPECT_NE(zh.output.find("缺少必需的 scenario\n运行时加 --help 查看更多信息。"), std::string::npos)
      << zh.output;
  const auto extra = run_command_line(kEnv + "LANG=zh_CN.UTF-8 " + kBinary + " hosts a.toml b.toml");
  EXPECT_EQ(extra.exit_code, 2) << extra.output;
  EXPECT_NE(extra.output.find("多余的参数：b.toml"), std::string::npos) << extra.output;
  const auto en = run_command_line(kEnv + kBinary + " run");
  EXPECT_EQ(en.exit_code, 2) << en.output;
  EXPECT_NE(en.output.find("scenario is required\nRun with --help for more information."), std::string::npos)
      << en.output;
}

TEST(CliLangArguments, LangOptionIsFoundBeforeParsingElseTheEnvironmentDecides) {
  const char* zh[] = {"wirestep", "run", "x.toml", "--lang", "zh"};
  EXPECT_EQ(lang_from_arguments(5, zh), Lang::Zh);
  const char* zh_eq[] = {"wirestep", "--lang=zh", "run"};
  EXPECT_EQ(lang_from_arguments(3, zh_eq), Lang::Zh);
  const char* last_wins[] = {"wirestep", "--lang", "zh", "--lang", "en"};
  EXPECT_EQ(lang_from_arguments(5, last_wins), Lang::En);
  // A bad value, a missing value and anything after "--" are not a choice.
  setenv("WIRESTEP_LANG", "en", 1);
  const char* bad[] = {"wirestep", "--lang", "xx"};
  EXPECT_EQ(lang_from_arguments(3, bad), Lang::En);
  const char* dangling[] = {"wirestep", "--lang"};
  EXPECT_EQ(lang_from_arguments(2, dangling), Lang::En);
  const char* after_dashes[] = {"wirestep", "run", "--", "--lang", "zh"};
  EXPECT_EQ(lang_from_arguments(5, after_dashes), Lang::En);
  setenv("WIRESTEP_LANG", "zh", 1);
  EXPECT_EQ(lang_from_arguments(3, bad), Lang::Zh);
  setenv("WIRESTEP_LANG", "en", 1);  // the suites expect English by default
}

TEST(CliSeedLang, BadSeedIsExplainedInTheChosenLanguage) {
  const auto zh =
      run_command_line(kEnv + kBinary + " run " + kScenarios + "/tcp-handshake.toml --seed -1 --lang zh");
  EXPECT_EQ(zh.exit_code, 2) << zh.output;
  EXPECT_NE(zh.output.find("不是种子：种子是 0 到 9223372036854775807 之间的整数"), std::string::npos)
      << zh.output;
  const auto en = run_command_line(kEnv + kBinary + " run " + kScenarios + "/tcp-handshake.toml --seed 1x");
  EXPECT_EQ(en.exit_code, 2) << en.output;
  EXPECT_NE(en.output.find("\"1x\" is not a seed: a seed is a whole number from 0 to 9223372036854775807"),
            std::string::npos)
      << en.output;
}

TEST(CliSvgLang, ChineseSvgHasChineseTitleAxisAndLegend) {
  testing::TempDir dir;
  const std::string svg = dir.file("c.svg");
  const auto r = run_command_line(kEnv + kBinary + " run " + kScenarios +
                                  "/compare-loss-20pct.toml --quiet --lang zh --svg " + svg);
  EXPECT_LE(r.exit_code, 1) << r.output;
  const std::string tcp = testing::read_text(dir.file("c-tcp.svg"));
  const std::string udp = testing::read_text(dir.file("c-udp.svg"));
  ASSERT_FALSE(tcp.empty()) << r.output;
  ASSERT_FALSE(udp.empty()) << r.output;
  EXPECT_NE(tcp.find("（经由 TCP）</text>"), std::string::npos);
  EXPECT_NE(udp.find("（经由 UDP）</text>"), std::string::npos);
  EXPECT_NE(tcp.find(">时间 (ms)</text>"), std::string::npos);
  EXPECT_NE(tcp.find(">TCP 报文段</text>"), std::string::npos);
  EXPECT_NE(udp.find(">UDP 数据报</text>"), std::string::npos);
  for (const std::string& s : {tcp, udp}) {
    EXPECT_EQ(s.find("(over "), std::string::npos);
    EXPECT_EQ(s.find("time (ms)"), std::string::npos);
    EXPECT_EQ(s.find("lost on the link"), std::string::npos);
    EXPECT_EQ(s.find("packets shown"), std::string::npos);
  }
}

TEST(CliSvgLang, EnglishSvgKeepsEnglishWords) {
  testing::TempDir dir;
  const std::string svg = dir.file("c.svg");
  const auto r = run_command_line(kEnv + kBinary + " run " + kScenarios +
                                  "/compare-loss-20pct.toml --quiet --lang en --svg " + svg);
  EXPECT_LE(r.exit_code, 1) << r.output;
  const std::string tcp = testing::read_text(dir.file("c-tcp.svg"));
  EXPECT_NE(tcp.find(" (over TCP)</text>"), std::string::npos);
  EXPECT_NE(tcp.find(">time (ms)</text>"), std::string::npos);
  EXPECT_FALSE(has_cjk(tcp));
}

// The expectation's Chinese detail keeps the errno name and translates what it means.
TEST(CliExpectationLang, RefusedConnectInChineseKeepsEconnrefusedAndExplainsIt) {
  const auto r =
      run_command_line(kEnv + kBinary + " run " + kScenarios + "/tcp-connect-refused.toml --lang zh");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("连接被拒绝"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ECONNREFUSED"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("connection refused"), std::string::npos) << r.output;
}

// "1 bit", never "1 bits": a /31 leaves one host bit, a /1 has a one-bit network part.
TEST(CliHostsCommand, OneBitIsSingularInEnglish) {
  const auto ip = [](const char* s) { return *wire::Ipv4Addr::parse(s); };
  const std::string slash31 = address_parts_line("eth0", ip("10.1.1.7"), 31, Lang::En);
  EXPECT_NE(slash31.find("host part 0.0.0.1 (1 bit),"), std::string::npos) << slash31;
  const std::string slash1 = address_parts_line("eth0", ip("10.1.1.7"), 1, Lang::En);
  EXPECT_NE(slash1.find("network part 0.0.0.0 (1 bit),"), std::string::npos) << slash1;
  EXPECT_NE(slash1.find("(31 bits)"), std::string::npos) << slash1;
  const std::string slash32 = address_parts_line("eth0", ip("10.1.1.7"), 32, Lang::En);
  EXPECT_NE(slash32.find("(0 bits)"), std::string::npos) << slash32;
  EXPECT_EQ(address_parts_line("eth0", ip("10.1.1.7"), 31, Lang::Zh).find("bit"), std::string::npos);
}

}  // namespace cli_help_lang_test
}  // namespace wirestep
