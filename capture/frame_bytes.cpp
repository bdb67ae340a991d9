#include "capture/frame_bytes.hpp"

#include <array>
#include <filesystem>
#include <fstream>

#include "capture/capture_error.hpp"
#include "capture/pcapng_blocks.hpp"

namespace wirestep {
namespace {

// Larger than any link type's maximum snapshot length in libpcap (262144; 256 MiB for a few USB/D-Bus types
// is not supported here), so a bogus length is refused before anything is allocated.
constexpr std::uint32_t kMaxFrameLen = 16 * 1024 * 1024;

class FileView : public pcapng::ByteSource {
 public:
  explicit FileView(const std::string& path) : in_(path, std::ios::binary) {
    std::error_code ec;
    size_ = std::filesystem::file_size(path, ec);
    if (ec) size_ = 0;
  }
  bool ok() const { return static_cast<bool>(in_); }
  std::uint64_t size() const override { return size_; }
  bool read(std::uint64_t at, std::uint8_t* out, std::size_t n) override {
    if (at > size_ || n > size_ - at) return false;
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(at));
    in_.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(n));
    return static_cast<std::uint64_t>(in_.gcount()) == n;
  }

 private:
  std::ifstream in_;
  std::uint64_t size_ = 0;
};

Error at_offset(const std::string& path, std::uint64_t offset, std::string reason, std::string reason_zh) {
  return offset_error(path, offset, std::move(reason), std::move(reason_zh));
}

Error no_pcap_record(const std::string& path, std::uint64_t offset) {
  return at_offset(path, offset, "no pcap record header before this offset", "这个偏移之前没有 pcap 记录头");
}

Result<CapturedFrame> read_data(FileView& f, const std::string& path, std::uint64_t offset,
                                std::uint32_t caplen, std::uint32_t wire_len) {
  if (caplen > kMaxFrameLen)
    return at_offset(path, offset, "captured length " + std::to_string(caplen) + " is bogus",
                     "抓取长度 " + std::to_string(caplen) + " 不合理");
  CapturedFrame frame;
  frame.wire_len = wire_len;
  frame.bytes.resize(caplen);
  if (!f.read(offset, frame.bytes.data(), caplen))
    return at_offset(path, offset, "the file ends inside the frame (" + std::to_string(caplen) + " bytes)",
                     "文件在这一帧中间结束（帧长 " + std::to_string(caplen) + " 字节）");
  return frame;
}

// pcap: the 16-byte record header (ts_sec, ts_frac, caplen, len) sits right before the data.
Result<CapturedFrame> read_pcap(FileView& f, const std::string& path, std::uint64_t offset, bool big,
                                std::uint64_t header_len) {
  if (offset < 24 + header_len) return no_pcap_record(path, offset);
  const std::optional<std::uint32_t> caplen = f.u32(offset - header_len + 8, big);
  const std::optional<std::uint32_t> len = f.u32(offset - header_len + 12, big);
  if (!caplen || !len) return no_pcap_record(path, offset);
  return read_data(f, path, offset, *caplen, *len);
}

// pcapng: the offset is where a packet block's header ends. Step back to the block's start and let
// pcapng::read_block check it (both copies of its length); the section's byte order is not known here, so
// both are tried.
Result<CapturedFrame> read_pcapng(FileView& f, const std::string& path, std::uint64_t offset) {
  using namespace pcapng;
  for (bool big : {false, true}) {
    if (offset >= kEpbDataStart) {
      const Result<Block> b = read_block(f, path, offset - kEpbDataStart, big);
      if (b && (b->type == kEnhancedPacketBlock || b->type == kObsoletePacketBlock)) {
        const std::optional<PacketData> data = packet_data(f, *b);
        if (!data || data->captured_len > b->total_len - kEpbDataStart - 4)
          return at_offset(path, offset, "packet block length fields disagree", "数据包块的长度字段互相矛盾");
        return read_data(f, path, offset, data->captured_len, data->wire_len);
      }
    }
    if (offset >= kSpbDataStart) {
      const Result<Block> b = read_block(f, path, offset - kSpbDataStart, big);
      if (b && b->type == kSimplePacketBlock) {
        const std::optional<PacketData> data = packet_data(f, *b);
        if (!data) return at_offset(path, offset, "simple packet block too short", "简单数据包块太短");
        return read_data(f, path, offset, data->captured_len, data->wire_len);
      }
    }
  }
  return at_offset(path, offset, "no pcapng packet block ends its header at this offset",
                   "没有哪个 pcapng 数据包块的头部在这个偏移结束");
}

}  // namespace

Result<CapturedFrame> read_frame_bytes(const std::string& path, std::uint64_t offset) {
  FileView f(path);
  std::array<std::uint8_t, 4> magic{};
  if (!f.ok() || !f.read(0, magic.data(), 4)) return file_error(path, "cannot read the file", "无法读取文件");
  const auto is = [&](std::array<std::uint8_t, 4> m) { return magic == m; };
  // Magic numbers as bytes on disk: big-endian files start a1 b2, little-endian ones end b2 a1.
  if (is({0xa1, 0xb2, 0xc3, 0xd4}) || is({0xa1, 0xb2, 0x3c, 0x4d}))
    return read_pcap(f, path, offset, true, 16);
  if (is({0xd4, 0xc3, 0xb2, 0xa1}) || is({0x4d, 0x3c, 0xb2, 0xa1}))
    return read_pcap(f, path, offset, false, 16);
  if (is({0xa1, 0xb2, 0xcd, 0x34})) return read_pcap(f, path, offset, true, 24);
  if (is({0x34, 0xcd, 0xb2, 0xa1})) return read_pcap(f, path, offset, false, 24);
  if (f.u32(0, true) == pcapng::kSectionHeaderBlock) return read_pcapng(f, path, offset);
  return file_error(path, "not a pcap or pcapng file", "不是 pcap 或 pcapng 文件");
}

}  // namespace wirestep
