// Test helpers for the wire-format suites: a minimal, bounds-checked reader for classic pcap files
// (no libpcap), the corpus location, and a seeded xorshift generator for mutation tests.
// The pcap layout is the libpcap "savefile" format: a 24-byte global header, then 16-byte record headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.hpp"

namespace wirestep::test {

inline constexpr std::uint32_t kLinkTypeEthernet = 1;

// Path of a file in the shared corpus; WIRESTEP_CORPUS_DIR is set by tests/CMakeLists.txt.
inline std::string corpus_path(std::string_view name) {
  return std::string(WIRESTEP_CORPUS_DIR) + "/tcpdump/" + std::string(name);
}

struct PcapFrame {
  std::size_t number = 0;       // 1-based, as tcpdump and Wireshark count
  std::size_t file_offset = 0;  // of the record header
  std::uint32_t orig_len = 0;
  std::vector<std::uint8_t> bytes;  // caplen bytes
  bool fully_captured() const { return bytes.size() == orig_len; }
};

struct PcapFile {
  std::uint32_t link_type = 0;
  std::uint32_t snaplen = 0;
  bool nanosecond = false;
  std::vector<PcapFrame> frames;
};

namespace detail {
inline std::uint32_t load_u32(const std::uint8_t* p, bool little) {
  if (little)
    return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
           (std::uint32_t{p[3]} << 24);
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}
}  // namespace detail

// Parses a classic pcap image; every length is checked before it is used and no caplen is trusted.
inline Result<PcapFile> parse_classic_pcap(const std::vector<std::uint8_t>& data, const std::string& name) {
  constexpr std::size_t kGlobalHeaderLen = 24;
  constexpr std::size_t kRecordHeaderLen = 16;
  constexpr std::uint32_t kMaxCaplen = 262144;  // libpcap's MAXIMUM_SNAPLEN
  if (data.size() < kGlobalHeaderLen)
    return Error{name, "offset 0",
                 "pcap global header truncated: " + std::to_string(data.size()) + " of 24 bytes"};
  PcapFile file;
  bool little = false;
  const std::uint32_t magic_le = detail::load_u32(data.data(), true);
  if (magic_le == 0xA1B2C3D4 || magic_le == 0xA1B23C4D) {
    little = true;
    file.nanosecond = magic_le == 0xA1B23C4D;
  } else {
    const std::uint32_t magic_be = detail::load_u32(data.data(), false);
    if (magic_be != 0xA1B2C3D4 && magic_be != 0xA1B23C4D)
      return Error{name, "offset 0", "not a classic pcap file (magic " + std::to_string(magic_be) + ")"};
    file.nanosecond = magic_be == 0xA1B23C4D;
  }
  file.snaplen = detail::load_u32(data.data() + 16, little);
  file.link_type = detail::load_u32(data.data() + 20, little) & 0x0FFFFFFF;  // upper bits: FCS length flags
  std::size_t pos = kGlobalHeaderLen;
  // Bounded: each record consumes at least 16 bytes.
  while (pos < data.size()) {
    const std::size_t number = file.frames.size() + 1;
    const std::string where = "frame " + std::to_string(number) + " (offset " + std::to_string(pos) + ")";
    if (data.size() - pos < kRecordHeaderLen)
      return Error{name, where,
                   "record header truncated: " + std::to_string(data.size() - pos) + " of 16 bytes"};
    const std::uint32_t caplen = detail::load_u32(data.data() + pos + 8, little);
    const std::uint32_t orig_len = detail::load_u32(data.data() + pos + 12, little);
    if (caplen > kMaxCaplen)
      return Error{name, where, "captured length " + std::to_string(caplen) + " exceeds 262144"};
    if (data.size() - pos - kRecordHeaderLen < caplen)
      return Error{name, where,
                   "record data truncated: " + std::to_string(data.size() - pos - kRecordHeaderLen) + " of " +
                       std::to_string(caplen) + " bytes"};
    PcapFrame frame;
    frame.number = number;
    frame.file_offset = pos;
    frame.orig_len = orig_len;
    const auto first = data.begin() + static_cast<std::ptrdiff_t>(pos + kRecordHeaderLen);
    frame.bytes.assign(first, first + static_cast<std::ptrdiff_t>(caplen));
    file.frames.push_back(std::move(frame));
    pos += kRecordHeaderLen + caplen;
  }
  return file;
}

inline Result<PcapFile> read_classic_pcap(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path, "", "cannot open file"};
  std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Error{path, "", "read error"};
  return parse_classic_pcap(data, path);
}

// xorshift64 (Marsaglia 2003): tiny, portable, and the same sequence on every standard library.
class XorShift64 {
 public:
  explicit XorShift64(std::uint64_t seed) : state_(seed == 0 ? 0x9E3779B97F4A7C15ull : seed) {}
  std::uint64_t next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }
  // In [0, bound); the modulo bias is irrelevant for test input.
  std::uint64_t below(std::uint64_t bound) { return bound == 0 ? 0 : next() % bound; }
  std::uint8_t byte() { return static_cast<std::uint8_t>(next() >> 56); }

 private:
  std::uint64_t state_;
};

}  // namespace wirestep::test
