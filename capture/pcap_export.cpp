#include "capture/pcap_export.hpp"

#include <pcap/pcap.h>

#include <memory>
#include <vector>

#include "capture/capture_error.hpp"

namespace wirestep {

Result<std::size_t> write_pcap(const Trace& trace, const std::string& path,
                               const PcapExportOptions& options) {
  const int dlt = options.link == LinkLayer::Ethernet ? DLT_EN10MB : DLT_RAW;
  const unsigned precision = options.nanosecond ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO;
  std::unique_ptr<pcap_t, decltype(&pcap_close)> dead(
      pcap_open_dead_with_tstamp_precision(dlt, 65535, precision), &pcap_close);
  if (!dead) return file_error(path, "libpcap could not create a writer", "libpcap 无法创建写入器");
  std::unique_ptr<pcap_dumper_t, decltype(&pcap_dump_close)> dumper(pcap_dump_open(dead.get(), path.c_str()),
                                                                    &pcap_dump_close);
  if (!dumper)
    return file_error(path, std::string("cannot write pcap: ") + pcap_geterr(dead.get()),
                      libpcap_zh("无法写入 pcap 文件", pcap_geterr(dead.get())));

  std::vector<std::uint8_t> bytes;
  std::size_t written = 0;
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    bytes.clear();
    rebuild_packet(trace, i, options.link, bytes);
    const std::int64_t t_ns = trace.packet_times_ns()[i];
    pcap_pkthdr hdr{};
    hdr.ts.tv_sec = options.epoch_seconds + t_ns / 1'000'000'000;
    // libpcap reads tv_usec as nanoseconds when the dumper was opened with nanosecond precision.
    hdr.ts.tv_usec = options.nanosecond ? t_ns % 1'000'000'000 : (t_ns % 1'000'000'000) / 1'000;
    hdr.caplen = hdr.len = static_cast<bpf_u_int32>(bytes.size());
    pcap_dump(reinterpret_cast<u_char*>(dumper.get()), &hdr, bytes.data());
    ++written;
  }
  if (pcap_dump_flush(dumper.get()) != 0)
    return file_error(path, std::string(kWriteFailed), std::string(kWriteFailedZh));
  return written;
}

}  // namespace wirestep
