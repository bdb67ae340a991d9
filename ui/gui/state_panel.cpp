#include "ui/gui/state_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cmath>
#include <cstdio>

#include "ui/gui/graph_panel.hpp"
#include "ui/gui/packet_text.hpp"
#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/model/event_text_zh.hpp"

namespace wirestep::gui {
namespace {

constexpr std::size_t kMaxEndpoints = 4;        // the diagram colours this many sockets
constexpr unsigned kSelectedRowHex = 0xFFE9A8;  // the selected packet's sockets, as its arrow's halo
constexpr float kMinSocketRows = 7.5f;          // the list keeps at least this many rows in view

ImVec2 box_center(const StateBox& b, ImVec2 origin, float cell_w, float cell_h) {
  return {origin.x + (b.col + 0.5f) * cell_w, origin.y + (b.row + 0.5f) * cell_h};
}

// Where the segment from the centre of a box towards `to` leaves the box.
ImVec2 edge_point(ImVec2 c, ImVec2 to, float hw, float hh) {
  const float dx = to.x - c.x, dy = to.y - c.y;
  if (dx == 0 && dy == 0) return c;
  const float sx = dx != 0 ? hw / std::abs(dx) : 1e9f, sy = dy != 0 ? hh / std::abs(dy) : 1e9f;
  const float s = std::min(sx, sy);
  return {c.x + dx * s, c.y + dy * s};
}

void arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thick) {
  dl->AddLine(a, b, col, thick);
  float dx = b.x - a.x, dy = b.y - a.y;
  const float len = std::sqrt(dx * dx + dy * dy);
  if (len < 1) return;
  dx /= len;
  dy /= len;
  const float s = 5.0f + thick * 1.5f;
  dl->AddTriangleFilled(b, {b.x - dx * s - dy * s * 0.5f, b.y - dy * s + dx * s * 0.5f},
                        {b.x - dx * s + dy * s * 0.5f, b.y - dy * s - dx * s * 0.5f}, col);
}

std::string endpoint_name(const LoadedTrace& lt, const ConnectionStates::Endpoint& ep) {
  if (!ep.label.empty()) return ep.label;
  const auto& hosts = lt.trace.hosts();
  std::string name = ep.host < hosts.size() ? hosts[ep.host].name : "host " + std::to_string(ep.host);
  return name + " fd " + std::to_string(ep.socket);
}

}  // namespace

std::size_t StatePanel::events_happened(const Document& doc, std::uint32_t trace, const Cursor& cursor) {
  // A capture's inferred states change with packets: those sent by the cursor have happened.
  if (const LoadedTrace& lt = *doc.traces[trace]; lt.states.by_packet()) {
    const auto times = lt.trace.packet_times_ns();
    return static_cast<std::size_t>(std::upper_bound(times.begin(), times.end(), cursor.time_ns) -
                                    times.begin());
  }
  if (cursor.time_ns != happened_at_.time_ns || cursor.step != happened_at_.step ||
      doc.generation != happened_generation_ || trace != happened_trace_) {
    happened_ = doc.steps.events_happened(trace, cursor);
    happened_at_ = cursor;
    happened_generation_ = doc.generation;
    happened_trace_ = trace;
  }
  return happened_;
}

void StatePanel::draw_contents(const Document& doc, const ViewState& view, ImFont* small) {
  // The first trace with TCP endpoints (a comparison's TCP run).
  for (std::uint32_t t = 0; t < doc.traces.size(); ++t) {
    const LoadedTrace& lt = *doc.traces[t];
    if (lt.states.endpoints().empty()) continue;
    const std::size_t happened = events_happened(doc, t, view.cursor);
    const float avail = ImGui::GetContentRegionAvail().y;
    const float vars_h = (static_cast<float>(kTraceVarCount) + 2.5f) * ImGui::GetTextLineHeightWithSpacing();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    if (lt.states.by_packet()) {
      // A capture: inferred from the segments, and no variables (an observer does not see cwnd or RTO).
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      ImGui::TextWrapped("%s", tr(view.lang, T::InferredStates));
      ImGui::PopStyleColor();
      const float used =
          draw_sockets(view, t, lt, happened, std::max(avail * 0.45f, line * kMinSocketRows), small);
      draw_diagram(lt, view.lang, happened, avail - line - used);
      return;
    }
    // The diagram keeps at least 200 px; the list takes what the diagram and the variables leave, scrolling.
    const float list_max = std::max(avail - vars_h - 200.0f, line * kMinSocketRows);
    const float used = draw_sockets(view, t, lt, happened, list_max, small);
    draw_diagram(lt, view.lang, happened, std::max(avail - vars_h - used, 200.0f));
    draw_variables(doc, view, lt, happened);
    return;
  }
  ImGui::TextWrapped("%s", tr(view.lang, T::NoTcp));
}

