#include "ui/model/topology_layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <utility>

namespace wirestep {
namespace {

using Neighbours = std::vector<std::vector<std::uint32_t>>;

Neighbours neighbours_of(const TopologyInput& t) {
  Neighbours out(t.nodes.size());
  for (const TopologyLink& l : t.links) {
    if (l.a.node >= t.nodes.size() || l.b.node >= t.nodes.size() || l.a.node == l.b.node) continue;
    out[l.a.node].push_back(l.b.node);
    out[l.b.node].push_back(l.a.node);
  }
  return out;
}

bool is_host(const TopologyInput& t, std::uint32_t n) {
  return t.nodes[n].kind == NodeKind::Host;
}

// Routers and switches: one column per hop from the first one reached from the lowest-numbered host.
std::vector<int> infrastructure_columns(const TopologyInput& t, const Neighbours& nb) {
  std::vector<int> col(t.nodes.size(), -1);
  std::vector<std::uint32_t> roots;
  for (std::uint32_t h = 0; h < t.nodes.size(); ++h)
    if (is_host(t, h))
      for (std::uint32_t m : nb[h])
        if (!is_host(t, m)) roots.push_back(m);
  for (std::uint32_t n = 0; n < t.nodes.size(); ++n)
    if (!is_host(t, n)) roots.push_back(n);
  for (std::uint32_t root : roots) {
    if (col[root] >= 0) continue;
    col[root] = 0;
    std::deque<std::uint32_t> queue{root};
    while (!queue.empty()) {
      const std::uint32_t n = queue.front();
      queue.pop_front();
      for (std::uint32_t m : nb[n])
        if (!is_host(t, m) && col[m] < 0) {
          col[m] = col[n] + 1;
          queue.push_back(m);
        }
    }
  }
  return col;
}

// 0 left, 1 right. With routers or switches: the side of the column a host hangs off. Hosts only: opposite
// its linked hosts (most-linked first), so a server with many clients faces them; then flipped so the first
// host is on the left, as on the ladder.
std::vector<int> host_sides(const TopologyInput& t, const Neighbours& nb, const std::vector<int>& col,
                            int columns) {
  const std::uint32_t n = static_cast<std::uint32_t>(t.nodes.size());
  std::vector<int> side(n, -1);
  int count[2] = {0, 0};
  auto place = [&](std::uint32_t h, int s) {
    side[h] = s;
    ++count[s];
  };
  if (columns > 0) {
    const double middle = (columns - 1) / 2.0;
    for (std::uint32_t h = 0; h < n; ++h) {
      if (!is_host(t, h)) continue;
      int c = -1;
      for (std::uint32_t m : nb[h])
        if (!is_host(t, m) && (c < 0 || col[m] < c)) c = col[m];
      if (c >= 0 && c < middle)
        place(h, 0);
      else if (c >= 0 && c > middle)
        place(h, 1);
      else
        place(h, count[1] < count[0] ? 1 : 0);
    }
    return side;
  }
  std::vector<std::uint32_t> order(n);
  for (std::uint32_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return nb[a].size() > nb[b].size(); });
  for (std::uint32_t h : order) {
    bool on[2] = {false, false};
    for (std::uint32_t m : nb[h])
      if (side[m] >= 0) on[side[m]] = true;
    if (on[0] != on[1])
      place(h, on[0] ? 1 : 0);
    else
      place(h, count[1] < count[0] ? 1 : 0);
  }
  if (n > 0 && side[0] == 1)
    for (int& s : side) s = 1 - s;
  return side;
}

// Spreads a column's nodes evenly from top to bottom, in the order given.
void spread(const std::vector<std::uint32_t>& column, float x, std::vector<NodePoint>& out) {
  for (std::size_t i = 0; i < column.size(); ++i)
    out[column[i]] = {x, static_cast<float>(i + 1) / static_cast<float>(column.size() + 1)};
}

// Orders a column by the mean height of its already placed neighbours (the barycentre rule), so links run
// across rather than over each other; ties keep the input's order.
void order_by_neighbours(std::vector<std::uint32_t>& column, const Neighbours& nb,
                         const std::vector<bool>& placed, const std::vector<NodePoint>& at) {
  std::vector<std::pair<float, std::uint32_t>> keyed;
  for (std::uint32_t n : column) {
    float sum = 0;
    int k = 0;
    for (std::uint32_t m : nb[n])
      if (placed[m]) {
        sum += at[m].y;
        ++k;
      }
    keyed.push_back({k ? sum / static_cast<float>(k) : 0.5f, n});
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < column.size(); ++i) column[i] = keyed[i].second;
}

}  // namespace

