// The `gui` and `shot` subcommands. main.cpp registers them with one call and dispatches with another, so the
// desktop UI stays out of the headless commands' code.
//
//   wirestep gui [FILE]                  opens the UI on a scenario, a capture, or the handshake lesson
//   wirestep shot INPUT --out F.png [--size WxH] [--at TIME] [--select N]
//                                        renders one frame offscreen into a PNG (N: packet number, from 1)
// Both need a display (tests use Xvfb); without one they exit 2 with one message.
#pragma once

#include <memory>
#include <optional>
#include <string>

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
// The exit code when `gui` or `shot` was the subcommand given, else nullopt.
std::optional<int> dispatch_gui_commands(const GuiCommands& commands);

struct ShotOptions {
  std::string input;  // scenario or capture; empty with synthetic_packets
  std::string out;
  int width = 1400, height = 900;
  std::optional<std::string> at;      // "25ms"
  std::optional<std::size_t> select;  // packet number, 1-based
  std::size_t synthetic_packets = 0;  // hidden: a synthetic Trace of this many packets instead of INPUT
  std::string lang = "en";
};
int shot_command(const ShotOptions& o);
int gui_command(const std::string& file);

}  // namespace wirestep::gui
