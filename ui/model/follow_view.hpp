// Follow stream on the open document, without a window: which Trace a request means, where its payload bytes
// come from (a simulated run keeps them; a capture re-reads its file), and how a chunk's packet maps back to
// the packets the timeline shows and the frame numbers people see. The Follow stream panel draws the result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/analysis/follow_stream.hpp"
#include "sim/analysis/packet_ref.hpp"
#include "ui/model/document.hpp"

namespace wirestep {

// A conversation to follow, named by one of its packets. `whole_capture`: the packet indexes the whole
// capture (Document::whole_capture), because the Flows tab asked for a flow the timeline does not show.
struct FollowTarget {
  PacketRef packet;
  bool whole_capture = false;
  bool operator==(const FollowTarget&) const = default;
};

struct FollowView {
  FollowTarget target;
  std::optional<FollowStream> stream;
  std::string error;  // why there is no stream (English: the panel shows its own words beside it)
};

// The Trace a target reads, or null when it no longer exists (a new document).
const LoadedTrace* follow_trace(const Document& d, const FollowTarget& t);

// Follows the conversation of the target's packet (the analysis of its Trace says which one).
FollowView follow_in_document(const Document& d, const FollowTarget& t,
                              std::uint64_t max_bytes = kFollowMaxBytes);

// A conversation of the Flows tab (FlowRow::conversation, numbered over the whole capture) as a target: one
// of its packets as the timeline shows it, else in the whole capture.
std::optional<FollowTarget> follow_target_for_flow(const Document& d, std::uint32_t conversation);

// The timeline's packet for a packet of the target's Trace: itself, or for the whole capture the same frame
// in a shown Trace; nullopt when no shown Trace has it.
std::optional<PacketRef> shown_packet(const Document& d, const FollowTarget& t, std::uint32_t packet);

// The frame number people see for a packet of the target's Trace.
std::uint32_t follow_frame_number(const Document& d, const FollowTarget& t, std::uint32_t packet);

}  // namespace wirestep
