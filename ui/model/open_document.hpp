// The document the UI shows, and everything that replaces or grows it: opening a scenario or a capture (a
// failure keeps what was open and says why), a Trace made in memory, an edit of the open scenario (run again
// at once), a choice of a capture's flows, a live capture. Every replacement is a new generation, which the
// views' caches key on; the analyses are built once a Trace is complete. Headless: tests drive it without a
// window, and the App only dispatches to it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/live_trace.hpp"
#include "capture/twin_compare.hpp"
#include "sim/analysis/lang.hpp"
#include "sim/core/result.hpp"
#include "sim/trace/trace.hpp"
#include "ui/model/document.hpp"
#include "ui/model/live_feed.hpp"
#include "ui/model/scenario_edit.hpp"

namespace wirestep {

class OpenDocument {
 public:
  OpenDocument();
  ~OpenDocument();
  OpenDocument(const OpenDocument&) = delete;
  OpenDocument& operator=(const OpenDocument&) = delete;

  // Before the first open: an empty document (no traces), generation 0.
  const Document& doc() const { return doc_; }
  // Why the last open failed; empty once a document opens (or is made in memory, or goes live).
  const std::string& error() const { return error_; }
  // The same in `lang`: a scenario's mistakes are reported in Chinese too (a capture's stay English).
  const std::string& error(Lang lang) const {
    return lang == Lang::Zh && !error_.empty() ? error_zh_ : error_;
  }

  // Opens a scenario (.toml) or a capture (.pcap, .pcapng, .cap). On failure the open document stays and
  // the message is returned (and kept in error()).
  std::optional<std::string> open(const std::string& path);
  // Opens a twin pair (`wirestep twin`'s two pcaps) as one document of two lanes; on failure as open().
  std::optional<std::string> open_twin(const std::string& sim_pcap, const std::string& real_pcap,
                                       const TwinCompareOptions& options = {});
  // Replaces the document with a Trace built in memory (tests, benchmarks: a synthetic million packets).
  void open_trace(Trace trace, const std::string& title);

  // Scenario editing
  // The open scenario as an editable TOML document; null for captures and Traces made in memory.
  const EditableScenario* scenario() const { return scenario_.get(); }
  // Applies `edit` and runs the scenario again: the same source, titles and explanation, a new generation.
  // A refused edit (or a document that is not a scenario) changes nothing.
  Status edit(const ScenarioEdit& edit);

  // Captures
  // Shows only these conversations of the capture (capture_flow_view.hpp) as a new document. False, and
  // nothing changes, for a document without a flow list.
  bool show_flows(const std::vector<std::uint32_t>& conversations, bool side_by_side);

  // Live
  // A new, empty capture document that a capture on an interface, or the live lab, fills as it runs.
  void start_live_capture(const LiveCaptureOptions& options);
  void start_live_lab(const LiveLabOptions& options);
  // Takes the frames captured since the last call into the document (every frame calls it).
  LivePoll poll_live() { return live_.poll(doc_); }
  // Stops the capture; what was captured stays open.
  LivePoll stop_live() { return live_.stop(doc_); }
  const LiveFeed& live() const { return live_; }

  // Teaching
  // Runs the Wireshark-style analyzer over every Trace that is complete and not analysed yet. A live
  // capture's waits until it stops: re-analysing on every new frame would cost a pass over the whole
  // capture each time.
  void update_analysis();

 private:
  void replace(Document d);

  Document doc_;
  std::unique_ptr<EditableScenario> scenario_;
  std::string error_;
  std::string error_zh_;  // set with error_; meaningful only while error_ is not empty
  std::uint64_t loads_ = 0;
  LiveFeed live_;  // after doc_: stopped before the Trace it fills goes away
};

}  // namespace wirestep
