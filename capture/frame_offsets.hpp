// Where each frame libpcap returns sits in its file, so the Trace can store an offset instead of the bytes.
//
// libpcap does not report offsets, and ftell() on its stream costs a system call per frame (glibc does not
// cache the position of a read stream). So this walks the file's record structure itself, in step with
// libpcap (one packet record per frame it returns), reading only record headers through a 1 MiB window of
// the file mapped read-only (no copy; the window moves along, so memory stays small):
// - pcap: a 24-byte file header, then records of a 16-byte header (24 in the old "modified" format, magic
//   0xa1b2cd34) and the captured bytes. The header's own captured length says where the next record starts,
//   even when libpcap returns fewer bytes (records longer than the file's snapshot length).
// - pcapng (draft-ietf-opsawg-pcapng §3-4): blocks read by pcapng::read_block (pcapng_blocks.hpp). Enhanced
//   and obsolete Packet Blocks hold data after a 28-byte header, Simple Packet Blocks after 12 bytes; other
//   blocks (section and interface headers, statistics, name resolution, custom) are skipped. A Section
//   Header Block sets the byte order of what follows.
// If the walk meets something it cannot follow (libpcap would normally have stopped first), the remaining
// frames have no offset: the Trace stores kUnknownOffset and the inspector cannot re-read them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "capture/capture_reader.hpp"
#include "capture/pcapng_blocks.hpp"

namespace wirestep {

class FrameOffsets : private pcapng::ByteSource {
 public:
  FrameOffsets(const std::string& path, CaptureFormat format, std::uint32_t magic);
  ~FrameOffsets();
  FrameOffsets(const FrameOffsets&) = delete;
  FrameOffsets& operator=(const FrameOffsets&) = delete;

  struct Location {
    std::optional<std::uint64_t> data_offset;  // the frame's first byte
    std::optional<std::uint32_t> stored_len;   // bytes the record holds (libpcap may return fewer)
  };
  // The next packet record: call once for each frame pcap_next_ex() returns.
  Location next_frame();
  // Where the record after the last one returned begins (where an unreadable record starts).
  std::uint64_t next_record() const { return pos_; }
  // The walk and libpcap disagree (libpcap returned more bytes than the record holds): stop giving offsets.
  void lose() { lost_ = true; }

 private:
  std::uint64_t size() const override { return file_size_; }
  bool read(std::uint64_t at, std::uint8_t* out, std::size_t n) override;
  bool available(std::uint64_t at, std::uint64_t n);
  void unmap();
  Location next_pcap();
  Location next_pcapng();

  std::string path_;  // for pcapng::read_block's messages
  CaptureFormat format_;
  int fd_ = -1;
  std::uint64_t file_size_ = 0;
  const std::uint8_t* window_ = nullptr;  // mapped [window_start_, window_start_ + window_len_)
  std::uint64_t window_start_ = 0;
  std::uint64_t window_len_ = 0;
  std::uint64_t pos_ = 0;
  bool big_endian_ = false;
  std::uint64_t record_header_len_ = 16;
  bool lost_ = false;  // the walk could not continue
};

}  // namespace wirestep
