// The "Link" tab of a simulated document: per link direction its latency, bandwidth, Bernoulli loss and
// Gilbert–Elliott burst loss, the scenario's seed, and the scripted rules on single packets with a remove
// button each. Every change is sent as a ScenarioEdit; the App applies it and runs the scenario again. While
// a slider is dragged the run is repeated at most every 100 ms, and once more when it is let go.
//
// Also here: the packet actions (drop, delay, duplicate) that the timeline's right-click menu and the
// inspector show for the selected packet.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/analysis/lang.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/document.hpp"
#include "ui/model/scenario_edit.hpp"

namespace wirestep::gui {

// What the last edit or save of the scenario came to, shown under the Link tab's rules.
struct EditOutcome {
  std::string message;         // empty: nothing to say
  bool failed = false;         // the message is an error
  std::uint64_t revision = 0;  // counts edits tried, applied or not
};

class LinkPanel {
 public:
  // Draws inside the current window (the left column's "Link" tab) for the open scenario; `generation`:
  // the document's (a new run refreshes what the sliders show).
  void draw_contents(const EditableScenario& scenario, std::uint64_t generation, const EditOutcome& outcome,
                     Lang lang, EditCommands& c);

 private:
  // True when the value differs from what last ran; sends it when the throttle allows.
  void send_direction(std::size_t link, bool a_to_b, bool released, EditCommands& c);

  std::uint64_t shown_generation_ = 0;
  std::uint64_t shown_revision_ = UINT64_MAX;
  std::vector<LinkSettings> ran_;    // what the current run used
  std::vector<LinkSettings> shown_;  // what the sliders show (ahead of ran_ while one is dragged)
  std::vector<ScriptedRule> rules_;
  std::uint64_t seed_ = 1;
  bool dragging_ = false;
  RerunThrottle throttle_;
};

// Whether the open document's packets can be edited (a simulated scenario), and by how much "Delay by"
// delays one.
struct PacketEditing {
  bool editable = false;
  int delay_ms = 200;
};

// The timeline's right-click menu for the selected packet (opened with ImGui::OpenPopup(kPacketMenuId)
// in the same window), and the row of buttons the inspector shows under the packet's summary.
inline constexpr const char* kPacketMenuId = "packet-edit-menu";
void draw_packet_edit_menu(const Document& doc, const ViewState& view, const PacketEditing& editing,
                           EditCommands& c);
void draw_packet_edit_buttons(const Document& doc, const ViewState& view, const PacketEditing& editing,
                              EditCommands& c);

}  // namespace wirestep::gui
