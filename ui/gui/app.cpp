// The App's frame: the panels (one of each), the menu bar, their tiled layout, the tabs and dialogs it opens,
// and the keys. What the frame's commands do is app_actions.cpp.
#include "ui/gui/app.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "ui/cli/commands.hpp"
#include "ui/gui/capture_banner.hpp"
#include "ui/gui/comparison_panel.hpp"
#include "ui/gui/controls_panel.hpp"
#include "ui/gui/file_dialog.hpp"
#include "ui/gui/flow_list_panel.hpp"
#include "ui/gui/follow_panel.hpp"
#include "ui/gui/graph_panel.hpp"
#include "ui/gui/inspector_panel.hpp"
#include "ui/gui/link_panel.hpp"
#include "ui/gui/live_panel.hpp"
#include "ui/gui/overview_panel.hpp"
#include "ui/gui/palette.hpp"
#include "ui/gui/prediction_panel.hpp"
#include "ui/gui/save_scenario_dialog.hpp"
#include "ui/gui/scenario_panel.hpp"
#include "ui/gui/script_panel.hpp"
#include "ui/gui/state_panel.hpp"
#include "ui/gui/timeline_mapping.hpp"
#include "ui/gui/timeline_panel.hpp"
#include "ui/gui/topology_panel.hpp"
#include "ui/gui/truth_panel.hpp"
#include "ui/gui/twin_panel.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/gui/view_navigation.hpp"
#include "ui/model/save_pcap.hpp"

namespace wirestep::gui {

// Every panel, one of each, by value: only this file needs their headers.
struct App::Panels {
  // The left column's tabs.
  ScenarioPanel lessons;
  FlowListPanel flows;
  LivePanel live;
  LinkPanel link;
  ScriptPanel script;  // a packetdrill script's lines
  ComparisonPanel comparison;
  TwinPanel twin;  // a twin pair's differences, where a comparison's table goes
  // The centre.
  ControlsPanel controls;
  TimelinePanel timeline;
  OverviewPanel overview;  // a capture's conversations, in the timeline's place
  TopologyPanel topology;  // nodes, links and the packets on them, above the timeline
  CaptureBanner banner;    // over the timeline when a capture file was not read cleanly
  PredictionPanel prediction;
  FollowPanel follow;
  // The right column and its lower tabs.
  InspectorPanel inspector;
  StatePanel state;
  GraphPanel graphs;
  TruthPanel truth;
  // Modal dialogs.
  FileDialog file_dialog;
  SaveScenarioDialog save_scenario;
};

App::App() : scenarios_(list_scenarios(default_scenario_directory())), panels_(std::make_unique<Panels>()) {}

// The open document stops a live capture (and the lab removes its namespaces) before the Trace the capture
// fills goes away.
App::~App() = default;

void App::setup_imgui() {
  apply_style();
  fonts_ = load_fonts(scenarios_);
}

void App::show_graphs(GraphKind kind) {
  panels_->graphs.set_kind(kind);
  tabs_.graphs = true;
}

void App::follow_stream(const FollowTarget& target) {
  panels_->follow.open(target);
}

bool App::follow_open() const {
  return panels_->follow.is_open();
}

void App::set_follow_mode(bool hex, bool gbk) {
  panels_->follow.set_hex(hex);
  panels_->follow.set_gbk(gbk);
}

void App::show_open_dialog() {
  panels_->file_dialog.show(FileDialog::Mode::Open, FileBrowser::start_directory(doc().source));
}

void App::show_save_dialog() {
  panels_->file_dialog.show(FileDialog::Mode::Save, FileBrowser::start_directory(doc().source),
                            suggested_save_name(doc()));
}

void App::show_topology_node(const std::string& name) {
  view_.topology = true;
  panels_->topology.show_node(name);
}

void App::set_flow_filter(const std::string& text) {
  panels_->flows.set_filter(text);
}

void App::show_save_scenario_dialog() {
  panels_->save_scenario.show(doc().source);
}

void App::handle_keys(Commands& c) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantCaptureKeyboard) return;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) c.nav.toggle_play = true;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) c.nav.step = -1;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) c.nav.step = +1;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Home), false)) c.nav.to_start = true;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_End), false)) c.nav.to_end = true;
  // Follow stream: Wireshark's key for Follow TCP Stream.
  if (io.KeyCtrl && io.KeyAlt && io.KeyShift && ImGui::IsKeyPressed('T', false) && view_.selected)
    c.follow.packet = view_.selected;
  // '+' and '-' arrive as characters (ImGui 1.86 has no key codes for them).
  for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
    const ImWchar ch = io.InputQueueCharacters[i];
    if (ch == '+' || ch == '=' || ch == '-') c.nav.zoom = ch == '-' ? 1.25 : 0.8;  // zoom_view
  }
}

