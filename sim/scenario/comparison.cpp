#include "sim/scenario/comparison.hpp"

#include <algorithm>
#include <map>

#include "sim/trace/trace_summary.hpp"

namespace wirestep {
namespace {

Step make_step(Step::Call call) {
  Step s;
  s.call = call;
  return s;
}

wire::Ipv4Addr address_of(const Scenario& sc, const std::string& host) {
  for (const auto& h : sc.hosts)
    if (h.name == host) return h.address;
  return {};
}

// "msg 42 " then the bulk pattern: the receiver (and a learner reading the pcap) can tell messages apart.
constexpr const char* kMessageTemplate = "msg {n} ";

std::optional<std::uint32_t> message_number(const std::vector<std::uint8_t>& data) {
  if (data.size() < 5 || data[0] != 'm' || data[1] != 's' || data[2] != 'g' || data[3] != ' ')
    return std::nullopt;
  std::uint64_t n = 0;
  std::size_t i = 4;
  for (; i < data.size() && i < 16 && data[i] >= '0' && data[i] <= '9'; ++i) n = n * 10 + (data[i] - '0');
  if (i == 4 || n == 0 || n > UINT32_MAX) return std::nullopt;
  return static_cast<std::uint32_t>(n);
}

void finish_latencies(std::vector<SimDuration>& lat, TransportMetrics& m) {
  if (lat.empty()) return;
  std::sort(lat.begin(), lat.end());
  std::int64_t sum = 0;
  for (auto d : lat) sum += d.ns;
  m.latency_mean = SimDuration{sum / static_cast<std::int64_t>(lat.size())};
  // p99: the smallest latency at or above 99% of the samples (nearest-rank method).
  const std::size_t rank = (lat.size() * 99 + 99) / 100;
  m.latency_p99 = lat[std::min(rank, lat.size()) - 1];
  m.latency_max = lat.back();
}

void wire_totals(const RunResult& run, TransportMetrics& m) {
  const TraceSummary s = summarize(run.trace);
  for (const ProtocolSummary* p : {&s.tcp, &s.udp}) {
    m.packets += p->packets;
    m.wire_bytes += p->wire_bytes;
    m.header_bytes += p->header_bytes;
  }
}

}  // namespace

Scenario comparison_scenario(const Scenario& sc, bool tcp) {
  Scenario out = sc;
  const ComparisonWorkload& w = *sc.comparison;
  ScenarioProgram receiver{tcp ? "TCP receiver" : "UDP receiver", w.to, tcp, {}};
  ScenarioProgram sender{tcp ? "TCP sender" : "UDP sender", w.from, tcp, {}};
  Step bind = make_step(Step::Call::Bind);
  bind.port = w.port;
  receiver.steps.push_back(bind);
  Step send = make_step(tcp ? Step::Call::Send : Step::Call::SendTo);
  send.text = kMessageTemplate;
  send.pad_to = w.size;
  send.count = w.messages;
  send.interval = w.interval;
  send.to_addr = address_of(sc, w.to);
  send.to_port = w.port;
  if (tcp) {
    receiver.steps.push_back(make_step(Step::Call::Listen));
    receiver.steps.push_back(make_step(Step::Call::Accept));
    Step recv = make_step(Step::Call::Recv);
    recv.size = 65536;
    recv.until_eof = true;
    receiver.steps.push_back(recv);
    receiver.steps.push_back(make_step(Step::Call::Close));
    Step connect = make_step(Step::Call::Connect);
    connect.at = w.start;
    connect.to_addr = send.to_addr;
    connect.to_port = w.port;
    sender.steps.push_back(connect);
    sender.steps.push_back(send);
    sender.steps.push_back(make_step(Step::Call::Close));
  } else {
    Step recv = make_step(Step::Call::RecvFrom);
    recv.size = 65535;
    // More than were sent: a duplicating link delivers extra copies, and they must not push real messages
    // out. The receiver stays blocked at the end, which is what a UDP receiver does.
    recv.count = w.messages * 4 + 16;
    receiver.steps.push_back(recv);
    send.at = w.start;
    sender.steps.push_back(send);
  }
  out.programs = {receiver, sender};
  return out;
}

ComparisonResult compare_runs(const ComparisonWorkload& w, const RunResult& tcp, const RunResult& udp) {
  ComparisonResult r;
  auto intended = [&](std::uint32_t index) { return w.start + w.interval * index; };  // 0-based
  // TCP: a byte stream; message i is delivered when the receiver has read (i+1)*size bytes.
  {
    TransportMetrics& m = r.tcp;
    wire_totals(tcp, m);
    m.messages_sent = w.messages;
    std::vector<SimDuration> lat;
    if (!tcp.programs.empty()) {
      const ProgramReport& rx = tcp.programs[0];
      std::size_t next = 0;
      for (const auto& [t, total] : rx.recv_log) {
        while (next < w.messages && total >= std::uint64_t{w.size} * (next + 1)) {
          lat.push_back(t - intended(static_cast<std::uint32_t>(next)));
          m.completion = t;
          ++next;
        }
      }
      m.delivered = static_cast<std::uint32_t>(next);
    }
    m.lost = m.messages_sent - m.delivered;
    finish_latencies(lat, m);
  }
  // UDP: datagrams, each numbered; count what arrived, twice, and out of order.
  {
    TransportMetrics& m = r.udp;
    wire_totals(udp, m);
    m.messages_sent = w.messages;
    std::vector<SimDuration> lat;
    std::map<std::uint32_t, int> seen;
    std::uint32_t highest = 0;
    if (!udp.programs.empty()) {
      for (const auto& msg : udp.programs[0].received) {
        const auto n = message_number(msg.data);
        if (!n || *n > w.messages) continue;
        if (++seen[*n] > 1) {
          ++m.duplicated;
          continue;
        }
        if (*n < highest) ++m.out_of_order;
        highest = std::max(highest, *n);
        lat.push_back(msg.time - intended(*n - 1));
        m.completion = msg.time;
      }
    }
    m.delivered = static_cast<std::uint32_t>(seen.size());
    m.lost = m.messages_sent - m.delivered;
    finish_latencies(lat, m);
  }
  return r;
}

const std::vector<std::string>& metric_names() {
  static const std::vector<std::string> names{
      "packets",    "wire_bytes",   "header_bytes",  "delivered",       "lost",
      "duplicated", "out_of_order", "completion_ms", "latency_mean_ms", "latency_p99_ms"};
  return names;
}

std::optional<std::int64_t> metric_value(const TransportMetrics& m, const std::string& name) {
  if (name == "packets") return static_cast<std::int64_t>(m.packets);
  if (name == "wire_bytes") return static_cast<std::int64_t>(m.wire_bytes);
  if (name == "header_bytes") return static_cast<std::int64_t>(m.header_bytes);
  if (name == "delivered") return m.delivered;
  if (name == "lost") return m.lost;
  if (name == "duplicated") return m.duplicated;
  if (name == "out_of_order") return m.out_of_order;
  if (name == "completion_ms") {
    if (!m.completion) return std::nullopt;
    return m.completion->ns / 1'000'000;
  }
  if (name == "latency_mean_ms") return m.latency_mean.ns / 1'000'000;
  if (name == "latency_p99_ms") return m.latency_p99.ns / 1'000'000;
  return std::nullopt;
}

}  // namespace wirestep
