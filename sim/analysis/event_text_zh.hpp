// The simulator writes its event texts in English (the Trace and its exports stay so, byte for byte); the UI
// and the command line show them in the reader's language. This translates every fixed phrase the simulator
// emits, keeping the code-like parts (calls with their arguments, addresses, numbers, errno names) as they
// are.
#pragma once

#include <string>
#include <string_view>

#include "sim/analysis/lang.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

// `english` as the Trace holds it; Lang::En returns it unchanged.
std::string event_text(Lang lang, EventKind kind, std::string_view english);
// A link's drop rule as the Trace names it ("link L1 rule 1: bernoulli loss 5%"), for the status line.
std::string drop_rule_text(Lang lang, std::string_view english);
// ImGui 1.86 wraps at any space: the space between a number and its unit ("12.5 ms", "18 bytes") becomes a
// no-break space (U+00A0, in every font's Latin-1 range) so a wrapped line never separates them.
std::string keep_units_together(std::string s);
// Why a packet exists, as the status line and the inspector name it ("rto-retransmission" in English).
std::string_view cause_name(Lang lang, Cause c);

}  // namespace wirestep
