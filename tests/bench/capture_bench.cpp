// Capture analysis benchmark (issue #5): for one large capture made here, packets per second and peak memory
// per packet of (1) a bare pcap_next_ex loop (the limit), (2) our analyze path (load into the Trace with the
// conversation table and TCP analysis in the same pass, as `wirestep analyze` does), (3) tshark's TCP
// analysis (`tshark -n -r F -Y tcp.analysis.retransmission`). Targets: (2) within 3x of (1), at least 50x
// faster than (3), at most 64 bytes per packet.
//
// The capture looks like real traffic (issue #19; a real 2.1-million-packet Linux capture had 9,229
// conversations): about 2 million packets and 9,000 conversations from the simulator through the library,
// with a few long bulk NewReno transfers over lossy 200 Mbit/s paths (retransmissions, duplicate ACKs, RTOs),
// thousands of short request/response TCP connections (handshake, a request, 1-40 kB back, FIN), DNS-like
// UDP exchanges and ARP, twelve clients on two subnets and six servers on two others, all interleaved in
// time. Exported with a 128-byte snapshot length (headers and the start of each payload, as large captures
// are usually taken: `tcpdump -s 128`) and cached in /tmp under kFileVersion.
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
#include "sim/core/rng.hpp"
#include "sim/net/network.hpp"
#include "sim/trace/packet_bytes.hpp"
#include "sim/wire/ethernet.hpp"