void App::draw_menu(Commands& c) {
  const Lang lang = view_.lang;
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu(tr(lang, T::MenuFile))) {
    if (ImGui::MenuItem(tr(lang, T::MenuOpen), "Ctrl+O")) c.file.open_dialog = true;
    if (ImGui::MenuItem(tr(lang, T::MenuSavePcap), "Ctrl+S", false, !doc().traces.empty()))
      c.file.save_dialog = true;
    // Scenario editing
    if (ImGui::MenuItem(tr(lang, T::SaveScenarioAs), nullptr, false, editable() != nullptr))
      c.edit.save_scenario_dialog = true;
    if (ImGui::MenuItem(tr(lang, T::MenuQuit))) c.file.quit = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr(lang, T::MenuView))) {
    Filters f = view_.filters;
    bool changed = ImGui::MenuItem(tr(lang, T::ShowEvents), nullptr, &f.events);
    changed |= ImGui::MenuItem(tr(lang, T::ShowAcks), nullptr, &f.pure_acks);
    changed |= ImGui::MenuItem(tr(lang, T::RelativeSeq), nullptr, &f.relative_seq);
    changed |= ImGui::MenuItem("TCP", nullptr, &f.tcp);
    changed |= ImGui::MenuItem("UDP", nullptr, &f.udp);
    if (changed) c.display.filters = f;
    bool sequence = view_.sequence;
    if (ImGui::MenuItem(tr(lang, T::SequenceLayout), nullptr, &sequence)) c.display.sequence = sequence;
    // A simulated run's network (a capture has no hosts to draw).
    bool topology = view_.topology;
    if (ImGui::MenuItem(tr(lang, T::TopologyView), nullptr, &topology,
                        !doc().traces.empty() && !doc().capture))
      c.display.topology = topology;
    // Teaching
    ImGui::Separator();
    bool predict = prediction().enabled();
    if (ImGui::MenuItem(tr(lang, T::PredictMode), nullptr, &predict)) c.predict.enable = predict;
    // Follow stream
    if (ImGui::MenuItem(tr(lang, T::FollowSelected), "Ctrl+Alt+Shift+T", false, view_.selected.has_value()))
      c.follow.packet = view_.selected;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr(lang, T::MenuLanguage))) {
    if (ImGui::MenuItem("English", nullptr, lang == Lang::En)) c.display.lang = Lang::En;
    if (ImGui::MenuItem("\xE4\xB8\xAD\xE6\x96\x87 (Chinese)", nullptr, lang == Lang::Zh, fonts_.cjk))
      c.display.lang = Lang::Zh;
    if (!fonts_.cjk && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("%s", tr(Lang::En, T::NoCjkFont));
    ImGui::EndMenu();
  }
  // Right side: the document and its size.
  char info[160];
  std::snprintf(info, sizeof info, "%s   %zu %s",
                std::filesystem::path(doc().source).filename().string().c_str(), packet_count(doc()),
                tr(lang, T::PacketsWord));
  const float w = ImGui::CalcTextSize(info).x;
  // The last save's outcome, for a while (a failure longer), where the eye goes after the dialog closes.
  if (!file_status_.text.empty() && file_status_.age_s < (file_status_.failed ? 30.0 : 12.0)) {
    ImGui::SameLine(0.0f, 24.0f);
    ImGui::TextColored(ImColor(rgb(file_status_.failed ? kLostHex : 0x2E7D32)), "%s",
                       file_status_.text.c_str());
  }
  ImGui::SameLine(ImGui::GetWindowWidth() - w - 16.0f);
  ImGui::TextDisabled("%s", info);
  ImGui::EndMainMenuBar();
}

