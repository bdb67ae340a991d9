#include "ui/cli/follow_command.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <ostream>

#include "capture/analyzed_capture.hpp"
#include "sim/analysis/follow_stream.hpp"
#include "sim/scenario/comparison.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "ui/cli/cli_text.hpp"
#include "ui/cli/follow_format.hpp"
#include "ui/cli/follow_payload.hpp"

namespace wirestep {
namespace {

bool is_capture(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".pcap" || ext == ".pcapng" || ext == ".cap";
}

// Picks the conversation, follows it and prints it: shared by runs and captures.
int follow_and_print(const FollowCommandOptions& o, const std::string& file, const Trace& trace,
                     const FlowAnalyzer& analysis, const PayloadSource& payload, FollowFormat format,
                     FollowEncoding encoding, std::ostream& out, std::ostream& err) {
  std::uint32_t conversation = 0;
  if (o.flow) {
    conversation = *o.flow;
  } else {
    const auto found = o.udp ? conversation_of_udp_stream(analysis, *o.stream)
                             : conversation_of_tcp_stream(analysis, *o.stream);
    if (!found) {
      err << "wirestep follow: " << cli_text(o.lang, Msg::NoStream, file, o.udp ? "udp" : "tcp", *o.stream)
          << "\n";
      return 2;
    }
    conversation = *found;
  }
  auto stream = follow_stream(trace, analysis, conversation, payload);
  if (!stream) {
    Error e = stream.error();
    e.file = file;
    err << "wirestep follow: " << e.message() << "\n";
    return 2;
  }
  out << render_follow(*stream, format, encoding, o.lang);
  for (Error e : stream->errors) {
    if (e.file.empty()) e.file = file;
    err << "wirestep follow: " << e.message() << "\n";
  }
  return 0;
}

}  // namespace

int follow_command(const FollowCommandOptions& o, std::ostream& out, std::ostream& err) {
  const auto format = parse_follow_format(o.format);
  const auto encoding = parse_follow_encoding(o.encoding);
  if (!format) {
    err << "wirestep follow: " << cli_text(o.lang, Msg::BadFormat, o.format) << "\n";
    return 2;
  }
  if (!encoding) {
    err << "wirestep follow: " << cli_text(o.lang, Msg::BadEncoding, o.encoding) << "\n";
    return 2;
  }
  if (o.flow.has_value() == o.stream.has_value()) {
    err << "wirestep follow: " << cli_text(o.lang, Msg::FlowOrStream) << "\n";
    return 2;
  }
  if (is_capture(o.file)) {
    auto analyzed = load_and_analyze(o.file);
    if (!analyzed) {
      err << "wirestep follow: " << error_text(analyzed.error(), o.lang) << "\n";
      return 2;
    }
    const Trace& trace = analyzed->capture.trace;
    const LinkKind link = link_kind_for_dlt(analyzed->capture.info.dlt);
    const PayloadSource payload = captured_payload_source(trace, o.file, std::span<const LinkKind>(&link, 1));
    return follow_and_print(o, o.file, trace, analyzed->analysis, payload, *format, *encoding, out, err);
  }
  auto sc = load_scenario_file(o.file);
  if (!sc) {
    err << "wirestep follow: " << error_text(sc.error(), o.lang) << "\n";
    return 2;
  }
  // A comparison runs its workload over TCP and over UDP; follow the TCP run, or the UDP one with --udp.
  const RunResult run = sc->comparison
                            ? run_scenario(comparison_scenario(*sc, !o.udp), o.seed.value_or(sc->seed))
                            : run_scenario(*sc, o.seed);
  const FlowAnalyzer analysis = analyze_trace(run.trace);
  return follow_and_print(o, o.file, run.trace, analysis, trace_payload_source(run.trace), *format, *encoding,
                          out, err);
}

std::unique_ptr<FollowCli> register_follow_command(CLI::App& app) {
  auto cli = std::make_unique<FollowCli>();
  FollowCommandOptions& o = cli->options;
  CLI::App* cmd = app.add_subcommand(
      "follow", "print one conversation's payload, both directions, as Wireshark's Follow TCP Stream");
  cmd->add_option("file", o.file, "scenario (.toml) or capture (.pcap, .pcapng)")->required();
  auto* flow =
      cmd->add_option("--flow", o.flow, "conversation number, as the Flows tab and `analyze` list them");
  auto* stream =
      cmd->add_option("--stream", o.stream, "Wireshark's tcp.stream number (udp.stream with --udp)");
  flow->excludes(stream);
  cmd->add_flag("--udp", o.udp, "--stream is a udp.stream number; a comparison scenario's UDP run");
  cmd->add_option("--format", o.format, "text, hex or raw (tshark's follow modes)")
      ->check(CLI::IsMember({"text", "hex", "raw"}));
  cmd->add_option("--encoding", o.encoding, "how --format text decodes the bytes: utf8 or gbk")
      ->check(CLI::IsMember({"utf8", "utf-8", "gbk"}));
  cmd->add_option("--seed", o.seed, "scenarios: override the scenario's seed");
  cli->command = cmd;
  return cli;
}

}  // namespace wirestep
