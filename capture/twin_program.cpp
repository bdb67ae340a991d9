#include "capture/twin_program.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <vector>

#include "sim/scenario/text_encoding.hpp"
#include "sim/trace/bulk_payload.hpp"

namespace wirestep {
namespace {

class RealProgram {
 public:
  RealProgram(const ScenarioProgram& p, timespec start, int fd) : p_(p), start_(start), fd_(fd) {}

  void run() {
    const int fd = socket(AF_INET, p_.tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
    sockets_["main"] = fd;
    // The linux profile models CUBIC (RFC 9438), Linux's default; a host may default to another (BBR) and
    // not allow CUBIC by sysctl in a namespace, but root may ask for it per socket. Accepted sockets
    // inherit it from the listener.
    static constexpr char kCubic[] = "cubic";
    if (p_.tcp && setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, kCubic, sizeof kCubic - 1) != 0) {
      Step none;
      fail(none, "setsockopt(TCP_CONGESTION, cubic)");
      return finish();
    }
    for (const Step& s : p_.steps) {
      if (!step(s)) return finish();
    }
    finished_ = true;
    finish();
  }

 private:
  void say(const std::string& line) {
    const std::string l = line + "\n";
    (void)!write(fd_, l.data(), l.size());
  }
  bool fail(const Step& s, const std::string& call) {
    const int e = errno;
    const char* name = strerrorname_np(e);
    error_name_ = name ? name : "E?";
    error_ =
        "line " + std::to_string(s.line) + ": " + call + ": " + error_name_ + " (" + std::strerror(e) + ")";
    return false;
  }
  void finish() {
    say("end finished=" + std::to_string(finished_ ? 1 : 0) + " sent=" + std::to_string(sent_) +
        " received=" + std::to_string(received_) + " errno=" + error_name_ + " error=" + error_);
  }
  int& current(const Step& s) { return sockets_[s.on.empty() ? current_ : s.on]; }

