#include "ui/gui/topology_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <ranges>

#include "sim/scenario/scenario.hpp"
#include "ui/cli/hosts_command.hpp"
#include "ui/gui/packet_text.hpp"
#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {
namespace {

constexpr unsigned kNetworkPartHex = 0x1F5FBF;  // the prefix, blue as in the lane header's tooltip
constexpr unsigned kSelectedHex = 0xE8770E;
constexpr unsigned kNodeFillHex = 0xF3F5F8;
constexpr unsigned kLinkHex = 0x9AA3AD;
constexpr unsigned kLossyLinkHex = 0xB8860B;

unsigned kind_hex(TopoPacketKind k) {
  switch (k) {
    case TopoPacketKind::Data:
      return arrow_hex(ArrowKind::Data);
    case TopoPacketKind::Ack:
      return arrow_hex(ArrowKind::Ack);
    case TopoPacketKind::Control:
      return arrow_hex(ArrowKind::Control);
    case TopoPacketKind::Udp:
      return arrow_hex(ArrowKind::Datagram);
    case TopoPacketKind::Arp:
      return 0x8C564B;  // brown
    case TopoPacketKind::Icmp:
      return 0xA68A00;  // dark gold
    case TopoPacketKind::Other:
    case TopoPacketKind::Count:
      break;
  }
  return 0x555555;
}

const char* kind_name(TopoPacketKind k, Lang lang) {
  switch (k) {
    case TopoPacketKind::Data:
      return tr(lang, T::TopologyKindData);
    case TopoPacketKind::Ack:
      return tr(lang, T::TopologyKindAck);
    case TopoPacketKind::Control:
      return "SYN/FIN/RST";
    case TopoPacketKind::Udp:
      return "UDP";
    case TopoPacketKind::Arp:
      return "ARP";
    case TopoPacketKind::Icmp:
      return "ICMP";
    case TopoPacketKind::Other:
    case TopoPacketKind::Count:
      break;
  }
  return "IP";
}

const char* node_kind_name(NodeKind k, Lang lang) {
  switch (k) {
    case NodeKind::Host:
      return tr(lang, T::TopologyNodeHost);
    case NodeKind::Router:
      return tr(lang, T::TopologyNodeRouter);
    case NodeKind::Switch:
      return tr(lang, T::TopologyNodeSwitch);
  }
  return "";
}

const char* fate_text(Fate f, Lang lang) {
  switch (f) {
    case Fate::DroppedByLink:
      return tr(lang, T::TopologyLostOnLink);
    case Fate::DroppedByQueue:
      return tr(lang, T::TopologyQueueFull);
    case Fate::DroppedByHost:
      return tr(lang, T::TopologyHostDropped);
    case Fate::Delivered:
    case Fate::InFlight:
    case Fate::Captured:
      break;
  }
  return "";
}

// "10.0.0.11" split where the prefix ends, at an octet boundary: whole octets of the network part go in
// the first half (blue), the rest in the second (grey). /24 gives "10.0.0." and "11".
void split_address(wire::Ipv4Addr a, int prefix_len, char* net, char* host, std::size_t size) {
  const std::string s = a.to_string();
  const int whole_octets = std::clamp(prefix_len, 0, 32) / 8;
  std::size_t cut = 0;
  for (int dots = 0; cut < s.size() && dots < whole_octets; ++cut)
    if (s[cut] == '.') ++dots;
  if (whole_octets == 4) cut = s.size();
  std::snprintf(net, size, "%.*s", static_cast<int>(cut), s.c_str());
  std::snprintf(host, size, "%s", s.c_str() + cut);
}

std::string mac_text(const wire::MacAddr& m) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
  return buf;
}

const char* interface_name(const TopologyNode& n, std::uint32_t k) {
  return k < n.interfaces.size() ? n.interfaces[k].name.c_str() : "?";
}

ImVec2 lerp(ImVec2 a, ImVec2 b, float f) {
  return {a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f};
}

}  // namespace

void TopologyPanel::refresh(const Document& doc, const Scenario* scenario) {
  if (built_generation_ == doc.generation) return;
  built_generation_ = doc.generation;
  const Trace* trace = doc.traces.empty() ? nullptr : &doc.traces[0]->trace;
  input_ = scenario ? topology_from_scenario(*scenario)
           : trace  ? topology_from_trace(*trace)
                    : TopologyInput{};
  layout_ = layout_topology(input_);
  host_nodes_ = trace ? nodes_of_trace_hosts(*trace, input_) : std::vector<std::uint32_t>{};
  tables_source_ = trace ? NodeTablesSource(*trace, input_, scenario) : NodeTablesSource{};
  if (selected_node_ && *selected_node_ >= input_.nodes.size()) selected_node_.reset();
}

