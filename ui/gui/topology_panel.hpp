// The topology view (issue #18): the network's nodes (hosts, routers, switches) and links with their
// addresses and settings, and the packets on the links at the time cursor, moving as the cursor plays or
// steps; a packet that died is crossed out where it died. Clicking a node lists its interfaces, ARP cache and
// routing table at the cursor. What is drawn comes from the window-free model in ui/model/topology_*.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "ui/gui/fonts.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/panel_window.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/document.hpp"
#include "ui/model/node_tables.hpp"
#include "ui/model/topology_input.hpp"
#include "ui/model/topology_layout.hpp"
#include "ui/model/topology_packets.hpp"

namespace wirestep {
struct Scenario;
}

namespace wirestep::gui {

class TopologyPanel {
 public:
  // `scenario`: the open scenario, whose links give latency and bandwidth; null: the Trace's hosts alone.
  void draw(const Document& doc, const Scenario* scenario, const ViewState& view, const Fonts& fonts,
            SelectionCommands& select, const PanelRect& r);
  void draw_contents(const Document& doc, const Scenario* scenario, const ViewState& view, const Fonts& fonts,
                     SelectionCommands& select);
  // Opens a node's details by name (the shot's --node); kept until the topology with that node is built.
  void show_node(const std::string& name) { wanted_node_ = name; }

 private:
  void refresh(const Document& doc, const Scenario* scenario);
  void draw_node_details(const NodeTables& tables, std::int64_t t_ns, const ViewState& view,
                         const Fonts& fonts, ImVec2 size);

  std::uint64_t built_generation_ = ~std::uint64_t{0};
  TopologyInput input_;
  std::vector<NodePoint> layout_;
  std::vector<std::uint32_t> host_nodes_;
  TopologyScene scene_;  // node boxes and label places in canvas coordinates, for this size and language
  ImVec2 scene_size_{0, 0};
  Lang scene_lang_ = Lang::En;
  int scene_rows_ = 0;
  std::uint64_t scene_generation_ = ~std::uint64_t{0};
  NodeTablesSource tables_source_;     // the selected node's ARP cache and routes at any time
  NodeTables tables_;                  // reused every frame
  std::vector<PacketOnLink> packets_;  // reused every frame
  std::vector<ImVec2> at_;             // node centres on screen, reused every frame
  std::vector<ImVec2> half_;           // half the size of each node's shape
  struct Box {
    float x0, y0, x1, y1;
  };
  std::vector<Box> boxes_;  // packet labels drawn this frame, so later ones do not cover them
  std::optional<std::uint32_t> selected_node_;
  std::string wanted_node_;
};

}  // namespace wirestep::gui
