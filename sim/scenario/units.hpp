// Exact parsing of the quantities scenario files use: "20ms", "1.5s", "10%", "10Mbit", "1MB".
// Integer arithmetic only, so a file means the same on every machine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"

namespace wirestep {

// Each returns nullopt with `why` set to a short reason when the text is not a valid quantity, and `why_zh`
// to the same reason in 简体中文 (the model knows no Lang: the caller picks).
std::optional<SimDuration> parse_duration(std::string_view text, std::string& why, std::string& why_zh);
std::optional<Ppm> parse_percent(std::string_view text, std::string& why, std::string& why_zh);
std::optional<std::uint64_t> parse_bandwidth_bps(std::string_view text, std::string& why,
                                                 std::string& why_zh);
std::optional<std::uint64_t> parse_byte_size(std::string_view text, std::string& why, std::string& why_zh);

// The same, English reason only.
std::optional<SimDuration> parse_duration(std::string_view text, std::string& why);
std::optional<Ppm> parse_percent(std::string_view text, std::string& why);
std::optional<std::uint64_t> parse_bandwidth_bps(std::string_view text, std::string& why);
std::optional<std::uint64_t> parse_byte_size(std::string_view text, std::string& why);

}  // namespace wirestep
