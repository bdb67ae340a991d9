// The lessons and the scenario loader in 简体中文 (issue #20): every bundled lesson has its title,
// explanation and every [[expect]] text in Chinese, `run --lang zh` shows no expectation line in English,
// and a bad scenario file is reported in Chinese at the same file, line and column as in English.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hpp"
#include "ui/cli/cli_text.hpp"
#include "ui/cli/commands.hpp"
#include "ui/cli/display_width.hpp"

namespace wirestep {
namespace scenario_lang_test {

const std::string kScenarios = std::string(WIRESTEP_SOURCE_DIR) + "/scenarios";

std::vector<std::string> bundled_lessons() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(kScenarios))
    if (e.path().extension() == ".toml") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

bool has_non_ascii(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

TEST(ScenarioLang, EveryBundledLessonHasChineseTitleExplanationAndExpectationTexts) {
  const auto files = bundled_lessons();
  ASSERT_GT(files.size(), 30u);
  for (const auto& file : files) {
    auto sc = load_scenario_file(file);
    ASSERT_TRUE(sc) << sc.error().message();
    EXPECT_TRUE(has_non_ascii(sc->title_zh)) << file << ": [scenario] has no title_zh";
    EXPECT_TRUE(has_non_ascii(sc->explanation_zh)) << file << ": [scenario] has no explanation_zh";
    for (const Expectation& e : sc->expectations)
      EXPECT_TRUE(has_non_ascii(e.text_zh)) << file << ":" << e.line << ": [[expect]] has no text_zh";
  }
}

// The lines between the Chinese "Expectations" heading and the passed/failed count.
std::vector<std::string> expectation_lines(const std::string& out) {
  std::vector<std::string> lines;
  std::istringstream in(out);
  bool inside = false;
  const std::string heading = cli_text(Lang::Zh, Msg::Expectations);
  for (std::string line; std::getline(in, line);) {
    if (line == heading) {
      inside = true;
      continue;
    }
    if (inside && line.rfind("  ", 0) == 0 && line.size() > 2 && line[2] != ' ') lines.push_back(line);
    if (inside && line.empty()) break;
  }
  if (!lines.empty()) lines.pop_back();  // the passed/failed count
  return lines;
}

TEST(ScenarioLang, RunInChineseShowsEveryExpectationLineInChinese) {
  // What the checker writes in English; none of it may appear in a Chinese expectation line. (A program's
  // error, "connection refused", is the simulator's errno text and the same in both languages.)
  const std::vector<std::string> english = {"seen in order", "counted",  "expected",
                                            "received",      "reached",  "missing",
                                            "socket calls",  "finished", "returned"};
  for (const auto& file : bundled_lessons()) {
    auto sc = load_scenario_file(file);
    ASSERT_TRUE(sc) << sc.error().message();
    RunCommandOptions o;
    o.scenario = file;
    o.quiet = true;
    o.width = 0;
    o.lang = Lang::Zh;
    std::ostringstream out, err;
    run_command(o, out, err);
    const auto lines = expectation_lines(out.str());
    ASSERT_EQ(lines.size(), sc->expectations.size()) << file << "\n" << out.str();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const Expectation& e = sc->expectations[i];
      EXPECT_NE(lines[i].find(e.text_zh), std::string::npos) << file << ":" << e.line << ": " << lines[i];
      EXPECT_EQ(lines[i].find(e.text), std::string::npos) << file << ":" << e.line << ": " << lines[i];
      for (const auto& word : english)
        EXPECT_EQ(lines[i].find(word), std::string::npos)
            << file << ":" << e.line << ": English \"" << word << "\" in " << lines[i];
    }
  }
}

// A small valid scenario with one line replaced, so each case below breaks exactly one thing.
std::string scenario_with(const std::string& link_line) {
  return "[scenario]\nname = \"t\"\ntitle = \"t\"\n\n"
         "[[host]]\nname = \"A\"\naddress = \"10.0.0.1/24\"\n\n"
         "[[host]]\nname = \"B\"\naddress = \"10.0.0.2/24\"\n\n"
         "[[link]]\nbetween = [\"A\", \"B\"]\n" +
         link_line + "\n";
}

struct BadFile {
  std::string line;       // replaces the link's last line (line 15 of the file)
  std::string where;      // the English position
  std::string where_zh;   // the same position in Chinese
  std::string reason_zh;  // a piece of the Chinese reason
};

TEST(ScenarioLang, BadScenarioFileIsReportedInChineseAtTheSamePosition) {
  const std::vector<BadFile> cases = {
      {"lattency = \"10ms\"", "line 15, column 1", "第 15 行第 1 列", "未知的键（是不是 \"latency\"？）"},
      {"latency = 10", "line 15, column 11", "第 15 行第 11 列", "应为字符串，实际是整数"},
      {"queue = -1", "line 15, column 9", "第 15 行第 9 列", "-1 超出范围 [1, 1000000]"},
      {"latency = \"10 parsecs\"", "line 15, column 11", "第 15 行第 11 列", "无法读取 \"10 parsecs\""},
      {"latency = ", "line 15, column 11", "第 15 行第 11 列", "TOML 语法错误"},
  };
  for (const auto& c : cases) {
    auto sc = parse_scenario(scenario_with(c.line), "bad.toml");
    ASSERT_FALSE(sc) << c.line;
    const Error& e = sc.error();
    EXPECT_EQ(e.message().rfind("bad.toml: " + c.where + ": ", 0), 0u) << e.message();
    const std::string zh = e.message_zh();
    EXPECT_EQ(zh.rfind("bad.toml: " + c.where_zh + ": ", 0), 0u) << zh;
    EXPECT_NE(zh.find(c.reason_zh), std::string::npos) << zh;
    // toml++ describes a syntax error in English; everything the loader itself says is Chinese.
    if (c.reason_zh.rfind("TOML", 0) != 0) {
      EXPECT_EQ(zh.find("unknown key"), std::string::npos) << zh;
      EXPECT_EQ(zh.find("expected"), std::string::npos) << zh;
    }
  }
}

TEST(ScenarioLang, RunWithLangZhPrintsTheLoaderErrorInChinese) {
  const auto path = std::filesystem::temp_directory_path() / "wirestep-scenario-lang-bad.toml";
  {
    std::ofstream f(path);
    f << scenario_with("bandwith = \"10Mbit\"");
  }
  RunCommandOptions o;
  o.scenario = path.string();
  o.lang = Lang::Zh;
  std::ostringstream out, err;
  EXPECT_EQ(run_command(o, out, err), 2);
  EXPECT_NE(
      err.str().find(path.string() +
                     ": 第 15 行第 1 列: [[link]] 的键 \"bandwith\"：未知的键（是不是 \"bandwidth\"？）"),
      std::string::npos)
      << err.str();
  std::filesystem::remove(path);
}

TEST(ScenarioLang, WrappedChineseExpectationNeverEndsALineWithANumber) {
  // "收到 3 个数据报": at every width the 3 stays on the line of its 个.
  const std::string detail =
      "通过  聊天程序收到 8080 端口的三个数据报  （收到 3 个数据报（预期正好 3）；执行完了每一步）";
  for (std::size_t width = 12; width <= 60; ++width) {
    for (const auto& line : wrap_to_width(detail, width, 4, true)) {
      const auto last = line.find_last_not_of(' ');
      ASSERT_NE(last, std::string::npos);
      EXPECT_FALSE(line[last] >= '0' && line[last] <= '9') << "width " << width << ": \"" << line << "\"";
    }
  }
}

}  // namespace scenario_lang_test
}  // namespace wirestep
