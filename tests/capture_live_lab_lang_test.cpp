// The live lab in 简体中文 (issue #20): with `--lang zh` its progress lines are Chinese, numbers and
// addresses unchanged. (The English lines are checked, byte for byte, by capture_live_lab_test.cpp.)
#include <gtest/gtest.h>

#include <string>

#include "test_support.hpp"

namespace wirestep {
namespace capture_live_lab_lang_test {

using testing::run_command_line;

TEST(LiveLabLang, ProgressLinesAreChineseWithLangZh) {
  testing::TempDir dir;
  const std::string pcap = dir.file("lab.pcap");
  const auto r =
      run_command_line(testing::wirestep_binary() +
                       " live --lang zh --loopback --bytes 20KB --messages 5 --timeout 30 -w " + pcap);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("TCP：发送 20000 字节 127.0.0.1 -> 127.0.0.1:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("UDP：发送 5 个数据报，每个 1000 字节"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("sending"), std::string::npos) << r.output;
}

}  // namespace capture_live_lab_lang_test
}  // namespace wirestep
