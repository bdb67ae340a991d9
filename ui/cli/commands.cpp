#include "ui/cli/commands.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>
#include <vector>

#include "capture/pcap_export.hpp"
#include "capture/pcapng_export.hpp"
#include "sim/analysis/event_text_zh.hpp"
#include "sim/scenario/comparison.hpp"
#include "sim/scenario/expectation.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "sim/scenario/text_encoding.hpp"
#include "sim/trace/trace_summary.hpp"
#include "ui/cli/cli_text.hpp"
#include "ui/cli/comparison_table.hpp"
#include "ui/cli/display_width.hpp"
#include "ui/cli/ladder_svg.hpp"
#include "ui/cli/trace_json.hpp"

#ifndef WIRESTEP_SCENARIO_DIR
#define WIRESTEP_SCENARIO_DIR "scenarios"
#endif

namespace wirestep {
namespace {

// "12.3%" from a ratio of integers, rounded to one decimal without floating point.
std::string percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "-";
  const std::uint64_t tenths = (part * 1000 + whole / 2) / whole;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "%";
}

// "  name ...... value   note": the name padded to 34 columns (by display width, so Chinese names line up).
void row(std::ostream& out, const std::string& name, std::uint64_t value, const std::string& note = "") {
  std::string v = std::to_string(value);
  std::string line = "  " + name;
  line = pad_to_width(line, std::max<std::size_t>(display_width(line) + 1, 34));
  line += std::string(v.size() < 10 ? 10 - v.size() : 0, ' ') + v;
  if (!note.empty()) line += "   " + note;
  out << line << "\n";
}

void print_protocol(std::ostream& out, const char* title, bool segments, const ProtocolSummary& p,
                    Lang lang) {
  auto t = [&](Msg id) { return cli_text(lang, id); };
  out << title << "\n";
  row(out, t(segments ? Msg::SegmentsOnWire : Msg::DatagramsOnWire), p.packets,
      p.duplicates ? cli_text(lang, Msg::CopiesByLink, p.duplicates) : "");
  row(out, t(Msg::Delivered), p.delivered, percent(p.delivered, p.packets));
  row(out, t(Msg::LostOnLink), p.dropped_by_link, percent(p.dropped_by_link, p.packets));
  if (p.dropped_by_queue)
    row(out, t(Msg::DroppedByQueue), p.dropped_by_queue, percent(p.dropped_by_queue, p.packets));
  if (p.dropped_by_host) row(out, t(Msg::DroppedByHost), p.dropped_by_host);
  if (p.in_flight) row(out, t(Msg::StillInFlight), p.in_flight);
  if (p.reordered) row(out, t(Msg::Reordered), p.reordered);
  if (p.corrupted) row(out, t(Msg::Corrupted), p.corrupted);
  if (segments) {
    // Why each segment exists: the simulator's ground truth.
    for (Cause c : {Cause::FirstTransmission, Cause::RtoRetransmission, Cause::FastRetransmission,
                    Cause::RecoveryRetransmission, Cause::RackRetransmission, Cause::TailLossProbe,
                    Cause::RepeatedSynAnswer, Cause::ZeroWindowProbe, Cause::PureAck, Cause::DuplicateAck,
                    Cause::WindowUpdate, Cause::KeepAlive, Cause::Reset}) {
      const std::uint64_t n = p.by_cause[static_cast<std::size_t>(c)];
      if (n) row(out, "  " + std::string(cause_name(lang, c)), n);
    }
  }
  row(out, t(Msg::WireBytes), p.wire_bytes);
  row(out, "  " + t(Msg::OfWhichHeaders), p.header_bytes,
      cli_text(lang, Msg::Overhead, percent(p.header_bytes, p.wire_bytes)));
  row(out, "  " + t(Msg::OfWhichPayload), p.payload_bytes);
}

std::string received_text(const std::vector<std::uint8_t>& data, Lang lang) {
  // Show text the way a learner would read it: UTF-8 if valid, else GBK (the seed's encoding).
  if (auto utf8 = decode_text_strict(data, "utf-8")) return "\"" + escape_control_chars(*utf8) + "\"";
  if (auto gbk = decode_text_strict(data, "gbk"))
    return cli_text(lang, Msg::DecodedAsGbk, "\"" + escape_control_chars(*gbk) + "\"");
  return cli_text(lang, Msg::Bytes, data.size());
}

}  // namespace

std::string default_scenario_directory() {
  if (const char* env = std::getenv("WIRESTEP_SCENARIOS"); env && *env) return env;
  return WIRESTEP_SCENARIO_DIR;
}

