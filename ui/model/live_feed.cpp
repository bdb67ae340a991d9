#include "ui/model/live_feed.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

namespace wirestep {

LiveFeed::LiveFeed() = default;

LiveFeed::~LiveFeed() {
  drop();
}

Document LiveFeed::new_document(const std::string& what) {
  Document d;
  d.capture = true;
  d.source = what;
  d.title = d.title_zh = what;
  auto lt = std::make_unique<LoadedTrace>();
  lt->capture_path = (std::filesystem::temp_directory_path() / ("wirestep-live-" + std::to_string(getpid()) +
                                                                "-" + std::to_string(++sessions_) + ".pcap"))
                         .string();
  d.traces.push_back(std::move(lt));
  return d;
}

void LiveFeed::begin(Document& doc) {
  drop();
  LoadedTrace& lt = *doc.traces.at(0);
  source_ = std::make_unique<LiveSource>(lt.capture_path);
  builder_ = std::make_unique<LiveTraceBuilder>(lt.trace, true);
  status_ = LiveSourceStatus{};
}

void LiveFeed::start_capture(Document& doc, const LiveCaptureOptions& options) {
  begin(doc);
  lab_options_.reset();
  source_->start_capture(options);
  status_ = source_->status();
}

void LiveFeed::start_lab(Document& doc, const LiveLabOptions& options) {
  begin(doc);
  lab_options_ = options;
  source_->start_lab(options);
  status_ = source_->status();
}

LivePoll LiveFeed::poll(Document& doc) {
  LivePoll out;
  if (!source_) return out;
  const bool was_running = status_.running;
  if (source_->status_version() != status_.version) status_ = source_->status();
  // The thread queues its last frame before it reports the end, so these are all the frames there are.
  source_->frames().take(batch_);
  if (batch_.size() > 0) {
    LoadedTrace& lt = *doc.traces.at(0);
    const std::size_t first = lt.trace.packet_count();
    for (std::size_t i = 0; i < batch_.size(); ++i) builder_->add(batch_.frame(i));
    lt.capture_ethernet = builder_->info().dlt == 1;  // DLT_EN10MB
    extend_capture_index(lt, first);
    // Capture times start at the first frame and never go backwards (capture_reader.hpp).
    const auto times = lt.trace.packet_times_ns();
    doc.begin_ns = times.front();
    doc.end_ns = doc.focus_end_ns = std::max(times.back() + lt.max_flight_ns, doc.begin_ns + 1);
    out.grew = true;
  }
  out.ended = was_running && !status_.running;
  return out;
}

LivePoll LiveFeed::stop(Document& doc) {
  if (!source_) return {};
  source_->stop();
  return poll(doc);
}

void LiveFeed::drop() {
  if (!source_) return;
  source_->stop();
  builder_.reset();
  source_.reset();
  status_ = LiveSourceStatus{};
}

Status LiveFeed::save_so_far(const std::string& path) const {
  if (!source_ || !builder_) return Error{path, "", "no live capture"};
  return copy_file_prefix(source_->pcap_path(), path, builder_->pcap_bytes());
}

}  // namespace wirestep
