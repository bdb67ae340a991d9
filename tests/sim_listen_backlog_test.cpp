// listen(backlog) bounds the connections a listener holds: half-open ones in SYN-RECEIVED plus completed
// ones waiting for accept(). A SYN beyond that is ignored, as Linux does, which is what a SYN flood
// exploits (RFC 4987 §2-3; RFC 9293 §3.10.7.2 for the LISTEN state).
#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace wirestep {
namespace sim_listen_backlog_test {

// Server B listens on port 80 with `backlog`; `clients` hosts-worth of programs on A connect at 1 ms,
// 2 ms, ...; `drop_synack` drops every SYN-ACK on its way to A so no handshake from A completes.
std::string backlog_scenario(int backlog, int clients, bool drop_synack, bool server_accepts) {
  std::string s = R"(
[scenario]
name = "backlog"
title = "t"
title_zh = "t"
explanation = "e"
explanation_zh = "e"
seed = 1
duration = "30s"

[tcp]
syn_retries = 3
msl = "1s"

[[host]]
name = "A"
address = "10.0.0.1/24"

[[host]]
name = "B"
address = "10.0.0.2/24"

[[link]]
between = ["A", "B"]
latency = "10ms"
)";
  if (drop_synack) s += "\n[[link.impairment]]\ndirection = \"B>A\"\ntype = \"drop\"\nkind = \"syn-ack\"\n";
  s += "\n[[program]]\nname = \"server\"\nhost = \"B\"\nsocket = \"tcp\"\n"
       "[[program.step]]\ncall = \"bind\"\nport = 80\n"
       "[[program.step]]\ncall = \"listen\"\nbacklog = " +
       std::to_string(backlog) + "\n";
  if (server_accepts) s += "[[program.step]]\ncall = \"accept\"\n";
  for (int i = 1; i <= clients; ++i)
    s += "\n[[program]]\nname = \"client " + std::to_string(i) +
         "\"\nhost = \"A\"\nsocket = \"tcp\"\n[[program.step]]\ncall = \"connect\"\nat = \"" +
         std::to_string(i) + "ms\"\nto = \"B:80\"\n";
  return s;
}

RunResult run_text(const std::string& toml) {
  auto sc = parse_scenario(toml, "backlog.toml");
  EXPECT_TRUE(sc) << (sc ? "" : sc.error().message());
  return run_scenario(*sc);
}

// SYN-ACKs B sent as first transmissions: one per connection B agreed to hold.
int synacks_answered(const Trace& t) {
  int n = 0;
  for (std::size_t i = 0; i < t.packet_count(); ++i) {
    const PacketRecord p = t.packet(i);
    if (p.cause == Cause::FirstTransmission && (p.tcp_flags & wire::tcp_flag::kSyn) &&
        (p.tcp_flags & wire::tcp_flag::kAck))
      ++n;
  }
  return n;
}

int backlog_notes(const Trace& t) {
  int n = 0;
  for (const auto& e : t.events())
    if (e.kind == EventKind::Note && e.detail.find("listen backlog") != std::string::npos) ++n;
  return n;
}

const ProgramReport& program(const RunResult& r, const std::string& name) {
  for (const auto& p : r.programs)
    if (p.name == name) return p;
  ADD_FAILURE() << "no program " << name;
  return r.programs.front();
}

// RFC 4987 §2: half-open connections hold the backlog; the third SYN finds it full and gets no answer.
TEST(ListenBacklog, SynBeyondBacklogOfHalfOpenConnectionsIsIgnored) {
  const RunResult r = run_text(backlog_scenario(2, 3, true, true));
  EXPECT_EQ(synacks_answered(r.trace), 2);
  EXPECT_GE(backlog_notes(r.trace), 1);
  // Nobody completes a handshake: every client gives up after its SYN retries.
  for (const char* c : {"client 1", "client 2", "client 3"}) {
    ASSERT_TRUE(program(r, c).error.has_value()) << c;
    EXPECT_NE(program(r, c).error->find("ETIMEDOUT"), std::string::npos) << *program(r, c).error;
  }
}

// RFC 4987 §3: the entries time out (after the SYN-ACK retries), and then a new SYN is answered.
TEST(ListenBacklog, BacklogFreesWhenHalfOpenConnectionsTimeOut) {
  std::string toml = backlog_scenario(1, 1, true, true);
  // A second client on a host whose SYN-ACKs are not dropped, starting long after the first gave up.
  toml += R"(
[[host]]
name = "C"
address = "10.0.0.3/24"

[[link]]
between = ["C", "B"]
latency = "10ms"

[[program]]
name = "late"
host = "C"
socket = "tcp"
[[program.step]]
call = "connect"
at = "20s"
to = "B:80"
)";
  const RunResult r = run_text(toml);
  EXPECT_TRUE(program(r, "late").connected_at.has_value());
  EXPECT_EQ(program(r, "server").connections_accepted, 1u);
}

// Completed connections waiting for accept() count too: a server that never accepts holds `backlog`.
TEST(ListenBacklog, ConnectionsWaitingForAcceptFillTheBacklog) {
  const RunResult r = run_text(backlog_scenario(1, 2, false, false));
  EXPECT_TRUE(program(r, "client 1").connected_at.has_value());
  EXPECT_FALSE(program(r, "client 2").connected_at.has_value());
  EXPECT_EQ(synacks_answered(r.trace), 1);
  EXPECT_GE(backlog_notes(r.trace), 1);
}

// The same SYNs under a backlog large enough for all of them are all answered: the limit is the cause.
TEST(ListenBacklog, BacklogLargeEnoughAnswersEverySyn) {
  const RunResult r = run_text(backlog_scenario(3, 3, true, true));
  EXPECT_EQ(synacks_answered(r.trace), 3);
  EXPECT_EQ(backlog_notes(r.trace), 0);
}

}  // namespace sim_listen_backlog_test
}  // namespace wirestep