float StatePanel::draw_sockets(const ViewState& view, std::uint32_t trace, const LoadedTrace& lt,
                               std::size_t happened, float max_height, ImFont* small) {
  const ConnectionStates& cs = lt.states;
  const Lang lang = view.lang;
  const float y0 = ImGui::GetCursorPosY();
  std::size_t rows = 0;
  for (const auto& h : cs.hosts()) {
    std::size_t here = 0;
    for (std::size_t e : h.endpoints) here += cs.exists_at(e, happened);
    if (here) rows += here + 1;  // a line for the host, one per socket
  }
  ImGui::TextDisabled("%s", tr(lang, T::SocketsOfHosts));
  if (rows == 0) {
    ImGui::TextDisabled("%s", tr(lang, T::SocketNone));
    return ImGui::GetCursorPosY() - y0;
  }
  // The selected packet's connection: its two sockets are highlighted (the sender's and the receiver's).
  std::optional<std::uint32_t> selected_flow;
  if (view.selected && view.selected->trace == trace && view.selected->packet < lt.trace.packet_count())
    selected_flow = lt.trace.flow_of(view.selected->packet);

  // The small font and columns as wide as their text (scrolling sideways when the panel is narrow): an
  // address is never cut.
  const float row_h = (small ? small->FontSize : ImGui::GetTextLineHeight()) + 2.0f;
  // + the header row, and room for the sideways scrollbar a narrow panel shows.
  const float want = (static_cast<float>(rows) + 1.0f) * row_h + 6.0f + ImGui::GetStyle().ScrollbarSize;
  const float height =
      std::min(want, std::max(max_height - ImGui::GetTextLineHeightWithSpacing(), row_h * 3));
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit |
                                ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_ScrollX;
  ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, {3.0f, 1.0f});
  if (small) ImGui::PushFont(small);
  const bool table = ImGui::BeginTable("##sockets", 5, flags, {0.0f, height});
  ImGui::PopStyleVar();
  if (!table) {
    if (small) ImGui::PopFont();
    return ImGui::GetCursorPosY() - y0;
  }
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(tr(lang, T::SocketColumn));
  ImGui::TableSetupColumn(tr(lang, T::SocketLocal));
  ImGui::TableSetupColumn(tr(lang, T::SocketPeer));
  ImGui::TableSetupColumn(tr(lang, T::SocketState));
  ImGui::TableSetupColumn(tr(lang, T::SocketSince));
  ImGui::TableHeadersRow();
  const auto& eps = cs.endpoints();
  const char* dash = "\xE2\x80\x94";  // an em dash: no peer
  char since[48], accepted[48];
  for (const auto& h : cs.hosts()) {
    bool any = false;
    for (std::size_t e : h.endpoints) any = any || cs.exists_at(e, happened);
    if (!any) continue;
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextColored(ImColor(rgb(kTextHex)).Value, "%s", h.name.c_str());
    if (h.address != h.name) {  // under "Local": the address its sockets' ports belong to
      ImGui::TableSetColumnIndex(1);
      ImGui::TextDisabled("%s", h.address.c_str());
    }
    for (std::size_t e : h.endpoints) {
      if (!cs.exists_at(e, happened)) continue;
      const auto& ep = eps[e];
      ImGui::PushID(static_cast<int>(e));
      ImGui::TableNextRow();
      if (selected_flow && ep.flow == selected_flow)
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, rgb(kSelectedRowHex));
      ImGui::TableSetColumnIndex(0);
      // An empty selectable across the row gives it a hover (for the tooltip); the cells draw over it.
      const ImVec2 p = ImGui::GetCursorScreenPos();
      ImGui::Selectable("##row", false,
                        ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap);
      const bool row_hovered = ImGui::IsItemHovered();
      ImGui::SetCursorScreenPos(p);
      // The first few sockets are coloured in the diagram below: their chip says which colour is which.
      const float chip = std::max(ImGui::GetTextLineHeight() - 4.0f, 6.0f);
      if (e < kMaxEndpoints)
        ImGui::GetWindowDrawList()->AddRectFilled({p.x, p.y + 2}, {p.x + chip, p.y + 2 + chip},
                                                  rgb(endpoint_hex(e)), 2.0f);
      ImGui::Dummy({chip, chip});
      ImGui::SameLine(0.0f, 4.0f);
      if (cs.by_packet())
        ImGui::TextDisabled("%s", dash);  // a capture does not see the programs' descriptors
      else
        ImGui::Text("fd %u", ep.socket);
      ImGui::TableSetColumnIndex(1);
      // The host's own address is on the host's line: here only ":port" (a listener's 0.0.0.0 stays).
      const std::string_view local(ep.local);
      const bool own = !h.address.empty() && local.size() > h.address.size() &&
                       local.starts_with(h.address) && local[h.address.size()] == ':';
      ImGui::TextUnformatted(local.empty() ? "?"
                             : own         ? ep.local.c_str() + h.address.size()
                                           : ep.local.c_str());
      ImGui::TableSetColumnIndex(2);
      if (ep.peer.empty())
        ImGui::TextDisabled("%s", dash);
      else
        ImGui::TextUnformatted(ep.peer.c_str());
      ImGui::TableSetColumnIndex(3);
      // A socket before its first state change is a fresh one: CLOSED (RFC 9293 §3.3.2).
      const auto st = cs.state_at(e, happened);
      const auto name = to_string(st ? st->state : TcpState::Closed);
      ImGui::TextColored(ImColor(rgb(e < kMaxEndpoints ? endpoint_hex(e) : kTextHex)).Value, "%.*s",
                         static_cast<int>(name.size()), name.data());
      ImGui::TableSetColumnIndex(4);
      const bool was_accepted = ep.accepted_event && *ep.accepted_event < happened;
      format_time(since, sizeof since, was_accepted ? ep.accepted_ns : ep.created_ns, 1000);
      if (was_accepted)
        ImGui::TextColored(ImColor(rgb(kNewSocketHex)).Value, "%s", since);
      else
        ImGui::TextUnformatted(since);
      // The row's tooltip says what the times are and what a listener is for.
      if (row_hovered) {
        format_time(since, sizeof since, ep.created_ns, 1000);
        ImGui::BeginTooltip();
        ImGui::Text("%s %s", tr(lang, T::SocketCreated), since);
        if (was_accepted) {
          format_time(accepted, sizeof accepted, ep.accepted_ns, 1000);
          ImGui::TextColored(ImColor(rgb(kNewSocketHex)).Value, "%s %s", tr(lang, T::SocketAccepted),
                             accepted);
        }
        if (ep.listener) ImGui::TextUnformatted(tr(lang, T::SocketListening));
        if (st && st->from) {
          // The transition it took last, and why (the simulator's words, or the frame that showed it).
          const auto from = to_string(*st->from);
          const auto ch = std::find_if(ep.changes.begin(), ep.changes.end(),
                                       [&](const auto& c) { return c.event == st->event; });
          ImGui::Text("%s: %.*s -> %.*s", tr(lang, T::TransitionTaken), static_cast<int>(from.size()),
                      from.data(), static_cast<int>(name.size()), name.data());
          if (ch != ep.changes.end())
            ImGui::TextUnformatted(event_text(lang, EventKind::StateChange, ch->why).c_str());
        }
        if (selected_flow) ImGui::TextDisabled("%s", tr(lang, T::SocketSelectedHint));
        ImGui::EndTooltip();
      }
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
  if (small) ImGui::PopFont();
  return ImGui::GetCursorPosY() - y0;
}

