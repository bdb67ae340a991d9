// The `gui` and `shot` subcommands. main.cpp registers them with one call and dispatches with another, so the
// desktop UI stays out of the headless commands' code.
//
//   wirestep gui [FILE]                  opens the UI on a scenario, a capture, or the handshake lesson
//   wirestep gui --twin SIM.pcap REAL.pcap  opens `wirestep twin`'s two pcaps as one twin document
//   wirestep shot INPUT --out F.png [--size WxH] [--at TIME] [--select N]
//                [--tab graphs [--graph seq|cwnd|throughput]] [--tab truth] [--predict]
//                [--tab link] [--edit-packet drop|delay|duplicate (with --select)]
//                                        renders one frame offscreen into a PNG (N: packet number, from 1)
// Both need a display (tests use Xvfb); without one they exit 2 with one message.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/twin_compare.hpp"
#include "sim/analysis/lang.hpp"

namespace CLI {
class App;
}

namespace wirestep::gui {

struct GuiCommandLine;

struct GuiCommands {
  GuiCommands();
  ~GuiCommands();
  GuiCommands(GuiCommands&&) noexcept;
  std::unique_ptr<GuiCommandLine> line;  // option storage CLI11 writes into (stable address)
};

GuiCommands register_gui_commands(CLI::App& app);
// The exit code when `gui` or `shot` was the subcommand given, else nullopt. `lang` is the global --lang,
// the language `gui` starts in (`shot` has its own --lang).
std::optional<int> dispatch_gui_commands(const GuiCommands& commands, Lang lang = Lang::En);

struct ShotOptions {
  std::string input;                // scenario or capture; empty with synthetic_packets or twin
  std::vector<std::string> twin;    // `wirestep twin`'s simulated and real pcaps, instead of INPUT
  TwinCompareOptions twin_options;  // what the twin comparison leaves out
  std::string out;
  int width = 1400, height = 900;
  std::optional<std::string> at;      // "25ms"
  std::optional<std::size_t> select;  // packet number, 1-based
  std::size_t synthetic_packets = 0;  // hidden: a synthetic Trace of this many packets instead of INPUT
  std::string lang = "en";
  // Captures and files
  std::vector<std::uint32_t> show_flows;  // a capture's flows (Flows tab numbers) to show in the timeline
  bool side_by_side = false;              // with two flows, one TCP and one UDP: two ladders
  std::string flow_filter;                // the Flows tab's text filter
  std::string dialog;                     // "open" or "save": render with that file dialog open
  std::string capture_view;               // "ladder" or "overview"; empty: as the capture opens
  std::string layout;                     // "time" or "sequence"; empty: as the lesson chooses
  std::string node;                       // with --view topology: open this node's details
  // Graphs
  std::string tab;    // lower right tab to show: "state" (default) or "graphs"
  std::string graph;  // with --tab graphs: "seq" (default), "cwnd" or "throughput"
  // Scenario editing
  std::string edit_packet;  // with --select: "drop", "delay" or "duplicate" that packet and replay the run
  // Teaching
  bool predict = false;       // prediction mode on (the cursor decides which segment is hidden)
  std::string predict_guess;  // answer it before rendering: "1001,1", "SYN,ACK" or "show"
  // Follow stream: open it on the selected packet's conversation (--select), else the first packet's;
  // "text", "gbk" (text decoded as GBK) or "hex".
  std::string follow;
  // Live
  // Instead of INPUT: start the live lab ("tcp", "udp" or "both"), wait until it has captured frames, and
  // render mid-capture with the Live tab open.
  std::string live_lab;
  bool live_namespaces = false;
  double live_loss_percent = 0;
};
int shot_command(const ShotOptions& o);
// Chinese needs a CJK font; without one the UI starts in English and says so on standard error.
// `twin`: the simulated and the real pcap of `wirestep twin`, opened as one document instead of `file`.
// `twin_options`: what the twin comparison leaves out (--ignore-psh, --ignore-window, --ignore-repair).
int gui_command(const std::string& file, Lang lang = Lang::En, const std::vector<std::string>& twin = {},
                const TwinCompareOptions& twin_options = {});

}  // namespace wirestep::gui