std::vector<NodePoint> layout_topology(const TopologyInput& t) {
  const std::uint32_t n = static_cast<std::uint32_t>(t.nodes.size());
  std::vector<NodePoint> at(n);
  if (n == 0) return at;
  const Neighbours nb = neighbours_of(t);
  const std::vector<int> col = infrastructure_columns(t, nb);
  const int columns = col.empty() ? 0 : *std::max_element(col.begin(), col.end()) + 1;
  const std::vector<int> side = host_sides(t, nb, col, columns);

  std::vector<std::vector<std::uint32_t>> middle(static_cast<std::size_t>(columns));
  std::vector<std::uint32_t> left, right;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!is_host(t, i))
      middle[static_cast<std::size_t>(col[i])].push_back(i);
    else
      (side[i] == 0 ? left : right).push_back(i);
  }
  std::vector<bool> placed(n, false);
  auto place_column = [&](std::vector<std::uint32_t>& column, float x, bool reorder) {
    if (reorder) order_by_neighbours(column, nb, placed, at);
    spread(column, x, at);
    for (std::uint32_t m : column) placed[m] = true;
  };
  // The middle first (routers in input order), then each host column against it. Hosts only: the shorter
  // column first, in input order, and the longer one against it.
  for (int c = 0; c < columns; ++c)
    place_column(middle[static_cast<std::size_t>(c)],
                 columns == 1 ? 0.5f : 0.25f + 0.5f * static_cast<float>(c) / static_cast<float>(columns - 1),
                 c > 0);
  if (columns == 0 && left.size() > right.size()) {
    place_column(right, 1.0f, false);
    place_column(left, 0.0f, true);
  } else {
    place_column(left, 0.0f, columns > 0);
    place_column(right, 1.0f, true);
  }
  // A lone host (nothing else in the picture) stands in the middle.
  if (n == 1) at[0] = {0.5f, 0.5f};
  return at;
}

std::string node_address_text(const TopologyNode& n) {
  if (n.interfaces.empty() || !n.interfaces[0].address) return {};
  return n.interfaces[0].address->to_string() + "/" + std::to_string(n.interfaces[0].prefix_len);
}

