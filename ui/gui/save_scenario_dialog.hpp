// File > Save scenario as... (and the Link tab's button): a modal asking for the path of the edited
// scenario's TOML. It only sends EditCommands::save_scenario_path; the App writes the file.
#pragma once

#include <string>

#include "sim/analysis/lang.hpp"
#include "ui/gui/panel_commands.hpp"

namespace wirestep::gui {

class SaveScenarioDialog {
 public:
  // Opens the dialog at the next draw. The first time, the name field offers "<document>-edited.toml";
  // after that it keeps what was typed.
  void show(const std::string& document_source);
  void draw(Lang lang, EditCommands& c);

 private:
  bool open_request_ = false;
  char path_[512] = {};
};

}  // namespace wirestep::gui
