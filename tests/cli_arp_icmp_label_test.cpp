// The labels ARP and ICMP arrows carry on the ladders (issue #18): worded like tshark's Info column, in
// English and Chinese, with the numbers a learner checks against Wireshark; tshark itself is the oracle on
// the network lessons' pcaps.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <sstream>
#include <string>

#include "capture/pcap_export.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/wire/icmp.hpp"
#include "tests/test_support.hpp"
#include "ui/cli/arp_icmp_label.hpp"
#include "ui/cli/ladder_text.hpp"

namespace wirestep {
namespace cli_arp_icmp_label_test {

wire::Ipv4Addr ip(const char* text) {
  return *wire::Ipv4Addr::parse(text);
}

PacketRecord arp(std::uint16_t op, const char* sender, const char* target) {
  PacketRecord p;
  wire::ArpPacket a;
  a.op = op;
  a.sender_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
  a.sender_ip = ip(sender);
  a.target_ip = ip(target);
  p.arp = a;
  return p;
}

PacketRecord icmp(std::uint8_t type, std::uint8_t code, std::uint32_t rest = 0, bool v6 = false) {
  PacketRecord p;
  IcmpRecord r;
  r.message.v6 = v6;
  r.message.type = type;
  r.message.code = code;
  r.message.rest = rest;
  p.icmp = r;
  return p;
}

std::string label(const PacketRecord& p, Lang lang = Lang::En) {
  char buf[160];
  const std::size_t n = format_arp_icmp_label(buf, sizeof buf, p, lang);
  EXPECT_EQ(n, std::strlen(buf));
  return std::string(buf, n);
}

TEST(CliArpIcmpLabel, ArpRequestAsksWhoHasTheTargetAndTellsTheSender) {
  // RFC 826: a request names the address it asks for (ar$tpa) and who asks (ar$spa).
  EXPECT_EQ(label(arp(1, "10.0.1.10", "10.0.1.1")), "ARP who-has 10.0.1.1 tell 10.0.1.10");
  EXPECT_EQ(label(arp(1, "10.0.1.10", "10.0.1.1"), Lang::Zh), "ARP 谁是 10.0.1.1？请告诉 10.0.1.10");
}

TEST(CliArpIcmpLabel, ArpReplyGivesTheSendersMac) {
  // RFC 826: the reply's sender is the address that was asked for, with its hardware address.
  EXPECT_EQ(label(arp(2, "10.0.1.1", "10.0.1.10")), "ARP 10.0.1.1 is-at 02:00:00:00:00:01");
  EXPECT_EQ(label(arp(2, "10.0.1.1", "10.0.1.10"), Lang::Zh), "ARP 10.0.1.1 的 MAC 是 02:00:00:00:00:01");
}

TEST(CliArpIcmpLabel, ProbeGratuitousAndUnknownOpcodesAreNamed) {
  // RFC 5227 §2.1.1: a probe's sender address is all zeros; §3: a gratuitous request asks for its own.
  EXPECT_EQ(label(arp(1, "0.0.0.0", "10.0.1.7")), "ARP who-has 10.0.1.7 (probe)");
  EXPECT_EQ(label(arp(1, "10.0.1.7", "10.0.1.7")), "ARP gratuitous for 10.0.1.7");
  EXPECT_EQ(label(arp(9, "10.0.1.7", "10.0.1.8")), "ARP opcode 9");
  EXPECT_EQ(label(arp(9, "10.0.1.7", "10.0.1.8"), Lang::Zh), "ARP 操作码 9");
}

TEST(CliArpIcmpLabel, EchoRequestAndReplyShowIdentifierAndSequence) {
  // RFC 792: echo's identifier and sequence number are bytes 4-7.
  EXPECT_EQ(label(icmp(wire::icmp4::kEchoRequest, 0, 0x00010003)), "Echo (ping) request id=0x0001, seq=3");
  EXPECT_EQ(label(icmp(wire::icmp4::kEchoReply, 0, 0x00010003)), "Echo (ping) reply id=0x0001, seq=3");
  EXPECT_EQ(label(icmp(wire::icmp4::kEchoRequest, 0, 0x00010003), Lang::Zh),
            "回显（ping）请求 id=0x0001, seq=3");
  EXPECT_EQ(label(icmp(wire::icmp6::kEchoReply, 0, 0x12340001, true)), "Echo (ping) reply id=0x1234, seq=1");
}

TEST(CliArpIcmpLabel, ErrorsNameTheirCodeAsTsharkDoes) {
  // RFC 792: destination unreachable code 3 is "port unreachable"; time exceeded code 0 "in transit".
  EXPECT_EQ(label(icmp(wire::icmp4::kDestinationUnreachable, 3)),
            "Destination unreachable (Port unreachable)");
  EXPECT_EQ(label(icmp(wire::icmp4::kDestinationUnreachable, 1)),
            "Destination unreachable (Host unreachable)");
  EXPECT_EQ(label(icmp(wire::icmp4::kTimeExceeded, 0)),
            "Time-to-live exceeded (Time to live exceeded in transit)");
  EXPECT_EQ(label(icmp(wire::icmp4::kDestinationUnreachable, 3), Lang::Zh), "目的不可达（端口不可达）");
  EXPECT_EQ(label(icmp(wire::icmp4::kTimeExceeded, 0), Lang::Zh), "TTL 超时（传输中 TTL 耗尽）");
  // RFC 4443 §3.1: ICMPv6's own unreachable codes.
  EXPECT_EQ(label(icmp(wire::icmp6::kDestinationUnreachable, 4, 0, true)),
            "Destination unreachable (Port unreachable)");
}

TEST(CliArpIcmpLabel, UnknownTypesAndCodesShowTheirNumbers) {
  EXPECT_EQ(label(icmp(wire::icmp4::kDestinationUnreachable, 77)), "Destination unreachable (code 77)");
  EXPECT_EQ(label(icmp(wire::icmp4::kTimeExceeded, 200), Lang::Zh), "TTL 超时（代码 200）");
  EXPECT_EQ(label(icmp(42, 7)), "ICMP type=42 code=7");
  EXPECT_EQ(label(icmp(42, 7), Lang::Zh), "ICMP 类型=42 代码=7");
}

TEST(CliArpIcmpLabel, ShortBufferIsCutAndTerminatedAndOtherPacketsGetNothing) {
  char tiny[8];
  std::memset(tiny, 'x', sizeof tiny);
  const std::size_t n = format_arp_icmp_label(tiny, sizeof tiny, arp(1, "10.0.1.10", "10.0.1.1"), Lang::En);
  EXPECT_EQ(n, 7u);
  EXPECT_STREQ(tiny, "ARP who");
  EXPECT_EQ(format_arp_icmp_label(tiny, 0, arp(1, "10.0.1.10", "10.0.1.1"), Lang::En), 0u);
  char buf[32] = "unchanged";
  EXPECT_EQ(format_arp_icmp_label(buf, sizeof buf, PacketRecord{}, Lang::En), 0u);
  EXPECT_STREQ(buf, "");
}

TEST(CliArpIcmpLabel, EveryChinesePhraseIsListedForTheFont) {
  // The UI loads the glyphs of these texts; a label's Chinese outside them would draw as boxes.
  const auto texts = arp_icmp_label_texts(Lang::Zh);
  std::string all;
  for (const char* t : texts) all += t;
  for (const char* phrase :
       {"端口不可达", "传输中 TTL 耗尽", "回显（ping）请求", "谁是", "请告诉", "的 MAC 是"})
    EXPECT_NE(all.find(phrase), std::string::npos) << phrase;
}

// tshark's Info column for each ARP and ICMP row of a lesson's pcap, next to our label for the same row.
TEST(CliArpIcmpLabel, LabelsSayWhatTsharkSaysForEveryNetworkLesson) {
  WIRESTEP_REQUIRE_TSHARK();
  testing::TempDir dir;
  std::size_t checked = 0;
  for (const char* lesson : {"net-router-subnets.toml", "net-ping.toml", "net-traceroute.toml",
                             "net-udp-port-unreachable.toml", "net-arp-first-packet.toml"}) {
    auto sc = load_scenario_file(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/" + lesson);
    ASSERT_TRUE(sc) << lesson;
    const RunResult run = run_scenario(*sc);
    const std::string pcap = dir.file("lesson.pcap");
    ASSERT_TRUE(write_pcap(run.trace, pcap));
    const auto r =
        testing::run_command_line("tshark -n -r '" + pcap + "' -T fields -e _ws.col.Info 2>/dev/null");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::vector<std::string> info;
    std::istringstream in(r.output);
    for (std::string line; std::getline(in, line);) info.push_back(line);
    ASSERT_EQ(info.size(), run.trace.packet_count()) << lesson << ": one frame per Trace row";
    for (std::size_t i = 0; i < run.trace.packet_count(); ++i) {
      const PacketRecord p = run.trace.packet(i);
      if (!p.arp && !p.icmp) continue;
      const std::string ours = packet_label(run.trace, i);
      if (p.arp && p.arp->op == 1) {
        // tshark: "Who has 10.0.0.2? Tell 10.0.0.1"
        EXPECT_EQ(info[i],
                  "Who has " + p.arp->target_ip.to_string() + "? Tell " + p.arp->sender_ip.to_string());
        EXPECT_EQ(ours,
                  "ARP who-has " + p.arp->target_ip.to_string() + " tell " + p.arp->sender_ip.to_string());
      } else if (p.arp) {
        // tshark: "10.0.0.2 is at 02:00:00:00:00:01"
        const std::string is_at = ours.substr(4);  // after "ARP "
        EXPECT_EQ(info[i].substr(0, info[i].find(' ')), is_at.substr(0, is_at.find(' '))) << info[i];
        EXPECT_NE(info[i].find(" is at " + is_at.substr(is_at.rfind(' ') + 1)), std::string::npos)
            << info[i] << " vs " << ours;
      } else if (p.icmp->message.is_echo()) {
        // tshark: "Echo (ping) request  id=0x0001, seq=1/256, ttl=64 (reply in 9)"
        const std::string kind = ours.substr(0, ours.find(" id="));
        const std::string numbers = ours.substr(ours.find("id="));
        EXPECT_EQ(info[i].rfind(kind, 0), 0u) << info[i] << " vs " << ours;
        EXPECT_NE(info[i].find(numbers + "/"), std::string::npos) << info[i] << " vs " << ours;
      } else {
        // tshark: "Destination unreachable (Port unreachable)", "Time-to-live exceeded (Time to live ...)"
        EXPECT_EQ(info[i], ours) << lesson << " row " << i;
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 20u);
}

}  // namespace cli_arp_icmp_label_test
}  // namespace wirestep
