#include "capture/pcap_records.hpp"

#include "capture/link_layer.hpp"

namespace wirestep {
namespace {

constexpr std::uint32_t kMicroMagic = 0xA1B2C3D4;
constexpr std::uint32_t kNanoMagic = 0xA1B23C4D;
constexpr std::uint64_t kFileHeaderLen = 24;
constexpr std::uint64_t kRecordHeaderLen = 16;

}  // namespace

PcapRecords::PcapRecords(const std::string& path, std::uint32_t magic, std::uint32_t snapshot, int dlt)
    : file_(path), snapshot_(snapshot) {
  const bool micro = magic == kMicroMagic || magic == __builtin_bswap32(kMicroMagic);
  const bool nano = magic == kNanoMagic || magic == __builtin_bswap32(kNanoMagic);
  big_endian_ = (magic >> 16) == 0xA1B2;
  if (nano) {
    fraction_ns_ = 1;
    fraction_limit_ = 1'000'000'000;
  }
  // Only link types whose frames libpcap hands over byte for byte (it rewrites USB and NFLOG pseudo-headers,
  // for instance), and only version 2.4 files: libpcap swaps the two lengths of older ones.
  const std::uint8_t* v = file_.view(4, 4);
  const auto u16 = [&](int at) { return big_endian_ ? (v[at] << 8 | v[at + 1]) : (v[at + 1] << 8 | v[at]); };
  usable_ = v && (micro || nano) && link_supported(dlt) && u16(0) == 2 && u16(2) >= 4;
  pos_ = kFileHeaderLen;
}

bool PcapRecords::next(Record& r) {
  if (!usable_) return false;
  const std::uint8_t* h = file_.view(pos_, kRecordHeaderLen);
  if (!h) return false;  // the end, or a header cut short: libpcap says which
  const auto u32 = [&](int at) {
    const std::uint32_t b = (std::uint32_t{h[at]} << 24) | (std::uint32_t{h[at + 1]} << 16) |
                            (std::uint32_t{h[at + 2]} << 8) | h[at + 3];
    return big_endian_ ? b : __builtin_bswap32(b);
  };
  const std::uint32_t sec = u32(0);
  const std::uint32_t fraction = u32(4);
  const std::uint32_t caplen = u32(8);
  const std::uint32_t len = u32(12);
  // Left to libpcap: records it would cut to the snapshot length, stamps it reads as negative (its seconds
  // are a signed 32-bit field) or fractions out of range (its scaling would overflow), and short records.
  if (caplen > snapshot_ || sec > 0x7FFF'FFFFu || fraction >= fraction_limit_) return false;
  const std::uint64_t data = pos_ + kRecordHeaderLen;
  const std::uint8_t* bytes = file_.view(data, caplen);
  if (!bytes) return false;
  r.epoch_ns = std::int64_t{sec} * 1'000'000'000 + std::int64_t{fraction} * fraction_ns_;
  r.caplen = caplen;
  r.len = len;
  r.data = bytes;
  r.data_offset = data;
  pos_ = data + caplen;
  return true;
}

}  // namespace wirestep
