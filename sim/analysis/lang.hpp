// The language of every string a person reads: the analysis writes its explanations in it, the UI its labels.
#pragma once

#include <cstdint>

namespace wirestep {

enum class Lang : std::uint8_t { En, Zh };

}  // namespace wirestep