  void wait_until(SimDuration at) {
    timespec t = start_;
    t.tv_sec += static_cast<time_t>(at.ns / 1'000'000'000);
    t.tv_nsec += static_cast<long>(at.ns % 1'000'000'000);
    if (t.tv_nsec >= 1'000'000'000) {
      t.tv_sec += 1;
      t.tv_nsec -= 1'000'000'000;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, nullptr) == EINTR) {
    }
  }

  std::vector<std::uint8_t> payload(const Step& s, std::uint32_t n) const {
    std::vector<std::uint8_t> out;
    if (s.text.empty()) {
      out.resize(s.send_bytes);
      fill_bulk_payload(0, out.data(), out.size());
      return out;
    }
    std::string text = s.text;
    for (std::size_t pos; (pos = text.find("{n}")) != std::string::npos;)
      text.replace(pos, 3, std::to_string(n));
    std::string why;
    if (auto bytes = encode_text(text, s.encoding, why)) out = *bytes;
    return out;
  }

  // The same call, with the same arguments, as ProgramRunner::step makes in the simulator.
  bool step(const Step& s) {
    if (s.at) wait_until(SimDuration{s.at->ns});
    int& fd = current(s);
    switch (s.call) {
      case Step::Call::Bind: {
        const int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(s.port);
        if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return fail(s, "bind");
        return true;
      }
      case Step::Call::Listen:
        if (listen(fd, static_cast<int>(s.backlog)) != 0) return fail(s, "listen");
        return true;
      case Step::Call::Accept: {
        say("call accept()");
        const int c = accept(fd, nullptr, nullptr);
        if (c < 0) return fail(s, "accept");
        current_ = s.as.empty() ? "conn" : s.as;
        sockets_[current_] = c;
        return true;
      }
      case Step::Call::Connect: {
        say("call connect()");
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(s.to_port);
        a.sin_addr.s_addr = htonl(s.to_addr.value);
        if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return fail(s, "connect");
        return true;
      }
      case Step::Call::Send:
        for (std::uint32_t n = 1; n <= s.count; ++n) {
          if (n > 1) {
            timespec iv{static_cast<time_t>(s.interval.ns / 1'000'000'000),
                        static_cast<long>(s.interval.ns % 1'000'000'000)};
            nanosleep(&iv, nullptr);
          }
          say("call send()");
          const auto bytes = payload(s, n);
          std::size_t off = 0;
          // One send() per step as in the simulator; a blocking send() may take the bytes in parts.
          do {
            const ssize_t k = send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
            if (k < 0) return fail(s, "send");
            off += static_cast<std::size_t>(k);
            sent_ += static_cast<std::uint64_t>(k);
          } while (off < bytes.size());
        }
        return true;
      case Step::Call::Recv: {
        std::vector<std::uint8_t> buf(s.size);
        for (std::uint32_t n = 0; s.until_eof || n < s.count; ++n) {
          say("call recv(" + std::to_string(s.size) + ")");
          const ssize_t k = recv(fd, buf.data(), buf.size(), 0);
          if (k < 0) return fail(s, "recv");
          if (k == 0) return true;  // end of stream ends any recv loop, as in the simulator
          received_ += static_cast<std::uint64_t>(k);
        }
        return true;
      }
      case Step::Call::Shutdown:
        if (shutdown(fd, SHUT_WR) != 0) return fail(s, "shutdown");
        return true;
      case Step::Call::Close:
        if (close(fd) != 0) return fail(s, "close");
        fd = -1;
        return true;
      case Step::Call::Sleep: {
        say("call sleep");
        timespec d{static_cast<time_t>(s.duration.ns / 1'000'000'000),
                   static_cast<long>(s.duration.ns % 1'000'000'000)};
        while (nanosleep(&d, &d) == EINTR) {
        }
        return true;
      }
      case Step::Call::SendTo:
      case Step::Call::RecvFrom:
        errno = EPROTONOSUPPORT;  // twin compares TCP; twin_lab refuses UDP programs before this
        return fail(s, "sendto/recvfrom");
      case Step::Call::Ping:
      case Step::Call::Traceroute:
        errno = EPROTONOSUPPORT;  // ICMP programs (issue #18) have no TCP segments to compare
        return fail(s, "ping/traceroute");
    }
    return true;
  }

  const ScenarioProgram& p_;
  timespec start_;
  int fd_;
  std::map<std::string, int> sockets_;
  std::string current_ = "main";
  bool finished_ = false;
  std::uint64_t sent_ = 0, received_ = 0;
  std::string error_, error_name_;
};

std::string value_after(const std::string& line, const std::string& key) {
  const auto at = line.find(" " + key + "=");
  if (at == std::string::npos) return {};
  const auto from = at + key.size() + 2;
  if (key == "error") return line.substr(from);  // the last field, spaces and all
  return line.substr(from, line.find(' ', from) - from);
}

}  // namespace

void run_real_program(const ScenarioProgram& program, timespec start, int report_fd) {
  RealProgram(program, start, report_fd).run();
}

RealProgramOutcome parse_real_program_report(const std::string& name, const std::string& report) {
  RealProgramOutcome o;
  o.name = name;
  std::size_t pos = 0;
  while (pos < report.size()) {
    auto end = report.find('\n', pos);
    if (end == std::string::npos) end = report.size();
    const std::string line = report.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("call ", 0) == 0) {
      o.blocked_in = line.substr(5);
    } else if (line.rfind("end ", 0) == 0) {
      o.blocked_in.reset();
      o.finished = value_after(line, "finished") == "1";
      o.bytes_sent = std::strtoull(value_after(line, "sent").c_str(), nullptr, 10);
      o.bytes_received = std::strtoull(value_after(line, "received").c_str(), nullptr, 10);
      o.error_name = value_after(line, "errno");
      o.error = value_after(line, "error");
    }
  }
  return o;
}

std::string errno_name_in(const std::string& error) {
  for (std::size_t i = 0; i + 1 < error.size(); ++i) {
    if (error[i] != 'E' || (i > 0 && std::isalnum(static_cast<unsigned char>(error[i - 1])))) continue;
    std::size_t j = i + 1;
    while (j < error.size() && std::isupper(static_cast<unsigned char>(error[j]))) ++j;
    if (j - i >= 4 && (j == error.size() || !std::isalnum(static_cast<unsigned char>(error[j]))))
      return error.substr(i, j - i);
  }
  return {};
}

}  // namespace wirestep