namespace {

using namespace wirestep;
using Clock = std::chrono::steady_clock;

// The workload, sized like a real 2.1-million-packet Linux capture with 9,229 conversations (issue #19).
// Change kFileVersion whenever the workload changes: the file is cached in /tmp under that name.
constexpr const char* kFileVersion = "v2";
constexpr SimDuration kDuration = SimDuration::seconds(60);
constexpr int kClients = 12;
constexpr int kWebServers = 3;
constexpr int kBulkServers = 2;
constexpr std::size_t kBulkFlows = 16;  // at a time
constexpr std::int64_t kShortConnections = 8'000;
constexpr std::int64_t kDnsQueries = 1'000;
constexpr std::size_t kArpEvery = 10'000;
constexpr std::uint32_t kSnaplen = 128;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// --- making the capture (child process "generate") -------------------------------------------------------

// Hosts: clients on two subnets, web servers, bulk-transfer servers and a DNS server on others, one
// point-to-point link per client/server pair (the simulator has no switches; the capture sees every pair).
struct Lab {
  std::vector<HostId> clients, web, bulk;
  HostId dns = 0;
};

Lab build_lab(Network& net) {
  Lab lab;
  for (int i = 0; i < kClients; ++i) {
    const std::string addr = (i < kClients * 2 / 3 ? "10.1.0." : "10.2.0.") + std::to_string(10 + i);
    lab.clients.push_back(net.add_host("client" + std::to_string(i), *wire::Ipv4Addr::parse(addr)));
  }
  for (int i = 0; i < kWebServers; ++i)
    lab.web.push_back(net.add_host("web" + std::to_string(i),
                                   *wire::Ipv4Addr::parse("192.168.10." + std::to_string(20 + i))));
  for (int i = 0; i < kBulkServers; ++i)
    lab.bulk.push_back(net.add_host("bulk" + std::to_string(i),
                                    *wire::Ipv4Addr::parse("172.16.5." + std::to_string(20 + i))));
  lab.dns = net.add_host("dns", *wire::Ipv4Addr::parse("192.168.10.53"));
  for (std::size_t c = 0; c < lab.clients.size(); ++c) {
    LinkParams near;  // a short, clean path: 1-6 ms one way, 1 Gbit/s
    near.latency = SimDuration::micros(1000 + 500 * static_cast<std::int64_t>(c % 11));
    near.bandwidth_bps = 1'000'000'000;
    near.queue_packets = 1000;
    LinkParams lossy = near;  // toward the bulk servers: 1% of the client's packets lost, 200 Mbit/s
    lossy.bandwidth_bps = 200'000'000;
    LinkParams lossy_back = lossy;
    lossy.impairments.push_back({BernoulliLoss{10'000}, ""});
    for (HostId s : lab.web) net.connect(lab.clients[c], s, near, near);
    for (HostId s : lab.bulk) net.connect(lab.clients[c], s, lossy, lossy_back);
    net.connect(lab.clients[c], lab.dns, near, near);
  }
  return lab;
}

// The frames of one ARP exchange (RFC 826): who-has `target` from `sender`, and the reply. Broadcast request,
// unicast reply, padded to Ethernet's 60-byte minimum.
void arp_frame(std::vector<std::uint8_t>& out, std::uint16_t op, std::uint32_t sender_index,
               std::uint32_t sender_ip, std::uint32_t target_index, std::uint32_t target_ip) {
  out.assign(60, 0);
  const wire::MacAddr s = wire::sim_mac(sender_index);
  const wire::MacAddr t = wire::sim_mac(target_index);
  for (int i = 0; i < 6; ++i) {
    out[i] = op == 1 ? 0xff : t[i];
    out[6 + i] = s[i];
    out[22 + i] = s[i];
    out[32 + i] = op == 1 ? 0 : t[i];
  }
  const std::uint8_t fixed[] = {0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0, static_cast<std::uint8_t>(op)};
  std::copy(std::begin(fixed), std::end(fixed), out.begin() + 12);
  for (int i = 0; i < 4; ++i) {
    out[28 + i] = static_cast<std::uint8_t>(sender_ip >> (24 - 8 * i));
    out[38 + i] = static_cast<std::uint8_t>(target_ip >> (24 - 8 * i));
  }
}

int generate(const std::string& path) {
  Network net(19);
  net.trace().set_detail(TraceDetail::Compact);
  const Lab lab = build_lab(net);
  TcpConfig cfg;
  cfg.mss = 1448;
  cfg.send_buffer = cfg.recv_buffer = 256 * 1024;
  for (std::uint32_t h = 0; h < net.host_count(); ++h) net.host(h).set_tcp_config(cfg);
  Rng rng = Rng::stream(19, "capture bench workload");
  const SimTime stop{kDuration.ns};
  const auto running = [&] { return net.now() < stop; };

  // Servers: a sink on the bulk servers, a request/response handler on the web servers.
  std::function<void(Host&, SocketId)> drain = [&](Host& h, SocketId c) {
    h.recv_discard(c, 1 << 20, [&, c](SimTime, Result<std::uint64_t> got) {
      if (!got || *got == 0) {
        (void)h.close(c);
        return;
      }
      drain(h, c);
    });
  };
  std::function<void(Host&, SocketId, bool)> accept_next = [&](Host& h, SocketId l, bool web) {
    h.accept(l, [&, l, web](SimTime, Result<SocketId> c) {
      if (!c) return;
      accept_next(h, l, web);
      if (!web) return drain(h, *c);
      // Web: read the request, answer 1-40 kB, close (the server closes first, as HTTP/1.0 does).
      const SocketId s = *c;
      h.recv_discard(s, 1 << 16, [&, s](SimTime, Result<std::uint64_t> got) {
        if (!got || *got == 0) return (void)h.close(s);
        h.send(s, {}, 1000 + rng.below(39'000), [&, s](SimTime, Result<std::uint64_t>) { (void)h.close(s); });
      });
    });
  };
  for (HostId id : lab.web)
    for (std::uint16_t port : {80, 443}) {
      Host& h = net.host(id);
      const SocketId l = h.tcp_socket();
      (void)h.bind(l, port);
      (void)h.listen(l, 4096);
      accept_next(h, l, true);
    }
  for (HostId id : lab.bulk) {
    Host& h = net.host(id);
    const SocketId l = h.tcp_socket();
    (void)h.bind(l, 5001);
    (void)h.listen(l, 64);
    accept_next(h, l, false);
  }

  // Long bulk transfers with loss: each sends 10-40 MB and closes; its client starts the next one while the
  // run lasts.
  std::function<void(std::size_t)> start_bulk = [&](std::size_t n) {
    Host& c = net.host(lab.clients[n % lab.clients.size()]);
    const SocketId s = c.tcp_socket();
    c.connect(s, net.host(lab.bulk[n % lab.bulk.size()]).addr(), 5001, [&, s, n](SimTime, Status st) {
      if (!st) return;
      c.send(s, {}, (10 + n % 31) * 1'000'000ull, [&, s, n](SimTime, Result<std::uint64_t>) {
        (void)c.close(s);
        if (running()) start_bulk(n + kBulkFlows);
      });
    });
  };
  for (std::size_t i = 0; i < kBulkFlows; ++i) start_bulk(i);

  // Short request/response connections, started at random times (exponential-ish gaps) all through the run.
  std::function<void(Host&, SocketId)> read_to_end = [&](Host& h, SocketId s) {
    h.recv_discard(s, 1 << 16, [&, s](SimTime, Result<std::uint64_t> got) {
      if (!got || *got == 0) return (void)h.close(s);
      read_to_end(h, s);
    });
  };
  const std::int64_t short_gap_ns = kDuration.ns / kShortConnections;
  std::function<void(SimTime)> short_tick = [&](SimTime) {
    Host& c = net.host(lab.clients[rng.below(lab.clients.size())]);
    const Host& server = net.host(lab.web[rng.below(lab.web.size())]);
    const std::uint16_t port = rng.below(4) == 0 ? 80 : 443;
    const SocketId s = c.tcp_socket();
    const std::uint64_t request = 200 + rng.below(600);
    c.connect(s, server.addr(), port, [&, s, request](SimTime, Status st) {
      if (!st) return (void)c.close(s);
      c.send(s, {}, request, [](SimTime, Result<std::uint64_t>) {});
      read_to_end(c, s);
    });
    if (running())
      net.loop().after(SimDuration{static_cast<std::int64_t>(rng.below(2 * short_gap_ns)) + 1}, short_tick);
  };
  net.loop().after(SimDuration::micros(100), short_tick);

  // DNS-like UDP: a query from a fresh port, one answer; the client closes its socket on the answer.
  Host& dns = net.host(lab.dns);
  const SocketId dns_sock = dns.udp_socket();
  (void)dns.bind(dns_sock, 53);
  std::function<void()> answer = [&]() {
    dns.recvfrom(dns_sock, 512, [&](SimTime, RecvFromResult r) {
      if (r.closed) return;
      const std::vector<std::uint8_t> reply(60 + rng.below(200), 0x33);
      (void)dns.sendto(dns_sock, reply, r.datagram.from, r.datagram.from_port);
      answer();
    });
  };
  answer();
  const std::int64_t dns_gap_ns = kDuration.ns / kDnsQueries;
  std::function<void(SimTime)> dns_tick = [&](SimTime) {
    Host& c = net.host(lab.clients[rng.below(lab.clients.size())]);
    const SocketId u = c.udp_socket();
    const std::vector<std::uint8_t> query(30 + rng.below(30), 0x44);
    (void)c.sendto(u, query, dns.addr(), 53);
    c.recvfrom(u, 512, [&c, u](SimTime, RecvFromResult) { (void)c.close(u); });
    if (running())
      net.loop().after(SimDuration{static_cast<std::int64_t>(rng.below(2 * dns_gap_ns)) + 1}, dns_tick);
  };
  net.loop().after(SimDuration::micros(300), dns_tick);

  const auto start = Clock::now();
  net.run(SimTime{kDuration.ns + SimDuration::seconds(120).ns});
  const Trace& trace = net.trace();
  std::fprintf(stderr, "  simulated %zu packets, %zu conversations in %.1f s\n", trace.packet_count(),
               trace.flows().size(), seconds_since(start));

  // Export with a 128-byte snapshot length: caplen = min(frame, 128), len = the whole frame. An ARP exchange
  // between two clients of the first subnet every kArpEvery packets stands for the non-IP frames of a LAN.
  pcap_t* dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, kSnaplen, PCAP_TSTAMP_PRECISION_NANO);
  pcap_dumper_t* dumper = dead ? pcap_dump_open(dead, path.c_str()) : nullptr;
  if (!dumper) return 1;
  std::vector<std::uint8_t> bytes;
  const auto dump = [&](std::int64_t t) {
    pcap_pkthdr h{};
    h.ts.tv_sec = 1'767'225'600 + t / 1'000'000'000;
    h.ts.tv_usec = t % 1'000'000'000;
    h.len = static_cast<bpf_u_int32>(bytes.size());
    h.caplen = std::min<bpf_u_int32>(h.len, kSnaplen);
    pcap_dump(reinterpret_cast<u_char*>(dumper), &h, bytes.data());
  };
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    const std::int64_t t = trace.packet_times_ns()[i];
    if (i % kArpEvery == kArpEvery - 1) {
      const std::uint32_t a = static_cast<std::uint32_t>(i / kArpEvery) % 8, b = (a + 1) % 8;
      const std::uint32_t ip_a = 0x0a01000a + a, ip_b = 0x0a01000a + b;  // 10.1.0.(10 + n)
      arp_frame(bytes, 1, lab.clients[a], ip_a, lab.clients[b], ip_b);
      dump(t);
      arp_frame(bytes, 2, lab.clients[b], ip_b, lab.clients[a], ip_a);
      dump(t);
    }
    bytes.clear();
    rebuild_packet(trace, i, LinkLayer::Ethernet, bytes);
    dump(t);
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
  const std::string path = argc >= 2 ? argv[1]
                                     : (std::filesystem::temp_directory_path() /
                                        ("wirestep-capture-bench-" + std::string(kFileVersion) + ".pcap"))
                                           .string();
  std::printf("wirestep capture benchmark: %s\n", path.c_str());
  if (!std::filesystem::exists(path)) {
    std::printf(
        "making the capture (%zu lossy bulk TCP flows at a time, ~%lld short TCP connections, ~%lld DNS-like "
        "UDP exchanges, ARP; %d clients on 2 subnets, %d servers; %lld s simulated, snaplen %u)...\n",
        kBulkFlows, static_cast<long long>(kShortConnections), static_cast<long long>(kDnsQueries), kClients,
        kWebServers + kBulkServers + 1, static_cast<long long>(kDuration.ns / 1'000'000'000), kSnaplen);
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
