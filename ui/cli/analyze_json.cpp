#include "ui/cli/analyze_json.hpp"

#include <cmath>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/analysis/tcp_explain.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep {
namespace {

using Json = nlohmann::ordered_json;

// Milliseconds rounded to the microsecond, so the JSON shows 20.042 rather than 20.042000000000002.
double ms(double ns) {
  return std::round(ns / 1e3) / 1e3;
}

std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

const char* proto_name(Transport t) {
  switch (t) {
    case Transport::Tcp:
      return "tcp";
    case Transport::Udp:
      return "udp";
    case Transport::Other:
      return "other";
    case Transport::Icmp:
      return "icmp";
    case Transport::Arp:
      return "arp";
  }
  return "other";
}

// "ip:port" for TCP and UDP; the bare address for ICMP, ARP (sender, target) and other IP traffic; "non-ip"
// for frames without IP.
std::string endpoint(const LoadedCapture& cap, const Conversation& c, bool initiator_side) {
  if (c.proto == Transport::Other && c.trace_flow == cap.info.non_ip_flow) return "non-ip";
  const TraceFlow& f = cap.trace.flows().at(c.trace_flow);
  const bool a_side = initiator_side == (c.initiator == Direction::AtoB);
  const wire::IpAddr& addr = a_side ? f.a : f.b;
  if (c.proto != Transport::Tcp && c.proto != Transport::Udp) return addr.to_string();
  return wire::endpoint_to_string(addr, a_side ? f.a_port : f.b_port);
}

Json totals(const DirectionTotals& t) {
  return Json{{"packets", t.packets}, {"bytes", t.bytes}, {"payload_bytes", t.payload_bytes}};
}

Json stats_ms(const TimeStats& s) {
  if (s.count == 0) return nullptr;
  return Json{{"samples", s.count},
              {"min", ms(static_cast<double>(s.min_ns))},
              {"mean", ms(s.mean_ns())},
              {"max", ms(static_cast<double>(s.max_ns))}};
}

Json frame_or_null(const LoadedCapture& cap, std::uint32_t packet) {
  if (packet == kNoPacket) return nullptr;
  return cap.info.frame_number(packet);
}

Json flow_json(const LoadedCapture& cap, const Conversation& c,
               const std::vector<const FlaggedPacket*>& flags) {
  const TcpConversation& t = c.tcp;
  const bool tcp = c.proto == Transport::Tcp;
  Json j;
  j["id"] = c.id;
  j["proto"] = proto_name(c.proto);
  j["stream"] = tcp ? Json(t.stream) : Json(nullptr);
  j["a"] = endpoint(cap, c, true);
  j["b"] = endpoint(cap, c, false);
  j["first_frame"] = c.first_frame;
  j["last_frame"] = c.last_frame;
  j["duration_ms"] = ms(static_cast<double>(c.last_time_ns) - static_cast<double>(c.first_time_ns));
  j["packets"] = c.packets();
  j["bytes"] = c.bytes();
  j["a_to_b"] = totals(c.from_a());
  j["b_to_a"] = totals(c.from_b());
  j["syn"] = t.syn;
  j["fin"] = t.fin;
  j["rst"] = t.rst;
  // Counts with Wireshark's names; "retransmission" counts what tcp.analysis.retransmission matches
  // (plain, fast and spurious), the other two count their own kind only.
  for (std::size_t i = 0; i < kTcpFlagCount; ++i) {
    const auto flag = static_cast<TcpFlag>(i);
    if (flag == TcpFlag::Reset) continue;  // "rst" above counts RST segments
    j[std::string(wireshark_name(flag))] = flag == TcpFlag::Retransmission ? t.retransmissions() : t.flags[i];
  }
  j["initial_rtt_ms"] =
      tcp && t.initial_rtt_ns ? Json(ms(static_cast<double>(*t.initial_rtt_ns))) : Json(nullptr);
  j["ack_rtt_ms"] = tcp ? stats_ms(t.ack_rtt) : Json(nullptr);
  if (tcp) {
    const int a = static_cast<int>(c.initiator);
    j["state_a"] = std::string(to_string(t.end_state[a]));
    j["state_b"] = std::string(to_string(t.end_state[a ^ 1]));
    j["phases"] = Json{{"handshake_frame", frame_or_null(cap, t.handshake_packet)},
                       {"data_frame", frame_or_null(cap, t.data_packet)},
                       {"teardown_frame", frame_or_null(cap, t.teardown_packet)}};
    j["unanalyzed"] = t.unanalyzed;
  } else {
    j["state_a"] = j["state_b"] = j["phases"] = nullptr;
    j["unanalyzed"] = 0;
  }
  if (c.proto == Transport::Udp) {
    const UdpConversation& u = c.udp;
    const std::uint64_t n = c.packets();
    const double mean =
        n ? static_cast<double>(c.from_a().payload_bytes + c.from_b().payload_bytes) / n : 0.0;
    j["udp"] = Json{{"datagrams", n},
                    {"payload_min", u.min_payload},
                    {"payload_mean", std::round(mean * 10) / 10},
                    {"payload_max", u.max_payload},
                    {"gap_ms", stats_ms(u.gaps)}};
  } else {
    j["udp"] = nullptr;
  }
  j["icmp_errors"] = c.icmp_errors;
  j["icmp"] = c.proto == Transport::Icmp ? Json{{"echo_requests", c.icmp.echo_requests},
                                                {"echo_replies", c.icmp.echo_replies},
                                                {"errors", c.icmp.errors},
                                                {"other", c.icmp.other}}
                                         : Json(nullptr);
  j["arp"] = c.proto == Transport::Arp ? Json{{"requests", c.arp.requests}, {"replies", c.arp.replies}}
                                       : Json(nullptr);
  Json list = Json::array();
  const FrameOf frame_of = [&](std::uint32_t p) { return cap.info.frame_number(p); };
  for (const FlaggedPacket* f : flags) {
    Json refers = Json::array();
    std::uint32_t previous = 0;
    for (std::uint32_t p : {f->ref_packet, f->first_sent}) {
      if (p == kNoPacket || cap.info.frame_number(p) == previous) continue;
      previous = cap.info.frame_number(p);
      refers.push_back(previous);
    }
    list.push_back(Json{{"frame", f->frame},
                        {"flag", std::string(wireshark_name(f->flag))},
                        {"phase", std::string(to_string(t.phase_of(f->packet)))},
                        {"explanation", explain(*f, c, cap.trace, frame_of)},
                        {"refers_to", refers}});
  }
  j["flags"] = list;
  return j;
}

}  // namespace

