#include "sim/app/ping.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/wire/icmp.hpp"
#include "sim/wire/ipv4.hpp"

namespace wirestep {
namespace {

std::string micros_text(std::int64_t us) {  // "%ld.%03ld" of a value in µs, as ping's statistics line
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(us / 1000),
                static_cast<long long>(us % 1000));
  return buf;
}

// What ping prints for an ICMP error (iputils pr_icmph).
std::string error_text(std::uint8_t type, std::uint8_t code) {
  if (type == wire::icmp4::kTimeExceeded) return "Time to live exceeded";
  if (type != wire::icmp4::kDestinationUnreachable) return "Bad ICMP type: " + std::to_string(type);
  switch (code) {
    case 0:
      return "Destination Net Unreachable";
    case 1:
      return "Destination Host Unreachable";
    case 2:
      return "Destination Protocol Unreachable";
    case 3:
      return "Destination Port Unreachable";
    default:
      return "Dest Unreachable, Bad Code: " + std::to_string(code);
  }
}

}  // namespace

std::string ping_time_text(std::int64_t us) {
  char buf[48];
  const auto v = static_cast<long long>(us);
  if (v >= 100000)
    std::snprintf(buf, sizeof buf, "%lld", v / 1000);
  else if (v >= 10000)
    std::snprintf(buf, sizeof buf, "%lld.%01lld", v / 1000, (v % 1000) / 100);
  else if (v >= 1000)
    std::snprintf(buf, sizeof buf, "%lld.%02lld", v / 1000, (v % 1000) / 10);
  else
    std::snprintf(buf, sizeof buf, "%lld.%03lld", v / 1000, v % 1000);
  return buf;
}

PingProgram::PingProgram(Network& net, HostId host, const Step& step, Print print, std::function<void()> done)
    : net_(net), host_(host), step_(step), print_(std::move(print)), done_(std::move(done)) {
  // The identifier tells this ping's replies from another's; Linux uses the process id, here the host's.
  id_ = static_cast<std::uint16_t>(0x4000 + host);
}

void PingProgram::start() {
  started_ = last_activity_ = net_.now();
  net_.host(host_).add_icmp_listener(
      [this](SimTime now, const Host::IcmpArrival& a) { return on_icmp(now, a); });
  const std::string dst = step_.to_addr.to_string();
  print_("PING " + dst + " (" + dst + ") " + std::to_string(step_.size) + "(" +
         std::to_string(step_.size + wire::kIcmpHeaderLen + wire::kIpv4MinHeaderLen) + ") bytes of data.");
  send_one();
}

void PingProgram::send_one() {
  if (finished_) return;
  Host& h = net_.host(host_);
  const auto seq = static_cast<std::uint16_t>(transmitted_ + 1);
  const auto hop = net_.routed() ? net_.next_hop(host_, step_.to_addr) : std::optional<NextHop>(NextHop{});
  if (hop) {
    ++transmitted_;
    sent_at_.push_back(net_.now());
    last_activity_ = net_.now();
  }
  if (!hop) {
    // iputils: with no route ping gives up before sending anything, without statistics.
    print_("ping: connect: Network is unreachable");
    finished_ = true;
    return done_();
  }
  {
    // iputils fills the data after its timestamp with 0x08, 0x09, ...: the bytes are a counting pattern.
    std::vector<std::uint8_t> data(step_.size);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i + 8);
    const wire::Ipv4Addr src = net_.routed() ? h.interfaces().at(hop->ifindex).addr : h.addr();
    net_.send_icmp(host_, src, step_.to_addr, wire::icmp4::kEchoRequest, 0, std::uint32_t{id_} << 16 | seq,
                   data, step_.ttl);
  }
  if (transmitted_ < step_.count) {
    net_.loop().after(step_.interval, [this](SimTime) { send_one(); });
    return;
  }
  // The last one is out: wait for what is missing, at most `wait` (ping's linger, 10 s by default).
  const std::uint32_t gen = ++linger_generation_;
  net_.loop().after(step_.wait, [this, gen](SimTime) {
    if (gen == linger_generation_) finish();
  });
  maybe_finish();
}

bool PingProgram::on_icmp(SimTime now, const Host::IcmpArrival& a) {
  if (finished_) return false;
  const wire::IcmpMessage& m = a.message;
  std::uint32_t rest = 0;
  if (m.type == wire::icmp4::kEchoReply)
    rest = m.rest;
  else if (m.is_error() && m.quote && m.quote->protocol == wire::kIpProtoIcmp)
    rest = a.quoted_rest;
  else
    return false;
  if ((rest >> 16) != id_) return false;
  const std::uint16_t seq = static_cast<std::uint16_t>(rest);
  if (seq == 0 || seq > sent_at_.size()) return false;
  last_activity_ = now;
  if (m.type == wire::icmp4::kEchoReply) {
    const std::int64_t us = (now.ns - sent_at_[seq - 1].ns) / 1000;
    ++received_;
    rtts_us_.push_back(us);
    print_(std::to_string(a.body_len + wire::kIcmpHeaderLen) + " bytes from " + a.from.to_string() +
           ": icmp_seq=" + std::to_string(seq) + " ttl=" + std::to_string(a.ttl) +
           " time=" + ping_time_text(us) + " ms");
  } else {
    ++errors_;
    print_("From " + a.from.to_string() + " icmp_seq=" + std::to_string(seq) + " " +
           error_text(m.type, m.code));
  }
  maybe_finish();
  return true;
}

void PingProgram::maybe_finish() {
  if (transmitted_ >= step_.count && received_ + errors_ >= step_.count) finish();
}

void PingProgram::finish() {
  if (finished_) return;
  finished_ = true;
  const std::string dst = step_.to_addr.to_string();
  print_("");
  print_("--- " + dst + " ping statistics ---");
  const double loss = transmitted_ ? (transmitted_ - received_) * 100.0 / transmitted_ : 0.0;
  char pct[32];
  std::snprintf(pct, sizeof pct, "%g%%", loss);
  const std::int64_t elapsed_ms = (last_activity_.ns - started_.ns) / 1'000'000;
  print_(std::to_string(transmitted_) + " packets transmitted, " + std::to_string(received_) + " received, " +
         (errors_ ? "+" + std::to_string(errors_) + " errors, " : "") + pct + " packet loss, time " +
         std::to_string(elapsed_ms) + "ms");
  if (!rtts_us_.empty()) {
    std::int64_t sum = 0, sum2 = 0;
    for (auto v : rtts_us_) {
      sum += v;
      sum2 += v * v;
    }
    const auto n = static_cast<std::int64_t>(rtts_us_.size());
    const std::int64_t avg = sum / n;
    // iputils: mdev = sqrt(mean of squares - square of mean), in µs.
    const auto mdev = static_cast<std::int64_t>(
        std::sqrt(static_cast<double>(std::max<std::int64_t>(0, sum2 / n - avg * avg))));
    print_("rtt min/avg/max/mdev = " + micros_text(*std::min_element(rtts_us_.begin(), rtts_us_.end())) +
           "/" + micros_text(avg) + "/" + micros_text(*std::max_element(rtts_us_.begin(), rtts_us_.end())) +
           "/" + micros_text(mdev) + " ms");
  }
  done_();
}

}  // namespace wirestep
