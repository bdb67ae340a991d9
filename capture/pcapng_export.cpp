#include "capture/pcapng_export.hpp"

#include <cstdio>
#include <memory>
#include <vector>

#include "capture/capture_error.hpp"
#include "capture/pcapng_blocks.hpp"
#include "sim/trace/packet_bytes.hpp"

namespace wirestep {
namespace {

// pcapng blocks are written in the host's byte order; the SHB's byte-order magic tells readers which.
class BlockWriter {
 public:
  void u16(std::uint16_t v) { raw(&v, 2); }
  void u32(std::uint32_t v) { raw(&v, 4); }
  void bytes(const void* p, std::size_t n) { raw(p, n); }
  void pad32() {
    while (buf_.size() % 4) buf_.push_back(0);
  }
  // Option: code, length, value, padded to 32 bits (§3.5).
  void option(std::uint16_t code, const std::string& value) {
    u16(code);
    u16(static_cast<std::uint16_t>(value.size()));
    bytes(value.data(), value.size());
    pad32();
  }
  void end_of_options() {
    u16(0);
    u16(0);
  }
  // Wraps the body in type + total length (twice), and appends it to `out`.
  void finish(std::uint32_t type, std::vector<std::uint8_t>& out) const {
    const auto total = static_cast<std::uint32_t>(pcapng::kBlockOverhead + buf_.size());
    append(out, &type, 4);
    append(out, &total, 4);
    out.insert(out.end(), buf_.begin(), buf_.end());
    append(out, &total, 4);
  }

 private:
  void raw(const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    buf_.insert(buf_.end(), b, b + n);
  }
  static void append(std::vector<std::uint8_t>& out, const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    out.insert(out.end(), b, b + n);
  }
  std::vector<std::uint8_t> buf_;
};

constexpr std::uint16_t kOptComment = 1;
constexpr std::uint16_t kIfTsresol = 9;
constexpr std::uint16_t kShbUserAppl = 4;
constexpr std::uint16_t kLinkTypeEthernet = 1;
constexpr std::uint16_t kLinkTypeRaw = 101;

}  // namespace

std::string packet_comment(const Trace& trace, std::size_t index) {
  const PacketRecord p = trace.packet(index);
  const TraceFlow& f = trace.flows()[p.flow];
  auto rule = [&](std::uint16_t r) {
    return r && r <= trace.drop_rules().size() ? trace.drop_rules()[r - 1] : std::string("?");
  };
  std::string fate;
  switch (p.fate) {
    case Fate::Delivered:
      fate = "delivered at " + format_millis(p.arrive) + " ms";
      break;
    case Fate::DroppedByLink:
      fate = "dropped by " + rule(p.rule);
      break;
    case Fate::DroppedByQueue:
      fate = "dropped: " + rule(p.rule);
      break;
    case Fate::DroppedByHost:
      fate = "arrived at " + format_millis(p.arrive) + " ms, dropped by the receiving host" +
             (p.marks & mark::kCorrupted ? " (checksum error: " + rule(p.rule) + ")" : std::string());
      break;
    case Fate::InFlight:
      fate = "still in flight when the run ended";
      break;
    case Fate::Captured:
      fate = "captured";
      break;
  }
  std::string cause(to_string(p.cause));
  for (auto& c : cause)
    if (c == '-') c = ' ';
  if (f.proto == Transport::Tcp && p.payload_len > 0) {
    // Relative sequence numbers, like Wireshark's default display: payload_ref is the stream offset.
    cause +=
        " of seq " + std::to_string(p.payload_ref + 1) + "-" + std::to_string(p.payload_ref + p.payload_len);
  }
  if (p.marks & mark::kDuplicate) cause += " (a copy made by the link)";
  if (p.marks & mark::kReordered) fate += ", reordered by the link";
  return "wirestep: " + cause + "; " + fate;
}

Result<std::size_t> write_pcapng(const Trace& trace, const std::string& path,
                                 const PcapExportOptions& options) {
  return write_pcapng(trace, path, options, {});
}

Result<std::size_t> write_pcapng(const Trace& trace, const std::string& path,
                                 const PcapExportOptions& options, std::span<const std::string> comments) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!file) return file_error(path, "cannot open for writing", "无法打开文件写入");
  std::vector<std::uint8_t> out;
  {
    BlockWriter shb;
    shb.u32(pcapng::kByteOrderMagic);
    shb.u16(1);  // major version
    shb.u16(0);  // minor version
    const std::int64_t unknown_length = -1;
    shb.bytes(&unknown_length, 8);
    shb.option(kShbUserAppl, "wirestep (simulated run; comments give each packet's ground truth)");
    shb.end_of_options();
    shb.finish(pcapng::kSectionHeaderBlock, out);
  }
  {
    BlockWriter idb;
    idb.u16(options.link == LinkLayer::Ethernet ? kLinkTypeEthernet : kLinkTypeRaw);
    idb.u16(0);                                          // reserved
    idb.u32(65535);                                      // snaplen
    const std::string tsresol(1, static_cast<char>(9));  // 10^-9: nanoseconds
    idb.option(kIfTsresol, tsresol);
    idb.end_of_options();
    idb.finish(pcapng::kInterfaceDescriptionBlock, out);
  }
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    bytes.clear();
    rebuild_packet(trace, i, options.link, bytes);
    const std::uint64_t ts = static_cast<std::uint64_t>(options.epoch_seconds) * 1'000'000'000ULL +
                             static_cast<std::uint64_t>(trace.packet_times_ns()[i]);
    BlockWriter epb;
    epb.u32(0);  // interface 0
    epb.u32(static_cast<std::uint32_t>(ts >> 32));
    epb.u32(static_cast<std::uint32_t>(ts));
    epb.u32(static_cast<std::uint32_t>(bytes.size()));
    epb.u32(static_cast<std::uint32_t>(bytes.size()));
    epb.bytes(bytes.data(), bytes.size());
    epb.pad32();
    if (i < comments.size() && !comments[i].empty()) epb.option(kOptComment, comments[i]);
    epb.option(kOptComment, packet_comment(trace, i));
    epb.end_of_options();
    epb.finish(pcapng::kEnhancedPacketBlock, out);
    if (out.size() > (1u << 20)) {
      if (std::fwrite(out.data(), 1, out.size(), file.get()) != out.size())
        return file_error(path, std::string(kWriteFailed), std::string(kWriteFailedZh));
      out.clear();
    }
  }
  if (!out.empty() && std::fwrite(out.data(), 1, out.size(), file.get()) != out.size())
    return file_error(path, std::string(kWriteFailed), std::string(kWriteFailedZh));
  if (std::fflush(file.get()) != 0)
    return file_error(path, std::string(kWriteFailed), std::string(kWriteFailedZh));
  return trace.packet_count();
}

}  // namespace wirestep
