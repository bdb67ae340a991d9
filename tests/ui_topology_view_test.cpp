// The topology view in the whole UI (issue #18): it opens above the ladder for a simulated run, follows
// the cursor, opens a node's interfaces on click (and by the shot's --node), stays away from captures, and
// renders through `wirestep shot --view topology` in English and Chinese.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cstring>
#include <filesystem>

#include "headless_app.hpp"
#include "test_support.hpp"

namespace wirestep::gui {
namespace ui_topology_view_test {

std::string lesson(const std::string& name) {
  return std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/" + name;
}

ImGuiWindow* shown(const char* name) {
  ImGuiWindow* w = ImGui::FindWindowByName(name);
  return w && w->Active ? w : nullptr;
}

// The node details box is a child window of the topology window ("###topology/##topology-node_<id>").
bool node_details_open() {
  for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
    if (w->Active && std::strstr(w->Name, "##topology-node")) return true;
  return false;
}

class TopologyView : public HeadlessAppTest {};

TEST_F(TopologyView, OpensAboveTheLadderForASimulatedRun) {
  ASSERT_EQ(app_->open(lesson("tcp-two-clients.toml")), std::nullopt);
  frame();
  EXPECT_EQ(shown("###topology"), nullptr) << "off until asked for";
  const float ladder_top_alone = shown("###timeline")->Pos.y;
  app_->view().topology = true;
  app_->set_cursor(15'000'000);
  frame();
  frame();
  ImGuiWindow* topo = shown("###topology");
  ASSERT_NE(topo, nullptr);
  ImGuiWindow* ladder = shown("###timeline");
  ASSERT_NE(ladder, nullptr);
  EXPECT_GT(ladder->Pos.y, ladder_top_alone) << "the ladder moves down to make room";
  EXPECT_GE(ladder->Pos.y, topo->Pos.y + topo->Size.y - 1.0f) << "side by side vertically, not overlapping";
  EXPECT_GT(topo->Size.y, 200.0f);
}

TEST_F(TopologyView, ClickingANodeOpensItsDetailsAndClickingAgainClosesThem) {
  ASSERT_EQ(app_->open(lesson("tcp-two-clients.toml")), std::nullopt);
  app_->view().topology = true;
  frame();
  frame();
  ImGuiWindow* topo = shown("###topology");
  ASSERT_NE(topo, nullptr);
  // S stands alone on the right, half-way down the canvas (topology_layout: a server faces its clients).
  const ImRect r = topo->ContentRegionRect;
  const float margin_x = std::clamp(r.GetWidth() * 0.14f, 56.0f, 110.0f);
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const float canvas_top = r.Min.y + line;
  const float lh = ImGui::GetTextLineHeight();
  const float y = canvas_top + lh * 1.6f + 0.5f * (r.Max.y - canvas_top - lh * 4.0f);
  const ImVec2 s{r.Max.x - margin_x, y};
  auto click = [&](ImVec2 at) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = at;
    frame();
    io.MouseDown[0] = true;
    frame();
    io.MouseDown[0] = false;
    frame();
    frame();
  };
  click(s);
  EXPECT_TRUE(node_details_open());
  click(s);
  EXPECT_FALSE(node_details_open());
}

TEST_F(TopologyView, ShotNodeOptionOpensTheNamedNodeInChinese) {
  ASSERT_EQ(app_->open(lesson("tcp-two-clients.toml")), std::nullopt);
  app_->view().lang = Lang::Zh;
  app_->show_topology_node("S");
  frame();
  frame();
  EXPECT_NE(shown("###topology"), nullptr);
  EXPECT_TRUE(node_details_open());
}

TEST_F(TopologyView, UnknownNodeNameOpensNothing) {
  ASSERT_EQ(app_->open(lesson("tcp-two-clients.toml")), std::nullopt);
  app_->show_topology_node("no-such-host");
  frame();
  EXPECT_NE(shown("###topology"), nullptr);
  EXPECT_FALSE(node_details_open());
}

TEST_F(TopologyView, CaptureHasNoTopologyAndTheLadderKeepsItsPlace) {
  const std::string capture = std::string(WIRESTEP_CORPUS_DIR) + "/tcpdump/ssh.pcap";
  ASSERT_EQ(app_->open(capture), std::nullopt);
  app_->view().overview = false;
  app_->view().topology = true;
  EXPECT_GT(frame(), 0);
  EXPECT_EQ(shown("###topology"), nullptr);
}

TEST_F(TopologyView, PlayingMovesThroughALossyRunWithoutTrouble) {
  // Every frame of a played lossy run, with packets appearing, dying and leaving (ImGui checks IDs and
  // Begin/End pairs as it goes).
  ASSERT_EQ(app_->open(lesson("udp-loss.toml")), std::nullopt);
  app_->view().topology = true;
  app_->view().playing = true;
  app_->view().speed = 1.0;
  for (int i = 0; i < 90; ++i) EXPECT_GT(frame(1.0 / 60.0), 0);
  EXPECT_GT(app_->view().cursor.time_ns, 0);
}

// `wirestep shot --view topology` under Xvfb (ui_shot_test.cpp has the general checks).
void expect_topology_shot(const std::string& args) {
  ASSERT_EQ(testing::run_command_line("command -v xvfb-run").exit_code, 0) << "xvfb-run is missing";
  const std::string out =
      (std::filesystem::temp_directory_path() / ("wirestep-topo-" + std::to_string(::getpid()) + ".png"))
          .string();
  const auto r = testing::run_command_line("ASAN_OPTIONS=detect_leaks=0 xvfb-run -a -n " +
                                           std::to_string(100 + ::getpid() % 800) + " " +
                                           std::string(WIRESTEP_BINARY) + " shot " + args + " --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_GT(std::filesystem::file_size(out), 10'000u);
  std::filesystem::remove(out);
}

TEST(TopologyShot, TwoClientsMidRunRendersWithTheTopologyView) {
  expect_topology_shot(lesson("tcp-two-clients.toml") + " --view topology --at 15ms --size 1024x768");
}

TEST(TopologyShot, LossyRunWithANodeOpenRendersInChinese) {
  expect_topology_shot(lesson("udp-loss.toml") + " --view topology --node B --lang zh --size 1280x800");
}

TEST(TopologyShot, UnknownViewIsBadInput) {
  const auto r = testing::run_command_line(std::string(WIRESTEP_BINARY) + " shot " + lesson("udp-loss.toml") +
                                           " --view topolgy --out /tmp/never.png");
  EXPECT_EQ(r.exit_code, 2) << r.output;
}

}  // namespace ui_topology_view_test
}  // namespace wirestep::gui
