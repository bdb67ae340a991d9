#include "ui/gui/gui_commands.hpp"

#include <imgui.h>
#include <stb_image_write.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <thread>

#include "sim/scenario/units.hpp"
#include "ui/cli/commands.hpp"
#include "ui/gui/app.hpp"
#include "ui/gui/glfw_window.hpp"
#include "ui/gui/graph_panel.hpp"
#include "ui/gui/synthetic_trace.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {

struct GuiCommandLine {
  CLI::App* gui = nullptr;
  CLI::App* shot = nullptr;
  std::string gui_file;
  std::vector<std::string> gui_twin;
  TwinCompareOptions gui_twin_options;
  ShotOptions shot_options;
  std::string size = "1400x900";
  std::string at;
  std::size_t select = 0;
};

GuiCommands::GuiCommands() = default;
GuiCommands::~GuiCommands() = default;
GuiCommands::GuiCommands(GuiCommands&&) noexcept = default;

namespace {

// The comparison options of `wirestep twin`, for a twin document opened later (--twin).
void add_twin_ignore_flags(CLI::App& cmd, TwinCompareOptions& o) {
  cmd.add_flag_callback(
      "--ignore-psh", [&o] { o.compare_psh = false; },
      "with --twin: leave PSH out of the flags compared, as `wirestep twin --ignore-psh`");
  cmd.add_flag_callback(
      "--ignore-window", [&o] { o.compare_window = false; },
      "with --twin: do not count scaled-window differences");
  cmd.add_flag_callback(
      "--ignore-repair", [&o] { o.compare_repair = false; },
      "with --twin: do not compare how retransmissions were repaired");
}

}  // namespace

GuiCommands register_gui_commands(CLI::App& app) {
  GuiCommands g;
  g.line = std::make_unique<GuiCommandLine>();
  GuiCommandLine& l = *g.line;
  l.gui = app.add_subcommand(
      "gui",
      "open the desktop UI on a scenario, a pcap/pcapng file, a packetdrill script, or the handshake lesson");
  l.gui->add_option("file", l.gui_file,
                    "scenario (.toml), capture (.pcap, .pcapng) or packetdrill script (.pkt)");
  l.gui->add_option("--twin", l.gui_twin, "the simulated and the real pcap of `wirestep twin`, side by side")
      ->expected(2);
  add_twin_ignore_flags(*l.gui, l.gui_twin_options);
  l.shot = app.add_subcommand("shot", "render the UI for INPUT into a PNG (needs a display; tests use Xvfb)");
  l.shot->add_option("input", l.shot_options.input,
                     "scenario (.toml), capture (.pcap, .pcapng) or packetdrill script (.pkt)");
  l.shot
      ->add_option("--twin", l.shot_options.twin,
                   "instead of INPUT: the simulated and the real pcap of `wirestep twin`, side by side")
      ->expected(2);
  add_twin_ignore_flags(*l.shot, l.shot_options.twin_options);
  l.shot->add_option("--out", l.shot_options.out, "PNG file to write")->required();
  l.shot->add_option("--size", l.size, "image size WxH (default 1400x900)");
  l.shot->add_option("--at", l.at, "put the time cursor here, e.g. 25ms (default: the end of the run)");
  l.shot->add_option("--select", l.select, "select packet number N (1 = the first) for the inspector");
  l.shot->add_option("--lang", l.shot_options.lang, "UI language: en or zh")
      ->check(CLI::IsMember({"en", "zh"}));
  // Hidden (empty group): a synthetic Trace of N packets instead of INPUT, for the million-packet test.
  l.shot->add_option("--synthetic-packets", l.shot_options.synthetic_packets)->group("");
  // Captures and files
  l.shot->add_option("--flows", l.shot_options.show_flows, "capture: show only these flows, e.g. 0 or 0,3")
      ->delimiter(',');
  l.shot->add_flag("--side-by-side", l.shot_options.side_by_side,
                   "with --flows T,U (a TCP and a UDP flow): draw them as two ladders");
  l.shot->add_option("--flow-filter", l.shot_options.flow_filter, "capture: the Flows tab's text filter");
  l.shot
      ->add_option("--view", l.shot_options.capture_view,
                   "capture: the ladder or the conversation overview (default: overview when many hosts); "
                   "a simulated run: topology adds the network's nodes and links above the ladder")
      ->check(CLI::IsMember({"ladder", "overview", "topology"}));
  l.shot->add_option("--node", l.shot_options.node, "with --view topology: open this node's details");
  l.shot
      ->add_option("--layout", l.shot_options.layout,
                   "timeline: time (proportional) or sequence (a row per step)")
      ->check(CLI::IsMember({"time", "sequence"}));
  l.shot->add_option("--dialog", l.shot_options.dialog, "render with the open or save file dialog open")
      ->check(CLI::IsMember({"open", "save"}));
  // Graphs
  l.shot
      ->add_option("--tab", l.shot_options.tab,
                   "lower right tab: state (default), graphs or truth; or the left column's link tab")
      ->check(CLI::IsMember({"state", "graphs", "truth", "link"}));
  l.shot->add_option("--graph", l.shot_options.graph, "with --tab graphs: seq (default), cwnd or throughput")
      ->check(CLI::IsMember({"seq", "cwnd", "throughput"}));
  // Scenario editing
  l.shot
      ->add_option("--edit-packet", l.shot_options.edit_packet,
                   "with --select: drop, delay (by 200 ms) or duplicate that packet and replay the run")
      ->check(CLI::IsMember({"drop", "delay", "duplicate"}));
  // Teaching
  l.shot
      ->add_option(
          "--follow", l.shot_options.follow,
          "open Follow stream on the selected packet's flow (else the first packet's): text, gbk or hex")
      ->check(CLI::IsMember({"text", "gbk", "hex"}));
  l.shot->add_flag("--predict", l.shot_options.predict,
                   "prediction mode on: the next TCP segment after the cursor is hidden until guessed");
  // Hidden: answer the prediction before rendering ("1001,1" seq and ack, "SYN,ACK" flags, or "show").
  l.shot->add_option("--predict-guess", l.shot_options.predict_guess)->group("");
  // Live
  l.shot
      ->add_option("--live-lab", l.shot_options.live_lab,
                   "instead of INPUT: run the live lab (real sockets) and render it mid-capture")
      ->check(CLI::IsMember({"tcp", "udp", "both"}));
  l.shot->add_flag("--live-namespaces", l.shot_options.live_namespaces,
                   "with --live-lab: two network namespaces instead of loopback (needs root)");
  l.shot->add_option("--live-loss", l.shot_options.live_loss_percent,
                     "with --live-namespaces: percent of packets A->B dropped");
  return g;
}

