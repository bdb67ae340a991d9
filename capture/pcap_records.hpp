// The packet records of a classic pcap file, read straight from a mapped window of the file (no copy, no
// system call per record) for the common case, leaving every unusual record to libpcap.
//
// Why: libpcap's pcap_next_ex copies each record out of a stdio buffer, and the offset walk
// (frame_offsets.hpp) read the record headers a second time; on a 2-million-frame capture that was a third
// of the loading thread. Why not read everything ourselves: libpcap's handling of odd files (records longer
// than the snapshot length, swapped or "maybe swapped" lengths of version 2.3 files, pseudo-headers it
// rewrites for some link types, timestamps past 2038, the error texts people see) is what users compare
// against. So this reader takes a record only when libpcap would return it unchanged, and stops at the
// first one it would not: the caller seeks libpcap's stream there (pcap_file) and carries on with
// pcap_next_ex, so the frames, the errors and their texts are libpcap's whatever the file holds.
#pragma once

#include <cstdint>
#include <string>

#include "capture/mapped_window.hpp"

namespace wirestep {

class PcapRecords {
 public:
  // `magic`: the file's first four bytes read big-endian. `snapshot`: pcap_snapshot() of libpcap's handle
  // (the file's snapshot length as libpcap corrected it). `dlt`: pcap_datalink().
  PcapRecords(const std::string& path, std::uint32_t magic, std::uint32_t snapshot, int dlt);

  // False when libpcap must read the whole file (a format or link type this reader leaves to it).
  bool usable() const { return usable_; }

  struct Record {
    std::int64_t epoch_ns = 0;  // as libpcap opened with PCAP_TSTAMP_PRECISION_NANO reports it
    std::uint32_t caplen = 0;
    std::uint32_t len = 0;
    const std::uint8_t* data = nullptr;  // valid until the next call
    std::uint64_t data_offset = 0;       // in the file
  };
  // The next record when libpcap would return it unchanged; false at the end of the file or at a record
  // for libpcap (position() says where it starts).
  bool next(Record& r);
  std::uint64_t position() const { return pos_; }
  bool at_end() const { return pos_ == file_.size(); }

 private:
  MappedWindow file_;
  std::uint64_t pos_ = 24;  // after the file header
  std::uint32_t snapshot_ = 0;
  std::int64_t fraction_ns_ = 1000;  // ns per unit of the record's fraction field
  std::uint32_t fraction_limit_ = 1'000'000;
  bool big_endian_ = false;
  bool usable_ = false;
};

}  // namespace wirestep
