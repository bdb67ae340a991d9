// A captured packet's transport payload, re-read from its file for Follow stream: the Trace keeps only where
// each frame starts (PacketRecord::payload_ref), so the frame is read again (capture/frame_bytes.hpp), its
// link header skipped and its IP packet decoded. Lives here, not in the analysis, because it reads a file.
#pragma once

#include <span>
#include <string>

#include "capture/link_layer.hpp"
#include "sim/analysis/follow_stream.hpp"

namespace wirestep {

// Payload source over the frames of `path`. `links`: the link layers to try, in order; the first whose
// decoded segment matches the Trace record (protocol, ports' sequence number, length) wins, so a caller that
// only knows "Ethernet or not" still finds the right one. `trace` must outlive the source.
PayloadSource captured_payload_source(const Trace& trace, std::string path, std::span<const LinkKind> links);

// The link layers to try for a capture that is (or is not) Ethernet.
std::span<const LinkKind> capture_link_candidates(bool ethernet);

}  // namespace wirestep
