// Issue #16, "every setting stays individually overridable": the Linux habits the linux profile turns on
// (sim/tcp/tcp_config.hpp) each have a key in [tcp] and in a host's tcp table. One key changes exactly its
// own setting, and on the wire exactly its own behaviour; a wrong type or a misspelt key is an error naming
// file, line and column, in English and Chinese.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {
namespace scenario_tcp_habits_test {

// A client on A sends 100 bytes once connected; the server on B accepts and never reads, so the only ACK
// of the data is the one the ACK policy sends (reading would open the window and send a window update of
// its own, tcp_cleanup_rbuf). `tcp` is the [tcp] table's body; `host_b_tcp`, when given, B's own tcp table.
std::string request_scenario(const std::string& tcp, const std::string& host_b_tcp = "") {
  return R"([scenario]
name = "habits"
duration = "2s"

[tcp]
)" + tcp +
         R"(

[[host]]
name = "A"
address = "10.0.0.1/24"

[[host]]
name = "B"
address = "10.0.0.2/24"
)" + (host_b_tcp.empty() ? "" : "tcp = { " + host_b_tcp + " }\n") +
         R"(
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

[[program.step]]
call = "accept"
as = "conn"

[[program]]
name = "client"
host = "A"
socket = "tcp"

[[program.step]]
call = "connect"
to = "B:80"

[[program.step]]
call = "send"
at = "100ms"
bytes = 100
)";
}

Scenario load(const std::string& text) {
  Result<Scenario> sc = parse_scenario(text, "habits.toml");
  EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : sc.error().message());
  if (!sc.ok()) return Scenario{};
  return std::move(sc).value();
}

// How long B's first pure ACK after the client's data waited, from the data's arrival (ns); nullopt when
// there was no data or no such ACK.
std::optional<std::int64_t> first_data_ack_delay_ns(const Trace& t) {
  std::optional<SimTime> data_arrived;
  for (std::size_t i = 0; i < t.packet_count(); ++i) {
    const PacketRecord p = t.packet(i);
    if (!data_arrived && p.dir == Direction::AtoB && p.payload_len > 0) data_arrived = p.arrive;
    if (data_arrived && p.dir == Direction::BtoA && p.payload_len == 0 &&
        p.tcp_flags == wire::tcp_flag::kAck && p.time >= *data_arrived)
      return p.time.ns - data_arrived->ns;
  }
  return std::nullopt;
}

// The window B offered in its SYN,ACK.
std::optional<std::uint16_t> syn_ack_window(const Trace& t) {
  for (std::size_t i = 0; i < t.packet_count(); ++i) {
    const PacketRecord p = t.packet(i);
    if (p.tcp_flags == (wire::tcp_flag::kSyn | wire::tcp_flag::kAck)) return p.window;
  }
  return std::nullopt;
}

// Every habit key and the field it sets.
struct Habit {
  const char* key;
  bool TcpConfig::*field;
};
const std::vector<Habit> kHabits = {
    {"quick_ack", &TcpConfig::quick_ack},
    {"linux_nagle", &TcpConfig::linux_nagle},
    {"push_each_write", &TcpConfig::push_each_write},
    {"probe_below_una", &TcpConfig::probe_below_una},
    {"rst_ack_on_abort", &TcpConfig::rst_ack_on_abort},
    {"syn_window_mss_multiple", &TcpConfig::syn_window_mss_multiple},
    {"socket_errors_once", &TcpConfig::socket_errors_once},
    {"cork", &TcpConfig::cork},
};

TEST(ScenarioTcpHabits, EachHabitKeyChangesOnlyItsOwnSetting) {
  const TcpConfig linux_defaults = TcpConfig::for_profile(TcpProfile::Linux);
  for (const Habit& h : kHabits) {
    SCOPED_TRACE(h.key);
    const bool linux_value = linux_defaults.*(h.field);
    // Against the linux profile: the flag flipped, every other habit as the profile has it.
    const Scenario sc = load(request_scenario("profile = \"linux\"\n" + std::string(h.key) + " = " +
                                              (linux_value ? "false" : "true")));
    for (const Habit& other : kHabits)
      EXPECT_EQ(sc.tcp.*(other.field), other.key == h.key ? !linux_value : linux_defaults.*(other.field))
          << other.key;
    EXPECT_EQ(sc.tcp.congestion, linux_defaults.congestion);
    EXPECT_EQ(sc.tcp.min_rto, linux_defaults.min_rto);
    // Against the rfc profile, whatever the key order (the profile is applied first).
    const Scenario rfc = load(request_scenario(std::string(h.key) + " = true\nprofile = \"rfc\""));
    EXPECT_TRUE(rfc.tcp.*(h.field));
  }
}

