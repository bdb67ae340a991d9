#include "ui/gui/graph_panel.hpp"

#include <algorithm>
#include <cfloat>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <span>

#include "ui/gui/packet_text.hpp"
#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {
namespace {

constexpr float kTopMargin = 18.0f;     // the Y axis title
constexpr float kBottomMargin = 20.0f;  // time tick labels
constexpr float kRightMargin = 10.0f;
constexpr float kMinGutter = 36.0f;

constexpr unsigned kAckHex = 0x2E8B3E;       // green, as ACK arrows on the timeline
constexpr unsigned kWindowHex = 0xA68A00;    // dark gold, as zero-window arrows
constexpr unsigned kSsthreshHex = 0xC51B8A;  // magenta
constexpr unsigned kGridHex = 0xEEF0F3;
constexpr unsigned kAxisHex = 0xC9CED6;

// Draws a step line through per-column records: horizontal from the previous value to the column, a
// vertical stroke covering everything inside the column, leaving at the column's last value. `enter` is
// the value before the first column (the point before the view), `hold_x` how far the last value holds.
template <typename YOf>
void step_line(ImDrawList* dl, std::span<const ColumnAgg> cols, std::optional<std::int64_t> enter,
               float left_x, float hold_x, YOf y_of, ImU32 col, float thickness) {
  bool started = enter.has_value();
  float cur_x = left_x;
  std::int64_t cur = enter.value_or(0);
  for (const ColumnAgg& c : cols) {
    const float x = c.x + 0.5f;
    if (started) {
      dl->AddLine({cur_x, y_of(cur)}, {x, y_of(cur)}, col, thickness);
      const float ya = y_of(std::max(cur, c.max)), yb = y_of(std::min(cur, c.min));
      if (yb - ya >= 0.5f) dl->AddLine({x, ya}, {x, yb}, col, thickness);
    } else if (c.max != c.min) {
      dl->AddLine({x, y_of(c.max)}, {x, y_of(c.min)}, col, thickness);
    }
    started = true;
    cur = c.last;
    cur_x = x;
  }
  if (started && hold_x > cur_x) dl->AddLine({cur_x, y_of(cur)}, {hold_x, y_of(cur)}, col, thickness);
}

std::optional<std::int64_t> value_before(const Series& s, std::int64_t t_ns) {
  const auto i = s.last_at_or_before(t_ns - 1);
  if (!i) return std::nullopt;
  return s.lo(*i);
}

void include(MinMax& m, const Series& s, std::int64_t begin_ns, std::int64_t end_ns, bool step) {
  const IndexRange r = s.between(begin_ns, end_ns);
  m.add(s.range(r.first, r.last));
  if (step)
    if (auto v = value_before(s, begin_ns)) m.add(*v, *v);
}

void chip(ImDrawList* dl, ImVec2 p, float h, ImU32 col, bool cross) {
  if (cross) {
    const ImVec2 c{p.x + h * 0.5f, p.y + h * 0.5f};
    const float r = h * 0.28f;
    dl->AddLine({c.x - r, c.y - r}, {c.x + r, c.y + r}, col, 2.0f);
    dl->AddLine({c.x - r, c.y + r}, {c.x + r, c.y - r}, col, 2.0f);
  } else {
    dl->AddRectFilled({p.x, p.y + h * 0.5f - 2.0f}, {p.x + h, p.y + h * 0.5f + 2.0f}, col, 1.0f);
  }
}

// One legend entry; wraps to a new line when the row is full.
void legend_item(unsigned hex, const char* text, bool cross = false) {
  const float h = ImGui::GetTextLineHeight();
  const float w = h + 4.0f + ImGui::CalcTextSize(text).x;
  ImGui::SameLine(0.0f, 14.0f);
  if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  chip(ImGui::GetWindowDrawList(), p, h, rgb(hex), cross);
  ImGui::Dummy({h, h});
  ImGui::SameLine(0.0f, 4.0f);
  ImGui::TextUnformatted(text);
}

// "123.4 KiB/s"-style scaling of a rate for the axis: Mbit/s from 1 Mbit/s up, KiB/s below.
struct RateUnit {
  double scale;  // bytes/s -> unit
  const char* name;
};
RateUnit rate_unit(double peak_bytes_per_s) {
  if (peak_bytes_per_s * 8.0 >= 1e6) return {8.0 / 1e6, "Mbit/s"};
  return {1.0 / 1024.0, "KiB/s"};
}

}  // namespace

