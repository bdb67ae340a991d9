// The "linux" TCP profile and per-host TCP settings: what the scenario file says, what the handshake then
// carries (Linux's options in Linux's order and bytes, RFC 7323 / RFC 2018), the segment size that follows
// from them, and what happens when only one side speaks Linux (RFC 7323 §3.2, RFC 2018 §2).
#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/trace/packet_bytes.hpp"
#include "tcp_test_harness.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace tcp_linux_profile_test {

using namespace tcptest;

// Two hosts and a link: the smallest scenario the loader accepts; each test adds its TCP tables.
std::string scenario_with(const std::string& tcp, const std::string& host_a_extra = "") {
  return "[scenario]\nname = \"t\"\n\n" + tcp + "\n[[host]]\nname = \"A\"\naddress = \"10.0.0.1/24\"\n" +
         host_a_extra +
         "\n[[host]]\nname = \"B\"\naddress = \"10.0.0.2/24\"\n\n[[link]]\nbetween = [\"A\", \"B\"]\n";
}

std::string message_for(const std::string& text) {
  const Result<Scenario> r = parse_scenario(text, "t.toml");
  return r.ok() ? "OK" : r.error().message();
}

// The TCP options part of a rebuilt packet (IPv4 without options, raw IP).
std::vector<std::uint8_t> option_bytes(const Trace& trace, std::size_t index) {
  std::vector<std::uint8_t> bytes;
  rebuild_packet(trace, index, LinkLayer::RawIp, bytes);
  if (bytes.size() < 40) return {};
  const std::size_t header_len = (bytes[20 + 12] >> 4) * 4u;
  return std::vector<std::uint8_t>(bytes.begin() + 40, bytes.begin() + 20 + header_len);
}

std::vector<std::uint8_t> be32(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
          static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

std::vector<std::uint8_t> concat(std::initializer_list<std::vector<std::uint8_t>> parts) {
  std::vector<std::uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

LabOptions both(TcpConfig a, TcpConfig b) {
  LabOptions o;
  o.bandwidth_a_to_b_bps = kOneFullFramePerMs;
  o.tcp_a = a;
  o.tcp_b = b;
  return o;
}

const TcpConfig kLinux = TcpConfig::for_profile(TcpProfile::Linux);

// The linux profile sets Linux 6.x's sysctl defaults; the rfc profile is the old default, untouched.
TEST(TcpProfileLoad, LinuxProfileSetsLinuxDefaults) {
  const Result<Scenario> r = parse_scenario(scenario_with("[tcp]\nprofile = \"linux\"\n"), "t.toml");
  ASSERT_TRUE(r.ok()) << r.error().message();
  const TcpConfig& c = r->tcp;
  EXPECT_EQ(c.profile, TcpProfile::Linux);
  EXPECT_TRUE(c.timestamps);
  EXPECT_TRUE(c.sack);
  EXPECT_TRUE(c.dsack);
  EXPECT_TRUE(c.window_scaling);
  EXPECT_EQ(c.recv_buffer, 131072u);       // tcp_rmem[1]
  EXPECT_EQ(c.recv_buffer_max, 6291456u);  // tcp_rmem[2]
  EXPECT_EQ(c.min_rto, SimDuration::millis(200));
  EXPECT_EQ(c.initial_rto, SimDuration::seconds(1));
  EXPECT_EQ(c.initial_window_segments, 10u);
  EXPECT_EQ(c.syn_retries, 6u);
  EXPECT_EQ(c.delayed_ack_timeout, SimDuration::millis(40));
  EXPECT_EQ(c.delayed_ack_max, SimDuration::millis(200));
  EXPECT_EQ(c.congestion, CongestionAlgorithm::Cubic);

  const Result<Scenario> plain = parse_scenario(scenario_with(""), "t.toml");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->tcp.profile, TcpProfile::Rfc);
  EXPECT_FALSE(plain->tcp.timestamps);
  EXPECT_FALSE(plain->tcp.sack);
  EXPECT_EQ(plain->tcp.min_rto, SimDuration::seconds(1));
  EXPECT_EQ(plain->tcp.congestion, CongestionAlgorithm::NewReno);
}

// Every setting overrides the profile, whether it is written before or after the profile key.
TEST(TcpProfileLoad, SettingsOverrideTheProfileInAnyOrder) {
  const Result<Scenario> r =
      parse_scenario(scenario_with("[tcp]\nmin_rto = \"300ms\"\nprofile = \"linux\"\nsack = false\n"
                                   "congestion_control = \"newreno\"\n"),
                     "t.toml");
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->tcp.min_rto, SimDuration::millis(300));
  EXPECT_FALSE(r->tcp.sack);
  EXPECT_TRUE(r->tcp.timestamps);
  EXPECT_EQ(r->tcp.congestion, CongestionAlgorithm::NewReno);
  EXPECT_EQ(r->tcp.receive_skbs, ReceiveSkbs::Paged);  // veth between two kernels, the profile's default
  const Result<Scenario> linear =
      parse_scenario(scenario_with("[tcp]\nprofile = \"linux\"\nreceive_skbs = \"linear\"\n"), "t.toml");
  ASSERT_TRUE(linear.ok()) << linear.error().message();
  EXPECT_EQ(linear->tcp.receive_skbs, ReceiveSkbs::Linear);
}

