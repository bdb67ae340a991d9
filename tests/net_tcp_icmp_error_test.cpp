// ICMP errors about a TCP connection's segments (issue #18), as Linux's tcp_v4_err handles them: in
// SYN-SENT a destination unreachable aborts connect() with its errno at once; an established connection
// keeps retrying and names the error only if it then times out. RFC 1122 §4.2.3.9 calls host and network
// unreachable soft errors in every state; Linux makes them hard during the handshake, and so do we.
#include <gtest/gtest.h>

#include "net_test_support.hpp"
#include "sim/analysis/event_text_zh.hpp"
#include "sim/scenario/call_error_zh.hpp"

namespace wirestep {
namespace net_tcp_icmp_error_test {

using testing::router_network;
using testing::rows_of;
using testing::run_text;

std::string client_connecting_to(const std::string& to) {
  return "[tcp]\nprofile = \"linux\"\n" +
         testing::program("client", "A", {"call = \"connect\"\nat = \"1ms\"\nto = \"" + to + "\""}, true);
}

// The time the client's connect() returned an error, from the Trace's socket events.
std::optional<SimTime> connect_error_time(const Trace& t) {
  for (const TraceEvent& e : t.events())
    if (e.kind == EventKind::SocketReturn && e.detail.starts_with("connect -> error")) return e.time;
  return std::nullopt;
}

TEST(TcpIcmpError, RouterHostUnreachableAbortsConnectWithEhostunreach) {
  const auto r = run_text(router_network("[network]\narp = true\n" + client_connecting_to("10.1.0.9:80")));
  ASSERT_TRUE(r.programs[0].error);
  EXPECT_NE(r.programs[0].error->find("no route to host (EHOSTUNREACH)"), std::string::npos)
      << *r.programs[0].error;
  // R asks ARP three times, 1 s apart, then answers with type 3 code 1 quoting the SYN (RFC 1812 §5.2.7.1).
  const auto icmp = rows_of(r.trace, Transport::Icmp);
  ASSERT_FALSE(icmp.empty());
  const IcmpRecord* m = r.trace.icmp(icmp[0]);
  EXPECT_EQ(m->message.type, 3);
  EXPECT_EQ(m->message.code, 1);
  ASSERT_TRUE(m->message.quote);
  EXPECT_EQ(m->message.quote->dst_port, 80);
  // Aborted when the first error arrives, about 3 s in: not after the SYN retries (127 s with Linux's 6).
  const auto failed = connect_error_time(r.trace);
  ASSERT_TRUE(failed);
  EXPECT_EQ(*failed, r.trace.packet(icmp[0]).arrive);
  EXPECT_LT(failed->ns, SimDuration::seconds(4).ns);
  EXPECT_GT(failed->ns, SimDuration::seconds(3).ns);
  for (std::size_t i : rows_of(r.trace, Transport::Tcp)) EXPECT_LE(r.trace.packet(i).time, *failed);
}

TEST(TcpIcmpError, SilentNeighbourOnTheSameSubnetFailsConnectWhenArpGivesUp) {
  const auto r = run_text(router_network("[network]\narp = true\n" + client_connecting_to("10.0.0.77:80")));
  ASSERT_TRUE(r.programs[0].error);
  EXPECT_NE(r.programs[0].error->find("EHOSTUNREACH"), std::string::npos) << *r.programs[0].error;
  // The SYN never left A (no MAC to send it to): A's own stack reports it (Linux arp_error_report).
  EXPECT_TRUE(rows_of(r.trace, Transport::Tcp).empty());
  EXPECT_TRUE(rows_of(r.trace, Transport::Icmp).empty());
  const auto failed = connect_error_time(r.trace);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->ns, SimDuration::seconds(3).ns + SimDuration::millis(1).ns);
}

TEST(TcpIcmpError, RouterWithoutRouteAbortsConnectWithEnetunreach) {
  const auto r = run_text(router_network("[network]\narp = false\n" + client_connecting_to("10.9.0.1:80")));
  ASSERT_TRUE(r.programs[0].error);
  EXPECT_NE(r.programs[0].error->find("network is unreachable (ENETUNREACH)"), std::string::npos)
      << *r.programs[0].error;
  const auto icmp = rows_of(r.trace, Transport::Icmp);
  ASSERT_EQ(icmp.size(), 1u);
  EXPECT_EQ(r.trace.icmp(icmp[0])->message.code, 0);
  // One SYN, one ICMP back, connect fails 10 ms later: no retransmission.
  EXPECT_EQ(rows_of(r.trace, Transport::Tcp).size(), 1u);
}

// Established: host unreachable is only remembered (Linux sk_err_soft); TCP retransmits until its retry
// limit and then reports the ICMP error instead of ETIMEDOUT (tcp_write_err).
TEST(TcpIcmpError, EstablishedConnectionKeepsRetryingAndTimesOutNamingTheError) {
  const auto r = run_text(router_network(
      "[[link.impairment]]\ntype = \"drop\"\nproto = \"arp\"\nfrom = \"2s\"\n"
      "[network]\narp = true\narp_timeout = \"1s\"\n[tcp]\nprofile = \"linux\"\nretries = 6\n" +
      testing::tcp_server("server", "B", 8080) +
      testing::program(
          "client", "A",
          {"call = \"connect\"\nat = \"10ms\"\nto = \"10.1.0.2:8080\"", "call = \"send\"\ntext = \"hello\"",
           "call = \"send\"\nat = \"3s\"\ntext = \"are you still there?\"", "call = \"recv\"\nsize = 100"},
          true)));
  const ProgramReport& client = r.programs[1];
  ASSERT_TRUE(client.connected_at);
  ASSERT_TRUE(client.error);
  EXPECT_NE(
      client.error->find("connection timed out after 6 retransmissions: no route to host (EHOSTUNREACH)"),
      std::string::npos)
      << *client.error;
  // The first host unreachable reached A while it was established; A retransmitted after it all the same.
  const auto icmp = rows_of(r.trace, Transport::Icmp);
  ASSERT_FALSE(icmp.empty());
  const SimTime first_error = r.trace.packet(icmp[0]).arrive;
  std::size_t resent_after = 0;
  for (std::size_t i : rows_of(r.trace, Transport::Tcp)) {
    const PacketRecord p = r.trace.packet(i);
    if (p.time > first_error && p.cause == Cause::RtoRetransmission && r.trace.hop(i)->from_node == 0u)
      ++resent_after;
  }
  EXPECT_GE(resent_after, 1u);
}

// Every errno text a connect or a timed-out connection can now fail with reads in Chinese too.
TEST(TcpIcmpError, ErrnoTextsReadInChinese) {
  for (const char* en :
       {"connect: no route to host (EHOSTUNREACH)", "connect: network is unreachable (ENETUNREACH)",
        "recv failed: connection timed out after 6 retransmissions: no route to host (EHOSTUNREACH)"}) {
    const std::string zh = call_error_zh(en);
    EXPECT_EQ(zh.find("route"), std::string::npos) << zh;
    EXPECT_EQ(zh.find("unreachable"), std::string::npos) << zh;
    EXPECT_EQ(zh.find("retransmissions"), std::string::npos) << zh;
  }
  const std::string ev =
      event_text(Lang::Zh, EventKind::Note,
                 "connection timed out after 6 retransmissions: no route to host (EHOSTUNREACH)");
  EXPECT_EQ(ev, "连接超时：已重传 6 次：没有到主机的路由（EHOSTUNREACH）");
}

}  // namespace net_tcp_icmp_error_test
}  // namespace wirestep