// Lines stay inside the data area (a little headroom for loss marks); labels draw outside it.
class GraphPanel::DataClip {
 public:
  DataClip(ImDrawList* dl, const Plot& plot) : dl_(dl) {
    dl->PushClipRect({plot.p0.x, plot.p0.y - 8.0f}, {plot.p1.x + 1.0f, plot.p1.y}, true);
  }
  ~DataClip() { dl_->PopClipRect(); }
  DataClip(const DataClip&) = delete;
  DataClip& operator=(const DataClip&) = delete;

 private:
  ImDrawList* dl_;
};

float GraphPanel::Plot::y_of(double v) const {
  const double span = y.max > y.min ? y.max - y.min : 1.0;
  const double f = std::clamp((v - y.min) / span, -1.0, 2.0);  // keeps far-off values finite on screen
  return p1.y - static_cast<float>(f) * (p1.y - p0.y);
}

// ------------------------------------------------------------------------------------------ data upkeep

void GraphPanel::refresh(const Document& doc) {
  std::size_t packets = 0;
  for (const auto& lt : doc.traces) packets += lt->trace.packet_count();
  const bool reloaded = doc.generation != generation_;
  // A live capture grows under the same generation: its series are rebuilt at most once a second (each
  // rebuild walks the Trace once), keeping the chosen flow.
  const bool grown = packets != packets_seen_ && ImGui::GetTime() - built_at_s_ >= 1.0;
  if (!reloaded && !grown) return;
  std::optional<FlowDirection> kept;
  if (!reloaded && choice_ < choices_.size()) kept = choices_[choice_];
  generation_ = doc.generation;
  packets_seen_ = packets;
  built_at_s_ = ImGui::GetTime();
  choices_.clear();
  choice_labels_.clear();
  trace_defaults_.clear();
  for (std::uint32_t t = 0; t < doc.traces.size(); ++t) {
    const auto list = list_flow_directions(doc.traces[t]->trace, t);
    const auto def = default_flow_direction(list);
    trace_defaults_.push_back(def ? choices_.size() + *def : SIZE_MAX);
    choices_.insert(choices_.end(), list.begin(), list.end());
  }
  for (std::size_t& d : trace_defaults_)
    if (d == SIZE_MAX) d = choices_.size();
  const bool comparison = doc.traces.size() > 1;
  char bytes[24];
  for (const FlowDirection& fd : choices_) {
    const LoadedTrace& lt = *doc.traces[fd.trace];
    format_compact(bytes, sizeof bytes, static_cast<double>(fd.payload_bytes));
    std::string label =
        comparison ? lt.label + ": " : std::string(fd.proto == Transport::Tcp ? "TCP " : "UDP ");
    label += flow_direction_label(lt.trace, fd) + "   " + bytes + "B";
    choice_labels_.push_back(std::move(label));
  }
  choice_ = default_flow_direction(choices_).value_or(0);
  if (kept)
    for (std::size_t i = 0; i < choices_.size(); ++i)
      if (choices_[i].trace == kept->trace && choices_[i].flow == kept->flow && choices_[i].dir == kept->dir)
        choice_ = i;
  built_choice_ = SIZE_MAX;
  seq_ = {};
  cwnd_ = {};
  throughput_.clear();
}

