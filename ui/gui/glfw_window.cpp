#include "ui/gui/glfw_window.hpp"

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#define GLFW_INCLUDE_GLEXT
#include <GLFW/glfw3.h>

#include <cstdlib>
#include <cstring>

namespace wirestep::gui {
namespace {

std::string g_glfw_error;

void on_glfw_error(int code, const char* text) {
  g_glfw_error = "GLFW error " + std::to_string(code) + ": " + (text ? text : "");
}

}  // namespace

std::string no_display_message() {
  return "no display: run under Xvfb, e.g. xvfb-run -a wirestep shot ...";
}

bool display_available() {
  const char* x = std::getenv("DISPLAY");
  const char* w = std::getenv("WAYLAND_DISPLAY");
  return (x && *x) || (w && *w);
}

// The framebuffer-object entry points are not in libGL's OpenGL 1.x ABI: load them from the context.
struct GlfwWindow::Impl {
  GLFWwindow* window = nullptr;
  bool imgui_glfw = false, imgui_gl = false;
  GLuint fbo = 0, color_rb = 0;
  PFNGLGENFRAMEBUFFERSPROC gen_framebuffers = nullptr;
  PFNGLBINDFRAMEBUFFERPROC bind_framebuffer = nullptr;
  PFNGLDELETEFRAMEBUFFERSPROC delete_framebuffers = nullptr;
  PFNGLGENRENDERBUFFERSPROC gen_renderbuffers = nullptr;
  PFNGLBINDRENDERBUFFERPROC bind_renderbuffer = nullptr;
  PFNGLDELETERENDERBUFFERSPROC delete_renderbuffers = nullptr;
  PFNGLRENDERBUFFERSTORAGEPROC renderbuffer_storage = nullptr;
  PFNGLFRAMEBUFFERRENDERBUFFERPROC framebuffer_renderbuffer = nullptr;
  PFNGLCHECKFRAMEBUFFERSTATUSPROC check_framebuffer_status = nullptr;
  std::vector<std::string> dropped;
};

std::unique_ptr<GlfwWindow> GlfwWindow::create(int width, int height, bool offscreen,
                                               const std::string& title, std::string& error) {
  if (!display_available()) {
    error = no_display_message();
    return nullptr;
  }
  glfwSetErrorCallback(on_glfw_error);
  if (!glfwInit()) {
    error = no_display_message() + " (" + g_glfw_error + ")";
    return nullptr;
  }
  std::unique_ptr<GlfwWindow> w(new GlfwWindow());
  w->impl_ = std::make_unique<Impl>();
  w->width_ = width;
  w->height_ = height;
  w->offscreen_ = offscreen;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  if (offscreen) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  GLFWwindow* win = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
  if (!win) {
    error = "cannot create an OpenGL 3.3 window (" + g_glfw_error + ")";
    glfwTerminate();
    return nullptr;
  }
  Impl& im = *w->impl_;
  im.window = win;
  glfwMakeContextCurrent(win);
  glfwSwapInterval(offscreen ? 0 : 1);
  glfwSetWindowUserPointer(win, &im);
  glfwSetDropCallback(win, [](GLFWwindow* gw, int count, const char** paths) {
    auto* impl = static_cast<Impl*>(glfwGetWindowUserPointer(gw));
    for (int i = 0; i < count; ++i) impl->dropped.emplace_back(paths[i]);
  });

  if (offscreen) {
    auto load = [](const char* name) { return glfwGetProcAddress(name); };
    im.gen_framebuffers = reinterpret_cast<PFNGLGENFRAMEBUFFERSPROC>(load("glGenFramebuffers"));
    im.bind_framebuffer = reinterpret_cast<PFNGLBINDFRAMEBUFFERPROC>(load("glBindFramebuffer"));
    im.delete_framebuffers = reinterpret_cast<PFNGLDELETEFRAMEBUFFERSPROC>(load("glDeleteFramebuffers"));
    im.gen_renderbuffers = reinterpret_cast<PFNGLGENRENDERBUFFERSPROC>(load("glGenRenderbuffers"));
    im.bind_renderbuffer = reinterpret_cast<PFNGLBINDRENDERBUFFERPROC>(load("glBindRenderbuffer"));
    im.delete_renderbuffers = reinterpret_cast<PFNGLDELETERENDERBUFFERSPROC>(load("glDeleteRenderbuffers"));
    im.renderbuffer_storage = reinterpret_cast<PFNGLRENDERBUFFERSTORAGEPROC>(load("glRenderbufferStorage"));
    im.framebuffer_renderbuffer =
        reinterpret_cast<PFNGLFRAMEBUFFERRENDERBUFFERPROC>(load("glFramebufferRenderbuffer"));
    im.check_framebuffer_status =
        reinterpret_cast<PFNGLCHECKFRAMEBUFFERSTATUSPROC>(load("glCheckFramebufferStatus"));
    if (!im.gen_framebuffers || !im.bind_framebuffer || !im.gen_renderbuffers || !im.bind_renderbuffer ||
        !im.renderbuffer_storage || !im.framebuffer_renderbuffer || !im.check_framebuffer_status) {
      error = "OpenGL framebuffer objects are not available";
      return nullptr;
    }
    im.gen_framebuffers(1, &im.fbo);
    im.bind_framebuffer(GL_FRAMEBUFFER, im.fbo);
    im.gen_renderbuffers(1, &im.color_rb);
    im.bind_renderbuffer(GL_RENDERBUFFER, im.color_rb);
    im.renderbuffer_storage(GL_RENDERBUFFER, GL_RGBA8, width, height);
    im.framebuffer_renderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, im.color_rb);
    if (im.check_framebuffer_status(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
      error = "cannot create a " + std::to_string(width) + "x" + std::to_string(height) +
              " offscreen framebuffer";
      return nullptr;
    }
  }

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  im.imgui_glfw = ImGui_ImplGlfw_InitForOpenGL(win, !offscreen);
  im.imgui_gl = ImGui_ImplOpenGL3_Init("#version 150");
  if (!im.imgui_glfw || !im.imgui_gl) {
    error = "Dear ImGui could not start its GLFW/OpenGL 3 backends";
    return nullptr;
  }
  return w;
}

GlfwWindow::~GlfwWindow() {
  if (!impl_) return;
  Impl& im = *impl_;
  if (im.imgui_gl) ImGui_ImplOpenGL3_Shutdown();
  if (im.imgui_glfw) ImGui_ImplGlfw_Shutdown();
  if (ImGui::GetCurrentContext()) ImGui::DestroyContext();
  if (im.fbo && im.delete_framebuffers) im.delete_framebuffers(1, &im.fbo);
  if (im.color_rb && im.delete_renderbuffers) im.delete_renderbuffers(1, &im.color_rb);
  if (im.window) glfwDestroyWindow(im.window);
  glfwTerminate();
}

bool GlfwWindow::should_close() const {
  return glfwWindowShouldClose(impl_->window);
}

double GlfwWindow::time_s() const {
  return glfwGetTime();
}

std::vector<std::string> GlfwWindow::take_dropped() {
  std::vector<std::string> out;
  out.swap(impl_->dropped);
  return out;
}

void GlfwWindow::new_frame(double timeout_s) {
  if (timeout_s > 0)
    glfwWaitEventsTimeout(timeout_s);
  else
    glfwPollEvents();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  if (offscreen_) {
    // The hidden window's size is whatever the X server allows; the framebuffer object is exact.
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(width_), static_cast<float>(height_));
    io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  }
  ImGui::NewFrame();
}

