// `wirestep interfaces`: the seed's "ip a" lesson, with each address split into network and host part.
#include <gtest/gtest.h>

#include "capture/interfaces.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace capture_interfaces_test {

TEST(InterfacesSplit, Ipv4PrefixSeparatesNetworkAndHostPart) {
  const auto a = split_interface_address(wire::IpAddr::from_v4(*wire::Ipv4Addr::parse("192.168.245.1")), 24);
  EXPECT_EQ(a.network.to_string(), "192.168.245.0");
  EXPECT_EQ(a.host.to_string(), "0.0.0.1");
  const auto b = split_interface_address(wire::IpAddr::from_v4(*wire::Ipv4Addr::parse("10.1.2.3")), 12);
  EXPECT_EQ(b.network.to_string(), "10.0.0.0");
  EXPECT_EQ(b.host.to_string(), "0.1.2.3");
}

TEST(InterfacesSplit, Ipv6PrefixKeepsTheInterfaceIdentifierAsHostPart) {
  wire::IpAddr v6;
  v6.v6 = true;
  v6.bytes = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55};
  const auto a = split_interface_address(v6, 64);
  EXPECT_EQ(a.network.to_string(), "fe80::");
  EXPECT_EQ(a.host.to_string(), "::211:22ff:fe33:4455");
}

TEST(InterfacesCommand, ListsLoopbackWithItsNetworkAndHostPart) {
  auto r = testing::run_command_line(testing::wirestep_binary() + " interfaces");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // Every Linux machine has lo with 127.0.0.1/8.
  EXPECT_NE(r.output.find("lo "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("127.0.0.1/8"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("127.0.0.0/8"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("0.0.0.1"), std::string::npos) << r.output;
}

}  // namespace capture_interfaces_test
}  // namespace wirestep
