#include "ui/model/save_pcap.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>
#include <system_error>

#include "capture/frame_copy.hpp"
#include "capture/pcap_export.hpp"
#include "sim/analysis/flow_list.hpp"

namespace wirestep {
namespace fs = std::filesystem;
namespace {

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

}  // namespace

std::string format_count(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::vector<std::string> save_paths(const std::string& chosen, const std::vector<std::string>& labels) {
  if (labels.size() <= 1) return {chosen};
  const fs::path p(chosen);
  std::vector<std::string> out;
  for (const std::string& label : labels) {
    const std::string suffix = label.empty() ? std::to_string(out.size() + 1) : lower(label);
    out.push_back((p.parent_path() / (p.stem().string() + "-" + suffix + p.extension().string())).string());
  }
  return out;
}

Result<std::size_t> write_trace_pcap(const Trace& trace, const std::string& out) {
  const std::string part = out + ".part";
  auto written = write_pcap(trace, part);
  if (!written) {
    std::error_code ec;
    fs::remove(part, ec);
    Error e = written.error();  // both languages, named after the file the user chose
    e.file = out;
    return e;
  }
  return replace_with_part(part, out, *written);
}

std::vector<std::string> save_labels(const Document& doc) {
  std::vector<std::string> labels;
  if (doc.capture) return labels;
  for (const auto& lt : doc.traces) labels.push_back(lt->label);
  return labels;
}

std::uint64_t packets_to_save(const Document& doc) {
  std::uint64_t n = 0;
  if (doc.capture && doc.flows && !doc.shown_flows.empty()) {
    std::vector<std::uint32_t> seen;
    for (std::uint32_t f : doc.shown_flows)
      if (f < doc.flows->rows().size() && std::find(seen.begin(), seen.end(), f) == seen.end()) {
        seen.push_back(f);
        n += doc.flows->rows()[f].packets;
      }
    return n;
  }
  for (const auto& lt : doc.traces) n += lt->trace.packet_count();
  if (doc.whole_capture) n = doc.whole_capture->trace.packet_count();
  return n;
}

std::string suggested_save_name(const Document& doc) {
  std::string stem = fs::path(doc.source).stem().string();
  for (char& ch : stem)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' && ch != '.') ch = '-';
  if (stem.empty()) stem = "wirestep";
  if (doc.capture) {
    if (doc.flows_side_by_side)
      stem += "-tcp-udp";
    else if (doc.shown_flows.size() == 1)
      stem += "-flow" + std::to_string(doc.shown_flows[0]);
    else if (!doc.shown_flows.empty())
      stem += "-flows";
    else
      stem += "-copy";
  }
  return stem + ".pcap";
}

Result<std::vector<WrittenFile>> save_document_pcap(const Document& doc, const std::string& path) {
  std::vector<WrittenFile> written;
  if (doc.capture) {
    const LoadedTrace* whole = doc.whole_capture    ? doc.whole_capture.get()
                               : doc.traces.empty() ? nullptr
                                                    : doc.traces[0].get();
    if (!whole) return Error{path, "", "nothing to save"};
    std::vector<std::uint32_t> frames;
    if (doc.flows && !doc.shown_flows.empty()) {
      frames = doc.flows->packets_of(doc.shown_flows);
    } else {
      frames.resize(whole->trace.packet_count());
      for (std::uint32_t i = 0; i < frames.size(); ++i) frames[i] = i;
    }
    // Captures are opened without a BPF filter, so frame number = Trace index + 1.
    for (std::uint32_t& f : frames) ++f;
    auto copied = copy_capture_frames(whole->capture_path, frames, path);
    if (!copied) return copied.error();
    written.push_back({*copied, path});
    return written;
  }
  const std::vector<std::string> paths = save_paths(path, save_labels(doc));
  for (std::size_t i = 0; i < doc.traces.size() && i < paths.size(); ++i) {
    auto n = write_trace_pcap(doc.traces[i]->trace, paths[i]);
    if (!n) return n.error();
    written.push_back({*n, paths[i]});
  }
  return written;
}

}  // namespace wirestep
