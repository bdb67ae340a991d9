#include "capture/live_lab.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <set>
#include <thread>
#include <vector>

#include "capture/live_capture.hpp"
#include "capture/netns.hpp"

namespace wirestep {
namespace {

constexpr const char* kClientNs = "10.99.0.1";
constexpr const char* kServerNs = "10.99.0.2";
// Between namespaces the lab owns the network, so its ports are fixed; on lo it shares it with everything
// else on the machine (another lab running at the same time included), so it asks the kernel for free ones.
struct LabPorts {
  std::uint16_t tcp = 5001;
  std::uint16_t udp = 5002;
};

// The namespaces of one run; the destructor removes them whatever happened.
class LabNetwork {
 public:
  explicit LabNetwork(pid_t pid)
      : a_("wirestep-a-" + std::to_string(pid)),
        b_("wirestep-b-" + std::to_string(pid)),
        veth_a_("wsa" + std::to_string(pid)),
        veth_b_("wsb" + std::to_string(pid)) {}
  ~LabNetwork() { remove(); }
  LabNetwork(const LabNetwork&) = delete;
  LabNetwork& operator=(const LabNetwork&) = delete;

  Status create(const LiveLabOptions& o) {
    created_ = true;
    std::string log;
    const std::vector<std::string> steps = {
        "ip netns add " + a_,
        "ip netns add " + b_,
        "ip link add " + veth_a_ + " type veth peer name " + veth_b_,
        "ip link set " + veth_a_ + " netns " + a_,
        "ip link set " + veth_b_ + " netns " + b_,
        "ip -n " + a_ + " addr add " + kClientNs + "/24 dev " + veth_a_,
        "ip -n " + b_ + " addr add " + kServerNs + "/24 dev " + veth_b_,
        "ip -n " + a_ + " link set lo up",
        "ip -n " + b_ + " link set lo up",
        "ip -n " + a_ + " link set " + veth_a_ + " up",
        "ip -n " + b_ + " link set " + veth_b_ + " up",
        // Offloads would merge segments into 64 KB super-packets: turn them off so the capture and the drop
        // rules see the segments TCP really sends.
        "ip netns exec " + a_ + " ethtool -K " + veth_a_ + " tso off gso off gro off tx off rx off",
        "ip netns exec " + b_ + " ethtool -K " + veth_b_ + " tso off gso off gro off tx off rx off",
    };
    for (const auto& cmd : steps) {
      if (run_shell(cmd, &log) != 0)
        return Error{"", "live lab",
                     "`" + cmd + "` failed: " + log +
                         "(the lab needs root, iproute2, nftables and ethtool: apt-get install "
                         "iproute2 nftables ethtool)",
                     "实时实验",
                     "`" + cmd + "` 执行失败：" + log +
                         "（实验需要 root、iproute2、nftables 和 ethtool：apt-get install "
                         "iproute2 nftables ethtool）"};
    }
    if (o.loss > 0 || o.drop_every > 0) {
      // Drop on B's input, only packets from A: loss in the data direction, ACKs untouched.
      const std::string expr = o.drop_every > 0 ? "numgen inc mod " + std::to_string(o.drop_every) + " == 0"
                                                : "numgen random mod 1000000 < " + std::to_string(o.loss);
      const std::string ruleset =
          "table inet wirestep {\n chain input {\n  type filter hook input priority 0; policy accept;\n"
          "  ip saddr " +
          std::string(kClientNs) + " " + expr + " counter drop\n }\n}\n";
      if (run_shell("printf '%s' '" + ruleset + "' | ip netns exec " + b_ + " nft -f -", &log) != 0)
        return Error{"", "live lab", "nftables rule failed: " + log, "实时实验",
                     "nftables 规则加载失败：" + log};
    }
    return Ok{};
  }

  void remove() {
    if (!created_) return;
    created_ = false;
    run_shell("ip netns del " + a_);  // deleting a namespace deletes the veth end in it, and so the pair
    run_shell("ip netns del " + b_);
  }

  const std::string& a() const { return a_; }
  const std::string& b() const { return b_; }
  const std::string& veth_a() const { return veth_a_; }

