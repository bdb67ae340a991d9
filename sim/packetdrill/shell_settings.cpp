#include "sim/packetdrill/shell_settings.hpp"

#include <sstream>

namespace wirestep::packetdrill {
namespace {

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// One sysctl: accepted when the value is what the simulated TCP does anyway.
bool sysctl_supported(const std::string& name, const std::string& value, Bilingual& why) {
  struct Known {
    const char* name;
    const char* accepted;  // the value that matches the simulator; nullptr: any value
    const char* en;
    const char* zh;
  };
  static const Known kKnown[] = {
      {"tcp_early_retrans", "4", "the simulated TCP cannot turn the tail loss probe off (RFC 8985 §7)",
       "模拟的 TCP 不能关闭尾部丢失探测（RFC 8985 §7）"},
      {"tcp_tso_win_divisor", nullptr, "", ""},  // the simulator never defers a send to build a bigger burst
  };
  for (const Known& k : kKnown) {
    if (name != k.name) continue;
    if (!k.accepted || value == k.accepted) return true;
    why = {"sysctl " + name + "=" + value + ": " + k.en, "sysctl " + name + "=" + value + "：" + k.zh};
    return false;
  }
  why = {"sysctl " + name + "=" + value + ": the simulator has no such setting",
         "sysctl " + name + "=" + value + "：模拟器没有这个设置"};
  return false;
}

// "net.ipv4.tcp_sack=0" or "/proc/sys/net/ipv4/tcp_sack=0" -> ("tcp_sack", "0").
bool split_setting(const std::string& word, std::string& name, std::string& value) {
  const auto eq = word.find('=');
  if (eq == std::string::npos) return false;
  name = word.substr(0, eq);
  value = word.substr(eq + 1);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  const auto slash = name.find_last_of("./");
  if (slash != std::string::npos) name = name.substr(slash + 1);
  return !name.empty();
}

bool line_supported(const std::string& line, ShellVerdict& v) {
  std::istringstream words(line);
  std::string cmd;
  words >> cmd;
  if (cmd.find("defaults.sh") != std::string::npos) {
    v.runs_defaults_sh = true;
    // Linux's production defaults (../common/defaults.sh): the baseline every script assumes. Run as given
    // against the simulated TCP, and say which of them it lacks: that is why most scripts fail today.
    v.notes.push_back(
        {"../common/defaults.sh assumed: the simulated TCP lacks timestamps, SACK, DSACK, CUBIC, "
         "RACK/TLP, F-RTO and TSO from Linux's defaults",
         "按 ../common/defaults.sh 运行：模拟的 TCP 没有 Linux 默认的时间戳、SACK、DSACK、CUBIC、"
         "RACK/TLP、F-RTO 和 TSO"});
    return true;
  }
  if (cmd.rfind("/tmp/sysctl_restore", 0) == 0) return true;  // settings live only as long as one run
  if (cmd == "ethtool") {
    // "ethtool -K tun0 tso off gso off": the simulated host sends segments of at most one MSS anyway, and
    // Linux still builds GSO packets in software (PSH on each one's last segment, TcpConfig::gso_segments).
    if (line.find("tso off") != std::string::npos || line.find("gso off") != std::string::npos) return true;
  } else if (cmd == "tc") {
    // A plain FIFO is what the simulated link is; fq would pace the flow, which the simulator does not.
    if (line.find(" pfifo") != std::string::npos) return true;
    v.unsupported = {"tc: \"" + line + "\": the simulator has no queueing discipline or pacing",
                     "tc：\"" + line + "\"：模拟器没有排队规则和发送节奏控制（pacing）"};
    return false;
  } else if (cmd == "sysctl" || cmd.find("set_sysctls.py") != std::string::npos) {
    std::string word, name, value;
    while (words >> word) {
      if (word == "-q" || word == "-w") continue;
      if (!split_setting(word, name, value)) continue;
      TcpConfig probe;
      if (apply_sysctl(probe, name, value)) {
        v.settings.emplace_back(name, value);
        continue;
      }
      if (!sysctl_supported(name, value, v.unsupported)) return false;
    }
    return true;
  }
  v.unsupported = {"shell command \"" + line + "\"", "shell 命令 \"" + line + "\""};
  return false;
}

}  // namespace

void apply_defaults_sh(TcpConfig& tcp) {
  tcp.recv_buffer_max = 15 * 1024 * 1024;  // net.ipv4.tcp_rmem="4096 540000 $((15*1024*1024))"
  tcp.syn_retries = 5;                     // net.ipv4.tcp_syn_retries=5
  tcp.slow_start_after_idle = false;       // net.ipv4.tcp_slow_start_after_idle=0
  if (tcp.linux_send_buffer) {  // net.ipv4.tcp_wmem="4096 $((256*1024)) 4194304" (Linux's own: 16384)
    tcp.send_buffer = 256 * 1024;
    tcp.send_buffer_max = 4194304;
  }
}

bool apply_sysctl(TcpConfig& tcp, const std::string& name, const std::string& value) {
  const auto flag = [&](bool& field) {
    if (value != "0" && value != "1") return false;
    field = value == "1";
    return true;
  };
  if (name == "tcp_timestamps") return flag(tcp.timestamps);
  if (name == "tcp_sack") return flag(tcp.sack);
  if (name == "tcp_dsack") return flag(tcp.dsack);
  if (name == "tcp_slow_start_after_idle") return flag(tcp.slow_start_after_idle);
  if (name == "tcp_min_tso_segs") {  // segments per GSO packet at a low pacing rate (1..255)
    if (value.empty() || value.size() > 3 || value.find_first_not_of("0123456789") != std::string::npos)
      return false;
    const unsigned long n = std::stoul(value);
    if (n < 1 || n > 255) return false;
    tcp.gso_segments = static_cast<std::uint32_t>(n);
    return true;
  }
  if (name == "tcp_syn_retries") {
    if (value.empty() || value.size() > 3 || value.find_first_not_of("0123456789") != std::string::npos)
      return false;
    tcp.syn_retries = static_cast<std::uint32_t>(std::stoul(value));
    return true;
  }
  if (name == "tcp_congestion_control" && (value == "cubic" || value == "reno")) {
    tcp.congestion = value == "cubic" ? CongestionAlgorithm::Cubic : CongestionAlgorithm::NewReno;
    return true;
  }
  return false;
}

ShellVerdict classify_shell_command(const std::string& text) {
  ShellVerdict v;
  // Lines joined at a trailing backslash, as the shell reads them; `#` starts a comment.
  std::string joined;
  std::istringstream lines(text);
  std::string raw;
  std::vector<std::string> commands;
  while (std::getline(lines, raw)) {
    std::string line = trim(raw);
    if (!line.empty() && line.back() == '\\') {
      joined += line.substr(0, line.size() - 1) + " ";
      continue;
    }
    joined += line;
    commands.push_back(trim(joined));
    joined.clear();
  }
  if (!trim(joined).empty()) commands.push_back(trim(joined));
  for (const std::string& c : commands) {
    if (c.empty() || c.front() == '#') continue;
    if (!line_supported(c, v)) {
      v.supported = false;
      return v;
    }
  }
  return v;
}

}  // namespace wirestep::packetdrill
