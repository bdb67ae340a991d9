// What each recv()/recvfrom() returned and how many socket calls a program made, as expectations can
// state them: TCP is a byte stream with no message boundaries (RFC 9293 §3.8.4: "TCP may collect
// data from a number of SEND calls"), UDP delivers each datagram whole (RFC 768).
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/expectation.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace scenario_recv_sizes_test {

Scenario load(const std::string& file) {
  auto sc = load_scenario_file(testing::source_path("scenarios/" + file));
  EXPECT_TRUE(sc) << (sc ? "" : sc.error().message());
  return *sc;
}

const ProgramReport& program(const RunResult& r, const std::string& name) {
  for (const auto& p : r.programs)
    if (p.name == name) return p;
  ADD_FAILURE() << "no program " << name;
  return r.programs.front();
}

// Two send()s that are both in the receive buffer come out of one recv(); two sendto()s stay two messages.
TEST(StreamVsDatagram, TwoSendsComeOutOfOneRecvButTwoSendtosStayTwoMessages) {
  const RunResult r = run_scenario(load("tcp-udp-message-boundaries.toml"));
  EXPECT_EQ(program(r, "TCP receiver").recv_sizes, (std::vector<std::uint32_t>{29}));
  EXPECT_EQ(program(r, "UDP receiver").recv_sizes, (std::vector<std::uint32_t>{14, 15}));
}

// Without the receiver's pause each segment is read as it arrives: the lesson's expectation then fails,
// so it really checks the stream behaviour and not a fixed number.
TEST(StreamVsDatagram, RecvSizesExpectationFailsWhenTheReceiverReadsAtOnce) {
  Scenario sc = load("tcp-udp-message-boundaries.toml");
  for (auto& p : sc.programs)
    if (p.name == "TCP receiver")
      std::erase_if(p.steps, [](const Step& s) { return s.call == Step::Call::Sleep; });
  const RunResult r = run_scenario(sc);
  const auto results = check_expectations(sc.expectations, r);
  bool failed_with_sizes = false;
  for (const auto& e : results)
    if (!e.passed && e.detail.find("recv returned [14") != std::string::npos) failed_with_sizes = true;
  EXPECT_TRUE(failed_with_sizes);
}

// socket() plus every call after it; sleep is not a socket call.
TEST(ProgramSocketCalls, EchoServerAndClientCountTheirCalls) {
  const RunResult r = run_scenario(load("tcp-udp-echo-programs.toml"));
  EXPECT_EQ(program(r, "TCP echo server").socket_calls, 7u);
  EXPECT_EQ(program(r, "TCP echo client").socket_calls, 5u);
  EXPECT_EQ(program(r, "UDP echo server").socket_calls, 4u);
  EXPECT_EQ(program(r, "UDP echo client").socket_calls, 3u);
}

// sendto to = "sender" answers the address and port recvfrom reported: the client gets its echo.
TEST(ProgramSendtoSender, EchoGoesBackToTheClientsEphemeralPort) {
  const RunResult r = run_scenario(load("tcp-udp-echo-programs.toml"));
  const ProgramReport& client = program(r, "UDP echo client");
  ASSERT_EQ(client.received.size(), 1u);
  EXPECT_EQ(client.received[0].from, "10.0.0.2:7");
  EXPECT_EQ(std::string(client.received[0].data.begin(), client.received[0].data.end()), "hello\n");
}

std::string with_expect(const std::string& expect) {
  return R"(
[scenario]
name = "x"
title = "t"
title_zh = "t"
explanation = "e"
explanation_zh = "e"

[[host]]
name = "A"
address = "10.0.0.1/24"

[[program]]
name = "p"
host = "A"
[[program.step]]
call = "bind"
port = 9

[[expect]]
text = "x"
program = "p"
)" + expect +
         "\n";
}

TEST(ScenarioExpectations, RecvSizesMustBeAListOfByteCounts) {
  auto bad = parse_scenario(with_expect("recv_sizes = 3"), "x.toml");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("expected a list of byte counts"), std::string::npos);
  auto negative = parse_scenario(with_expect("recv_sizes = [-1]"), "x.toml");
  ASSERT_FALSE(negative);
  EXPECT_NE(negative.error().message().find("each entry is a byte count"), std::string::npos);
}

TEST(ScenarioExpectations, SocketCallsNamesWhatWasSeen) {
  auto sc = parse_scenario(with_expect("socket_calls = 3"), "x.toml");
  ASSERT_TRUE(sc) << sc.error().message();
  const RunResult r = run_scenario(*sc);
  const auto results = check_expectations(sc->expectations, r);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].passed);
  EXPECT_EQ(results[0].detail, "made 2 socket calls (expected exactly 3)");
}

// sendto to = "sender" before any recvfrom has nobody to answer: the program stops with a reason.
TEST(ProgramSendtoSender, WithoutAReceivedDatagramTheCallFails) {
  std::string toml = with_expect("finished = false");
  const std::string bind = "call = \"bind\"\nport = 9";
  toml.replace(toml.find(bind), bind.size(), "call = \"sendto\"\nto = \"sender\"\ntext = \"x\"");
  auto sc = parse_scenario(toml, "x.toml");
  ASSERT_TRUE(sc) << sc.error().message();
  const RunResult r = run_scenario(*sc);
  ASSERT_TRUE(r.programs[0].error.has_value());
  EXPECT_NE(r.programs[0].error->find("no datagram has been received yet"), std::string::npos);
}

}  // namespace scenario_recv_sizes_test
}  // namespace wirestep
