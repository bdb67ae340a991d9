// Writing a subset of a capture's frames to a new pcap file through libpcap, with their timestamps, lengths
// and link type untouched (the Trace keeps no frame bytes, so they are copied from the original file).
// Every write goes to "NAME.part" beside the target and is renamed over it at the end, so a failure never
// leaves half a file or destroys the one it would have replaced.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "sim/core/result.hpp"

namespace wirestep {

// Copies frames `frames` (1-based numbers in the file, ascending) of the capture `source` into a pcap file
// `out`. Fails if `out` is `source` itself (it is re-read for the inspector) or if the file no longer holds
// those frames. Returns the number of frames written.
Result<std::size_t> copy_capture_frames(const std::string& source, std::span<const std::uint32_t> frames,
                                        const std::string& out);

// Moves a finished "OUT.part" over `out`; on failure removes it and says why. Returns `written`.
Result<std::size_t> replace_with_part(const std::string& part, const std::string& out, std::size_t written);

}  // namespace wirestep