void TopologyPanel::draw(const Document& doc, const Scenario* scenario, const ViewState& view,
                         const Fonts& fonts, SelectionCommands& select, const PanelRect& r) {
  char title[96];
  std::snprintf(title, sizeof title, "%s###topology", tr(view.lang, T::TopologyView));
  const PanelWindow window(title, r, {.scrollbar = false, .scroll_with_mouse = false});
  if (window.visible()) draw_contents(doc, scenario, view, fonts, select);
}

void TopologyPanel::draw_contents(const Document& doc, const Scenario* scenario, const ViewState& view,
                                  const Fonts& fonts, SelectionCommands& select) {
  refresh(doc, scenario);
  const Lang lang = view.lang;
  if (!wanted_node_.empty())
    if (auto n = input_.node_named(wanted_node_)) {
      selected_node_ = n;
      wanted_node_.clear();
    }
  if (input_.nodes.empty() || doc.traces.empty()) {
    ImGui::TextDisabled("%s", tr(lang, T::TopologyNoHosts));
    return;
  }
  const LoadedTrace& lt = *doc.traces[0];
  const std::int64_t t_ns = view.cursor.time_ns;
  char when[48];
  format_time(when, sizeof when, t_ns,
              std::max<std::int64_t>((view.view_end_ns - view.view_begin_ns) / 1000, 1));
  ImGui::Text("t = %s", when);
  // The hint, when the line has room for it (a narrow centre keeps only the time).
  const char* hint = tr(lang, T::TopologyHint);
  if (ImGui::GetContentRegionAvail().x - ImGui::GetItemRectSize().x - 16.0f > ImGui::CalcTextSize(hint).x) {
    ImGui::SameLine(0.0f, 16.0f);
    ImGui::TextDisabled("%s", hint);
  }

  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 size{std::max(avail.x, 50.0f), std::max(avail.y, 50.0f)};
  ImGui::InvisibleButton("##topology-canvas", size, ImGuiButtonFlags_MouseButtonLeft);
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  const ImVec2 p1{p0.x + size.x, p0.y + size.y};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(p0, p1, true);
  dl->AddRectFilled(p0, p1, rgb(kCanvasHex));
  ImFont* small = fonts.small ? fonts.small : ImGui::GetFont();
  const float small_size = small->FontSize;
  const float line = ImGui::GetTextLineHeight();
  const ImVec2 mouse = ImGui::GetIO().MousePos;

  // The legend's rows (it wraps in a narrow view), so labels keep clear of it.
  static constexpr TopoPacketKind kLegend[] = {TopoPacketKind::Data,    TopoPacketKind::Ack,
                                               TopoPacketKind::Control, TopoPacketKind::Udp,
                                               TopoPacketKind::Arp,     TopoPacketKind::Icmp};
  auto legend_text = [&](std::size_t k) {
    return k < std::size(kLegend) ? kind_name(kLegend[k], lang) : tr(lang, T::TopologyKindDropped);
  };
  auto legend_hex = [&](std::size_t k) { return k < std::size(kLegend) ? kind_hex(kLegend[k]) : kLostHex; };
  const std::size_t legend_items = std::size(kLegend) + 1;
  int rows = 1;
  for (float x = p0.x + 8.0f; std::size_t k : std::views::iota(std::size_t{0}, legend_items)) {
    const float item_w = 24.0f + ImGui::CalcTextSize(legend_text(k)).x;
    if (x + item_w > p1.x && x > p0.x + 8.0f) ++rows, x = p0.x + 8.0f;
    x += item_w;
  }

  // Node boxes and label places (topology_layout): worked out again only when the canvas, the language or
  // the document changes, in canvas coordinates.
  if (scene_size_.x != size.x || scene_size_.y != size.y || scene_lang_ != lang || scene_rows_ != rows ||
      scene_generation_ != built_generation_) {
    scene_size_ = size, scene_lang_ = lang, scene_rows_ = rows, scene_generation_ = built_generation_;
    SceneFonts measure{[&](std::string_view text, bool is_small) {
                         const char* b = text.data();
                         const char* e = b + text.size();
                         return is_small ? small->CalcTextSizeA(small_size, FLT_MAX, 0.0f, b, e).x
                                         : ImGui::CalcTextSize(b, e).x;
                       },
                       line, small_size};
    scene_ = layout_scene(input_, layout_, {0, 0, size.x, size.y}, static_cast<float>(rows) * line + 6.0f,
                          measure, tr(lang, T::TopologyLossy));
  }
  std::vector<ImVec2>& at = at_;
  at.resize(scene_.nodes.size());
  half_.resize(scene_.nodes.size());
  for (std::size_t i = 0; i < scene_.nodes.size(); ++i) {
    const ScreenRect& r = scene_.nodes[i];
    at[i] = {p0.x + r.cx(), p0.y + r.cy()};
    half_[i] = {(r.x1 - r.x0) / 2 + 2.0f, (r.y1 - r.y0) / 2 + 2.0f};
  }

  // Links, then their labels where layout_scene put them: each link's latency and bandwidth ("10ms,
  // 10Mbit/s", a lossy link says so on a second line), and a router's address at its end of each link.
  for (const TopologyLink& l : input_.links) {
    if (l.a.node >= at.size() || l.b.node >= at.size()) continue;
    const bool lossy = l.a_to_b.lossy || l.b_to_a.lossy;
    dl->AddLine(at[l.a.node], at[l.b.node], rgb(lossy ? kLossyLinkHex : kLinkHex), 3.0f);
  }
  for (const SceneLabel& label : scene_.labels) {
    const ImVec2 tl{p0.x + label.at.x0, p0.y + label.at.y0};
    const float w = label.at.x1 - label.at.x0;
    if (label.kind == SceneLabel::Kind::Interface) {
      dl->AddText(small, small_size, tl, rgb(kNetworkPartHex), label.text.c_str());
      continue;
    }
    const float text_w = ImGui::CalcTextSize(label.text.c_str()).x;
    dl->AddText({tl.x + (w - text_w) / 2, tl.y}, rgb(kDimTextHex), label.text.c_str());
    if (label.lossy) {
      const char* word = tr(lang, T::TopologyLossy);
      dl->AddText({tl.x + (w - ImGui::CalcTextSize(word).x) / 2, tl.y + line}, rgb(kLossyLinkHex), word);
    }
  }

  // Nodes over the links (and under the packets, which are what moves): hosts as boxes with name and address
  // (the network part blue), routers as circles, switches as small squares.
  std::optional<std::uint32_t> hovered_node;
  for (std::uint32_t i = 0; i < input_.nodes.size() && i < at.size(); ++i) {
    const TopologyNode& n = input_.nodes[i];
    const ImVec2 c = at[i];
    const ScreenRect& r = scene_.nodes[i];
    const ImVec2 b0{p0.x + r.x0, p0.y + r.y0}, b1{p0.x + r.x1, p0.y + r.y1};
    const ImVec2 name_size = ImGui::CalcTextSize(n.name.c_str());
    char net[24] = {}, host[24] = {}, prefix[8] = {};
    const TopologyInterface* iface = n.interfaces.empty() ? nullptr : &n.interfaces[0];
    if (iface && iface->address && n.kind != NodeKind::Switch) {
      split_address(*iface->address, iface->prefix_len, net, host, sizeof net);
      std::snprintf(prefix, sizeof prefix, "/%d", iface->prefix_len);
    }
    char address[48];
    std::snprintf(address, sizeof address, "%s%s%s", net, host, prefix);
    const float address_w = small->CalcTextSizeA(small_size, FLT_MAX, 0.0f, address).x;
    const bool has_address = address[0] != '\0';
    const bool selected = selected_node_ == i;
    const ImU32 outline = rgb(selected ? kSelectedHex : kTextHex);
    if (n.kind == NodeKind::Router) {
      const float radius = (r.x1 - r.x0) / 2;
      dl->AddCircleFilled(c, radius, rgb(kNodeFillHex));
      dl->AddCircle(c, radius, outline, 0, selected ? 3.0f : 1.5f);
    } else {
      dl->AddRectFilled(b0, b1, rgb(kNodeFillHex), n.kind == NodeKind::Host ? 5.0f : 0.0f);
      dl->AddRect(b0, b1, outline, n.kind == NodeKind::Host ? 5.0f : 0.0f, 0, selected ? 3.0f : 1.5f);
    }
    const float text_top = c.y - (line + (has_address ? small_size : 0.0f)) / 2 - 1.0f;
    dl->AddText({c.x - name_size.x / 2, text_top}, rgb(kTextHex), n.name.c_str());
    if (has_address) {
      ImVec2 tp{c.x - address_w / 2, text_top + line};
      dl->AddText(small, small_size, tp, rgb(kNetworkPartHex), net);
      tp.x += small->CalcTextSizeA(small_size, FLT_MAX, 0.0f, net).x;
      dl->AddText(small, small_size, tp, rgb(kDimTextHex), host);
      tp.x += small->CalcTextSizeA(small_size, FLT_MAX, 0.0f, host).x;
      dl->AddText(small, small_size, tp, rgb(kNetworkPartHex), prefix);
    }
    if (hovered && mouse.x >= b0.x && mouse.x <= b1.x && mouse.y >= b0.y && mouse.y <= b1.y) hovered_node = i;
  }

  // Packets on the links. A dead packet stays marked for a twelfth of the visible time range, so at any zoom
  // it is seen for about as long while playing.
  TopologyQuery q;
  q.t_ns = t_ns;
  q.max_flight_ns = lt.max_flight_ns;
  q.drop_mark_ns = std::max<std::int64_t>((view.view_end_ns - view.view_begin_ns) / 12, 1);
  q.limit = 200;
  const std::size_t total = packets_at(lt.trace, input_, host_nodes_, q, packets_);
  boxes_.clear();
  std::optional<std::uint32_t> hovered_packet;
  for (const PacketOnLink& p : packets_) {
    if (p.hop.from >= at.size() || p.hop.to >= at.size()) continue;
    // A packet travels from the edge of its sender's box to the edge of its receiver's, so it never hides
    // a node's address; the two directions of a link travel on either side of its line.
    const ImVec2 ca = at[p.hop.from], cb = at[p.hop.to];
    const float dx = cb.x - ca.x, dy = cb.y - ca.y, len = std::max(std::sqrt(dx * dx + dy * dy), 1.0f);
    auto edge = [&](std::uint32_t n) {
      const ImVec2 h = half_[n];
      return std::min(std::abs(dx) > 1e-3f ? h.x * len / std::abs(dx) : 1e9f,
                      std::abs(dy) > 1e-3f ? h.y * len / std::abs(dy) : 1e9f);
    };
    // A little beyond each edge, so the box beside the line does not sit on the node's corner.
    const float from_edge = edge(p.hop.from) + 10.0f, to_edge = edge(p.hop.to) + 10.0f;
    const float span = std::max(len - from_edge - to_edge, 0.0f);
    const ImVec2 a{ca.x + dx / len * std::min(from_edge, len / 2),
                   ca.y + dy / len * std::min(from_edge, len / 2)};
    const ImVec2 b{a.x + dx / len * span, a.y + dy / len * span};
    ImVec2 pos = lerp(a, b, p.fraction);
    const bool forward = !p.link || input_.links[*p.link].a.node == p.hop.from;
    const float side = forward ? 1.0f : -1.0f;
    pos = {pos.x - dy / len * 11.0f * side, pos.y + dx / len * 11.0f * side};
    char label[64];
    format_topo_packet_label(lt.trace, p.packet, label, sizeof label);
    const ImVec2 ts = small->CalcTextSizeA(small_size, FLT_MAX, 0.0f, label);
    Box box{pos.x - ts.x / 2 - 3, pos.y - ts.y / 2 - 1, pos.x + ts.x / 2 + 3, pos.y + ts.y / 2 + 1};
    const bool covered = std::any_of(boxes_.begin(), boxes_.end(), [&](const Box& o) {
      return box.x0 < o.x1 && o.x0 < box.x1 && box.y0 < o.y1 && o.y0 < box.y1;
    });
    // A box that would cover an earlier one shrinks to a small square: still counted by eye, not hiding.
    if (covered) box = {pos.x - 4, pos.y - 4, pos.x + 4, pos.y + 4};
    const unsigned fill = p.dropped ? kLostHex : kind_hex(p.kind);
    dl->AddRectFilled({box.x0, box.y0}, {box.x1, box.y1}, rgb(fill, p.dropped ? 110 : 255), 2.0f);
    if (!covered)
      dl->AddText(small, small_size, {box.x0 + 3, box.y0 + 1}, rgb(p.dropped ? kTextHex : 0xFFFFFF), label);
    if (p.dropped) {
      // The cross where it died: on the wire for a loss rule, at the sender for a full queue.
      const ImVec2 c = lerp(a, b, p.fraction);
      const float k = 7.0f;
      dl->AddLine({c.x - k, c.y - k}, {c.x + k, c.y + k}, rgb(kLostHex), 3.0f);
      dl->AddLine({c.x - k, c.y + k}, {c.x + k, c.y - k}, rgb(kLostHex), 3.0f);
    }
    if (!p.dropped) {
      // A small arrowhead ahead of the box shows which way it travels.
      const float ux = dx / len, uy = dy / len;
      const float half_w = (box.x1 - box.x0) / 2, half_h = (box.y1 - box.y0) / 2;
      const float reach = std::min(std::abs(ux) > 1e-3f ? half_w / std::abs(ux) : 1e9f,
                                   std::abs(uy) > 1e-3f ? half_h / std::abs(uy) : 1e9f);
      const ImVec2 tip{pos.x + ux * (reach + 6.0f), pos.y + uy * (reach + 6.0f)};
      const ImVec2 base{pos.x + ux * reach, pos.y + uy * reach};
      dl->AddTriangleFilled(tip, {base.x - uy * 4.0f, base.y + ux * 4.0f},
                            {base.x + uy * 4.0f, base.y - ux * 4.0f}, rgb(fill));
    }
    boxes_.push_back(box);
    if (hovered && mouse.x >= box.x0 && mouse.x <= box.x1 && mouse.y >= box.y0 && mouse.y <= box.y1)
      hovered_packet = p.packet;
  }

  // Legend and what was left out.
  float lx = p0.x + 8.0f, ly = p1.y - static_cast<float>(rows) * line - 4.0f;
  for (std::size_t k = 0; k < legend_items; ++k) {
    const char* text = legend_text(k);
    const float item_w = 24.0f + ImGui::CalcTextSize(text).x;
    if (lx + item_w > p1.x && lx > p0.x + 8.0f) lx = p0.x + 8.0f, ly += line;
    dl->AddRectFilled({lx, ly + 3}, {lx + 10, ly + 13}, rgb(legend_hex(k)));
    dl->AddText({lx + 14, ly}, rgb(kDimTextHex), text);
    lx += item_w;
  }
  if (total > packets_.size()) {
    char more[96];
    std::snprintf(more, sizeof more, tr(lang, T::TopologyMore), total - packets_.size());
    dl->AddText({p0.x + 8.0f, p0.y + 2.0f}, rgb(kDimTextHex), more);
  }
  dl->PopClipRect();

  if (hovered_packet) {
    for (const PacketOnLink& p : packets_) {
      if (p.packet != *hovered_packet) continue;
      ImGui::BeginTooltip();
      ImGui::Text("#%u  %s", lt.display_number(p.packet), topo_packet_label(lt.trace, p.packet).c_str());
      if (const char* why = fate_text(p.fate, lang); *why)
        ImGui::TextColored(ImColor(rgb(kLostHex)), "%s", why);
      ImGui::EndTooltip();
      break;
    }
    if (clicked) select.select = PacketRef{0, *hovered_packet};
  } else if (clicked) {
    selected_node_ = hovered_node && selected_node_ != hovered_node ? hovered_node : std::nullopt;
  }
  if (selected_node_) {
    // The details stand on the other side from the node, so the node stays in sight (and clickable).
    const float w = std::min(std::clamp(size.x * 0.45f, 220.0f, 320.0f), size.x - 12.0f);
    const bool node_on_right = *selected_node_ < layout_.size() && layout_[*selected_node_].x > 0.5f;
    ImGui::SetCursorScreenPos({node_on_right ? p0.x + 6.0f : p1.x - w - 6.0f, p0.y + 4.0f});
    tables_source_.tables_at(*selected_node_, t_ns, tables_);
    const NodeTables& tables = tables_;
    const std::size_t detail_rows = 3 + 2 * input_.nodes[*selected_node_].interfaces.size() +
                                    std::max<std::size_t>(2 * tables.arp.size(), 1) +
                                    std::max<std::size_t>(tables.routes.size(), 1) + 2;
    const float wanted_h =
        static_cast<float>(detail_rows + 1) * ImGui::GetTextLineHeightWithSpacing() + 28.0f;
    draw_node_details(tables, t_ns, view, fonts,
                      {w, std::max(std::min(size.y - line * 2.6f, wanted_h), 80.0f)});
  }
}

