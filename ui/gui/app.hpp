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

#include "capture/live_trace.hpp"
#include "sim/analysis/connection_state.hpp"
#include "sim/analysis/ground_truth.hpp"
#include "sim/analysis/prediction.hpp"
#include "sim/analysis/step_order.hpp"
#include "sim/scenario/comparison.hpp"
#include "sim/trace/trace.hpp"
#include "ui/cli/comparison_table.hpp"
#include "ui/cli/ladder_text.hpp"
#include "ui/gui/scenario_edit.hpp"
#include "ui/gui/timeline_mapping.hpp"
#include "ui/gui/view_state.hpp"

struct ImFont;

namespace wirestep {
class CaptureFlows;  // sim/analysis/flow_list.hpp
}  // namespace wirestep

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
  // A capture showing only some flows (Flows tab): each packet's index in the whole capture (frame - 1).
  std::vector<std::uint32_t> source_packets;
  // The number people see for a packet: its frame number in the file (or in the whole run), also when only
  // some flows are shown.
  std::uint32_t display_number(std::uint32_t packet) const {
    return (packet < source_packets.size() ? source_packets[packet] : packet) + 1;
  }
  // The Wireshark-style analyzer's flags and, for runs, their agreement with the causes (App::frame builds
  // it once the Trace is complete).
  TraceAnalysis analysis;
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
  // Captures (flow_list.hpp): the conversations and each one's packets. While the timeline shows only some
  // conversations, `traces` holds them and the whole capture's trace waits in `whole_capture`.
  std::shared_ptr<const CaptureFlows> flows;
  std::vector<std::uint32_t> shown_flows;  // conversation ids; empty: the whole capture
  bool flows_side_by_side = false;         // a TCP and a UDP flow in two ladders
  std::unique_ptr<LoadedTrace> whole_capture;
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
  // Captures and files
  std::optional<std::vector<std::uint32_t>> show_flows;  // conversations for the timeline; empty: all
  bool flows_side_by_side = false;                       // with show_flows: a TCP and a UDP ladder
  bool save_dialog = false;
  std::optional<std::string> save_path;
  // Scenario editing
  std::optional<ScenarioEdit> scenario_edit;  // applied to the open scenario, which then runs again
  bool save_scenario_dialog = false;
  std::optional<std::string> save_scenario_path;
  std::optional<int> packet_delay_ms;  // the delay "Delay by" applies to a packet
  // Teaching
  std::optional<bool> predict;           // prediction mode on or off
  std::optional<PredictionGuess> guess;  // the learner's guess (or "show") for the hidden segment
  // Live
  std::optional<LiveCaptureOptions> live_capture;  // start capturing on an interface
  std::optional<LiveLabOptions> live_lab;          // start the live lab
  bool live_stop = false;
  bool live_follow = false;                   // scroll back to the newest packet and stay there
  std::optional<std::string> live_save_path;  // write what was captured so far
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
class GraphPanel;
enum class GraphKind : std::uint8_t;
class FileDialog;
class FlowListPanel;
class LivePanel;
class PredictionPanel;
class TruthPanel;
class LinkPanel;