void StatePanel::draw_diagram(const LoadedTrace& lt, Lang lang, std::size_t happened, float height) {
  const auto& eps = lt.states.endpoints();
  const std::size_t n = std::min(eps.size(), kMaxEndpoints);
  // The list above names each socket; the diagram colours the first few, as their chips in the list.
  std::array<std::optional<EndpointState>, kMaxEndpoints> st{};
  for (std::size_t e = 0; e < n; ++e) st[e] = lt.states.state_at(e, happened);
  (void)lang;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  const float cell_w = w / 3.0f;
  const float cell_h = std::clamp(height / 7.6f, 22.0f, 34.0f);
  const float hw = std::min(cell_w * 0.46f, 64.0f), hh = std::min(cell_h * 0.36f, 12.0f);
  ImGui::Dummy({w, cell_h * 7.6f});
  const auto& boxes = state_diagram_boxes();
  auto find = [&](TcpState s) -> const StateBox& {
    return *std::find_if(boxes.begin(), boxes.end(), [&](const StateBox& b) { return b.state == s; });
  };
  // CLOSED appears twice, as in the RFC's figure: at the top (before opening) and at the bottom (after
  // closing).
  const StateBox closed_end{TcpState::Closed, 2.0f, 6.6f};
  auto center_of = [&](TcpState from, TcpState to) {
    if (to == TcpState::Closed && (from == TcpState::TimeWait || from == TcpState::LastAck))
      return box_center(closed_end, origin, cell_w, cell_h);
    return box_center(find(to), origin, cell_w, cell_h);
  };
  for (const StateArrow& a : state_diagram_arrows()) {
    const ImVec2 c0 = box_center(find(a.from), origin, cell_w, cell_h), c1 = center_of(a.from, a.to);
    arrow(dl, edge_point(c0, c1, hw, hh), edge_point(c1, c0, hw, hh), rgb(0xB8BEC7), 1.0f);
  }
  // The transition each endpoint just took, bold in its colour.
  for (std::size_t e = 0; e < n; ++e) {
    if (!st[e] || !st[e]->from) continue;
    const ImVec2 c0 = box_center(find(*st[e]->from), origin, cell_w, cell_h),
                 c1 = center_of(*st[e]->from, st[e]->state);
    arrow(dl, edge_point(c0, c1, hw, hh), edge_point(c1, c0, hw, hh), rgb(endpoint_hex(e)), 2.5f);
  }
  auto draw_box = [&](const StateBox& b, bool ghost) {
    const ImVec2 c = box_center(b, origin, cell_w, cell_h);
    const ImVec2 lo{c.x - hw, c.y - hh}, hi{c.x + hw, c.y + hh};
    // Endpoints in this state, each filling a share of the box.
    std::size_t here[kMaxEndpoints];
    std::size_t count = 0;
    for (std::size_t e = 0; e < n; ++e) {
      if (!st[e] || st[e]->state != b.state) continue;
      const bool at_end =
          st[e]->from && (*st[e]->from == TcpState::TimeWait || *st[e]->from == TcpState::LastAck);
      if (b.state == TcpState::Closed && at_end != ghost) continue;
      here[count++] = e;
    }
    dl->AddRectFilled(lo, hi, rgb(0xF3F4F6), 4.0f);
    for (std::size_t k = 0; k < count; ++k) {
      const float x0 = lo.x + (hi.x - lo.x) * static_cast<float>(k) / static_cast<float>(count);
      const float x1 = lo.x + (hi.x - lo.x) * static_cast<float>(k + 1) / static_cast<float>(count);
      dl->AddRectFilled({x0, lo.y}, {x1, hi.y}, rgb(endpoint_hex(here[k])), k == 0 ? 4.0f : 0.0f,
                        count == 1       ? ImDrawFlags_RoundCornersAll
                        : k == 0         ? ImDrawFlags_RoundCornersLeft
                        : k + 1 == count ? ImDrawFlags_RoundCornersRight
                                         : ImDrawFlags_RoundCornersNone);
    }
    dl->AddRect(lo, hi, rgb(count ? 0x1E2329 : 0xB8BEC7), 4.0f, 0, count ? 1.5f : 1.0f);
    const auto name = to_string(b.state);
    const ImVec2 ts = ImGui::CalcTextSize(name.data(), name.data() + name.size());
    const float scale = std::min(1.0f, (hw * 2 - 6) / ts.x);
    ImFont* font = ImGui::GetFont();
    const float fs = ImGui::GetFontSize() * scale;
    dl->AddText(font, fs, {c.x - ts.x * scale * 0.5f, c.y - fs * 0.5f}, rgb(count ? 0xFFFFFF : 0x4B5563),
                name.data(), name.data() + name.size());
  };
  for (const StateBox& b : boxes) draw_box(b, false);
  draw_box(closed_end, true);
}

