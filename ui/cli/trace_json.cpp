#include "ui/cli/trace_json.hpp"

#include "sim/scenario/text_encoding.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {

using json = nlohmann::ordered_json;

namespace {
std::string proto_name(Transport p) {
  return p == Transport::Tcp ? "tcp" : p == Transport::Udp ? "udp" : "other";
}

json protocol_summary(const ProtocolSummary& p) {
  return json{{"packets", p.packets},
              {"delivered", p.delivered},
              {"dropped_by_link", p.dropped_by_link},
              {"dropped_by_queue", p.dropped_by_queue},
              {"dropped_by_host", p.dropped_by_host},
              {"in_flight", p.in_flight},
              {"duplicates", p.duplicates},
              {"reordered", p.reordered},
              {"corrupted", p.corrupted},
              {"wire_bytes", p.wire_bytes},
              {"header_bytes", p.header_bytes},
              {"payload_bytes", p.payload_bytes},
              {"by_cause", [&] {
                 json causes = json::object();
                 for (std::size_t c = 0; c < kCauseCount; ++c)
                   if (p.by_cause[c]) causes[std::string(to_string(static_cast<Cause>(c)))] = p.by_cause[c];
                 return causes;
               }()}};
}
}  // namespace

json packet_to_json(const Trace& trace, std::size_t i) {
  const PacketRecord p = trace.packet(i);
  const TraceFlow& f = trace.flows()[p.flow];
  const bool fwd = p.dir == Direction::AtoB;
  json j;
  j["index"] = i;
  j["time_ns"] = p.time.ns;
  j["arrive_ns"] = p.arrive.ns;
  j["flow"] = p.flow;
  j["direction"] = fwd ? "a>b" : "b>a";
  j["proto"] = proto_name(f.proto);
  j["src"] = wire::endpoint_to_string(fwd ? f.a : f.b, fwd ? f.a_port : f.b_port);
  j["dst"] = wire::endpoint_to_string(fwd ? f.b : f.a, fwd ? f.b_port : f.a_port);
  j["flags"] = f.proto == Transport::Tcp ? wire::tcp_flags_to_string(p.tcp_flags) : "";
  j["seq"] = p.seq;
  j["ack"] = p.ack;
  j["len"] = p.payload_len;
  j["window"] = p.window;
  j["ip_id"] = p.ip_id;
  j["ttl"] = p.ttl;
  j["fate"] = std::string(to_string(p.fate));
  j["drop_rule"] = p.fate == Fate::Delivered || p.rule == 0 || p.rule > trace.drop_rules().size()
                       ? json(nullptr)
                       : json(trace.drop_rules()[p.rule - 1]);
  j["cause"] = std::string(to_string(p.cause));
  json marks = json::array();
  if (p.marks & mark::kDuplicate) marks.push_back("duplicate");
  if (p.marks & mark::kReordered) marks.push_back("reordered");
  if (p.marks & mark::kCorrupted) marks.push_back("corrupted");
  j["marks"] = marks;
  return j;
}

json summary_to_json(const TraceSummary& s) {
  return json{{"udp", protocol_summary(s.udp)},
              {"tcp", protocol_summary(s.tcp)},
              {"other", protocol_summary(s.other)}};
}

json trace_to_json(const Trace& trace) {
  json j;
  json hosts = json::array();
  for (const auto& h : trace.hosts())
    hosts.push_back({{"name", h.name}, {"address", h.addr.to_string()}, {"prefix_len", h.prefix_len}});
  j["hosts"] = hosts;
  json flows = json::array();
  for (std::size_t i = 0; i < trace.flows().size(); ++i) {
    const TraceFlow& f = trace.flows()[i];
    flows.push_back({{"id", i},
                     {"proto", proto_name(f.proto)},
                     {"a", wire::endpoint_to_string(f.a, f.a_port)},
                     {"b", wire::endpoint_to_string(f.b, f.b_port)}});
  }
  j["flows"] = flows;
  j["drop_rules"] = trace.drop_rules();
  json packets = json::array();
  for (std::size_t i = 0; i < trace.packet_count(); ++i) packets.push_back(packet_to_json(trace, i));
  j["packets"] = packets;
  json events = json::array();
  for (std::size_t i = 0; i < trace.event_count(); ++i) {
    const TraceEvent e = trace.event(i);
    events.push_back(
        {{"time_ns", e.time.ns},
         {"kind", std::string(to_string(e.kind))},
         {"host", e.host < trace.hosts().size() ? json(trace.hosts()[e.host].name) : json(nullptr)},
         {"socket", e.socket == TraceEvent::kNone ? json(nullptr) : json(e.socket)},
         {"value", e.value},
         {"detail", e.detail}});
  }
  j["events"] = events;
  return j;
}

json run_to_json(const Scenario& sc, const RunResult& run) {
  json j;
  j["schema"] = "wirestep.run/1";
  j["scenario"] = {{"file", sc.file}, {"name", sc.name}, {"title", sc.title}, {"title_zh", sc.title_zh}};
  j["seed"] = run.seed;
  j["end_ns"] = run.end.ns;
  j["summary"] = summary_to_json(summarize(run.trace));
  json programs = json::array();
  for (const auto& p : run.programs) {
    json received = json::array();
    for (const auto& m : p.received) {
      received.push_back({{"time_ns", m.time.ns},
                          {"from", m.from},
                          {"bytes", m.data.size()},
                          {"text_utf8", decode_text(m.data, "utf-8")}});
    }
    programs.push_back({{"name", p.name},
                        {"host", p.host},
                        {"datagrams_sent", p.datagrams_sent},
                        {"received", received},
                        {"finished", p.finished},
                        {"blocked_in", p.blocked_in ? json(*p.blocked_in) : json(nullptr)},
                        {"error", p.error ? json(*p.error) : json(nullptr)}});
  }
  j["programs"] = programs;
  j["trace"] = trace_to_json(run.trace);
  return j;
}

}  // namespace wirestep

namespace wirestep {
nlohmann::ordered_json comparison_to_json(const ComparisonResult& c) {
  auto one = [](const TransportMetrics& m) {
    nlohmann::ordered_json j;
    j["messages_sent"] = m.messages_sent;
    j["delivered"] = m.delivered;
    j["lost"] = m.lost;
    j["duplicated"] = m.duplicated;
    j["out_of_order"] = m.out_of_order;
    j["packets"] = m.packets;
    j["wire_bytes"] = m.wire_bytes;
    j["header_bytes"] = m.header_bytes;
    j["completion_ns"] =
        m.completion ? nlohmann::ordered_json(m.completion->ns) : nlohmann::ordered_json(nullptr);
    j["latency_mean_ns"] = m.latency_mean.ns;
    j["latency_p99_ns"] = m.latency_p99.ns;
    j["latency_max_ns"] = m.latency_max.ns;
    return j;
  };
  return {{"tcp", one(c.tcp)}, {"udp", one(c.udp)}};
}
}  // namespace wirestep