namespace {

// Prints one run's ladder, summary and programs; returns 1 when a program's call failed.
int print_run(const RunResult& run, const RunCommandOptions& o, std::ostream& out) {
  const Lang lang = o.lang;
  if (!o.quiet) out << render_ladder(run.trace, o.ladder) << "\n";
  const TraceSummary s = summarize(run.trace);
  out << cli_text(lang, Msg::SummaryAfter, format_millis(run.end)) << "\n";
  if (s.udp.packets) print_protocol(out, "UDP", false, s.udp, lang);
  if (s.tcp.packets) print_protocol(out, "TCP", true, s.tcp, lang);
  int status = 0;
  out << "\n" << cli_text(lang, Msg::Programs) << "\n";
  for (const auto& p : run.programs) {
    std::vector<std::string> parts;
    if (p.datagrams_sent)
      parts.push_back(
          cli_text(lang, p.datagrams_sent == 1 ? Msg::SentDatagram : Msg::SentDatagrams, p.datagrams_sent));
    if (p.connected_at) parts.push_back(cli_text(lang, Msg::ConnectedAt, format_millis(*p.connected_at)));
    if (p.connections_accepted)
      parts.push_back(
          cli_text(lang, p.connections_accepted == 1 ? Msg::AcceptedConnection : Msg::AcceptedConnections,
                   p.connections_accepted));
    if (p.stream_bytes_sent) parts.push_back(cli_text(lang, Msg::SentBytes, p.stream_bytes_sent));
    if (p.stream_bytes_received || p.recv_returned_zero) {
      std::string r = cli_text(lang, Msg::ReceivedBytes, p.stream_bytes_received);
      if (p.stream_received.size() <= 60 && !p.stream_received.empty())
        r += " " + received_text(p.stream_received, lang);
      if (p.recv_returned_zero) r += cli_text(lang, Msg::ThenRecvReturnedZero);
      parts.push_back(r);
    }
    if (!p.tcp && (!p.received.empty() || (!p.datagrams_sent && p.output.empty()))) {
      std::string r = cli_text(lang, p.received.size() == 1 ? Msg::ReceivedDatagram : Msg::ReceivedDatagrams,
                               p.received.size());
      if (p.received.size() == 1)
        r += " " + cli_text(lang, Msg::TextFrom, received_text(p.received[0].data, lang), p.received[0].from);
      parts.push_back(r);
    }
    if (p.error) {
      // The error is the simulator's event text ("line 7: connect: connection refused ..."), translated as
      // the ladder translates it.
      parts.push_back(cli_text(lang, Msg::FailedAt, event_text(lang, EventKind::Note, *p.error)));
      status = 1;
    } else if (p.blocked_in) {
      parts.push_back(cli_text(lang, Msg::StillBlockedIn, *p.blocked_in));
    } else if (p.finished) {
      parts.push_back(cli_text(lang, Msg::Finished));
    }
    const std::string head = "  " + cli_text(lang, Msg::ProgramOnHost, p.name, p.host);
    const std::string sep = cli_text(lang, Msg::ListSeparator);
    // English puts a space after the colon; the full-width colon of Chinese needs none.
    std::string line = head;
    for (std::size_t i = 0; i < parts.size(); ++i) line += (i ? sep : lang == Lang::Zh ? "" : " ") + parts[i];
    if (o.width > 0 && display_width(line) > static_cast<std::size_t>(o.width)) {
      // Too wide for the terminal: one thing per line, so no received text is broken in two.
      line = head;
      for (const auto& part : parts) line += "\n    " + part;
    }
    out << line << "\n";
    // What ping and traceroute printed, as on their terminal (the same in both languages).
    for (const auto& l : p.output) out << "    | " << l << "\n";
  }
  return status;
}

// "out.pcap" -> "out-tcp.pcap"
std::string with_suffix(const std::string& path, const std::string& suffix) {
  const auto slash = path.rfind('/');
  const auto dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path + "-" + suffix;
  return path.substr(0, dot) + "-" + suffix + path.substr(dot);
}

Status write_json_file(const std::string& path, const nlohmann::ordered_json& j, Lang lang) {
  std::ofstream f(path, std::ios::binary);
  if (!f) return Error{path, "", cli_text(lang, Msg::CannotOpenForWriting)};
  f << j.dump(1) << "\n";
  if (!f.flush()) return Error{path, "", cli_text(lang, Msg::WriteFailed)};
  return Ok{};
}

}  // namespace

