#include "ui/model/document_loader.hpp"

#include <cctype>
#include <cstdio>
#include <filesystem>

#include "capture/analyzed_capture.hpp"
#include "sim/analysis/flow_list.hpp"
#include "sim/packetdrill/script_parser.hpp"
#include "sim/packetdrill/script_runner.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "ui/model/script_document.hpp"

namespace wirestep {
namespace {

std::string lower_extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return ext;
}

// Scenario explanations are wrapped at ~100 columns in the TOML; the panel wraps to its own width. Single
// newlines become spaces, blank lines stay paragraph breaks.
std::string unwrap(const std::string& text) {
  std::string out;
  std::size_t start = text.find_first_not_of(" \n");
  for (std::size_t i = start == std::string::npos ? text.size() : start; i < text.size(); ++i) {
    if (text[i] != '\n') {
      out += text[i];
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '\n') {
      out += "\n\n";
      while (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (!out.empty() && out.back() != ' ' && static_cast<unsigned char>(out.back()) < 0x80) {
      // (Chinese lines join without a space.)
      out += ' ';
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  return out;
}

// Analysed while it loads (one pass): the Flows tab lists the conversations with their TCP analysis.
Result<LoadedDocument> load_capture(const std::string& path, Document d) {
  auto analyzed = load_and_analyze(path);
  if (!analyzed) return analyzed.error();
  LoadedCapture* cap = &analyzed->capture;
  d.capture = true;
  d.flows = std::make_shared<const CaptureFlows>(cap->trace, analyzed->analysis, cap->info.non_ip_flow);
  d.title = std::filesystem::path(path).filename().string();
  d.title_zh = d.title;
  const CaptureFileInfo& info = cap->info;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s, %s, %llu frames, %zu flows%s%s",
                std::string(to_string(info.format)).c_str(), info.link_type.c_str(),
                static_cast<unsigned long long>(info.frames), cap->trace.flows().size(),
                info.truncated ? "; the file ends mid-record (what was read is shown)" : "",
                info.malformed_frames ? "; some frames are malformed" : "");
  d.explanation = buf;
  d.capture_info = std::make_shared<const CaptureFileInfo>(info);
  auto lt = std::make_unique<LoadedTrace>();
  lt->trace = std::move(cap->trace);
  lt->capture_path = path;
  lt->capture_ethernet = info.dlt == 1;  // DLT_EN10MB
  d.traces.push_back(std::move(lt));
  return LoadedDocument{std::move(d), nullptr};
}

// Kept as its TOML document: the Link tab and the packet actions edit it and run it again.
Result<LoadedDocument> load_scenario(const std::string& path, Document d) {
  auto loaded = EditableScenario::from_file(path);
  if (!loaded) return loaded.error();
  auto editable = std::make_unique<EditableScenario>(std::move(*loaded));
  const Scenario& sc = editable->scenario();
  d.title = sc.title;
  d.title_zh = sc.title_zh;
  d.sequence_layout = sc.sequence_layout;
  d.explanation = unwrap(sc.explanation);
  d.explanation_zh = unwrap(sc.explanation_zh);
  run_scenario_into(d, sc);
  return LoadedDocument{std::move(d), std::move(editable)};
}

// A packetdrill script is run as the CLI runs it; its Trace is the document, and the script with each
// packet's line goes beside it. A failing run still opens: the failure is what the user came to see.
Result<LoadedDocument> load_packetdrill(const std::string& path, Document d) {
  auto script = packetdrill::parse_script_file(path);
  if (!script) return script.error();
  // Linux's scripts, run against the Linux profile (as `wirestep packetdrill` does by default).
  packetdrill::RunOptions run_options;
  run_options.tcp = TcpConfig::for_profile(TcpProfile::Linux);
  packetdrill::RunResult run = packetdrill::run_script(*script, run_options);
  d.title = d.title_zh = std::filesystem::path(path).filename().string();
  switch (run.outcome) {
    case packetdrill::Outcome::Pass:
      d.explanation = "packetdrill script: the simulated host did what the script expects.";
      d.explanation_zh = "packetdrill 脚本：模拟主机的行为与脚本预期一致。";
      break;
    case packetdrill::Outcome::Fail:
    case packetdrill::Outcome::Unsupported:
      d.explanation = "packetdrill script, line " + std::to_string(run.line) + ": " + run.reason.en;
      d.explanation_zh = "packetdrill 脚本，第 " + std::to_string(run.line) + " 行：" + run.reason.zh;
      break;
  }
  d.sequence_layout = true;  // a script's events are microseconds apart and minutes apart: one row each
  d.script = std::make_shared<const ScriptDocument>(ScriptDocument::from_run(*script, run));
  auto lt = std::make_unique<LoadedTrace>();
  lt->trace = std::move(run.trace);
  d.traces.push_back(std::move(lt));
  return LoadedDocument{std::move(d), nullptr};
}

}  // namespace

std::string canonical_path(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::weakly_canonical(path, ec);
  return ec ? path : p.string();
}

Result<LoadedDocument> load_document(const std::string& path) {
  Document d;
  d.source = canonical_path(path);
  const std::string ext = lower_extension(path);
  if (ext == ".pcap" || ext == ".pcapng" || ext == ".cap") return load_capture(path, std::move(d));
  if (ext == ".pkt") return load_packetdrill(path, std::move(d));
  return load_scenario(path, std::move(d));
}

Document trace_document(Trace trace, const std::string& title) {
  Document d;
  d.source = title;
  d.title = d.title_zh = title;
  auto lt = std::make_unique<LoadedTrace>();
  lt->trace = std::move(trace);
  d.traces.push_back(std::move(lt));
  return d;
}

void run_scenario_into(Document& d, const Scenario& sc) {
  if (sc.comparison) {
    // The same seed for both runs: the links draw the same random numbers in the same order.
    RunResult tcp = run_scenario(comparison_scenario(sc, true), sc.seed);
    RunResult udp = run_scenario(comparison_scenario(sc, false), sc.seed);
    d.comparison = compare_runs(*sc.comparison, tcp, udp);
    d.comparison_rows = comparison_rows(*d.comparison);
    auto a = std::make_unique<LoadedTrace>();
    a->label = "TCP";
    a->trace = std::move(tcp.trace);
    auto b = std::make_unique<LoadedTrace>();
    b->label = "UDP";
    b->trace = std::move(udp.trace);
    d.traces.push_back(std::move(a));
    d.traces.push_back(std::move(b));
  } else {
    RunResult run = run_scenario(sc);
    auto lt = std::make_unique<LoadedTrace>();
    lt->trace = std::move(run.trace);
    d.traces.push_back(std::move(lt));
  }
}

}  // namespace wirestep
