#include "ui/model/loaded_trace.hpp"

#include <algorithm>

#include "sim/analysis/step_order.hpp"
#include "sim/tcp/tcp_state.hpp"
#include "ui/model/event_text_zh.hpp"

namespace wirestep {
namespace {

std::string event_text(const TraceEvent& e) {
  if (e.kind == EventKind::StateChange) {
    const auto s = to_string(static_cast<TcpState>(e.value));
    return std::string(s);
  }
  return e.detail;
}

// Captures: one column per address in order of appearance; past the limit, one shared "others" column.
// Columns are few (kMaxLadderColumns), so finding an address among them is a short scan; it runs once per
// new flow.
std::uint8_t capture_column(LoadedTrace& lt, const wire::IpAddr& a) {
  constexpr std::size_t kMax = kMaxLadderColumns;
  const std::string name = a.to_string();
  for (std::size_t c = 0; c < lt.columns.size(); ++c)
    if (lt.columns[c].name == name && lt.columns[c].address.empty()) return static_cast<std::uint8_t>(c);
  if (lt.columns.size() + 1 >= kMax) {
    if (lt.columns.size() < kMax) lt.columns.push_back({kOthersColumn, ""});
    return static_cast<std::uint8_t>(kMax - 1);
  }
  lt.columns.push_back({name, ""});
  return static_cast<std::uint8_t>(lt.columns.size() - 1);
}

// The capture loader's flow for non-IP frames: protocol "other" between two unset addresses.
bool is_non_ip_flow(const TraceFlow& f) {
  return f.proto == Transport::Other && f.a == wire::IpAddr{} && f.b == wire::IpAddr{};
}

// A column that is not an address ("non-IP"): found by name, added before "others" takes the last place.
std::uint8_t named_column(LoadedTrace& lt, const char* name) {
  for (std::size_t c = 0; c < lt.columns.size(); ++c)
    if (lt.columns[c].name == name) return static_cast<std::uint8_t>(c);
  if (lt.columns.size() + 1 >= kMaxLadderColumns) return static_cast<std::uint8_t>(kMaxLadderColumns - 1);
  lt.columns.push_back({name, ""});
  return static_cast<std::uint8_t>(lt.columns.size() - 1);
}

// Captures: columns for the flows added since the last call.
void index_capture_flows(LoadedTrace& lt) {
  const auto& flows = lt.trace.flows();
  const std::size_t first = lt.flow_columns.size();
  if (first >= flows.size()) return;
  // The "?" column a Trace without flows is drawn with gives way to the real ones.
  if (lt.columns.size() == 1 && lt.columns[0].name == "?") lt.columns.clear();
  lt.flow_columns.resize(flows.size());
  for (std::size_t f = first; f < flows.size(); ++f) {
    // Non-IP frames (ARP, LLDP, ...) have no addresses: they get a lane of their own, not one called 0.0.0.0.
    if (is_non_ip_flow(flows[f])) {
      const std::uint8_t c = named_column(lt, kNonIpColumn);
      lt.flow_columns[f] = {c, c};
      continue;
    }
    lt.flow_columns[f] = {capture_column(lt, flows[f].a), capture_column(lt, flows[f].b)};
  }
}

// Per-packet summaries (longest flight, arrow kinds for the legend, losses) over packets from `first`.
void index_packets(LoadedTrace& lt, std::size_t first) {
  const Trace& t = lt.trace;
  for (std::size_t i = first; i < t.packet_count(); ++i) {
    const PacketRecord p = t.packet(i);
    lt.max_flight_ns = std::max(lt.max_flight_ns, p.arrive.ns - p.time.ns);
    const Transport proto = p.flow < t.flows().size() ? t.flows()[p.flow].proto : Transport::Other;
    lt.kinds_present[static_cast<std::size_t>(classify(p, proto))] = true;
    lt.any_lost = lt.any_lost || p.fate == Fate::DroppedByLink || p.fate == Fate::DroppedByQueue ||
                  p.fate == Fate::DroppedByHost;
  }
}

}  // namespace

void extend_capture_index(LoadedTrace& lt, std::size_t first_packet) {
  index_capture_flows(lt);
  if (lt.columns.empty()) lt.columns.push_back({"?", ""});
  if (lt.rel)
    lt.rel->extend(lt.trace, first_packet);
  else
    lt.rel.emplace(lt.trace);
  index_packets(lt, first_packet);
}

void index_trace(LoadedTrace& lt, bool capture) {
  const Trace& t = lt.trace;
  const auto& hosts = t.hosts();
  constexpr std::size_t kMax = kMaxLadderColumns;
  lt.columns.clear();
  lt.flow_columns.assign(t.flows().size(), FlowColumns{});
  if (!capture && !hosts.empty()) {
    for (std::size_t h = 0; h < std::min(hosts.size(), kMax); ++h)
      lt.columns.push_back(
          {hosts[h].name, hosts[h].addr.to_string() + "/" + std::to_string(hosts[h].prefix_len)});
    for (std::size_t f = 0; f < t.flows().size(); ++f) {
      const TraceFlow& fl = t.flows()[f];
      lt.flow_columns[f] = {static_cast<std::uint8_t>(std::min<std::size_t>(fl.a_host, kMax - 1)),
                            static_cast<std::uint8_t>(std::min<std::size_t>(fl.b_host, kMax - 1))};
    }
  } else {
    lt.flow_columns.clear();
    index_capture_flows(lt);
    if (lt.columns.empty()) lt.columns.push_back({"?", ""});
  }
  lt.rel.emplace(t);

  lt.max_flight_ns = 0;
  lt.kinds_present.fill(false);
  lt.any_lost = false;
  index_packets(lt, 0);

  lt.event_times.clear();
  lt.event_ids.clear();
  lt.event_columns.clear();
  lt.event_texts.clear();
  lt.event_texts_zh.clear();
  for (std::size_t e = 0; e < t.event_count(); ++e) {
    if (!is_step_event(t.event_kind(e))) continue;
    lt.event_times.push_back(t.event_time(e).ns);
    lt.event_ids.push_back(static_cast<std::uint32_t>(e));
  }
  // Texts are kept for ordinary runs; a huge run shows only marks (hover still names the kind).
  constexpr std::size_t kMaxTexts = 200'000;
  const bool texts = lt.event_ids.size() <= kMaxTexts;
  for (std::uint32_t id : lt.event_ids) {
    const TraceEvent e = t.event(id);
    lt.event_columns.push_back(static_cast<std::uint8_t>(std::min<std::size_t>(e.host, kMax - 1)));
    if (!texts) continue;
    lt.event_texts.push_back(event_text(e));
    lt.event_texts_zh.push_back(event_text(Lang::Zh, e.kind, lt.event_texts.back()));
  }
  // A capture's states are inferred from its segments; the panel shows a few connections at a time.
  if (capture)
    lt.states.build_inferred(t, kInferredConnections);
  else
    lt.states.build(t);
}

}  // namespace wirestep
