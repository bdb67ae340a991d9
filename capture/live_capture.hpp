// Live capture through libpcap: open an interface (BPF filter, snap length), stop after a count or a
// duration or on request, write every frame to a pcap file as it arrives (flushed per frame, so an interrupt
// or a crash loses nothing already captured) and hand each frame to the caller for incremental decoding.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "sim/core/result.hpp"

namespace wirestep {

struct LiveCaptureOptions {
  std::string interface;
  std::string bpf_filter;
  std::string write_path;  // empty: do not write
  std::uint32_t snaplen = 262144;
  std::optional<std::uint64_t> count;  // stop after this many frames
  std::optional<double> duration_s;    // stop after this long (wall clock: this is the real world)
  bool promiscuous = false;
};

struct LiveFrame {
  std::int64_t epoch_ns = 0;
  std::uint32_t caplen = 0;
  std::uint32_t len = 0;
  const std::uint8_t* data = nullptr;
  int dlt = 0;  // the interface's link type
};

struct LiveCaptureStats {
  std::uint64_t frames = 0;
  std::uint64_t dropped_by_kernel = 0;  // pcap_stats ps_drop
  int dlt = 0;
};

// Called for every frame, in capture order. Returning false stops the capture.
using LiveFrameSink = std::function<bool(const LiveFrame&)>;

// Blocks until done. `stop` (may be null) is polled so a signal handler or another thread can end the run.
// Errors name the interface and say what is needed ("permission denied: run as root or grant CAP_NET_RAW").
Result<LiveCaptureStats> run_live_capture(const LiveCaptureOptions& options, const LiveFrameSink& sink,
                                          const std::atomic<bool>* stop = nullptr);

}  // namespace wirestep