namespace {

std::string default_lesson() {
  return default_scenario_directory() + "/tcp-handshake.toml";
}

// "1001,1" (seq, ack), "SYN,ACK" (flags) or "show".
PredictionGuess parse_shot_guess(const std::string& text) {
  PredictionGuess g;
  if (text == "show") {
    g.shown = true;
    return g;
  }
  const std::size_t comma = text.find(',');
  const std::string first = text.substr(0, comma);
  if (parse_guess_number(first)) {
    g.seq = parse_guess_number(first);
    if (comma != std::string::npos) g.ack = parse_guess_number(text.substr(comma + 1));
    return g;
  }
  namespace f = wire::tcp_flag;
  static constexpr std::pair<const char*, std::uint8_t> kFlags[] = {
      {"SYN", f::kSyn}, {"ACK", f::kAck}, {"FIN", f::kFin}, {"RST", f::kRst}};
  for (const auto& [name, bit] : kFlags)
    if (text.find(name) != std::string::npos) g.flags |= bit;
  return g;
}

bool parse_size(const std::string& s, int& w, int& h) {
  int a = 0, b = 0;
  char x = 0, extra = 0;
  if (std::sscanf(s.c_str(), "%d%c%d%c", &a, &x, &b, &extra) != 3 || (x != 'x' && x != 'X')) return false;
  if (a < 320 || b < 240 || a > 8192 || b > 8192) return false;
  w = a;
  h = b;
  return true;
}

// Starts the live lab and waits (at most 30 s) until it has captured enough to show: the picture is taken
// while the capture is still running. The App stops it (and removes any namespaces) when it goes away.
std::optional<std::string> start_live_lab_for_shot(App& app, const ShotOptions& o) {
  LiveLabOptions lab;
  lab.tcp = o.live_lab != "udp";
  lab.udp = o.live_lab != "tcp";
  lab.namespaces = o.live_namespaces;
  lab.loss = static_cast<Ppm>(std::llround(std::clamp(o.live_loss_percent, 0.0, 100.0) * 10'000.0));
  lab.tcp_bytes = 300'000;
  lab.udp_messages = 100;
  lab.udp_interval_ms = 10;
  lab.timeout_s = 30;
  app.start_live_lab(lab);
  const std::uint64_t wanted = lab.tcp ? 150 : 40;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    app.poll_live();
    const auto* counts = app.document().live().counts();
    if (counts && counts->frames >= wanted) return std::nullopt;
    if (!app.document().live().running()) {
      if (!app.document().live().status().error.empty()) return app.document().live().status().error;
      return std::nullopt;  // the lab ended with fewer frames: show what it captured
    }
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

std::optional<int> dispatch_gui_commands(const GuiCommands& commands, Lang lang) {
  const GuiCommandLine& l = *commands.line;
  if (*l.gui)
    return gui_command(l.gui_file.empty() ? default_lesson() : l.gui_file, lang, l.gui_twin,
                       l.gui_twin_options);
  if (*l.shot) {
    ShotOptions o = l.shot_options;
    if (!parse_size(l.size, o.width, o.height)) {
      std::cerr << "wirestep: --size " << l.size
                << ": expected WxH between 320x240 and 8192x8192, e.g. 1280x800\n";
      return 2;
    }
    if (!l.at.empty()) o.at = l.at;
    if (l.select) o.select = l.select;
    if (o.input.empty() && !o.synthetic_packets && o.live_lab.empty() && o.twin.empty()) {
      std::cerr << "wirestep: shot: INPUT is required (a scenario .toml, a .pcap/.pcapng file or a "
                   "packetdrill .pkt)\n";
      return 2;
    }
    return shot_command(o);
  }
  return std::nullopt;
}

int shot_command(const ShotOptions& o) {
  std::optional<SimDuration> at;
  if (o.at) {
    std::string why;
    at = parse_duration(*o.at, why);
    if (!at) {
      std::cerr << "wirestep: --at " << *o.at << ": " << why << "\n";
      return 2;
    }
  }
  // Load first: a bad input is reported before any window exists.
  App app;
  if (!o.live_lab.empty()) {
    if (auto err = start_live_lab_for_shot(app, o)) {
      std::cerr << "wirestep: " << *err << "\n";
      return 2;
    }
  } else if (o.synthetic_packets) {
    app.open_trace(make_synthetic_trace(o.synthetic_packets),
                   "synthetic " + std::to_string(o.synthetic_packets) + " packets");
  } else if (o.twin.size() == 2) {
    if (auto err = app.open_twin(o.twin[0], o.twin[1], o.twin_options)) {
      std::cerr << "wirestep: " << *err << "\n";
      return 2;
    }
  } else if (auto err = app.open(o.input)) {
    std::cerr << "wirestep: " << *err << "\n";
    return 2;
  }
  // Captures and files
  if (!o.show_flows.empty()) app.show_flows(o.show_flows, o.side_by_side);
  if (!o.flow_filter.empty()) app.set_flow_filter(o.flow_filter);
  if (!o.capture_view.empty() && o.capture_view != "topology")
    app.view().overview = o.capture_view == "overview";
  if (o.capture_view == "topology") app.view().topology = true;
  if (!o.node.empty()) app.show_topology_node(o.node);
  if (!o.layout.empty()) app.view().sequence = o.layout == "sequence";
  if (o.dialog == "open") app.show_open_dialog();
  if (o.dialog == "save") app.show_save_dialog();
  if (o.select) {
    const auto& traces = app.doc().traces;
    if (traces.empty() || *o.select > traces[0]->trace.packet_count()) {
      std::cerr << "wirestep: --select " << *o.select << ": the run has "
                << (traces.empty() ? 0 : traces[0]->trace.packet_count()) << " packets\n";
      return 2;
    }
    app.select(PacketRef{0, static_cast<std::uint32_t>(*o.select - 1)});
    // Scenario editing
    if (!o.edit_packet.empty()) {
      const PacketAction action = o.edit_packet == "drop"    ? PacketAction::Drop
                                  : o.edit_packet == "delay" ? PacketAction::Delay
                                                             : PacketAction::Duplicate;
      if (auto failed = app.edit_scenario(AddPacketRule{0, static_cast<std::uint32_t>(*o.select - 1), action,
                                                        SimDuration::millis(app.packet_delay_ms())})) {
        std::cerr << "wirestep: --edit-packet: " << *failed << "\n";
        return 2;
      }
    }
  }
  std::string error;
  auto window = GlfwWindow::create(o.width, o.height, true, "wirestep", error);
  if (!window) {
    std::cerr << "wirestep: " << error << "\n";
    return 2;
  }
  app.setup_imgui();
  if (o.lang == "zh") {
    if (app.fonts().cjk)
      app.view().lang = Lang::Zh;
    else
      std::cerr << "wirestep: " << tr(Lang::En, T::NoCjkFont) << "; rendering in English\n";
  }
  if (at) app.set_cursor(at->ns);
  if (o.tab == "graphs" || !o.graph.empty())
    app.show_graphs(o.graph == "cwnd"         ? GraphKind::Cwnd
                    : o.graph == "throughput" ? GraphKind::Throughput
                                              : GraphKind::Sequence);
  // Teaching
  if (o.tab == "truth") app.show_truth_tab();
  // Scenario editing
  if (o.tab == "link") app.show_link_tab();
  if (o.predict) app.set_prediction(true);
  // Follow stream
  if (!o.follow.empty()) {
    app.follow_stream(FollowTarget{app.view().selected.value_or(PacketRef{0, 0}), false});
    app.set_follow_mode(o.follow == "hex", o.follow == "gbk");
  }
  // A few frames: ImGui sizes tables and auto-fitting items from the previous frame, and a list scrolls to
  // its current item only once it has been measured (tabs show their contents from the second frame).
  for (int i = 0; i < 5; ++i) {
    window->new_frame(0);
    app.frame(0.0);
    window->render();
    // The first frame found the segment to predict; answer it before the next.
    if (i == 0 && o.predict && !o.predict_guess.empty())
      app.submit_prediction(parse_shot_guess(o.predict_guess));
  }
  std::vector<std::uint8_t> rgba;
  if (!window->read_rgba(rgba)) {
    std::cerr << "wirestep: could not read the rendered frame back from OpenGL\n";
    return 2;
  }
  std::vector<std::uint8_t> rgb(rgba.size() / 4 * 3);
  for (std::size_t i = 0, j = 0; i < rgba.size(); i += 4, j += 3) {
    rgb[j] = rgba[i];
    rgb[j + 1] = rgba[i + 1];
    rgb[j + 2] = rgba[i + 2];
  }
  if (!stbi_write_png(o.out.c_str(), o.width, o.height, 3, rgb.data(), o.width * 3)) {
    std::cerr << "wirestep: " << o.out << ": cannot write the PNG\n";
    return 2;
  }
  std::cout << "wrote " << o.width << "x" << o.height << " " << o.out << "\n";
  return 0;
}

int gui_command(const std::string& file, Lang lang, const std::vector<std::string>& twin,
                const TwinCompareOptions& twin_options) {
  App app;
  if (twin.size() == 2 ? app.open_twin(twin[0], twin[1], twin_options) : app.open(file)) {
    std::cerr << "wirestep: " << app.document().error(lang) << "\n";
    return 2;
  }
  std::string error;
  auto window = GlfwWindow::create(1400, 900, false, "wirestep", error);
  if (!window) {
    std::cerr << "wirestep: "
              << (error == no_display_message()
                      ? "no display: run under Xvfb, e.g. xvfb-run -a wirestep gui ..."
                      : error)
              << "\n";
    return 2;
  }
  app.setup_imgui();
  if (lang == Lang::Zh) {
    if (app.fonts().cjk)
      app.view().lang = Lang::Zh;
    else
      std::cerr << "wirestep: " << tr(Lang::En, T::NoCjkFont) << "; starting in English\n";
  }
  double last = window->time_s();
  while (!window->should_close() && !app.quit_requested()) {
    // Sleep until input while nothing moves; animate at the display's rate while playing.
    // A live capture redraws a few times a second to show new packets without waiting for input.
    window->new_frame(app.view().playing ? 0.0 : app.document().live().running() ? 0.05 : 0.25);
    for (const std::string& path : window->take_dropped()) app.open(path);
    const double now = window->time_s();
    app.frame(std::min(now - last, 0.25));
    last = now;
    window->render();
  }
  return 0;
}

}  // namespace wirestep::gui
