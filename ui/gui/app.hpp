// The desktop application's shell: fonts, the menu bar, the tiled layout of the panels, the keys, and the
// dispatch of what the panels ask for. What is open, its indexes and analyses live in the headless document
// (ui/model/open_document.hpp); what the user is looking at is the plain ViewState. Knows ImGui but not
// GLFW or OpenGL (glfw_window.hpp does), so one frame can be built the same way on screen, offscreen for
// `wirestep shot`, or in a benchmark.
//
// Data flows one way: panels read the document and the view state and write Commands (panel_commands.hpp);
// the App applies the commands after the frame. Loading builds every index once; a frame then only does
// binary searches and draws what is visible.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/twin_compare.hpp"
#include "sim/analysis/prediction.hpp"
#include "sim/trace/trace.hpp"
#include "ui/gui/fonts.hpp"
#include "ui/gui/link_panel.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/panel_window.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/follow_view.hpp"
#include "ui/model/open_document.hpp"
#include "ui/model/prediction_tracker.hpp"
#include "ui/model/scenario_list.hpp"

namespace wirestep::gui {

enum class GraphKind : std::uint8_t;

class App {
 public:
  App();
  ~App();

  // The style and the fonts (call once, after ImGui::CreateContext, before the first frame). Fonts missing:
  // ImGui's built-in font, and Chinese is disabled with a message.
  void setup_imgui();

  // Opens a scenario (.toml) or capture (.pcap/.pcapng). On failure keeps the current document and returns
  // the message (also shown in the UI).
  std::optional<std::string> open(const std::string& path);
  // Opens `wirestep twin`'s two pcaps as one document: the simulated and the real Linux lane, differences
  // marked (ui/model/twin_document.hpp). On failure as open().
  std::optional<std::string> open_twin(const std::string& sim_pcap, const std::string& real_pcap,
                                       const TwinCompareOptions& options = {});
  // Replaces the document with a Trace built in memory (tests, benchmarks: a synthetic million packets).
  void open_trace(Trace trace, const std::string& title);

  // One frame of UI between ImGui::NewFrame and ImGui::Render. `dt_s`: wall time since the last frame.
  void frame(double dt_s);
  bool quit_requested() const { return quit_; }

  ViewState& view() { return view_; }
  const ViewState& view() const { return view_; }
  const OpenDocument& document() const { return document_; }
  const Document& doc() const { return document_.doc(); }
  const Fonts& fonts() const { return fonts_; }
  const std::vector<ScenarioEntry>& scenarios() const { return scenarios_; }

  // What the panels' commands do, for `wirestep shot`, tests and benchmarks.
  void set_cursor(std::int64_t t_ns);
  void select(PacketRef p);
  void fit_view();
  // Tabs to select on the next frame: the Graphs tab showing `kind`, the Link tab, "Truth vs analysis".
  void show_graphs(GraphKind kind);
  void show_link_tab() { tabs_.link = true; }
  void show_truth_tab() { tabs_.truth = true; }
  // The topology view with a node's details open (the shot's --node).
  void show_topology_node(const std::string& name);
  // Opens Follow stream on the conversation of `target`'s packet (follow_panel.hpp).
  void follow_stream(const FollowTarget& target);
  bool follow_open() const;
  void set_follow_mode(bool hex, bool gbk);  // text or hex dump; text as UTF-8 or GBK

  // Scenario editing
  // The open scenario as an editable TOML document (simulated documents only; null for captures).
  const EditableScenario* editable() const { return document_.scenario(); }
  // Applies an edit and runs the scenario again, keeping the view, the cursor time and the selection. On
  // failure the run stays as it was; either way the outcome is edit_message().
  std::optional<std::string> edit_scenario(const ScenarioEdit& edit);
  std::optional<std::string> save_scenario(const std::string& path);
  const std::string& edit_message() const { return edit_outcome_.message; }
  bool edit_failed() const { return edit_outcome_.failed; }
  int packet_delay_ms() const { return packet_delay_ms_; }

  // Captures and files
  // Shows only these conversations of the capture in the timeline (empty: all of them); `side_by_side`
  // with one TCP and one UDP conversation draws them as two ladders.
  void show_flows(const std::vector<std::uint32_t>& conversations, bool side_by_side = false);
  // Writes the document's packets as pcap (ui/model/save_pcap.hpp). The outcome is also shown in the menu
  // bar.
  std::optional<std::string> save_pcap(const std::string& path);
  void show_open_dialog();
  void show_save_dialog();
  void set_flow_filter(const std::string& text);
  const std::string& file_status() const { return file_status_.text; }

  // Teaching
  // Prediction mode (prediction.hpp): the next segment after the cursor is hidden until guessed.
  void set_prediction(bool on);
  const PredictionSession& prediction() const { return prediction_.session(); }
  // As the prediction window's Check button does (for `shot --predict-guess`).
  void submit_prediction(const PredictionGuess& guess) { prediction_.session().submit(guess); }

  // Live
  // A live capture or the live lab feeding a new document as it captures (the Live tab); the document
  // takes the new frames every frame (poll_live) and the view follows the newest packet.
  void start_live_capture(const LiveCaptureOptions& options);
  void start_live_lab(const LiveLabOptions& options);
  void stop_live();  // joins the capture's thread; what was captured stays
  void poll_live();  // takes the frames captured since the last call (frame() calls it)

 private:
  struct Panels;  // every panel, by value (app.cpp)

  // Tabs to select on the next frame (a new capture opens the Flows tab, a live one the Live tab; `shot`).
  struct TabRequests {
    bool flows = false, live = false, link = false, graphs = false, truth = false;
  };
  // The last save's outcome in the menu bar, for a while (a failure longer).
  struct FileStatus {
    std::string text;  // "Wrote 1,234 packets to x.pcap", or why a save failed
    bool failed = false;
    double age_s = 0;
  };

  void apply(Commands& c);
  void handle_keys(Commands& c);
  void draw_menu(Commands& c);
  void draw_left_column(Commands& c, const PanelRect& r);
  void draw_lower_right(Commands& c, const PanelRect& r);
  void show_save_scenario_dialog();
  // The view and prediction mode start over on a document that replaced another.
  void on_new_document();
  // ... and a live one opens the Live tab on its first second, following the newest packet.
  void on_new_live_document();
  void follow_live(const LivePoll& poll);
  PacketEditing packet_editing() const { return {editable() != nullptr, packet_delay_ms_}; }

  OpenDocument document_;
  ViewState view_;
  PredictionTracker prediction_;
  std::vector<ScenarioEntry> scenarios_;
  Fonts fonts_;
  std::unique_ptr<Panels> panels_;
  TabRequests tabs_;
  FileStatus file_status_;
  EditOutcome edit_outcome_;
  int packet_delay_ms_ = 200;
  std::string live_message_;  // the outcome of the Live tab's "Save pcap"
  bool quit_ = false;
};

}  // namespace wirestep::gui