std::optional<std::uint64_t> parse_seed(std::string_view text, std::string& why, Lang lang) {
  constexpr std::uint64_t kMax = static_cast<std::uint64_t>(INT64_MAX);
  const std::string shown = "\"" + std::string(text.substr(0, 40)) + (text.size() > 40 ? "...\"" : "\"");
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    why = cli_text(lang, Msg::SeedNotANumber, shown, kMax);
    return std::nullopt;
  }
  std::uint64_t v = 0;
  for (const char c : text) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (v > (kMax - digit) / 10) {
      why = cli_text(lang, Msg::SeedTooLarge, shown, kMax);
      return std::nullopt;
    }
    v = v * 10 + digit;
  }
  return v;
}

namespace {

// The payload encoding the ladder tries first: the one every text-sending step declares, if they agree.
std::string declared_text_encoding(const Scenario& sc) {
  std::set<std::string> seen;
  for (const auto& program : sc.programs)
    for (const auto& step : program.steps)
      if (!step.text.empty()) seen.insert(step.encoding);
  return seen.size() == 1 ? *seen.begin() : std::string();
}

int resolve_width(int width) {
  return width < 0 ? terminal_columns(80) : width;
}

int run_command_text(const RunCommandOptions& options, std::ostream& out, std::ostream& err) {
  auto sc = load_scenario_file(options.scenario);
  if (!sc) {
    err << "wirestep: " << error_text(sc.error(), options.lang) << "\n";
    return 2;
  }
  RunCommandOptions o = options;
  const Lang lang = o.lang;
  o.ladder.width = o.width;
  o.ladder.lang = lang;
  o.ladder.text_encoding = declared_text_encoding(*sc);
  const std::uint64_t seed = o.seed.value_or(sc->seed);
  // The seed comes first, so any run can be replayed exactly.
  out << cli_text(lang, Msg::SeedLine, seed, sc->file) << "\n";
  // English shows both titles (the lessons are bilingual); Chinese its own, the English one if it has none.
  if (lang == Lang::Zh)
    out << (sc->title_zh.empty() ? sc->title : sc->title_zh) << "\n\n";
  else
    out << sc->title << (sc->title_zh.empty() ? "" : "  /  " + sc->title_zh) << "\n\n";

  int status = 0;
  std::vector<std::pair<std::string, RunResult>> runs;  // ("", run) or ("tcp", ...), ("udp", ...)
  std::optional<ComparisonResult> comparison;
  if (sc->comparison) {
    // The same seed for both: every link draws the same random numbers in the same order.
    runs.emplace_back("tcp", run_scenario(comparison_scenario(*sc, true), seed));
    runs.emplace_back("udp", run_scenario(comparison_scenario(*sc, false), seed));
    comparison = compare_runs(*sc->comparison, runs[0].second, runs[1].second);
  } else {
    runs.emplace_back("", run_scenario(*sc, seed));
  }
  for (const auto& [name, run] : runs) {
    if (!name.empty()) out << "=== " << cli_text(lang, name == "tcp" ? Msg::OverTcp : Msg::OverUdp) << "\n";
    status = std::max(status, print_run(run, o, out));
    out << "\n";
  }
  if (comparison)
    out << cli_text(lang, Msg::ComparisonTitle) << "\n" << render_comparison_table(*comparison, lang) << "\n";

  const auto results =
      check_expectations(sc->expectations, runs[0].second, runs.size() > 1 ? &runs[1].second : nullptr,
                         comparison ? &*comparison : nullptr);
  if (!results.empty()) {
    std::size_t passed = 0;
    out << cli_text(lang, Msg::Expectations) << "\n";
    for (const auto& r : results) {
      passed += r.passed;
      // The text is the lesson's own (its [[expect]] text), the detail the checker's measurement.
      const bool zh = lang == Lang::Zh;
      out << "  " << pad_to_width(cli_text(lang, r.passed ? Msg::Pass : Msg::Fail), 6)
          << (zh ? r.text_zh : r.text) << (zh ? "  （" : "  (") << (zh ? r.detail_zh : r.detail)
          << (zh ? "）\n" : ")\n");
    }
    out << "  " << cli_text(lang, Msg::PassedFailed, passed, results.size() - passed) << "\n";
    // With expectations, they decide: a failing call may be the very thing the lesson shows.
    status = passed == results.size() ? 0 : 1;
  }

  if (!o.pcap_path.empty()) {
    for (const auto& [name, run] : runs) {
      const std::string path = name.empty() ? o.pcap_path : with_suffix(o.pcap_path, name);
      auto written = write_pcap(run.trace, path);
      if (!written) {
        err << "wirestep: " << error_text(written.error(), lang) << "\n";
        return 2;
      }
      out << cli_text(lang, Msg::WrotePackets, *written, path) << "\n";
    }
  }
  if (!o.pcapng_path.empty()) {
    for (const auto& [name, run] : runs) {
      const std::string path = name.empty() ? o.pcapng_path : with_suffix(o.pcapng_path, name);
      auto written = write_pcapng(run.trace, path);
      if (!written) {
        err << "wirestep: " << error_text(written.error(), lang) << "\n";
        return 2;
      }
      out << cli_text(lang, Msg::WrotePcapng, *written, path) << "\n";
    }
  }
  if (!o.svg_path.empty()) {
    for (const auto& [name, run] : runs) {
      const std::string path = name.empty() ? o.svg_path : with_suffix(o.svg_path, name);
      std::ofstream f(path, std::ios::binary);
      const std::string& title = lang == Lang::Zh && !sc->title_zh.empty() ? sc->title_zh : sc->title;
      SvgOptions svg;
      svg.lang = lang;
      f << render_ladder_svg(
          run.trace,
          name.empty() ? title : cli_text(lang, name == "tcp" ? Msg::TitleOverTcp : Msg::TitleOverUdp, title),
          svg);
      if (!f.flush()) {
        err << "wirestep: " << cli_text(lang, Msg::CannotWriteSvg, path) << "\n";
        return 2;
      }
      out << cli_text(lang, Msg::WroteSvg, path) << "\n";
    }
  }
  if (!o.json_path.empty()) {
    nlohmann::ordered_json j =
        runs.size() == 1 ? run_to_json(*sc, runs[0].second) : nlohmann::ordered_json::object();
    if (runs.size() > 1) {
      j["schema"] = "wirestep.run/1";
      j["scenario"] = {
          {"file", sc->file}, {"name", sc->name}, {"title", sc->title}, {"title_zh", sc->title_zh}};
      j["seed"] = seed;
      j["comparison"] = comparison_to_json(*comparison);
      j["runs"] = {{"tcp", run_to_json(*sc, runs[0].second)}, {"udp", run_to_json(*sc, runs[1].second)}};
    }
    j["expectations"] = nlohmann::ordered_json::array();
    for (const auto& r : results)
      j["expectations"].push_back({{"text", r.text}, {"passed", r.passed}, {"detail", r.detail}});
    if (auto st = write_json_file(o.json_path, j, lang); !st) {
      err << "wirestep: " << error_text(st.error(), lang) << "\n";
      return 2;
    }
    out << cli_text(lang, Msg::WroteJson, o.json_path) << "\n";
  }
  return status;
}

}  // namespace

