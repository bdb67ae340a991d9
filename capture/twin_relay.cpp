#include "capture/twin_relay.hpp"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <vector>

namespace wirestep {
namespace {

Error relay_error(const std::string& what) {
  const std::string why = std::strerror(errno);
  return Error{"", "", "twin relay: " + what + ": " + why, "", "twin 中继：" + what + "：" + why};
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Port {
  int fd = -1;
  ~Port() {
    if (fd >= 0) close(fd);
  }
};

Result<int> open_port(const std::string& name, Port& port) {
  const unsigned index = if_nametoindex(name.c_str());
  if (index == 0) return relay_error("no interface " + name);
  port.fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
  if (port.fd < 0) return relay_error("socket(AF_PACKET) for " + name);
  // A burst of a whole window arrives at once: room for it, so the kernel drops none before we read.
  const int buf = 8 << 20;
  (void)setsockopt(port.fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf);
  (void)setsockopt(port.fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof buf);
  const int one = 1;
  (void)setsockopt(port.fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
  sockaddr_ll addr{};
  addr.sll_family = AF_PACKET;
  addr.sll_protocol = htons(ETH_P_ALL);
  addr.sll_ifindex = static_cast<int>(index);
  if (bind(port.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return relay_error("bind to " + name);
  return static_cast<int>(index);
}

struct Pending {
  std::int64_t due_ns;
  std::vector<std::uint8_t> frame;
};

}  // namespace

Result<TwinRelayStats> run_twin_relay(const std::string& port0, const std::string& port1, TwinLink& link,
                                      const std::atomic<bool>& stop, std::atomic<bool>& ready) {
  // Timer slack is 50 µs by default: a 50 µs link would get twice its latency. And on a busy machine a
  // normal thread waits for a time slice, milliseconds in which a real sender's probe timer (2 ms, RFC 8985
  // §7.2) can fire: the relay asks for a real-time priority (root may), as a switch does not wait either.
  (void)prctl(PR_SET_TIMERSLACK, 1UL);
  sched_param prio{};
  prio.sched_priority = 10;
  (void)pthread_setschedparam(pthread_self(), SCHED_FIFO, &prio);
  Port ports[2];
  const std::string names[2] = {port0, port1};
  for (int i = 0; i < 2; ++i)
    if (auto r = open_port(names[i], ports[i]); !r) return r.error();
  ready.store(true);

  TwinRelayStats stats;
  std::deque<Pending> queues[2];  // frames on their way out of port 1 - i, in arrival order
  std::vector<std::uint8_t> buf(65536);
  pollfd fds[2] = {{ports[0].fd, POLLIN, 0}, {ports[1].fd, POLLIN, 0}};
  while (!stop.load(std::memory_order_relaxed)) {
    // Sleep until a frame arrives or the next one is due; at most 20 ms, to notice `stop`.
    std::int64_t wait_ns = 20'000'000;
    const std::int64_t now = now_ns();
    for (const auto& q : queues)
      if (!q.empty()) wait_ns = std::min(wait_ns, std::max<std::int64_t>(0, q.front().due_ns - now));
    const timespec ts{static_cast<time_t>(wait_ns / 1'000'000'000),
                      static_cast<long>(wait_ns % 1'000'000'000)};
    if (ppoll(fds, 2, &ts, nullptr) < 0 && errno != EINTR) return relay_error("ppoll");
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & POLLIN)) continue;
      for (;;) {
        sockaddr_ll from{};
        socklen_t from_len = sizeof from;
        const ssize_t n =
            recvfrom(ports[i].fd, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &from_len);
        if (n < 0) {
          if (errno == EAGAIN || errno == EWOULDBLOCK) break;
          if (errno == EINTR) continue;
          return relay_error("recvfrom on " + names[i]);
        }
        if (from.sll_pkttype == PACKET_OUTGOING)
          continue;  // our own, where PACKET_IGNORE_OUTGOING is missing
        const wire::Bytes frame(buf.data(), static_cast<std::size_t>(n));
        const TwinLink::Verdict v = link.on_frame(i, frame, now_ns());
        if (v.drop) {
          ++stats.dropped;
          continue;
        }
        queues[i].push_back({v.deliver_at_ns, std::vector<std::uint8_t>(frame.begin(), frame.end())});
      }
    }
    const std::int64_t after = now_ns();
    for (int i = 0; i < 2; ++i) {
      auto& q = queues[i];
      while (!q.empty() && q.front().due_ns <= after) {
        stats.worst_lateness_ns = std::max(stats.worst_lateness_ns, after - q.front().due_ns);
        if (send(ports[1 - i].fd, q.front().frame.data(), q.front().frame.size(), 0) < 0 && errno != EAGAIN &&
            errno != ENOBUFS)
          return relay_error("send on " + names[1 - i]);
        ++stats.relayed;
        q.pop_front();
      }
    }
  }
  return stats;
}

}  // namespace wirestep
