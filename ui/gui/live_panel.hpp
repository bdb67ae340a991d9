// The Live tab: capture on an interface (with a BPF filter), or start the live lab (real TCP and UDP
// sockets on loopback or between two network namespaces, with loss), and watch the packets arrive on the
// timeline. Shows the running counts, errors (no permission, interface gone), the lab's progress, and
// lets the user stop, return to the newest packet, and save what was captured so far. The capture itself
// belongs to the open document (ui/model/live_feed.hpp); this panel only asks through LiveCommands.
#pragma once

#include <string>
#include <vector>

#include "sim/analysis/lang.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/model/live_feed.hpp"

namespace wirestep::gui {

class LivePanel {
 public:
  // Draws inside the current window (the left column's "Live" tab). `following`: the view follows the
  // newest packet; `message`: the outcome of the last "Save pcap".
  void draw_contents(const LiveFeed& feed, bool following, const std::string& message, Lang lang,
                     LiveCommands& c);

 private:
  void list_interfaces();

  bool listed_ = false;
  std::vector<std::string> interfaces_;
  std::string interfaces_error_;
  int interface_ = 0;
  char filter_[256] = {};
  bool lab_namespaces_ = false;
  bool lab_tcp_ = true;
  bool lab_udp_ = true;
  float lab_loss_percent_ = 3.0f;
  char save_path_[512] = "live.pcap";
};

}  // namespace wirestep::gui