void GraphPanel::ensure_built(const Document& doc) {
  if (choice_ >= choices_.size()) return;
  if (built_choice_ != choice_) {
    built_choice_ = choice_;
    seq_built_ = cwnd_built_ = throughput_built_ = false;
  }
  const FlowDirection& fd = choices_[choice_];
  const LoadedTrace& lt = *doc.traces[fd.trace];
  const bool tcp = fd.proto == Transport::Tcp;
  if (tcp && (kind_ == GraphKind::Sequence || kind_ == GraphKind::Cwnd) && !seq_built_) {
    seq_ = lt.rel ? build_seq_graph(lt.trace, *lt.rel, fd.flow, fd.dir)
                  : build_seq_graph(lt.trace, RelativeSeq(lt.trace), fd.flow, fd.dir);
    seq_built_ = true;
  }
  if (tcp && kind_ == GraphKind::Cwnd && !cwnd_built_) {
    cwnd_ = build_cwnd_graph(lt.trace, lt.states, fd.flow, fd.dir, seq_.isn);
    cwnd_built_ = true;
  }
  if (kind_ == GraphKind::Throughput && !throughput_built_) {
    throughput_.clear();
    const bool comparison = doc.traces.size() > 1;
    auto add = [&](std::size_t choice) {
      const FlowDirection& f = choices_[choice];
      const LoadedTrace& t = *doc.traces[f.trace];
      std::string label = flow_direction_label(t.trace, f);
      if (comparison) label = t.label + "  " + label;
      throughput_.push_back({std::move(label), endpoint_hex(throughput_.size()), f.trace,
                             build_throughput(t.trace, f.flow, f.dir)});
    };
    add(choice_);
    // A comparison shows the other run's main flow beside the chosen one: TCP and UDP on one axis.
    if (comparison)
      for (std::uint32_t t = 0; t < trace_defaults_.size(); ++t)
        if (t != fd.trace && trace_defaults_[t] < choices_.size()) add(trace_defaults_[t]);
    throughput_built_ = true;
  }
}

// --------------------------------------------------------------------------------------------- drawing

void GraphPanel::draw_selectors(Lang lang) {
  const T kinds[] = {T::GraphSequence, T::GraphCwnd, T::GraphThroughput};
  float kind_w = 0;
  for (T k : kinds) kind_w = std::max(kind_w, ImGui::CalcTextSize(tr(lang, k)).x);
  kind_w += ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 2.0f;
  ImGui::SetNextItemWidth(std::min(kind_w, ImGui::GetContentRegionAvail().x * 0.45f));
  if (ImGui::BeginCombo("##graph-kind", tr(lang, kinds[static_cast<int>(kind_)]))) {
    for (int k = 0; k < 3; ++k)
      if (ImGui::Selectable(tr(lang, kinds[k]), static_cast<int>(kind_) == k))
        kind_ = static_cast<GraphKind>(k);
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
  if (ImGui::BeginCombo("##graph-flow", choice_labels_[choice_].c_str())) {
    // A capture can hold thousands of flows: only the visible rows are laid out.
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(choices_.size()));
    while (clipper.Step())
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        ImGui::PushID(i);
        if (ImGui::Selectable(choice_labels_[static_cast<std::size_t>(i)].c_str(),
                              choice_ == static_cast<std::size_t>(i)))
          choice_ = static_cast<std::size_t>(i);
        ImGui::PopID();
      }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(lang, T::GraphFlow));
}

void GraphPanel::draw_legend(Lang lang, const Fonts& fonts) {
  // The small font has Latin glyphs only.
  ImFont* small = lang == Lang::En ? fonts.small : nullptr;
  if (small) ImGui::PushFont(small);
  ImGui::Dummy({0, 0});
  switch (kind_) {
    case GraphKind::Sequence:
      legend_item(arrow_hex(ArrowKind::Data), tr(lang, T::KindData));
      legend_item(arrow_hex(ArrowKind::Retransmission), tr(lang, T::KindRetrans));
      legend_item(kLostHex, tr(lang, T::Lost), true);
      legend_item(kAckHex, tr(lang, T::GraphAckLine));
      legend_item(kWindowHex, tr(lang, T::GraphWindowLine));
      break;
    case GraphKind::Cwnd:
      legend_item(arrow_hex(ArrowKind::Data), "cwnd");
      legend_item(kSsthreshHex, "ssthresh");
      break;
    case GraphKind::Throughput:
      for (const ThroughputLine& line : throughput_) legend_item(line.hex, line.label.c_str());
      break;
  }
  if (small) ImGui::PopFont();
}

