// The only file that knows GLFW and OpenGL: a window with an OpenGL 3.3 core context and Dear ImGui's GLFW
// and OpenGL 3 backends, either on screen (`wirestep gui`) or hidden, rendering into an offscreen framebuffer
// of an exact size whose pixels can be read back (`wirestep shot`).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace wirestep::gui {

class GlfwWindow {
 public:
  // Creates the window, the GL context and the ImGui context with its backends. nullptr with `error` set when
  // there is no display or no usable OpenGL.
  static std::unique_ptr<GlfwWindow> create(int width, int height, bool offscreen, const std::string& title,
                                            std::string& error);
  ~GlfwWindow();
  GlfwWindow(const GlfwWindow&) = delete;
  GlfwWindow& operator=(const GlfwWindow&) = delete;

  bool should_close() const;
  // Waits for input (up to `timeout_s`; 0 = just poll), then starts an ImGui frame.
  void new_frame(double timeout_s);
  // Renders the ImGui frame; on screen it is also presented.
  void render();
  // Offscreen only: the last rendered frame, RGBA, top row first.
  bool read_rgba(std::vector<std::uint8_t>& out) const;
  int width() const { return width_; }
  int height() const { return height_; }
  double time_s() const;
  // Files dropped onto the window since the last call.
  std::vector<std::string> take_dropped();

 private:
  GlfwWindow() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int width_ = 0, height_ = 0;
  bool offscreen_ = false;
};

// "no display: run under Xvfb, e.g. xvfb-run -a wirestep shot ..." when neither X11 nor Wayland is there.
std::string no_display_message();
bool display_available();

}  // namespace wirestep::gui
