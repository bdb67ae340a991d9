// The App's scenario editing: link parameters and single-packet rules applied to the open scenario's TOML,
// which runs again at once; Save scenario as.
#include "ui/gui/app.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "ui/gui/scenario_edit.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {

std::optional<std::string> App::edit_scenario(const ScenarioEdit& edit) {
  ++edit_revision_;
  if (!editable()) {
    edit_failed_ = true;
    edit_message_ = "only a simulated scenario can be edited";
    return edit_message_;
  }
  std::vector<const Trace*> runs;
  for (const auto& lt : doc_.traces) runs.push_back(&lt->trace);
  if (Status s = editable_->apply(edit, runs); !s) {
    edit_failed_ = true;
    edit_message_ = std::string(tr(view_.lang, T::EditNotApplied)) + ": " + s.error().message();
    return edit_message_;
  }
  edit_failed_ = false;
  edit_message_.clear();
  // The new run replaces the old one in place: same titles, same view, the cursor at the same time, and the
  // same packet selected (runs are identical up to the first packet the edit changes).
  Document d;
  d.source = doc_.source;
  d.title = doc_.title;
  d.title_zh = doc_.title_zh;
  d.explanation = doc_.explanation;
  d.explanation_zh = doc_.explanation_zh;
  run_scenario_into(d, editable_->scenario());
  const ViewState kept = view_;
  finish_load(std::move(d));
  editable_generation_ = doc_.generation;
  view_.view_begin_ns = kept.view_begin_ns;
  view_.view_end_ns = kept.view_end_ns;
  const std::int64_t t = std::clamp(kept.cursor.time_ns, doc_.begin_ns, doc_.end_ns);
  view_.cursor = Cursor{t, doc_.steps.prev(Cursor{t + 1, std::nullopt})};
  if (kept.selected && kept.selected->trace < doc_.traces.size() &&
      kept.selected->packet < doc_.traces[kept.selected->trace]->trace.packet_count())
    view_.selected = kept.selected;
  return std::nullopt;
}

std::optional<std::string> App::save_scenario(const std::string& path) {
  if (!editable()) return std::string("only a simulated scenario can be saved as a scenario");
  const Status s = editable_->save(path);
  edit_failed_ = !s;
  edit_message_ = s ? std::string(tr(view_.lang, T::SavedScenarioTo)) + " " + path + "\n" +
                          tr(view_.lang, T::SavedScenarioRun) + " wirestep run " + path
                    : s.error().message();
  return s ? std::nullopt : std::optional<std::string>(edit_message_);
}

void App::draw_save_scenario_dialog(Commands& c) {
  if (save_scenario_dialog_) {
    ImGui::OpenPopup("###save-scenario");
    save_scenario_dialog_ = false;
  }
  const Lang lang = view_.lang;
  char title[96];
  std::snprintf(title, sizeof title, "%s###save-scenario", tr(lang, T::SaveScenarioAs));
  if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted(tr(lang, T::SaveScenarioPrompt));
  ImGui::SetNextItemWidth(520.0f);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool enter = ImGui::InputText("##scenario-path", save_scenario_buf_, sizeof save_scenario_buf_,
                                      ImGuiInputTextFlags_EnterReturnsTrue);
  if (ImGui::Button(tr(lang, T::SaveScenarioButton)) || enter) {
    if (save_scenario_buf_[0]) c.save_scenario_path = std::string(save_scenario_buf_);
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button(tr(lang, T::Cancel))) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

}  // namespace wirestep::gui
