// The state panel's socket list (ConnectionStates::hosts, sim/analysis/connection_state.hpp): every TCP
// socket of a host at the cursor, the listener first, each accepted socket with its own peer and state (seed
// notes 11.5-11.6: accept() returns a new socket per client); a capture's sockets are the ends of its
// connections.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "capture/analyzed_capture.hpp"
#include "sim/analysis/connection_state.hpp"
#include "sim/analysis/step_order.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "two_tcp_one_udp_capture.hpp"

namespace wirestep {
namespace ui_socket_list_test {

RunResult run_lesson(const std::string& name) {
  auto sc = load_scenario_file(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/" + name);
  EXPECT_TRUE(sc.ok());
  return run_scenario(*sc);
}

const ConnectionStates::HostSockets& host_named(const ConnectionStates& cs, const std::string& name) {
  for (const auto& h : cs.hosts())
    if (h.name == name) return h;
  ADD_FAILURE() << "no host " << name << " in the socket list";
  static const ConnectionStates::HostSockets none;
  return none;
}

// The rows the panel shows for `host` at the cursor: the sockets that exist by then, in the list's order.
std::vector<std::size_t> rows_at(const ConnectionStates& cs, const ConnectionStates::HostSockets& host,
                                 std::size_t happened) {
  std::vector<std::size_t> rows;
  for (std::size_t e : host.endpoints)
    if (cs.exists_at(e, happened)) rows.push_back(e);
  return rows;
}

TcpState state_or_closed(const ConnectionStates& cs, std::size_t e, std::size_t happened) {
  const auto st = cs.state_at(e, happened);
  return st ? st->state : TcpState::Closed;
}

// Notes 11.5-11.6: once both clients are accepted, S lists its listener in LISTEN and one socket per client,
// each with that client's address and port as its peer (RFC 9293 §3.3.2: the passive socket stays in LISTEN).
TEST(SocketListTwoClients, ListenerThenOneAcceptedSocketPerClientWithItsPeer) {
  const RunResult run = run_lesson("tcp-two-clients.toml");
  ConnectionStates cs;
  cs.build(run.trace);
  const auto& s = host_named(cs, "S");
  ASSERT_EQ(s.endpoints.size(), 3u);
  const auto& eps = cs.endpoints();
  const std::int64_t both_accepted =
      std::max(eps[s.endpoints[1]].accepted_ns, eps[s.endpoints[2]].accepted_ns);
  ASSERT_TRUE(eps[s.endpoints[1]].accepted_event && eps[s.endpoints[2]].accepted_event);
  StepOrder steps;
  steps.add_trace(run.trace);
  const std::size_t happened = steps.events_happened(0, Cursor{both_accepted, std::nullopt});
  const auto rows = rows_at(cs, s, happened);
  ASSERT_EQ(rows.size(), 3u);

  const auto& listener = eps[rows[0]];
  EXPECT_TRUE(listener.listener);
  EXPECT_EQ(listener.socket, 0u);  // fd 0, as the server program sees it
  EXPECT_EQ(listener.local, "0.0.0.0:80");
  EXPECT_TRUE(listener.peer.empty());
  EXPECT_EQ(state_or_closed(cs, rows[0], happened), TcpState::Listen);

  // Each accepted socket's peer is the client's own socket, seen from the other end, and vice versa.
  for (std::size_t k = 1; k < 3; ++k) {
    const auto& accepted = eps[rows[k]];
    const std::string client_name = k == 1 ? "C1" : "C2";
    EXPECT_EQ(accepted.socket, k);  // accept() returned fd 1 for C1, then fd 2 for C2
    EXPECT_FALSE(accepted.listener);
    EXPECT_EQ(state_or_closed(cs, rows[k], happened), TcpState::Established) << client_name;
    const auto& client = host_named(cs, client_name);
    ASSERT_EQ(client.endpoints.size(), 1u);
    const auto& c = eps[client.endpoints[0]];
    EXPECT_EQ(accepted.peer, c.local) << client_name;
    EXPECT_EQ(c.peer, accepted.local) << client_name;
    EXPECT_EQ(accepted.local, "10.0.0.1:80");
    EXPECT_EQ(accepted.peer.rfind(k == 1 ? "10.0.0.11:" : "10.0.0.12:", 0), 0u) << accepted.peer;
    // The socket exists from the SYN (SYN-RECEIVED) and is accepted once the handshake completes.
    EXPECT_LT(accepted.created_ns, accepted.accepted_ns);
    ASSERT_TRUE(accepted.flow);
    EXPECT_EQ(c.flow, accepted.flow);
  }
  // Before C1's SYN arrives, S has only its listener.
  const std::size_t early = steps.events_happened(0, Cursor{eps[rows[1]].created_ns - 1, std::nullopt});
  EXPECT_EQ(rows_at(cs, s, early).size(), 1u);
}

// RFC 4987 §2.2: each SYN of the flood leaves a half-open socket in SYN-RECEIVED; the list shows every one
// (the backlog of 4), none accepted, each with its own peer port on the attacking host.
TEST(SocketListSynFlood, EveryHalfOpenSocketIsListedWithItsOwnPeer) {
  const RunResult run = run_lesson("tcp-syn-flood.toml");
  ConnectionStates cs;
  cs.build(run.trace);
  StepOrder steps;
  steps.add_trace(run.trace);
  const std::size_t happened = steps.events_happened(0, Cursor{1'000'000'000, std::nullopt});
  const auto& b = host_named(cs, "B");
  const auto rows = rows_at(cs, b, happened);
  ASSERT_EQ(rows.size(), 5u);
  const auto& eps = cs.endpoints();
  EXPECT_TRUE(eps[rows[0]].listener);
  EXPECT_EQ(state_or_closed(cs, rows[0], happened), TcpState::Listen);
  std::set<std::string> peers;
  for (std::size_t k = 1; k < rows.size(); ++k) {
    EXPECT_EQ(state_or_closed(cs, rows[k], happened), TcpState::SynReceived);
    EXPECT_FALSE(eps[rows[k]].accepted_event);
    EXPECT_FALSE(eps[rows[k]].peer.empty());
    peers.insert(eps[rows[k]].peer);
    if (k > 1) {
      EXPECT_LT(eps[rows[k - 1]].created_event, eps[rows[k]].created_event);  // order of creation
    }
  }
  EXPECT_EQ(peers.size(), 4u);
}

// A capture has no sockets, only segments: each end of a connection is listed as a socket of its address,
// with the other end as its peer and its inferred state (RFC 9293 §3.3.2).
TEST(SocketListCapture, EachConnectionEndIsASocketOfItsAddressWithItsPeer) {
  testing::TempDir dir;
  const std::string path = dir.file("two-tcp.pcap");
  capture_test::write_two_tcp_one_udp(path);
  auto loaded = load_and_analyze(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  const Trace& trace = loaded->capture.trace;
  ConnectionStates cs;
  cs.build_inferred(trace, 256);
  const auto& client = host_named(cs, "10.0.0.1");
  ASSERT_EQ(client.endpoints.size(), 1u);
  const auto& c = cs.endpoints()[client.endpoints[0]];
  EXPECT_EQ(c.local, "10.0.0.1:5000");
  EXPECT_EQ(c.peer, "10.0.0.2:443");
  const std::size_t all = trace.packet_count();
  EXPECT_EQ(state_or_closed(cs, client.endpoints[0], all), TcpState::Established);
  const auto& server = host_named(cs, "10.0.0.2");
  ASSERT_FALSE(server.endpoints.empty());
  const auto& s = cs.endpoints()[server.endpoints[0]];
  EXPECT_EQ(s.local, "10.0.0.2:443");
  EXPECT_EQ(s.peer, "10.0.0.1:5000");
  EXPECT_EQ(s.flow, c.flow);
  // Before the first packet nothing exists; after it, the client's socket does.
  EXPECT_FALSE(cs.exists_at(client.endpoints[0], 0));
  EXPECT_TRUE(cs.exists_at(client.endpoints[0], 1));
}

}  // namespace ui_socket_list_test
}  // namespace wirestep
