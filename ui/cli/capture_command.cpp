#include "ui/cli/capture_command.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ostream>

#include "capture/live_capture.hpp"
#include "capture/live_trace.hpp"
#include "sim/wire/packet.hpp"
#include "ui/cli/cli_text.hpp"

namespace wirestep {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_interrupt(int) {
  g_stop.store(true);
}

// One line per frame, tcpdump-like, read back from the Trace the frame was decoded into:
// "0.001234  127.0.0.1:40000 > 127.0.0.1:9000  UDP len=12".
std::string describe_packet(const Trace& trace, const FrameInfo& fi, const CaptureFileInfo& info, Lang lang) {
  char when[32];
  std::snprintf(when, sizeof when, "%.6f", static_cast<double>(fi.time_ns) / 1e9);
  const PacketRecord p = trace.packet(fi.packet);
  if (p.marks & mark::kMalformed) {
    const std::string reason = info.decode_errors.empty() || info.decode_errors.back().frame != fi.frame
                                   ? cli_text(lang, Msg::SeeAnalyze)
                                   : info.decode_errors.back().text(lang);
    return std::string(when) + "  " + cli_text(lang, Msg::Malformed, reason);
  }
  if (p.flow == info.non_ip_flow) return std::string(when) + "  " + cli_text(lang, Msg::NotIp, fi.wire_len);
  const TraceFlow& f = trace.flows()[p.flow];
  const bool forward = p.dir == Direction::AtoB;
  std::string line = std::string(when) + "  " +
                     wire::endpoint_to_string(forward ? f.a : f.b, forward ? f.a_port : f.b_port) + " > " +
                     wire::endpoint_to_string(forward ? f.b : f.a, forward ? f.b_port : f.a_port) + "  ";
  if (f.proto == Transport::Tcp) {
    line += "TCP " + wire::tcp_flags_to_string(p.tcp_flags) + " seq=" + std::to_string(p.seq);
    if (p.tcp_flags & wire::tcp_flag::kAck) line += " ack=" + std::to_string(p.ack);
    line += " win=" + std::to_string(p.window) + " len=" + std::to_string(p.payload_len);
  } else if (f.proto == Transport::Udp) {
    line += "UDP len=" + std::to_string(p.payload_len);
  } else {
    line += cli_text(lang, Msg::NotTcpOrUdp);
  }
  return line;
}

std::string count_summary(const LiveTraceBuilder::Counts& c, Lang lang) {
  std::string s = cli_text(lang, Msg::FramesCaptured, c.frames);
  if (c.tcp) s += cli_text(lang, Msg::CountTcp, c.tcp);
  if (c.udp) s += cli_text(lang, Msg::CountUdp, c.udp);
  if (c.other) s += cli_text(lang, Msg::CountOther, c.other);
  if (c.malformed) s += cli_text(lang, Msg::CountMalformed, c.malformed);
  return s;
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
  // The frames go through the file loader's decoder into a Trace as they arrive (the same Trace that
  // `wirestep analyze` builds from the written file); lines and counts are read from it.
  Trace trace;
  LiveTraceBuilder builder(trace, !o.write_path.empty());
  auto last_report = std::chrono::steady_clock::now();
  const Lang lang = o.lang;
  out << cli_text(lang, Msg::CapturingOn, o.interface)
      << (o.filter.empty() ? "" : cli_text(lang, Msg::CaptureFilter, o.filter))
      << (o.write_path.empty() ? "" : cli_text(lang, Msg::CaptureWriting, o.write_path))
      << cli_text(lang, Msg::CtrlCStops) << "\n"
      << std::flush;
  auto result = run_live_capture(
      lo,
      [&](const LiveFrame& f) {
        const FrameInfo fi = builder.add(f);
        if (!o.quiet) {
          out << describe_packet(trace, fi, builder.info(), lang) << "\n" << std::flush;
        } else if (const auto now = std::chrono::steady_clock::now();
                   now - last_report > std::chrono::seconds(1)) {
          // Quiet: a running count once a second instead of a line per frame.
          last_report = now;
          out << count_summary(builder.counts(), lang) << "\n" << std::flush;
        }
        return true;
      },
      &g_stop);
  std::signal(SIGINT, previous);
  if (!result) {
    err << "wirestep: " << error_text(result.error(), o.lang) << "\n";
    return 2;
  }
  out << "\n"
      << count_summary(builder.counts(), lang)
      << cli_text(lang, trace.flows().size() == 1 ? Msg::InFlow : Msg::InFlows, trace.flows().size());
  if (result->dropped_by_kernel) out << cli_text(lang, Msg::DroppedByKernel, result->dropped_by_kernel);
  out << "\n";
  if (!o.write_path.empty()) out << cli_text(lang, Msg::WrittenTo, o.write_path) << "\n";
  return 0;
}

}  // namespace wirestep
