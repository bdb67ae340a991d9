// Capture analysis benchmark (issue #5): for one large capture made here, packets per second and peak memory
// per packet of (1) a bare pcap_next_ex loop (the limit), (2) our analyze path (load into the Trace with the
// conversation table and TCP analysis in the same pass, as `wirestep analyze` does), (3) tshark's TCP
// analysis (`tshark -n -r F -Y tcp.analysis.retransmission`). Targets: (2) within 3x of (1), at least 50x
// faster than (3), at most 64 bytes per packet.
//
// The capture: the simulator through the library (real TCP: slow start, loss recovery, RTOs) with 160
// NewReno flows over a lossy 1 Gbit/s link plus a UDP stream, exported with a 128-byte snapshot length
// (headers and the start of each payload, as large captures are usually taken: `tcpdump -s 128`).
//
// Every measurement runs in its own process (this binary re-executed), so peak RSS (wait4 rusage) is its
// own. Memory per packet is reported two ways: peak RSS / packets, and (peak RSS - the bare loop's peak
// RSS) / packets, i.e. what holding the analysed capture costs beyond a process that only reads it.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <malloc.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "capture/analyzed_capture.hpp"
#include "capture/capture_reader.hpp"
#include "sim/analysis/flow_analysis.hpp"
#include "sim/net/network.hpp"
#include "sim/trace/packet_bytes.hpp"

