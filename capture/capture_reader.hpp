// Loads a pcap file through libpcap, or a pcapng file through the project's own block reader
// (pcapng_reader.hpp: interfaces of different link types and snapshot lengths, several sections), into a
// Trace: one Trace packet per frame, decoded by the same wire decoders the simulator uses (DESIGN.md "Wire
// format is shared").
//
// What it keeps: per frame only the Trace columns (no frame bytes); payload_ref holds the file offset of the
// frame's first byte so the inspector can re-read it (frame_bytes.hpp). Every frame becomes a packet: frames
// that are not IPv4/IPv6 TCP/UDP go to "other" flows (non-IP frames and unsupported link types share one),
// malformed ones are kept, marked mark::kMalformed and listed as decode errors with frame number, offset and
// reason. A file that ends mid-record keeps every frame before it and says so (`truncated`).
//
// Times: Trace times are ns since the first frame, clamped so they never go backwards (the Trace's
// invariant); the real time of each frame, and the first frame's wall-clock time, are reported beside it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/analysis/frame_info.hpp"
#include "sim/analysis/lang.hpp"
#include "sim/core/result.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

enum class CaptureFormat : std::uint8_t { Pcap, PcapNanosecond, Pcapng };
std::string_view to_string(CaptureFormat f);  // "pcap", "pcap-ns", "pcapng"

// One frame the decoder rejected (or could not read). Like Wireshark's "malformed", the frame stays in the
// Trace; this says why. `offset` is the byte offset in the file of the frame's first byte.
struct DecodeError {
  std::uint64_t frame = 0;  // 1-based
  std::uint64_t offset = 0;
  std::string reason;  // "byte 34: TCP header truncated: 12 of 20 bytes"
  std::string reason_zh;  // the same in 简体中文: "第 34 字节：TCP 头部被截断：只有 12 字节，应有 20 字节"

  const std::string& text(Lang lang) const {
    return lang == Lang::Zh && !reason_zh.empty() ? reason_zh : reason;
  }
};

// One capturing interface of the file: a pcap file has one, a pcapng file one per Interface Description
// Block, numbered across sections in file order (tshark numbers them per section: see `section`).
struct CaptureInterface {
  int dlt = 0;
  std::string link_type;  // libpcap's DLT name, "DLT 220" when it has none
  bool link_supported = false;
  std::uint32_t snaplen = 0;  // as the file says (0: none given)
  std::string name;           // pcapng if_name, else empty
  std::uint32_t section = 0;  // pcapng: the section (from 0) that declared it
  std::uint64_t frames = 0;   // frames read on it (after the filter, when there is one)
};

struct CaptureFileInfo {
  std::string path;
  CaptureFormat format = CaptureFormat::Pcap;
  // The first interface's link type (-1 and "none" for a pcapng file without interfaces). With several
  // link types, `link_type` names them all ("EN10MB + USB_LINUX_MMAPPED") and `interfaces` has each.
  int dlt = 0;
  std::string link_type;        // libpcap's DLT name: "EN10MB", "LINUX_SLL", ...
  bool link_supported = false;  // some interface's link type is decoded
  std::uint32_t snaplen = 0;    // the largest of the interfaces'
  std::vector<CaptureInterface> interfaces;
  std::int64_t first_frame_epoch_ns = 0;  // wall-clock time of frame 1 (UTC ns); 0 without frames

  std::uint64_t frames = 0;            // frames read (after the filter, when there is one)
  std::uint64_t file_frames = 0;       // records read from the file, before the filter
  std::uint64_t frames_cut_short = 0;  // the record holds fewer bytes than were on the wire (snapshot length)
  std::uint64_t frames_over_snaplen = 0;  // records longer than the file's snapshot length: libpcap keeps
                                          // only the first snaplen bytes (damaged or crafted files)
  std::uint64_t other_link_frames = 0;    // on a link type we do not decode
  std::uint64_t non_ip_frames = 0;        // on a supported link type, neither IPv4/IPv6 nor ARP (LLC, ...)
  std::uint64_t malformed_frames = 0;     // frames with a decode error
  std::uint64_t bad_checksums = 0;        // IPv4 header or TCP/UDP checksum wrong (often checksum offload)
  std::uint64_t fragments = 0;            // IPv4/IPv6 fragments (not reassembled)
  std::uint64_t time_went_backwards = 0;  // frames stamped earlier than the one before them

