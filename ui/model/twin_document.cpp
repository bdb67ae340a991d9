#include "ui/model/twin_document.hpp"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "capture/capture_reader.hpp"

namespace wirestep {
namespace {

// The capture again with its times counted from its first frame, so the two runs share one axis. Flows are
// made again in the same order, so every packet keeps its flow id; a frame's bytes stay where they were in
// the file (payload_ref is its offset), so the inspector still reads them. Nullopt if a flow id would move.
std::optional<Trace> rebased(const Trace& t) {
  const auto times = t.packet_times_ns();
  if (times.empty()) return std::nullopt;
  const std::int64_t origin = times.front();
  Trace out;
  for (const TraceHost& h : t.hosts()) out.add_host(h);
  for (std::uint32_t f = 0; f < t.flows().size(); ++f) {
    const TraceFlow& fl = t.flows()[f];
    if (out.flow_for(fl.proto, fl.a, fl.a_port, fl.b, fl.b_port, fl.a_host, fl.b_host).first != f)
      return std::nullopt;
  }
  out.reserve_packets(t.packet_count());
  for (std::size_t i = 0; i < t.packet_count(); ++i) {
    PacketRecord p = t.packet(i);
    p.time = SimTime{p.time.ns - origin};
    p.arrive = SimTime{p.arrive.ns - origin};
    out.add_packet(p);
  }
  return out;
}

Result<std::unique_ptr<LoadedTrace>> load_run(const std::string& path, const char* label,
                                              const char* label_zh) {
  auto cap = load_capture(path);
  if (!cap) return cap.error();
  auto lt = std::make_unique<LoadedTrace>();
  lt->label = label;
  lt->label_zh = label_zh;
  if (auto r = rebased(cap->trace))
    lt->trace = std::move(*r);
  else
    lt->trace = std::move(cap->trace);
  lt->capture_path = path;
  lt->capture_ethernet = cap->info.dlt == 1;  // DLT_EN10MB
  return lt;
}

// Without a BPF filter a capture's packet i is frame i + 1 (capture_reader.hpp); a frame past the Trace
// (a file that changed between the two reads) marks nothing.
std::optional<std::uint32_t> packet_of(const TwinSegment& s, const Trace& t) {
  if (s.frame == 0 || s.frame > t.packet_count()) return std::nullopt;
  return static_cast<std::uint32_t>(s.frame - 1);
}

std::string row_text(const TwinDocument& d, const TwinRow& row, std::size_t r, Lang lang) {
  const TwinSegment& any = row.sim ? d.sim[*row.sim] : d.real[*row.real];
  const std::string dir = any.from + ">" + any.to, n = std::to_string(row.direction_index);
  const std::string field = twin_field_name(row.differs, lang);
  return lang == Lang::Zh ? "第 " + std::to_string(r + 1) + " 行，" + dir + " 第 " + n + " 个报文段：" + field
                          : "row " + std::to_string(r + 1) + ", " + dir + " segment " + n + ": " + field;
}

}  // namespace

bool TwinDocument::is_different(std::size_t trace, std::uint32_t packet) const {
  const auto& marked = trace == kSimTrace ? sim_marked : real_marked;
  return std::binary_search(marked.begin(), marked.end(), packet);
}

Result<LoadedDocument> load_twin_document(const std::string& sim_pcap, const std::string& real_pcap,
                                          const TwinCompareOptions& options) {
  Document d;
  d.source = canonical_path(sim_pcap);
  d.capture = true;  // frames are re-read from their files; states are inferred from the segments
  auto sim_run = load_run(sim_pcap, kTwinSimLabel, kTwinSimLabelZh);
  if (!sim_run) return sim_run.error();
  auto real_run = load_run(real_pcap, kTwinRealLabel, kTwinRealLabelZh);
  if (!real_run) return real_run.error();
  // The pcaps carry addresses, not host names: both runs use the scenario's addresses, so directions pair.
  auto sim = read_twin_segments(sim_pcap, {});
  if (!sim) return sim.error();
  auto real = read_twin_segments(real_pcap, {});
  if (!real) return real.error();

  auto twin = std::make_shared<TwinDocument>();
  twin->sim_path = sim_pcap;
  twin->real_path = real_pcap;
  twin->sim = std::move(*sim);
  twin->real = std::move(*real);
  twin->comparison = compare_twin(twin->sim, twin->real, options);
  const Trace& st = (*sim_run)->trace;
  const Trace& rt = (*real_run)->trace;
  for (std::size_t r = 0; r < twin->comparison.rows.size(); ++r) {
    const TwinRow& row = twin->comparison.rows[r];
    if (row.differs == TwinField::None) continue;
    TwinDifference diff;
    diff.row = r;
    diff.field = row.differs;
    if (row.sim) diff.sim_packet = packet_of(twin->sim[*row.sim], st);
    if (row.real) diff.real_packet = packet_of(twin->real[*row.real], rt);
    if (diff.sim_packet) twin->sim_marked.push_back(*diff.sim_packet);
    if (diff.real_packet) twin->real_marked.push_back(*diff.real_packet);
    if (row.sim) {
      diff.sim_line = describe_twin_segment(twin->sim[*row.sim], Lang::En);
      diff.sim_line_zh = describe_twin_segment(twin->sim[*row.sim], Lang::Zh);
    }
    if (row.real) {
      diff.real_line = describe_twin_segment(twin->real[*row.real], Lang::En);
      diff.real_line_zh = describe_twin_segment(twin->real[*row.real], Lang::Zh);
    }
    diff.text = row_text(*twin, row, r, Lang::En);
    diff.text_zh = row_text(*twin, row, r, Lang::Zh);
    twin->differences.push_back(std::move(diff));
  }
  std::sort(twin->sim_marked.begin(), twin->sim_marked.end());
  std::sort(twin->real_marked.begin(), twin->real_marked.end());
  twin->first_difference = describe_first_difference(twin->comparison, twin->sim, twin->real, Lang::En);
  twin->first_difference_zh = describe_first_difference(twin->comparison, twin->sim, twin->real, Lang::Zh);
  const std::string ns = std::to_string(twin->sim.size()), nr = std::to_string(twin->real.size()),
                    nd = std::to_string(twin->comparison.differing_rows);
  twin->summary_en = ns + " simulated segments, " + nr + " real; " +
                     (twin->comparison.agree() ? "they agree segment for segment" : nd + " rows differ");
  twin->summary_zh = "模拟 " + ns + " 个报文段，真实 " + nr + " 个；" +
                     (twin->comparison.agree() ? "逐段一致" : nd + " 行不同");
  // What was left out of the comparison (wirestep twin --ignore-*), so the count is read correctly.
  const std::pair<bool, std::pair<const char*, const char*>> left_out[] = {
      {!options.compare_psh, {"PSH", "PSH"}},
      {!options.compare_window, {"windows", "窗口"}},
      {!options.compare_repair, {"repair kinds", "修复方式"}}};
  std::string en, zh;
  for (const auto& [out, names] : left_out) {
    if (!out) continue;
    en += (en.empty() ? "" : ", ") + std::string(names.first);
    zh += (zh.empty() ? "" : "、") + std::string(names.second);
  }
  if (!en.empty()) {
    twin->summary_en += " (not compared: " + en + ")";
    twin->summary_zh += "（未比较：" + zh + "）";
  }

  const std::string sim_name = std::filesystem::path(sim_pcap).filename().string(),
                    real_name = std::filesystem::path(real_pcap).filename().string();
  d.title = "twin: " + sim_name + " / " + real_name;
  // Words the UI font already carries (ui_text.cpp): a rarer character would draw as a box.
  d.title_zh = "模拟与真实 Linux 对比：" + sim_name + " / " + real_name;
  d.explanation =
      "The scenario's workload run twice: in the simulator (linux profile) and with real Linux "
      "sockets. Each lane's time starts at its first frame; segments that differ are red.";
  d.explanation_zh =
      "同一场景的工作负载运行两次：在模拟器中（linux 配置）和用真实 Linux 套接字。"
      "每条泳道的时间从它的第一帧算起；不同的报文段标为红色。";
  d.twin = std::move(twin);
  d.traces.push_back(std::move(*sim_run));
  d.traces.push_back(std::move(*real_run));
  return LoadedDocument{std::move(d), nullptr};
}

}  // namespace wirestep
