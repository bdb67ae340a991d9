// Which of a capture's conversations the timeline shows (the Flows tab): some of them in one ladder, one TCP
// and one UDP conversation side by side as two ladders (as a simulated comparison is drawn), or all of them.
// The shown flows get their own Trace, copied once from the per-conversation packet lists; the whole
// capture's Trace waits, indexed, in Document::whole_capture until every flow is shown again.
#pragma once

#include <cstdint>
#include <vector>

#include "ui/model/document.hpp"

namespace wirestep {

// `d` (a capture with its flow list) showing `conversations` (ids of the flow list's rows; unknown ids and
// repeats are ignored; empty: all). `side_by_side` holds only for exactly one TCP and one UDP conversation;
// anything else is one ladder. The result still needs finish_document.
Document with_flows_shown(Document d, const std::vector<std::uint32_t>& conversations, bool side_by_side);

}  // namespace wirestep