void GraphPanel::draw_axes(ImDrawList* dl, const Plot& plot, const char* y_title) {
  ImFont* font = ImGui::GetFont();
  const float fs = ImGui::GetFontSize();
  char buf[40];
  // Time ticks along the bottom.
  const std::int64_t step = tick_step_ns(plot.x.ns_per_px, 64.0f);
  std::int64_t t = plot.x.t0_ns / step * step;
  if (t < plot.x.t0_ns) t += step;
  for (int guard = 0; guard < 200 && t <= plot.x.end_ns(); ++guard, t += step) {
    const float x = plot.x.y(t);
    dl->AddLine({x, plot.p0.y}, {x, plot.p1.y}, rgb(kGridHex), 1.0f);
    dl->AddLine({x, plot.p1.y}, {x, plot.p1.y + 3.0f}, rgb(kAxisHex), 1.0f);
    format_time(buf, sizeof buf, t, step);
    const float w = font->CalcTextSizeA(fs, FLT_MAX, 0.0f, buf).x;
    dl->AddText(font, fs, {x - w * 0.5f, plot.p1.y + 3.0f}, rgb(kDimTextHex), buf);
  }
  // Value ticks up the left side, round in label units.
  const YAxis& ya = plot.y;
  const double lmin = (ya.min + ya.label_offset) * ya.label_scale,
               lmax = (ya.max + ya.label_offset) * ya.label_scale;
  const double lstep = value_tick_step((lmax - lmin) / std::max(1.0f, plot.p1.y - plot.p0.y), 26.0f);
  for (double l = std::ceil(lmin / lstep) * lstep; l <= lmax + lstep * 1e-9; l += lstep) {
    const float y = plot.y_of(l / ya.label_scale - ya.label_offset);
    dl->AddLine({plot.p0.x, y}, {plot.p1.x, y}, rgb(kGridHex), 1.0f);
    if (ya.wrap_labels)
      std::snprintf(buf, sizeof buf, "%" PRIu32,
                    static_cast<std::uint32_t>(static_cast<std::uint64_t>(std::llround(l)) & 0xFFFFFFFFu));
    else
      format_compact(buf, sizeof buf, l);
    const float w = font->CalcTextSizeA(fs, FLT_MAX, 0.0f, buf).x;
    dl->AddText(font, fs, {plot.p0.x - 5.0f - w, y - fs * 0.5f}, rgb(kDimTextHex), buf);
  }
  dl->AddLine({plot.p0.x, plot.p0.y}, {plot.p0.x, plot.p1.y}, rgb(kAxisHex), 1.0f);
  dl->AddLine({plot.p0.x, plot.p1.y}, {plot.p1.x, plot.p1.y}, rgb(kAxisHex), 1.0f);
  dl->AddText(font, fs, {plot.p0.x - 4.0f, plot.p0.y - kTopMargin + 1.0f}, rgb(kTextHex), y_title);
}

void GraphPanel::draw_bars(ImDrawList* dl, const Plot& plot, const Series& s, ImU32 col, float thickness) {
  aggregate_columns(s, plot.x, columns_);
  const float half = thickness * 0.5f;
  for (const ColumnAgg& c : columns_) {
    const float x = c.x + 0.5f;
    float top = plot.y_of(static_cast<double>(c.max)), bottom = plot.y_of(static_cast<double>(c.min));
    if (bottom - top < 2.0f) {
      const float mid = (top + bottom) * 0.5f;
      top = mid - 1.0f;
      bottom = mid + 1.0f;
    }
    dl->AddRectFilled({x - half, top}, {x + half, bottom}, col);
    // A lone segment tall enough to see gets tcptrace's end caps, so adjacent segments read as separate.
    if (c.count == 1 && bottom - top >= 8.0f) {
      dl->AddLine({x - 2.5f, top}, {x + 2.5f, top}, col, 1.0f);
      dl->AddLine({x - 2.5f, bottom}, {x + 2.5f, bottom}, col, 1.0f);
    }
  }
}

