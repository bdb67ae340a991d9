// Small routed networks for the routing, ARP and ICMP tests (issue #18): scenario text around a few
// programs, run at a seed, and helpers to find the rows of one protocol.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"

namespace wirestep::testing {

// Scenario pieces: a [[host]], a [[link]] and the router R between 10.0.0.0/24 and 10.1.0.0/24.
inline std::string host(const std::string& name, const std::string& address,
                        const std::string& gateway = "") {
  return "[[host]]\nname = \"" + name + "\"\naddress = \"" + address + "\"\n" +
         (gateway.empty() ? std::string() : "gateway = \"" + gateway + "\"\n");
}
inline std::string link(const std::string& a, const std::string& b, const std::string& latency,
                        const std::string& bandwidth = "") {
  return "[[link]]\nbetween = [\"" + a + "\", \"" + b + "\"]\nlatency = \"" + latency + "\"\n" +
         (bandwidth.empty() ? std::string() : "bandwidth = \"" + bandwidth + "\"\n");
}
inline const std::string kRouterR = R"([[router]]
name = "R"
[[router.interface]]
name = "eth0"
address = "10.0.0.254/24"
[[router.interface]]
name = "eth1"
address = "10.1.0.254/24"
)";

// A (10.0.0.1/24, gateway .254) -- R (10.0.0.254/24, 10.1.0.254/24) -- B (10.1.0.2/24): 5 ms per link.
// `extra` follows the R-B link, so a [[link.impairment]] at its start applies there.
inline std::string router_network(const std::string& extra) {
  return host("A", "10.0.0.1/24", "10.0.0.254") + host("B", "10.1.0.2/24", "10.1.0.254") + kRouterR +
         link("A", "R:eth0", "5ms") + link("R:eth1", "B", "5ms") + extra;
}

// The router lesson's topology (scenarios/net-router-subnets.toml) with ARP: A (10.0.0.1), B (10.0.0.2) and
// R's eth0 (10.0.0.254) on switch S, C (10.1.0.2) behind R's eth1. Nodes in order: A 0, B 1, C 2, R 3, S 4.
// `network` adds keys to its [network] table.
inline std::string switched_router_network(const std::string& extra, const std::string& network = "") {
  return "[network]\narp = true\n" + network + host("A", "10.0.0.1/24", "10.0.0.254") +
         host("B", "10.0.0.2/24", "10.0.0.254") + host("C", "10.1.0.2/24", "10.1.0.254") + kRouterR +
         "[[switch]]\nname = \"S\"\nports = 4\n" + link("A", "S", "2ms", "100Mbit") +
         link("B", "S", "2ms", "100Mbit") + link("R:eth0", "S", "2ms", "100Mbit") +
         link("R:eth1", "C", "5ms", "100Mbit") + extra;
}

// Two hosts on one link: A (10.0.0.1/24) -- B (10.0.0.2/24). `network`: the [network] table's keys (ARP is
// on unless they say otherwise); `latency`: the link's, none for the default.
inline std::string two_hosts(const std::string& network, const std::string& extra,
                             const std::string& latency = "5ms") {
  return "[network]\n" + network + host("A", "10.0.0.1/24") + host("B", "10.0.0.2/24") +
         (latency.empty() ? std::string("[[link]]\nbetween = [\"A\", \"B\"]\n") : link("A", "B", latency)) +
         extra;
}

// A [[program]] on `host` whose steps are `steps`, each the TOML lines of one [[program.step]].
inline std::string program(const std::string& name, const std::string& host,
                           const std::vector<std::string>& steps, bool tcp = false) {
  std::string out = "[[program]]\nname = \"" + name + "\"\nhost = \"" + host + "\"\n";
  if (tcp) out += "socket = \"tcp\"\n";
  for (const std::string& step : steps) out += "[[program.step]]\n" + step + "\n";
  return out;
}

// A UDP program that binds `port` and receives `count` datagrams of up to 100 bytes.
inline std::string udp_receiver(const std::string& name, const std::string& host, int port, int count = 1) {
  return program(name, host,
                 {"call = \"bind\"\nport = " + std::to_string(port),
                  "call = \"recvfrom\"\nsize = 100\ncount = " + std::to_string(count)});
}

// A TCP server on `host`: bind, listen, accept one client, read until it closes.
inline std::string tcp_server(const std::string& name, const std::string& host, int port) {
  return program(name, host,
                 {"call = \"bind\"\nport = " + std::to_string(port), "call = \"listen\"", "call = \"accept\"",
                  "call = \"recv\"\nsize = 65536\nuntil_eof = true"},
                 true);
}

// ping on `host` to `to`; `keys`: more of its keys (count, interval, ttl, wait), one per line.
inline std::string ping(const std::string& name, const std::string& host, const std::string& to,
                        const std::string& keys = "count = 1") {
  return program(name, host, {"call = \"ping\"\nto = \"" + to + "\"\n" + keys});
}

inline RunResult run_text(const std::string& text, std::uint64_t seed = 1) {
  auto sc =
      parse_scenario("[scenario]\nname = \"t\"\nexplanation = \"t\"\nseed = 1\n" + text, "net-test.toml");
  EXPECT_TRUE(sc) << (sc ? "" : sc.error().message());
  if (!sc) return RunResult{};
  return run_scenario(*sc, seed);
}

inline std::vector<std::size_t> rows_of(const Trace& t, Transport proto) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < t.packet_count(); ++i)
    if (t.flows()[t.flow_of(i)].proto == proto) out.push_back(i);
  return out;
}

inline std::string output_of(const RunResult& r, const std::string& program) {
  std::string out;
  for (const auto& p : r.programs)
    if (p.name == program)
      for (const auto& l : p.output) out += l + "\n";
  return out;
}

}  // namespace wirestep::testing
