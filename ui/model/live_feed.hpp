// A live capture, or the live lab, growing the open document while it runs (the Live tab). The capture runs
// on a thread (capture/live_trace.hpp's LiveSource) that writes a pcap file and queues the frames; poll(),
// called every frame, decodes the queued frames into the document's one Trace and extends its indexes over
// them, never re-indexing. The source is kept after it stops: the pcap it wrote backs the inspector and
// "Save pcap", and goes away with it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "capture/live_trace.hpp"
#include "sim/core/result.hpp"
#include "ui/model/document.hpp"

namespace wirestep {

// What one poll changed.
struct LivePoll {
  bool grew = false;   // new packets are in the document
  bool ended = false;  // the capture stopped since the last poll (on its own, on error, or when asked)
};

class LiveFeed {
 public:
  LiveFeed();
  ~LiveFeed();  // stops the capture (the lab removes its namespaces)
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  // An empty capture document titled `what`, whose one Trace a start fills, with the temporary pcap file the
  // capture will write.
  Document new_document(const std::string& what);
  // Start capturing into `doc` (made by new_document and kept where it is until drop()).
  void start_capture(Document& doc, const LiveCaptureOptions& options);
  void start_lab(Document& doc, const LiveLabOptions& options);

  // Takes the frames captured since the last call into `doc`: its Trace, indexes and time range.
  LivePoll poll(Document& doc);
  // Stops the capture and takes its last frames; what was captured stays.
  LivePoll stop(Document& doc);
  // Stops and forgets the source, and its pcap file (another document replaced the live one).
  void drop();

  bool active() const { return source_ != nullptr; }  // the open document is (or was) live
  bool running() const { return source_ && status_.running; }
  const LiveSourceStatus& status() const { return status_; }
  // The live lab's settings while it runs (the Live tab shows them); nullopt for an interface capture.
  const std::optional<LiveLabOptions>& lab_options() const { return lab_options_; }
  const LiveTraceBuilder::Counts* counts() const { return builder_ ? &builder_->counts() : nullptr; }
  // Writes what has been captured so far (exactly the frames the document shows) as a pcap file.
  Status save_so_far(const std::string& path) const;

 private:
  void begin(Document& doc);

  std::unique_ptr<LiveSource> source_;
  std::unique_ptr<LiveTraceBuilder> builder_;
  LiveFrameQueue::Batch batch_;  // reused
  LiveSourceStatus status_;
  std::optional<LiveLabOptions> lab_options_;
  std::uint64_t sessions_ = 0;  // numbers the temporary pcap files
};

}  // namespace wirestep
