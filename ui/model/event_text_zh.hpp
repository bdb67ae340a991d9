// The event-text translation moved down to sim/analysis/event_text_zh.hpp so the command line (ui/cli, which
// may not include ui/model) prints the same Chinese texts as the UI. This header keeps the UI's includes
// working; new code includes the analysis header.
#pragma once

#include "sim/analysis/event_text_zh.hpp"