void GraphPanel::draw_step_line(ImDrawList* dl, const Plot& plot, const Series& s, std::int64_t hold_until_ns,
                                ImU32 col, float thickness) {
  aggregate_columns(s, plot.x, columns_);
  const float hold_x = std::min(plot.p1.x, plot.x.y(hold_until_ns));
  step_line(
      dl, columns_, value_before(s, plot.x.t0_ns), plot.p0.x, hold_x,
      [&](std::int64_t v) { return plot.y_of(static_cast<double>(v)); }, col, thickness);
}

void GraphPanel::draw_crosses(ImDrawList* dl, const Plot& plot, const Series& s, ImU32 col) {
  aggregate_columns(s, plot.x, columns_);
  auto cross = [&](float x, float y) {
    constexpr float r = 3.5f;
    dl->AddLine({x - r, y - r}, {x + r, y + r}, col, 2.0f);
    dl->AddLine({x - r, y + r}, {x + r, y - r}, col, 2.0f);
  };
  // Losses closer than a cross's size fold into one, so a long lossy run shows a dotted trail of marks
  // rather than a red band hiding the segments.
  constexpr float kFold = 9.0f;
  ImVec2 last{-1e9f, -1e9f};
  auto fold_or_draw = [&](float x, float y) {
    if (std::abs(x - last.x) < kFold && std::abs(y - last.y) < kFold) return;
    cross(x, y);
    last = {x, y};
  };
  for (const ColumnAgg& c : columns_) {
    const float x = c.x + 0.5f;
    const float top = plot.y_of(static_cast<double>(c.max)), bottom = plot.y_of(static_cast<double>(c.min));
    // The cross sits just above the lost segment's bar.
    fold_or_draw(x, top - 4.0f);
    if (bottom - top > kFold) fold_or_draw(x, bottom - 4.0f);
  }
}

void GraphPanel::draw_sequence(const Document& doc, const ViewState& view, ImDrawList* dl, Plot& plot) {
  const std::int64_t b = plot.x.t0_ns, e = plot.x.end_ns();
  MinMax m;
  include(m, seq_.first_sent, b, e, false);
  include(m, seq_.retransmitted, b, e, false);
  include(m, seq_.acked, b, e, true);
  // The window edge counts while it is near the data (flow control is what limits the sender); a window far
  // above would squash the segments into a thin band, so then it runs off the top.
  MinMax w;
  include(w, seq_.window, b, e, true);
  if (!w.empty()) {
    const std::int64_t reach =
        m.empty() ? w.max : m.max + std::max<std::int64_t>((m.max - m.min) * 35 / 100, 1);
    m.add(w.min, std::min(w.max, reach));
  }
  if (m.empty()) {
    dl->AddText({plot.p0.x + 8, plot.p0.y + 8}, rgb(kDimTextHex), tr(view.lang, T::GraphNoDataInView));
    return;
  }
  const double pad = std::max(1.0, static_cast<double>(m.max - m.min) * 0.05);
  plot.y.min = static_cast<double>(m.min) - pad;
  plot.y.max = static_cast<double>(m.max) + pad;
  const bool relative = view.filters.relative_seq;
  plot.y.label_offset = relative ? 0.0 : static_cast<double>(seq_.isn);
  plot.y.wrap_labels = !relative;
  draw_axes(dl, plot, tr(view.lang, relative ? T::GraphSeqAxisRelative : T::GraphSeqAxisAbsolute));
  const DataClip clip(dl, plot);
  const std::int64_t end = doc.end_ns;
  draw_step_line(dl, plot, seq_.window, end, rgb(kWindowHex), 1.5f);
  draw_step_line(dl, plot, seq_.acked, end, rgb(kAckHex), 2.0f);
  draw_bars(dl, plot, seq_.first_sent, rgb(arrow_hex(ArrowKind::Data)), 1.5f);
  draw_bars(dl, plot, seq_.retransmitted, rgb(arrow_hex(ArrowKind::Retransmission)), 3.0f);
  draw_crosses(dl, plot, seq_.lost, rgb(kLostHex));
}

