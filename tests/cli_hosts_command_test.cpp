// `wirestep hosts` (issue #18, seed notes 1-5): a scenario's hosts as `ip a` and `ipconfig` show them, each
// address split into network part, host part and broadcast, and a warning for a link between two subnets.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/wire/ip_addr.hpp"
#include "tests/test_support.hpp"
#include "ui/cli/hosts_command.hpp"

namespace wirestep {
namespace cli_hosts_command_test {

using testing::run_command_line;

const bool kEnglishByDefault = [] { return setenv("WIRESTEP_LANG", "en", 1) == 0; }();
const std::string kBinary = WIRESTEP_BINARY;
const std::string kHandshake = std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/tcp-handshake.toml";

wire::Ipv4Addr ip(const char* text) {
  return *wire::Ipv4Addr::parse(text);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Two hosts on one link, addresses given.
Scenario two_hosts(const std::string& a, const std::string& b) {
  const std::string text = "[scenario]\nname = \"t\"\n[[host]]\nname = \"A\"\naddress = \"" + a +
                           "\"\n[[host]]\nname = \"B\"\naddress = \"" + b +
                           "\"\n[[link]]\nbetween = [\"A\", \"B\"]\n";
  auto sc = parse_scenario(text, "t.toml");
  EXPECT_TRUE(sc) << (sc ? "" : sc.error().message());
  return sc ? *sc : Scenario{};
}

TEST(CliHostsCommand, HandshakeLessonPrintsEachHostAsIpA) {
  const auto r = run_command_line(kBinary + " hosts " + kHandshake);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::vector<std::string> expected = {
      "host A$ ip a",
      "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000",
      "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
      "    inet 127.0.0.1/8 scope host lo",
      "       valid_lft forever preferred_lft forever",
      "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default qlen 1000",
      "    link/ether 02:00:00:00:00:00 brd ff:ff:ff:ff:ff:ff",
      "    inet 10.0.0.1/24 brd 10.0.0.255 scope global eth0",
      "       valid_lft forever preferred_lft forever",
      "",
      "eth0 10.0.0.1/24: network part 10.0.0.0 (24 bits), host part 0.0.0.1 (8 bits), "
      "mask "
      "255.255.255.0, broadcast 10.0.0.255 (every host bit set)",
      "",
      "host B$ ip a",
      "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000",
      "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
      "    inet 127.0.0.1/8 scope host lo",
      "       valid_lft forever preferred_lft forever",
      "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default qlen 1000",
      "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff",
      "    inet 10.0.0.2/24 brd 10.0.0.255 scope global eth0",
      "       valid_lft forever preferred_lft forever",
      "",
      "eth0 10.0.0.2/24: network part 10.0.0.0 (24 bits), host part 0.0.0.2 (8 bits), "
      "mask "
      "255.255.255.0, broadcast 10.0.0.255 (every host bit set)",
      "",
  };
  const auto got = lines_of(r.output);
  ASSERT_GE(got.size(), expected.size()) << r.output;
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(got[i], expected[i]) << "line " << i + 1;
  EXPECT_EQ(r.output.find("warning"), std::string::npos) << "both hosts are in 10.0.0.0/24";
}

TEST(CliHostsCommand, HandshakeLessonPrintsEachHostAsIpconfig) {
  const auto r = run_command_line(kBinary + " hosts " + kHandshake + " --style ipconfig");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::vector<std::string> expected = {
      "host A> ipconfig",
      "",
      "Windows IP Configuration",
      "",
      "",
      "Ethernet adapter eth0:",
      "",
      "   Connection-specific DNS Suffix  . : ",
      "   IPv4 Address. . . . . . . . . . . : 10.0.0.1",
      "   Subnet Mask . . . . . . . . . . . : 255.255.255.0",
      "   Default Gateway . . . . . . . . . : (none: no router in the scenario)",
      "",
      "eth0 10.0.0.1/24: network part 10.0.0.0 (24 bits), host part 0.0.0.1 (8 bits), "
      "mask "
      "255.255.255.0, broadcast 10.0.0.255 (every host bit set)",
      "",
      "host B> ipconfig",
  };
  const auto got = lines_of(r.output);
  ASSERT_GE(got.size(), expected.size()) << r.output;
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(got[i], expected[i]) << "line " << i + 1;
  EXPECT_NE(r.output.find("   IPv4 Address. . . . . . . . . . . : 10.0.0.2\n"), std::string::npos);
}

// The MAC address printed is the one the simulated frames carry: tshark reads it from the pcap export.
TEST(CliHostsCommand, MacAddressesMatchThePcapExportInTshark) {
  WIRESTEP_REQUIRE_TSHARK();
  testing::TempDir dir;
  const std::string pcap = dir.file("h.pcap");
  ASSERT_EQ(run_command_line(kBinary + " run " + kHandshake + " --pcap " + pcap).exit_code, 0);
  const auto seen =
      run_command_line("tshark -r " + pcap + " -T fields -e ip.src -e eth.src 2>/dev/null | sort -u");
  ASSERT_EQ(seen.exit_code, 0);
  EXPECT_EQ(seen.output, "10.0.0.1\t02:00:00:00:00:00\n10.0.0.2\t02:00:00:00:00:01\n");
  const auto hosts = run_command_line(kBinary + " hosts " + kHandshake).output;
  EXPECT_NE(hosts.find("link/ether 02:00:00:00:00:00 "), std::string::npos);
  EXPECT_NE(hosts.find("link/ether 02:00:00:00:00:01 "), std::string::npos);
}

TEST(WireAddressParts, Slash24SplitsAtTheLastOctet) {
  const auto p = wire::split_address(ip("192.168.1.77"), 24);
  EXPECT_EQ(p.network.to_string(), "192.168.1.0");
  EXPECT_EQ(p.host.to_string(), "0.0.0.77");
  EXPECT_EQ(wire::prefix_mask(24).to_string(), "255.255.255.0");
  EXPECT_EQ(wire::broadcast_address(ip("192.168.1.77"), 24)->to_string(), "192.168.1.255");
}

TEST(WireAddressParts, Slash16KeepsTwoOctetsOfNetwork) {
  const auto p = wire::split_address(ip("172.16.5.9"), 16);
  EXPECT_EQ(p.network.to_string(), "172.16.0.0");
  EXPECT_EQ(p.host.to_string(), "0.0.5.9");
  EXPECT_EQ(wire::prefix_mask(16).to_string(), "255.255.0.0");
  EXPECT_EQ(wire::broadcast_address(ip("172.16.5.9"), 16)->to_string(), "172.16.255.255");
}

// A /30 holds four addresses: network, two hosts, broadcast (the classic point-to-point subnet before RFC
// 3021).
TEST(WireAddressParts, Slash30HasTwoHostsBetweenNetworkAndBroadcast) {
  const auto p = wire::split_address(ip("10.1.1.6"), 30);
  EXPECT_EQ(p.network.to_string(), "10.1.1.4");
  EXPECT_EQ(p.host.to_string(), "0.0.0.2");
  EXPECT_EQ(wire::prefix_mask(30).to_string(), "255.255.255.252");
  EXPECT_EQ(wire::broadcast_address(ip("10.1.1.6"), 30)->to_string(), "10.1.1.7");
}

// RFC 3021 §2.2: on a /31 both addresses are hosts; there is no broadcast address.
TEST(WireAddressParts, Slash31HasNoBroadcastPerRfc3021) {
  const auto p = wire::split_address(ip("10.1.1.7"), 31);
  EXPECT_EQ(p.network.to_string(), "10.1.1.6");
  EXPECT_EQ(p.host.to_string(), "0.0.0.1");
  EXPECT_EQ(wire::prefix_mask(31).to_string(), "255.255.255.254");
  EXPECT_FALSE(wire::broadcast_address(ip("10.1.1.7"), 31));
  EXPECT_TRUE(wire::share_subnet(ip("10.1.1.6"), 31, ip("10.1.1.7"), 31));
}

TEST(WireAddressParts, Slash32IsOneHostWithoutBroadcast) {
  const auto p = wire::split_address(ip("10.1.1.7"), 32);
  EXPECT_EQ(p.network.to_string(), "10.1.1.7");
  EXPECT_EQ(p.host.to_string(), "0.0.0.0");
  EXPECT_EQ(wire::prefix_mask(32).to_string(), "255.255.255.255");
  EXPECT_FALSE(wire::broadcast_address(ip("10.1.1.7"), 32));
  EXPECT_EQ(wire::prefix_mask(0).to_string(), "0.0.0.0");
}

TEST(CliHostsCommand, IpALineShowsBroadcastOnlyWhereOneExists) {
  EXPECT_EQ(ip_a_lines(0, ip("172.16.5.9"), 16)[6],
            "    inet 172.16.5.9/16 brd 172.16.255.255 scope global eth0");
  EXPECT_EQ(ip_a_lines(0, ip("10.1.1.6"), 30)[6], "    inet 10.1.1.6/30 brd 10.1.1.7 scope global eth0");
  // iproute2 prints no brd for an address that has none (RFC 3021 /31, a /32).
  EXPECT_EQ(ip_a_lines(0, ip("10.1.1.7"), 31)[6], "    inet 10.1.1.7/31 scope global eth0");
  EXPECT_EQ(ip_a_lines(0, ip("10.1.1.7"), 32)[6], "    inet 10.1.1.7/32 scope global eth0");
}

TEST(CliHostsCommand, PartsLineExplainsEachPrefixLength) {
  EXPECT_EQ(address_parts_line("eth0", ip("10.1.1.6"), 30, Lang::En),
            "eth0 10.1.1.6/30: network part 10.1.1.4 (30 bits), host part 0.0.0.2 (2 bits), "
            "mask 255.255.255.252, broadcast 10.1.1.7 (every host bit set)");
  EXPECT_EQ(address_parts_line("eth0", ip("10.1.1.7"), 31, Lang::En),
            "eth0 10.1.1.7/31: network part 10.1.1.6 (31 bits), host part 0.0.0.1 (1 bit), "
            "mask 255.255.255.254, no broadcast: both addresses of a /31 are hosts (RFC 3021)");
  EXPECT_EQ(address_parts_line("eth0", ip("10.1.1.7"), 32, Lang::Zh),
            "eth0 10.1.1.7/32：网络部分 10.1.1.7（32 位），主机部分 0.0.0.0（0 位），子网掩码 "
            "255.255.255.255，没有广播地址：/32 只包含这一台主机");
}

TEST(CliHostsCommand, HostsOnOneLinkInDifferentSubnetsGetAWarning) {
  const Scenario sc = two_hosts("10.0.0.1/24", "192.168.245.1/24");
  const std::string en = format_hosts(sc, HostsStyle::Ip, Lang::En);
  EXPECT_NE(en.find("warning: A 10.0.0.1/24 and B 192.168.245.1/24 share a link but not a subnet: on a real "
                    "network they could not talk without a router\n"),
            std::string::npos)
      << en;
  const std::string zh = format_hosts(sc, HostsStyle::Ipconfig, Lang::Zh);
  EXPECT_NE(zh.find("警告：A 10.0.0.1/24 和 B 192.168.245.1/24 在同一条链路上，却不在同一个子网："),
            std::string::npos)
      << zh;
}

// Each host must lie in the other's prefix: 10.0.0.1/16 sees 10.0.5.1 as local, but 10.0.5.1/24 does not
// see 10.0.0.1, so its replies would go to a (missing) router.
TEST(CliHostsCommand, MismatchedPrefixLengthsAreWarnedAbout) {
  EXPECT_EQ(format_hosts(two_hosts("10.0.0.1/16", "10.0.5.1/16"), HostsStyle::Ip, Lang::En).find("warning"),
            std::string::npos);
  EXPECT_NE(format_hosts(two_hosts("10.0.0.1/16", "10.0.5.1/24"), HostsStyle::Ip, Lang::En).find("warning"),
            std::string::npos);
}

TEST(CliHostsCommand, LangZhPrintsChineseExplanationsAndIpconfigLabels) {
  const auto r = run_command_line(kBinary + " hosts " + kHandshake + " --style ipconfig --lang zh");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("主机 A> ipconfig\n\nWindows IP 配置\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("   IPv4 地址 . . . . . . . . . . . . : 10.0.0.1\n"), std::string::npos);
  EXPECT_NE(r.output.find("   子网掩码  . . . . . . . . . . . . : 255.255.255.0\n"), std::string::npos);
  EXPECT_NE(r.output.find("网络部分 10.0.0.0（24 位），主机部分 0.0.0.2（8 位）"), std::string::npos);
  EXPECT_EQ(r.output.find("network part"), std::string::npos) << "no English left in the Chinese output";
  // `ip a` itself prints the same in every locale; only the explanations change.
  const auto ip_zh = run_command_line(kBinary + " hosts " + kHandshake + " --lang zh");
  EXPECT_NE(ip_zh.output.find("主机 A$ ip a\n1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536"), std::string::npos);
}

TEST(CliHostsCommand, MissingScenarioFileIsReportedWithExitTwo) {
  const auto r = run_command_line(kBinary + " hosts /nonexistent/nope.toml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("wirestep: /nonexistent/nope.toml: cannot open the scenario file"),
            std::string::npos)
      << r.output;
}

TEST(CliHostsCommand, BadScenarioNamesFileLineAndReason) {
  testing::TempDir dir;
  const std::string path = dir.file("bad.toml");
  {
    std::ofstream f(path);
    f << "[scenario]\nname = \"bad\"\n[[host]]\nname = \"A\"\naddress = \"10.0.0.1/40\"\n";
  }
  const auto r = run_command_line(kBinary + " hosts " + path);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("bad.toml: line 5, column 11: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("prefix length \"/40\" must be 0..32"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("ip a"), std::string::npos) << "nothing printed for a bad scenario";
}

TEST(CliHostsCommand, UnknownStyleIsRejectedWithExitTwo) {
  const auto r = run_command_line(kBinary + " hosts " + kHandshake + " --style ifconfig");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("ifconfig not in {ip,ipconfig}"), std::string::npos) << r.output;
}

// Issue #18: routers and switches are nodes too, and `ip a` lists every interface a node has.
Scenario router_lesson() {
  auto sc = load_scenario_file(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/net-router-subnets.toml");
  EXPECT_TRUE(sc);
  return sc ? *sc : Scenario{};
}

// The lines of one node's block, from its title to the blank line before its explanation.
std::vector<std::string> block_of(const std::string& report, const std::string& title) {
  std::vector<std::string> out;
  bool in = false;
  for (const auto& l : lines_of(report)) {
    if (l == title) in = true;
    if (!in) continue;
    if (l.empty()) break;
    out.push_back(l);
  }
  return out;
}

TEST(CliHostsCommand, RouterShowsEveryInterfaceWithItsOwnMacAndAddress) {
  const std::string en = format_hosts(router_lesson(), HostsStyle::Ip, Lang::En);
  const auto r = block_of(en, "host R$ ip a");
  ASSERT_EQ(r.size(), 13u) << en;
  EXPECT_EQ(r[5],
            "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default "
            "qlen 1000");
  EXPECT_EQ(r[7], "    inet 10.0.0.254/24 brd 10.0.0.255 scope global eth0");
  EXPECT_EQ(r[9],
            "3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default "
            "qlen 1000");
  // 02:00:00:<interface>:<node>: R is the fourth node, eth1 its second interface.
  EXPECT_EQ(r[10], "    link/ether 02:00:00:01:00:03 brd ff:ff:ff:ff:ff:ff");
  EXPECT_EQ(r[11], "    inet 10.1.0.254/24 brd 10.1.0.255 scope global eth1");
  EXPECT_NE(en.find("\neth1 10.1.0.254/24: network part 10.1.0.0 (24 bits)"), std::string::npos) << en;
}

TEST(CliHostsCommand, PrintedMacsAreTheOnesTheRoutersArpRepliesCarry) {
  // RFC 826: a reply's sender hardware address is the answering interface's; `ip a` must show the same.
  const Scenario sc = router_lesson();
  const std::string en = format_hosts(sc, HostsStyle::Ip, Lang::En);
  const RunResult run = run_scenario(sc);
  std::size_t replies = 0;
  for (std::size_t i = 0; i < run.trace.packet_count(); ++i) {
    const PacketRecord p = run.trace.packet(i);
    if (!p.arp || p.arp->op != 2) continue;
    char mac[18];
    const auto& m = p.arp->sender_mac;
    std::snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
    EXPECT_NE(en.find("    link/ether " + std::string(mac) + " brd"), std::string::npos) << mac;
    ++replies;
  }
  EXPECT_EQ(replies, 5u) << "three replies, two of them over the switch: two rows each";
}

TEST(CliHostsCommand, SwitchPortsAreListedWithoutAnAddress) {
  const std::string en = format_hosts(router_lesson(), HostsStyle::Ip, Lang::En);
  const auto s = block_of(en, "host S$ ip a");
  ASSERT_EQ(s.size(), 13u) << en;  // title, loopback (4 lines), four ports of two lines each
  EXPECT_EQ(s[11].rfind("5: port4: ", 0), 0u) << s[11];
  EXPECT_EQ(en.find(" 0.0.0.0/"), std::string::npos) << "a switch has no address to print\n" << en;
  EXPECT_NE(en.find("S: a switch's ports have no IP address"), std::string::npos);
  EXPECT_EQ(en.find("warning"), std::string::npos) << "A, B and R's eth0 share 10.0.0.0/24\n" << en;
  const std::string zh = format_hosts(router_lesson(), HostsStyle::Ip, Lang::Zh);
  EXPECT_NE(zh.find("S：交换机的端口没有 IP 地址"), std::string::npos) << zh;
}

TEST(CliHostsCommand, HostsOnOneSwitchInDifferentSubnetsGetAWarning) {
  const std::string text = R"([scenario]
name = "t"
[[host]]
name = "A"
address = "10.0.0.1/24"
[[host]]
name = "B"
address = "10.0.1.2/24"
[[switch]]
name = "S"
ports = 2
[[link]]
between = ["A", "S"]
[[link]]
between = ["B", "S"]
)";
  auto sc = parse_scenario(text, "t.toml");
  ASSERT_TRUE(sc) << sc.error().message();
  const std::string en = format_hosts(*sc, HostsStyle::Ip, Lang::En);
  EXPECT_NE(en.find("warning: A 10.0.0.1/24 and B 10.0.1.2/24 are both on switch S but not in one subnet"),
            std::string::npos)
      << en;
  const std::string zh = format_hosts(*sc, HostsStyle::Ip, Lang::Zh);
  EXPECT_NE(zh.find("警告：A 10.0.0.1/24 和 B 10.0.1.2/24 都接在交换机 S 上"), std::string::npos) << zh;
}

TEST(CliHostsCommand, IpconfigShowsEachAdapterAndTheDefaultGateway) {
  const std::string en = format_hosts(router_lesson(), HostsStyle::Ipconfig, Lang::En);
  EXPECT_NE(en.find("Ethernet adapter eth1:"), std::string::npos) << en;
  EXPECT_NE(en.find("   Default Gateway . . . . . . . . . : 10.0.0.254\n"), std::string::npos) << en;
  const auto r = run_command_line(kBinary + " hosts " + std::string(WIRESTEP_SOURCE_DIR) +
                                  "/scenarios/net-router-subnets.toml");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("3: eth1: "), std::string::npos) << r.output;
}

}  // namespace cli_hosts_command_test
}  // namespace wirestep
