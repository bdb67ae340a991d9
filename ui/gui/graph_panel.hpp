// The "Graphs" tab: sequence number vs time (tcptrace style), cwnd and ssthresh, and throughput for one
// direction of one flow, on the timeline's visible time range. Wheel zooms about the mouse and dragging pans
// through NavigationCommands::set_view, so the timeline follows; a click moves the time cursor. Series are
// built once per document and flow (sim/analysis/graph_series.hpp); a frame draws at most a few lines per
// pixel column.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/analysis/lang.hpp"
#include "ui/gui/fonts.hpp"
#include "ui/gui/graph_columns.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/document.hpp"

namespace wirestep::gui {

enum class GraphKind : std::uint8_t { Sequence, Cwnd, Throughput };

class GraphPanel {
 public:
  // Draws inside the current window (the lower right "Graphs" tab).
  void draw_contents(const Document& doc, const ViewState& view, const Fonts& fonts, NavigationCommands& c);
  void set_kind(GraphKind kind) { kind_ = kind; }

 private:
  // The value range and labels of the Y axis; `offset` is added to values for labels (absolute seq).
  struct YAxis {
    double min = 0, max = 1;
    double label_offset = 0;
    bool wrap_labels = false;  // sequence numbers on the wire: labels modulo 2^32, printed in full
    double label_scale = 1.0;  // value -> label units (bytes/s -> Mbit/s)
    const char* unit = "";     // of the labels, for tooltips
  };
  struct Plot {
    ImVec2 p0, p1;  // the data area
    TimeMapping x;  // time -> x
    YAxis y;
    float y_of(double v) const;
  };
  struct ThroughputLine {
    std::string label;
    unsigned hex = 0;
    std::uint32_t trace = 0;
    ThroughputSeries series;
  };

  void refresh(const Document& doc);
  void ensure_built(const Document& doc);
  void draw_selectors(Lang lang);
  void draw_legend(Lang lang, const Fonts& fonts);
  class DataClip;
  // Draws the axes, tick labels, gridlines and the Y axis title.
  void draw_axes(ImDrawList* dl, const Plot& plot, const char* y_title);
  void draw_sequence(const Document& doc, const ViewState& view, ImDrawList* dl, Plot& plot);
  void draw_cwnd(const Document& doc, Lang lang, ImDrawList* dl, Plot& plot);
  void draw_throughput(Lang lang, ImDrawList* dl, Plot& plot);
  void draw_bars(ImDrawList* dl, const Plot& plot, const Series& s, ImU32 col, float thickness);
  void draw_step_line(ImDrawList* dl, const Plot& plot, const Series& s, std::int64_t hold_until_ns,
                      ImU32 col, float thickness);
  void draw_crosses(ImDrawList* dl, const Plot& plot, const Series& s, ImU32 col);
  void handle_mouse(const ViewState& view, NavigationCommands& c, const Plot& plot, bool hovered,
                    bool active);

  GraphKind kind_ = GraphKind::Sequence;
  std::uint64_t generation_ = 0;
  std::size_t packets_seen_ = 0;  // a live capture grows without a new generation
  double built_at_s_ = -1e9;      // ImGui time of the last rebuild
  std::vector<FlowDirection> choices_;
  std::vector<std::string> choice_labels_;
  std::vector<std::size_t> trace_defaults_;  // per trace: index into choices_, or choices_.size()
  std::size_t choice_ = 0;

  // Built for choice_ when first needed.
  std::size_t built_choice_ = SIZE_MAX;
  bool seq_built_ = false, cwnd_built_ = false, throughput_built_ = false;
  SeqGraph seq_;
  CwndGraph cwnd_;
  std::vector<ThroughputLine> throughput_;

  // Per-frame buffers, reused.
  std::vector<ColumnAgg> columns_;
  std::vector<ThroughputBin> bins_;
  bool panning_ = false;
  std::int64_t pan_begin_ = 0, pan_end_ = 0;
};

// A variable's history in a table cell (the state panel): the series over [begin, end] as a thin step line
// scaled to its own range, with a dot at the cursor. `scratch` is reused between calls.
void draw_sparkline(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const Series& s, std::int64_t begin_ns,
                    std::int64_t end_ns, std::int64_t cursor_ns, ImU32 col, std::vector<ColumnAgg>& scratch);

}  // namespace wirestep::gui
