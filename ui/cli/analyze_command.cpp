#include "ui/cli/analyze_command.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <vector>

#include "capture/analyzed_capture.hpp"
#include "sim/analysis/tcp_explain.hpp"
#include "sim/wire/ip_addr.hpp"
#include "ui/cli/analyze_json.hpp"
#include "ui/cli/cli_text.hpp"
#include "ui/cli/display_width.hpp"

namespace wirestep {
namespace {

std::string fixed(double v, int decimals) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// Cells are padded by display width, so Chinese headings line up with the numbers under them.
std::string pad(const std::string& s, std::size_t width, bool right = false) {
  return pad_to_width(s, width, right);
}

std::string endpoint(const LoadedCapture& cap, const Conversation& c, bool a, Lang lang) {
  if (c.proto == Transport::Other && c.trace_flow == cap.info.non_ip_flow)
    return cli_text(lang, Msg::NonIpFlow);
  const TraceFlow& f = cap.trace.flows().at(c.trace_flow);
  const bool first = a == (c.initiator == Direction::AtoB);
  if (c.proto != Transport::Tcp && c.proto != Transport::Udp) return (first ? f.a : f.b).to_string();
  return wire::endpoint_to_string(first ? f.a : f.b, first ? f.a_port : f.b_port);
}

// A pcapng file's interfaces may differ in link type and snapshot length: one line each, as
// `tshark -G` / Statistics > Capture File Properties list them, so a user sees which frames were not decoded.
void print_interfaces(const CaptureFileInfo& i, std::ostream& out, Lang lang) {
  if (i.interfaces.size() < 2) return;
  for (std::size_t k = 0; k < i.interfaces.size(); ++k) {
    const CaptureInterface& f = i.interfaces[k];
    out << cli_text(lang, Msg::InterfaceLine, k, f.name.empty() ? "" : " " + f.name, f.link_type, f.dlt,
                    f.snaplen ? cli_text(lang, Msg::Snaplen, f.snaplen) : cli_text(lang, Msg::NoSnaplen),
                    cli_text(lang, f.frames == 1 ? Msg::FrameCount : Msg::FramesCount, f.frames),
                    f.link_supported ? "" : cli_text(lang, Msg::LinkTypeNotDecoded))
        << "\n";
  }
  if (i.other_link_frames) out << cli_text(lang, Msg::OtherLinkFrames, i.other_link_frames) << "\n";
}

void print_header(const LoadedCapture& cap, std::ostream& out, Lang lang) {
  const CaptureFileInfo& i = cap.info;
  out << cli_text(lang, Msg::FileHeader, i.path, to_string(i.format), i.link_type, i.dlt)
      << (i.link_supported ? "" : cli_text(lang, Msg::NotDecodedAll)) << "\n";
  print_interfaces(i, out, lang);
  out << cli_text(lang, Msg::FramesLine, i.frames);
  if (!i.filter.empty()) out << cli_text(lang, Msg::MatchingFilter, i.filter);
  out << cli_text(lang, Msg::FlowsCount, cap.trace.flows().size()) << "\n";
  auto line = [&](std::uint64_t n, Msg id) {
    if (n) out << cli_text(lang, id, n) << "\n";
  };
  line(i.frames_cut_short, Msg::FramesCutShort);
  if (i.frames_over_snaplen)
    out << cli_text(lang, Msg::RecordsOverSnaplen, i.frames_over_snaplen, i.snaplen) << "\n";
  line(i.non_ip_frames, Msg::NonIpFrames);
  line(i.fragments, Msg::Fragments);
  line(i.bad_checksums, Msg::BadChecksums);
  line(i.time_went_backwards, Msg::TimeWentBackwards);
  line(i.decode_error_count, Msg::DecodeErrorsBelow);
  // The reason is the reader's own (capture/), in both languages.
  if (!i.read_error.empty())
    out << "  " << cli_text(lang, i.truncated ? Msg::Truncated : Msg::ReadingStopped)
        << i.read_error_text(lang) << cli_text(lang, Msg::EveryFrameKept) << "\n";
}

void print_tcp_table(const LoadedCapture& cap, const FlowAnalyzer& a, std::ostream& out, Lang lang) {
  bool any = false;
  for (const Conversation& c : a.conversations()) any |= c.proto == Transport::Tcp;
  if (!any) return;
  auto t = [&](Msg id) { return cli_text(lang, id); };
  out << "\n" << t(Msg::TcpStreamsTitle) << "\n";
  // The flag columns keep Wireshark's names (tcp.analysis.retransmission ...) in both languages.
  out << pad(t(Msg::ColStream), 8) << pad(t(Msg::ColInitiator), 24) << pad("b", 24)
      << pad(t(Msg::ColPackets), 7, true) << pad(t(Msg::ColBytes), 11, true)
      << "  syn fin rst  retr fast spur dupack  ooo lost ackl zwin  zwp wful  ka  " << t(Msg::ColInitialRtt)
      << "\n";
  for (const Conversation& c : a.conversations()) {
    if (c.proto != Transport::Tcp) continue;
    const TcpConversation& tc = c.tcp;
    const auto n = [&](TcpFlag f) { return tc.flags[static_cast<std::size_t>(f)]; };
    std::string line = pad(std::to_string(tc.stream), 8) + pad(endpoint(cap, c, true, lang), 24) +
                       pad(endpoint(cap, c, false, lang), 24) + pad(std::to_string(c.packets()), 7, true) +
                       pad(std::to_string(c.bytes()), 11, true);
    for (std::uint64_t v : {std::uint64_t{tc.syn}, std::uint64_t{tc.fin}, std::uint64_t{tc.rst}})
      line += pad(std::to_string(v), 4, true);
    line += pad(std::to_string(tc.retransmissions()), 6, true);
    line += pad(std::to_string(n(TcpFlag::FastRetransmission)), 5, true);
    line += pad(std::to_string(n(TcpFlag::SpuriousRetransmission)), 5, true);
    line += pad(std::to_string(n(TcpFlag::DuplicateAck)), 7, true);
    for (TcpFlag f : {TcpFlag::OutOfOrder, TcpFlag::LostSegment, TcpFlag::AckLostSegment, TcpFlag::ZeroWindow,
                      TcpFlag::ZeroWindowProbe, TcpFlag::WindowFull})
      line += pad(std::to_string(n(f)), 5, true);
    line += pad(std::to_string(n(TcpFlag::KeepAlive)), 4, true);
    line +=
        "  " + (tc.initial_rtt_ns ? fixed(static_cast<double>(*tc.initial_rtt_ns) / 1e6, 3) + " ms" : "-");
    out << line << "\n";
  }
}

void print_udp_table(const LoadedCapture& cap, const FlowAnalyzer& a, std::ostream& out, Lang lang) {
  bool any = false;
  for (const Conversation& c : a.conversations()) any |= c.proto == Transport::Udp;
  if (!any) return;
  auto t = [&](Msg id) { return cli_text(lang, id); };
  out << "\n" << t(Msg::UdpFlowsTitle) << "\n";
  out << pad(t(Msg::ColFirstSender), 24) << pad("b", 24) << pad(t(Msg::ColDatagrams), 9, true)
      << "  a>b  b>a   " << pad(t(Msg::ColSizes), 20) << "  " << t(Msg::ColGaps) << "\n";
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
    out << pad(endpoint(cap, c, true, lang), 24) << pad(endpoint(cap, c, false, lang), 24)
        << pad(std::to_string(n), 9, true) << pad(std::to_string(c.from_a().packets), 5, true)
        << pad(std::to_string(c.from_b().packets), 5, true) << "   " << pad(sizes, 20) << "  " << gaps
        << (c.icmp_errors ? cli_text(lang, Msg::UdpIcmpErrors, c.icmp_errors) : "") << "\n";
  }
}

// ICMP and ARP conversations, one line each: what went between the two addresses.
void print_icmp_arp_table(const LoadedCapture& cap, const FlowAnalyzer& a, std::ostream& out, Lang lang) {
  bool any = false;
  for (const Conversation& c : a.conversations())
    any |= c.proto == Transport::Icmp || c.proto == Transport::Arp;
  if (!any) return;
  out << "\n" << cli_text(lang, Msg::IcmpArpTitle) << "\n";
  out << "proto " << pad(cli_text(lang, Msg::ColFirstSender), 24) << pad("b", 24)
      << pad(cli_text(lang, Msg::ColPackets), 7, true) << "  " << cli_text(lang, Msg::ColMessages) << "\n";
  for (const Conversation& c : a.conversations()) {
    if (c.proto != Transport::Icmp && c.proto != Transport::Arp) continue;
    const std::string what = c.proto == Transport::Icmp
                                 ? cli_text(lang, Msg::IcmpMessages, c.icmp.echo_requests,
                                            c.icmp.echo_replies, c.icmp.errors, c.icmp.other)
                                 : cli_text(lang, Msg::ArpMessages, c.arp.requests, c.arp.replies);
    out << pad(c.proto == Transport::Icmp ? "icmp" : "arp", 6) << pad(endpoint(cap, c, true, lang), 24)
        << pad(endpoint(cap, c, false, lang), 24) << pad(std::to_string(c.packets()), 7, true) << "  " << what
        << (c.icmp_errors ? cli_text(lang, Msg::QuotedByIcmpErrors, c.icmp_errors) : "") << "\n";
  }
}

void print_other(const FlowAnalyzer& a, std::ostream& out, Lang lang) {
  std::uint64_t flows = 0, packets = 0;
  for (const Conversation& c : a.conversations())
    if (c.proto == Transport::Other) ++flows, packets += c.packets();
  if (flows) out << "\n" << cli_text(lang, Msg::OtherFlows, packets, flows) << "\n";
}

void print_flags(const LoadedCapture& cap, const FlowAnalyzer& a, std::size_t per_flow, std::ostream& out,
                 Lang lang) {
  if (a.flagged().empty() || per_flow == 0) return;
  out << "\n" << cli_text(lang, Msg::WhyTitle, per_flow) << "\n";
  std::vector<std::size_t> shown(a.conversations().size(), 0), total(a.conversations().size(), 0);
  for (const FlaggedPacket& f : a.flagged()) ++total[f.conversation];
  const FrameOf frame_of = [&](std::uint32_t p) { return cap.info.frame_number(p); };
  for (const FlaggedPacket& f : a.flagged()) {
    const Conversation& c = a.conversations()[f.conversation];
    std::size_t& n = shown[f.conversation];
    if (n < per_flow) {
      out << cli_text(lang, Msg::StreamFrame, c.tcp.stream, f.frame, explain(f, c, cap.trace, frame_of, lang))
          << "\n";
    } else if (n == per_flow) {
      out << cli_text(lang, Msg::StreamMore, c.tcp.stream, total[f.conversation] - per_flow) << "\n";
    }
    ++n;
  }
}

void print_decode_errors(const LoadedCapture& cap, std::ostream& out, Lang lang) {
  const CaptureFileInfo& i = cap.info;
  if (i.decode_errors.empty()) return;
  constexpr std::size_t kShown = 10;
  out << "\n" << cli_text(lang, Msg::DecodeErrorsTitle) << "\n";
  for (std::size_t k = 0; k < i.decode_errors.size() && k < kShown; ++k) {
    const DecodeError& e = i.decode_errors[k];
    out << cli_text(lang, Msg::FrameAtOffset, i.path, e.frame, e.offset, e.text(lang)) << "\n";
  }
  if (i.decode_error_count > kShown)
    out << cli_text(lang, Msg::MoreDecodeErrors, i.decode_error_count - kShown) << "\n";
}

}  // namespace

int analyze_command(const AnalyzeOptions& options, std::ostream& out, std::ostream& err) {
  CaptureOptions capture_options;
  capture_options.bpf_filter = options.filter;
  auto analyzed = load_and_analyze(options.file, capture_options);
  if (!analyzed) {
    err << "wirestep analyze: " << error_text(analyzed.error(), options.lang) << "\n";
    return 2;
  }
  const LoadedCapture& cap = analyzed->capture;
  const FlowAnalyzer& analysis = analyzed->analysis;
  if (options.json) {
    write_analysis_json(cap, analysis, out);
    return 0;
  }
  const Lang lang = options.lang;
  print_header(cap, out, lang);
  print_tcp_table(cap, analysis, out, lang);
  print_udp_table(cap, analysis, out, lang);
  print_icmp_arp_table(cap, analysis, out, lang);
  print_other(analysis, out, lang);
  print_flags(cap, analysis, options.max_flags_per_flow, out, lang);
  print_decode_errors(cap, out, lang);
  return 0;
}

}  // namespace wirestep
