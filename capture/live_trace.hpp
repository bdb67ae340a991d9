// Live capture into a Trace, frame by frame, through the same decoder as the file loader (FrameDecoder), so a
// live capture and the pcap it wrote load into the same Trace (DESIGN.md "Wire format is shared").
//
// Three pieces, each usable alone:
// - LiveTraceBuilder appends one frame at a time to a Trace (on whichever thread owns that Trace);
// - LiveFrameQueue hands frames from the capture thread to that thread (copied into one byte arena, swapped
//   out whole, so a steady capture allocates nothing per frame);
// - LiveSource runs a capture (live_capture.hpp) or the live lab (live_lab.hpp) on a background thread,
//   feeding a queue, and stops and joins cleanly (the lab removes its namespaces whatever happens).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "capture/capture_reader.hpp"
#include "capture/live_capture.hpp"
#include "capture/live_lab.hpp"
#include "sim/core/result.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

class LiveTraceBuilder {
 public:
  // `trace` receives the packets and must outlive the builder. `pcap_written`: every frame is also written,
  // in order, to a pcap file by run_live_capture (24-byte file header, 16-byte record headers), so each
  // packet's payload_ref is the offset of its bytes in that file, as load_capture reports it, and the
  // inspector can re-read frames while the capture runs.
  LiveTraceBuilder(Trace& trace, bool pcap_written);
  LiveTraceBuilder(const LiveTraceBuilder&) = delete;
  LiveTraceBuilder& operator=(const LiveTraceBuilder&) = delete;

  // Decodes the frame and appends its packet; returns what the decoder learned about it.
  FrameInfo add(const LiveFrame& frame);

  struct Counts {
    std::uint64_t frames = 0;
    std::uint64_t tcp = 0;
    std::uint64_t udp = 0;
    std::uint64_t other = 0;      // not TCP or UDP (ICMP, ARP, ...)
    std::uint64_t malformed = 0;  // also counted above by what could be decoded
  };
  const Counts& counts() const { return counts_; }
  const CaptureFileInfo& info() const { return info_; }
  // Bytes of the pcap file that hold the frames added so far: copying this prefix of the file gives a
  // complete capture of exactly what the Trace shows, even while the capture goes on writing.
  std::uint64_t pcap_bytes() const { return pcap_bytes_; }

  static constexpr std::uint64_t kPcapFileHeader = 24;
  static constexpr std::uint64_t kPcapRecordHeader = 16;

 private:
  CaptureFileInfo info_;
  FrameDecoder decoder_;
  bool pcap_written_;
  std::uint64_t pcap_bytes_ = kPcapFileHeader;
  Counts counts_;
  FrameInfo last_;
};

// Copies the first `bytes` bytes of `from` to `to` (replacing it): how "save what was captured so far"
// takes a consistent capture from a pcap that is still being written.
Status copy_file_prefix(const std::string& from, const std::string& to, std::uint64_t bytes);

class LiveFrameQueue {
 public:
  struct Batch {
    struct Header {
      std::int64_t epoch_ns;
      std::uint32_t caplen;
      std::uint32_t len;
      int dlt;
      std::size_t offset;  // into bytes
    };
    std::vector<Header> headers;
    std::vector<std::uint8_t> bytes;

    std::size_t size() const { return headers.size(); }
    LiveFrame frame(std::size_t i) const;  // points into `bytes`: valid until the batch changes
    void clear() {
      headers.clear();
      bytes.clear();
    }
  };

  // Capture thread: copies the frame in.
  void push(const LiveFrame& frame);
  // Consumer: moves every waiting frame into `out` (cleared first); `out`'s buffers are recycled for the
  // next frames, so steady operation allocates nothing.
  void take(Batch& out);

 private:
  std::mutex mutex_;
  Batch waiting_;
};

// What a LiveSource is doing, copied out under its lock. `version` changes with every change of the texts
// or of `running`, so a reader copies the rest only when it changed.
struct LiveSourceStatus {
  std::uint64_t version = 0;
  bool running = false;
  bool lab = false;
  std::string what;      // "lo (udp port 53)", "live lab on loopback"
  std::string error;     // why it stopped early, empty otherwise
  std::string progress;  // the lab's progress lines, then its result
  std::optional<LiveLabResult> lab_result;
  std::uint64_t dropped_by_kernel = 0;
};

class LiveSource {
 public:
  // `pcap_path`: where the capture writes its pcap as it goes; removed when the source is destroyed (the
  // caller copies it to keep it: copy_file_prefix).
  explicit LiveSource(std::string pcap_path);
  ~LiveSource();  // stops and joins
  LiveSource(const LiveSource&) = delete;
  LiveSource& operator=(const LiveSource&) = delete;

  // Start at most once. The options' write path, sink and stop flag are the source's own.
  void start_capture(LiveCaptureOptions options);
  void start_lab(LiveLabOptions options);
  // Asks the thread to stop and waits for it: the capture closes, the lab's children are ended and its
  // namespaces removed. Frames already captured stay in the queue.
  void stop();

  LiveFrameQueue& frames() { return queue_; }
  const std::string& pcap_path() const { return pcap_path_; }
  std::uint64_t status_version() const { return version_.load(); }
  LiveSourceStatus status() const;
  bool running() const;

 private:
  void finish(std::string error, std::optional<LiveLabResult> lab, std::uint64_t dropped);
  void append_progress(const std::string& text);
  friend class LiveProgressBuffer;

  std::string pcap_path_;
  LiveFrameQueue queue_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> version_{0};
  mutable std::mutex mutex_;
  LiveSourceStatus status_;
  std::thread thread_;
};

}  // namespace wirestep