// Linux's quick-ACK mode (tcp_incr_quickack) ACKs the first data at once; with quick_ack = false the same
// linux host falls back to RFC 1122 §4.2.3.2 and waits for its 40 ms delayed-ACK timer.
TEST(ScenarioTcpHabits, LinuxProfileWithQuickAckOffAcksTheFirstDataAfterTheDelayedAckTimer) {
  const RunResult quick = run_scenario(load(request_scenario("profile = \"linux\"")));
  const RunResult delayed = run_scenario(load(request_scenario("profile = \"linux\"\nquick_ack = false")));
  ASSERT_EQ(first_data_ack_delay_ns(quick.trace), 0);
  ASSERT_EQ(first_data_ack_delay_ns(delayed.trace), SimDuration::millis(40).ns);
  // Nothing else moved: the handshake and the data went out at the same times with the same flags.
  ASSERT_GE(quick.trace.packet_count(), 4u);
  ASSERT_GE(delayed.trace.packet_count(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(quick.trace.packet(i).time.ns, delayed.trace.packet(i).time.ns) << "packet " << i;
    EXPECT_EQ(quick.trace.tcp_flags(i), delayed.trace.tcp_flags(i)) << "packet " << i;
  }
}

// A host's own tcp table takes the same keys: B alone gives up the MSS rounding of its SYN,ACK window
// (tcp_select_initial_window); RFC 7323 §2.2: the window in a SYN is never scaled.
TEST(ScenarioTcpHabits, HostTableTurnsOffTheSynWindowRoundingForThatHostOnly) {
  const auto rounded = syn_ack_window(run_scenario(load(request_scenario("profile = \"linux\""))).trace);
  const auto whole = syn_ack_window(
      run_scenario(load(request_scenario("profile = \"linux\"", "syn_window_mss_multiple = false"))).trace);
  ASSERT_TRUE(rounded && whole);
  EXPECT_EQ(*rounded, 65160);  // 45 x 1448, as every Linux 6.x capture shows
  EXPECT_NE(*whole, *rounded);
  EXPECT_NE(*whole % 1448, 0);
  const Scenario sc = load(request_scenario("profile = \"linux\"", "syn_window_mss_multiple = false"));
  ASSERT_EQ(sc.hosts.size(), 2u);
  ASSERT_TRUE(sc.hosts[1].tcp.has_value());
  EXPECT_FALSE(sc.hosts[1].tcp->syn_window_mss_multiple);
  EXPECT_TRUE(sc.hosts[1].tcp->quick_ack);  // the host table starts from [tcp]
  EXPECT_FALSE(sc.hosts[0].tcp.has_value());
}

TEST(ScenarioTcpHabits, KeepAliveKeysSetIdleIntervalAndProbes) {
  const Scenario sc =
      load(request_scenario("keepalive_idle = \"10s\"\nkeepalive_interval = \"2s\"\nkeepalive_probes = 3"));
  EXPECT_EQ(sc.tcp.keepalive_idle, SimDuration::seconds(10));
  EXPECT_EQ(sc.tcp.keepalive_interval, SimDuration::seconds(2));
  EXPECT_EQ(sc.tcp.keepalive_probes, 3u);
}

TEST(ScenarioTcpHabits, WrongTypeIsAClearErrorInBothLanguages) {
  const Result<Scenario> r =
      parse_scenario(request_scenario("profile = \"linux\"\nquick_ack = \"no\""), "habits.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.error().message(),
      "habits.toml: line 7, column 13: [tcp] key \"quick_ack\": expected true or false, found a string");
  EXPECT_EQ(r.error().message_zh(),
            "habits.toml: 第 7 行第 13 列: [tcp] 的键 \"quick_ack\"：应为 true 或 false，实际是字符串");
  const Result<Scenario> host = parse_scenario(request_scenario("", "cork = 1"), "habits.toml");
  ASSERT_FALSE(host.ok());
  EXPECT_EQ(
      host.error().message(),
      "habits.toml: line 15, column 16: [host.tcp] of \"B\" key \"cork\": expected true or false, found an "
      "integer");
}

TEST(ScenarioTcpHabits, MisspeltHabitKeyIsAnUnknownKeyWithAHint) {
  const Result<Scenario> r = parse_scenario(request_scenario("quickack = false"), "habits.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.error().message(),
      "habits.toml: line 6, column 1: [tcp] key \"quickack\": unknown key (did you mean \"quick_ack\"?)");
  EXPECT_EQ(r.error().message_zh(),
            "habits.toml: 第 6 行第 1 列: [tcp] 的键 \"quickack\"：未知的键（是不是 \"quick_ack\"？）");
}

TEST(ScenarioTcpHabits, ZeroKeepAliveIntervalIsRejected) {
  const Result<Scenario> r = parse_scenario(request_scenario("keepalive_interval = \"0s\""), "habits.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "habits.toml: line 6, column 22: [tcp] key \"keepalive_interval\": must be above 0");
}

}  // namespace scenario_tcp_habits_test
}  // namespace wirestep
