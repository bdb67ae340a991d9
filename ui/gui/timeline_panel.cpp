#include "ui/gui/timeline_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "sim/analysis/prediction.hpp"
#include "ui/cli/cli_text.hpp"
#include "ui/cli/hosts_command.hpp"
#include "ui/cli/ladder_order.hpp"
#include "ui/gui/link_panel.hpp"
#include "ui/gui/overview_panel.hpp"
#include "ui/gui/packet_text.hpp"
#include "ui/gui/palette.hpp"
#include "ui/gui/truth_panel.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/model/script_document.hpp"
#include "ui/model/twin_document.hpp"

namespace wirestep::gui {
namespace {

constexpr float kHeaderH = 48.0f;  // host names and addresses above the lanes
constexpr float kGutterW = 78.0f;  // time axis
constexpr float kArrowHead = 9.0f;
// Prediction mode: the segment to predict is drawn in a neutral colour (its kind's colour would hint at the
// answer) with a "?" label in the prompt colour.
constexpr unsigned kHiddenArrowHex = 0x4B5563;
constexpr unsigned kHiddenLabelHex = 0xB4530A;
constexpr const char* kAcceptNewFd = "accept -> new fd";  // sim/net/host_tcp.cpp's text for accept's return
constexpr std::uint32_t kMaxLabelledPayload = 200;  // bytes: longer payloads are bulk data, not a message
constexpr std::size_t kMaxLabelledEvents =
    40;  // more event marks in view: text only for states, timers, notes

ImVec2 operator+(ImVec2 a, ImVec2 b) {
  return {a.x + b.x, a.y + b.y};
}

void arrow_head(ImDrawList* dl, ImVec2 from, ImVec2 tip, ImU32 col, float size) {
  float dx = tip.x - from.x, dy = tip.y - from.y;
  const float len = std::sqrt(dx * dx + dy * dy);
  if (len < 1.0f) return;
  dx /= len;
  dy /= len;
  const ImVec2 base{tip.x - dx * size, tip.y - dy * size};
  const ImVec2 n{-dy * size * 0.45f, dx * size * 0.45f};
  dl->AddTriangleFilled(tip, base + n, ImVec2{base.x - n.x, base.y - n.y}, col);
}

void cross(ImDrawList* dl, ImVec2 c, float r, ImU32 col) {
  dl->AddLine({c.x - r, c.y - r}, {c.x + r, c.y + r}, col, 3.0f);
  dl->AddLine({c.x - r, c.y + r}, {c.x + r, c.y - r}, col, 3.0f);
}

void dashed(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len = std::sqrt(dx * dx + dy * dy);
  const int n = std::min(200, static_cast<int>(len / 6.0f));
  for (int i = 0; i < n; i += 2) {
    const float t0 = static_cast<float>(i) / static_cast<float>(n),
                t1 = static_cast<float>(i + 1) / static_cast<float>(n);
    dl->AddLine({a.x + dx * t0, a.y + dy * t0}, {a.x + dx * t1, a.y + dy * t1}, col, thickness);
  }
  if (n == 0) dl->AddLine(a, b, col, thickness);
}

ImU32 with_alpha(unsigned hex, bool faint) {
  return rgb(hex, faint ? 55 : 255);
}

// Draws `text` clipped to `max_w` pixels with "…" when cut; no allocation.
void clipped_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 col, const char* text,
                  float max_w, bool right_align) {
  const char* end = text + std::strlen(text);
  ImVec2 full = font->CalcTextSizeA(size, FLT_MAX, 0.0f, text, end);
  if (full.x <= max_w) {
    if (right_align) pos.x -= full.x;
    dl->AddText(font, size, pos, col, text, end);
    return;
  }
  const float dots_w = font->CalcTextSizeA(size, FLT_MAX, 0.0f, "...").x;
  const char* cut = nullptr;
  font->CalcTextSizeA(size, std::max(0.0f, max_w - dots_w), 0.0f, text, end, &cut);
  const float w = font->CalcTextSizeA(size, FLT_MAX, 0.0f, text, cut).x;
  if (right_align) pos.x -= w + dots_w;
  dl->AddText(font, size, pos, col, text, cut);
  dl->AddText(font, size, {pos.x + w, pos.y}, col, "...");
}

// A node without an IP address (a switch, issue #18) is given 0.0.0.0/0 in the Trace.
bool address_less(const std::string& address) {
  return address.rfind("0.0.0.0/", 0) == 0;
}

// A simulated host's interfaces as `ip a` prints them, its address bit by bit with the network part (the
// prefix) highlighted (issue #18, seed notes 1-5). Captures have no hosts in the Trace: nothing is shown.
void host_interfaces_tooltip(const LoadedTrace& lt, std::uint8_t column, Lang lang) {
  if (column >= lt.columns.size()) return;
  const auto& hosts = lt.trace.hosts();
  for (std::uint32_t h = 0; h < hosts.size(); ++h) {
    if (hosts[h].name != lt.columns[column].name || hosts[h].addr.v6) continue;
    if (hosts[h].addr == wire::IpAddr{}) return;  // a switch: no address to take apart
    const wire::Ipv4Addr addr = hosts[h].addr.v4();
    const int prefix = std::clamp(hosts[h].prefix_len, 0, 32);
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(cli_text(lang, Msg::HostsIpTitle, hosts[h].name).c_str());
    for (const std::string& line : ip_a_lines(h, addr, prefix)) ImGui::TextUnformatted(line.c_str());
    ImGui::Separator();
    char net[40] = {}, host[40] = {};
    std::size_t n = 0, m = 0;
    for (int b = 0; b < 32; ++b) {
      char* out = b < prefix ? net : host;
      std::size_t& len = b < prefix ? n : m;
      out[len++] = (addr.value >> (31 - b)) & 1u ? '1' : '0';
      if (b % 8 == 7 && b != 31) out[len++] = '.';
    }
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(rgb(0x1F5FBF)), "%s", net);
    ImGui::SameLine(0.0f, 0.0f);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(rgb(kDimTextHex)), "%s", host);
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36.0f);
    ImGui::TextUnformatted(address_parts_line("eth0", addr, prefix, lang).c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
    return;
  }
}

}  // namespace

const std::array<std::uint8_t, kMaxLadderColumns>& TimelinePanel::lane_slots(std::size_t ladder,
                                                                             std::uint64_t generation,
                                                                             const Trace& trace,
                                                                             std::uint8_t columns) {
  LaneSlots& c = lane_slots_[ladder];
  // Worked out again only when the Trace, its size or the lane count changes: a steady frame allocates
  // nothing.
  if (c.generation != generation || c.trace != &trace || c.packets != trace.packet_count() ||
      c.columns != columns) {
    c.generation = generation;
    c.trace = &trace;
    c.packets = trace.packet_count();
    c.columns = columns;
    const std::vector<std::uint8_t> order = ladder_lane_slots(trace, columns);
    for (std::size_t i = 0; i < c.slot.size(); ++i)
      c.slot[i] = i < order.size() ? order[i] : static_cast<std::uint8_t>(i);
  }
  return c.slot;
}

bool TimelinePanel::label_fits(const LabelBox& b) {
  for (std::size_t k = 0; k < std::min(label_count_, labels_.size()); ++k) {
    const LabelBox& o = labels_[k];
    if (b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1) return false;
  }
  labels_[label_count_ % labels_.size()] = b;
  ++label_count_;
  return true;
}

