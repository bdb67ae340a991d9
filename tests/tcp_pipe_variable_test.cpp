// The RFC 6675 pipe as a Trace variable: recorded whenever it changes during SACK recovery, like cwnd and
// ssthresh, so the state panel and the events list show how much the sender thinks is in the network.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tcp_test_harness.hpp"

namespace wirestep {
namespace tcp_pipe_variable_test {

using namespace tcptest;

struct Recovery {
  explicit Recovery(TcpConfig config) : lab(options(config)) {
    lab.establish(at_ms(200));
    if (::testing::Test::HasFatalFailure()) return;
    lab.at(at_ms(200), [this] {
      TcpLab::send(lab.A(), lab.client, {}, 60 * 1448, sent);
      TcpLab::read_until_eof(lab.B(), lab.server(), sink);
    });
    lab.run(at_ms(3000));
  }
  static LabOptions options(TcpConfig c) {
    LabOptions o;
    o.bandwidth_a_to_b_bps = kOneFullFramePerMs;
    o.tcp_a = o.tcp_b = c;
    o.a_to_b.push_back(drop(PacketKind::Data, {20, 22, 24}));
    return o;
  }
  std::vector<TraceEvent> pipe_events() const {
    std::vector<TraceEvent> out;
    for (const TraceEvent& e : lab.net.trace().events())
      if (e.kind == EventKind::Variable && e.code == static_cast<std::uint8_t>(TraceVar::Pipe))
        out.push_back(e);
    return out;
  }
  mutable TcpLab lab;
  CallResult sent;
  Sink sink;
};

// RFC 6675 §4 SetPipe during recovery: each change is one event, never above the flight of 60 segments, and
// the name reads as the RFC spells it.
TEST(TcpPipeVariable, SackRecoveryRecordsPipeWhenItChanges) {
  Recovery r(TcpConfig::for_profile(TcpProfile::Linux));
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const auto pipe = r.pipe_events();
  ASSERT_GE(pipe.size(), 2u);
  for (std::size_t i = 0; i < pipe.size(); ++i) {
    EXPECT_EQ(pipe[i].host, 0u) << "only the sender recovers";
    EXPECT_GE(pipe[i].value, 0);
    EXPECT_LE(pipe[i].value, 60 * 1448);
    if (i > 0 && pipe[i].socket == pipe[i - 1].socket) {
      EXPECT_NE(pipe[i].value, pipe[i - 1].value);
    }
  }
  EXPECT_EQ(pipe.front().detail, "pipe = " + std::to_string(pipe.front().value));
  EXPECT_EQ(to_string(TraceVar::Pipe), "pipe");
}

// Without SACK there is no pipe (NewReno counts duplicate ACKs): nothing is recorded.
TEST(TcpPipeVariable, WithoutSackNoPipeIsRecorded) {
  Recovery r(TcpConfig::for_profile(TcpProfile::Rfc));
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  EXPECT_TRUE(r.pipe_events().empty());
}

}  // namespace tcp_pipe_variable_test
}  // namespace wirestep
