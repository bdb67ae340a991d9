// Follow stream, as Wireshark's window shows it: one conversation's payload, both directions in the order
// the bytes became readable, the client's lines on red, the server's on blue, as text (UTF-8 or GBK) or a
// hex dump. A window over the lower part of the timeline, opened by a command (View menu, the Flows tab's
// context menu); clicking a line selects the packet that carried it. The stream is computed once per
// request (ui/model/follow_view.hpp) and its lines once per mode, so a steady frame only draws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ui/gui/fonts.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/panel_window.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/follow_view.hpp"

namespace wirestep::gui {

class FollowPanel {
 public:
  void open(const FollowTarget& target);
  void close() { open_ = false; }
  bool is_open() const { return open_; }
  bool hex() const { return hex_; }
  void set_hex(bool hex) { hex_ = hex; }
  void set_gbk(bool gbk) { encoding_ = gbk ? 1 : 0; }

  // Draws the window over `over` (the timeline's rectangle) while open.
  void draw(const Document& doc, const ViewState& view, const Fonts& fonts, SelectionCommands& select,
            NavigationCommands& nav, const PanelRect& over);
  void draw_contents(const Document& doc, const ViewState& view, const Fonts& fonts,
                     SelectionCommands& select, NavigationCommands& nav);

 private:
  struct Line {
    std::uint32_t chunk;
    std::uint32_t begin, end;  // in text_
  };
  void refresh(const Document& doc, Lang lang);
  void build_lines(Lang lang);

  bool open_ = false;
  FollowTarget target_;
  bool hex_ = false;
  int encoding_ = 0;  // FollowEncoding
  // What the lines were built from.
  std::optional<std::uint64_t> shown_generation_;
  std::string shown_source_;  // another file closes the window; a re-run of the same one follows again
  bool shown_hex_ = false;
  int shown_encoding_ = 0;
  Lang shown_lang_ = Lang::En;
  FollowView stream_;
  std::string text_;  // every line's characters, one buffer
  std::vector<Line> lines_;
  bool ends_line_ = true;  // while building: the last chunk's text ended with a newline
  float widest_ = 0;       // pixels, measured on the first draw after a rebuild
  bool measured_ = false;
};

}  // namespace wirestep::gui