namespace {

float overlap_area(const ScreenRect& a, const ScreenRect& b) {
  const float w = std::min(a.x1, b.x1) - std::max(a.x0, b.x0),
              h = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0.0f;
}

// How badly a spot is taken: what it shares with nodes and placed labels, and what sticks out of bounds.
float covered(const ScreenRect& r, const TopologyScene& scene, const ScreenRect& bounds) {
  float sum = 0;
  for (const ScreenRect& n : scene.nodes) sum += overlap_area(r, n);
  for (const SceneLabel& l : scene.labels) sum += overlap_area(r, l.at);
  const float area = (r.x1 - r.x0) * (r.y1 - r.y0);
  return sum + (area - overlap_area(r, bounds));
}

// The spots for a w x h label along the segment a -> b, best first: at each fraction (in the order given)
// on the preferred side of the line, then the other side, then a row further out; beside the line last for
// a flat one, first for a steep one.
void candidates(float ax, float ay, float bx, float by, const std::vector<float>& fractions, float w, float h,
                bool prefer_above, std::vector<ScreenRect>& out) {
  out.clear();
  constexpr float kGap = 5.0f;
  const bool steep = std::abs(by - ay) > std::abs(bx - ax) * 1.5f;
  for (const float far : {0.0f, 1.0f, 2.0f}) {
    for (float f : fractions) {
      const float px = ax + (bx - ax) * f, py = ay + (by - ay) * f;
      const float gap_y = kGap + far * h, gap_x = kGap + far * w * 0.5f;
      const ScreenRect above{px - w / 2, py - gap_y - h, px + w / 2, py - gap_y};
      const ScreenRect below{px - w / 2, py + gap_y, px + w / 2, py + gap_y + h};
      const ScreenRect left{px - gap_x - w, py - h / 2, px - gap_x, py + h / 2};
      const ScreenRect right{px + gap_x, py - h / 2, px + gap_x + w, py + h / 2};
      if (steep) {
        out.push_back(right);
        out.push_back(left);
      }
      out.push_back(prefer_above ? above : below);
      out.push_back(prefer_above ? below : above);
      if (!steep) {
        out.push_back(left);
        out.push_back(right);
      }
    }
  }
}

// Spots round a node's box for a label of that node's end of a link, the side facing the link first: when a
// short link leaves no room beside its line, the address still stands next to its own node.
void around_node(const ScreenRect& n, float dir_x, float dir_y, float w, float h,
                 std::vector<ScreenRect>& out) {
  constexpr float kGap = 4.0f;
  std::vector<ScreenRect> ring;
  for (const float far : {0.0f, 1.0f}) {
    const float g = kGap + far * h;
    ring.push_back({n.x1 + g, n.cy() - h / 2, n.x1 + g + w, n.cy() + h / 2});
    ring.push_back({n.x0 - g - w, n.cy() - h / 2, n.x0 - g, n.cy() + h / 2});
    ring.push_back({n.cx() - w / 2, n.y0 - g - h, n.cx() + w / 2, n.y0 - g});
    ring.push_back({n.cx() - w / 2, n.y1 + g, n.cx() + w / 2, n.y1 + g + h});
    ring.push_back({n.cx(), n.y1 + g, n.cx() + w, n.y1 + g + h});
    ring.push_back({n.cx() - w, n.y1 + g, n.cx(), n.y1 + g + h});
    ring.push_back({n.cx(), n.y0 - g - h, n.cx() + w, n.y0 - g});
    ring.push_back({n.cx() - w, n.y0 - g - h, n.cx(), n.y0 - g});
  }
  // Facing the link first; the nearer ring before the farther one.
  std::stable_sort(ring.begin(), ring.end(), [&](const ScreenRect& a, const ScreenRect& b) {
    const float da = (a.cx() - n.cx()) * dir_x + (a.cy() - n.cy()) * dir_y;
    const float db = (b.cx() - n.cx()) * dir_x + (b.cy() - n.cy()) * dir_y;
    const float ra = std::hypot(a.cx() - n.cx(), a.cy() - n.cy()),
                rb = std::hypot(b.cx() - n.cx(), b.cy() - n.cy());
    return da / std::max(ra, 1.0f) - ra * 0.002f > db / std::max(rb, 1.0f) - rb * 0.002f;
  });
  out.insert(out.end(), ring.begin(), ring.end());
}

ScreenRect best_spot(const std::vector<ScreenRect>& spots, const TopologyScene& scene,
                     const ScreenRect& bounds) {
  const ScreenRect* best = nullptr;
  float best_cover = 0;
  for (const ScreenRect& r : spots) {
    const float c = covered(r, scene, bounds);
    if (c <= 0.0f) return r;
    if (!best || c < best_cover) best = &r, best_cover = c;
  }
  return best ? *best : ScreenRect{};
}

}  // namespace