void TimelinePanel::draw(const Document& doc, const ViewState& view, const Fonts& fonts,
                         const PredictionSession& prediction, const PacketEditing& editing, bool offer_follow,
                         NavigationCommands& nav, SelectionCommands& selection, EditCommands& edit,
                         LiveCommands& live, DisplayCommands& display, const PanelRect& r) {
  char title[96];
  std::snprintf(title, sizeof title, "%s###timeline", tr(view.lang, T::Timeline));
  const PanelWindow window(title, r, {.scrollbar = false, .scroll_with_mouse = false});
  // A capture can be seen as this ladder or as the conversation overview (overview_panel.hpp).
  if (window.visible() && doc.capture && doc.flows) draw_capture_view_switch(false, view.lang, display);
  if (window.visible())
    draw_contents(doc, view, fonts, prediction, editing, offer_follow, nav, selection, edit, live);
}

void TimelinePanel::draw_contents(const Document& doc, const ViewState& v, const Fonts& fonts,
                                  const PredictionSession& prediction, const PacketEditing& editing,
                                  bool offer_follow, NavigationCommands& nav, SelectionCommands& selection,
                                  EditCommands& edit, LiveCommands& live) {
  const Lang lang = v.lang;
  ImFont* ui_font = ImGui::GetFont();
  ImFont* small = fonts.small ? fonts.small : ui_font;
  const float small_size = small->FontSize;
  const float ui_size = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImGuiIO& io = ImGui::GetIO();

  // The legend wraps onto as many lines as the width needs; the ladder takes what is left.
  const float legend_h = draw_legend(doc, lang, false) + ImGui::GetStyle().ItemSpacing.y + 2.0f;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImVec2 size = ImGui::GetContentRegionAvail();
  size.y = std::max(size.y - legend_h, 60.0f);
  size.x = std::max(size.x, 100.0f);
  ImGui::InvisibleButton("##ladder", size, ImGuiButtonFlags_MouseButtonLeft);
  const bool hovered = ImGui::IsItemHovered();
  const bool active = ImGui::IsItemActive();
  const ImVec2 p1{p0.x + size.x, p0.y + size.y};
  dl->PushClipRect(p0, p1, true);
  dl->AddRectFilled(p0, p1, rgb(kCanvasHex));

  if (doc.traces.empty()) {
    dl->AddText({p0.x + 20, p0.y + 20}, rgb(kDimTextHex), tr(lang, T::SelectPacketHint));
    dl->PopClipRect();
    return;
  }

  const float top = p0.y + kHeaderH, bottom = p1.y - 4.0f;
  if (v.sequence) {
    std::size_t size_now = 0;
    for (const auto& t : doc.traces) size_now += t->trace.packet_count() + t->trace.event_count();
    if (rows_.empty() || rows_generation_ != doc.generation || rows_size_ != size_now) {
      rows_.clear();
      for (const auto& t : doc.traces) rows_.add_trace(t->trace);
      rows_generation_ = doc.generation;
      rows_size_ = size_now;
    }
  }
  const float row_px = ui_size * v.sequence_row_lines;
  TimeMapping map = v.sequence ? make_sequence_mapping(rows_.times(), v.view_begin_ns, top, bottom - top,
                                                       row_px, v.sequence_row_skip)
                               : make_mapping(v.view_begin_ns, v.view_end_ns, top, bottom - top);
  // The row of the step the cursor sits on (several steps can share its instant), else of its time.
  auto cursor_row = [&](const TimeMapping& m) {
    if (const auto& s = v.cursor.step; s && s->time_ns == v.cursor.time_ns && s->kind != StepKind::Arrive) {
      const auto rows = s->kind == StepKind::Send ? rows_.send_rows(s->trace) : rows_.event_rows(s->trace);
      if (s->index < rows.size() && rows[s->index] != SequenceRows::kNoRow)
        return static_cast<double>(rows[s->index]);
    }
    return m.row_of(v.cursor.time_ns);
  };
  bool view_moved = false;
  if (map.sequence() && last_row_px_ > 0.0f && row_px != last_row_px_) {
    // + or - changed the row height: the cursor's row stays where it was on screen (the middle of the view
    // when the cursor was out of it), so the rows grow or shrink around it.
    const TimeMapping before = make_sequence_mapping(rows_.times(), v.view_begin_ns, top, bottom - top,
                                                     last_row_px_, v.sequence_row_skip);
    double anchor = cursor_row(before);
    float anchor_y = before.row_y(anchor);
    if (anchor_y < top || anchor_y > bottom) {
      anchor_y = (top + bottom) * 0.5f;
      anchor = before.row0 + static_cast<double>(anchor_y - top) / static_cast<double>(last_row_px_);
    }
    const auto [t, skip] =
        map.top_of_row(anchor - static_cast<double>(anchor_y - top) / static_cast<double>(row_px));
    map = make_sequence_mapping(rows_.times(), t, top, bottom - top, row_px, skip);
    nav.set_view = {t, std::max(map.end_ns(), t + 1)};
    nav.set_view_row_skip = skip;
    view_moved = true;
  }
  // A cursor that moved (a step, a jump, playing) out of the rows in view brings them along, by rows: the
  // view's time span says little about how many rows it holds. Its row goes an eighth of the way down, so
  // the next steps show, but the view never scrolls past the last row. A view scrolled away from a cursor
  // that stays put is left alone.
  const bool cursor_moved = v.cursor.time_ns != last_cursor_.time_ns || v.cursor.step != last_cursor_.step;
  last_cursor_ = v.cursor;
  if (map.sequence() && cursor_moved && !view_moved && !nav.set_view) {
    const double row = cursor_row(map);
    const double in_view = static_cast<double>(map.height / map.row_px);
    if (row < map.row0 || row > map.row0 + in_view * 0.95) {
      const double last_top = std::ceil(static_cast<double>(map.rows.size()) - in_view);
      const double top_row = std::max(0.0, std::floor(std::min(row - in_view / 8.0, last_top)));
      const auto [t, skip] = map.top_of_row(top_row);
      map = make_sequence_mapping(rows_.times(), t, top, bottom - top, row_px, skip);
      nav.set_view = {t, std::max(map.end_ns(), t + 1)};
      nav.set_view_row_skip = skip;
      view_moved = true;
    }
  }
  last_row_px_ = map.sequence() ? row_px : 0.0f;
  // The row height, not the view's end, fixes how much a sequence shows: the view learns its real end, so
  // keeping the cursor in view and the other panels agree with what is drawn.
  if (map.sequence() && !nav.set_view && !view_moved && map.end_ns() != v.view_end_ns) {
    nav.set_view = {v.view_begin_ns, std::max(map.end_ns(), v.view_begin_ns + 1)};
    nav.set_view_row_skip = v.sequence_row_skip;
  }
  const std::size_t ladders = std::min<std::size_t>(doc.traces.size(), arrows_.size());
  const bool comparison = ladders > 1;
  const float ladder_w = (size.x - kGutterW) / static_cast<float>(ladders);
  const std::int64_t cursor = v.cursor.time_ns;
  const ImVec2 mouse = io.MousePos;

  // Time axis: gridlines across every ladder, labels in the gutter. In sequence layout each row is labelled
  // with its own instant, since equal spacing no longer says how much time passed.
  if (map.sequence()) {
    // Every row gets its gridline; only the first row of an instant its time (the rows below it happened at
    // the same nanosecond, in the order drawn).
    const auto first_row = static_cast<std::size_t>(std::max(0.0, std::floor(map.row0)));
    const auto last_row = static_cast<std::size_t>(
        std::clamp(std::ceil(map.row0 + static_cast<double>(map.height / map.row_px)), 0.0,
                   static_cast<double>(map.rows.size())));
    char buf[32];
    for (std::size_t row = first_row; row < last_row; ++row) {
      const float y = map.row_y(static_cast<double>(row));
      dl->AddLine({p0.x + kGutterW, y}, {p1.x, y}, rgb(0xEEF0F3), 1.0f);
      if (row > 0 && map.rows[row - 1] == map.rows[row]) continue;
      const auto it = map.rows.begin() + static_cast<std::ptrdiff_t>(row);
      // The small font: a row's time to the microsecond ("111.049 ms") must fit the gutter; a longer one
      // ("2241.277 ms") is printed to the millisecond rather than cut.
      format_time(buf, sizeof buf, *it, 1000);
      float w = small->CalcTextSizeA(small_size, FLT_MAX, 0.0f, buf).x;
      if (w > kGutterW - 8.0f) {
        format_time(buf, sizeof buf, *it, 1'000'000);
        w = small->CalcTextSizeA(small_size, FLT_MAX, 0.0f, buf).x;
      }
      dl->AddText(small, small_size, {p0.x + kGutterW - 6.0f - w, y - small_size * 0.5f}, rgb(kDimTextHex),
                  buf);
    }
    dl->AddLine({p0.x + kGutterW, top}, {p0.x + kGutterW, bottom}, rgb(0xD5D9DE), 1.0f);
  } else {
    const std::int64_t step = tick_step_ns(map.ns_per_px, 60.0f);
    std::int64_t t = map.t0_ns / step * step;
    if (t < map.t0_ns) t += step;
    char buf[32];
    for (int guard = 0; guard < 200 && t <= map.end_ns(); ++guard, t += step) {
      const float y = map.y(t);
      dl->AddLine({p0.x + kGutterW, y}, {p1.x, y}, rgb(0xEEF0F3), 1.0f);
      format_time(buf, sizeof buf, t, step);
      const float w = ImGui::CalcTextSize(buf).x;
      dl->AddText({p0.x + kGutterW - 8.0f - w, y - ui_size * 0.5f}, rgb(kDimTextHex), buf);
    }
    dl->AddLine({p0.x + kGutterW, top}, {p0.x + kGutterW, bottom}, rgb(0xD5D9DE), 1.0f);
  }

  std::optional<PacketRef> hit;
  const ArrowRecord* hit_record = nullptr;
  std::optional<std::pair<std::size_t, std::uint32_t>> hit_event;       // (ladder, slot)
  std::optional<std::pair<std::size_t, std::uint8_t>> hit_lane_header;  // (ladder, column)
  label_count_ = 0;

  // One ladder's mapping: in sequence layout its own steps' rows.
  auto ladder_map = [&](std::size_t k) {
    TimeMapping m = map;
    if (m.sequence()) {
      m.send_rows = rows_.send_rows(k);
      m.event_rows = rows_.event_rows(k);
    }
    return m;
  };
  // Whether a step at the cursor's instant comes after it: a cursor that stepped onto one of several steps
  // of one instant has only those before it behind it (StepOrder's key).
  auto after_cursor = [&](std::size_t k, StepKind kind, std::uint32_t index, std::int64_t t) {
    if (t != cursor) return t > cursor;
    const auto& s = v.cursor.step;
    if (!s || s->time_ns != cursor) return false;
    return doc.steps.key(TimelineStep{static_cast<std::uint32_t>(k), kind, index, t}) > doc.steps.key(*s);
  };

  for (std::size_t k = 0; k < ladders; ++k) {
    const LoadedTrace& lt = *doc.traces[k];
    const TimeMapping lmap = ladder_map(k);
    const float lx = p0.x + kGutterW + static_cast<float>(k) * ladder_w;
    LadderLayout layout;
    layout.columns =
        static_cast<std::uint8_t>(std::clamp<std::size_t>(lt.columns.size(), 1, kMaxLadderColumns));
    // Room beside the outer lanes for socket calls and states; a comparison shows no events, so less margin.
    const float margin = comparison ? 0.1f : layout.columns == 2 ? 0.3f : 0.14f;
    // A routed run's lanes stand in the order its hops walk (ui/cli/ladder_order.hpp): slot[i] is column i's
    // place from the left.
    const std::array<std::uint8_t, kMaxLadderColumns>& slot =
        lane_slots(k, doc.generation, lt.trace, layout.columns);
    const bool routed = has_hops(lt.trace);
    auto slot_x = [&](std::uint8_t s) {
      const float f = layout.columns == 1 ? 0.5f
                                          : margin + (1.0f - 2.0f * margin) * static_cast<float>(s) /
                                                         static_cast<float>(layout.columns - 1);
      return std::round(lx + ladder_w * f);
    };
    for (std::uint8_t i = 0; i < layout.columns; ++i) layout.column_x[i] = slot_x(slot[i]);
    if (k > 0) dl->AddLine({lx, p0.y}, {lx, p1.y}, rgb(0xC9CED6), 2.0f);

    // Header: each endpoint's name and address over its line (kept inside this ladder), and in a comparison
    // which run it is, centred between the endpoints.
    const float x_min = lx + 4.0f, x_max = lx + ladder_w - 4.0f;
    auto inside = [&](float centre, float w) {
      return std::clamp(centre - w * 0.5f, x_min, std::max(x_min, x_max - w));
    };
    // Labels never overlap: when a name is wider than the space between lanes, every other lane's label drops
    // to the second line (twice the room); what still does not fit is shortened with "...".
    const float spacing = layout.columns > 1 ? slot_x(1) - slot_x(0) : ladder_w;
    float widest = 0.0f;
    std::array<std::pair<float, float>, kMaxLadderColumns> extent{};  // (left, right) of each label, one line
    for (std::uint8_t i = 0; i < layout.columns && i < lt.columns.size(); ++i) {
      float w = ImGui::CalcTextSize(column_display_name(lang, lt.columns[i].name)).x;
      // Addresses count too: five lanes of 192.168.245.x/24 were cut to "192.168.245...." side by side.
      if (!address_less(lt.columns[i].address))
        w = std::max(w, small->CalcTextSizeA(small_size, FLT_MAX, 0, lt.columns[i].address.c_str()).x);
      widest = std::max(widest, w);
      const float left = inside(layout.column_x[i], w);
      extent[slot[i]] = {left, left + w};
    }
    // Labels kept inside the ladder move off their lane's centre: the outer ones may then touch a neighbour
    // even when each is narrower than the spacing ("10.0.0.1/24" ran into "10.0.0.2/24" in a narrow
    // comparison).
    bool touching = false;
    for (std::uint8_t s = 1; s < layout.columns && s < lt.columns.size(); ++s)
      touching = touching || extent[s - 1].second + 8.0f > extent[s].first;
    const bool stagger = layout.columns > 1 && (widest > spacing - 8.0f || touching);
    // In a comparison the run's badge ("simulated", "real Linux", "UDP") takes the first line between the
    // endpoints; a name that would run into it goes one line lower, with its address.
    const char* run_label = comparison ? lt.label_in(lang).c_str() : "";
    const float badge_w = comparison ? ImGui::CalcTextSize(run_label).x + 12.0f : 0.0f;
    const float badge_cx = (slot_x(0) + slot_x(layout.columns - 1)) * 0.5f;
    for (std::uint8_t i = 0; i < layout.columns && i < lt.columns.size(); ++i) {
      const float x = layout.column_x[i];
      const char* name = column_display_name(lang, lt.columns[i].name);
      // A switch has no address (its ports forward by MAC): its lane shows only its name, not "0.0.0.0/0".
      const char* addr = address_less(lt.columns[i].address) ? "" : lt.columns[i].address.c_str();
      const float room = (stagger ? 2.0f * spacing : spacing) - 8.0f;
      const float nw = std::min(ImGui::CalcTextSize(name).x, room);
      const float aw = std::min(small->CalcTextSizeA(small_size, FLT_MAX, 0, addr).x, room);
      const float name_x = inside(x, nw);
      const bool under_badge = comparison && name_x < badge_cx + badge_w * 0.5f + 4.0f &&
                               name_x + nw > badge_cx - badge_w * 0.5f - 4.0f;
      const bool lower = (stagger && (slot[i] % 2 == 1)) || under_badge;
      const float name_y = p0.y + 6 + (lower ? ui_size : 0.0f);
      clipped_text(dl, ui_font, ui_size, {name_x, name_y}, rgb(kTextHex), name, room, false);
      if (addr[0])
        clipped_text(dl, small, small_size, {inside(x, aw), p0.y + 8 + ui_size + (lower ? small_size : 0.0f)},
                     rgb(kDimTextHex), addr, room, false);
      dl->AddLine({x, top - 4}, {x, bottom}, rgb(kLaneHex), 2.0f);
      if (hovered && !hit_lane_header && io.MousePos.y >= p0.y && io.MousePos.y < top &&
          std::abs(io.MousePos.x - x) < room * 0.5f)
        hit_lane_header = std::pair{k, i};
    }
    if (comparison) {
      dl->AddRectFilled({badge_cx - badge_w * 0.5f, p0.y + 5},
                        {badge_cx + badge_w * 0.5f, p0.y + 7 + ui_size},
                        rgb(lt.label == "UDP" || (doc.twin && k == 1) ? 0x0B6E8C : 0x1F5FBF), 4.0f);
      dl->AddText({badge_cx - badge_w * 0.5f + 6.0f, p0.y + 6}, rgb(0xFFFFFF), run_label);
    }

    // Prediction mode: nothing after the cursor is drawn in the trace with the hidden packet, so later
    // packets and socket calls cannot give the answer away.
    const std::optional<PacketRef> hidden = prediction.hidden();
    const bool predicting_here = hidden && hidden->trace == k;

    // The ladder's body stays below the header: an event or arrow before the view's start (t=0's "bind"
    // when the view begins later) would otherwise be written over the lane's name and address.
    dl->PushClipRect({lx, top - 1.0f}, {lx + ladder_w, p1.y}, true);
    // Two layers: arrows below (channel 0), the hosts' notes and the arrow labels above (channel 1), so a
    // middle host's notes are never written over by the arrows that cross its lane.
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    // Events beside the lanes: left of the first column, right of the others.
    if (v.filters.events && !comparison && !lt.event_times.empty()) {
      // Events closer than a text line share one block beside the lane, so no row is squeezed out by its
      // neighbour.
      const float line_h = small_size + 2.0f;
      build_event_marks(lt.event_times, lt.event_ids, lt.event_columns, lmap, marks_, line_h);
      std::array<float, kMaxLadderColumns> last_bottom;
      last_bottom.fill(-1e9f);
      // Many events in view: only state changes, timer fires and notes keep their text.
      const bool busy = marks_.size() > kMaxLabelledEvents;
      for (std::size_t m = 0; m < marks_.size(); ++m) {
        const EventMark& em = marks_[m];
        if (predicting_here && lt.event_times[em.slot] > cursor) continue;
        const std::uint8_t col = std::min<std::uint8_t>(em.column, layout.columns - 1);
        const float x = layout.column_x[col];
        const bool left = slot[col] == 0 && layout.columns > 1;
        const EventKind kind = lt.trace.event_kind(em.event);
        const unsigned hex = kind == EventKind::StateChange ? 0x6A3D9A
                             : kind == EventKind::TimerFire ? 0xE8770E
                             : kind == EventKind::Note      ? 0xB42318
                                                            : 0x4B5563;
        // Events after the cursor are faint, like the packets: the diagram fills in as time moves.
        const int alpha = after_cursor(k, StepKind::Event, em.event, lt.event_times[em.slot]) ? 70 : 255;
        dl->AddCircleFilled({x, em.y}, kind == EventKind::StateChange ? 4.5f : 3.0f, rgb(hex, alpha));
        if (hovered && std::abs(mouse.y - em.y) < 5 && std::abs(mouse.x - x) < 8) hit_event = {{k, em.slot}};
        if (lt.event_texts.empty()) continue;
        // The texts of this row on this column, one line each, while they stay clear of the next row.
        float next_y = bottom + 100;
        for (std::size_t o = m + 1; o < marks_.size(); ++o)
          if (marks_[o].column == em.column) {
            next_y = marks_[o].y;
            break;
          }
        float y = std::max(em.y - line_h * 0.5f, last_bottom[col]);
        const float block_top = y;
        const float avail =
            left ? x - lx - 12.0f
                 : (col + 1 < layout.columns ? layout.column_x[col + 1] - x : lx + ladder_w - x) - 14.0f;
        if (avail < 40.0f) continue;
        // This row's texts on this column. When they do not all fit before the next row, the lesson's points
        // go first (state changes, notes, timer fires, then socket calls) and a "+N" says what is folded;
        // hovering the block lists every one, nothing is hidden silently.
        std::array<std::uint32_t, kFoldSamples> lines{};
        std::size_t n_lines = 0;
        for (std::uint32_t s = em.slot; s < lt.event_times.size() && n_lines < kFoldSamples; ++s) {
          if (lmap.event_y(lt.event_ids[s], lt.event_times[s]) > em.y + line_h) break;  // past this row
          if (lt.event_columns[s] != em.column) continue;
          const EventKind sk = lt.trace.event_kind(lt.event_ids[s]);
          if (busy && sk != EventKind::StateChange && sk != EventKind::TimerFire && sk != EventKind::Note)
            continue;
          lines[n_lines++] = s;
        }
        auto rank = [&](std::uint32_t s) {
          switch (lt.trace.event_kind(lt.event_ids[s])) {
            case EventKind::StateChange:
              return 0;
            case EventKind::SocketReturn:
              return lt.event_texts[s].rfind(kAcceptNewFd, 0) == 0 ? 1 : 3;
            case EventKind::Note:
              return 1;
            case EventKind::TimerFire:
              return 2;
            default:
              return 3;
          }
        };
        const float room_px = std::min(next_y - 1.0f, bottom + line_h) - y;
        const auto room = static_cast<std::size_t>(std::max(1.0f, std::floor(room_px / line_h)));
        std::size_t keep = n_lines;
        if (n_lines > room) {
          keep = std::max<std::size_t>(1, room - 1);
          std::stable_sort(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(n_lines),
                           [&](std::uint32_t a, std::uint32_t b) { return rank(a) < rank(b); });
          std::sort(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(keep));
        }
        float last_w = 0.0f;
        for (std::size_t i = 0; i < keep; ++i) {
          const std::uint32_t s = lines[i];
          const EventKind sk = lt.trace.event_kind(lt.event_ids[s]);
          const char* text = lt.event_texts_in(lang)[s].c_str();
          const ImVec2 pos{left ? x - 10.0f : x + 10.0f, y};
          last_w = std::min(avail, small->CalcTextSizeA(small_size, FLT_MAX, 0, text).x);
          // accept() handing out a new socket for a client (notes 11.6) is a moment the lesson is about: a
          // badge like a state change, in its own colour.
          const bool new_socket =
              sk == EventKind::SocketReturn && lt.event_texts[s].rfind(kAcceptNewFd, 0) == 0;
          if (sk == EventKind::StateChange || new_socket) {
            const float w = last_w + 8.0f;
            last_w = w;
            const float bx0 = left ? pos.x - w : pos.x;
            dl->AddRectFilled({bx0, y - 1}, {bx0 + w, y + small_size + 1},
                              rgb(new_socket ? kNewSocketHex : 0x6A3D9A, alpha), 3.0f);
            clipped_text(dl, small, small_size, {bx0 + 4, y}, rgb(0xFFFFFF, alpha < 255 ? 200 : 255), text,
                         avail, false);
          } else {
            // A middle host's notes sit among the arrows: a light backing keeps them readable.
            const float tx0 = left ? pos.x - last_w : pos.x;
            dl->AddRectFilled({tx0 - 1, y - 1}, {tx0 + last_w + 1, y + small_size + 1}, rgb(kCanvasHex, 200));
            clipped_text(dl, small, small_size, pos, rgb(sk == EventKind::SocketCall ? kTextHex : hex, alpha),
                         text, avail, left);
          }
          y += line_h;
        }
        const std::uint32_t folded = em.count > keep ? em.count - static_cast<std::uint32_t>(keep) : 0;
        if (folded > 0) {
          char more[48];
          std::snprintf(more, sizeof more, "+%u", folded);
          const float mw = small->CalcTextSizeA(small_size, FLT_MAX, 0, more).x;
          // On a line of its own when there is room, else at the end of the last line.
          const bool own_line = y + line_h <= next_y - 1.0f || keep == 0;
          const float my = own_line ? y : y - line_h;
          const float mx = own_line ? (left ? x - 10.0f - mw : x + 10.0f)
                                    : (left ? x - 10.0f - last_w - 6.0f - mw : x + 10.0f + last_w + 6.0f);
          dl->AddRectFilled({mx - 3, my - 1}, {mx + mw + 3, my + small_size + 1}, rgb(0xE5E7EB, alpha), 6.0f);
          dl->AddText(small, small_size, {mx, my}, rgb(kDimTextHex, alpha), more);
          if (own_line) y += line_h;
        }
        // Hovering the block lists all of its events.
        const float bx0 = left ? x - 10.0f - avail : x + 10.0f, bx1 = left ? x - 10.0f : x + 10.0f + avail;
        if (hovered && mouse.x >= bx0 && mouse.x <= bx1 && mouse.y >= block_top && mouse.y < y)
          hit_event = {{k, em.slot}};
        last_bottom[col] = y;
      }
    }

    // Packets.
    dl->ChannelsSetCurrent(0);
    const IndexRange range =
        visible_packets(lt.trace.packet_times_ns(), map.t0_ns, map.end_ns(), lt.max_flight_ns);
    std::vector<ArrowRecord>& arrows = arrows_[k];
    // A capture's packets are named by the analyzer's findings (retransmission, duplicate ACK, lost segment).
    const bool findings = doc.capture && lt.analysis.covers(lt.trace);
    build_arrows(lt.trace, lt.flow_columns, layout, lmap, range, v.filters, arrows,
                 findings ? &lt.analysis : nullptr);
    if (predicting_here) {
      const std::int64_t hidden_ns = lt.trace.packet_times_ns()[hidden->packet];
      std::erase_if(arrows, [&](const ArrowRecord& r) {
        return r.count == 1 ? r.packet > hidden->packet : r.t0_ns > hidden_ns;
      });
    }

    if (hovered && mouse.x >= lx && mouse.x < lx + ladder_w && !hit_event) {
      if (auto h = hit_test(arrows, mouse.x, mouse.y, 6.0f)) {
        hit = PacketRef{static_cast<std::uint32_t>(k), arrows[*h].packet};
        hit_record = &arrows[*h];
      }
    }
    const bool selected_here = v.selected && v.selected->trace == k;
    auto is_hidden = [&](const ArrowRecord& r) {
      return hidden && hidden->trace == k && r.count == 1 && r.packet == hidden->packet;
    };
    auto is_future = [&](const ArrowRecord& r) {
      return r.count == 1 ? after_cursor(k, StepKind::Send, r.packet, r.t0_ns) : r.t0_ns > cursor;
    };
    auto is_selected = [&](const ArrowRecord& r) {
      return selected_here && r.count == 1 && r.packet == v.selected->packet;
    };
    // A failed packetdrill script: the packets its failing line is about are red, with the reason beside.
    const ScriptDocument* script_failed =
        k == 0 && doc.script && doc.script->outcome == packetdrill::Outcome::Fail ? doc.script.get()
                                                                                  : nullptr;
    // A twin pair: the segments of rows where the simulated and the real run differ, red on both lanes.
    const TwinDocument* twin = doc.twin.get();
    auto is_broken = [&](const ArrowRecord& r) {
      if (r.count == 1)
        return (script_failed && script_failed->is_failed_packet(r.packet)) ||
               (twin && twin->is_different(k, r.packet));
      // A folded mark is red when a packet the failure is about is folded into it (issue #17).
      if (script_failed)
        for (const std::uint32_t f : script_failed->failed_packets)
          if (fold_holds(lt.trace, lt.flow_columns, layout, r, f)) return true;
      return false;
    };
    std::uint8_t host_column = 0;
    for (std::uint8_t i = 0; i < layout.columns && i < lt.columns.size(); ++i)
      if (lt.columns[i].name == "host") host_column = i;
    bool broke_drawn = false;
    // "line 32: flags: expected P. vs actual ." in a red box across the ladder, from the host's side.
    auto broke_note = [&](float y, float y_above) {
      const std::string& reason = lang == Lang::Zh ? script_failed->reason.zh : script_failed->reason.en;
      char note[320];
      std::snprintf(note, sizeof note, tr(lang, T::ScriptBrokeHere), script_failed->failed_line,
                    reason.c_str());
      const float max_w = ladder_w - 16.0f;
      const float w = std::min(max_w, ui_font->CalcTextSizeA(small_size, FLT_MAX, 0.0f, note).x) + 8.0f;
      const float x0 = std::clamp(layout.column_x[host_column] - 4.0f, lx + 4.0f, lx + ladder_w - 4.0f - w);
      // Below the label when it fits there, else above it: never pushed over the arrow at the bottom edge.
      if (y + small_size + 6.0f > bottom) y = std::max(top, y_above - small_size - 6.0f);
      dl->AddRectFilled({x0, y}, {x0 + w, y + small_size + 4.0f}, rgb(kLostHex), 3.0f);
      clipped_text(dl, ui_font, small_size, {x0 + 4.0f, y + 2.0f}, rgb(0xFFFFFF), note, max_w, false);
    };
    // Lines first, then heads, crosses and moving dots, then labels: nothing hides a loss or a label.
    for (const ArrowRecord& r : arrows) {
      const bool future = is_future(r);
      const bool sel = is_selected(r);
      const bool broke = is_broken(r);
      const unsigned hex = is_hidden(r) ? kHiddenArrowHex : broke ? kLostHex : arrow_hex(r.kind);
      const ImVec2 a{r.x0, r.y0}, b{r.x1, r.y1};
      if (broke) dl->AddLine(a, b, rgb(kLostHex, 70), 8.0f);
      if (sel || hit_record == &r) dl->AddLine(a, b, rgb(sel ? 0xFFD54F : 0xFFE9A8, 230), sel ? 9.0f : 7.0f);
      if (r.count > 1) {
        // A folded mark: a broad translucent band standing for its packets.
        dl->AddLine(a, b, rgb(hex, future ? 35 : 110), 5.0f);
        continue;
      }
      const bool in_flight = !future && r.t0_ns <= cursor && cursor < r.t1_ns;
      const float thick = sel || broke ? 2.6f : 1.8f;
      if (in_flight) {
        // Solid up to the cursor, faint beyond: the diagram draws itself as the cursor moves.
        const float f = static_cast<float>(static_cast<double>(cursor - r.t0_ns) /
                                           static_cast<double>(r.t1_ns - r.t0_ns));
        const ImVec2 now_pos{a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f};
        dl->AddLine(a, now_pos, rgb(hex), thick);
        dl->AddLine(now_pos, b, with_alpha(hex, true), thick);
      } else if (r.kind == ArrowKind::LinkCopy || r.end == ArrowEnd::InFlight) {
        dashed(dl, a, b, with_alpha(hex, future), thick);
      } else {
        dl->AddLine(a, b, with_alpha(hex, future), thick);
      }
    }
    std::size_t shown_packets = 0;  // singles and the packets folds stand for
    float first_y = FLT_MAX, last_y = -FLT_MAX;
    for (const ArrowRecord& r : arrows) {
      const bool future = is_future(r);
      const unsigned hex = is_hidden(r) ? kHiddenArrowHex : is_broken(r) ? kLostHex : arrow_hex(r.kind);
      const ImVec2 a{r.x0, r.y0}, b{r.x1, r.y1};
      shown_packets += r.count;
      first_y = std::min(first_y, std::max(r.y0, top));
      last_y = std::max(last_y, std::min(r.y0, bottom));
      if (r.count > 1) {
        arrow_head(dl, a, b, rgb(hex, future ? 60 : 200), kArrowHead);
        if (r.lost && !future) cross(dl, {(a.x + b.x) * 0.5f, (a.y + b.y) * 0.5f}, 5.0f, rgb(kLostHex));
        continue;
      }

      const bool in_flight = !future && r.t0_ns <= cursor && cursor < r.t1_ns;
      const bool done = !future && !in_flight;
      switch (r.end) {
        case ArrowEnd::LostOnLink:
        case ArrowEnd::LostInQueue:
          cross(dl, b, 6.5f, done ? rgb(kLostHex) : rgb(kLostHex, 60));
          break;
        case ArrowEnd::DroppedByHost:
          arrow_head(dl, a, b, with_alpha(hex, !done), kArrowHead);
          cross(dl, {b.x + (a.x < b.x ? 10.0f : -10.0f), b.y}, 5.0f,
                done ? rgb(kLostHex) : rgb(kLostHex, 60));
          break;
        case ArrowEnd::InFlight:
          break;
        default:
          arrow_head(dl, a, b, with_alpha(hex, !done), kArrowHead);
          break;
      }
      if (in_flight) {
        const float f = static_cast<float>(static_cast<double>(cursor - r.t0_ns) /
                                           static_cast<double>(r.t1_ns - r.t0_ns));
        const ImVec2 now_pos{a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f};
        dl->AddCircleFilled(now_pos, 6.0f, rgb(0xFFFFFF));
        dl->AddCircleFilled(now_pos, 4.5f, rgb(hex));
      }
    }
    dl->ChannelsSetCurrent(1);
    // Labels. In a crowded view only the packets that tell the story keep theirs: SYN/FIN/RST,
    // retransmissions, losses; hovering shows any other.
    // Crowded: arrows closer on average than half a label's height; their labels would stack into a wall of
    // text, so only SYN/FIN/RST and retransmissions keep theirs (hover shows any other).
    const bool crowded =
        shown_packets > 1 && (last_y - first_y) / static_cast<float>(shown_packets) < small_size * 0.5f;
    char label[192];
    for (const ArrowRecord& r : arrows) {
      if (r.count > 1) continue;
      const bool sel = is_selected(r);
      const bool lost = r.end == ArrowEnd::LostOnLink || r.end == ArrowEnd::LostInQueue;
      const bool hid = is_hidden(r);
      const bool broke = is_broken(r);
      if (crowded && !sel && !hid && !broke && r.kind != ArrowKind::Control &&
          r.kind != ArrowKind::Retransmission)
        continue;
      // A short message's text goes under its arrow's label (the lesson's GBK greeting, a request line), in
      // the UI font, which has the Chinese glyphs the small label font lacks. Long payloads (bulk data) keep
      // len=.
      const char* text_line = nullptr;
      char with_text[192];
      if (hid) {
        format_hidden_label(label, sizeof label, lt.trace, r.packet, *prediction.hidden_kind());
      } else {
        const RelativeSeq* rel = v.filters.relative_seq && lt.rel ? &*lt.rel : nullptr;
        format_packet_label(label, sizeof label, lt.trace, r.packet, rel, LabelText::Plain, lang);
        const std::uint32_t len = lt.trace.payload_len(r.packet);
        if (!doc.capture && len > 0 && len <= kMaxLabelledPayload && !crowded) {
          const std::size_t n = format_packet_label(with_text, sizeof with_text, lt.trace, r.packet, rel,
                                                    LabelText::WithPayload, lang);
          if (const char* q = static_cast<const char*>(std::memchr(with_text, '"', n))) text_line = q;
        }
      }
      // A lost packet's arrow stops half-way; its label may use the whole lane.
      const float x_far = r.end == ArrowEnd::LostOnLink ? r.x0 + 2.0f * (r.x1 - r.x0) : r.x1;
      const float lo = std::min(r.x0, x_far) + 6.0f, hi = std::max(r.x0, x_far) - 6.0f;
      ImVec2 ts = small->CalcTextSizeA(small_size, FLT_MAX, 0.0f, label);
      if (text_line) {
        const ImVec2 t2 = ui_font->CalcTextSizeA(small_size, FLT_MAX, 0.0f, text_line);
        if (t2.x <= hi - lo) {
          ts.x = std::max(ts.x, t2.x);
          ts.y += t2.y;
        } else {
          text_line = nullptr;  // wider than the lane: hover and the inspector show it
        }
      }
      const ImVec2 mid{(r.x0 + r.x1) * 0.5f, (r.y0 + r.y1) * 0.5f};
      const bool rightwards = r.x1 >= r.x0;
      const bool falling = r.y1 >= r.y0;
      // A routed run's hops join neighbouring lanes, narrower than "ARP who-has 10.0.0.2 tell 10.0.0.1": its
      // labels may reach past their arrow, inside the ladder, where no other label is.
      const bool wide_ok = routed && ts.x <= ladder_w - 16.0f;
      if (hi - lo < ts.x && !sel && !hid && !broke && !wide_ok)
        continue;  // wider than its lane: hover shows it
      // Two places beside the line where a descending arrow never crosses its own label: above it on the side
      // it heads to, or below it on the side it comes from.
      const bool above_ahead = rightwards == falling;
      LabelBox candidates[2];
      for (int side = 0; side < 2; ++side) {
        const bool upper = side == 0;
        const bool to_right = upper ? above_ahead : !above_ahead;
        float x0 = to_right ? mid.x + 2.0f : mid.x - 2.0f - ts.x;
        if (hi - lo > ts.x)
          x0 = std::clamp(x0, lo, hi - ts.x);
        else if (wide_ok)
          x0 = std::clamp(x0, lx + 6.0f, lx + ladder_w - 6.0f - ts.x);
        const float y0 = upper ? mid.y - ts.y - 3.0f : mid.y + 3.0f;
        candidates[side] = LabelBox{x0 - 2, y0 - 1, x0 + ts.x + 2, y0 + ts.y + 1};
      }
      const LabelBox* chosen = nullptr;
      for (const LabelBox& box : candidates) {
        if (box.y0 < top - 2.0f || box.y1 > bottom + 2.0f) continue;
        if (label_fits(box)) {
          chosen = &box;
          break;
        }
      }
      if (!chosen && (sel || hid || broke)) chosen = &candidates[0];
      if (!chosen) continue;
      const bool future = is_future(r);
      dl->AddRectFilled({chosen->x0, chosen->y0}, {chosen->x1, chosen->y1}, rgb(0xFFFFFF, 215), 2.0f);
      const ImU32 col = rgb(hid             ? kHiddenLabelHex
                            : lost || broke ? kLostHex
                                            : arrow_hex(r.kind),
                            hid || broke || !future ? 255 : 90);
      dl->AddText(small, small_size, {chosen->x0 + 2, chosen->y0 + 1}, col, label);
      if (text_line)
        dl->AddText(ui_font, small_size, {chosen->x0 + 2, chosen->y0 + 1 + small_size}, col, text_line);
      if (broke && script_failed && !broke_drawn) {
        broke_note(chosen->y1 + 2.0f, chosen->y0 - 2.0f);
        broke_drawn = true;
      }
    }
    // The failing packet folded into a mark: the reason goes beside the mark (folds carry no label).
    if (script_failed && !broke_drawn)
      for (const ArrowRecord& r : arrows)
        if (r.count > 1 && is_broken(r)) {
          const float y = std::max(r.y0, r.y1) + 4.0f;
          broke_note(y, std::min(r.y0, r.y1) - 4.0f);
          broke_drawn = true;
          break;
        }
    // A failure about no packet (a packet that never came, a call's result, a tcp_info assertion): the mark
    // goes on the host's lane at the time the line ran.
    if (script_failed && script_failed->failed_packets.empty() && !broke_drawn)
      if (const auto t = script_failed->time_of_line(script_failed->failed_line);
          t && *t >= map.t0_ns && *t <= map.end_ns()) {
        const float y = lmap.sequence() ? lmap.row_y(lmap.row_of(*t)) : lmap.y(*t);
        const float hx = layout.column_x[host_column];
        dl->AddCircleFilled({hx, y}, 6.0f, rgb(0xFFFFFF));
        cross(dl, {hx, y}, 4.5f, rgb(kLostHex));
        broke_note(y + 8.0f, y - 8.0f);
      }
    dl->ChannelsMerge();
    dl->PopClipRect();
  }

  // The time cursor.
  if (cursor >= map.t0_ns && cursor <= map.end_ns()) {
    const float y = map.sequence() ? map.row_y(cursor_row(map)) : map.y(cursor);
    dl->AddLine({p0.x + kGutterW, y}, {p1.x, y}, rgb(kCursorHex, 200), 1.5f);
    char buf[32];
    // A sequence's ns_per_px is an average over rows far apart: print the cursor as precisely as its rows.
    format_time(buf, sizeof buf, cursor,
                map.sequence() ? 1000 : std::max<std::int64_t>(1, static_cast<std::int64_t>(map.ns_per_px)));
    // "251.369 ms" is wider than the gutter in the UI font: the small font then, never a cut-off number.
    ImFont* font = ImGui::CalcTextSize(buf).x <= kGutterW - 10.0f ? ui_font : small;
    const float fs = font == ui_font ? ui_size : small_size;
    ImVec2 ts = font->CalcTextSizeA(fs, FLT_MAX, 0.0f, buf);
    if (ts.x > kGutterW - 10.0f) {  // still too wide ("3000.000 ms"): to the millisecond
      format_time(buf, sizeof buf, cursor, 1'000'000);
      ts = font->CalcTextSizeA(fs, FLT_MAX, 0.0f, buf);
    }
    dl->AddRectFilled({p0.x + 2, y - ts.y * 0.5f - 2}, {p0.x + kGutterW - 2, y + ts.y * 0.5f + 2},
                      rgb(kCursorHex), 3.0f);
    dl->AddText(font, fs, {p0.x + kGutterW - 6 - ts.x, y - ts.y * 0.5f}, rgb(0xFFFFFF), buf);
  }
  // Packets past the bottom of the view (a comparison fits its traffic, so a late outlier lies there): a "+N
  // later" mark says so, and a click brings them into view. Packets before the top get "+N earlier".
  bool mark_clicked = false;
  for (std::size_t k = 0; k < ladders; ++k) {
    const auto times = doc.traces[k]->trace.packet_times_ns();
    if (times.empty()) continue;
    const auto after =
        static_cast<std::size_t>(times.end() - std::upper_bound(times.begin(), times.end(), map.end_ns()));
    const auto before = static_cast<std::size_t>(
        std::lower_bound(times.begin(), times.end(), map.t0_ns - doc.traces[k]->max_flight_ns) -
        times.begin());
    const float cx = p0.x + kGutterW + (static_cast<float>(k) + 0.5f) * ladder_w;
    for (int side = 0; side < 2; ++side) {
      const std::size_t n = side == 0 ? before : after;
      if (n == 0) continue;
      char text[64];
      std::snprintf(text, sizeof text, tr(lang, side == 0 ? T::MoreEarlier : T::MoreLater), n);
      const ImVec2 ts = small->CalcTextSizeA(small_size, FLT_MAX, 0.0f, text);
      const float y = side == 0 ? top + 2.0f : bottom - ts.y - 6.0f;
      const ImVec2 a{cx - ts.x * 0.5f - 6.0f, y}, b{cx + ts.x * 0.5f + 6.0f, y + ts.y + 4.0f};
      const bool over = hovered && mouse.x >= a.x && mouse.x <= b.x && mouse.y >= a.y && mouse.y <= b.y;
      dl->AddRectFilled(a, b, rgb(over ? 0xDCE6F5 : 0xEEF2F8), 8.0f);
      dl->AddText(small, small_size, {a.x + 6.0f, y + 2.0f}, rgb(0x1F5FBF), text);
      if (over && ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
        const std::int64_t span = map.end_ns() - map.t0_ns;
        nav.set_view = side == 0
                           ? std::pair{times.front() - span / 20, map.end_ns()}
                           : std::pair{map.t0_ns, times.back() + doc.traces[k]->max_flight_ns + span / 20};
        mark_clicked = true;
      }
    }
  }
  dl->PopClipRect();

  // Interaction: wheel zooms about the mouse, drag pans, the gutter moves the cursor, click selects.
  if (hovered && io.MouseWheel != 0.0f && map.sequence()) {
    // Rows have a fixed height: the wheel scrolls by three rows instead of zooming.
    const auto [t, skip] = map.top_of_row(map.row0 - static_cast<double>(io.MouseWheel) * 3.0);
    nav.set_view = {t, std::max(t + 1, map.time_at(bottom - io.MouseWheel * 3.0f * map.row_px))};
    nav.set_view_row_skip = skip;
  } else if (hovered && io.MouseWheel != 0.0f) {
    std::int64_t b = v.view_begin_ns, e = v.view_end_ns;
    zoom_range(b, e, map.time_at(mouse.y), std::pow(0.8, static_cast<double>(io.MouseWheel)));
    nav.set_view = {b, e};
  }
  const bool in_gutter = mouse.x < p0.x + kGutterW;
  if (active && ImGui::IsMouseClicked(0)) {
    dragging_cursor_ = in_gutter;
    panning_ = false;
    pan_begin_ = v.view_begin_ns;
    pan_end_ = v.view_end_ns;
    pan_row0_ = map.row0;
  }
  if (active && dragging_cursor_) nav.set_cursor_ns = map.time_at(mouse.y);
  if (active && !dragging_cursor_ && ImGui::IsMouseDragging(0, 4.0f)) {
    panning_ = true;
    const float dy = -ImGui::GetMouseDragDelta(0, 0.0f).y;
    if (map.sequence()) {
      // Pan by rows: the row under the press moves with the mouse (the top may be inside an instant's rows).
      const double row0 = pan_row0_ + static_cast<double>(dy / map.row_px);
      const auto [t, skip] = map.top_of_row(row0);
      nav.set_view = {t,
                      std::max(t + 1, map.time_of_row(row0 + static_cast<double>(map.height / map.row_px)))};
      nav.set_view_row_skip = skip;
    } else {
      const auto shift = static_cast<std::int64_t>(dy * map.ns_per_px);
      nav.set_view = {pan_begin_ + shift, pan_end_ + shift};
    }
  }
  if (ImGui::IsItemDeactivated()) {
    if (!panning_ && !dragging_cursor_ && !mark_clicked) {
      if (hit)
        selection.select = hit;
      else
        selection.clear = true;
    }
    panning_ = dragging_cursor_ = false;
  }
  if (hit) selection.hover = hit;
  // Scenario editing: right-click a packet of a simulated run to drop, delay or duplicate it.
  if (hovered && hit_record && hit_record->count == 1 && editing.editable &&
      ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
    selection.select = hit;
    ImGui::OpenPopup(kPacketMenuId);
  }
  draw_packet_edit_menu(doc, v, editing, edit);

  // Tooltips.
  if (hovered && hit_record && !active) {
    const LoadedTrace& lt = *doc.traces[hit->trace];
    ImGui::BeginTooltip();
    char buf[256], t0[32], t1[32], fl[32];
    if (hit_record->count > 1) {
      format_time(t0, sizeof t0, hit_record->t0_ns, 1000);
      ImGui::Text("%u %s @ %s", hit_record->count, tr(lang, T::Folded), t0);
      if (hit_record->lost)
        ImGui::TextColored(ImColor(rgb(kLostHex)), "%u %s", hit_record->lost, tr(lang, T::Lost));
      ImGui::TextDisabled("+ / wheel: zoom in");
    } else {
      const PacketRecord p = lt.trace.packet(hit->packet);
      const bool hid = prediction.hidden() == hit;
      if (hid)
        format_hidden_label(buf, sizeof buf, lt.trace, hit->packet, *prediction.hidden_kind());
      else
        format_packet_label(buf, sizeof buf, lt.trace, hit->packet, lt.rel ? &*lt.rel : nullptr,
                            LabelText::WithPayload, lang);  // the tooltip's font has the Chinese glyphs
      const LadderEnds ends = ladder_ends(lt.trace, hit->packet, p, lt.flow_columns);
      const std::uint8_t src = ends.from, dst = ends.to;
      const char* sname = src < lt.columns.size() ? column_display_name(lang, lt.columns[src].name) : "?";
      const char* dname = dst < lt.columns.size() ? column_display_name(lang, lt.columns[dst].name) : "?";
      ImGui::Text("#%u  %s \xE2\x86\x92 %s   %s", lt.display_number(hit->packet), sname, dname, buf);
      format_time(t0, sizeof t0, p.time.ns, 1000);
      format_time(t1, sizeof t1, p.arrive.ns, 1000);
      format_time(fl, sizeof fl, p.arrive.ns - p.time.ns, 1000);
      switch (p.fate) {
        case Fate::Delivered:
          ImGui::Text("%s %s, %s %s (%s %s)", tr(lang, T::Sent), t0, tr(lang, T::Arrived), t1,
                      tr(lang, T::Flight), fl);
          break;
        case Fate::DroppedByLink:
        case Fate::DroppedByQueue: {
          ImGui::Text("%s %s", tr(lang, T::Sent), t0);
          const auto& rules = lt.trace.drop_rules();
          ImGui::TextColored(ImColor(rgb(kLostHex)), "%s%s%s",
                             tr(lang, p.fate == Fate::DroppedByLink ? T::LostOnLink : T::LostInQueue),
                             p.rule && p.rule <= rules.size() ? ": " : "",
                             p.rule && p.rule <= rules.size() ? rules[p.rule - 1].c_str() : "");
          break;
        }
        case Fate::DroppedByHost:
          ImGui::TextColored(ImColor(rgb(kLostHex)), "%s %s: %s", tr(lang, T::Sent), t0,
                             tr(lang, T::DroppedByHost));
          break;
        case Fate::InFlight:
          ImGui::Text("%s %s: %s", tr(lang, T::Sent), t0, tr(lang, T::StillInFlight));
          break;
        case Fate::Captured:
          ImGui::Text("%s", t0);
          break;
      }
      if (hid) {
        ImGui::TextColored(ImColor(rgb(kHiddenLabelHex)), "%s", tr(lang, T::PredictHidden));
      } else {
        const std::string_view cause = to_string(p.cause);
        if (p.fate != Fate::Captured)
          ImGui::TextDisabled("%s: %.*s", tr(lang, T::Cause), static_cast<int>(cause.size()), cause.data());
        // Teaching
        // The analyzer's flags in words (built while the tooltip shows; nothing is kept per packet).
        const std::string why = lt.analysis.explain_packet(lt.trace, hit->packet, lang, lt.source_packets);
        if (!why.empty()) {
          const bool agree = lt.analysis.agrees(lt.trace, hit->packet);
          if (!agree)
            ImGui::TextColored(ImColor(rgb(kDisagreeHex)), "%s: %s", tr(lang, T::TruthSection),
                               tr(lang, T::TruthDisagree));
          ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
          ImGui::TextColored(ImColor(rgb(agree ? kTextHex : kDisagreeHex)), "%s", why.c_str());
          ImGui::PopTextWrapPos();
        }
      }
    }
    ImGui::EndTooltip();
  } else if (hovered && hit_event && !active) {
    const LoadedTrace& lt = *doc.traces[hit_event->first];
    const std::uint32_t slot = hit_event->second;
    char t0[32];
    format_time(t0, sizeof t0, lt.event_times[slot], 1000);
    ImGui::BeginTooltip();
    const std::uint8_t col = lt.event_columns[slot];
    ImGui::Text("%s  %s", t0, col < lt.columns.size() ? column_display_name(lang, lt.columns[col].name) : "");
    // Every event of the mark's row on its column (a fold shows only some of them beside the lane).
    if (!lt.event_texts.empty()) {
      const TimeMapping emap = ladder_map(hit_event->first);
      const float row_end = emap.event_y(lt.event_ids[slot], lt.event_times[slot]) + small->FontSize + 2.0f;
      int listed = 0;
      for (std::uint32_t s = slot; s < lt.event_times.size() && listed < 40; ++s) {
        if (emap.event_y(lt.event_ids[s], lt.event_times[s]) > row_end) break;
        if (lt.event_columns[s] != col) continue;
        ImGui::TextUnformatted(lt.event_texts_in(lang)[s].c_str());
        ++listed;
      }
    }
    ImGui::EndTooltip();
  } else if (hovered && hit_lane_header && !active) {
    host_interfaces_tooltip(*doc.traces[hit_lane_header->first], hit_lane_header->second, lang);
  }

  // Live
  // A live capture the user scrolled away from: one click returns to the newest packet and follows it.
  if (offer_follow) {
    if (ImGui::SmallButton(tr(lang, T::LiveFollow))) live.follow = true;
    ImGui::SameLine();
  }
  draw_legend(doc, lang);
}