void GlfwWindow::render() {
  ImGui::Render();
  Impl& im = *impl_;
  int fb_w = width_, fb_h = height_;
  if (offscreen_)
    im.bind_framebuffer(GL_FRAMEBUFFER, im.fbo);
  else
    glfwGetFramebufferSize(im.window, &fb_w, &fb_h);
  glViewport(0, 0, fb_w, fb_h);
  glClearColor(0.96f, 0.97f, 0.98f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (offscreen_)
    glFinish();
  else
    glfwSwapBuffers(im.window);
}

bool GlfwWindow::read_rgba(std::vector<std::uint8_t>& out) const {
  if (!offscreen_) return false;
  const std::size_t row = static_cast<std::size_t>(width_) * 4;
  std::vector<std::uint8_t> raw(row * static_cast<std::size_t>(height_));
  impl_->bind_framebuffer(GL_FRAMEBUFFER, impl_->fbo);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, raw.data());
  if (glGetError() != GL_NO_ERROR) return false;
  // OpenGL's first row is the bottom one; PNG's is the top.
  out.resize(raw.size());
  for (int y = 0; y < height_; ++y)
    std::memcpy(out.data() + static_cast<std::size_t>(y) * row,
                raw.data() + static_cast<std::size_t>(height_ - 1 - y) * row, row);
  return true;
}

}  // namespace wirestep::gui