// A node's interfaces (name, address with its network part, MAC) and its ARP cache and routing table at the
// cursor (node_tables.hpp): each ARP entry with the time it has left, the routes as `ip route` prints them,
// longest prefix first.
void TopologyPanel::draw_node_details(const NodeTables& tables, std::int64_t t_ns, const ViewState& view,
                                      const Fonts& fonts, ImVec2 size) {
  const Lang lang = view.lang;
  const TopologyNode& n = input_.nodes[*selected_node_];
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(rgb(0xFBFBFC)));
  if (ImGui::BeginChild("##topology-node", size, true)) {
    ImGui::Text("%s (%s)", n.name.c_str(), node_kind_name(n.kind, lang));
    const char* close = tr(lang, T::TopologyClose);
    const float right = ImGui::GetWindowContentRegionMax().x - ImGui::CalcTextSize(close).x -
                        ImGui::GetStyle().FramePadding.x * 2.0f;
    const float after_title =
        ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + ImGui::GetStyle().ItemSpacing.x;
    ImGui::SameLine(std::max(right, after_title));
    if (ImGui::SmallButton(close)) selected_node_.reset();
    ImGui::Separator();
    ImGui::TextUnformatted(tr(lang, T::TopologyInterfaces));
    ImGui::PushTextWrapPos(0.0f);
    for (const TopologyInterface& i : n.interfaces) {
      if (i.address) {
        char net[24], host[24];
        split_address(*i.address, i.prefix_len, net, host, sizeof net);
        ImGui::Text("  %s", i.name.c_str());
        ImGui::SameLine();
        ImGui::TextColored(ImColor(rgb(kNetworkPartHex)), "%s", net);
        ImGui::SameLine(0.0f, 0.0f);
        ImGui::TextColored(ImColor(rgb(kDimTextHex)), "%s", host);
        ImGui::SameLine(0.0f, 0.0f);
        ImGui::TextColored(ImColor(rgb(kNetworkPartHex)), "/%d", i.prefix_len);
        // The network and host part in words on hovering the address, as the lane header's tooltip has it.
        if (ImGui::IsItemHovered()) {
          ImGui::BeginTooltip();
          ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
          ImGui::TextUnformatted(address_parts_line(i.name, *i.address, i.prefix_len, lang).c_str());
          ImGui::PopTextWrapPos();
          ImGui::EndTooltip();
        }
      } else {
        ImGui::Text("  %s", i.name.c_str());
      }
      if (fonts.mono) ImGui::PushFont(fonts.mono);
      ImGui::TextDisabled("    MAC %s", mac_text(i.mac).c_str());
      if (fonts.mono) ImGui::PopFont();
    }
    ImGui::Separator();
    ImGui::TextUnformatted(tr(lang, T::TopologyArpCache));
    if (tables.arp.empty()) ImGui::TextDisabled("  %s", tr(lang, T::TopologyNone));
    for (const TopologyArpRow& e : tables.arp) {
      // Addresses in the monospace font (Latin only); the time left in the text font, which has Chinese.
      if (fonts.mono) ImGui::PushFont(fonts.mono);
      ImGui::Text("  %s %s %s", e.address.to_string().c_str(), mac_text(e.mac).c_str(),
                  interface_name(n, e.interface));
      if (fonts.mono) ImGui::PopFont();
      char left[32], expires[64];
      format_time(left, sizeof left, e.expires_ns - t_ns, 1'000'000);
      std::snprintf(expires, sizeof expires, tr(lang, T::TopologyArpExpiresIn), left);
      ImGui::TextDisabled("    %s", expires);
    }
    ImGui::Separator();
    ImGui::TextUnformatted(tr(lang, T::TopologyRoutes));
    ImGui::SameLine();
    ImGui::TextDisabled("(%s)", tr(lang, T::TopologyLongestPrefixFirst));
    if (tables.routes.empty()) ImGui::TextDisabled("  %s", tr(lang, T::TopologyNone));
    if (fonts.mono) ImGui::PushFont(fonts.mono);
    for (const TopologyRouteRow& e : tables.routes) {
      // As `ip route` prints it: the words "default", "via" and "dev" are the command's, in both languages.
      char dest[24];
      if (e.prefix_len == 0)
        std::snprintf(dest, sizeof dest, "default");
      else
        std::snprintf(dest, sizeof dest, "%s/%d", e.network.to_string().c_str(), e.prefix_len);
      ImGui::Text("  %s%s%s dev %s", dest, e.via ? " via " : "", e.via ? e.via->to_string().c_str() : "",
                  interface_name(n, e.interface));
    }
    if (fonts.mono) ImGui::PopFont();
    ImGui::PopTextWrapPos();
  }
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

}  // namespace wirestep::gui