void StatePanel::draw_variables(const Document& doc, const ViewState& view, const LoadedTrace& lt,
                                std::size_t happened) {
  const auto& eps = lt.states.endpoints();
  // Columns only for the sockets that have variables: a listening socket has no connection, so none.
  std::array<std::size_t, kMaxEndpoints> cols{};
  std::size_t n = 0;
  for (std::size_t e = 0; e < std::min(eps.size(), kMaxEndpoints); ++e) {
    const bool any =
        std::any_of(eps[e].vars.begin(), eps[e].vars.end(), [](const auto& v) { return !v.empty(); });
    if (any) cols[n++] = e;
  }
  if (n == 0) return;
  ImGui::TextDisabled("%s", tr(view.lang, T::StateVariables));
  const ImGuiTableFlags flags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_BordersInnerH;
  ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, {4.0f, 0.0f});
  const bool table = ImGui::BeginTable("##vars", static_cast<int>(n + 1), flags);
  ImGui::PopStyleVar();
  if (!table) return;
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  for (std::size_t c = 0; c < n; ++c) {
    ImGui::PushID(static_cast<int>(c));
    ImGui::TableSetupColumn(endpoint_name(lt, eps[cols[c]]).c_str(), ImGuiTableColumnFlags_WidthStretch,
                            1.3f);
    ImGui::PopID();
  }
  ImGui::TableHeadersRow();
  if (history_generation_ != doc.generation || histories_.size() != n) {
    history_generation_ = doc.generation;
    histories_.assign(n, {});
    for (std::size_t c = 0; c < n; ++c)
      for (std::size_t v = 0; v < kTraceVarCount; ++v)
        histories_[c][v] = variable_history(lt.trace, eps[cols[c]], static_cast<TraceVar>(v));
  }
  static constexpr TraceVar kRows[] = {TraceVar::Cwnd,   TraceVar::Ssthresh, TraceVar::Srtt,
                                       TraceVar::Rttvar, TraceVar::Rto,      TraceVar::SndUna,
                                       TraceVar::SndNxt, TraceVar::SndWnd,   TraceVar::RcvNxt,
                                       TraceVar::RcvWnd, TraceVar::Pipe};
  char buf[48];
  for (TraceVar var : kRows) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    const auto name = to_string(var);
    ImGui::TextUnformatted(name.data(), name.data() + name.size());
    if (var == TraceVar::Pipe && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(view.lang, T::StatePipe));
    for (std::size_t c = 0; c < n; ++c) {
      const std::size_t e = cols[c];
      ImGui::TableSetColumnIndex(static_cast<int>(c + 1));
      const auto value = lt.states.var_at(e, var, happened);
      if (!value) {
        ImGui::TextDisabled("-");
        continue;
      }
      const auto& history = eps[e].vars[static_cast<std::size_t>(var)];
      switch (var) {
        case TraceVar::Srtt:
        case TraceVar::Rttvar:
        case TraceVar::Rto:
          format_time(buf, sizeof buf, *value, 1000);
          break;
        case TraceVar::Ssthresh:
          if (*value >= 0x3FFFFFFF)
            std::snprintf(buf, sizeof buf, "\xE2\x88\x9E");  // "infinite" (RFC 5681 §3.1)
          else
            std::snprintf(buf, sizeof buf, "%" PRId64 " B", *value);
          break;
        case TraceVar::SndUna:
        case TraceVar::SndNxt: {
          // Relative to the endpoint's ISN (its first snd.una), as Wireshark shows sequence numbers.
          const auto& una = eps[e].vars[static_cast<std::size_t>(TraceVar::SndUna)];
          const std::int64_t isn = una.empty() ? history.front().value : una.front().value;
          std::snprintf(buf, sizeof buf, "%" PRIu32, static_cast<std::uint32_t>(*value - isn));
          break;
        }
        case TraceVar::RcvNxt: {
          const std::int64_t irs = history.front().value - 1;
          std::snprintf(buf, sizeof buf, "%" PRIu32, static_cast<std::uint32_t>(*value - irs));
          break;
        }
        default:
          std::snprintf(buf, sizeof buf, "%" PRId64 " B", *value);
          break;
      }
      const float cell_right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
      ImGui::TextColored(ImColor(rgb(endpoint_hex(e))).Value, "%s", buf);
      // Where the value leaves room: the variable over the whole run, a dot at the cursor.
      const ImVec2 text_min = ImGui::GetItemRectMin(), text_max = ImGui::GetItemRectMax();
      const float spark_w = std::min(cell_right - text_max.x - 8.0f, 72.0f);
      if (spark_w >= 24.0f)
        draw_sparkline(ImGui::GetWindowDrawList(), {cell_right - spark_w, text_min.y + 3.0f},
                       {cell_right - 1.0f, text_max.y - 3.0f}, histories_[c][static_cast<std::size_t>(var)],
                       doc.begin_ns, doc.end_ns, view.cursor.time_ns, rgb(endpoint_hex(e), 170),
                       spark_columns_);
    }
  }
  ImGui::EndTable();
}

}  // namespace wirestep::gui
