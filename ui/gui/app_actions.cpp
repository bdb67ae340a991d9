// What the App does with the panels' commands: each one goes to the open document (ui/model/) or to the
// view state (view_navigation.hpp); the messages the user reads (an edit refused, a file saved) are
// written here, in the UI's language.
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "ui/gui/app.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/gui/view_navigation.hpp"
#include "ui/model/follow_view.hpp"
#include "ui/model/save_pcap.hpp"

namespace wirestep::gui {

void App::on_new_document() {
  show_new_document(view_, doc());
  prediction_.reset();
}

std::optional<std::string> App::open_twin(const std::string& sim_pcap, const std::string& real_pcap,
                                          const TwinCompareOptions& options) {
  if (auto failed = document_.open_twin(sim_pcap, real_pcap, options)) return failed;
  on_new_document();
  view_.overview = false;
  edit_outcome_.message.clear();
  edit_outcome_.failed = false;
  return std::nullopt;
}

std::optional<std::string> App::open(const std::string& path) {
  if (auto failed = document_.open(path)) return failed;
  on_new_document();
  if (doc().capture) tabs_.flows = true;
  view_.overview = prefers_overview(doc());
  edit_outcome_.message.clear();
  edit_outcome_.failed = false;
  return std::nullopt;
}

void App::open_trace(Trace trace, const std::string& title) {
  document_.open_trace(std::move(trace), title);
  on_new_document();
}

void App::set_cursor(std::int64_t t_ns) {
  view_.cursor = Cursor{t_ns, std::nullopt};
  keep_cursor_visible(view_);
}

void App::select(PacketRef p) {
  view_.selected = p;
}

void App::fit_view() {
  gui::fit_view(view_, doc());
}

// Scenario editing

std::optional<std::string> App::edit_scenario(const ScenarioEdit& edit) {
  ++edit_outcome_.revision;
  if (!editable()) {
    edit_outcome_.failed = true;
    edit_outcome_.message = "only a simulated scenario can be edited";
    return edit_outcome_.message;
  }
  if (Status s = document_.edit(edit); !s) {
    edit_outcome_.failed = true;
    edit_outcome_.message = std::string(tr(view_.lang, T::EditNotApplied)) + ": " + s.error().message();
    return edit_outcome_.message;
  }
  edit_outcome_.failed = false;
  edit_outcome_.message.clear();
  // The new run replaces the old one in place: same titles, same view, the cursor at the same time, and the
  // same packet selected.
  const ViewState kept = view_;
  on_new_document();
  keep_view_across_rerun(view_, kept, doc());
  return std::nullopt;
}

std::optional<std::string> App::save_scenario(const std::string& path) {
  if (!editable()) return std::string("only a simulated scenario can be saved as a scenario");
  const Status s = editable()->save(path);
  edit_outcome_.failed = !s;
  edit_outcome_.message = s ? std::string(tr(view_.lang, T::SavedScenarioTo)) + " " + path + "\n" +
                                  tr(view_.lang, T::SavedScenarioRun) + " wirestep run " + path
                            : s.error().message();
  return s ? std::nullopt : std::optional<std::string>(edit_outcome_.message);
}

// Captures and files

void App::show_flows(const std::vector<std::uint32_t>& conversations, bool side_by_side) {
  if (!document_.show_flows(conversations, side_by_side)) return;
  on_new_document();
  // Chosen conversations are seen on their ladder.
  if (!conversations.empty()) view_.overview = false;
}

std::optional<std::string> App::save_pcap(const std::string& path) {
  const Lang lang = view_.lang;
  const auto saved = save_document_pcap(doc(), path);
  file_status_.failed = !saved;
  file_status_.age_s = 0;
  if (!saved) {
    file_status_.text = std::string(tr(lang, T::SaveFailed)) + ": " + saved.error().message();
    return saved.error().message();
  }
  file_status_.text.clear();
  for (const WrittenFile& f : *saved) {
    char buf[512];
    std::snprintf(buf, sizeof buf, tr(lang, T::WrotePackets), format_count(f.packets).c_str(),
                  std::filesystem::path(f.path).filename().string().c_str());
    file_status_.text += (file_status_.text.empty() ? "" : "; ") + std::string(buf);
  }
  return std::nullopt;
}

// Teaching

void App::set_prediction(bool on) {
  prediction_.set_enabled(on);
}

// Live

void App::start_live_capture(const LiveCaptureOptions& options) {
  document_.start_live_capture(options);
  on_new_live_document();
}

void App::start_live_lab(const LiveLabOptions& options) {
  document_.start_live_lab(options);
  on_new_live_document();
}

void App::on_new_live_document() {
  on_new_document();
  live_message_.clear();
  view_.following_newest = true;
  tabs_.live = true;
  show_live_start(view_);
}

void App::stop_live() {
  follow_live(document_.stop_live());
}

void App::poll_live() {
  follow_live(document_.poll_live());
}

void App::follow_live(const LivePoll& poll) {
  if (poll.grew && view_.following_newest) follow_newest(view_, doc(), false);
  // A capture that ended while followed is shown whole (a lab's transfer can last a few milliseconds).
  if (poll.ended && view_.following_newest) {
    fit_view();
    view_.cursor = Cursor{doc().end_ns, std::nullopt};
  }
}

// The commands of one frame, in a fixed order. A command that replaces the document ends the list: the rest
// were made for the document the frame was drawn from.
void App::apply(Commands& c) {
  if (c.file.quit) quit_ = true;
  if (c.display.lang) view_.lang = *c.display.lang;
  if (c.display.filters) view_.filters = *c.display.filters;
  if (c.display.sequence) view_.sequence = *c.display.sequence;
  if (c.display.overview) view_.overview = *c.display.overview;
  if (c.display.topology) view_.topology = *c.display.topology;
  if (c.file.open_path) {
    // On failure the error shows in the lessons panel and the old document stays.
    open(*c.file.open_path);
    return;
  }
  if (c.file.open_dialog) show_open_dialog();
  // Scenario editing
  if (c.edit.packet_delay_ms) packet_delay_ms_ = std::clamp(*c.edit.packet_delay_ms, 1, 60'000);
  if (c.edit.save_scenario_dialog && editable()) show_save_scenario_dialog();
  if (c.edit.save_scenario_path) save_scenario(*c.edit.save_scenario_path);
  if (c.edit.scenario_edit) {
    edit_scenario(*c.edit.scenario_edit);
    return;
  }
  // Captures and files
  if (c.file.save_dialog) show_save_dialog();
  if (c.file.save_path) save_pcap(*c.file.save_path);
  // Follow stream
  if (c.follow.packet) follow_stream(FollowTarget{*c.follow.packet, false});
  if (c.flows.follow)
    if (auto target = follow_target_for_flow(doc(), *c.flows.follow)) follow_stream(*target);
  if (c.flows.show) {
    show_flows(*c.flows.show, c.flows.side_by_side);
    return;
  }
  // Live
  if (c.live.capture || c.live.lab) {
    if (c.live.capture) start_live_capture(*c.live.capture);
    if (c.live.lab) start_live_lab(*c.live.lab);
    return;
  }
  if (c.live.stop) stop_live();
  const LiveFeed& live = document_.live();
  if (c.live.save_path && live.active()) {
    const Status saved = live.save_so_far(*c.live.save_path);
    live_message_ = saved ? std::string(tr(view_.lang, T::LiveSaved)) + " " +
                                std::to_string(live.counts()->frames) + " " +
                                tr(view_.lang, T::LiveFramesWord) + ": " + *c.live.save_path
                          : saved.error().message();
  }
  // The user moving the cursor or scrolling the newest packet out of view stops following it.
  if (live.active() && (c.nav.step || c.nav.to_start || c.nav.set_cursor_ns || c.nav.toggle_play))
    view_.following_newest = false;
  if (live.active() && c.nav.set_view)
    view_.following_newest = doc().end_ns >= c.nav.set_view->first && doc().end_ns <= c.nav.set_view->second;
  if (c.live.follow && live.active()) {
    view_.following_newest = true;
    follow_newest(view_, doc(), true);
  }
  // Teaching
  if (c.predict.enable) set_prediction(*c.predict.enable);
  if (c.predict.guess) prediction_.session().submit(*c.predict.guess);
  apply_selection(view_, c.select);
  apply_navigation(view_, doc(), prediction_.session(), c.nav);
}

}  // namespace wirestep::gui
