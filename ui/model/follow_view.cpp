#include "ui/model/follow_view.hpp"

#include <algorithm>

#include "sim/analysis/flow_list.hpp"
#include "ui/cli/follow_payload.hpp"

namespace wirestep {

const LoadedTrace* follow_trace(const Document& d, const FollowTarget& t) {
  if (t.whole_capture) return d.whole_capture ? d.whole_capture.get() : nullptr;
  return t.packet.trace < d.traces.size() ? d.traces[t.packet.trace].get() : nullptr;
}

FollowView follow_in_document(const Document& d, const FollowTarget& t, std::uint64_t max_bytes) {
  FollowView v;
  v.target = t;
  const LoadedTrace* lt = follow_trace(d, t);
  if (!lt || t.packet.packet >= lt->trace.packet_count()) {
    v.error = "the packet is no longer open";
    return v;
  }
  const Trace& trace = lt->trace;
  // The analysis the views use, when it is complete; a growing live capture is analysed here as it is now.
  std::optional<FlowAnalyzer> local;
  const FlowAnalyzer* analysis = &lt->analysis.analyzer();
  if (!lt->analysis.covers(trace)) analysis = &local.emplace(analyze_trace(trace));
  const std::uint32_t packet = t.packet.packet;
  const auto conversation = analysis->conversation_of(trace.flow_of(packet), packet);
  if (!conversation) {
    v.error = "the packet belongs to no conversation";
    return v;
  }
  const PayloadSource payload =
      d.capture
          ? captured_payload_source(trace, lt->capture_path, capture_link_candidates(lt->capture_ethernet))
          : trace_payload_source(trace);
  FollowOptions options;
  options.max_bytes = max_bytes;
  options.frame_number = [lt](std::uint32_t p) { return lt->display_number(p); };
  auto stream = follow_stream(trace, *analysis, *conversation, payload, options);
  if (!stream) {
    v.error = stream.error().message();
    return v;
  }
  v.stream = std::move(*stream);
  return v;
}

std::optional<FollowTarget> follow_target_for_flow(const Document& d, std::uint32_t conversation) {
  if (!d.flows || conversation >= d.flows->rows().size()) return std::nullopt;
  const auto packets = d.flows->packets_of(conversation);
  if (packets.empty()) return std::nullopt;
  const FollowTarget whole{PacketRef{0, packets.front()}, true};
  if (!d.whole_capture)
    return FollowTarget{PacketRef{0, packets.front()}, false};  // the whole capture is shown
  if (auto shown = shown_packet(d, whole, packets.front())) return FollowTarget{*shown, false};
  return whole;
}

std::optional<PacketRef> shown_packet(const Document& d, const FollowTarget& t, std::uint32_t packet) {
  if (!t.whole_capture) {
    if (t.packet.trace < d.traces.size() && packet < d.traces[t.packet.trace]->trace.packet_count())
      return PacketRef{t.packet.trace, packet};
    return std::nullopt;
  }
  for (std::uint32_t i = 0; i < d.traces.size(); ++i) {
    const auto& source = d.traces[i]->source_packets;  // ascending (extract_flows keeps capture order)
    const auto it = std::lower_bound(source.begin(), source.end(), packet);
    if (it != source.end() && *it == packet)
      return PacketRef{i, static_cast<std::uint32_t>(it - source.begin())};
  }
  return std::nullopt;
}

std::uint32_t follow_frame_number(const Document& d, const FollowTarget& t, std::uint32_t packet) {
  const LoadedTrace* lt = follow_trace(d, t);
  return lt ? lt->display_number(packet) : packet + 1;
}

}  // namespace wirestep
