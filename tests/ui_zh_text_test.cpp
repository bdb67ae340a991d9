// Both languages in full (issue #20): every text the UI shows has a Chinese form. The simulator's event texts
// stay English in the Trace (golden outputs); the UI translates them, so a new phrase the simulator starts
// emitting without a translation fails here, lesson by lesson.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <string>

#include "sim/analysis/step_order.hpp"
#include "sim/scenario/comparison.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "test_support.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/model/event_text_zh.hpp"

namespace wirestep {
namespace ui_zh_text_test {

// Words that are code, not English: socket calls, units and the names RFC 9293 gives (they stay as written).
const std::set<std::string> kCodeWords = {
    "fd",       "send",   "recv", "sendto", "recvfrom", "connect", "accept",    "close", "listen",
    "shutdown", "socket", "bind", "ms",     "backlog",  "cwnd",    "ssthresh",  "srtt",  "rttvar",
    "rto",      "snd",    "una",  "nxt",    "wnd",      "rcv",     "setsockopt"};

// The English words left in `s` outside code: parenthesised arguments and quoted names are code, and so is
// every all-capitals token (SYN-SENT, ECONNRESET, AF_INET).
std::vector<std::string> english_words(const std::string& s) {
  std::vector<std::string> words;
  int depth = 0;
  bool quoted = false;
  std::string word;
  auto flush = [&] {
    const bool lower = std::any_of(word.begin(), word.end(), [](char c) { return std::islower(c); });
    if (word.size() >= 2 && lower && !kCodeWords.contains(word)) words.push_back(word);
    word.clear();
  };
  for (char c : s) {
    if (c == '"') quoted = !quoted;
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if (depth == 0 && !quoted && std::isalpha(static_cast<unsigned char>(c))) {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  return words;
}

std::vector<std::string> lesson_names() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(testing::source_path("scenarios")))
    if (e.path().extension() == ".toml") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

void expect_translated(const Trace& t, const std::string& file) {
  for (std::size_t e = 0; e < t.event_count(); ++e) {
    const TraceEvent ev = t.event(e);
    if (!is_step_event(ev.kind) || ev.kind == EventKind::StateChange) continue;  // states show their names
    std::string zh = event_text(Lang::Zh, ev.kind, ev.detail);
    // A stopped program is named as the lesson names it ("no connect 已停止：..."): a name, not a phrase.
    if (const auto stopped = zh.find(" 已停止："); stopped != std::string::npos) zh.erase(0, stopped);
    EXPECT_TRUE(english_words(zh).empty())
        << file << ": event \"" << ev.detail << "\" shows as \"" << zh << "\" in Chinese";
    EXPECT_EQ(event_text(Lang::En, ev.kind, ev.detail), ev.detail);
  }
}

class LessonInChinese : public ::testing::TestWithParam<std::string> {};

TEST_P(LessonInChinese, EveryEventTextOnTheTimelineReadsInChinese) {
  const std::string file = testing::source_path("scenarios/" + GetParam() + ".toml");
  auto sc = load_scenario_file(file);
  ASSERT_TRUE(sc.ok()) << sc.error().message();
  if (sc->comparison) {
    expect_translated(run_scenario(comparison_scenario(*sc, true)).trace, file);
    expect_translated(run_scenario(comparison_scenario(*sc, false)).trace, file);
  } else {
    expect_translated(run_scenario(*sc).trace, file);
  }
}

INSTANTIATE_TEST_SUITE_P(BundledLessons, LessonInChinese, ::testing::ValuesIn(lesson_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(ChineseEventText, CallsKeepTheirArgumentsAndNumbersKeepTheirUnit) {
  EXPECT_EQ(event_text(Lang::Zh, EventKind::SocketCall, "send(18 bytes)"), "send(18字节)");
  EXPECT_EQ(event_text(Lang::Zh, EventKind::SocketReturn, "send -> 18"), "send -> 18");
  EXPECT_EQ(event_text(Lang::Zh, EventKind::SocketCall, "connect((\"10.0.0.2\", 80))"),
            "connect((\"10.0.0.2\", 80))");
  EXPECT_EQ(event_text(Lang::Zh, EventKind::SocketBlocked, "recv blocks: no data has arrived yet"),
            "recv 阻塞：尚无数据到达");
  EXPECT_EQ(event_text(Lang::Zh, EventKind::TimerFire, "delayed-ack timer fired"), "延迟确认定时器触发");
  EXPECT_EQ(event_text(Lang::Zh, EventKind::SocketReturn,
                       "recvfrom -> 5 bytes from (\"10.0.0.1\", 9) (truncated from 10)"),
            "recvfrom -> 5字节，来自 (\"10.0.0.1\", 9)（截断，原长 10字节）");
  EXPECT_EQ(event_text(Lang::Zh, EventKind::Note, "client stopped: line 7: no socket named \"x\""),
            "client 已停止：第 7 行：没有这个名字的套接字：\"x\"");
}

TEST(WrappedText, ANumberAndItsUnitStayOnOneLine) {
  EXPECT_EQ(keep_units_together("12.500 ms  A sends 18 bytes"), "12.500\u00A0ms  A sends 18\u00A0bytes");
  EXPECT_EQ(keep_units_together("链路 L1 规则 1: 5 个数据包"), "链路 L1 规则 1: 5\u00A0个数据包");
  // Not a unit: a word that only starts like one stays breakable.
  EXPECT_EQ(keep_units_together("3 msgs"), "3 msgs");
}

TEST(ChineseEventText, StateChangeReasonsAreTranslated) {
  // The state panel's tooltip shows the reason (RFC 9293 §3.3.2 transitions).
  EXPECT_EQ(event_text(Lang::Zh, EventKind::StateChange, "CLOSED -> SYN-SENT: connect() sends SYN"),
            "CLOSED -> SYN-SENT: connect() 发送 SYN");
  EXPECT_TRUE(
      english_words(event_text(Lang::Zh, EventKind::StateChange,
                               "ESTABLISHED -> CLOSE-WAIT: FIN received: the peer has finished sending"))
          .empty());
}

TEST(ChineseUiText, EveryCauseHasAChineseName) {
  for (std::size_t c = 0; c < kCauseCount; ++c) {
    const auto cause = static_cast<Cause>(c);
    const std::string_view zh = cause_name(Lang::Zh, cause);
    EXPECT_FALSE(zh.empty());
    EXPECT_NE(zh, "?");
    EXPECT_NE(zh, to_string(cause)) << to_string(cause);
    EXPECT_EQ(cause_name(Lang::En, cause), to_string(cause));
  }
}

TEST(ChineseUiText, EveryUiStringHasAChineseFormThatIsNotTheEnglish) {
  for (std::size_t i = 0; i < static_cast<std::size_t>(gui::T::Count); ++i) {
    const auto id = static_cast<gui::T>(i);
    const std::string en = gui::tr(Lang::En, id), zh = gui::tr(Lang::Zh, id);
    EXPECT_NE(en, "?") << "key " << i << " has no English text";
    EXPECT_NE(zh, "?") << "key " << i << " (" << en << ") has no Chinese text";
    EXPECT_FALSE(zh.empty()) << en;
    if (!english_words(en).empty()) {
      EXPECT_NE(zh, en) << "key " << i << " is English in Chinese";
    }
  }
}

TEST(ChineseUiText, ARunIsNotCalledACaptureFile) {
  for (std::size_t i = 0; i < static_cast<std::size_t>(gui::T::Count); ++i) {
    const auto id = static_cast<gui::T>(i);
    const std::string en = gui::tr(Lang::En, id), zh = gui::tr(Lang::Zh, id);
    if (zh.find("抓包文件") != std::string::npos) {
      EXPECT_NE(en.find("capture"), std::string::npos) << "\"" << zh << "\" is \"" << en << "\" in English";
    }
  }
}

}  // namespace ui_zh_text_test
}  // namespace wirestep
