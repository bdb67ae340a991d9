#include "ui/model/open_document.hpp"

#include "ui/model/capture_flow_view.hpp"
#include "ui/model/document_loader.hpp"
#include "ui/model/twin_document.hpp"

namespace wirestep {

OpenDocument::OpenDocument() = default;
OpenDocument::~OpenDocument() = default;

// Another document replaces the open one: a live capture feeding it stops (and its temporary pcap goes).
void OpenDocument::replace(Document d) {
  live_.drop();
  finish_document(d, ++loads_);
  doc_ = std::move(d);
}

std::optional<std::string> OpenDocument::open(const std::string& path) {
  auto loaded = load_document(path);
  if (!loaded) {
    error_ = loaded.error().message();
    error_zh_ = loaded.error().message_zh();
    return error_;
  }
  error_.clear();
  replace(std::move(loaded->doc));
  scenario_ = std::move(loaded->scenario);
  return std::nullopt;
}

std::optional<std::string> OpenDocument::open_twin(const std::string& sim_pcap, const std::string& real_pcap,
                                                   const TwinCompareOptions& options) {
  auto loaded = load_twin_document(sim_pcap, real_pcap, options);
  if (!loaded) {
    error_ = loaded.error().message();
    error_zh_ = loaded.error().message_zh();
    return error_;
  }
  error_.clear();
  replace(std::move(loaded->doc));
  scenario_.reset();
  return std::nullopt;
}

void OpenDocument::open_trace(Trace trace, const std::string& title) {
  error_.clear();
  replace(trace_document(std::move(trace), title));
  scenario_.reset();
}

Status OpenDocument::edit(const ScenarioEdit& edit) {
  if (!scenario_) return Error{"", "", "only a simulated scenario can be edited"};
  std::vector<const Trace*> runs;
  for (const auto& lt : doc_.traces) runs.push_back(&lt->trace);
  if (Status s = scenario_->apply(edit, runs); !s) return s;
  Document d;
  d.source = doc_.source;
  d.title = doc_.title;
  d.title_zh = doc_.title_zh;
  d.explanation = doc_.explanation;
  d.explanation_zh = doc_.explanation_zh;
  run_scenario_into(d, scenario_->scenario());
  replace(std::move(d));
  return Ok{};
}

bool OpenDocument::show_flows(const std::vector<std::uint32_t>& conversations, bool side_by_side) {
  if (!doc_.capture || !doc_.flows || (doc_.traces.empty() && !doc_.whole_capture)) return false;
  replace(with_flows_shown(std::move(doc_), conversations, side_by_side));
  return true;
}

void OpenDocument::start_live_capture(const LiveCaptureOptions& options) {
  error_.clear();
  replace(live_.new_document("live: " + options.interface));
  scenario_.reset();
  live_.start_capture(doc_, options);
}

void OpenDocument::start_live_lab(const LiveLabOptions& options) {
  error_.clear();
  replace(live_.new_document(options.namespaces ? "live lab: namespaces" : "live lab: loopback"));
  scenario_.reset();
  live_.start_lab(doc_, options);
}

void OpenDocument::update_analysis() {
  if (live_.running()) return;
  for (auto& lt : doc_.traces) {
    if (lt->analysis.covers(lt->trace)) continue;
    lt->analysis.build(lt->trace, !doc_.capture);
    // A capture's arrows take the analyzer's findings as their kinds (arrow_kind.hpp): the legend lists them.
    if (doc_.capture)
      for (const FlaggedPacket& f : lt->analysis.analyzer().flagged())
        if (const Finding k = most_telling(lt->analysis.mask_of(f.packet)); k != Finding::None)
          lt->kinds_present[static_cast<std::size_t>(arrow_kind_for(k))] = true;
  }
}

}  // namespace wirestep
