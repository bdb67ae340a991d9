#include "ui/model/topology_layout.hpp"

#include <algorithm>
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

}  // namespace wirestep