void GraphPanel::draw_cwnd(const Document& doc, Lang lang, ImDrawList* dl, Plot& plot) {
  if (!cwnd_.endpoint || cwnd_.cwnd.empty()) {
    dl->AddText({plot.p0.x + 8, plot.p0.y + 8}, rgb(kDimTextHex), tr(lang, T::GraphNoCwnd));
    return;
  }
  const std::int64_t b = plot.x.t0_ns, e = plot.x.end_ns();
  MinMax m;
  include(m, cwnd_.cwnd, b, e, true);
  include(m, cwnd_.ssthresh, b, e, true);
  if (m.empty()) {
    dl->AddText({plot.p0.x + 8, plot.p0.y + 8}, rgb(kDimTextHex), tr(lang, T::GraphNoDataInView));
    return;
  }
  // Windows are sizes: the axis starts at zero so halving looks like halving.
  plot.y.min = 0;
  plot.y.max = static_cast<double>(m.max) * 1.08 + 1.0;
  char title[96];
  std::snprintf(title, sizeof title, "cwnd, ssthresh (%s)", tr(lang, T::GraphBytesAxis));
  draw_axes(dl, plot, title);
  const DataClip clip(dl, plot);
  const std::int64_t end = doc.end_ns;
  draw_step_line(dl, plot, cwnd_.ssthresh, end, rgb(kSsthreshHex), 1.5f);
  draw_step_line(dl, plot, cwnd_.cwnd, end, rgb(arrow_hex(ArrowKind::Data)), 2.0f);
}

void GraphPanel::draw_throughput(Lang lang, ImDrawList* dl, Plot& plot) {
  const std::int64_t b = plot.x.t0_ns, e = plot.x.end_ns();
  // Bins about 8 px wide, at a round duration: they follow the zoom.
  const std::int64_t bin_ns = throughput_bin_ns(plot.x.ns_per_px, 8.0f);
  const double per_s = 1e9 / static_cast<double>(bin_ns);
  std::uint64_t peak = 0;
  for (const ThroughputLine& line : throughput_) {
    throughput_bins(line.series, b, e, bin_ns, bins_);
    for (const ThroughputBin& bin : bins_) peak = std::max(peak, bin.bytes);
  }
  if (peak == 0) {
    dl->AddText({plot.p0.x + 8, plot.p0.y + 8}, rgb(kDimTextHex), tr(lang, T::GraphNoDataInView));
    return;
  }
  const double peak_rate = static_cast<double>(peak) * per_s;
  const RateUnit unit = rate_unit(peak_rate);
  plot.y.min = 0;
  plot.y.max = peak_rate * 1.08;
  plot.y.label_scale = unit.scale;
  plot.y.unit = unit.name;
  char title[96];
  std::snprintf(title, sizeof title, "%s (%s)", tr(lang, T::GraphPayloadSent), unit.name);
  draw_axes(dl, plot, title);
  const DataClip clip(dl, plot);
  const bool fill = throughput_.size() == 1;
  for (const ThroughputLine& line : throughput_) {
    throughput_bins(line.series, b, e, bin_ns, bins_);
    const ImU32 col = rgb(line.hex);
    float prev_y = plot.p1.y;
    for (const ThroughputBin& bin : bins_) {
      const float x0 = std::max(plot.p0.x, plot.x.y(bin.begin_ns));
      const float x1 = std::min(plot.p1.x, plot.x.y(bin.begin_ns + bin_ns));
      const float y = plot.y_of(static_cast<double>(bin.bytes) * per_s);
      if (fill && bin.bytes) dl->AddRectFilled({x0, y}, {x1, plot.p1.y}, rgb(line.hex, 45));
      dl->AddLine({x0, prev_y}, {x0, y}, col, 1.5f);
      dl->AddLine({x0, y}, {x1, y}, col, 1.5f);
      prev_y = y;
    }
  }
}