namespace {

using namespace wirestep;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kTargetPackets = 1'100'000;
constexpr int kTcpFlows = 160;
constexpr std::uint32_t kSnaplen = 128;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// --- making the capture (child process "generate") -------------------------------------------------------

int generate(const std::string& path) {
  Network net(5);
  net.trace().set_detail(TraceDetail::Compact);
  const HostId a = net.add_host("A", *wire::Ipv4Addr::parse("10.0.0.1"));
  const HostId b = net.add_host("B", *wire::Ipv4Addr::parse("10.0.0.2"));
  LinkParams fwd;
  fwd.latency = SimDuration::millis(2);
  fwd.bandwidth_bps = 1'000'000'000;
  fwd.queue_packets = 2000;
  fwd.impairments.push_back({BernoulliLoss{10'000}, ""});  // 1% of A>B packets lost
  LinkParams rev = fwd;
  rev.impairments.clear();
  net.connect(a, b, fwd, rev);
  TcpConfig cfg;
  cfg.mss = 1448;
  cfg.send_buffer = cfg.recv_buffer = 256 * 1024;
  Host& client = net.host(a);
  Host& server = net.host(b);
  client.set_tcp_config(cfg);
  server.set_tcp_config(cfg);

  const SocketId l = server.tcp_socket();
  (void)server.bind(l, 5001);
  (void)server.listen(l, 1024);
  std::function<void(SocketId)> drain = [&](SocketId c) {
    server.recv(c, 1 << 20, [&, c](SimTime, Result<std::vector<std::uint8_t>> got) {
      if (!got) return;
      if (got->empty()) {
        (void)server.close(c);
        return;
      }
      drain(c);
    });
  };
  std::function<void()> accept_next = [&]() {
    server.accept(l, [&](SimTime, Result<SocketId> c) {
      if (!c) return;
      drain(*c);
      accept_next();
    });
  };
  accept_next();
  // Each flow sends a few megabytes and closes; the next one starts on a new port when it has (many
  // conversations with handshakes and teardowns, not only long ones).
  std::function<void(int)> start_flow = [&](int generation) {
    const SocketId s = client.tcp_socket();
    client.connect(s, server.addr(), 5001, [&, s, generation](SimTime, Status st) {
      if (!st) return;
      const std::uint64_t bytes = (1 + generation % 7) * 1'000'000ull;
      client.send(s, {}, bytes, [&, s, generation](SimTime, Result<std::uint64_t>) {
        (void)client.close(s);
        if (net.trace().packet_count() < kTargetPackets) start_flow(generation + kTcpFlows);
      });
    });
  };
  for (int i = 0; i < kTcpFlows; ++i) start_flow(i);
  // UDP: a 300-byte datagram every 200 us from A to B's port 9000, each 100th from B back.
  const SocketId u = client.udp_socket();
  const SocketId v = server.udp_socket();
  (void)server.bind(v, 9000);
  const std::vector<std::uint8_t> datagram(300, 0x55);
  std::function<void(SimTime)> tick = [&](SimTime) {
    static int n = 0;
    (void)client.sendto(u, datagram, server.addr(), 9000);
    if (++n % 100 == 0) (void)server.sendto(v, datagram, client.addr(), client.local_port(u));
    if (net.trace().packet_count() < kTargetPackets) net.loop().after(SimDuration::micros(200), tick);
  };
  net.loop().after(SimDuration::micros(200), tick);

  const auto start = Clock::now();
  net.run(SimTime{SimDuration::seconds(120).ns});
  const Trace& trace = net.trace();
  std::fprintf(stderr, "  simulated %zu packets in %.1f s\n", trace.packet_count(), seconds_since(start));

  // Export with a 128-byte snapshot length: caplen = min(frame, 128), len = the whole frame.
  pcap_t* dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, kSnaplen, PCAP_TSTAMP_PRECISION_NANO);
  pcap_dumper_t* dumper = dead ? pcap_dump_open(dead, path.c_str()) : nullptr;
  if (!dumper) return 1;
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    bytes.clear();
    rebuild_packet(trace, i, LinkLayer::Ethernet, bytes);
    const std::int64_t t = trace.packet_times_ns()[i];
    pcap_pkthdr h{};
    h.ts.tv_sec = 1'767'225'600 + t / 1'000'000'000;
    h.ts.tv_usec = t % 1'000'000'000;
    h.len = static_cast<bpf_u_int32>(bytes.size());
    h.caplen = std::min<bpf_u_int32>(h.len, kSnaplen);
    pcap_dump(reinterpret_cast<u_char*>(dumper), &h, bytes.data());
  }
  pcap_dump_close(dumper);
  pcap_close(dead);
  return 0;
}

// --- the measured paths (child processes) ------------------------------------------------------------------

int bare_loop(const std::string& path) {
  char errbuf[PCAP_ERRBUF_SIZE];
  const auto start = Clock::now();
  pcap_t* p = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (!p) return 1;
  pcap_pkthdr* h = nullptr;
  const u_char* data = nullptr;
  std::uint64_t packets = 0, bytes = 0;
  while (pcap_next_ex(p, &h, &data) == 1) {
    ++packets;
    bytes += h->caplen;
  }
  pcap_close(p);
  std::printf("%llu %.6f %llu\n", static_cast<unsigned long long>(packets), seconds_since(start),
              static_cast<unsigned long long>(bytes));
  return 0;
}

int analyze(const std::string& path, bool with_analysis) {
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);  // as ui/main.cpp does for `wirestep analyze`
  const auto start = Clock::now();
  if (!with_analysis) {
    auto cap = load_capture(path);
    if (!cap) return 1;
    std::printf("%zu %.6f %zu 0 0 0\n", cap->trace.packet_count(), seconds_since(start),
                cap->trace.memory_bytes());
    return 0;
  }
  // Exactly what `wirestep analyze` runs: the load with the analysis beside it on a second thread.
  auto analyzed = load_and_analyze(path);
  if (!analyzed) return 1;
  const FlowAnalyzer& analysis = analyzed->analysis;
  std::uint64_t retransmissions = 0;
  for (const Conversation& c : analysis.conversations()) retransmissions += c.tcp.retransmissions();
  const double s = seconds_since(start);
  std::printf("%zu %.6f %zu %zu %zu %llu\n", analyzed->capture.trace.packet_count(), s,
              analyzed->capture.trace.memory_bytes(), analysis.conversations().size(),
              analysis.flagged().size(), static_cast<unsigned long long>(retransmissions));
  return 0;
}

// --- the parent: run each child, collect its output and peak RSS -------------------------------------------

struct ChildRun {
  std::string output;
  long peak_rss_bytes = 0;
  double wall_seconds = 0;
  double cpu_seconds = 0;  // user + system: steadier than wall time on a busy machine
  int status = -1;
};

ChildRun run_child(const std::vector<std::string>& argv, bool capture_stdout = true) {
  ChildRun r;
  int fds[2];
  if (pipe(fds) != 0) return r;
  const auto start = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(capture_stdout ? fds[1] : open("/dev/null", O_WRONLY), STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) r.output.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  rusage u{};
  wait4(pid, &status, 0, &u);
  r.wall_seconds = seconds_since(start);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.peak_rss_bytes = u.ru_maxrss * 1024L;
  r.cpu_seconds = static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
                  static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "generate") == 0) return generate(argv[2]);
  if (argc == 3 && std::strcmp(argv[1], "bare") == 0) return bare_loop(argv[2]);
  if (argc == 3 && std::strcmp(argv[1], "analyze") == 0) return analyze(argv[2], true);
  if (argc == 3 && std::strcmp(argv[1], "load") == 0) return analyze(argv[2], false);

  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::string path =
      argc >= 2 ? argv[1] : (std::filesystem::temp_directory_path() / "wirestep-capture-bench.pcap").string();
  std::printf("wirestep capture benchmark: %s\n", path.c_str());
  if (!std::filesystem::exists(path)) {
    std::printf("making the capture (%d TCP flows, 1%% loss, 1 Gbit/s, UDP stream, snaplen %u)...\n",
                kTcpFlows, kSnaplen);
    std::fflush(stdout);
    if (run_child({self, "generate", path}).status != 0) return 1;
  }
  std::printf("capture: %.1f MB\n\n", static_cast<double>(std::filesystem::file_size(path)) / 1e6);

  const ChildRun bare = run_child({self, "bare", path});
  const ChildRun ours = run_child({self, "analyze", path});
  const ChildRun load_only = run_child({self, "load", path});  // the same without the analysis: a breakdown
  if (bare.status != 0 || ours.status != 0 || load_only.status != 0) return 1;
  double load_s = 0;
  std::sscanf(load_only.output.c_str(), "%*u %lf", &load_s);  // skip the packet count
  unsigned long long packets = 0, bare_bytes = 0;
  double bare_s = 0, ours_s = 0;
  std::sscanf(bare.output.c_str(), "%llu %lf %llu", &packets, &bare_s, &bare_bytes);
  unsigned long long ours_packets = 0, trace_bytes = 0, convs = 0, flagged = 0, retrans = 0;
  std::sscanf(ours.output.c_str(), "%llu %lf %llu %llu %llu %llu", &ours_packets, &ours_s, &trace_bytes,
              &convs, &flagged, &retrans);
  const ChildRun tshark = run_child({"tshark", "-n", "-r", path, "-Y", "tcp.analysis.retransmission"});
  const auto tshark_retrans = std::count(tshark.output.begin(), tshark.output.end(), '\n');
  const double tshark_s = tshark.wall_seconds;  // includes tshark's start-up (about 0.3 s), negligible here

  const double n = static_cast<double>(packets);
  const auto per_packet = [&](long rss) { return static_cast<double>(rss) / n; };
  const auto above_bare = [&](long rss) { return static_cast<double>(rss - bare.peak_rss_bytes) / n; };
  std::printf(
      "%llu packets (%llu conversations, %llu flagged packets); retransmissions: ours %llu, tshark "
      "%lld%s\n\n",
      packets, convs, flagged, retrans, static_cast<long long>(tshark_retrans),
      static_cast<long long>(retrans) == tshark_retrans ? " (equal)" : " (DIFFERENT)");
  std::printf("%-34s %11s %9s %11s %9s %14s %16s\n", "", "packets/s", "seconds", "pkts/cpu-s", "cpu s",
              "peak RSS B/pkt", "above bare B/pkt");
  const auto row = [&](const char* name, double seconds, const ChildRun& c, bool above) {
    std::printf("%-34s %11.0f %9.3f %11.0f %9.3f %14.1f %16s\n", name, n / seconds, seconds,
                n / c.cpu_seconds, c.cpu_seconds, per_packet(c.peak_rss_bytes),
                above ? std::to_string(above_bare(c.peak_rss_bytes)).substr(0, 6).c_str() : "-");
  };
  row("bare pcap_next_ex loop", bare_s, bare, false);
  row("wirestep analyze (load + analysis)", ours_s, ours, true);
  row("  of which loading into the Trace", load_s, load_only, true);
  row("tshark -Y tcp.analysis.retransmission", tshark_s, tshark, true);
  std::printf(
      "(seconds: the work itself, timed inside the process; tshark's include its start-up, ~0.3 s)\n");
  std::printf("\nTrace columns: %.1f B/pkt by capacity (Trace::memory_bytes)\n",
              static_cast<double>(trace_bytes) / n);
  std::printf("ratios measured in this run (wall time; CPU time in brackets):\n");
  const double slow = ours_s / bare_s, slow_cpu = ours.cpu_seconds / bare.cpu_seconds;
  const double fast = tshark_s / ours_s, fast_cpu = tshark.cpu_seconds / ours.cpu_seconds;
  std::printf("  analyze / bare loop          %6.2fx [%5.2fx]  (target <= 3x)   %s\n", slow, slow_cpu,
              slow <= 3 ? "met" : "NOT met");
  std::printf("  tshark / analyze             %6.1fx [%5.1fx]  (target >= 50x)  %s\n", fast, fast_cpu,
              fast >= 50 ? "met" : "NOT met");
  std::printf(
      "  analyze peak RSS per packet  %6.1f B            (target <= 64 B) %s (%.1f B above the bare loop)\n",
      per_packet(ours.peak_rss_bytes), per_packet(ours.peak_rss_bytes) <= 64 ? "met" : "NOT met",
      above_bare(ours.peak_rss_bytes));
  std::printf("  tshark peak RSS / analyze    %6.1fx\n",
              static_cast<double>(tshark.peak_rss_bytes) / static_cast<double>(ours.peak_rss_bytes));
  return 0;
}
