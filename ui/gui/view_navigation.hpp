// How the view state follows the document and the user's navigation: where a new document opens, what an
// edit keeps, playback, stepping (prediction mode holds it before the hidden segment), keeping the cursor in
// view, and a live capture's view following the newest packet. Window-free: the App calls these when it
// applies commands.
#pragma once

#include <optional>

#include "sim/analysis/prediction.hpp"
#include "sim/analysis/step_order.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/document.hpp"

namespace wirestep::gui {

// The interesting part of the document: from the first activity to the last packet's arrival (a TIME-WAIT
// that ends two seconds later stays reachable with End or by scrolling).
void fit_view(ViewState& v, const Document& doc);
// + and - (factor < 1 zooms in): the time span about the cursor (or the middle when the cursor is out of
// view); in sequence layout the row height, between these many text lines.
inline constexpr float kMinSequenceRowLines = 0.8f;
inline constexpr float kMaxSequenceRowLines = 8.0f;
void zoom_view(ViewState& v, double factor);
// Scrolls (keeping the zoom) when the cursor is outside the view or near its bottom edge.
void keep_cursor_visible(ViewState& v);
// A document replacing another: nothing selected, not playing, the cursor where the last packet has
// arrived (the whole diagram drawn and the states as the lesson leaves them), and the view fitted.
void show_new_document(ViewState& v, const Document& doc);
// An edited scenario ran again: back to the visible range, cursor time and selection of `kept` (runs are
// identical up to the first packet the edit changes), as far as the new run has them.
void keep_view_across_rerun(ViewState& v, const ViewState& kept, const Document& doc);
// Playback: moves the cursor by `dt_s` wall seconds at the view's speed, skipping quiet stretches; stops at
// the end, and in prediction mode just before the hidden segment is sent.
void advance_play(ViewState& v, const Document& doc, PredictionSession& prediction, double dt_s);

void apply_selection(ViewState& v, const SelectionCommands& c);
// The cursor, the visible range, the speed and play/pause; a step forward onto the hidden segment waits
// for a guess (prediction mode).
void apply_navigation(ViewState& v, const Document& doc, PredictionSession& prediction,
                      const NavigationCommands& c);

// A live capture: the first second fills the view; after that it scrolls with the newest packet.
void show_live_start(ViewState& v);
// While following, the newest packet stays in view (near the bottom) and the cursor sits on it, so every
// packet is drawn as having happened; the zoom is the user's. `force`: scroll even when it is in view.
void follow_newest(ViewState& v, const Document& doc, bool force);

}  // namespace wirestep::gui
