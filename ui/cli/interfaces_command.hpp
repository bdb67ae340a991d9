// `wirestep interfaces`: every interface with its addresses split into network and host part.
#pragma once

#include <iosfwd>

#include "sim/analysis/lang.hpp"

namespace wirestep {
int interfaces_command(std::ostream& out, std::ostream& err, Lang lang = Lang::En);
}  // namespace wirestep
