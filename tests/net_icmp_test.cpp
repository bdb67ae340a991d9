// ICMP in the routed network (RFC 792, issue #18): echo and the ping program's output, port unreachable and
// what a connected UDP socket then sees, and traceroute's lines.
#include <gtest/gtest.h>

#include "net_test_support.hpp"
#include "sim/analysis/event_text_zh.hpp"
#include "sim/app/ping.hpp"

namespace wirestep {
namespace net_icmp_test {

using testing::output_of;
using testing::ping;
using testing::router_network;
using testing::rows_of;
using testing::run_text;

// iputils prints the round trip with 3 decimals below 1 ms, 2 below 10, 1 below 100, none above.
TEST(Ping, TimeTextHasIputilsPrecision) {
  EXPECT_EQ(ping_time_text(523), "0.523");
  EXPECT_EQ(ping_time_text(1234), "1.23");
  EXPECT_EQ(ping_time_text(20031), "20.0");
  EXPECT_EQ(ping_time_text(123456), "123");
}

// What ping prints, line for line: the header, one line per reply with the TTL that arrived, statistics.
TEST(Ping, PrintsWhatPingPrints) {
  const auto r = run_text(router_network(
      "[network]\narp = false\n" + ping("p", "A", "10.1.0.2", "count = 2\ninterval = \"1s\"\nsize = 56")));
  EXPECT_EQ(output_of(r, "p"),
            "PING 10.1.0.2 (10.1.0.2) 56(84) bytes of data.\n"
            "64 bytes from 10.1.0.2: icmp_seq=1 ttl=63 time=20.0 ms\n"
            "64 bytes from 10.1.0.2: icmp_seq=2 ttl=63 time=20.0 ms\n"
            "\n"
            "--- 10.1.0.2 ping statistics ---\n"
            "2 packets transmitted, 2 received, 0% packet loss, time 1020ms\n"
            "rtt min/avg/max/mdev = 20.000/20.000/20.000/0.000 ms\n");
  // RFC 792: the reply carries the request's identifier, sequence and data.
  const auto icmp = rows_of(r.trace, Transport::Icmp);
  ASSERT_EQ(icmp.size(), 8u);
  const IcmpRecord* req = r.trace.icmp(icmp[0]);
  const IcmpRecord* rep = r.trace.icmp(icmp[2]);
  EXPECT_EQ(req->message.type, 8);
  EXPECT_EQ(rep->message.type, 0);
  EXPECT_EQ(req->message.rest, rep->message.rest);
  std::vector<std::uint8_t> a, b;
  r.trace.payload_bytes(icmp[0], a);
  r.trace.payload_bytes(icmp[2], b);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 56u);
}

// ping -t 1 through a router: the router answers time exceeded, and ping prints it per sequence.
TEST(Ping, TtlOneThroughRouterPrintsTimeToLiveExceeded) {
  const auto r =
      run_text(router_network("[network]\narp = false\n" + ping("p", "A", "10.1.0.2", "count = 1\nttl = 1")));
  EXPECT_NE(output_of(r, "p").find("From 10.0.0.254 icmp_seq=1 Time to live exceeded"), std::string::npos)
      << output_of(r, "p");
}

const std::string kRecvfrom = "call = \"recvfrom\"\nsize = 100";

std::string port_unreachable(const std::string& client) {
  return testing::two_hosts("arp = false\n", client);
}

// RFC 1122 §4.1.3.1 / RFC 792: a datagram to a closed port is answered with type 3 code 3, quoting its IP
// header and UDP ports; Linux reports it to a connected socket as ECONNREFUSED on the next call.
TEST(IcmpPortUnreachable, ConnectedUdpSocketSeesEconnrefused) {
  const auto r = run_text(port_unreachable(testing::program(
      "c", "A",
      {"call = \"connect\"\nto = \"10.0.0.2:4444\"", "call = \"send\"\ntext = \"hello?\"", kRecvfrom})));
  const auto udp = rows_of(r.trace, Transport::Udp);
  const auto icmp = rows_of(r.trace, Transport::Icmp);
  ASSERT_EQ(udp.size(), 1u);
  ASSERT_EQ(icmp.size(), 1u);
  const IcmpRecord* m = r.trace.icmp(icmp[0]);
  EXPECT_EQ(m->message.type, 3);
  EXPECT_EQ(m->message.code, 3);
  ASSERT_TRUE(m->message.quote && m->message.quote->has_ports);
  EXPECT_EQ(m->message.quote->dst_port, 4444);
  EXPECT_EQ(m->message.quote->src_port, r.trace.flows()[r.trace.flow_of(udp[0])].a_port);
  EXPECT_EQ(m->quoted_flow, r.trace.flow_of(udp[0]));
  ASSERT_TRUE(r.programs[0].error);
  EXPECT_NE(r.programs[0].error->find("ECONNREFUSED"), std::string::npos) << *r.programs[0].error;
}

// udp(7): without connect the socket is not told; a blocked recvfrom keeps waiting.
TEST(IcmpPortUnreachable, UnconnectedSocketIsNotTold) {
  const auto r = run_text(port_unreachable(testing::program(
      "c", "A", {"call = \"sendto\"\nto = \"10.0.0.2:4444\"\ntext = \"hello?\"", kRecvfrom})));
  EXPECT_EQ(rows_of(r.trace, Transport::Icmp).size(), 1u);
  EXPECT_FALSE(r.programs[0].error);
  EXPECT_TRUE(r.programs[0].blocked_in);
}

// traceroute's output through two routers: one line per hop, three probes each, ending at the destination.
TEST(Traceroute, PrintsOneLinePerHopUntilTheDestination) {
  const auto r = run_text(R"(
[network]
arp = false
[[host]]
name = "A"
address = "10.0.0.1/24"
gateway = "10.0.0.254"
[[router]]
name = "R1"
[[router.interface]]
address = "10.0.0.254/24"
[[router.interface]]
address = "10.0.1.1/30"
[[router.route]]
to = "10.2.0.0/16"
via = "10.0.1.2"
[[router]]
name = "R2"
[[router.interface]]
address = "10.0.1.2/30"
[[router.interface]]
address = "10.2.0.254/24"
[[router.route]]
to = "default"
via = "10.0.1.1"
[[host]]
name = "B"
address = "10.2.0.2/24"
gateway = "10.2.0.254"
[[link]]
between = ["A", "R1"]
latency = "1ms"
[[link]]
between = ["R1", "R2"]
latency = "1ms"
[[link]]
between = ["R2", "B"]
latency = "1ms"
[[program]]
name = "t"
host = "A"
[[program.step]]
call = "traceroute"
to = "10.2.0.2"
)");
  EXPECT_EQ(output_of(r, "t"),
            "traceroute to 10.2.0.2 (10.2.0.2), 30 hops max, 60 byte packets\n"
            " 1  10.0.0.254 (10.0.0.254)  2.000 ms  2.000 ms  2.000 ms\n"
            " 2  10.0.1.2 (10.0.1.2)  4.000 ms  4.000 ms  4.000 ms\n"
            " 3  10.2.0.2 (10.2.0.2)  6.000 ms  6.000 ms  6.000 ms\n");
  // Nine probes out; six time exceeded (types 11) and three port unreachable (type 3 code 3) back.
  int exceeded = 0, unreachable = 0;
  for (auto i : rows_of(r.trace, Transport::Icmp)) {
    const auto& m = r.trace.icmp(i)->message;
    if (r.trace.hop(i)->to_node != 0) continue;  // count each message once: on its last hop, into A
    exceeded += m.type == 11;
    unreachable += m.type == 3 && m.code == 3;
  }
  EXPECT_EQ(exceeded, 6);
  EXPECT_EQ(unreachable, 3);
}

// Every note the routed network writes reads in Chinese too, with no English words left in it.
TEST(NetNotes, EveryRoutedNetworkNoteHasAChineseText) {
  const auto r = run_text(testing::two_hosts(
      "",
      testing::program("c", "A",
                       {"call = \"connect\"\nto = \"10.0.0.2:4444\"", "call = \"send\"\ntext = \"x\"",
                        "call = \"recvfrom\"\nsize = 10"}) +
          testing::ping("p", "A", "10.0.0.9"),
      ""));
  int checked = 0;
  for (const auto& e : r.trace.events()) {
    if (e.kind != EventKind::Note || e.detail.rfind("\"p\" printed", 0) == 0 ||
        e.detail.find("implicit") == 0)
      continue;
    const std::string zh = event_text(Lang::Zh, e.kind, e.detail);
    for (const char* word : {"ARP:", "who has", "error", "about", "refused", "answer", "queued", "dropped"})
      EXPECT_EQ(zh.find(word), std::string::npos) << e.detail << " -> " << zh;
    ++checked;
  }
  EXPECT_GE(checked, 3);
}

}  // namespace net_icmp_test
}  // namespace wirestep
