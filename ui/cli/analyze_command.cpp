#include "ui/cli/analyze_command.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <vector>

#include "capture/analyzed_capture.hpp"
#include "sim/analysis/tcp_explain.hpp"
#include "sim/wire/ip_addr.hpp"
#include "ui/cli/analyze_json.hpp"

namespace wirestep {
namespace {

std::string fixed(double v, int decimals) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string pad(std::string s, std::size_t width, bool right = false) {
  if (s.size() >= width) return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

std::string endpoint(const LoadedCapture& cap, const Conversation& c, bool a) {
  if (c.proto == Transport::Other && c.trace_flow == cap.info.non_ip_flow) return "non-IP frames";
  const TraceFlow& f = cap.trace.flows().at(c.trace_flow);
  const bool first = a == (c.initiator == Direction::AtoB);
  if (c.proto != Transport::Tcp && c.proto != Transport::Udp) return (first ? f.a : f.b).to_string();
  return wire::endpoint_to_string(first ? f.a : f.b, first ? f.a_port : f.b_port);
}

// A pcapng file's interfaces may differ in link type and snapshot length: one line each, as
// `tshark -G` / Statistics > Capture File Properties list them, so a user sees which frames were not decoded.
void print_interfaces(const CaptureFileInfo& i, std::ostream& out) {
  if (i.interfaces.size() < 2) return;
  for (std::size_t k = 0; k < i.interfaces.size(); ++k) {
    const CaptureInterface& f = i.interfaces[k];
    out << "  interface " << k << (f.name.empty() ? "" : " " + f.name) << ": " << f.link_type << " (DLT "
        << f.dlt << "), " << (f.snaplen ? "snaplen " + std::to_string(f.snaplen) : std::string("no snaplen"))
        << ", " << f.frames << (f.frames == 1 ? " frame" : " frames")
        << (f.link_supported ? "" : ", link type not decoded") << "\n";
  }
  if (i.other_link_frames)
    out << "  " << i.other_link_frames << " frames on link types not decoded (kept, counted as other)\n";
}

void print_header(const LoadedCapture& cap, std::ostream& out) {
  const CaptureFileInfo& i = cap.info;
  out << i.path << ": " << to_string(i.format) << ", link type " << i.link_type << " (DLT " << i.dlt << ")"
      << (i.link_supported ? "" : ", not decoded: every frame counted as other") << "\n";
  print_interfaces(i, out);
  out << "  " << i.frames << " frames";
  if (!i.filter.empty()) out << " matching \"" << i.filter << "\"";
  out << ", " << cap.trace.flows().size() << " flows\n";
  if (i.frames_cut_short) out << "  " << i.frames_cut_short << " frames cut short by the snapshot length\n";
  if (i.frames_over_snaplen)
    out << "  " << i.frames_over_snaplen << " records longer than the file's snapshot length (" << i.snaplen
        << "): libpcap kept only the first " << i.snaplen << " bytes\n";
  if (i.non_ip_frames)
    out << "  " << i.non_ip_frames << " frames without IP (neither ARP nor IP: LLC, ...)\n";
  if (i.fragments) out << "  " << i.fragments << " IP fragments (not reassembled)\n";
  if (i.bad_checksums)
    out << "  " << i.bad_checksums << " bad checksums (often checksum offload on the capturing host)\n";
  if (i.time_went_backwards)
    out << "  " << i.time_went_backwards << " frames stamped earlier than the one before\n";
  if (i.decode_error_count) out << "  " << i.decode_error_count << " decode errors (listed below)\n";
  if (!i.read_error.empty())
    out << "  " << (i.truncated ? "TRUNCATED: " : "reading stopped: ") << i.read_error
        << " (every frame before it was kept)\n";
}

void print_tcp_table(const LoadedCapture& cap, const FlowAnalyzer& a, std::ostream& out) {
  bool any = false;
  for (const Conversation& c : a.conversations()) any |= c.proto == Transport::Tcp;
  if (!any) return;
  out << "\nTCP streams (counts of Wireshark's tcp.analysis flags)\n";
  out << "stream  " << pad("a (initiator)", 24) << pad("b", 24)
      << "packets      bytes  syn fin rst  retr fast spur dupack  ooo lost ackl zwin  zwp wful  ka  initial "
         "RTT\n";
  for (const Conversation& c : a.conversations()) {
    if (c.proto != Transport::Tcp) continue;
    const TcpConversation& t = c.tcp;
    const auto n = [&](TcpFlag f) { return t.flags[static_cast<std::size_t>(f)]; };
    std::string line = pad(std::to_string(t.stream), 8) + pad(endpoint(cap, c, true), 24) +
                       pad(endpoint(cap, c, false), 24) + pad(std::to_string(c.packets()), 7, true) +
                       pad(std::to_string(c.bytes()), 11, true);
    for (std::uint64_t v : {std::uint64_t{t.syn}, std::uint64_t{t.fin}, std::uint64_t{t.rst}})
      line += pad(std::to_string(v), 4, true);
    line += pad(std::to_string(t.retransmissions()), 6, true);
    line += pad(std::to_string(n(TcpFlag::FastRetransmission)), 5, true);
    line += pad(std::to_string(n(TcpFlag::SpuriousRetransmission)), 5, true);
    line += pad(std::to_string(n(TcpFlag::DuplicateAck)), 7, true);
    for (TcpFlag f : {TcpFlag::OutOfOrder, TcpFlag::LostSegment, TcpFlag::AckLostSegment, TcpFlag::ZeroWindow,
                      TcpFlag::ZeroWindowProbe, TcpFlag::WindowFull})
      line += pad(std::to_string(n(f)), 5, true);
    line += pad(std::to_string(n(TcpFlag::KeepAlive)), 4, true);
    line += "  " + (t.initial_rtt_ns ? fixed(static_cast<double>(*t.initial_rtt_ns) / 1e6, 3) + " ms" : "-");
    out << line << "\n";
  }
}

void print_udp_table(const LoadedCapture& cap, const FlowAnalyzer& a, std::ostream& out) {
  bool any = false;
  for (const Conversation& c : a.conversations()) any |= c.proto == Transport::Udp;
  if (!any) return;
  out << "\nUDP flows (payload sizes in bytes, gaps between datagrams in ms)\n";
  out << pad("a (first sender)", 24) << pad("b", 24)
      << "datagrams  a>b  b>a   size min/mean/max      gap min/mean/max\n";
  for (const Conversation& c : a.conversations()) {
    if (c.proto != Transport::Udp) continue;
    const std::uint64_t n = c.packets();
    const double mean = n ? static_cast<double>(c.from_a().payload_bytes + c.from_b().payload_bytes) / n : 0;
    std::string sizes =
        std::to_string(c.udp.min_payload) + "/" + fixed(mean, 1) + "/" + std::to_string(c.udp.max_payload);
    const TimeStats& g = c.udp.gaps;
    std::string gaps = g.count ? fixed(g.min_ns / 1e6, 3) + "/" + fixed(g.mean_ns() / 1e6, 3) + "/" +
                                     fixed(g.max_ns / 1e6, 3)
                               : "-";
    out << pad(endpoint(cap, c, true), 24) << pad(endpoint(cap, c, false), 24)
        << pad(std::to_string(n), 9, true) << pad(std::to_string(c.from_a().packets), 5, true)
        << pad(std::to_string(c.from_b().packets), 5, true) << "   " << pad(sizes, 20) << "  " << gaps
        << (c.icmp_errors ? "  ICMP errors: " + std::to_string(c.icmp_errors) : "") << "\n";
  }
}

// ICMP and ARP conversations, one line each: what went between the two addresses.
void print_icmp_arp_table(const LoadedCapture& cap, const FlowAnalyzer& a, std::ostream& out) {
  bool any = false;
  for (const Conversation& c : a.conversations())
    any |= c.proto == Transport::Icmp || c.proto == Transport::Arp;
  if (!any) return;
  out << "\nICMP and ARP (ICMP: echo requests/replies, errors, other; ARP: requests/replies)\n";
  out << "proto " << pad("a (first sender)", 24) << pad("b", 24) << "packets  messages\n";
  for (const Conversation& c : a.conversations()) {
    if (c.proto != Transport::Icmp && c.proto != Transport::Arp) continue;
    const std::string what =
        c.proto == Transport::Icmp
            ? "echo " + std::to_string(c.icmp.echo_requests) + "/" + std::to_string(c.icmp.echo_replies) +
                  ", errors " + std::to_string(c.icmp.errors) + ", other " + std::to_string(c.icmp.other)
            : "requests " + std::to_string(c.arp.requests) + ", replies " + std::to_string(c.arp.replies);
    out << pad(c.proto == Transport::Icmp ? "icmp" : "arp", 6) << pad(endpoint(cap, c, true), 24)
        << pad(endpoint(cap, c, false), 24) << pad(std::to_string(c.packets()), 7, true) << "  " << what
        << (c.icmp_errors ? ", quoted by " + std::to_string(c.icmp_errors) + " ICMP errors" : "") << "\n";
  }
}

void print_other(const LoadedCapture& cap, const FlowAnalyzer& a, std::ostream& out) {
  std::uint64_t flows = 0, packets = 0;
  for (const Conversation& c : a.conversations())
    if (c.proto == Transport::Other) ++flows, packets += c.packets();
  if (flows) out << "\nother: " << packets << " frames in " << flows << " flows (neither TCP nor UDP)\n";
  (void)cap;
}

void print_flags(const LoadedCapture& cap, const FlowAnalyzer& a, std::size_t per_flow, std::ostream& out) {
  if (a.flagged().empty() || per_flow == 0) return;
  out << "\nWhy (first " << per_flow << " flags of each stream; --json lists all):\n";
  std::vector<std::size_t> shown(a.conversations().size(), 0), total(a.conversations().size(), 0);
  for (const FlaggedPacket& f : a.flagged()) ++total[f.conversation];
  const FrameOf frame_of = [&](std::uint32_t p) { return cap.info.frame_number(p); };
  for (const FlaggedPacket& f : a.flagged()) {
    const Conversation& c = a.conversations()[f.conversation];
    std::size_t& n = shown[f.conversation];
    if (n < per_flow) {
      out << "  stream " << c.tcp.stream << " frame " << f.frame << ": " << explain(f, c, cap.trace, frame_of)
          << "\n";
    } else if (n == per_flow) {
      out << "  stream " << c.tcp.stream << ": " << total[f.conversation] - per_flow << " more\n";
    }
    ++n;
  }
}

void print_decode_errors(const LoadedCapture& cap, std::ostream& out) {
  const CaptureFileInfo& i = cap.info;
  if (i.decode_errors.empty()) return;
  constexpr std::size_t kShown = 10;
  out << "\nDecode errors (frames kept in the trace, marked malformed):\n";
  for (std::size_t k = 0; k < i.decode_errors.size() && k < kShown; ++k) {
    const DecodeError& e = i.decode_errors[k];
    out << "  " << i.path << ": frame " << e.frame << " (offset " << e.offset << "): " << e.reason << "\n";
  }
  if (i.decode_error_count > kShown)
    out << "  ... " << i.decode_error_count - kShown << " more (--json lists them)\n";
}

}  // namespace

int analyze_command(const AnalyzeOptions& options, std::ostream& out, std::ostream& err) {
  CaptureOptions capture_options;
  capture_options.bpf_filter = options.filter;
  auto analyzed = load_and_analyze(options.file, capture_options);
  if (!analyzed) {
    err << "wirestep analyze: " << analyzed.error().message() << "\n";
    return 2;
  }
  const LoadedCapture& cap = analyzed->capture;
  const FlowAnalyzer& analysis = analyzed->analysis;
  if (options.json) {
    write_analysis_json(cap, analysis, out);
    return 0;
  }
  print_header(cap, out);
  print_tcp_table(cap, analysis, out);
  print_udp_table(cap, analysis, out);
  print_icmp_arp_table(cap, analysis, out);
  print_other(cap, analysis, out);
  print_flags(cap, analysis, options.max_flags_per_flow, out);
  print_decode_errors(cap, out);
  return 0;
}

}  // namespace wirestep
