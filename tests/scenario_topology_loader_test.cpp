// Reading routed topologies (issue #18): routers, interfaces, routes, gateways, links by interface and
// [network], and the errors a typo gets: file, line and reason, in English and 简体中文.
#include <gtest/gtest.h>

#include "sim/scenario/scenario_loader.hpp"

namespace wirestep {
namespace scenario_topology_loader_test {

const char* kRouter = R"(
[scenario]
name = "t"
explanation = "t"
seed = 1
[[host]]
name = "A"
address = "10.0.0.1/24"
gateway = "10.0.0.254"
[[router]]
name = "R"
[[router.interface]]
name = "eth0"
address = "10.0.0.254/24"
mac = "02:aa:bb:cc:dd:ee"
[[router.interface]]
name = "eth1"
address = "10.1.0.254/24"
mtu = 1400
[[router.route]]
to = "10.9.0.0/16"
via = "10.1.0.1"
[[link]]
between = ["A", "R:eth0"]
)";

TEST(ScenarioTopology, RouterInterfacesRoutesAndGatewayAreRead) {
  auto sc = parse_scenario(kRouter, "t.toml");
  ASSERT_TRUE(sc) << sc.error().message();
  EXPECT_TRUE(sc->network.routed);
  EXPECT_TRUE(sc->network.arp);
  ASSERT_EQ(sc->hosts.size(), 2u);
  const ScenarioHost& r = sc->hosts[1];
  EXPECT_TRUE(r.router);
  ASSERT_EQ(r.interfaces.size(), 2u);
  EXPECT_EQ(r.interfaces[0].mac, (wire::MacAddr{0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee}));
  EXPECT_EQ(r.interfaces[1].mtu, 1400u);
  ASSERT_EQ(r.routes.size(), 1u);
  EXPECT_EQ(r.routes[0].prefix_len, 16);
  EXPECT_EQ(sc->hosts[0].gateway, wire::Ipv4Addr::parse("10.0.0.254"));
  EXPECT_EQ(sc->links[0].b_if, "eth0");
}

struct BadCase {
  const char* what;
  std::string text;
  const char* reason;     // in the English message
  const char* reason_zh;  // in the Chinese one
};

std::string with(const std::string& from, const std::string& to) {
  std::string s = kRouter;
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(ScenarioTopology, BadInputNamesLineAndReasonInBothLanguages) {
  const std::vector<BadCase> cases = {
      {"gateway off every subnet", with("gateway = \"10.0.0.254\"", "gateway = \"10.5.0.1\""),
       "is not on a subnet", "不在"},
      {"route to a bad prefix", with("to = \"10.9.0.0/16\"", "to = \"10.9.0.0/40\""), "is not a destination",
       "目的网络"},
      {"route without via or dev", with("via = \"10.1.0.1\"", ""), "needs \"via\"", "需要 \"via\""},
      {"route via an unknown interface", with("via = \"10.1.0.1\"", "dev = \"eth7\""), "has no interface",
       "没有接口"},
      {"link to an unknown interface", with("\"R:eth0\"", "\"R:eht0\""), "did you mean \"eth0\"", "没有接口"},
      {"interface linked twice",
       std::string(kRouter) + "[[host]]\nname = \"C\"\naddress = \"10.0.0.3/24\"\n"
                              "[[link]]\nbetween = [\"C\", \"R:eth0\"]\n",
       "already on a link", "已经连在"},
      {"bad MAC", with("02:aa:bb:cc:dd:ee", "02:aa:bb:cc:dd"), "is not a MAC address", "MAC 地址"},
      {"address used twice", with("10.1.0.254/24", "10.0.0.1/24"), "used twice", "两次"},
      {"router without interfaces",
       "[scenario]\nname = \"t\"\nexplanation = \"t\"\nseed = 1\n[[host]]\nname = \"A\"\naddress = "
       "\"10.0.0.1/24\"\n"
       "[[router]]\nname = \"R\"\n",
       "needs at least one", "至少需要"},
      {"unknown router key", with("name = \"R\"", "name = \"R\"\nforward = true"), "unknown key", "未知"},
      {"bad arp_timeout", std::string(kRouter) + "[network]\narp_timeout = \"soon\"\n", "arp_timeout",
       "arp_timeout"},
      {"host with address and interfaces",
       "[scenario]\nname = \"t\"\nexplanation = \"t\"\nseed = 1\n[[host]]\nname = \"A\"\naddress = "
       "\"10.0.0.1/24\"\n[[host.interface]]\naddress = \"10.0.1.1/24\"\n",
       "not both", "二选一"},
      {"ping to a bad address",
       std::string(kRouter) +
           "[[program]]\nhost = \"A\"\n[[program.step]]\ncall = \"ping\"\nto = \"10.0.0\"\n",
       "is not an IPv4 address", "IPv4"},
  };
  for (const auto& c : cases) {
    auto sc = parse_scenario(c.text, "bad.toml");
    ASSERT_FALSE(sc) << c.what;
    const Error& e = sc.error();
    EXPECT_EQ(e.file, "bad.toml") << c.what;
    EXPECT_NE(e.where.find("line"), std::string::npos) << c.what << ": " << e.message();
    EXPECT_NE(e.message().find(c.reason), std::string::npos) << c.what << ": " << e.message();
    EXPECT_NE(e.message_zh().find(c.reason_zh), std::string::npos) << c.what << ": " << e.message_zh();
  }
}

}  // namespace scenario_topology_loader_test
}  // namespace wirestep
