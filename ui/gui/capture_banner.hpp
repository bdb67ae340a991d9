// The banner over a capture's timeline when the file was not read cleanly (issue #19): the file ends
// mid-record, reading stopped with an error, or frames could not be decoded. It says what happened and the
// first reason in one line, and lists every decode error (frame, file offset, reason) on request; clicking
// one selects that frame. Nothing shows for a file read cleanly.
#pragma once

#include "ui/gui/fonts.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/panel_window.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/document.hpp"

namespace wirestep::gui {

class CaptureBanner {
 public:
  // Whether the document needs the banner, and its height when it does.
  static bool wanted(const Document& doc);
  static float height();
  void draw(const Document& doc, const ViewState& view, const Fonts& fonts, SelectionCommands& select,
            NavigationCommands& nav, const PanelRect& r);

 private:
  bool list_open_ = false;
};

}  // namespace wirestep::gui
