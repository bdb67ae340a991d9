// The Open and Save dialogs (Ctrl+O, Ctrl+S): a modal window over file_browser.hpp's model. Open: the
// folder's captures and lessons, double-click or Enter opens, or type a path. Save: the same list, a file
// name field, and a question before a file is replaced. The dialog only writes FileCommands (open_path,
// save_path); the App opens and saves.
#pragma once

#include <string>
#include <vector>

#include "sim/analysis/lang.hpp"
#include "ui/gui/file_browser.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/model/document.hpp"

namespace wirestep::gui {

class FileDialog {
 public:
  enum class Mode { Open, Save };
  // Opens the dialog at the next draw, listing `folder`; `file_name` fills the save name field.
  void show(Mode mode, const std::string& folder, const std::string& file_name = "");
  // `doc`: what a save would write (named under the file name field).
  void draw(const Document& doc, Lang lang, FileCommands& c);

 private:
  void enter_folder_listing();
  void choose(const std::string& path, const Document& doc, Lang lang, FileCommands& c);
  bool draw_list(const Document& doc, Lang lang, FileCommands& c);

  FileBrowser browser_;
  Mode mode_ = Mode::Open;
  bool open_request_ = false;
  bool focus_field_ = false;
  int selected_ = -1;
  char path_buf_[1024] = {};
  char name_buf_[256] = {};
  std::string message_;               // "No such file: ..." under the path field
  std::vector<std::string> confirm_;  // save targets that exist, waiting for "Replace?"
  std::string confirm_target_;
};

}  // namespace wirestep::gui
