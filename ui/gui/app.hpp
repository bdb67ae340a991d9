// The application: what is open (a Document: one Trace, or two for a TCP-vs-UDP comparison, with the indexes
// the panels need), the ViewState, and the panels. Knows ImGui but not GLFW or OpenGL (glfw_window.hpp does),
// so one frame can be built the same way on screen, offscreen for `wirestep shot`, or in a benchmark.
//
// Data flows one way: panels read the Document and ViewState and write Commands; the App applies the
// commands after the frame. Loading builds every index once (arrival order, step events, state changes,
// per-flow columns); a frame then only does binary searches and draws what is visible.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/comparison.hpp"
#include "sim/trace/trace.hpp"
#include "ui/cli/comparison_table.hpp"
#include "ui/cli/ladder_text.hpp"
#include "ui/gui/connection_state.hpp"
#include "ui/gui/step_order.hpp"
#include "ui/gui/timeline_mapping.hpp"
#include "ui/gui/view_state.hpp"

struct ImFont;

namespace wirestep::gui {

// One Trace and what the panels need to draw it quickly.
struct LoadedTrace {
  std::string label;  // "TCP", "UDP" in a comparison; "" otherwise
  Trace trace;
  std::optional<RelativeSeq> rel;
  std::vector<FlowColumns> flow_columns;  // per flow: the columns of its two ends
  struct Column {
    std::string name;     // "A" or the address for captures
    std::string address;  // "10.0.0.1/24"
  };
  std::vector<Column> columns;  // at most LadderLayout::kMaxColumns
  std::int64_t max_flight_ns = 0;
  // Events shown beside the lanes (socket calls, states, timer fires, notes), sorted by time.
  std::vector<std::int64_t> event_times;
  std::vector<std::uint32_t> event_ids;
  std::vector<std::uint8_t> event_columns;
  std::vector<std::string> event_texts;  // parallel; empty when there are too many to keep
  ConnectionStates states;
  std::array<bool, static_cast<std::size_t>(ArrowKind::Count)> kinds_present{};  // for the legend
  bool any_lost = false;
  std::string capture_path;  // captures: the file the inspector re-reads frames from
  bool capture_ethernet = true;
};

struct Document {
  std::string source;  // the file
  std::string title, title_zh, explanation, explanation_zh;
  bool capture = false;
  std::vector<std::unique_ptr<LoadedTrace>> traces;
  std::optional<ComparisonResult> comparison;
  std::vector<ComparisonRow> comparison_rows;
  std::int64_t begin_ns = 0, end_ns = 1;  // the whole run
  std::int64_t focus_end_ns = 1;          // where the interesting part ends (initial zoom)
  StepOrder steps;
  std::uint64_t generation = 0;  // changes with every load, so panels know their caches are stale
};

struct ScenarioEntry {
  std::string path;
  std::string name, title, title_zh, explanation_zh;
};

// What panels ask for; applied by App::apply after the frame.
struct Commands {
  std::optional<std::string> open_path;
  std::optional<PacketRef> select;
  bool clear_selection = false;
  std::optional<PacketRef> hover;
  std::optional<std::int64_t> set_cursor_ns;
  int step = 0;  // -1 previous, +1 next
  bool to_start = false, to_end = false, toggle_play = false;
  std::optional<double> speed;
  std::optional<std::pair<std::int64_t, std::int64_t>> set_view;
  std::optional<Lang> lang;
  std::optional<Filters> filters;
  bool fit = false;
  bool quit = false;
  bool open_dialog = false;
  // -- graphs --
  // -- captures and files --
  // -- scenario editing --
  // -- teaching --
  // -- live --
};

// Where a panel's window goes (the App tiles the screen; panels do not move).
struct PanelRect {
  float x = 0, y = 0, w = 0, h = 0;
};

struct Fonts {
  ImFont* ui = nullptr;
  ImFont* mono = nullptr;
  ImFont* small = nullptr;  // arrow labels (Latin only)
  bool cjk = false;         // Chinese glyphs were loaded
  std::string cjk_path;
};

class TimelinePanel;
class InspectorPanel;
class StatePanel;
class ScenarioPanel;
class ControlsPanel;
class ComparisonPanel;

class App {
 public:
  App();
  ~App();

  // Adds fonts to ImGui's atlas (call once, after ImGui::CreateContext, before the first frame) and sets the
  // style. Fonts missing: ImGui's built-in font, and Chinese is disabled with a message.
  void setup_imgui();

  // Opens a scenario (.toml) or capture (.pcap/.pcapng). On failure keeps the current document and returns
  // the message (also shown in the UI).
  std::optional<std::string> open(const std::string& path);
  // Replaces the document with a Trace built in memory (tests, benchmarks: a synthetic million packets).
  void open_trace(Trace trace, const std::string& title);

  // One frame of UI between ImGui::NewFrame and ImGui::Render. `dt_s`: wall time since the last frame.
  void frame(double dt_s);
  bool quit_requested() const { return quit_; }

  ViewState& view() { return view_; }
  const ViewState& view() const { return view_; }
  const Document& doc() const { return doc_; }
  const Fonts& fonts() const { return fonts_; }
  const std::vector<ScenarioEntry>& scenarios() const { return scenarios_; }
  const std::string& error() const { return error_; }
  Lang lang() const { return view_.lang; }
  // The cursor's event count per trace (StepOrder::events_happened), refreshed when the cursor moves.
  std::size_t events_happened(std::uint32_t trace) const;

  // For `shot --at` and `--select`.
  void set_cursor(std::int64_t t_ns);
  void select(PacketRef p);
  void fit_view();

 private:
  void apply(Commands& c);
  void handle_keys(Commands& c);
  void advance_play(double dt_s);
  void go_to_step(const std::optional<Step>& s);
  void keep_cursor_visible();
  void draw_menu(Commands& c);
  void draw_open_dialog(Commands& c);
  void draw_left_column(Commands& c, const PanelRect& r);
  void draw_lower_right(Commands& c, const PanelRect& r);
  void load_scenario_list();
  void finish_load(Document doc);

  Document doc_;
  ViewState view_;
  Fonts fonts_;
  std::vector<ScenarioEntry> scenarios_;
  std::string error_;
  bool quit_ = false;
  bool open_dialog_ = false;
  std::uint64_t loads_ = 0;
  char open_buf_[512] = {};
  std::vector<std::size_t> events_happened_;
  Cursor events_cursor_{INT64_MIN, std::nullopt};

  std::unique_ptr<TimelinePanel> timeline_;
  std::unique_ptr<InspectorPanel> inspector_;
  std::unique_ptr<StatePanel> state_;
  std::unique_ptr<ScenarioPanel> scenario_panel_;
  std::unique_ptr<ControlsPanel> controls_;
  std::unique_ptr<ComparisonPanel> comparison_;
};

}  // namespace wirestep::gui
