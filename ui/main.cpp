// wirestep: see TCP and UDP work. This file only parses the command line (CLI11) and dispatches.
#include <malloc.h>

#include <CLI/CLI.hpp>

#include <iostream>

#include "sim/scenario/units.hpp"
#include "ui/cli/analyze_command.hpp"
#include "ui/cli/capture_command.hpp"
#include "ui/cli/cli_help.hpp"
#include "ui/cli/cli_lang.hpp"
#include "ui/cli/cli_text.hpp"
#include "ui/cli/commands.hpp"
#include "ui/cli/follow_command.hpp"
#include "ui/cli/hosts_command.hpp"
#include "ui/cli/interfaces_command.hpp"
#include "ui/cli/live_command.hpp"
#include "ui/cli/packetdrill_command.hpp"
#include "ui/cli/twin_command.hpp"
#include "ui/gui/gui_commands.hpp"

int main(int argc, char** argv) {
  using namespace wirestep;
  // Large buffers (the Trace's columns) come from mmap and go back to the system when a column outgrows
  // them, so peak memory is what the Trace holds. Left to itself, glibc raises its mmap threshold after the
  // first large free and keeps every outgrown buffer in the heap: a third more memory for a large capture.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  CLI::App app{"wirestep: a deterministic TCP/UDP simulator and packet visualizer"};
  app.require_subcommand(0, 1);  // no subcommand: open the UI on the default handshake lesson
  // Options of the main command are accepted after any subcommand too: `wirestep run X --lang zh`.
  app.fallthrough();
  // Known before parsing, so that --help and the validators' messages already speak it.
  const Lang early_lang = lang_from_arguments(argc, argv);
  std::string lang_arg;
  app.add_option("--lang", lang_arg,
                 "language of the text for people: en or zh (default: $WIRESTEP_LANG, else zh when "
                 "LC_ALL, LC_MESSAGES or LANG starts with zh, else en); JSON stays English")
      ->check(CLI::Validator(
          [early_lang](std::string& text) {
            return parse_lang(text) ? std::string() : cli_text(early_lang, Msg::BadLang, text);
          },
          "en|zh"));

  RunCommandOptions run;
  std::string events = "auto";
  auto* run_cmd = app.add_subcommand("run", "run a scenario headless: ladder diagram, summary, exports");
  run_cmd->add_option("scenario", run.scenario, "scenario file (.toml)")->required();
  run_cmd->add_option("--seed", run.seed, "override the scenario's seed (0 to 2^63 - 1)")
      ->check(CLI::Validator(
          [early_lang](std::string& text) {
            std::string why;
            return parse_seed(text, why, early_lang) ? std::string() : why;
          },
          "SEED"));
  run_cmd->add_option("--pcap", run.pcap_path, "write the packets as a pcap file");
  run_cmd->add_option("--json", run.json_path, "write the trace and summary as JSON");
  run_cmd->add_option("--pcapng", run.pcapng_path,
                      "write pcapng with each packet's fate and cause as a comment");
  run_cmd->add_option("--svg", run.svg_path, "write the ladder diagram as an SVG image");
  run_cmd
      ->add_option("--events", events,
                   "events beside the ladder: auto, all (calls, states, timers), verbose (+ TCP variables), "
                   "notes, none")
      ->check(CLI::IsMember({"auto", "all", "verbose", "notes", "none"}));
  run_cmd->add_option("--max-lines", run.ladder.max_lines, "ladder length limit (0 = no limit)");
  run_cmd->add_flag("--quiet", run.quiet, "print the summary only");
  run_cmd
      ->add_option("--width", run.width,
                   "columns every line fits in (default: the terminal's width, 80 when not a terminal; "
                   "0 = no limit)")
      ->check(CLI::Range(0, 100000));

  std::string scenario_dir = default_scenario_directory();
  auto* list_cmd = app.add_subcommand("scenarios", "list the bundled scenarios");
  list_cmd->add_option("--dir", scenario_dir, "scenario directory");
  int list_width = -1;
  list_cmd
      ->add_option("--width", list_width,
                   "columns every line fits in (default: the terminal's width, 80 when not a terminal; "
                   "0 = no limit)")
      ->check(CLI::Range(0, 100000));

  AnalyzeOptions analyze;
  auto* analyze_cmd =
      app.add_subcommand("analyze", "load a pcap/pcapng capture and report per-flow TCP/UDP analysis");
  analyze_cmd->add_option("file", analyze.file, "capture file (.pcap, .pcapng)")->required();
  analyze_cmd->add_flag("--json", analyze.json, "print the analysis as JSON (schema in README.md)");
  analyze_cmd->add_option("--filter", analyze.filter, "BPF filter applied while reading (libpcap syntax)");

  CaptureCommandOptions capture;
  auto* capture_cmd = app.add_subcommand("capture", "capture live traffic from an interface through libpcap");
  capture_cmd->add_option("-i,--interface", capture.interface, "interface (see `wirestep interfaces`)")
      ->required();
  capture_cmd->add_option("--filter", capture.filter, "BPF filter, e.g. \"tcp port 80\"");
  capture_cmd->add_option("-w,--write", capture.write_path,
                          "write the frames to this pcap file as they arrive");
  capture_cmd->add_option("--count", capture.count, "stop after this many frames")
      ->check(CLI::PositiveNumber);
  capture_cmd->add_option("--duration", capture.duration_s, "stop after this many seconds")
      ->check(CLI::PositiveNumber);
  capture_cmd->add_option("--snaplen", capture.snaplen, "bytes kept per frame")
      ->check(CLI::Range(64, 262144));
  capture_cmd->add_flag("--quiet", capture.quiet, "no line per frame, only the summary");

  LiveLabOptions live;
  live.write_path = "live.pcap";
  bool live_loopback = false, live_tcp_only = false, live_udp_only = false;
  std::string live_loss = "0%", live_bytes = "1MB";
  auto* live_cmd = app.add_subcommand(
      "live",
      "real TCP and UDP sockets between two network namespaces (or on loopback), with loss, captured live");
  live_cmd->add_flag("--loopback", live_loopback, "use 127.0.0.1 instead of namespaces (no loss)");
  live_cmd->add_flag("--tcp", live_tcp_only, "only the TCP transfer");
  live_cmd->add_flag("--udp", live_udp_only, "only the UDP datagrams");
  live_cmd->add_option("--loss", live_loss, "random loss on the data direction, e.g. 5%");
  live_cmd->add_option("--drop-every", live.drop_every,
                       "drop every n-th data-direction packet (repeatable loss)");
  live_cmd->add_option("--bytes", live_bytes, "TCP transfer size, e.g. 1MB");
  live_cmd->add_option("--messages", live.udp_messages, "UDP datagrams to send")
      ->check(CLI::Range(1, 1000000));
  live_cmd->add_option("-w,--write", live.write_path, "pcap file of the run");
  live_cmd->add_option("--timeout", live.timeout_s, "give up after this many seconds")
      ->check(CLI::Range(1.0, 3600.0));

  auto* interfaces_cmd = app.add_subcommand(
      "interfaces", "list interfaces and addresses, with the network and host part of each");
  const auto follow = register_follow_command(app);
  const auto packetdrill = register_packetdrill_command(app);
  const auto hosts = register_hosts_command(app);
  const auto twin = register_twin_command(app);
  const auto gui_cmds = gui::register_gui_commands(app);  // `gui` and `shot` (ui/gui/)

  localize_help(app, early_lang);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints help on --help (exit 0) and a message otherwise; bad arguments are bad input: exit 2.
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  const Lang lang = lang_arg.empty() ? lang_from_environment() : *parse_lang(lang_arg);
  if (*run_cmd) {
    run.lang = lang;
    using E = LadderOptions::Events;
    run.ladder.events = events == "all"       ? E::All
                        : events == "verbose" ? E::Verbose
                        : events == "notes"   ? E::Notes
                        : events == "none"    ? E::None
                                              : E::Auto;
    return run_command(run, std::cout, std::cerr);
  }
  if (*list_cmd) return scenarios_command(scenario_dir, std::cout, std::cerr, list_width, lang);
  analyze.lang = lang;
  if (*analyze_cmd) return analyze_command(analyze, std::cout, std::cerr);
  follow->options.lang = lang;
  if (*follow->command) return follow_command(follow->options, std::cout, std::cerr);
  if (*packetdrill->command) {
    packetdrill->options.lang = lang;
    return packetdrill_command(packetdrill->options, std::cout, std::cerr);
  }
  if (*interfaces_cmd) return interfaces_command(std::cout, std::cerr, lang);
  twin->options.lang = lang;
  if (*twin->command) {
    std::string listed_real_pcap = twin->options.real_pcap;
    const int rc = twin_command(twin->options, std::cout, std::cerr, &listed_real_pcap);
    // --gui: both pcaps were written (exit 0 or 1), so the desktop UI can show them as one twin document,
    // with the real run the listing showed (with --real-runs, the closest).
    if (!twin->options.open_gui || rc == 2) return rc;
    const int gui_rc = gui::gui_command("", lang, {twin->options.sim_pcap, listed_real_pcap},
                                        compare_options(twin->options));
    return gui_rc != 0 ? gui_rc : rc;
  }
  hosts->options.lang = lang;
  if (*hosts->command) return hosts_command(hosts->options, std::cout, std::cerr);
  if (auto code = gui::dispatch_gui_commands(gui_cmds, lang)) return *code;
  capture.lang = lang;
  if (*capture_cmd) return capture_command(capture, std::cout, std::cerr);
  if (*live_cmd) {
    std::string why;
    const auto loss = parse_percent(live_loss, why);
    const auto bytes = parse_byte_size(live_bytes, why);
    if (!loss || !bytes) {
      std::cerr << "wirestep: live: " << why << "\n";
      return 2;
    }
    live.loss = *loss;
    live.tcp_bytes = *bytes;
    live.namespaces = !live_loopback;
    live.tcp = !live_udp_only;
    live.udp = !live_tcp_only;
    return live_command(live, std::cout, std::cerr, lang);
  }
  return gui::gui_command(default_scenario_directory() + "/tcp-handshake.toml", lang);
}
