#include "sim/app/traceroute.hpp"

#include <cstdio>

#include "sim/wire/icmp.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {

TracerouteProgram::TracerouteProgram(Network& net, HostId host, const Step& step, Print print,
                                     std::function<void()> done)
    : net_(net), host_(host), step_(step), print_(std::move(print)), done_(std::move(done)) {}

void TracerouteProgram::start() {
  Host& h = net_.host(host_);
  sock_ = h.udp_socket();
  h.add_icmp_listener([this](SimTime now, const Host::IcmpArrival& a) { return on_icmp(now, a); });
  const std::string dst = step_.to_addr.to_string();
  print_("traceroute to " + dst + " (" + dst + "), " + std::to_string(step_.max_ttl) + " hops max, " +
         std::to_string(kPacketBytes) + " byte packets");
  send_probe();
}

void TracerouteProgram::send_probe() {
  if (finished_) return;
  Host& h = net_.host(host_);
  if (query_ == 0) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%2u ", static_cast<unsigned>(ttl_));
    line_ = buf;
    last_addr_.reset();
  }
  const auto port = static_cast<std::uint16_t>(kFirstPort + probes_);
  ++probes_;
  std::vector<std::uint8_t> data(kPacketBytes - wire::kIpv4MinHeaderLen - wire::kUdpHeaderLen);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(0x40 + i);
  if (auto st = h.set_ttl(sock_, ttl_); !st) {
    print_("traceroute: " + st.error().reason);
    finished_ = true;
    return done_();
  }
  if (auto st = h.sendto(sock_, data, step_.to_addr, port); !st) {
    // Linux traceroute: "connect: Network is unreachable" and nothing else.
    print_("traceroute: " + st.error().reason);
    finished_ = true;
    return done_();
  }
  sent_at_ = net_.now();
  waiting_ = true;
  const std::uint32_t probe = probes_;
  net_.loop().after(step_.wait, [this, probe](SimTime) {
    if (!waiting_ || probe != probes_) return;
    waiting_ = false;
    line_ += " *";
    probe_done();
  });
}

bool TracerouteProgram::on_icmp(SimTime now, const Host::IcmpArrival& a) {
  const wire::IcmpMessage& m = a.message;
  if (finished_ || !waiting_ || !m.is_error() || !m.quote || !m.quote->has_ports) return false;
  const wire::IcmpQuote& q = *m.quote;
  Host& h = net_.host(host_);
  if (q.protocol != wire::kIpProtoUdp || q.src_port != h.local_port(sock_) ||
      q.dst_port != kFirstPort + probes_ - 1)
    return false;
  waiting_ = false;
  if (last_addr_ != a.from) {
    line_ += " " + a.from.to_string() + " (" + a.from.to_string() + ")";
    last_addr_ = a.from;
  }
  const std::int64_t us = (now.ns - sent_at_.ns) / 1000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "  %lld.%03lld ms", static_cast<long long>(us / 1000),
                static_cast<long long>(us % 1000));
  line_ += buf;
  if (m.type == wire::icmp4::kDestinationUnreachable) {
    // Port unreachable: the destination itself answered. Other codes end the trace with traceroute's marks.
    reached_ = true;
    if (m.code == 0) line_ += " !N";
    if (m.code == 1) line_ += " !H";
  }
  // The next probe goes from the event loop, after this arrival is fully handled.
  net_.loop().at(now, [this](SimTime) { probe_done(); });
  return true;
}

void TracerouteProgram::probe_done() {
  if (++query_ < step_.queries) return send_probe();
  print_(line_);
  query_ = 0;
  if (reached_ || ttl_ >= step_.max_ttl) {
    finished_ = true;
    (void)net_.host(host_).close(sock_);
    return done_();
  }
  ++ttl_;
  send_probe();
}

}  // namespace wirestep
