// `wirestep live`: real TCP and UDP sockets (loopback, or two network namespaces with nftables loss),
// captured live, then analyzed like any capture.
#pragma once

#include <iosfwd>

#include "capture/live_lab.hpp"

namespace wirestep {
int live_command(const LiveLabOptions& options, std::ostream& out, std::ostream& err);
}  // namespace wirestep
