#include "ui/gui/view_navigation.hpp"

#include <algorithm>
#include <climits>
#include <cmath>

#include "ui/gui/timeline_mapping.hpp"

namespace wirestep::gui {
namespace {

void go_to_step(ViewState& v, const std::optional<TimelineStep>& s) {
  if (!s) return;
  v.cursor = Cursor{s->time_ns, s};
  if (s->kind != StepKind::Event) v.selected = PacketRef{s->trace, s->index};
  keep_cursor_visible(v);
}

}  // namespace

void fit_view(ViewState& v, const Document& doc) {
  const std::int64_t span = std::max<std::int64_t>(doc.focus_end_ns - doc.begin_ns, 1000);
  v.view_begin_ns = doc.begin_ns - span * 4 / 100;
  v.view_end_ns = doc.focus_end_ns + span * 5 / 100;
  v.sequence_row_skip = 0.0;
}

void keep_cursor_visible(ViewState& v) {
  const std::int64_t span = v.view_end_ns - v.view_begin_ns;
  const std::int64_t t = v.cursor.time_ns;
  if (t < v.view_begin_ns || t > v.view_end_ns - span / 20) {
    v.view_begin_ns = t - span / 8;
    v.view_end_ns = v.view_begin_ns + span;
    v.sequence_row_skip = 0.0;
  }
}

void zoom_view(ViewState& v, double factor) {
  if (!(factor > 0.0)) return;
  if (v.sequence) {
    // Rows keep their order and their own row each: zooming makes them taller (fewer in view) or shorter
    // (more in view). The timeline keeps the cursor's row where it was (TimelinePanel).
    v.sequence_row_lines = std::clamp(v.sequence_row_lines / static_cast<float>(factor), kMinSequenceRowLines,
                                      kMaxSequenceRowLines);
    return;
  }
  std::int64_t b = v.view_begin_ns, e = v.view_end_ns;
  const std::int64_t anchor = v.cursor.time_ns >= b && v.cursor.time_ns <= e ? v.cursor.time_ns : (b + e) / 2;
  zoom_range(b, e, anchor, factor);
  v.view_begin_ns = b;
  v.view_end_ns = e;
}

void show_new_document(ViewState& v, const Document& doc) {
  v.selected.reset();
  v.hovered.reset();
  v.playing = false;
  // Space replays it from the start.
  v.cursor = Cursor{doc.focus_end_ns, doc.steps.prev(Cursor{doc.focus_end_ns + 1, std::nullopt})};
  // A lesson opens in its own layout ([view] layout); a capture has none and keeps the one in use, so a
  // teacher who switched to the sequence layout (View menu) opens captures in it too.
  v.sequence = doc.capture ? v.sequence : doc.sequence_layout;
  fit_view(v, doc);
}

void keep_view_across_rerun(ViewState& v, const ViewState& kept, const Document& doc) {
  v.view_begin_ns = kept.view_begin_ns;
  v.view_end_ns = kept.view_end_ns;
  const std::int64_t t = std::clamp(kept.cursor.time_ns, doc.begin_ns, doc.end_ns);
  v.cursor = Cursor{t, doc.steps.prev(Cursor{t + 1, std::nullopt})};
  if (kept.selected && kept.selected->trace < doc.traces.size() &&
      kept.selected->packet < doc.traces[kept.selected->trace]->trace.packet_count())
    v.selected = kept.selected;
}

void advance_play(ViewState& v, const Document& doc, PredictionSession& prediction, double dt_s) {
  if (!v.playing) return;
  const double per_s = v.speed * 1e9;  // simulated ns per wall second
  std::int64_t t = v.cursor.time_ns + static_cast<std::int64_t>(std::llround(dt_s * per_s));
  const auto next = doc.steps.next(Cursor{v.cursor.time_ns, std::nullopt});
  if (!next) {
    v.playing = false;
    v.cursor = Cursor{doc.end_ns, std::nullopt};
    return;
  }
  // Skip quiet stretches (a 2 s TIME-WAIT at 0.02x would be 100 s of nothing): leave a quarter second.
  if (static_cast<double>(next->time_ns - v.cursor.time_ns) / per_s > 1.5)
    t = std::max(t, next->time_ns - static_cast<std::int64_t>(0.25 * per_s));
  // Prediction mode: playback stops just before the hidden segment is sent.
  if (const auto& s = prediction.question_step(); s && prediction.hidden() && t >= s->time_ns) {
    v.playing = false;
    const auto before = doc.steps.prev(Cursor{s->time_ns, s});
    v.cursor = before ? Cursor{before->time_ns, before} : Cursor{s->time_ns - 1, std::nullopt};
    prediction.note_blocked();
    return;
  }
  v.cursor = Cursor{t, doc.steps.prev(Cursor{t + 1, std::nullopt})};
  if (v.follow_cursor) keep_cursor_visible(v);
}

void apply_selection(ViewState& v, const SelectionCommands& c) {
  if (c.hover)
    v.hovered = c.hover;
  else
    v.hovered.reset();
  if (c.select)
    v.selected = c.select;
  else if (c.clear)
    v.selected.reset();
}

void apply_navigation(ViewState& v, const Document& doc, PredictionSession& prediction,
                      const NavigationCommands& c) {
  if (c.speed) v.speed = std::clamp(*c.speed, 0.01, 1000.0);
  if (c.set_view && c.set_view->second > c.set_view->first) {
    v.view_begin_ns = c.set_view->first;
    v.view_end_ns = c.set_view->second;
    v.sequence_row_skip = std::max(0.0, c.set_view_row_skip);
  }
  if (c.zoom) zoom_view(v, *c.zoom);
  if (c.fit) fit_view(v, doc);
  if (c.set_cursor_ns)
    v.cursor = Cursor{std::clamp(*c.set_cursor_ns, doc.begin_ns, doc.end_ns), std::nullopt};
  if (c.step) {
    v.playing = false;
    const auto target = c.step > 0 ? doc.steps.next(v.cursor) : doc.steps.prev(v.cursor);
    if (c.step > 0 && prediction.blocks(target))
      prediction.note_blocked();  // the hidden segment waits for a guess or "show"
    else
      go_to_step(v, target);
  }
  if (c.to_start) {
    v.playing = false;
    v.cursor = Cursor{doc.begin_ns, std::nullopt};
    keep_cursor_visible(v);
  }
  if (c.to_end) {
    v.playing = false;
    v.cursor = Cursor{doc.end_ns, std::nullopt};
    keep_cursor_visible(v);
  }
  if (c.toggle_play) {
    if (!v.playing && !doc.steps.next(Cursor{v.cursor.time_ns, std::nullopt})) {
      // At the end: play again from the start, in the view the lesson opened with.
      v.cursor = Cursor{doc.begin_ns, std::nullopt};
      fit_view(v, doc);
    }
    v.playing = !v.playing;
  }
}

void show_live_start(ViewState& v) {
  v.sequence_row_skip = 0.0;
  v.view_begin_ns = -40'000'000;
  v.view_end_ns = 1'000'000'000;
}

void follow_newest(ViewState& v, const Document& doc, bool force) {
  const std::int64_t newest = doc.end_ns;
  const std::int64_t span = std::max<std::int64_t>(v.view_end_ns - v.view_begin_ns, 1000);
  if (force || newest > v.view_end_ns - span / 20 || newest < v.view_begin_ns) {
    v.view_end_ns = newest + span / 20;
    v.view_begin_ns = v.view_end_ns - span;
    v.sequence_row_skip = 0.0;
  }
  v.playing = false;
  v.cursor = Cursor{newest, std::nullopt};
}

}  // namespace wirestep::gui