void GraphPanel::handle_mouse(const ViewState& v, NavigationCommands& c, const Plot& plot, bool hovered,
                              bool active) {
  const ImGuiIO& io = ImGui::GetIO();
  const std::int64_t at = plot.x.time_at(std::clamp(io.MousePos.x, plot.p0.x, plot.p1.x));
  if (hovered && io.MouseWheel != 0.0f) {
    std::int64_t b = v.view_begin_ns, e = v.view_end_ns;
    zoom_range(b, e, at, std::pow(0.8, static_cast<double>(io.MouseWheel)));
    c.set_view = {b, e};
  }
  if (active && ImGui::IsMouseClicked(0)) {
    panning_ = false;
    pan_begin_ = v.view_begin_ns;
    pan_end_ = v.view_end_ns;
  }
  if (active && ImGui::IsMouseDragging(0, 4.0f)) {
    panning_ = true;
    // Dragging right shows earlier times, as when dragging a map.
    const auto shift = static_cast<std::int64_t>(-ImGui::GetMouseDragDelta(0, 0.0f).x * plot.x.ns_per_px);
    c.set_view = {pan_begin_ + shift, pan_end_ + shift};
  }
  if (ImGui::IsItemDeactivated()) {
    if (!panning_) c.set_cursor_ns = at;
    panning_ = false;
  }
  if (!hovered || active) return;
  // The values under the mouse.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddLine({io.MousePos.x, plot.p0.y}, {io.MousePos.x, plot.p1.y}, rgb(kDimTextHex, 120), 1.0f);
  const Lang lang = v.lang;
  char time_buf[32];
  format_time(time_buf, sizeof time_buf, at, std::max<std::int64_t>(1, tick_step_ns(plot.x.ns_per_px, 1.0f)));
  ImGui::BeginTooltip();
  ImGui::TextUnformatted(time_buf);
  // Sequence numbers as the axis shows them: relative, or what is on the wire.
  const std::int64_t seq_offset = v.filters.relative_seq ? 0 : seq_.isn;
  auto value_line = [&](const char* name, const Series& s, unsigned hex, std::int64_t offset, bool wire) {
    const auto i = s.last_at_or_before(at);
    if (!i) return;
    const std::int64_t value = s.lo(*i) + offset;
    ImGui::TextColored(ImColor(rgb(hex)).Value, "%s: %" PRId64, name,
                       wire ? static_cast<std::int64_t>(static_cast<std::uint32_t>(value)) : value);
  };
  switch (kind_) {
    case GraphKind::Sequence:
      value_line(tr(lang, T::GraphAckLine), seq_.acked, kAckHex, seq_offset, seq_offset != 0);
      value_line(tr(lang, T::GraphWindowLine), seq_.window, kWindowHex, seq_offset, seq_offset != 0);
      break;
    case GraphKind::Cwnd:
      value_line("cwnd", cwnd_.cwnd, arrow_hex(ArrowKind::Data), 0, false);
      value_line("ssthresh", cwnd_.ssthresh, kSsthreshHex, 0, false);
      break;
    case GraphKind::Throughput: {
      const std::int64_t bin_ns = throughput_bin_ns(plot.x.ns_per_px, 8.0f);
      for (const ThroughputLine& line : throughput_) {
        throughput_bins(line.series, at, at, bin_ns, bins_);
        if (bins_.empty()) continue;
        const double rate = static_cast<double>(bins_.front().bytes) * 1e9 / static_cast<double>(bin_ns);
        ImGui::TextColored(ImColor(rgb(line.hex)).Value, "%s: %.3g %s", line.label.c_str(),
                           rate * plot.y.label_scale, plot.y.unit);
      }
      break;
    }
  }
  ImGui::TextDisabled("%s", tr(lang, T::GraphHint));
  ImGui::EndTooltip();
}