float TimelinePanel::draw_legend(const Document& doc, Lang lang, bool draw) {
  std::array<bool, static_cast<std::size_t>(ArrowKind::Count)> present{};
  bool lost = false;
  for (const auto& lt : doc.traces) {
    for (std::size_t k = 0; k < present.size(); ++k) present[k] = present[k] || lt->kinds_present[k];
    lost = lost || lt->any_lost;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float right = origin.x + ImGui::GetContentRegionAvail().x;
  const float line_h = ImGui::GetTextLineHeight() + 4.0f;
  float x = origin.x + 4.0f, y = origin.y + 4.0f;
  auto item = [&](const char* text, auto&& swatch) {
    const float w = 30.0f + ImGui::CalcTextSize(text).x + 18.0f;
    if (x + w > right && x > origin.x + 4.0f) {
      x = origin.x + 4.0f;
      y += line_h;
    }
    if (draw) {
      swatch(ImVec2{x, y + line_h * 0.5f - 2.0f});
      dl->AddText({x + 30.0f, y}, rgb(kTextHex), text);
    }
    x += w;
  };
  for (std::size_t k = 0; k < present.size(); ++k) {
    if (!present[k]) continue;
    const auto kind = static_cast<ArrowKind>(k);
    item(tr(lang, arrow_text(kind)), [&](ImVec2 p) {
      dl->AddLine(p, {p.x + 18, p.y}, rgb(arrow_hex(kind)), 2.5f);
      arrow_head(dl, p, {p.x + 24, p.y}, rgb(arrow_hex(kind)), 8.0f);
    });
  }
  if (lost) item(tr(lang, T::Lost), [&](ImVec2 p) { cross(dl, {p.x + 10, p.y}, 5.0f, rgb(kLostHex)); });
  const float h = y + line_h + 4.0f - origin.y;
  if (draw) ImGui::Dummy({right - origin.x, h});
  return h;
}

}  // namespace wirestep::gui
