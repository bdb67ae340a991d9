// The whole UI without a window, for tests: ImGui's own context and font atlas (so ImGui's checks on
// Begin/End pairs, the ID stack and clip rects run over the drawing code) and one App, a frame at a time.
#pragma once

#include <gtest/gtest.h>
#include <imgui.h>

#include <memory>

#include "ui/gui/app.hpp"

namespace wirestep::gui {

class HeadlessApp {
 public:
  HeadlessApp() {
    ImGui::CreateContext();
    app_ = std::make_unique<App>();
    app_->setup_imgui();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1400, 900);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // what a backend would upload; here it stays in memory
  }
  ~HeadlessApp() {
    app_.reset();
    ImGui::DestroyContext();
  }
  HeadlessApp(const HeadlessApp&) = delete;
  HeadlessApp& operator=(const HeadlessApp&) = delete;

  App& app() { return *app_; }
  // One frame `dt` seconds after the last; returns the vertices drawn (a frame that draws nothing is a
  // failure too).
  int frame(double dt = 1.0 / 60.0) {
    ImGui::GetIO().DeltaTime = static_cast<float>(dt);
    ImGui::NewFrame();
    app_->frame(dt);
    ImGui::Render();
    return ImGui::GetDrawData()->TotalVtxCount;
  }

 private:
  std::unique_ptr<App> app_;
};

// A fixture with one HeadlessApp: `app_` is its App, `frame()` draws one frame.
class HeadlessAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ui_ = std::make_unique<HeadlessApp>();
    app_ = &ui_->app();
  }
  void TearDown() override {
    app_ = nullptr;
    ui_.reset();
  }
  int frame(double dt = 1.0 / 60.0) { return ui_->frame(dt); }

  std::unique_ptr<HeadlessApp> ui_;
  App* app_ = nullptr;
};

}  // namespace wirestep::gui
