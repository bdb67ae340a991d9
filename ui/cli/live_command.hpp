// `wirestep live`: real TCP and UDP sockets (loopback, or two network namespaces with nftables loss),
// captured live, then analyzed like any capture.
#pragma once

#include <iosfwd>

#include "capture/live_lab.hpp"
#include "sim/analysis/lang.hpp"

namespace wirestep {
// `lang` is for every line: the lab's progress lines (capture/), the ones printed here and the analysis
// after.
int live_command(const LiveLabOptions& options, std::ostream& out, std::ostream& err, Lang lang = Lang::En);
}  // namespace wirestep
