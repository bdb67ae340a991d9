// The App's live document: a capture or the live lab feeding the open document as frames arrive
// (the Live tab), and the view following the newest packet.
#include "ui/gui/app.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>

namespace wirestep::gui {

// A new, empty capture document that the live source fills; the source itself is started by the caller.
void App::begin_live_document(const std::string& what) {
  drop_live();
  Document d;
  d.capture = true;
  d.source = what;
  d.title = d.title_zh = what;
  auto lt = std::make_unique<LoadedTrace>();
  const std::string pcap =
      (std::filesystem::temp_directory_path() /
       ("wirestep-live-" + std::to_string(getpid()) + "-" + std::to_string(++live_sessions_) + ".pcap"))
          .string();
  lt->capture_path = pcap;
  d.traces.push_back(std::move(lt));
  error_.clear();
  finish_load(std::move(d));
  live_ = std::make_unique<LiveSource>(pcap);
  live_builder_ = std::make_unique<LiveTraceBuilder>(doc_.traces[0]->trace, true);
  live_generation_ = doc_.generation;
  live_status_ = LiveSourceStatus{};
  live_message_.clear();
  live_follow_ = true;
  live_select_tab_ = true;
  // The first second of capture fills the view; after that it scrolls with the newest packet.
  view_.view_begin_ns = -40'000'000;
  view_.view_end_ns = 1'000'000'000;
}

void App::start_live_capture(const LiveCaptureOptions& options) {
  begin_live_document("live: " + options.interface);
  live_lab_options_.reset();
  live_->start_capture(options);
  live_status_ = live_->status();
}

void App::start_live_lab(const LiveLabOptions& options) {
  begin_live_document(options.namespaces ? "live lab: namespaces" : "live lab: loopback");
  live_lab_options_ = options;
  live_->start_lab(options);
  live_status_ = live_->status();
}

void App::stop_live() {
  if (!live_) return;
  live_->stop();
  poll_live();  // the last frames, and the final status
}

void App::drop_live() {
  if (!live_) return;
  live_->stop();
  live_builder_.reset();
  live_.reset();
  live_status_ = LiveSourceStatus{};
}

void App::poll_live() {
  if (!live_) return;
  const bool was_running = live_status_.running;
  if (live_->status_version() != live_status_.version) live_status_ = live_->status();
  // The thread queues its last frame before it reports the end, so these are all the frames there are.
  live_->frames().take(live_batch_);
  if (live_batch_.size() > 0) take_live_frames();
  // A capture that ended while followed is shown whole (a lab's transfer can last a few milliseconds).
  if (was_running && !live_status_.running && live_follow_) {
    fit_view();
    view_.cursor = Cursor{doc_.end_ns, std::nullopt};
  }
}

void App::take_live_frames() {
  LoadedTrace& lt = *doc_.traces.at(0);
  const std::size_t first = lt.trace.packet_count();
  for (std::size_t i = 0; i < live_batch_.size(); ++i) live_builder_->add(live_batch_.frame(i));
  lt.capture_ethernet = live_builder_->info().dlt == 1;  // DLT_EN10MB
  extend_capture_index(lt, first);
  // Capture times start at the first frame and never go backwards (capture_reader.hpp).
  const auto times = lt.trace.packet_times_ns();
  doc_.begin_ns = times.front();
  doc_.end_ns = doc_.focus_end_ns = std::max(times.back() + lt.max_flight_ns, doc_.begin_ns + 1);
  follow_newest(false);
}

// While following, the newest packet stays in view (near the bottom) and the cursor sits on it, so every
// packet is drawn as having happened; the zoom is the user's.
void App::follow_newest(bool force) {
  if (!live_follow_ || !live_) return;
  const std::int64_t newest = doc_.end_ns;
  const std::int64_t span = std::max<std::int64_t>(view_.view_end_ns - view_.view_begin_ns, 1000);
  if (force || newest > view_.view_end_ns - span / 20 || newest < view_.view_begin_ns) {
    view_.view_end_ns = newest + span / 20;
    view_.view_begin_ns = view_.view_end_ns - span;
  }
  view_.playing = false;
  view_.cursor = Cursor{newest, std::nullopt};
}

}  // namespace wirestep::gui
