// The TCP state diagram (RFC 9293 §3.3.2) with each endpoint's state at the cursor filled in its colour and
// the transition it just took drawn bold, and the connection variables at the cursor (cwnd, ssthresh, SRTT,
// RTO, snd.una, snd.nxt, rcv.nxt, windows) from the Trace's events.
#pragma once

#include "ui/gui/app.hpp"

namespace wirestep::gui {

class StatePanel {
 public:
  // Draws inside the current window (the lower right "TCP state" tab).
  void draw_contents(const App& app);

 private:
  void draw_diagram(const App& app, const LoadedTrace& lt, std::size_t happened, float height);
  void draw_variables(const App& app, const LoadedTrace& lt, std::size_t happened);
};

}  // namespace wirestep::gui
