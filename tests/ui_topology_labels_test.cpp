// Where the topology view writes its labels (issue #18: "nodes and links drawn with their addresses"): a
// link's settings and a router's interface address must stay readable, so no label may lie under a node box
// (which is drawn over it) or on another label, in every bundled net-* lesson, measured with the UI's own
// fonts, both on a whole 1280x800 and 900x600 canvas and on the canvas the view gets in windows of those
// sizes.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "headless_app.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "test_support.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/model/topology_input.hpp"
#include "ui/model/topology_layout.hpp"

namespace wirestep::gui {
namespace ui_topology_labels_test {

std::vector<std::string> net_lessons() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(testing::source_path("scenarios"))) {
    const std::string name = e.path().filename().string();
    if (name.starts_with("net-") && name.ends_with(".toml")) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string rect_text(const ScreenRect& r) {
  std::ostringstream s;
  s << "[" << r.x0 << "," << r.y0 << " - " << r.x1 << "," << r.y1 << "]";
  return s.str();
}

class TopologyLabels : public HeadlessAppTest {
 protected:
  SceneFonts fonts() {
    const Fonts& f = app_->fonts();
    ImFont* ui = f.ui ? f.ui : ImGui::GetFont();
    ImFont* small = f.small ? f.small : ui;
    return {
        [ui, small](std::string_view text, bool is_small) {
          ImFont* font = is_small ? small : ui;
          return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text.data(), text.data() + text.size()).x;
        },
        ui->FontSize, small->FontSize};
  }

  // The topology canvas of the whole UI at this window size: the view's content under its "t = ..." line.
  ImVec2 canvas_in_window(const std::string& lesson, float w, float h) {
    ImGui::GetIO().DisplaySize = ImVec2(w, h);
    EXPECT_EQ(app_->open(lesson), std::nullopt);
    app_->view().topology = true;
    frame();
    frame();
    ImGuiWindow* topo = ImGui::FindWindowByName("###topology");
    if (!topo) return {0, 0};
    const ImRect r = topo->ContentRegionRect;
    return {r.GetWidth(), r.GetHeight() - ImGui::GetTextLineHeightWithSpacing()};
  }

  // Every label inside the canvas above the legend, off every node box and off every other label.
  void expect_clear(const std::string& lesson, ImVec2 canvas, Lang lang) {
    auto sc = load_scenario_file(lesson);
    ASSERT_TRUE(sc) << lesson;
    const TopologyInput t = topology_from_scenario(*sc);
    const SceneFonts f = fonts();
    const float legend = 2 * f.line + 6.0f;  // the legend wraps onto two rows in a narrow view
    const TopologyScene scene = layout_scene(t, layout_topology(t), {0, 0, canvas.x, canvas.y}, legend, f,
                                             tr(lang, T::TopologyLossy));
    const std::string where = lesson + " at " + std::to_string(static_cast<int>(canvas.x)) + "x" +
                              std::to_string(static_cast<int>(canvas.y));
    std::size_t wanted = 0;
    for (const TopologyLink& l : t.links) {
      wanted += !link_label(l).empty() || l.a_to_b.lossy || l.b_to_a.lossy;
      for (const LinkEnd& e : {l.a, l.b})
        wanted += t.nodes[e.node].interfaces.size() > 1 && t.nodes[e.node].interfaces[e.interface].address;
    }
    EXPECT_EQ(scene.labels.size(), wanted) << where << ": every link's settings and router address drawn";
    const ScreenRect bounds{0, 0, canvas.x, canvas.y - legend};
    for (std::size_t i = 0; i < scene.labels.size(); ++i) {
      const SceneLabel& a = scene.labels[i];
      EXPECT_TRUE(a.at.inside(bounds))
          << where << ": \"" << a.text << "\" " << rect_text(a.at) << " leaves the canvas";
      for (std::size_t n = 0; n < scene.nodes.size(); ++n)
        EXPECT_FALSE(a.at.overlaps(scene.nodes[n]))
            << where << ": \"" << a.text << "\" " << rect_text(a.at) << " is under node " << t.nodes[n].name
            << " " << rect_text(scene.nodes[n]);
      for (std::size_t j = i + 1; j < scene.labels.size(); ++j)
        EXPECT_FALSE(a.at.overlaps(scene.labels[j].at))
            << where << ": \"" << a.text << "\" " << rect_text(a.at) << " overlaps \"" << scene.labels[j].text
            << "\" " << rect_text(scene.labels[j].at);
    }
    // Nodes apart too: a label can only avoid boxes that leave room between them.
    for (std::size_t n = 0; n < scene.nodes.size(); ++n)
      for (std::size_t m = n + 1; m < scene.nodes.size(); ++m)
        EXPECT_FALSE(scene.nodes[n].overlaps(scene.nodes[m])) << where << ": nodes " << n << " and " << m;
  }
};

TEST_F(TopologyLabels, NoLabelUnderANodeOrOnAnotherOnAWholeCanvas) {
  const auto lessons = net_lessons();
  ASSERT_GE(lessons.size(), 5u);
  for (const std::string& lesson : lessons)
    for (const ImVec2 canvas : {ImVec2{1280, 800}, ImVec2{900, 600}})
      for (const Lang lang : {Lang::En, Lang::Zh}) expect_clear(lesson, canvas, lang);
}

TEST_F(TopologyLabels, NoLabelUnderANodeOrOnAnotherInTheViewOfA1280x800Window) {
  // The view's canvas in a 1280x800 window is about 650x250. (In a 900x600 window it is about 290x155, too
  // small even for the node boxes to stay apart, so that size is checked as a whole canvas above.)
  for (const std::string& lesson : net_lessons())
    for (const ImVec2 window : {ImVec2{1280, 800}}) {
      const ImVec2 canvas = canvas_in_window(lesson, window.x, window.y);
      ASSERT_GT(canvas.x, 100.0f) << lesson;
      ASSERT_GT(canvas.y, 100.0f) << lesson;
      expect_clear(lesson, canvas, Lang::En);
    }
}

TEST_F(TopologyLabels, RouterAddressStandsNearItsOwnEndOfTheLink) {
  // "eth1 10.1.0.254/24" belongs to R's end of the R-C link: it must be nearer R than C.
  auto sc = load_scenario_file(testing::source_path("scenarios/net-router-subnets.toml"));
  ASSERT_TRUE(sc);
  const TopologyInput t = topology_from_scenario(*sc);
  const TopologyScene scene = layout_scene(t, layout_topology(t), {0, 0, 1280, 800}, 40.0f, fonts(), "lossy");
  const std::uint32_t r = *t.node_named("R"), c = *t.node_named("C");
  auto dist = [](const ScreenRect& a, const ScreenRect& b) {
    return std::hypot(a.cx() - b.cx(), a.cy() - b.cy());
  };
  int seen = 0;
  for (const SceneLabel& l : scene.labels) {
    if (l.kind != SceneLabel::Kind::Interface || l.text.rfind("eth1 ", 0) != 0) continue;
    ++seen;
    EXPECT_EQ(l.node, r);
    EXPECT_LT(dist(l.at, scene.nodes[r]), dist(l.at, scene.nodes[c]));
  }
  EXPECT_EQ(seen, 1);
}

TEST_F(TopologyLabels, TinyCanvasStillPlacesEveryLabelWithoutCrashing) {
  // Bad input: a canvas too small for anything still gives every label a place (the least covered one).
  auto sc = load_scenario_file(testing::source_path("scenarios/net-traceroute.toml"));
  ASSERT_TRUE(sc);
  const TopologyInput t = topology_from_scenario(*sc);
  const TopologyScene scene = layout_scene(t, layout_topology(t), {0, 0, 40, 30}, 20.0f, fonts(), "lossy");
  EXPECT_EQ(scene.nodes.size(), t.nodes.size());
  EXPECT_FALSE(scene.labels.empty());
  const TopologyScene empty = layout_scene(TopologyInput{}, {}, {0, 0, 100, 100}, 10.0f, fonts(), "");
  EXPECT_TRUE(empty.nodes.empty() && empty.labels.empty());
}

}  // namespace ui_topology_labels_test
}  // namespace wirestep::gui