// [host.tcp] starts from [tcp]; a profile there starts again from that profile. Both TOML spellings work.
TEST(TcpProfileLoad, HostTableGivesOneHostItsOwnSettings) {
  const Result<Scenario> r = parse_scenario(
      scenario_with("[tcp]\nmss = 1000\n", "\n[host.tcp]\nprofile = \"linux\"\ntimestamps = false\n"),
      "t.toml");
  ASSERT_TRUE(r.ok()) << r.error().message();
  ASSERT_EQ(r->hosts.size(), 2u);
  ASSERT_TRUE(r->hosts[0].tcp.has_value());
  EXPECT_EQ(r->hosts[0].tcp->profile, TcpProfile::Linux);
  EXPECT_EQ(r->hosts[0].tcp->mss, 1460);  // the profile started again: [tcp]'s mss does not carry over
  EXPECT_FALSE(r->hosts[0].tcp->timestamps);
  EXPECT_TRUE(r->hosts[0].tcp->sack);
  EXPECT_FALSE(r->hosts[1].tcp.has_value());  // B uses [tcp]
  EXPECT_EQ(r->tcp.mss, 1000);

  const Result<Scenario> inline_form =
      parse_scenario(scenario_with("[tcp]\nmss = 1000\n", "tcp = { sack = true }\n"), "t.toml");
  ASSERT_TRUE(inline_form.ok()) << inline_form.error().message();
  ASSERT_TRUE(inline_form->hosts[0].tcp.has_value());
  EXPECT_EQ(inline_form->hosts[0].tcp->mss, 1000);  // no profile: it starts from [tcp]
  EXPECT_TRUE(inline_form->hosts[0].tcp->sack);
}

// A misspelt key or value in either table is named with its line and column and the nearest word.
TEST(TcpProfileLoad, MistakesAreNamedWithLineColumnAndHint) {
  EXPECT_EQ(message_for(scenario_with("", "\n[host.tcp]\ntimestamp = true\n")),
            "t.toml: line 10, column 1: [host.tcp] of \"A\" key \"timestamp\": unknown key (did you mean "
            "\"timestamps\"?)");
  EXPECT_EQ(
      message_for(scenario_with("[tcp]\nprofile = \"linx\"\n")),
      "t.toml: line 5, column 11: [tcp] key \"profile\": unknown value \"linx\" (did you mean \"linux\"?)");
  EXPECT_EQ(message_for(scenario_with("[tcp]\ncongestion_control = \"bbr\"\n")),
            "t.toml: line 5, column 22: [tcp] key \"congestion_control\": unknown value \"bbr\" (use "
            "\"newreno\", \"cubic\")");
  EXPECT_EQ(message_for(scenario_with("[tcp]\nreceive_skbs = \"liner\"\n")),
            "t.toml: line 5, column 16: [tcp] key \"receive_skbs\": unknown value \"liner\" (did you mean "
            "\"linear\"?)");
  EXPECT_EQ(message_for(scenario_with("", "tcp = 5\n")),
            "t.toml: line 8, column 7: [[host]] key \"tcp\": expected a table ([host.tcp] or tcp = {...})");
}

