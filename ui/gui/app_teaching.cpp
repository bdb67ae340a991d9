// The App's teaching aids: prediction mode and the Wireshark-style analysis beside the simulator's causes.
#include "ui/gui/app.hpp"

namespace wirestep::gui {

void App::set_prediction(bool on) {
  prediction_.set_enabled(on);
  prediction_cursor_ = Cursor{INT64_MIN, std::nullopt};  // look for the question again
}

// The analysis of each Trace, once it is complete (a live capture's waits until it stops: re-analysing on
// every new frame would cost a pass over the whole capture each time), and the segment to predict, looked
// for again only when the cursor, the document or the numbering changes.
void App::update_teaching() {
  if (!live_running())
    for (auto& lt : doc_.traces)
      if (!lt->analysis.covers(lt->trace)) lt->analysis.build(lt->trace, !doc_.capture);
  const bool relative = view_.filters.relative_seq;
  if (view_.cursor.time_ns == prediction_cursor_.time_ns && view_.cursor.step == prediction_cursor_.step &&
      doc_.generation == prediction_generation_ && relative == prediction_relative_)
    return;
  prediction_cursor_ = view_.cursor;
  prediction_generation_ = doc_.generation;
  prediction_relative_ = relative;
  prediction_traces_.clear();
  prediction_rels_.clear();
  for (const auto& lt : doc_.traces) {
    prediction_traces_.push_back(&lt->trace);
    prediction_rels_.push_back(relative && lt->rel ? &*lt->rel : nullptr);
  }
  prediction_.update(doc_.steps, prediction_traces_, prediction_rels_, view_.cursor);
}

}  // namespace wirestep::gui
