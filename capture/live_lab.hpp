// The live lab: real Linux TCP and UDP sockets doing the same workloads as the comparison scenarios, either
// on loopback or between two network namespaces joined by a veth pair, with nftables dropping packets on the
// data direction (random, or every n-th for a repeatable run). Everything is captured through libpcap, so a
// real run can sit next to a simulated one. The namespaces, the veth pair and the rules exist only for the
// run: they are removed on success, on error and on Ctrl-C.
//
// Addresses: 10.99.0.1 (namespace A, client) and 10.99.0.2 (namespace B, server) exist only inside our own
// namespaces; loopback mode uses 127.0.0.1. No traffic leaves the machine.
#pragma once

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <string>

#include "capture/live_capture.hpp"
#include "sim/analysis/lang.hpp"
#include "sim/core/result.hpp"
#include "sim/core/rng.hpp"

namespace wirestep {

struct LiveLabOptions {
  bool namespaces = true;  // false: loopback, no loss
  bool tcp = true;
  bool udp = true;
  Ppm loss = 0;                  // random loss A->B (nftables numgen random)
  std::uint32_t drop_every = 0;  // deterministic loss: every n-th packet A->B (numgen inc)
  std::uint64_t tcp_bytes = 1'000'000;
  std::uint32_t udp_messages = 200;
  std::uint32_t udp_size = 1000;
  std::uint32_t udp_interval_ms = 2;
  std::string write_path;  // the pcap of the run (required)
  double timeout_s = 60;
  // Called on the capture thread for every frame as it is captured (after it was written), so a caller can
  // show the run while it happens. Returning false stops the capture, not the run.
  LiveFrameSink on_frame;
  // Another thread sets it to end the run early; the children are ended and the namespaces removed all the
  // same. Without it, Ctrl-C (SIGINT, SIGTERM) does this.
  const std::atomic<bool>* cancel = nullptr;
  // The language of the progress lines (the English ones are parsed by tests: keep them byte for byte).
  Lang lang = Lang::En;
};

struct LiveLabResult {
  std::uint64_t tcp_bytes_sent = 0;
  std::uint64_t tcp_bytes_received = 0;
  std::string tcp_error;  // the client's or server's socket error, if any
  std::uint32_t udp_sent = 0;
  std::uint32_t udp_received = 0;  // distinct messages
  std::uint64_t frames = 0;
  std::string interface;  // where the capture ran
  std::string client;     // "10.99.0.1" or "127.0.0.1"
  std::string server;
};

Result<LiveLabResult> run_live_lab(const LiveLabOptions& options, std::ostream& progress);

// Removes namespaces left behind by a lab whose process no longer exists (e.g. killed with SIGKILL).
void remove_stale_lab_namespaces(std::ostream& progress, Lang lang = Lang::En);

}  // namespace wirestep