// The SYN carries Linux's options in Linux's order and padding, byte for byte as a Linux 6.x SYN (and as
// packetdrill's blocking-connect.pkt expects: <mss 1460,sackOK,TS val ecr 0,nop,wscale N>); the SYN-ACK
// answers each, and from the third segment on every segment carries NOP NOP TS (RFC 7323 §3.2).
TEST(TcpLinuxHandshake, SynAndSynAckCarryLinuxOptionsInLinuxOrder) {
  TcpLab lab(both(kLinux, kLinux));
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  const auto w = lab.wire();
  ASSERT_GE(w.size(), 3u) << dump(w);
  ASSERT_TRUE(w[0].options && w[1].options && w[2].options) << dump(w);
  const wire::TcpOptions& syn = *w[0].options;
  ASSERT_TRUE(syn.timestamps);
  EXPECT_EQ(syn.timestamps->echo_reply, 0u);  // nothing to echo yet
  // mss 1460, sackOK, TS val ecr 0, nop, wscale 7 (6 MiB tcp_rmem[2]: ilog2 = 22, minus 15).
  EXPECT_EQ(option_bytes(lab.trace(), w[0].index),
            concat({{2, 4, 0x05, 0xb4, 4, 2, 8, 10}, be32(syn.timestamps->value), be32(0), {1, 3, 3, 7}}));

  const wire::TcpOptions& synack = *w[1].options;
  ASSERT_TRUE(synack.timestamps);
  EXPECT_EQ(synack.timestamps->echo_reply, syn.timestamps->value);  // RFC 7323 §4.3: TSecr = TS.Recent
  EXPECT_EQ(option_bytes(lab.trace(), w[1].index), concat({{2, 4, 0x05, 0xb4, 4, 2, 8, 10},
                                                           be32(synack.timestamps->value),
                                                           be32(syn.timestamps->value),
                                                           {1, 3, 3, 7}}));

  const wire::TcpOptions& ack = *w[2].options;
  ASSERT_TRUE(ack.timestamps);
  EXPECT_FALSE(ack.mss || ack.window_scale || ack.sack_permitted);
  EXPECT_EQ(ack.timestamps->echo_reply, synack.timestamps->value);
  EXPECT_EQ(option_bytes(lab.trace(), w[2].index),
            concat({{1, 1, 8, 10}, be32(ack.timestamps->value), be32(synack.timestamps->value)}));
  // TSvals count milliseconds: the final ACK leaves 20 ms after the SYN on a 10 ms link.
  EXPECT_EQ(ack.timestamps->value - syn.timestamps->value, 20u);
  EXPECT_TRUE(lab.client_conn()->timestamps_on());
  EXPECT_TRUE(lab.client_conn()->sack_on());
}

// packetdrill's defaults.sh sets tcp_rmem's maximum to 15 MiB: the same rule then offers wscale 8, as its
// scripts expect.
TEST(TcpLinuxHandshake, WindowScaleFollowsTheMaximumReceiveBuffer) {
  TcpConfig c = kLinux;
  c.recv_buffer_max = 15 * 1024 * 1024;
  TcpLab lab(both(c, kLinux));
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  const auto w = lab.wire();
  ASSERT_TRUE(w[0].options && w[0].options->window_scale);
  EXPECT_EQ(*w[0].options->window_scale, 8);
  ASSERT_TRUE(w[1].options && w[1].options->window_scale);
  EXPECT_EQ(*w[1].options->window_scale, 7);
}