void write_analysis_json(const LoadedCapture& cap, const FlowAnalyzer& analysis, std::ostream& out) {
  const CaptureFileInfo& info = cap.info;
  Json head;
  head["schema"] = "wirestep.analyze/1";
  head["file"] = info.path;
  head["format"] = std::string(to_string(info.format));
  head["link_type"] = info.link_type;
  head["dlt"] = info.dlt;
  head["link_supported"] = info.link_supported;
  head["snaplen"] = info.snaplen;
  // Every interface, numbered across the file as the frames' interface ids are (a pcap file has one).
  Json interfaces = Json::array();
  for (std::size_t k = 0; k < info.interfaces.size(); ++k) {
    const CaptureInterface& i = info.interfaces[k];
    interfaces.push_back(Json{{"id", k},
                              {"name", i.name.empty() ? Json(nullptr) : Json(i.name)},
                              {"link_type", i.link_type},
                              {"dlt", i.dlt},
                              {"link_supported", i.link_supported},
                              {"snaplen", i.snaplen},
                              {"section", i.section},
                              {"frames", i.frames}});
  }
  head["interfaces"] = interfaces;
  head["filter"] = info.filter.empty() ? Json(nullptr) : Json(info.filter);
  head["first_frame_epoch_ns"] = info.first_frame_epoch_ns;
  head["packets"] = info.frames;
  head["frames_cut_short"] = info.frames_cut_short;
  head["frames_over_snaplen"] = info.frames_over_snaplen;
  head["other_link_frames"] = info.other_link_frames;
  head["non_ip_frames"] = info.non_ip_frames;
  head["malformed_frames"] = info.malformed_frames;
  head["bad_checksums"] = info.bad_checksums;
  head["fragments"] = info.fragments;
  head["time_went_backwards"] = info.time_went_backwards;
  Json errors = Json::array();
  for (const DecodeError& e : info.decode_errors)
    errors.push_back(
        Json{{"frame", e.frame}, {"offset", e.offset}, {"reason", e.reason}, {"reason_zh", e.reason_zh}});
  head["decode_errors"] = errors;
  head["decode_errors_total"] = info.decode_error_count;
  head["truncated"] = info.truncated;
  head["read_error"] = info.read_error.empty() ? Json(nullptr) : Json(info.read_error);
  head["read_error_zh"] = info.read_error_zh.empty() ? Json(nullptr) : Json(info.read_error_zh);

  // Flags grouped by conversation, keeping packet order within each.
  const auto& convs = analysis.conversations();
  std::vector<std::vector<const FlaggedPacket*>> by_conv(convs.size());
  for (const FlaggedPacket& f : analysis.flagged()) by_conv.at(f.conversation).push_back(&f);

  out << "{\n";
  for (auto it = head.begin(); it != head.end(); ++it)
    out << "  " << dump(it.key()) << ": " << dump(it.value()) << ",\n";
  out << "  \"flows\": [";
  for (std::size_t i = 0; i < convs.size(); ++i) {
    out << (i ? ",\n    " : "\n    ") << dump(flow_json(cap, convs[i], by_conv[i]));
  }
  out << (convs.empty() ? "]\n" : "\n  ]\n") << "}\n";
}

}  // namespace wirestep
