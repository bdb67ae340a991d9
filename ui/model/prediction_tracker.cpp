#include "ui/model/prediction_tracker.hpp"

namespace wirestep {

void PredictionTracker::set_enabled(bool on) {
  session_.set_enabled(on);
  look_again();
}

void PredictionTracker::reset() {
  session_.clear();
  look_again();
}

void PredictionTracker::update(const Document& doc, const Cursor& cursor, bool relative) {
  if (cursor.time_ns == looked_at_.time_ns && cursor.step == looked_at_.step &&
      doc.generation == generation_ && relative == relative_)
    return;
  looked_at_ = cursor;
  generation_ = doc.generation;
  relative_ = relative;
  traces_.clear();
  rels_.clear();
  for (const auto& lt : doc.traces) {
    traces_.push_back(&lt->trace);
    rels_.push_back(relative && lt->rel ? &*lt->rel : nullptr);
  }
  session_.update(doc.steps, traces_, rels_, cursor);
}

}  // namespace wirestep
