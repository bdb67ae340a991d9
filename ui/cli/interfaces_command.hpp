// `wirestep interfaces`: every interface with its addresses split into network and host part.
#pragma once

#include <iosfwd>

namespace wirestep {
int interfaces_command(std::ostream& out, std::ostream& err);
}  // namespace wirestep
