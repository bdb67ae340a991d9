// Reads the frames of a pcapng file (or .ntar, the same format) without libpcap, block by block through
// the bounds-checked block reader (pcapng_blocks.hpp). libpcap opens a pcapng file as one link type and one
// snapshot length, so it refuses files whose interfaces differ (a TCP + USB capture loads as nothing) and
// files without an Interface Description Block; Wireshark reads both, and so does this.
//
// What it follows (draft-ietf-opsawg-pcapng): every Section Header Block starts a section with its own byte
// order and an empty interface list (§4.1); Interface Description Blocks add interfaces, numbered across
// the whole file in the order they come (tshark 4.0 numbers them per section); Enhanced, Simple and obsolete
// Packet Blocks hold frames (§4.3, §4.4, Appendix A), stamped with their interface's if_tsresol and
// if_tsoffset; other blocks are skipped. Reading stops at the first block it cannot trust (length, interface
// id, captured length), with `truncated` when the file simply ends inside it; every frame before it stays
// read.
//
// The file is read through a read-only mapped window that moves along (mapped_window.hpp); a frame's
// bytes point into it and are valid until the next call to next().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capture/mapped_window.hpp"
#include "capture/pcapng_blocks.hpp"
#include "sim/core/result.hpp"

namespace wirestep {

struct PcapngFrame {
  std::uint32_t interface = 0;  // index into PcapngReader::interfaces()
  std::int64_t epoch_ns = 0;
  std::uint32_t caplen = 0;      // bytes at `data`: the stored bytes, cut to the interface's snaplen
  std::uint32_t stored_len = 0;  // bytes the block holds
  std::uint32_t len = 0;         // bytes on the wire
  const std::uint8_t* data = nullptr;
  std::uint64_t data_offset = 0;  // file offset of the frame's first byte
};

struct PcapngInterface {
  int dlt = 0;  // libpcap's DLT value for the block's LINKTYPE_ value
  // The snapshot length frames are cut to: the block's, or libpcap's maximum for the link type when the
  // block gives none (0), as libpcap does, so a file both read gives the same frames.
  std::uint32_t snaplen = 0;
  std::uint32_t spb_snaplen = 0;  // as the block says: what a Simple Packet Block holds at most (§4.4)
  std::string name;
  std::uint32_t section = 0;  // counted from 0
  std::uint8_t tsresol = 6;
  std::int64_t tsoffset_s = 0;
};

class PcapngReader {
 public:
  explicit PcapngReader(std::string path);

  // Checks the first Section Header Block: an error (naming the file) when it is not a pcapng file we read.
  Result<bool> open();
  // The next frame; false at the end of the file or where reading stopped (read_error() says why).
  bool next(PcapngFrame& out);

  // Every interface seen so far, across sections.
  const std::vector<PcapngInterface>& interfaces() const { return interfaces_; }
  std::uint64_t position() const { return pos_; }  // where the next block starts
  std::uint64_t file_size() const { return file_.size(); }
  const std::string& read_error() const { return read_error_; }
  const std::string& read_error_zh() const { return read_error_zh_; }  // the same in 简体中文
  bool truncated() const { return truncated_; }
  std::uint64_t error_offset() const { return error_offset_; }  // the block reading stopped at

 private:
  bool stop(std::uint64_t at, const std::string& reason, const std::string& reason_zh,
            bool truncated = false);
  bool take_section(const pcapng::Block& b);
  bool take_interface(const pcapng::Block& b);
  bool take_packet(const pcapng::Block& b, PcapngFrame& out);

  std::string path_;
  MappedWindow file_;

  std::uint64_t pos_ = 0;
  bool big_endian_ = false;
  std::vector<PcapngInterface> interfaces_;
  std::vector<std::uint32_t> section_interfaces_;
  std::uint32_t sections_ = 0;  // the current section's interfaces, as file-wide indices
  bool done_ = false;
  bool truncated_ = false;
  std::string read_error_;
  std::string read_error_zh_;
  std::uint64_t error_offset_ = 0;
};

// libpcap's DLT_ value for a LINKTYPE_ value written in a file (they differ for a few old link types, e.g.
// LINKTYPE_RAW 101 is DLT_RAW 12 on Linux); see https://www.tcpdump.org/linktypes.html.
int dlt_for_linktype(std::uint32_t linktype);

}  // namespace wirestep