void GraphPanel::draw_contents(const Document& doc, const ViewState& view, const Fonts& fonts,
                               NavigationCommands& c) {
  refresh(doc);
  const Lang lang = view.lang;
  if (choices_.empty() || choice_ >= choices_.size()) {
    ImGui::TextWrapped("%s", tr(lang, T::GraphNothing));
    return;
  }
  draw_selectors(lang);
  ensure_built(doc);
  draw_legend(lang, fonts);

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o0 = ImGui::GetCursorScreenPos();
  ImVec2 size = ImGui::GetContentRegionAvail();
  size.x = std::max(size.x, 120.0f);
  size.y = std::max(size.y, 80.0f);
  ImGui::InvisibleButton("##graph", size, ImGuiButtonFlags_MouseButtonLeft);
  const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
  const ImVec2 o1{o0.x + size.x, o0.y + size.y};
  dl->PushClipRect(o0, o1, true);
  dl->AddRectFilled(o0, o1, rgb(kCanvasHex));

  // The Y labels' width depends on the values in view; a fixed gutter wide enough for ten digits keeps the
  // plot from jumping sideways while panning.
  const float gutter = std::max(kMinGutter, ImGui::CalcTextSize("4294967295").x + 10.0f);
  const bool absolute_seq = kind_ == GraphKind::Sequence && !view.filters.relative_seq;
  Plot plot;
  plot.p0 = {o0.x + (absolute_seq ? gutter : std::max(kMinGutter, ImGui::CalcTextSize("1.25M").x + 12.0f)),
             o0.y + kTopMargin};
  plot.p1 = {o1.x - kRightMargin, o1.y - kBottomMargin};
  plot.x =
      make_mapping(view.view_begin_ns, view.view_end_ns, plot.p0.x, std::max(plot.p1.x - plot.p0.x, 1.0f));

  const bool tcp = choices_[choice_].proto == Transport::Tcp;
  if (kind_ != GraphKind::Throughput && !tcp) {
    dl->AddText({plot.p0.x + 8, plot.p0.y + 8}, rgb(kDimTextHex), tr(lang, T::GraphNeedsTcp));
  } else {
    switch (kind_) {
      case GraphKind::Sequence:
        draw_sequence(doc, view, dl, plot);
        break;
      case GraphKind::Cwnd:
        draw_cwnd(doc, lang, dl, plot);
        break;
      case GraphKind::Throughput:
        draw_throughput(lang, dl, plot);
        break;
    }
  }
  // The time cursor, as on the timeline.
  const std::int64_t cursor = view.cursor.time_ns;
  if (cursor >= plot.x.t0_ns && cursor <= plot.x.end_ns()) {
    const float x = plot.x.y(cursor);
    dl->AddLine({x, plot.p0.y}, {x, plot.p1.y}, rgb(kCursorHex), 1.5f);
  }
  handle_mouse(view, c, plot, hovered, active);
  dl->PopClipRect();
}

// ---------------------------------------------------------------------------------------------- sparkline

void draw_sparkline(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const Series& s, std::int64_t begin_ns,
                    std::int64_t end_ns, std::int64_t cursor_ns, ImU32 col, std::vector<ColumnAgg>& scratch) {
  if (s.empty() || p1.x - p0.x < 4.0f) return;
  const MinMax all = s.range(0, s.size());
  const double lo = static_cast<double>(all.min), span = std::max(1.0, static_cast<double>(all.max) - lo);
  auto y_of = [&](std::int64_t v) {
    return p1.y - static_cast<float>((static_cast<double>(v) - lo) / span) * (p1.y - p0.y);
  };
  const TimeMapping map = make_mapping(begin_ns, end_ns, p0.x, p1.x - p0.x);
  aggregate_columns(s, map, scratch);
  step_line(dl, scratch, value_before(s, begin_ns), p0.x, p1.x, y_of, col, 1.0f);
  if (const auto i = s.last_at_or_before(cursor_ns)) {
    const float x = std::clamp(map.y(cursor_ns), p0.x, p1.x);
    // Dark with a white ring: it must stand out on every endpoint colour, orange included.
    dl->AddCircleFilled({x, y_of(s.lo(*i))}, 3.2f, rgb(kCanvasHex));
    dl->AddCircleFilled({x, y_of(s.lo(*i))}, 2.2f, rgb(kTextHex));
  }
}

}  // namespace wirestep::gui
