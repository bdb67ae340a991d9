// Hovering a simulated host's name over its lane opens a tooltip with its interfaces as `ip a` prints them
// (issue #18). ImGui's log stops at the first window's End, so the tooltip is recognised by its size: the
// `ip a` lines make it far wider and taller than a packet's tooltip.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include "headless_app.hpp"

namespace wirestep::gui {
namespace ui_host_interfaces_test {

class HostInterfacesTooltip : public HeadlessAppTest {
 protected:
  // The tooltip's size after two frames with the mouse at `pos` (hover needs a frame to settle); 0x0 if none.
  ImVec2 tooltip_at(ImVec2 pos) {
    ImGui::GetIO().MousePos = pos;
    frame();
    frame();
    ImGuiWindow* t = ImGui::FindWindowByName("##Tooltip_00");
    return t && t->Active ? t->Size : ImVec2{0, 0};
  }
  ImRect timeline_content() {
    frame();
    frame();
    ImGuiWindow* w = ImGui::FindWindowByName("###timeline");
    return w ? w->ContentRegionRect : ImRect{};
  }
};

TEST_F(HostInterfacesTooltip, HoveringLaneHeaderShowsTheHostsIpALines) {
  ASSERT_EQ(app_->open(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/tcp-handshake.toml"), std::nullopt);
  const ImRect r = timeline_content();
  ASSERT_GT(r.GetWidth(), 100.0f);
  const float header_y = r.Min.y + 4.0f;
  // Over the header, where the host names are: a tooltip with nine `ip a` lines, the bits and the parts.
  const ImVec2 a = tooltip_at({r.Min.x + r.GetWidth() * 0.25f, header_y});
  const ImVec2 b = tooltip_at({r.Min.x + r.GetWidth() * 0.75f, header_y});
  for (const ImVec2& s : {a, b}) {
    EXPECT_GT(s.x, 600.0f) << "an `ip a` line is ~100 characters";
    EXPECT_GT(s.y, 12.0f * ImGui::GetFontSize()) << "title, 8 `ip a` lines, bits, parts";
  }
  // Over a packet in the middle of the ladder: the packet's own, smaller tooltip (or none), not the host's.
  const ImVec2 mid = tooltip_at({r.Min.x + r.GetWidth() * 0.5f, r.Min.y + r.GetHeight() * 0.3f});
  EXPECT_LT(mid.x, 600.0f);
}

TEST_F(HostInterfacesTooltip, ChineseUiShowsTheSameTooltip) {
  ASSERT_EQ(app_->open(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/tcp-handshake.toml"), std::nullopt);
  app_->view().lang = Lang::Zh;
  const ImRect r = timeline_content();
  const ImVec2 a = tooltip_at({r.Min.x + r.GetWidth() * 0.25f, r.Min.y + 4.0f});
  EXPECT_GT(a.x, 600.0f);
}

TEST_F(HostInterfacesTooltip, CaptureLanesHaveNoHostTooltip) {
  const std::string capture = std::string(WIRESTEP_CORPUS_DIR) + "/tcpdump/ssh.pcap";
  ASSERT_EQ(app_->open(capture), std::nullopt);
  const ImRect r = timeline_content();
  for (float f : {0.2f, 0.5f, 0.8f}) {
    const ImVec2 s = tooltip_at({r.Min.x + r.GetWidth() * f, r.Min.y + 4.0f});
    EXPECT_LT(s.x, 600.0f) << "a capture has no simulated hosts to describe";
  }
}

}  // namespace ui_host_interfaces_test
}  // namespace wirestep::gui