TopologyScene layout_scene(const TopologyInput& t, const std::vector<NodePoint>& layout, ScreenRect canvas,
                           float legend_height, const SceneFonts& fonts, std::string_view lossy_word) {
  TopologyScene scene;
  const float width = canvas.x1 - canvas.x0, height = canvas.y1 - canvas.y0;
  // The node centres: the layout's unit square inside margins wide enough for a host's box.
  const float margin_x = std::clamp(width * 0.14f, 56.0f, 110.0f);
  const float margin_top = fonts.line * 1.6f, margin_bottom = fonts.line * 2.4f;
  std::vector<std::pair<float, float>> centre;
  for (std::size_t i = 0; i < t.nodes.size() && i < layout.size(); ++i) {
    const TopologyNode& n = t.nodes[i];
    const float cx = canvas.x0 + margin_x + layout[i].x * (width - 2 * margin_x);
    const float cy =
        canvas.y0 + margin_top + layout[i].y * std::max(height - margin_top - margin_bottom, 1.0f);
    centre.push_back({cx, cy});
    // Hosts and routers show their name over their first address; a switch only its name.
    const float name_w = fonts.width(n.name, false);
    const std::string address = n.kind == NodeKind::Switch ? std::string{} : node_address_text(n);
    const float address_w = address.empty() ? 0.0f : fonts.width(address, true);
    float w = std::max(name_w, address_w) + 14.0f;
    float h = fonts.line + (address.empty() ? 0.0f : fonts.small_line) + 8.0f;
    if (n.kind == NodeKind::Switch) w = std::max(name_w + 10.0f, 36.0f), h = fonts.line + 6.0f;
    // A router is a circle round that box; its bounding square is what labels keep clear of.
    if (n.kind == NodeKind::Router) w = h = std::max(w, h) + 4.0f;
    scene.nodes.push_back({cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2});
  }
  const ScreenRect bounds{canvas.x0 + 2.0f, canvas.y0 + 2.0f, canvas.x1 - 2.0f,
                          canvas.y1 - std::max(legend_height, 0.0f)};
  const float middle_y = (canvas.y0 + canvas.y1) / 2;
  auto valid = [&](const TopologyLink& l) {
    return l.a.node < centre.size() && l.b.node < centre.size() && l.a.node != l.b.node;
  };
  std::vector<ScreenRect> spots;
  // Interface addresses first: each belongs near one end of its link, so it has fewer places to go.
  static const std::vector<float> kNearEnd = {0.22f, 0.3f, 0.15f, 0.38f, 0.46f, 0.1f, 0.54f};
  for (std::uint32_t k = 0; k < t.links.size(); ++k) {
    const TopologyLink& l = t.links[k];
    if (!valid(l)) continue;
    for (const LinkEnd& end : {l.a, l.b}) {
      const TopologyNode& n = t.nodes[end.node];
      if (n.interfaces.size() < 2 || end.interface >= n.interfaces.size()) continue;
      const TopologyInterface& i = n.interfaces[end.interface];
      if (!i.address) continue;
      SceneLabel label{SceneLabel::Kind::Interface,
                       k,
                       end.node,
                       i.name + " " + i.address->to_string() + "/" + std::to_string(i.prefix_len),
                       false,
                       {}};
      const auto [ax, ay] = centre[end.node];
      const auto [bx, by] = centre[end.node == l.a.node ? l.b.node : l.a.node];
      const float w = fonts.width(label.text, true);
      candidates(ax, ay, bx, by, kNearEnd, w, fonts.small_line, false, spots);
      const float len = std::max(std::hypot(bx - ax, by - ay), 1.0f);
      around_node(scene.nodes[end.node], (bx - ax) / len, (by - ay) / len, w, fonts.small_line, spots);
      label.at = best_spot(spots, scene, bounds);
      scene.labels.push_back(std::move(label));
    }
  }
  // Link settings, nearer the less busy end so links fanning into one node keep their labels apart; above
  // the line in the upper half of the view, below it in the lower half.
  std::vector<int> degree(t.nodes.size(), 0);
  for (const TopologyLink& l : t.links)
    if (valid(l)) ++degree[l.a.node], ++degree[l.b.node];
  for (std::uint32_t k = 0; k < t.links.size(); ++k) {
    const TopologyLink& l = t.links[k];
    if (!valid(l)) continue;
    const bool lossy = l.a_to_b.lossy || l.b_to_a.lossy;
    SceneLabel label{SceneLabel::Kind::Link, k, l.a.node, link_label(l), lossy, {}};
    if (label.text.empty() && !lossy) continue;
    const int da = degree[l.a.node], db = degree[l.b.node];
    const float prefer = da == db ? 0.5f : da < db ? 0.4f : 0.6f;
    std::vector<float> fractions{prefer};
    for (int step = 1; step <= 6; ++step)
      for (const float sign : {-1.0f, 1.0f}) {
        const float f = prefer + sign * 0.07f * static_cast<float>(step);
        if (f > 0.04f && f < 0.96f) fractions.push_back(f);
      }
    const float w = std::max(fonts.width(label.text, false), lossy ? fonts.width(lossy_word, false) : 0.0f);
    const float h = fonts.line * (lossy ? 2.0f : 1.0f);
    const auto [ax, ay] = centre[l.a.node];
    const auto [bx, by] = centre[l.b.node];
    candidates(ax, ay, bx, by, fractions, w, h, ay + (by - ay) * prefer <= middle_y, spots);
    label.at = best_spot(spots, scene, bounds);
    scene.labels.push_back(std::move(label));
  }
  return scene;
}

}  // namespace wirestep