// The left column: one tab per way of choosing what to look at. Each tab draws inside this window.
void App::draw_left_column(Commands& c, const PanelRect& r) {
  const PanelWindow window("###left", r, {.title_bar = false});
  if (!window.visible() || !ImGui::BeginTabBar("left-tabs")) return;
  const Lang lang = view_.lang;
  if (ImGui::BeginTabItem(tr(lang, T::Scenarios))) {
    panels_->lessons.draw_contents(scenarios_, doc(), document_.error(lang), lang, fonts_, c.file);
    ImGui::EndTabItem();
  }
  // Captures and files
  if (doc().flows) {
    char flows_label[64];
    std::snprintf(flows_label, sizeof flows_label, "%s###flows-tab", tr(lang, T::Flows));
    if (ImGui::BeginTabItem(flows_label, nullptr, tabs_.flows ? ImGuiTabItemFlags_SetSelected : 0)) {
      panels_->flows.draw_contents(doc(), view_, fonts_, c.flows);
      ImGui::EndTabItem();
    }
  }
  tabs_.flows = false;
  // packetdrill scripts: the tab comes to the front when a script opens.
  if (doc().script) {
    char script_label[64];
    std::snprintf(script_label, sizeof script_label, "%s###script-tab", tr(lang, T::ScriptTab));
    const bool front = panels_->script.take_new_script(doc());
    if (ImGui::BeginTabItem(script_label, nullptr, front ? ImGuiTabItemFlags_SetSelected : 0)) {
      panels_->script.draw_contents(doc(), view_, fonts_, c.nav);
      ImGui::EndTabItem();
    }
  }
  // Live
  char live_label[64];
  std::snprintf(live_label, sizeof live_label, "%s###live-tab", tr(lang, T::LiveTab));
  if (ImGui::BeginTabItem(live_label, nullptr, tabs_.live ? ImGuiTabItemFlags_SetSelected : 0)) {
    panels_->live.draw_contents(document_.live(), view_.following_newest, live_message_, lang, c.live);
    ImGui::EndTabItem();
  }
  tabs_.live = false;
  // Scenario editing
  if (const EditableScenario* scenario = editable()) {
    char link_label[64];
    std::snprintf(link_label, sizeof link_label, "%s###link-tab", tr(lang, T::LinkTab));
    if (ImGui::BeginTabItem(link_label, nullptr, tabs_.link ? ImGuiTabItemFlags_SetSelected : 0)) {
      panels_->link.draw_contents(*scenario, doc().generation, edit_outcome_, lang, c.edit);
      ImGui::EndTabItem();
    }
  }
  tabs_.link = false;
  ImGui::EndTabBar();
}

// Below the inspector: the state machine and, beside it, the graphs over time.
void App::draw_lower_right(Commands& c, const PanelRect& r) {
  const PanelWindow window("###lower-right", r, {.title_bar = false});
  if (!window.visible() || !ImGui::BeginTabBar("lower-right-tabs")) return;
  const Lang lang = view_.lang;
  if (ImGui::BeginTabItem(tr(lang, T::TcpState))) {
    panels_->state.draw_contents(doc(), view_, fonts_.small);
    ImGui::EndTabItem();
  }
  char graphs[64];
  std::snprintf(graphs, sizeof graphs, "%s###graphs-tab", tr(lang, T::GraphsTab));
  if (ImGui::BeginTabItem(graphs, nullptr, tabs_.graphs ? ImGuiTabItemFlags_SetSelected : 0)) {
    panels_->graphs.draw_contents(doc(), view_, fonts_, c.nav);
    ImGui::EndTabItem();
  }
  tabs_.graphs = false;
  // Teaching
  char truth[64];
  std::snprintf(truth, sizeof truth, "%s###truth-tab", tr(lang, T::TruthTab));
  if (ImGui::BeginTabItem(truth, nullptr, tabs_.truth ? ImGuiTabItemFlags_SetSelected : 0)) {
    panels_->truth.draw_contents(doc(), view_, c.select, c.nav);
    ImGui::EndTabItem();
  }
  tabs_.truth = false;
  ImGui::EndTabBar();
}

