#include "capture/frame_bytes.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>

namespace wirestep {
namespace {

// Larger than any link type's maximum snapshot length in libpcap (262144; 256 MiB for a few USB/D-Bus types
// is not supported here), so a bogus length is refused before anything is allocated.
constexpr std::uint32_t kMaxFrameLen = 16 * 1024 * 1024;

class FileView {
 public:
  explicit FileView(const std::string& path) : in_(path, std::ios::binary) {
    std::error_code ec;
    size_ = std::filesystem::file_size(path, ec);
    if (ec) size_ = 0;
  }
  bool ok() const { return static_cast<bool>(in_); }
  std::uint64_t size() const { return size_; }
  bool read(std::uint64_t at, void* out, std::uint64_t n) {
    if (at > size_ || n > size_ - at) return false;
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(at));
    in_.read(static_cast<char*>(out), static_cast<std::streamsize>(n));
    return static_cast<std::uint64_t>(in_.gcount()) == n;
  }
  bool u32(std::uint64_t at, bool big, std::uint32_t& out) {
    std::array<std::uint8_t, 4> b{};
    if (!read(at, b.data(), 4)) return false;
    out = big ? (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3]
              : (std::uint32_t{b[3]} << 24) | (std::uint32_t{b[2]} << 16) | (std::uint32_t{b[1]} << 8) | b[0];
    return true;
  }

 private:
  std::ifstream in_;
  std::uint64_t size_ = 0;
};

Error at_offset(const std::string& path, std::uint64_t offset, std::string reason) {
  return Error{path, "offset " + std::to_string(offset), std::move(reason)};
}

Result<CapturedFrame> read_data(FileView& f, const std::string& path, std::uint64_t offset,
                                std::uint32_t caplen, std::uint32_t wire_len) {
  if (caplen > kMaxFrameLen)
    return at_offset(path, offset, "captured length " + std::to_string(caplen) + " is bogus");
  CapturedFrame frame;
  frame.wire_len = wire_len;
  frame.bytes.resize(caplen);
  if (!f.read(offset, frame.bytes.data(), caplen))
    return at_offset(path, offset, "the file ends inside the frame (" + std::to_string(caplen) + " bytes)");
  return frame;
}

// pcap: the 16-byte record header (ts_sec, ts_frac, caplen, len) sits right before the data.
Result<CapturedFrame> read_pcap(FileView& f, const std::string& path, std::uint64_t offset, bool big,
                                std::uint64_t header_len) {
  std::uint32_t caplen = 0, len = 0;
  if (offset < 24 + header_len || !f.u32(offset - header_len + 8, big, caplen) ||
      !f.u32(offset - header_len + 12, big, len))
    return at_offset(path, offset, "no pcap record header before this offset");
  return read_data(f, path, offset, caplen, len);
}

// pcapng: a block whose total length is repeated at its end; check both copies before trusting it.
bool block_at(FileView& f, std::uint64_t start, bool big, std::uint32_t want_type, std::uint32_t& len) {
  std::uint32_t type = 0, trailer = 0;
  return f.u32(start, big, type) && type == want_type && f.u32(start + 4, big, len) && len >= 12 &&
         len % 4 == 0 && f.u32(start + len - 4, big, trailer) && trailer == len;
}

Result<CapturedFrame> read_pcapng(FileView& f, const std::string& path, std::uint64_t offset) {
  for (bool big : {false, true}) {
    std::uint32_t len = 0;
    if (offset >= 28) {
      const std::uint64_t start = offset - 28;
      for (std::uint32_t type : {6u, 2u}) {  // Enhanced Packet Block, obsolete Packet Block
        if (!block_at(f, start, big, type, len)) continue;
        std::uint32_t caplen = 0, wire_len = 0;
        if (!f.u32(offset - 8, big, caplen) || !f.u32(offset - 4, big, wire_len) || len < 32 ||
            caplen > len - 32)
          return at_offset(path, offset, "packet block length fields disagree");
        return read_data(f, path, offset, caplen, wire_len);
      }
    }
    if (offset >= 12 &&
        block_at(f, offset - 12, big, 3u, len)) {  // Simple Packet Block: data fills the block
      std::uint32_t wire_len = 0;
      if (!f.u32(offset - 4, big, wire_len) || len < 16)
        return at_offset(path, offset, "simple packet block too short");
      return read_data(f, path, offset, std::min(wire_len, len - 16), wire_len);
    }
  }
  return at_offset(path, offset, "no pcapng packet block ends its header at this offset");
}

}  // namespace

Result<CapturedFrame> read_frame_bytes(const std::string& path, std::uint64_t offset) {
  FileView f(path);
  std::array<std::uint8_t, 4> magic{};
  if (!f.ok() || !f.read(0, magic.data(), 4)) return Error{path, "", "cannot read the file"};
  const auto is = [&](std::array<std::uint8_t, 4> m) { return magic == m; };
  // Magic numbers as bytes on disk: big-endian files start a1 b2, little-endian ones end b2 a1.
  if (is({0xa1, 0xb2, 0xc3, 0xd4}) || is({0xa1, 0xb2, 0x3c, 0x4d}))
    return read_pcap(f, path, offset, true, 16);
  if (is({0xd4, 0xc3, 0xb2, 0xa1}) || is({0x4d, 0x3c, 0xb2, 0xa1}))
    return read_pcap(f, path, offset, false, 16);
  if (is({0xa1, 0xb2, 0xcd, 0x34})) return read_pcap(f, path, offset, true, 24);
  if (is({0x34, 0xcd, 0xb2, 0xa1})) return read_pcap(f, path, offset, false, 24);
  if (is({0x0a, 0x0d, 0x0d, 0x0a})) return read_pcapng(f, path, offset);
  return Error{path, "", "not a pcap or pcapng file"};
}

}  // namespace wirestep
