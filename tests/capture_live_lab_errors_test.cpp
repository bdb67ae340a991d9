// The live lab's refusals come in English and Chinese (Error::reason_zh), so `wirestep live --lang zh`
// prints them in Chinese.
#include <gtest/gtest.h>

#include <sstream>

#include "capture/live_lab.hpp"

namespace wirestep {
namespace capture_live_lab_errors_test {

TEST(LiveLabErrors, AMissingPcapPathIsRefusedInBothLanguages) {
  LiveLabOptions o;
  o.write_path.clear();
  std::ostringstream progress;
  auto r = run_live_lab(o, progress);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, "a pcap path is required");
  EXPECT_EQ(r.error().reason_zh, "需要给出 pcap 文件路径");
  EXPECT_EQ(r.error().message_zh(), "实时实验: 需要给出 pcap 文件路径");
  EXPECT_TRUE(progress.str().empty());
}

}  // namespace capture_live_lab_errors_test
}  // namespace wirestep
