// Reads packetdrill's script language into a Script (script_ast.hpp). Hostile input gets one message with
// file:line:column and the reason, never a crash: sizes and nesting are limited, every read is checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/core/result.hpp"
#include "sim/packetdrill/script_ast.hpp"

namespace wirestep::packetdrill {

struct ParseLimits {
  std::size_t max_bytes = 16u << 20;  // a real script is a few KiB; 16 MiB is far past any of them
  std::uint32_t max_depth = 32;       // nesting of [ ], { } and calls in a system call's arguments
  std::size_t max_events = 1'000'000;
};

Result<Script> parse_script(std::string_view text, const std::string& file, const ParseLimits& limits = {});
Result<Script> parse_script_file(const std::string& path, const ParseLimits& limits = {});

// "S.", "P.", "F.", "R", "." as packetdrill writes a segment's flags.
std::string flags_to_string(std::uint8_t flags);
// A packet as the script writes it: "P. 1:2001(2000) ack 1 win 257 <mss 1460,nop>".
std::string packet_to_string(const Packet& p);

}  // namespace wirestep::packetdrill
