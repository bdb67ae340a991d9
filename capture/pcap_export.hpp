// Writes a Trace as a pcap file through libpcap (pcap_dump), so Wireshark and tshark open simulated runs
// exactly as they open captures. Each packet is rebuilt from the Trace (sim/trace/packet_bytes.hpp).
#pragma once

#include <cstdint>
#include <string>

#include "sim/core/result.hpp"
#include "sim/trace/packet_bytes.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

struct PcapExportOptions {
  LinkLayer link = LinkLayer::Ethernet;
  // Wall-clock instant that simulated time 0 maps to (UTC seconds). Fixed, so exports are byte-identical.
  std::int64_t epoch_seconds = 1'767'225'600;  // 2026-01-01T00:00:00Z
  bool nanosecond = true;                      // nanosecond-resolution pcap (magic 0xa1b23c4d)
};

// Writes every packet a host put on a wire, in send order, stamped with its send time (a capture taken at the
// sender's interface), including copies the link duplicated. Returns the number of packets written.
Result<std::size_t> write_pcap(const Trace& trace, const std::string& path,
                               const PcapExportOptions& options = {});

}  // namespace wirestep
