// Prediction mode over the open document (the reasoning is sim/analysis/prediction.hpp): the session, and
// when to look for the segment to predict again. Looking costs a walk over the steps after the cursor, so it
// happens only when the cursor, the document or the numbering (relative or absolute) changed.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/analysis/prediction.hpp"
#include "ui/model/document.hpp"

namespace wirestep {

class PredictionTracker {
 public:
  const PredictionSession& session() const { return session_; }
  PredictionSession& session() { return session_; }

  void set_enabled(bool on);
  // A new document: no question, no score; look again at the next update.
  void reset();
  // Finds the segment to predict after `cursor` (numbers `relative` to each side's ISN, or raw).
  void update(const Document& doc, const Cursor& cursor, bool relative);

 private:
  void look_again() { looked_at_ = Cursor{INT64_MIN, std::nullopt}; }

  PredictionSession session_;
  Cursor looked_at_{INT64_MIN, std::nullopt};
  std::uint64_t generation_ = 0;
  bool relative_ = true;
  std::vector<const Trace*> traces_;  // reused: the document's traces and numberings
  std::vector<const RelativeSeq*> rels_;
};

}  // namespace wirestep
