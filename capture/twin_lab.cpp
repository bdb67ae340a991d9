#include "capture/twin_lab.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <ostream>
#include <thread>

#include "capture/live_capture.hpp"
#include "capture/netns.hpp"
#include "capture/twin_link.hpp"
#include "capture/twin_relay.hpp"

namespace wirestep {
namespace {

Error twin_error(const std::string& reason, const std::string& reason_zh) {
  return Error{"", "", reason, "", reason_zh};
}

// Names of one run: the pid keeps parallel runs apart and lets a later run remove what a killed one left
// (remove_stale_wirestep_namespaces reads the pid after the last '-').
struct TwinNames {
  std::string pid = std::to_string(getpid());
  std::string host_ns(std::size_t i) const { return "wirestep-twin" + std::to_string(i) + "-" + pid; }
  std::string bridge_ns() const { return "wirestep-twinbr-" + pid; }
  std::string host_veth(std::size_t i) const { return "wt" + pid + "h" + std::to_string(i); }
  std::string port_veth(std::size_t i) const { return "wt" + pid + "p" + std::to_string(i); }
};

}  // namespace

Status twin_scenario_supported(const Scenario& sc) {
  if (sc.comparison)
    return twin_error("[comparison] scenarios are not supported: twin runs [[program]]s",
                      "不支持 [comparison] 场景：twin 运行的是 [[program]]");
  if (sc.programs.empty())
    return twin_error("the scenario has no [[program]] to run", "场景中没有可运行的 [[program]]");
  for (const auto& p : sc.programs)
    if (!p.tcp)
      return twin_error("program \"" + p.name + "\" is UDP: twin compares TCP only",
                        "程序 \"" + p.name + "\" 使用 UDP：twin 只比较 TCP");
  auto linux_profile = [](const TcpConfig& c) { return c.profile == TcpProfile::Linux; };
  if (!linux_profile(sc.tcp))
    return twin_error("twin compares with real Linux: set [tcp] profile = \"linux\"",
                      "twin 与真实 Linux 比较：请设置 [tcp] profile = \"linux\"");
  for (const auto& h : sc.hosts)
    if (h.tcp && !linux_profile(*h.tcp))
      return twin_error("host " + h.name + " does not use the linux profile",
                        "主机 " + h.name + " 没有使用 linux 配置");
  for (const auto& l : sc.links) {
    for (const LinkParams* dir : {&l.a_to_b, &l.b_to_a}) {
      for (const auto& imp : dir->impairments) {
        const auto* d = std::get_if<ScriptedDrop>(&imp.kind);
        if (!d)
          return twin_error(
              "link " + l.a + "-" + l.b + ": \"" + describe(imp.kind) +
                  "\" has no real counterpart here; twin supports scripted drops (type = \"drop\")",
              "链路 " + l.a + "-" + l.b + "：\"" + describe(imp.kind) +
                  "\" 在真实网络中没有对应物；twin 只支持脚本丢包（type = \"drop\"）");
        if (d->from || d->until)
          return twin_error(
              "link " + l.a + "-" + l.b +
                  ": drops by time (from/until) are not repeatable on a "
                  "real network; use kind and nth",
              "链路 " + l.a + "-" + l.b + "：按时间（from/until）丢包在真实网络中无法重复；请用 kind 和 nth");
        if (d->kind == PacketKind::Datagram || d->proto == Transport::Udp)
          return twin_error("link " + l.a + "-" + l.b + ": a drop of datagrams: twin compares TCP only",
                            "链路 " + l.a + "-" + l.b + "：丢弃数据报：twin 只比较 TCP");
      }
    }
  }
  if (auto link = TwinLink::from_scenario(sc); !link) return link.error();
  return Ok{};
}

std::vector<std::string> twin_tcp_sysctls() {
  return {
      // tcp_rmem/tcp_wmem: the kernel's own defaults, which the linux profile models (recv_buffer 131072,
      // window scale from 6291456, send buffer up to 4194304), not packetdrill's larger ones.
      "net.ipv4.tcp_rmem=\"4096 131072 6291456\"", "net.ipv4.tcp_wmem=\"4096 16384 4194304\"",
      // The rest as packetdrill's common/defaults.sh sets them, where they change what is sent.
      "net.ipv4.tcp_timestamps=1", "net.ipv4.tcp_window_scaling=1", "net.ipv4.tcp_sack=1",
      "net.ipv4.tcp_dsack=1", "net.ipv4.tcp_syn_retries=6", "net.ipv4.tcp_retries2=15", "net.ipv4.tcp_frto=2",
      "net.ipv4.tcp_reordering=3",
      // No tcp_congestion_control: this machine may allow only others in namespaces (it allows reno and
      // bbr); each socket asks for cubic itself (TCP_CONGESTION, twin_program.cpp).
      "net.ipv4.tcp_early_retrans=3",  // TLP on (RFC 8985 §7)
      "net.ipv4.tcp_recovery=1",       // RACK on (RFC 8985)
      "net.ipv4.tcp_ecn=0", "net.ipv4.tcp_fastopen=0",
      "net.ipv4.tcp_no_metrics_save=1",    // no cached RTT or cwnd from an earlier connection
      "net.ipv6.conf.all.disable_ipv6=1",  // no router solicitations in the capture
  };
}

namespace {

std::atomic<bool> g_twin_interrupted{false};
extern "C" void interrupt_twin(int) {
  g_twin_interrupted.store(true);
}

struct RunningProgram {
  std::string name;
  pid_t pid = -1;
  int report = -1;   // read end of the child's report pipe (non-blocking)
  int release = -1;  // write end: closing it lets a finished child exit
  std::string text;
  bool ended() const { return text.find("\nend ") != std::string::npos || text.rfind("end ", 0) == 0; }
  bool waiting() const {
    const auto at = text.rfind("call ");
    return at != std::string::npos && text.compare(at, 10, "call sleep") != 0;
  }
};

void drain(RunningProgram& p) {
  char buf[512];
  for (ssize_t n; (n = read(p.report, buf, sizeof buf)) > 0;) p.text.append(buf, static_cast<std::size_t>(n));
}

}  // namespace

Result<TwinRealRun> run_twin_real(const Scenario& sc, const TwinRealOptions& o, std::ostream& progress) {
  if (auto st = twin_scenario_supported(sc); !st) return st.error();
  if (o.pcap_path.empty()) return twin_error("a pcap path is required", "需要给出 pcap 文件路径");
  if (geteuid() != 0)
    return twin_error("network namespaces need root: run wirestep twin as root",
                      "网络命名空间需要 root 权限：请以 root 身份运行 wirestep twin");
  const bool zh = o.lang == Lang::Zh;
  g_twin_interrupted.store(false);
  struct SignalGuard {
    explicit SignalGuard(bool install) : installed(install) {
      if (!installed) return;
      old_int = signal(SIGINT, interrupt_twin);
      old_term = signal(SIGTERM, interrupt_twin);
    }
    ~SignalGuard() {
      if (!installed) return;
      signal(SIGINT, old_int);
      signal(SIGTERM, old_term);
    }
    bool installed;
    void (*old_int)(int) = nullptr;
    void (*old_term)(int) = nullptr;
  } guard(o.cancel == nullptr);
  auto stopped = [&] { return g_twin_interrupted.load() || (o.cancel && o.cancel->load()); };

  remove_stale_wirestep_namespaces(progress, o.lang);
  TwinNames names;
  NetnsSet netns;
  std::string log;
  auto setup_failed = [&](const std::string& cmd) {
    return twin_error("`" + cmd + "` failed: " + log +
                          "(twin needs root, iproute2 and ethtool: apt-get install iproute2 ethtool)",
                      "`" + cmd + "` 执行失败：" + log +
                          "（twin 需要 root、iproute2 和 ethtool：apt-get install iproute2 ethtool）");
  };
  const std::string br = names.bridge_ns();
  if (!netns.add(br, &log)) return setup_failed("ip netns add " + br);
  std::vector<std::string> steps = {"ip -n " + br + " link set lo up"};
  for (std::size_t i = 0; i < sc.hosts.size(); ++i) {
    const std::string ns = names.host_ns(i), hv = names.host_veth(i), pv = names.port_veth(i);
    if (!netns.add(ns, &log)) return setup_failed("ip netns add " + ns);
    const auto& h = sc.hosts[i];
    for (std::string s : {
             "ip link add " + hv + " type veth peer name " + pv,
             "ip link set " + hv + " netns " + ns,
             "ip link set " + pv + " netns " + br,
             "ip -n " + br + " link set " + pv + " up",
             "ip -n " + ns + " addr add " + h.address.to_string() + "/" + std::to_string(h.prefix_len) +
                 " dev " + hv,
             "ip -n " + ns + " link set lo up",
             "ip -n " + ns + " link set " + hv + " up",
             // Offloads would merge segments into 64 KB super-packets: off, so capture and rules see the
             // segments TCP really sends.
             "ip netns exec " + ns + " ethtool -K " + hv + " tso off gso off gro off tx off rx off",
             "ip netns exec " + br + " ethtool -K " + pv + " tso off gso off gro off tx off rx off",
         })
      steps.push_back(s);
    std::string sysctl = "ip netns exec " + ns + " sysctl -q -w";
    for (const auto& kv : twin_tcp_sysctls()) sysctl += " " + kv;
    steps.push_back(sysctl);
  }
  for (const auto& cmd : steps)
    if (run_shell(cmd, &log) != 0) return setup_failed(cmd);
  auto link = TwinLink::from_scenario(sc);
  if (!link) return link.error();
  const auto& fwd = link->direction(0);
  if (zh)
    progress << "真实一侧：" << sc.hosts.size() << " 个主机命名空间经中继相连（命名空间 " << br << "），延迟 "
             << format_millis(fwd.latency) << " 毫秒，脚本丢包在中继上\n";
  else
    progress << "real side: " << sc.hosts.size() << " host namespaces joined by a relay (namespace " << br
             << "), latency " << format_millis(fwd.latency) << " ms, scripted drops in the relay\n";

  // Capture where frames enter the relay: every frame once, dropped ones included.
  LiveCaptureOptions co;
  co.interface = "any";
  co.bpf_filter = "inbound and tcp";
  co.write_path = o.pcap_path;
  co.duration_s = o.timeout_s + 10;
  // libpcap's immediate mode gives a ring of fixed slots the size of the snap length: at 256 KiB only
  // eight fit in its 2 MiB and a burst loses frames. A whole frame here is at most 1500 + 20 bytes.
  co.snaplen = 2048;
  std::atomic<std::int64_t> last_frame_ns{0};
  std::atomic<std::uint64_t> frames{0};
  struct CaptureThread {
    std::atomic<bool> stop{false};
    std::atomic<bool> done{false};
    Result<LiveCaptureStats> outcome = LiveCaptureStats{};
    std::thread thread;
    ~CaptureThread() { join(); }
    void join() {
      stop.store(true);
      if (thread.joinable()) thread.join();
    }
  } capture;
  auto now_ns = [] {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  capture.thread = std::thread([&] {
    if (!enter_netns(br))
      capture.outcome = twin_error("cannot enter namespace " + br, "无法进入命名空间 " + br);
    else
      capture.outcome = run_live_capture(
          co,
          [&](const LiveFrame&) {
            last_frame_ns.store(now_ns());
            frames.fetch_add(1);
            return true;
          },
          &capture.stop);
    capture.done.store(true);
  });
  for (int i = 0; i < 30 && !capture.done.load(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (capture.done.load()) {
    capture.join();
    if (!capture.outcome) return capture.outcome.error();
  }
  struct RelayThread {
    std::atomic<bool> stop{false};
    std::atomic<bool> ready{false};
    std::atomic<bool> done{false};
    Result<TwinRelayStats> outcome = TwinRelayStats{};
    std::thread thread;
    ~RelayThread() { join(); }
    void join() {
      stop.store(true);
      if (thread.joinable()) thread.join();
    }
  } relay;
  relay.thread = std::thread([&] {
    if (!enter_netns(br))
      relay.outcome = twin_error("cannot enter namespace " + br, "无法进入命名空间 " + br);
    else
      relay.outcome = run_twin_relay(names.port_veth(0), names.port_veth(1), *link, relay.stop, relay.ready);
    relay.done.store(true);
  });
  while (!relay.ready.load() && !relay.done.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (relay.done.load()) {
    relay.join();
    if (!relay.outcome) return relay.outcome.error();
  }

  // Simulated time 0 is a moment from now, when every child has been forked and waits for it.
  timespec start{};
  clock_gettime(CLOCK_MONOTONIC, &start);
  start.tv_nsec += 200'000'000;
  if (start.tv_nsec >= 1'000'000'000) {
    start.tv_sec += 1;
    start.tv_nsec -= 1'000'000'000;
  }
  // Every program runs on one CPU. veth hands a packet to the backlog of the CPU that sent it, so a sender
  // the scheduler moves between CPUs mid-flight can reorder its own segments on a busy machine, and Linux's
  // RACK (RFC 8985) then resends ones that were never lost. The simulated link never reorders.
  cpu_set_t one_cpu;
  CPU_ZERO(&one_cpu);
  if (cpu_set_t allowed; sched_getaffinity(0, sizeof allowed, &allowed) == 0) {
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &allowed)) {
        CPU_SET(c, &one_cpu);
        break;
      }
  }
  SimDuration last_at{};
  std::vector<RunningProgram> running;
  for (const auto& p : sc.programs) {
    for (const auto& s : p.steps)
      if (s.at && s.at->ns > last_at.ns) last_at = SimDuration{s.at->ns};
    std::size_t host = 0;
    while (host < sc.hosts.size() && sc.hosts[host].name != p.host) ++host;
    int report[2], release[2];
    if (pipe(report) != 0 || pipe(release) != 0) return twin_error("pipe failed", "创建管道失败");
    const pid_t pid = fork();
    if (pid == 0) {
      // A parent killed with SIGKILL takes its programs along, so none stays blocked in a namespace.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      close(report[0]);
      close(release[1]);
      if (CPU_COUNT(&one_cpu) == 1) (void)sched_setaffinity(0, sizeof one_cpu, &one_cpu);
      if (!enter_netns(names.host_ns(host))) {
        const std::string line = "end finished=0 sent=0 received=0 errno= error=cannot enter namespace\n";
        (void)!write(report[1], line.data(), line.size());
      } else {
        run_real_program(p, start, report[1]);
      }
      // Stay until the capture has stopped, so no close of ours at exit reaches the wire.
      char c;
      (void)!read(release[0], &c, 1);
      _exit(0);
    }
    close(report[1]);
    close(release[0]);
    fcntl(report[0], F_SETFL, O_NONBLOCK);
    running.push_back({p.name, pid, report[0], release[1], {}});
  }

  TwinRealRun result;
  const auto begin = now_ns();
  const auto deadline = begin + static_cast<std::int64_t>(o.timeout_s * 1e9);
  const auto quiet = static_cast<std::int64_t>(o.quiet_s * 1e9);
  const auto all_started = begin + 200'000'000 + last_at.ns;
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    bool settled = true;
    for (auto& p : running) {
      drain(p);
      if (!p.ended() && !p.waiting()) settled = false;
    }
    const auto now = now_ns();
    if (stopped()) break;
    if (now > deadline) {
      result.timed_out = true;
      break;
    }
    if (settled && now > all_started && now - std::max(last_frame_ns.load(), all_started) > quiet) break;
  }
  capture.join();
  relay.join();
  // Release every child before waiting for any: a child holds copies of its elder siblings' pipes.
  for (auto& p : running) {
    drain(p);
    close(p.release);  // a finished child exits; one still blocked in a call is ended here
    if (!p.ended()) kill(p.pid, SIGKILL);
  }
  for (auto& p : running) {
    int status = 0;
    waitpid(p.pid, &status, 0);
    drain(p);
    close(p.report);
    result.programs.push_back(parse_real_program_report(p.name, p.text));
  }
  netns.remove_all();
  if (!capture.outcome) return capture.outcome.error();
  if (!relay.outcome) return relay.outcome.error();
  result.relay = *relay.outcome;
  result.frames = frames.load();
  if (capture.outcome->dropped_by_kernel > 0)
    return twin_error("the capture lost " + std::to_string(capture.outcome->dropped_by_kernel) +
                          " frames (kernel buffer full): the comparison would be wrong",
                      "抓包丢失了 " + std::to_string(capture.outcome->dropped_by_kernel) +
                          " 帧（内核缓冲区已满）：比较结果将不可信");
  if (stopped()) return twin_error("interrupted; the namespaces were removed", "已中断；命名空间已删除");
  return result;
}

}  // namespace wirestep
