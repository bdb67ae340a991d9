// Where each node of a topology goes, in a unit square (x left to right, y top to bottom), so the panel only
// scales it to its rectangle. Hosts stand in a left and a right column, routers and switches in the middle
// (one column per hop from the left), each column's nodes ordered to keep links from crossing. Depends on
// nothing but the input's order: the same topology always gets the same picture. Readable for 2-8 nodes.
//
// Then, on screen: each node's box and each label's rectangle (a link's settings, a router interface's
// address at its end of a link), placed so that no label is covered by a node box and no two labels
// overlap. Text is measured by the caller (the panel with ImGui's fonts, tests likewise), so this stays
// window-free.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ui/model/topology_input.hpp"

namespace wirestep {

struct NodePoint {
  float x = 0.5f, y = 0.5f;
};

// One point per node of `t`, in its order.
std::vector<NodePoint> layout_topology(const TopologyInput& t);

struct ScreenRect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool overlaps(const ScreenRect& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
  bool inside(const ScreenRect& o) const { return x0 >= o.x0 && y0 >= o.y0 && x1 <= o.x1 && y1 <= o.y1; }
  float cx() const { return (x0 + x1) / 2; }
  float cy() const { return (y0 + y1) / 2; }
};

// The text sizes the scene needs: the width of a text in the normal or the small font, and line heights.
struct SceneFonts {
  std::function<float(std::string_view text, bool small)> width;
  float line = 16.0f;        // the normal font's line height
  float small_line = 14.0f;  // the small font's
};

struct SceneLabel {
  enum class Kind : std::uint8_t { Link, Interface };
  Kind kind = Kind::Link;
  std::uint32_t link = 0;
  std::uint32_t node = 0;  // Interface: whose address it is (a router's, at its end of `link`)
  std::string text;        // Link: "2ms, 100Mbit/s"; Interface: "eth1 10.1.0.254/24" (small font)
  bool lossy = false;      // Link: a second line says the link is lossy
  ScreenRect at;
};

struct TopologyScene {
  std::vector<ScreenRect> nodes;  // per node: a host's or switch's box, a router circle's bounding square
  std::vector<SceneLabel> labels;
};

// Places the layout inside `canvas` (margins wide enough for a host's box, `legend_height` kept free at the
// bottom) and every label at the first free spot near where it belongs: along its link from its preferred
// point outward, above or below the line (beside it for a steep one). `lossy_word` is the second line of a
// lossy link's label. Where no spot is free (a canvas far too small) the least covered one is taken.
TopologyScene layout_scene(const TopologyInput& t, const std::vector<NodePoint>& layout, ScreenRect canvas,
                           float legend_height, const SceneFonts& fonts, std::string_view lossy_word);

// The address a node's box shows under its name: its first interface's "10.0.0.1/24"; empty without one.
std::string node_address_text(const TopologyNode& n);

}  // namespace wirestep
