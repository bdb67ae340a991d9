// The App's capture views and files: which flows the timeline shows (the Flows tab), Save pcap, and the
// Open/Save dialogs.
#include "ui/gui/app.hpp"

#include <cstdio>
#include <filesystem>
#include <string>

#include "capture/frame_copy.hpp"
#include "sim/analysis/flow_list.hpp"
#include "ui/gui/file_dialog.hpp"
#include "ui/gui/flow_list_panel.hpp"
#include "ui/gui/save_pcap.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {

void App::show_flows(const std::vector<std::uint32_t>& conversations, bool side_by_side) {
  if (!doc_.capture || !doc_.flows || (doc_.traces.empty() && !doc_.whole_capture)) return;
  const CaptureFlows& flows = *doc_.flows;
  std::vector<std::uint32_t> ids;
  for (std::uint32_t id : conversations)
    if (id < flows.rows().size() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  if (side_by_side) {
    // One TCP and one UDP conversation, TCP on the left as in a simulated comparison; anything else is
    // shown in one ladder.
    auto find = [&](Transport p) {
      return std::find_if(ids.begin(), ids.end(),
                          [&](std::uint32_t id) { return flows.rows()[id].proto == p; });
    };
    const auto tcp = find(Transport::Tcp), udp = find(Transport::Udp);
    side_by_side = ids.size() == 2 && tcp != ids.end() && udp != ids.end();
    if (side_by_side) ids = {*tcp, *udp};
  }

  Document d = std::move(doc_);
  if (!d.whole_capture) d.whole_capture = std::move(d.traces.at(0));
  d.traces.clear();
  const LoadedTrace& whole = *d.whole_capture;
  auto add_subset = [&](std::span<const std::uint32_t> packets, const char* label) {
    FlowSubset subset = extract_flows(whole.trace, packets);
    auto lt = std::make_unique<LoadedTrace>();
    lt->label = label;
    lt->trace = std::move(subset.trace);
    lt->source_packets = std::move(subset.source_packets);
    lt->capture_path = whole.capture_path;
    lt->capture_ethernet = whole.capture_ethernet;
    d.traces.push_back(std::move(lt));
  };
  if (side_by_side) {
    add_subset(flows.packets_of(ids[0]), "TCP");
    add_subset(flows.packets_of(ids[1]), "UDP");
  } else if (!ids.empty()) {
    const std::vector<std::uint32_t> packets = flows.packets_of(ids);
    // Flows that hold every packet are the whole capture: no copy.
    if (packets.size() < whole.trace.packet_count()) add_subset(packets, "");
  }
  if (d.traces.empty()) d.traces.push_back(std::move(d.whole_capture));
  d.shown_flows = std::move(ids);
  d.flows_side_by_side = side_by_side;
  finish_load(std::move(d));
}

std::optional<std::string> App::save_pcap(const std::string& path) {
  const Lang lang = view_.lang;
  std::string wrote;
  std::optional<std::string> failure;
  auto report = [&](std::size_t packets, const std::string& file) {
    char buf[512];
    std::snprintf(buf, sizeof buf, tr(lang, T::WrotePackets), format_count(packets).c_str(),
                  std::filesystem::path(file).filename().string().c_str());
    wrote += (wrote.empty() ? "" : "; ") + std::string(buf);
  };
  if (doc_.capture) {
    const LoadedTrace* whole = doc_.whole_capture    ? doc_.whole_capture.get()
                               : doc_.traces.empty() ? nullptr
                                                     : doc_.traces[0].get();
    std::vector<std::uint32_t> frames;
    if (doc_.flows && !doc_.shown_flows.empty()) {
      frames = doc_.flows->packets_of(doc_.shown_flows);
    } else if (whole) {
      frames.resize(whole->trace.packet_count());
      for (std::uint32_t i = 0; i < frames.size(); ++i) frames[i] = i;
    }
    // Captures are opened without a BPF filter, so frame number = Trace index + 1.
    for (std::uint32_t& f : frames) ++f;
    auto written = whole ? copy_capture_frames(whole->capture_path, frames, path)
                         : Result<std::size_t>(Error{path, "", "nothing to save"});
    if (written)
      report(*written, path);
    else
      failure = written.error().message();
  } else {
    std::vector<std::string> labels;
    for (const auto& lt : doc_.traces) labels.push_back(lt->label);
    const std::vector<std::string> paths = save_paths(path, labels);
    for (std::size_t i = 0; i < doc_.traces.size() && i < paths.size() && !failure; ++i) {
      auto written = write_trace_pcap(doc_.traces[i]->trace, paths[i]);
      if (written)
        report(*written, paths[i]);
      else
        failure = written.error().message();
    }
  }
  file_status_failed_ = failure.has_value();
  file_status_ = failure ? std::string(tr(lang, T::SaveFailed)) + ": " + *failure : wrote;
  file_status_age_s_ = 0;
  return failure;
}

void App::show_open_dialog() {
  file_dialog_->show(FileDialog::Mode::Open, FileBrowser::start_directory(doc_.source));
}

void App::show_save_dialog() {
  // A name that says what was saved: the document's, plus which flows of a capture.
  std::string stem = std::filesystem::path(doc_.source).stem().string();
  for (char& ch : stem)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' && ch != '.') ch = '-';
  if (stem.empty()) stem = "wirestep";
  if (doc_.capture) {
    if (doc_.flows_side_by_side)
      stem += "-tcp-udp";
    else if (doc_.shown_flows.size() == 1)
      stem += "-flow" + std::to_string(doc_.shown_flows[0]);
    else if (!doc_.shown_flows.empty())
      stem += "-flows";
    else
      stem += "-copy";
  }
  file_dialog_->show(FileDialog::Mode::Save, FileBrowser::start_directory(doc_.source), stem + ".pcap");
}

void App::set_flow_filter(const std::string& text) {
  flows_panel_->set_filter(text);
}

}  // namespace wirestep::gui
