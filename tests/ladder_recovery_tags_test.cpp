// The text ladder names each repair by the rule that chose it: RACK (RFC 8985 §6.2, lost by time) and the
// tail loss probe (RFC 8985 §7.3) are not fast retransmissions (RFC 5681 §3.2, three duplicate ACKs).
#include <gtest/gtest.h>

#include "ui/cli/ladder_text.hpp"

namespace wirestep {
namespace ladder_recovery_tags_test {

TEST(LadderRecoveryTags, RackAndTlpRepairsHaveTheirOwnTags) {
  EXPECT_EQ(cause_tag(Cause::RackRetransmission, 0), "[RACK retx]");
  EXPECT_EQ(cause_tag(Cause::TailLossProbe, 0), "[TLP]");
  EXPECT_EQ(cause_tag(Cause::FastRetransmission, 0), "[fast retx]");
}

TEST(LadderRecoveryTags, RackAndTlpTagsAreInChinese) {
  EXPECT_EQ(cause_tag(Cause::RackRetransmission, 0, Lang::Zh), "[RACK 重传]");
  EXPECT_EQ(cause_tag(Cause::TailLossProbe, 0, Lang::Zh), "[尾部丢失探测]");
  EXPECT_NE(cause_tag(Cause::TailLossProbe, 0, Lang::Zh), cause_tag(Cause::FastRetransmission, 0, Lang::Zh));
}

}  // namespace ladder_recovery_tags_test
}  // namespace wirestep