// Builds every index a frame needs, once per Trace (App::finish_load).
void index_trace(LoadedTrace& lt, bool capture);
// A capture growing while it is shown: extends the indexes over the flows and the packets from
// `first_packet` on, leaving them as index_trace would build them over the whole Trace (captures only:
// they have no events).
void extend_capture_index(LoadedTrace& lt, std::size_t first_packet);
// Runs a scenario into `d`: one Trace, or a comparison's TCP and UDP runs with their table (App::open and
// every edit of the open scenario).
void run_scenario_into(Document& d, const Scenario& sc);

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

  // Graphs
  // For `shot --tab graphs`: the Graphs tab is selected on the next frame, showing `kind`.
  void show_graphs(GraphKind kind);

  // Scenario editing
  // The open scenario as an editable TOML document (simulated documents only; null for captures).
  const EditableScenario* editable() const {
    return editable_ && editable_generation_ == doc_.generation ? editable_.get() : nullptr;
  }
  // Applies an edit and runs the scenario again, keeping the view, the cursor time and the selection. On
  // failure the run stays as it was; either way the outcome is edit_message().
  std::optional<std::string> edit_scenario(const ScenarioEdit& edit);
  std::optional<std::string> save_scenario(const std::string& path);
  const std::string& edit_message() const { return edit_message_; }
  bool edit_failed() const { return edit_failed_; }
  std::uint64_t edit_revision() const { return edit_revision_; }  // counts edits tried, applied or not
  int packet_delay_ms() const { return packet_delay_ms_; }
  // For `shot --tab link`: the Link tab is selected on the next frame.
  void show_link_tab() { select_link_tab_ = true; }

  // Captures and files
  // Shows only these conversations of the capture in the timeline (empty: all of them); `side_by_side`
  // with one TCP and one UDP conversation draws them as two ladders. Builds their Trace once, from the
  // per-conversation packet lists.
  void show_flows(const std::vector<std::uint32_t>& conversations, bool side_by_side = false);
  // Writes the document's packets as pcap (save_pcap.hpp): a run through the exporter, a capture's frames
  // of the flows the timeline shows copied from its file. The outcome is also shown in the menu bar.
  std::optional<std::string> save_pcap(const std::string& path);
  void show_open_dialog();
  void show_save_dialog();
  void set_flow_filter(const std::string& text);
  const std::string& file_status() const { return file_status_; }

  // Teaching
  // Prediction mode (prediction.hpp): the next segment after the cursor is hidden until guessed.
  void set_prediction(bool on);
  const PredictionSession& prediction() const { return prediction_; }
  // As the prediction window's Check button does (for `shot --predict-guess`).
  void submit_prediction(const PredictionGuess& guess) { prediction_.submit(guess); }
  // For `shot --tab truth`: the "Truth vs analysis" tab is selected on the next frame.
  void show_truth_tab() { select_truth_tab_ = true; }

  // Live
  // A live capture or the live lab feeding a new document as it captures (the Live tab). The capture runs
  // on a background thread; frame() takes its new frames and extends the indexes, never re-indexing.
  void start_live_capture(const LiveCaptureOptions& options);
  void start_live_lab(const LiveLabOptions& options);
  void stop_live();  // joins the thread; what was captured stays
  void poll_live();  // takes the frames captured since the last call into the document (frame() calls it)
  bool live_running() const { return live_ && live_status_.running; }
  bool live_document() const { return live_ != nullptr; }
  // The live lab's settings while it runs (the Live tab shows them), nullopt for an interface capture.
  const std::optional<LiveLabOptions>& live_lab_options() const { return live_lab_options_; }
  const LiveSourceStatus& live_status() const { return live_status_; }
  const LiveTraceBuilder::Counts* live_counts() const {
    return live_builder_ ? &live_builder_->counts() : nullptr;
  }
  bool live_following() const { return live_follow_; }
  const std::string& live_message() const { return live_message_; }

 private:
  void apply(Commands& c);
  void handle_keys(Commands& c);
  void advance_play(double dt_s);
  void go_to_step(const std::optional<TimelineStep>& s);
  void keep_cursor_visible();
  void draw_menu(Commands& c);
  void draw_open_dialog(Commands& c);
  void draw_left_column(Commands& c, const PanelRect& r);
  void draw_lower_right(Commands& c, const PanelRect& r);
  void load_scenario_list();
  void finish_load(Document doc);
  void begin_live_document(const std::string& what);
  void drop_live();
  void follow_newest(bool force);
  void take_live_frames();

  Document doc_;
  ViewState view_;
  Fonts fonts_;
  std::vector<ScenarioEntry> scenarios_;
  std::string error_;
  bool quit_ = false;
  std::uint64_t loads_ = 0;
  std::vector<std::size_t> events_happened_;
  Cursor events_cursor_{INT64_MIN, std::nullopt};

  std::unique_ptr<TimelinePanel> timeline_;
  std::unique_ptr<InspectorPanel> inspector_;
  std::unique_ptr<StatePanel> state_;
  std::unique_ptr<ScenarioPanel> scenario_panel_;
  std::unique_ptr<ControlsPanel> controls_;
  std::unique_ptr<ComparisonPanel> comparison_;

  // Graphs
  std::unique_ptr<GraphPanel> graphs_;
  bool select_graphs_tab_ = false;

  // Scenario editing
  void draw_save_scenario_dialog(Commands& c);
  std::unique_ptr<LinkPanel> link_panel_;
  std::unique_ptr<EditableScenario> editable_;
  std::uint64_t editable_generation_ = 0;  // the document it belongs to (another load leaves it behind)
  std::string edit_message_;
  bool edit_failed_ = false;
  std::uint64_t edit_revision_ = 0;
  int packet_delay_ms_ = 200;
  bool select_link_tab_ = false;
  bool save_scenario_dialog_ = false;
  char save_scenario_buf_[512] = {};

  // Captures and files
  std::unique_ptr<FileDialog> file_dialog_;
  std::unique_ptr<FlowListPanel> flows_panel_;
  bool select_flows_tab_ = false;  // open the Flows tab on the next frame (a capture was opened)
  std::string file_status_;        // "Wrote 1,234 packets to x.pcap", or why a save failed
  bool file_status_failed_ = false;
  double file_status_age_s_ = 0;

  // Teaching
  void update_teaching();
  std::unique_ptr<PredictionPanel> prediction_panel_;
  std::unique_ptr<TruthPanel> truth_;
  PredictionSession prediction_;
  Cursor prediction_cursor_{INT64_MIN, std::nullopt};  // where the question was last looked for
  std::uint64_t prediction_generation_ = 0;
  bool prediction_relative_ = true;
  std::vector<const Trace*> prediction_traces_;  // reused: the document's traces and numberings
  std::vector<const RelativeSeq*> prediction_rels_;
  bool select_truth_tab_ = false;

  // Live
  std::unique_ptr<LivePanel> live_panel_;
  std::unique_ptr<LiveSource> live_;  // the source feeding doc_ (kept after it stops: the pcap is its)
  std::unique_ptr<LiveTraceBuilder> live_builder_;
  LiveFrameQueue::Batch live_batch_;
  LiveSourceStatus live_status_;
  std::optional<LiveLabOptions> live_lab_options_;
  std::uint64_t live_generation_ = 0;  // doc_.generation of the live document
  std::uint64_t live_sessions_ = 0;
  bool live_follow_ = true;
  bool live_select_tab_ = false;  // open the Live tab on the next frame
  std::string live_message_;
};

}  // namespace wirestep::gui