int run_command(const RunCommandOptions& options, std::ostream& out, std::ostream& err) {
  RunCommandOptions o = options;
  o.width = resolve_width(options.width);
  // Written whole, then wrapped: the ladder already fits, the summary and expectations wrap at words.
  std::ostringstream text;
  const int status = run_command_text(o, text, err);
  out << wrap_lines(text.str(), static_cast<std::size_t>(o.width), o.lang == Lang::Zh);
  return status;
}

int scenarios_command(const std::string& directory, std::ostream& out, std::ostream& err, int width,
                      Lang lang) {
  width = resolve_width(width);
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    err << "wirestep: " << cli_text(lang, Msg::NoScenarioDirectory, directory) << "\n";
    return 2;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(directory, ec))
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  int status = 0;
  for (const auto& path : files) {
    auto sc = load_scenario_file(path.string());
    std::string name = path.filename().string();
    name = pad_to_width(name, std::max<std::size_t>(display_width(name) + 2, 28));
    if (!sc) {
      out << name << cli_text(lang, Msg::CannotLoad, error_text(sc.error(), lang)) << "\n";
      status = 2;
      continue;
    }
    const std::string title = lang == Lang::Zh
                                  ? (sc->title_zh.empty() ? sc->title : sc->title_zh)
                                  : sc->title + (sc->title_zh.empty() ? "" : "  /  " + sc->title_zh);
    const std::size_t name_w = display_width(name);
    if (width <= 0 || static_cast<int>(name_w) + 20 > width) {
      // Too narrow for two columns: the title goes under the file name.
      out << wrap_lines(name + title, static_cast<std::size_t>(std::max(width, 0))) << "\n";
      continue;
    }
    // Long titles wrap at words and continue under the title column.
    const auto lines = wrap_to_width(title, static_cast<std::size_t>(width) - name_w);
    for (std::size_t i = 0; i < lines.size(); ++i)
      out << (i ? std::string(name_w, ' ') : name) << lines[i] << "\n";
  }
  return status;
}

}  // namespace wirestep