 private:
  std::string a_, b_, veth_a_, veth_b_;
  bool created_ = false;
};

// Forks a child that (optionally) enters a namespace, runs `body` and writes its result line to a pipe.
struct Child {
  pid_t pid = -1;
  int out = -1;
};

template <typename Body>
Child spawn(const std::string& netns, Body body) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    std::string result;
    if (!netns.empty() && !enter_netns(netns))
      result = "error: cannot enter namespace " + netns;
    else
      result = body();
    (void)!write(fds[1], result.data(), result.size());
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

std::string read_all(int fd) {
  std::string out;
  char buf[256];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  close(fd);
  return out;
}

sockaddr_in address(const char* ip, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, ip, &a.sin_addr);
  return a;
}

// A port of `type` on 127.0.0.1 that nothing uses now, as the kernel picks ephemeral ports.
std::uint16_t free_loopback_port(int type) {
  const int s = socket(AF_INET, type, 0);
  auto a = address("127.0.0.1", 0);
  socklen_t len = sizeof a;
  std::uint16_t port = 0;
  if (s >= 0 && bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  if (s >= 0) close(s);
  return port;
}

void set_timeout(int fd, int seconds) {
  timeval tv{seconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

std::string tcp_server(const char* ip, std::uint16_t port, int ready_fd, int timeout) {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  auto a = address(ip, port);
  if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(s, 5) != 0)
    return std::string("error: tcp server: ") + std::strerror(errno);
  (void)!write(ready_fd, "r", 1);
  set_timeout(s, timeout);
  const int c = accept(s, nullptr, nullptr);
  if (c < 0) return std::string("error: accept: ") + std::strerror(errno);
  set_timeout(c, timeout);
  std::uint64_t total = 0;
  std::vector<char> buf(1 << 16);
  for (;;) {
    const ssize_t n = recv(c, buf.data(), buf.size(), 0);
    if (n == 0) break;  // end of stream: the client shut down
    if (n < 0) return "bytes " + std::to_string(total) + " error: recv: " + std::strerror(errno);
    total += static_cast<std::uint64_t>(n);
  }
  close(c);
  close(s);
  return "bytes " + std::to_string(total);
}

std::string tcp_client(const char* ip, std::uint16_t port, std::uint64_t bytes, int timeout) {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  set_timeout(s, timeout);
  auto a = address(ip, port);
  if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    return std::string("error: connect: ") + std::strerror(errno);
  std::vector<char> chunk(16384, 'w');
  std::uint64_t sent = 0;
  while (sent < bytes) {
    const ssize_t n =
        send(s, chunk.data(), std::min<std::uint64_t>(chunk.size(), bytes - sent), MSG_NOSIGNAL);
    if (n <= 0) return "bytes " + std::to_string(sent) + " error: send: " + std::strerror(errno);
    sent += static_cast<std::uint64_t>(n);
  }
  shutdown(s, SHUT_WR);
  char c;
  while (recv(s, &c, 1, 0) > 0) {
  }
  close(s);
  return "bytes " + std::to_string(sent);
}

std::string udp_server(const char* ip, std::uint16_t port, int ready_fd, std::uint32_t messages) {
  const int s = socket(AF_INET, SOCK_DGRAM, 0);
  auto a = address(ip, port);
  if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    return std::string("error: udp bind: ") + std::strerror(errno);
  (void)!write(ready_fd, "r", 1);
  set_timeout(s, 2);  // UDP has no end of stream: stop after 2 s of silence
  std::set<std::uint32_t> seen;
  std::vector<char> buf(65536);
  for (;;) {
    const ssize_t n = recv(s, buf.data(), buf.size(), 0);
    if (n < 0) break;
    std::uint32_t number = 0;
    if (n >= 8 && std::sscanf(buf.data(), "msg %u", &number) == 1 && number >= 1 && number <= messages)
      seen.insert(number);
  }
  close(s);
  return "messages " + std::to_string(seen.size());
}

std::string udp_client(const char* ip, std::uint16_t port, const LiveLabOptions& o) {
  const int s = socket(AF_INET, SOCK_DGRAM, 0);
  auto a = address(ip, port);
  std::vector<char> msg(std::max<std::uint32_t>(o.udp_size, 16), 'u');
  for (std::uint32_t i = 1; i <= o.udp_messages; ++i) {
    const int len = std::snprintf(msg.data(), msg.size(), "msg %u ", i);
    msg[static_cast<std::size_t>(len)] = 'u';
    sendto(s, msg.data(), msg.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
    std::this_thread::sleep_for(std::chrono::milliseconds(o.udp_interval_ms));
  }
  close(s);
  return "messages " + std::to_string(o.udp_messages);
}

// Ctrl-C during a lab: stop the children and clean up instead of dying with the namespaces still there.
std::atomic<bool> g_interrupted{false};
extern "C" void interrupt_lab(int) {
  g_interrupted.store(true);
}

std::uint64_t number_after(const std::string& s, const std::string& key) {
  const auto at = s.find(key);
  return at == std::string::npos ? 0 : std::strtoull(s.c_str() + at + key.size(), nullptr, 10);
}

bool stopped(const std::atomic<bool>* cancel) {
  return g_interrupted.load() || (cancel && cancel->load());
}

bool wait_with_deadline(pid_t pid, std::chrono::steady_clock::time_point deadline,
                        const std::atomic<bool>* cancel) {
  for (;;) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return true;
    if (std::chrono::steady_clock::now() > deadline || stopped(cancel)) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

void remove_stale_lab_namespaces(std::ostream& progress, Lang lang) {
  remove_stale_wirestep_namespaces(progress, lang);
}

Result<LiveLabResult> run_live_lab(const LiveLabOptions& o, std::ostream& progress) {
  if (o.write_path.empty())
    return Error{"", "live lab", "a pcap path is required", "实时实验", "需要给出 pcap 文件路径"};
  if (geteuid() != 0 && o.namespaces)
    return Error{"", "live lab", "network namespaces need root: run as root, or use --loopback", "实时实验",
                 "网络命名空间需要 root 权限：请以 root 身份运行，或使用 --loopback"};
  LiveLabResult result;
  g_interrupted.store(false);
  // A caller with its own cancel flag (the UI) keeps its signal handlers.
  struct SignalGuard {
    explicit SignalGuard(bool install) : installed(install) {
      if (!installed) return;
      old_int = signal(SIGINT, interrupt_lab);
      old_term = signal(SIGTERM, interrupt_lab);
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
  LabNetwork net(getpid());
  if (o.namespaces) {
    remove_stale_lab_namespaces(progress, o.lang);
    if (auto st = net.create(o); !st) return st.error();
    result.interface = net.veth_a() + " (in namespace " + net.a() + ")";
    result.client = kClientNs;
    result.server = kServerNs;
    if (o.lang == Lang::Zh) {
      progress << "命名空间 " << net.a() << "（" << kClientNs << "）和 " << net.b() << "（" << kServerNs
               << "）由一对 veth 相连";
      if (o.drop_every)
        progress << "；nftables 在 A->B 方向每 " << o.drop_every << " 个包丢弃 1 个";
      else if (o.loss)
        progress << "；nftables 在 A->B 方向随机丢弃 " << o.loss / 10000.0 << "% 的包";
    } else {
      progress << "namespaces " << net.a() << " (" << kClientNs << ") and " << net.b() << " (" << kServerNs
               << ") joined by a veth pair";
      if (o.drop_every)
        progress << "; nftables drops every " << o.drop_every << "th packet A->B";
      else if (o.loss)
        progress << "; nftables drops " << o.loss / 10000.0 << "% of packets A->B at random";
    }
    progress << "\n";
  } else {
    result.interface = "lo";
    result.client = result.server = "127.0.0.1";
  }
  const std::string ns_a = o.namespaces ? net.a() : "", ns_b = o.namespaces ? net.b() : "";
  const char* server_ip = o.namespaces ? kServerNs : "127.0.0.1";
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                             std::chrono::duration<double>(o.timeout_s));

  // The capture runs on a thread of this process that moved into namespace A (setns changes only the
  // calling thread's namespace), on the veth there or on lo, writing the pcap and handing each frame to
  // `on_frame` as it goes. The guard stops and joins it on every way out, before `net` removes the
  // namespaces.
  LiveCaptureOptions co;
  co.interface = o.namespaces ? net.veth_a() : "lo";
  LabPorts ports;
  if (!o.namespaces) {
    ports.tcp = free_loopback_port(SOCK_STREAM);
    ports.udp = free_loopback_port(SOCK_DGRAM);
    if (!ports.tcp || !ports.udp)
      return Error{"", "live lab", std::string("no free port on 127.0.0.1: ") + std::strerror(errno),
                   "实时实验", std::string("127.0.0.1 上没有空闲端口：") + std::strerror(errno)};
  }
  co.bpf_filter =
      "(tcp port " + std::to_string(ports.tcp) + ") or (udp port " + std::to_string(ports.udp) + ")";
  co.write_path = o.write_path;
  co.duration_s = o.timeout_s + 5;
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
  capture.thread = std::thread([&] {
    if (!ns_a.empty() && !enter_netns(ns_a))
      capture.outcome = Error{"", "live lab capture", "cannot enter namespace " + ns_a, "实时实验抓包",
                              "无法进入命名空间 " + ns_a};
    else
      capture.outcome = run_live_capture(
          co, [&](const LiveFrame& f) { return !o.on_frame || o.on_frame(f); }, &capture.stop);
    capture.done.store(true);
  });
  // Let libpcap attach before traffic starts; a capture that could not start ends the run here.
  for (int i = 0; i < 30 && !capture.done.load(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (capture.done.load()) {
    capture.join();
    if (!capture.outcome) return capture.outcome.error();
  }

  const int timeout = static_cast<int>(o.timeout_s);
  if (o.tcp && !stopped(o.cancel)) {
    int ready[2];
    if (pipe(ready) != 0) return Error{"", "live lab", "pipe failed", "实时实验", "创建管道失败"};
    Child server = spawn(ns_b, [&] {
      close(ready[0]);
      return tcp_server(server_ip, ports.tcp, ready[1], timeout);
    });
    close(ready[1]);
    char c;
    (void)!read(ready[0], &c, 1);
    close(ready[0]);
    progress << (o.lang == Lang::Zh ? "TCP：发送 " : "TCP: sending ") << o.tcp_bytes
             << (o.lang == Lang::Zh ? " 字节 " : " bytes ") << result.client << " -> " << result.server << ":"
             << ports.tcp << "\n";
    Child client = spawn(ns_a, [&] { return tcp_client(server_ip, ports.tcp, o.tcp_bytes, timeout); });
    const bool client_done = wait_with_deadline(client.pid, deadline, o.cancel);
    const bool server_done = wait_with_deadline(server.pid, deadline + std::chrono::seconds(3), o.cancel);
    const std::string c_out = read_all(client.out), s_out = read_all(server.out);
    result.tcp_bytes_sent = number_after(c_out, "bytes ");
    result.tcp_bytes_received = number_after(s_out, "bytes ");
    if (!client_done || !server_done)
      result.tcp_error = "timed out after " + std::to_string(timeout) + " s";
    else if (c_out.find("error") != std::string::npos)
      result.tcp_error = c_out.substr(c_out.find("error"));
    else if (s_out.find("error") != std::string::npos)
      result.tcp_error = s_out.substr(s_out.find("error"));
  }
  if (o.udp && !stopped(o.cancel)) {
    int ready[2];
    if (pipe(ready) != 0) return Error{"", "live lab", "pipe failed", "实时实验", "创建管道失败"};
    Child server = spawn(ns_b, [&] {
      close(ready[0]);
      return udp_server(server_ip, ports.udp, ready[1], o.udp_messages);
    });
    close(ready[1]);
    char c;
    (void)!read(ready[0], &c, 1);
    close(ready[0]);
    if (o.lang == Lang::Zh)
      progress << "UDP：发送 " << o.udp_messages << " 个数据报，每个 " << o.udp_size << " 字节\n";
    else
      progress << "UDP: sending " << o.udp_messages << " datagrams of " << o.udp_size << " bytes\n";
    Child client = spawn(ns_a, [&] { return udp_client(server_ip, ports.udp, o); });
    wait_with_deadline(client.pid, deadline, o.cancel);
    wait_with_deadline(server.pid, deadline + std::chrono::seconds(5), o.cancel);
    result.udp_sent = static_cast<std::uint32_t>(number_after(read_all(client.out), "messages "));
    result.udp_received = static_cast<std::uint32_t>(number_after(read_all(server.out), "messages "));
  }
  if (!stopped(o.cancel))
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the last ACKs reach the capture
  capture.join();
  if (!capture.outcome)
    return Error{"", "live lab capture", capture.outcome.error().message(), "实时实验抓包",
                 capture.outcome.error().message_zh()};
  result.frames = capture.outcome->frames;
  net.remove();
  if (stopped(o.cancel))
    return Error{"", "live lab", "interrupted; the namespaces were removed", "实时实验",
                 "已中断；命名空间已删除"};
  return result;
}

}  // namespace wirestep
