// `wirestep live`: real TCP and UDP sockets (loopback, or two network namespaces with nftables loss),
// captured live, then analyzed like any capture.
#pragma once

#include <iosfwd>

#include "capture/live_lab.hpp"
#include "sim/analysis/lang.hpp"

namespace wirestep {
// `lang` is for the lines printed here and the analysis after; the lab's own progress lines (capture/) are
// English.
int live_command(const LiveLabOptions& options, std::ostream& out, std::ostream& err, Lang lang = Lang::En);
}  // namespace wirestep