  // The first kMaxDecodeErrors malformed frames, then the record that could not be read (if reading stopped).
  std::vector<DecodeError> decode_errors;
  std::uint64_t decode_error_count = 0;
  static constexpr std::size_t kMaxDecodeErrors = 10'000;

  bool truncated = false;     // the file ends in the middle of a record
  std::string read_error;     // why reading stopped before the end of the file (libpcap's or the pcapng
                              // reader's message), else empty
  std::string read_error_zh;  // the same in 简体中文 (libpcap's English text after a Chinese sentence)

  const std::string& read_error_text(Lang lang) const {
    return lang == Lang::Zh && !read_error_zh.empty() ? read_error_zh : read_error;
  }

  std::uint32_t non_ip_flow = TraceFlow::kNoHost;  // the Trace flow holding non-IP frames, if any
  std::string filter;                              // the BPF filter applied, if any
  // Only with a filter: frame number of each Trace packet (without one, frame = packet index + 1).
  std::vector<std::uint32_t> frame_numbers;

  std::uint32_t frame_number(std::size_t packet) const {
    return frame_numbers.empty() ? static_cast<std::uint32_t>(packet + 1) : frame_numbers.at(packet);
  }
};

struct CaptureOptions {
  std::string bpf_filter;  // libpcap filter syntax; compiled against the file's link type
  // Every frame through the general decoder, none through the common-frame fast path
  // (capture/common_frame.hpp). The result is the same either way; tests compare the two.
  bool general_decoder_only = false;
  // Every pcap record through libpcap's pcap_next_ex, none straight from the mapped file
  // (capture/pcap_records.hpp). The result is the same either way; tests compare the two.
  bool force_libpcap = false;
};

struct LoadedCapture {
  Trace trace;
  CaptureFileInfo info;
};

// Called once per frame, after its packet was added to the Trace: lets the analysis run in the same pass.
using FrameSink = std::function<void(const PacketRecord&, const FrameInfo&)>;

// Errors (file missing, not a capture, bad filter, not one frame readable) are one message naming the file.
// A file that is read only in part is not an error: info.truncated / info.read_error say what happened, and
// what was read is kept. A pcapng file without interfaces is an empty capture, like an empty pcap.
Result<LoadedCapture> load_capture(const std::string& path, const CaptureOptions& options = {},
                                   const FrameSink& sink = {});

// One frame for the decoder: what libpcap returns for a record, and where its bytes sit in a file (when they
// sit in one) so the inspector can re-read them.
struct RawFrame {
  std::int64_t epoch_ns = 0;  // wall-clock capture time (UTC ns)
  std::uint32_t caplen = 0;   // bytes at `data`
  std::uint32_t len = 0;      // bytes on the wire
  const std::uint8_t* data = nullptr;
  std::uint32_t number = 0;                  // 1-based frame number
  std::optional<std::uint64_t> data_offset;  // file offset of the frame's first byte
  std::optional<std::uint32_t> stored_len;   // bytes the file's record holds (caplen when unknown)
  std::optional<int> dlt;                  // this frame's link type when the file has several, else info.dlt
  std::optional<std::uint32_t> interface;  // index into info.interfaces, counted there
};

// Decodes frames one at a time into a Trace, exactly as load_capture does for each record of a file. A live
// capture feeds it as frames arrive, so its Trace and the Trace of the pcap it wrote are the same.
// `info.dlt` must be set before the first frame that has no `dlt` of its own; `trace` and `info` must outlive
// the decoder.
class FrameDecoder {
 public:
  FrameDecoder(Trace& trace, CaptureFileInfo& info, FrameSink sink = {});
  ~FrameDecoder();
  FrameDecoder(const FrameDecoder&) = delete;
  FrameDecoder& operator=(const FrameDecoder&) = delete;

  void add(const RawFrame& frame);
  // Every frame through the general decoder (CaptureOptions::general_decoder_only).
  void use_general_decoder_only();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wirestep
