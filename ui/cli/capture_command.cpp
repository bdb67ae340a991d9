#include "ui/cli/capture_command.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <map>
#include <ostream>

#include "capture/link_layer.hpp"
#include "capture/live_capture.hpp"
#include "sim/wire/packet.hpp"

namespace wirestep {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_interrupt(int) {
  g_stop.store(true);
}

// One line per frame, tcpdump-like: "0.001234  127.0.0.1:40000 > 127.0.0.1:9000  UDP len=12".
std::string describe_frame(const LiveFrame& f, std::int64_t first_ns,
                           std::map<std::string, std::uint64_t>& counts) {
  char when[32];
  std::snprintf(when, sizeof when, "%.6f", (f.epoch_ns - first_ns) / 1e9);
  const wire::Bytes bytes(f.data, f.caplen);
  auto where = locate_ip_packet(link_kind_for_dlt(f.dlt), bytes);
  if (!where || !*where) {
    ++counts["other"];
    return std::string(when) + "  (not IP: " + std::to_string(f.len) + " bytes)";
  }
  auto d = wire::decode_ip_packet(bytes, **where);
  if (!d) {
    ++counts["malformed"];
    return std::string(when) + "  malformed: " + d.error().message();
  }
  const auto src = d->udp ? d->udp->src_port : d->tcp ? d->tcp->src_port : 0;
  const auto dst = d->udp ? d->udp->dst_port : d->tcp ? d->tcp->dst_port : 0;
  std::string line = std::string(when) + "  " + wire::endpoint_to_string(d->src, src) + " > " +
                     wire::endpoint_to_string(d->dst, dst) + "  ";
  if (d->tcp) {
    ++counts["tcp"];
    line += "TCP " + wire::tcp_flags_to_string(d->tcp->flags) + " seq=" + std::to_string(d->tcp->seq);
    if (d->tcp->flags & wire::tcp_flag::kAck) line += " ack=" + std::to_string(d->tcp->ack);
    line += " win=" + std::to_string(d->tcp->window) + " len=" + std::to_string(d->payload_len);
  } else if (d->udp) {
    ++counts["udp"];
    line += "UDP len=" + std::to_string(d->payload_len);
  } else {
    ++counts["other IP"];
    line += "IP protocol " + std::to_string(d->ip_protocol);
  }
  return line;
}

}  // namespace

int capture_command(const CaptureCommandOptions& o, std::ostream& out, std::ostream& err) {
  LiveCaptureOptions lo;
  lo.interface = o.interface;
  lo.bpf_filter = o.filter;
  lo.write_path = o.write_path;
  lo.count = o.count;
  lo.duration_s = o.duration_s;
  lo.snaplen = o.snaplen;
  g_stop.store(false);
  auto previous = std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  std::map<std::string, std::uint64_t> counts;
  std::int64_t first_ns = -1;
  out << "capturing on " << o.interface << (o.filter.empty() ? "" : " (filter: " + o.filter + ")")
      << (o.write_path.empty() ? "" : ", writing " + o.write_path) << "; Ctrl-C stops\n"
      << std::flush;
  auto result = run_live_capture(
      lo,
      [&](const LiveFrame& f) {
        if (first_ns < 0) first_ns = f.epoch_ns;
        if (!o.quiet) out << describe_frame(f, first_ns, counts) << "\n" << std::flush;
        return true;
      },
      &g_stop);
  std::signal(SIGINT, previous);
  if (!result) {
    err << "wirestep: " << result.error().message() << "\n";
    return 2;
  }
  out << "\n" << result->frames << " frames captured";
  for (const auto& [what, n] : counts) out << ", " << n << " " << what;
  if (result->dropped_by_kernel)
    out << "; " << result->dropped_by_kernel << " dropped by the kernel (too slow)";
  out << "\n";
  if (!o.write_path.empty())
    out << "written to " << o.write_path << " (analyze it: wirestep analyze " << o.write_path << ")\n";
  return 0;
}

}  // namespace wirestep
