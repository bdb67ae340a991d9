// Issue #20: a scenario file's mistakes are explained in 简体中文 too, at the same file and position: bad
// durations, rates, sizes and percentages (units.cpp), the [scenario]/[view]/[tcp] settings, text
// encodings, and TOML syntax (toml++'s own English description kept verbatim after a Chinese lead-in).
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/call_error_zh.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace wirestep {
namespace scenario_zh_reasons_test {

const std::string kBase = R"([scenario]
name = "t"

[tcp]
mss = 1460

[[host]]
name = "A"
address = "10.0.0.1/24"

[[host]]
name = "B"
address = "10.0.0.2/24"

[[link]]
between = ["A", "B"]
latency = "5ms"

[[program]]
name = "sender"
host = "A"

[[program.step]]
call = "sendto"
to = "B:8080"
text = "hi"
)";

std::string with(const std::string& from, const std::string& to) {
  const auto at = kBase.find(from);
  EXPECT_NE(at, std::string::npos) << "test bug: \"" << from << "\" not in the scenario";
  std::string out = kBase;
  if (at != std::string::npos) out.replace(at, from.size(), to);
  return out;
}

std::string zh_for(const std::string& text) {
  const Result<Scenario> r = parse_scenario(text, "t.toml");
  return r.ok() ? "OK" : r.error().message_zh();
}

TEST(ScenarioZhReasons, DurationMistakesAreExplainedInChinese) {
  EXPECT_EQ(
      zh_for(with("latency = \"5ms\"", "latency = \"20\"")),
      "t.toml: 第 17 行第 11 列: [[link]] 的键 \"latency\"：无法读取 \"20\"（时长需要单位（ns、us、ms、s、"
      "min），例如 \"20ms\"）");
  EXPECT_EQ(zh_for(with("latency = \"5ms\"", "latency = \"20 parsecs\"")),
            "t.toml: 第 17 行第 11 列: [[link]] 的键 \"latency\"：无法读取 \"20 parsecs\"（未知的时间单位 "
            "\"parsecs\"（可用 ns、us、ms、s 或 min））");
  EXPECT_EQ(zh_for(with("latency = \"5ms\"", "latency = \"ms\"")),
            "t.toml: 第 17 行第 11 列: [[link]] 的键 \"latency\"：无法读取 \"ms\"（应为数字）");
  EXPECT_EQ(zh_for(with("latency = \"5ms\"", "latency = \"1.5ns\"")),
            "t.toml: 第 17 行第 11 列: [[link]] 的键 \"latency\"：无法读取 "
            "\"1.5ns\"（小数位数超过了这个单位能表示的精度）");
}

TEST(ScenarioZhReasons, RateSizeAndPercentMistakesAreExplainedInChinese) {
  EXPECT_EQ(zh_for(with("latency = \"5ms\"", "latency = \"5ms\"\nbandwidth = \"10 furlongs\"")),
            "t.toml: 第 18 行第 13 列: [[link]] 的键 \"bandwidth\"：无法读取 \"10 furlongs\"（未知的速率单位 "
            "\"furlongs\"（可用每秒 bit、kbit、Mbit 或 Gbit，例如 \"10Mbit\"））");
  EXPECT_EQ(zh_for(with("mss = 1460", "recv_buffer = \"3 parsecs\"")),
            "t.toml: 第 5 行第 15 列: [tcp] 的键 \"recv_buffer\"：无法读取 \"3 parsecs\"（未知的大小单位 "
            "\"parsecs\"（可用 B、kB、KiB、MB、MiB、GB 或 GiB））");
  EXPECT_EQ(zh_for(with("mss = 1460", "recv_buffer = \"99999999999999999999\"")),
            "t.toml: 第 5 行第 15 列: [tcp] 的键 \"recv_buffer\"：无法读取 "
            "\"99999999999999999999\"（数字太大或小数位太多）");
  EXPECT_EQ(zh_for(with("mss = 1460", "recv_buffer = \"2GiB\"")),
            "t.toml: 第 5 行第 15 列: [tcp] 的键 \"recv_buffer\"：2147483648 字节超出范围 [1, 1073741824]");
  EXPECT_EQ(zh_for(with("latency = \"5ms\"",
                        "latency = \"5ms\"\n[[link.impairment]]\ntype = \"bernoulli\"\n"
                        "direction = \"A>B\"\nloss = \"120%\"")),
            "t.toml: 第 21 行第 8 列: [[link.impairment]] #1 的键 \"loss\"：无法读取 "
            "\"120%\"（百分数不能超过 100%）");
}

TEST(ScenarioZhReasons, SettingsMistakesAreExplainedInChinese) {
  EXPECT_EQ(zh_for(with("[scenario]\nname = \"t\"", "[scenario]\nname = \"t\"\nduration = \"2h\"")),
            "t.toml: 第 3 行第 12 列: [scenario] 的键 \"duration\"：无法读取 \"2h\"（未知的时间单位 "
            "\"h\"（可用 ns、us、"
            "ms、s 或 min））");
  EXPECT_EQ(zh_for(with("[scenario]\nname = \"t\"", "[scenario]\nname = \"t\"\nduration = \"61min\"")),
            "t.toml: 第 3 行第 12 列: [scenario] 的键 \"duration\"：必须大于 0 且不超过 3600 s");
  EXPECT_EQ(zh_for(with("[scenario]\nname = \"t\"", "[view]\nlayout = \"time\"")),
            "t.toml: 第 1 行第 1 列: 必须有 [scenario] 表（name、explanation、seed）");
  EXPECT_EQ(zh_for(with("[scenario]\nname = \"t\"", "view = 3\n[scenario]\nname = \"t\"")),
            "t.toml: 第 1 行第 8 列: 顶层键 \"view\"：应为表（[view]）");
  EXPECT_EQ(zh_for(with("[scenario]\nname = \"t\"", "[scenario]\nname = \"t\"\n[view]\nlayout = \"spiral\"")),
            "t.toml: 第 4 行第 10 列: [view] 的键 \"layout\"：应为 \"time\" 或 \"sequence\"");
  EXPECT_EQ(zh_for(with("mss = 1460", "min_rto = \"2s\"\nmax_rto = \"1s\"")),
            "t.toml: 第 4 行第 1 列: [tcp]：min_rto 大于 max_rto");
  EXPECT_EQ(zh_for(with("mss = 1460", "delayed_ack_timeout = \"300ms\"")),
            "t.toml: 第 4 行第 1 列: [tcp]：delayed_ack_timeout 大于 delayed_ack_max");
  EXPECT_EQ(zh_for("tcp = 1\n" + with("[tcp]\nmss = 1460", "")),
            "t.toml: 第 1 行第 7 列: 顶层键 \"tcp\"：应为表（[tcp]）");
}

TEST(ScenarioZhReasons, TextEncodingMistakesAreExplainedInChinese) {
  EXPECT_EQ(zh_for(with("text = \"hi\"", "text = \"hi\"\nencoding = \"ebcdic\"")),
            "t.toml: 第 27 行第 12 列: \"sender\" 的 [[program.step]] #1 的键 \"text\"：未知的编码 "
            "\"ebcdic\"（可用 "
            "utf-8、gbk、gb18030 或 latin-1）");
  EXPECT_EQ(
      zh_for(with("text = \"hi\"", "text = \"你好\"\nencoding = \"latin-1\"")),
      "t.toml: 第 27 行第 12 列: \"sender\" 的 [[program.step]] #1 的键 \"text\"：文本无法用 ISO-8859-1 "
      "表示（第 0 字节）");
}

// toml++ describes a syntax error in English only; the Chinese message names the same line and column in
// Chinese and keeps that description verbatim after "TOML 语法错误：".
TEST(ScenarioZhReasons, TomlSyntaxErrorHasAChineseLeadInAndPosition) {
  EXPECT_EQ(
      zh_for(with("[scenario]", "[scenario")),
      "t.toml: 第 1 行第 10 列: TOML 语法错误：Error while parsing table header: expected ']', saw '\\n'");
  EXPECT_EQ(
      zh_for(with("name = \"t\"", "name = = \"t\"")),
      "t.toml: 第 2 行第 8 列: TOML 语法错误：Error while parsing value: could not determine value type");
}

// The errno name stays as man pages spell it; its explanation is translated.
TEST(ScenarioZhReasons, FailedCallKeepsTheErrnoNameAndTranslatesItsExplanation) {
  EXPECT_EQ(call_error_zh("line 7: connection refused: RST in answer to our SYN (ECONNREFUSED)"),
            "第 7 行：连接被拒绝：对方以 RST 回应我方 SYN（ECONNREFUSED）");
  EXPECT_EQ(call_error_zh("line 12: send failed: connection reset by peer (ECONNRESET)"),
            "第 12 行：send 失败：连接被对端重置（ECONNRESET）");
  EXPECT_EQ(call_error_zh("line 3: bind: TCP port 80 is already in use (EADDRINUSE)"),
            "第 3 行：bind：TCP 端口 80 已被占用（EADDRINUSE）");
  EXPECT_EQ(call_error_zh("line 9: connection timed out after 15 retransmissions (ETIMEDOUT)"),
            "第 9 行：连接超时：已重传 15 次（ETIMEDOUT）");
  // Hostile or unknown text comes back unharmed.
  EXPECT_EQ(call_error_zh(""), "");
  EXPECT_EQ(call_error_zh("line : x (E"), "line ：x (E");
}

}  // namespace scenario_zh_reasons_test
}  // namespace wirestep
