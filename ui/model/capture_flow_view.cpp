#include "ui/model/capture_flow_view.hpp"

#include <algorithm>
#include <span>

#include "sim/analysis/flow_list.hpp"

namespace wirestep {

Document with_flows_shown(Document d, const std::vector<std::uint32_t>& conversations, bool side_by_side) {
  const CaptureFlows& flows = *d.flows;
  std::vector<std::uint32_t> ids;
  for (std::uint32_t id : conversations)
    if (id < flows.rows().size() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  if (side_by_side) {
    // One TCP and one UDP conversation, TCP on the left as in a simulated comparison; anything else is
    // shown in one ladder.
    auto find = [&](Transport p) {
      return std::find_if(ids.begin(), ids.end(),
                          [&](std::uint32_t id) { return flows.rows()[id].proto == p; });
    };
    const auto tcp = find(Transport::Tcp), udp = find(Transport::Udp);
    side_by_side = ids.size() == 2 && tcp != ids.end() && udp != ids.end();
    if (side_by_side) ids = {*tcp, *udp};
  }

  if (!d.whole_capture) d.whole_capture = std::move(d.traces.at(0));
  d.traces.clear();
  const LoadedTrace& whole = *d.whole_capture;
  auto add_subset = [&](std::span<const std::uint32_t> packets, const char* label) {
    FlowSubset subset = extract_flows(whole.trace, packets);
    auto lt = std::make_unique<LoadedTrace>();
    lt->label = label;
    lt->trace = std::move(subset.trace);
    lt->source_packets = std::move(subset.source_packets);
    lt->capture_path = whole.capture_path;
    lt->capture_ethernet = whole.capture_ethernet;
    d.traces.push_back(std::move(lt));
  };
  if (side_by_side) {
    add_subset(flows.packets_of(ids[0]), "TCP");
    add_subset(flows.packets_of(ids[1]), "UDP");
  } else if (!ids.empty()) {
    const std::vector<std::uint32_t> packets = flows.packets_of(ids);
    // Flows that hold every packet are the whole capture: no copy.
    if (packets.size() < whole.trace.packet_count()) add_subset(packets, "");
  }
  if (d.traces.empty()) d.traces.push_back(std::move(d.whole_capture));
  d.shown_flows = std::move(ids);
  d.flows_side_by_side = side_by_side;
  return d;
}

}  // namespace wirestep