void App::frame(double dt_s) {
  Commands c;
  poll_live();
  document_.update_analysis();
  prediction_.update(doc(), view_.cursor, view_.filters.relative_seq);
  advance_play(view_, doc(), prediction_.session(), dt_s);

  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && ImGui::IsKeyPressed('O', false) && !io.WantCaptureKeyboard) c.file.open_dialog = true;
  if (io.KeyCtrl && ImGui::IsKeyPressed('S', false) && !io.WantCaptureKeyboard && !doc().traces.empty())
    c.file.save_dialog = true;
  file_status_.age_s += dt_s;
  draw_menu(c);
  const float top = ImGui::GetFrameHeight();
  const float W = io.DisplaySize.x, H = io.DisplaySize.y - top;
  const bool comparison = doc().comparison.has_value() || doc().twin;
  // A comparison's table (or a twin pair's differences) needs a wider left column; its two ladders share
  // the centre.
  // A capture's flow table wants room for its endpoint columns.
  // The conversation overview is itself a table of flows: the centre gets the room for its time strips.
  const bool overview = view_.overview && doc().flows;
  const float left_w = comparison    ? std::clamp(W * 0.25f, 300.0f, 420.0f)
                       : overview    ? std::clamp(W * 0.2f, 250.0f, 340.0f)
                       : doc().flows ? std::clamp(W * 0.28f, 300.0f, 520.0f)
                                     : std::clamp(W * 0.2f, 250.0f, 340.0f);
  const float right_w = std::clamp(W * 0.28f, 340.0f, 480.0f);
  const float center_w = std::max(W - left_w - right_w, 200.0f);
  const float controls_h = ControlsPanel::height(view_.lang, center_w);
  const float lessons_h = comparison ? H * 0.5f : H;
  const float banner_h = CaptureBanner::wanted(doc()) ? CaptureBanner::height() : 0.0f;
  PanelRect timeline_rect{left_w, top + controls_h + banner_h, center_w, H - controls_h - banner_h};
  // The topology view takes the upper part of the centre; the ladder below keeps its cursor in sight.
  const bool topology = view_.topology && !doc().capture && !doc().traces.empty();
  const PanelRect topology_rect{timeline_rect.x, timeline_rect.y, center_w,
                                std::round(timeline_rect.h * 0.46f)};
  if (topology) {
    timeline_rect.y += topology_rect.h;
    timeline_rect.h -= topology_rect.h;
  }
  const bool offer_follow = document_.live().active() && !view_.following_newest;

  draw_left_column(c, {0, top, left_w, lessons_h});
  if (doc().twin)
    panels_->twin.draw(doc(), view_, fonts_, c.select, c.nav, {0, top + lessons_h, left_w, H - lessons_h});
  else if (comparison)
    panels_->comparison.draw(doc().comparison_rows, view_.lang, fonts_,
                             {0, top + lessons_h, left_w, H - lessons_h});
  panels_->controls.draw(doc(), view_, prediction().enabled(), c.nav, c.predict,
                         {left_w, top, center_w, controls_h});
  if (banner_h > 0)
    panels_->banner.draw(doc(), view_, fonts_, c.select, c.nav,
                         {left_w, top + controls_h, center_w, banner_h});
  if (view_.overview && doc().capture && doc().flows)
    panels_->overview.draw(doc(), view_, fonts_, c.nav, c.flows, c.display, timeline_rect);
  else
    panels_->timeline.draw(doc(), view_, fonts_, prediction(), packet_editing(), offer_follow, c.nav,
                           c.select, c.edit, c.live, c.display, timeline_rect);
  if (topology) {
    const EditableScenario* scenario = editable();
    panels_->topology.draw(doc(), scenario ? &scenario->scenario() : nullptr, view_, fonts_, c.select,
                           topology_rect);
  }
  if (prediction().enabled())
    panels_->prediction.draw(doc(), prediction(), view_.lang, c.predict, timeline_rect);
  panels_->follow.draw(doc(), view_, fonts_, c.select, c.nav, timeline_rect);
  panels_->inspector.draw(doc(), view_, fonts_, prediction(), packet_editing(), c.edit,
                          {left_w + center_w, top, right_w, H * 0.46f});
  draw_lower_right(c, {left_w + center_w, top + H * 0.46f, right_w, H * 0.54f});
  // The Open and Save dialogs share one modal file browser (file_dialog.hpp).
  panels_->file_dialog.draw(doc(), view_.lang, c.file);
  panels_->save_scenario.draw(view_.lang, c.edit);
  handle_keys(c);
  apply(c);
}

}  // namespace wirestep::gui
