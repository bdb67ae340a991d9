// Where each frame libpcap returns from a pcap file sits in that file, so the Trace can store an offset
// instead of the bytes (pcapng files are read by pcapng_reader.hpp, which knows its own offsets).
//
// libpcap does not report offsets, and ftell() on its stream costs a system call per frame (glibc does not
// cache the position of a read stream). So this walks the file's record structure itself, in step with
// libpcap (one packet record per frame it returns), reading only record headers through a 1 MiB window of
// the file mapped read-only (no copy; the window moves along, so memory stays small): a 24-byte file
// header, then records of a 16-byte header (24 in the old "modified" format, magic 0xa1b2cd34) and the
// captured bytes. The header's own captured length says where the next record starts, even when libpcap
// returns fewer bytes (records longer than the file's snapshot length).
// If the walk meets something it cannot follow (libpcap would normally have stopped first), the remaining
// frames have no offset: the Trace stores kUnknownOffset and the inspector cannot re-read them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "capture/mapped_window.hpp"

namespace wirestep {

class FrameOffsets {
 public:
  // `magic`: the file's first four bytes, read big-endian. `first_record`: where the walk starts (after
  // records another reader took, pcap_records.hpp), by default after the file header.
  FrameOffsets(const std::string& path, std::uint32_t magic, std::uint64_t first_record = 24);

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
  MappedWindow file_;
  std::uint64_t pos_ = 0;
  bool big_endian_ = false;
  std::uint64_t record_header_len_ = 16;
  bool lost_ = false;  // the walk could not continue
};

}  // namespace wirestep