// MSS 1460 is announced, but with timestamps each full segment carries 1448 bytes: the option's 12 bytes
// come out of the MSS (RFC 6691), so every packet is 1500 bytes of IP as on a real Ethernet.
TEST(TcpLinuxData, FullSegmentsCarry1448BytesWithTimestamps) {
  TcpLab lab(both(kLinux, kLinux));
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  Sink sink;
  lab.at(at_ms(100), [&] {
    TcpLab::send(lab.A(), lab.client, {}, 10'000, sent);
    TcpLab::read_until_eof(lab.B(), lab.server(), sink);
  });
  lab.at(at_ms(1000), [&] { ASSERT_TRUE(lab.A().close(lab.client).ok()); });
  lab.run(at_ms(3000));
  const auto data = data_segments(lab.wire(), "A");
  ASSERT_EQ(data.size(), 7u) << dump(lab.wire());
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(data[i].len, 1448u) << data[i];
  EXPECT_EQ(data[6].len, 10'000u - 6 * 1448u);
  EXPECT_EQ(lab.client_conn()->effective_mss(), 1448u);
  std::vector<std::uint8_t> bytes;
  rebuild_packet(lab.trace(), data[0].index, LinkLayer::RawIp, bytes);
  EXPECT_EQ(bytes.size(), 1500u);
  EXPECT_EQ(sink.data.size(), 10'000u);
}

// RFC 7323 §3.2 and RFC 2018 §2: a SYN-ACK answers only the options the SYN offered and the server has on,
// so a linux client talking to an rfc server negotiates neither timestamps nor SACK, and sends 1460-byte
// segments without options.
TEST(TcpLinuxHandshake, LinuxClientAndRfcServerNegotiateNoTimestampsOrSack) {
  TcpLab lab(both(kLinux, TcpConfig{}));
  ASSERT_NO_FATAL_FAILURE(lab.establish());
  CallResult sent;
  Sink sink;
  lab.at(at_ms(100), [&] {
    TcpLab::send(lab.A(), lab.client, {}, 3000, sent);
    TcpLab::read_until_eof(lab.B(), lab.server(), sink);
  });
  lab.run(at_ms(1000));
  const auto w = lab.wire();
  ASSERT_TRUE(w[0].options && w[0].options->timestamps && w[0].options->sack_permitted) << dump(w);
  ASSERT_TRUE(w[1].options);
  EXPECT_FALSE(w[1].options->timestamps);
  EXPECT_FALSE(w[1].options->sack_permitted);
  EXPECT_FALSE(lab.client_conn()->timestamps_on());
  EXPECT_FALSE(lab.client_conn()->sack_on());
  for (std::size_t i = 2; i < w.size(); ++i) EXPECT_FALSE(w[i].options) << w[i];
  const auto data = data_segments(w, "A");
  ASSERT_FALSE(data.empty());
  EXPECT_EQ(data[0].len, 1460u);
}

// The scenario runner gives each host its [host.tcp]: A offers Linux's options, B (rfc) only MSS and
// window scale (1, for its 64 KiB buffer), in the layout rfc-profile runs have always had (mss, wscale, nop).
TEST(TcpLinuxHandshake, PerHostSettingsReachTheHostsInARun) {
  const std::string text = R"([scenario]
name = "t"

[[host]]
name = "A"
address = "10.0.0.1/24"
tcp = { profile = "linux" }

[[host]]
name = "B"
address = "10.0.0.2/24"

[[link]]
between = ["A", "B"]
latency = "10ms"

[[program]]
name = "server"
host = "B"
socket = "tcp"

[[program.step]]
call = "bind"
port = 80

[[program.step]]
call = "listen"
backlog = 5

[[program]]
name = "client"
host = "A"
socket = "tcp"

[[program.step]]
call = "connect"
to = "B:80"
)";
  const Result<Scenario> sc = parse_scenario(text, "t.toml");
  ASSERT_TRUE(sc.ok()) << sc.error().message();
  const RunResult run = run_scenario(*sc);
  const auto w = ladder(run.trace);
  ASSERT_GE(w.size(), 2u) << dump(w);
  ASSERT_TRUE(w[0].options && w[1].options);
  EXPECT_TRUE(w[0].options->timestamps && w[0].options->sack_permitted);
  EXPECT_EQ(option_bytes(run.trace, w[1].index), (std::vector<std::uint8_t>{2, 4, 0x05, 0xb4, 3, 3, 1, 1}));
}

// tshark, the outside oracle, reads the linux-profile lesson's export: no malformed packets, good checksums,
// and the options as we meant them: the SYN and SYN-ACK with MSS 1460, SACK-permitted, a TSval and window
// scale 7; full segments of 1448 bytes; a SACK block in B's ACK after the loss.
TEST(TcpLinuxExport, TsharkDecodesTheOptionsOfALinuxProfileRun) {
  WIRESTEP_REQUIRE_TSHARK();
  testing::TempDir dir;
  const std::string pcap = dir.file("linux.pcap");
  const auto run = testing::run_command_line(testing::wirestep_binary() + " run " +
                                             testing::source_path("scenarios/tcp-linux-handshake.toml") +
                                             " --quiet --pcap " + pcap);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string opts = " -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE ";
  const auto bad =
      testing::run_command_line("tshark -n -r " + pcap + opts +
                                "-Y '_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0 || "
                                "_ws.expert.severity == error' 2>/dev/null");
  ASSERT_EQ(bad.exit_code, 0);
  EXPECT_EQ(bad.output, "");
  const auto syns = testing::run_command_line(
      "tshark -n -r " + pcap +
      " -Y 'tcp.flags.syn == 1' -T fields -e tcp.options.mss_val -e tcp.options.sack_perm "
      "-e tcp.options.timestamp.tsval -e tcp.options.wscale.shift 2>/dev/null");
  ASSERT_EQ(syns.exit_code, 0);
  std::vector<std::string> rows;
  std::istringstream in(syns.output);
  for (std::string line; std::getline(in, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 2u) << syns.output;
  for (const std::string& row : rows) {
    std::vector<std::string> f;
    std::istringstream cells(row);
    for (std::string c; std::getline(cells, c, '\t');) f.push_back(c);
    ASSERT_EQ(f.size(), 4u) << row;
    EXPECT_EQ(f[0], "1460") << row;
    EXPECT_FALSE(f[1].empty()) << row;  // SACK-permitted present
    EXPECT_FALSE(f[2].empty()) << row;  // a TSval
    EXPECT_EQ(f[3], "7") << row;
  }
  const auto lens = testing::run_command_line("tshark -n -r " + pcap +
                                              " -Y 'tcp.len > 0' -T fields -e tcp.len 2>/dev/null");
  EXPECT_EQ(lens.output.substr(0, 5), "1448\n") << lens.output;
  const auto sack = testing::run_command_line(
      "tshark -n -r " + pcap + " -Y 'tcp.options.sack_le' -T fields -e tcp.options.sack.count 2>/dev/null");
  EXPECT_FALSE(sack.output.empty()) << "no SACK block in the export";
}

}  // namespace tcp_linux_profile_test
}  // namespace wirestep
