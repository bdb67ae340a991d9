// Where each frame libpcap returns sits in its file, so the Trace can store an offset instead of the bytes.
//
// libpcap does not report offsets, but it reads the file sequentially through the stdio stream pcap_file()
// returns, so ftell() after pcap_next_ex() is the end of the record just read:
// - pcap: records are back to back, so a frame's data starts at the previous record's end plus the record
//   header (16 bytes; 24 in the old "modified" format with magic 0xa1b2cd34). libpcap may shorten the
//   caplen it reports (records longer than the snapshot length) but skips the rest on disk, so positions
//   stay exact.
// - pcapng (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html §3.1, §4.3-4.4): every block
//   repeats its total length in its last 4 bytes, so the block start is end - length; the data follows the
//   28-byte Enhanced Packet Block header (or the 12-byte Simple Packet Block header). Those 8 bytes are read
//   with pread() on a descriptor of our own, never through libpcap's stream.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "capture/capture_reader.hpp"

namespace wirestep {

class FrameOffsets {
 public:
  // `stream` is pcap_file() of the open handle, positioned just after the file header.
  FrameOffsets(std::FILE* stream, CaptureFormat format, std::uint32_t pcap_magic, const std::string& path);
  ~FrameOffsets();
  FrameOffsets(const FrameOffsets&) = delete;
  FrameOffsets& operator=(const FrameOffsets&) = delete;

  struct Location {
    std::optional<std::uint64_t> data_offset;  // the frame's first byte, if it can be told
    std::optional<std::uint32_t> stored_len;   // bytes the record holds on disk (libpcap may return fewer)
  };
  // After pcap_next_ex() returned a frame: where it is in the file.
  Location after_frame();
  // Where the record that could not be read begins (the end of the last one read).
  std::uint64_t next_record() const { return end_of_last_; }

 private:
  Location pcapng_location(std::uint64_t block_end);
  bool read_u32(std::uint64_t at, bool big_endian, std::uint32_t& out) const;

  std::FILE* stream_;
  CaptureFormat format_;
  std::uint64_t record_header_len_ = 16;
  std::uint64_t end_of_last_ = 0;
  int fd_ = -1;                // pcapng only: our own descriptor for pread()
  bool big_endian_ = false;    // pcapng: byte order of the current section
};

}  // namespace wirestep
