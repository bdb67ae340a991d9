#include "ui/gui/gui_commands.hpp"

#include <imgui.h>
#include <stb_image_write.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "sim/scenario/units.hpp"
#include "ui/cli/commands.hpp"
#include "ui/gui/app.hpp"
#include "ui/gui/glfw_window.hpp"
#include "ui/gui/synthetic_trace.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {

struct GuiCommandLine {
  CLI::App* gui = nullptr;
  CLI::App* shot = nullptr;
  std::string gui_file;
  ShotOptions shot_options;
  std::string size = "1400x900";
  std::string at;
  std::size_t select = 0;
};

GuiCommands::GuiCommands() = default;
GuiCommands::~GuiCommands() = default;
GuiCommands::GuiCommands(GuiCommands&&) noexcept = default;

GuiCommands register_gui_commands(CLI::App& app) {
  GuiCommands g;
  g.line = std::make_unique<GuiCommandLine>();
  GuiCommandLine& l = *g.line;
  l.gui = app.add_subcommand(
      "gui", "open the desktop UI on a scenario, a pcap/pcapng file, or the handshake lesson");
  l.gui->add_option("file", l.gui_file, "scenario (.toml) or capture (.pcap, .pcapng)");
  l.shot = app.add_subcommand("shot", "render the UI for INPUT into a PNG (needs a display; tests use Xvfb)");
  l.shot->add_option("input", l.shot_options.input, "scenario (.toml) or capture (.pcap, .pcapng)");
  l.shot->add_option("--out", l.shot_options.out, "PNG file to write")->required();
  l.shot->add_option("--size", l.size, "image size WxH (default 1400x900)");
  l.shot->add_option("--at", l.at, "put the time cursor here, e.g. 25ms (default: the end of the run)");
  l.shot->add_option("--select", l.select, "select packet number N (1 = the first) for the inspector");
  l.shot->add_option("--lang", l.shot_options.lang, "UI language: en or zh")
      ->check(CLI::IsMember({"en", "zh"}));
  // Hidden (empty group): a synthetic Trace of N packets instead of INPUT, for the million-packet test.
  l.shot->add_option("--synthetic-packets", l.shot_options.synthetic_packets)->group("");
  return g;
}

namespace {

std::string default_lesson() {
  return default_scenario_directory() + "/tcp-handshake.toml";
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

}  // namespace

std::optional<int> dispatch_gui_commands(const GuiCommands& commands) {
  const GuiCommandLine& l = *commands.line;
  if (*l.gui) return gui_command(l.gui_file.empty() ? default_lesson() : l.gui_file);
  if (*l.shot) {
    ShotOptions o = l.shot_options;
    if (!parse_size(l.size, o.width, o.height)) {
      std::cerr << "wirestep: --size " << l.size
                << ": expected WxH between 320x240 and 8192x8192, e.g. 1280x800\n";
      return 2;
    }
    if (!l.at.empty()) o.at = l.at;
    if (l.select) o.select = l.select;
    if (o.input.empty() && !o.synthetic_packets) {
      std::cerr << "wirestep: shot: INPUT is required (a scenario .toml or a .pcap/.pcapng file)\n";
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
  if (o.synthetic_packets) {
    app.open_trace(make_synthetic_trace(o.synthetic_packets),
                   "synthetic " + std::to_string(o.synthetic_packets) + " packets");
  } else if (auto err = app.open(o.input)) {
    std::cerr << "wirestep: " << *err << "\n";
    return 2;
  }
  if (o.select) {
    const auto& traces = app.doc().traces;
    if (traces.empty() || *o.select > traces[0]->trace.packet_count()) {
      std::cerr << "wirestep: --select " << *o.select << ": the run has "
                << (traces.empty() ? 0 : traces[0]->trace.packet_count()) << " packets\n";
      return 2;
    }
    app.select(PacketRef{0, static_cast<std::uint32_t>(*o.select - 1)});
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
  // A few frames: ImGui sizes tables and auto-fitting items from the previous frame.
  for (int i = 0; i < 3; ++i) {
    window->new_frame(0);
    app.frame(0.0);
    window->render();
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

int gui_command(const std::string& file) {
  App app;
  if (auto err = app.open(file)) {
    std::cerr << "wirestep: " << *err << "\n";
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
  double last = window->time_s();
  while (!window->should_close() && !app.quit_requested()) {
    // Sleep until input while nothing moves; animate at the display's rate while playing.
    window->new_frame(app.view().playing ? 0.0 : 0.25);
    for (const std::string& path : window->take_dropped()) app.open(path);
    const double now = window->time_s();
    app.frame(std::min(now - last, 0.25));
    last = now;
    window->render();
  }
  return 0;
}

}  // namespace wirestep::gui
