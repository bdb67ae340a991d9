// What panels ask for, grouped by feature. A panel is handed only the groups it writes; the App applies all
// of them after the frame (App::apply), so panels never change the document, the view or each other
// directly (STYLE.md §5), and one frame's requests are applied in one fixed order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "capture/live_capture.hpp"
#include "capture/live_lab.hpp"
#include "sim/analysis/lang.hpp"
#include "sim/analysis/packet_ref.hpp"
#include "sim/analysis/prediction.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/scenario_edit.hpp"

namespace wirestep::gui {

// The time cursor, the visible time range and playback.
struct NavigationCommands {
  std::optional<std::int64_t> set_cursor_ns;
  int step = 0;  // -1 previous, +1 next
  bool to_start = false, to_end = false, toggle_play = false;
  std::optional<double> speed;
  std::optional<std::pair<std::int64_t, std::int64_t>> set_view;
  double set_view_row_skip = 0.0;  // sequence layout, with set_view: rows into the first instant's rows
  std::optional<double> zoom;      // + and -: the time span (or, in sequence layout, the row count) by this
  bool fit = false;
};

// The packet selected (the inspector shows it) and the one under the mouse.
struct SelectionCommands {
  std::optional<PacketRef> select;
  bool clear = false;
  std::optional<PacketRef> hover;
};

// What the views show, and in which language.
struct DisplayCommands {
  std::optional<Lang> lang;
  std::optional<Filters> filters;
  std::optional<bool> overview;  // a capture: the conversation overview (true) or the ladder
  std::optional<bool> sequence;  // one row per step (true) or time proportional to height
  std::optional<bool> topology;  // the topology view above the ladder
};

// The File menu and its dialogs.
struct FileCommands {
  std::optional<std::string> open_path;
  bool open_dialog = false;
  bool save_dialog = false;              // File > Save pcap
  std::optional<std::string> save_path;  // write the document's packets there
  bool quit = false;
};

// A capture's conversations on the timeline (the Flows tab).
struct FlowCommands {
  std::optional<std::vector<std::uint32_t>> show;  // conversations for the timeline; empty: all
  bool side_by_side = false;                       // with `show`: a TCP and a UDP ladder
  std::optional<std::uint32_t> follow;             // open Follow stream on this conversation
};

// Follow stream on the conversation of a packet (the View menu).
struct FollowCommands {
  std::optional<PacketRef> packet;
};

// Editing the open scenario (the Link tab, the packet actions).
struct EditCommands {
  std::optional<ScenarioEdit> scenario_edit;  // applied to the open scenario, which then runs again
  bool save_scenario_dialog = false;
  std::optional<std::string> save_scenario_path;
  std::optional<int> packet_delay_ms;  // the delay "Delay by" applies to a packet
};

// Prediction mode (teaching).
struct PredictionCommands {
  std::optional<bool> enable;
  std::optional<PredictionGuess> guess;  // the learner's guess (or "show") for the hidden segment
};

// Live capture and the live lab (the Live tab).
struct LiveCommands {
  std::optional<LiveCaptureOptions> capture;  // start capturing on an interface
  std::optional<LiveLabOptions> lab;          // start the live lab
  bool stop = false;
  bool follow = false;                   // scroll back to the newest packet and stay there
  std::optional<std::string> save_path;  // write what was captured so far
};

struct Commands {
  NavigationCommands nav;
  SelectionCommands select;
  DisplayCommands display;
  FileCommands file;
  FlowCommands flows;
  EditCommands edit;
  PredictionCommands predict;
  LiveCommands live;
  FollowCommands follow;
};

}  // namespace wirestep::gui
