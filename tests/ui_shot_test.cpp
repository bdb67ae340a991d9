// The desktop UI under Xvfb: `wirestep shot` renders the handshake lesson, a TCP-vs-UDP comparison with loss,
// a corpus capture and a synthetic million-packet Trace into PNGs of the requested size that are not blank.
// These tests need xvfb-run (scripts/install-deps.sh --test installs it): without it they fail, never skip.
#include <gtest/gtest.h>
#include <stb_image.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "test_support.hpp"

namespace wirestep {
namespace ui_shot_test {

using testing::run_command_line;

std::string tmp_png(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("wirestep-ui-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

bool have_xvfb_run() {
  return run_command_line("command -v xvfb-run").exit_code == 0;
}

// ctest runs tests in parallel, and two `xvfb-run -a` starting together can pick the same display number:
// start each process's search at its own number.
std::string xvfb_run() {
  return "xvfb-run -a -n " + std::to_string(100 + ::getpid() % 800) + " ";
}

// Width and height from the PNG's IHDR chunk (bytes 16..23, big-endian), without decoding.
std::pair<std::uint32_t, std::uint32_t> png_size(const std::vector<std::uint8_t>& png) {
  if (png.size() < 24 || png[0] != 0x89 || png[1] != 'P' || png[12] != 'I' || png[13] != 'H') return {0, 0};
  auto be32 = [&](std::size_t o) {
    return static_cast<std::uint32_t>(png[o]) << 24 | static_cast<std::uint32_t>(png[o + 1]) << 16 |
           static_cast<std::uint32_t>(png[o + 2]) << 8 | png[o + 3];
  };
  return {be32(16), be32(20)};
}

// Variance of the grey level over every pixel: a blank (single-colour) image has none.
double pixel_variance(const std::vector<std::uint8_t>& png) {
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &w, &h, &n, 3);
  if (!px) return -1;
  double sum = 0, sum2 = 0;
  const std::size_t count = static_cast<std::size_t>(w) * static_cast<std::size_t>(h);
  for (std::size_t i = 0; i < count; ++i) {
    const double g = (px[i * 3] + px[i * 3 + 1] + px[i * 3 + 2]) / 3.0;
    sum += g;
    sum2 += g * g;
  }
  stbi_image_free(px);
  const double mean = sum / static_cast<double>(count);
  return sum2 / static_cast<double>(count) - mean * mean;
}

void expect_shot(const std::string& args, const std::string& name, std::uint32_t w, std::uint32_t h) {
  ASSERT_TRUE(have_xvfb_run())
      << "xvfb-run is missing: install xvfb and xauth (scripts/install-deps.sh --test)";
  const std::string out = tmp_png(name);
  // Under AddressSanitizer the software OpenGL driver (Mesa) leaks a few bytes at exit from a library it has
  // already unloaded, so LeakSanitizer cannot name them to suppress: the UI's own code is leak-checked
  // in-process by ui_frame_test.cpp instead.
  const auto r = run_command_line("ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 " + xvfb_run() +
                                  std::string(WIRESTEP_BINARY) + " shot " + args + " --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto png = testing::read_bytes(out);
  std::filesystem::remove(out);
  EXPECT_EQ(png_size(png), std::make_pair(w, h));
  const double variance = pixel_variance(png);
  // The UI on a light background with text, lanes and coloured arrows: far from uniform.
  EXPECT_GT(variance, 100.0) << name << " looks blank";
}

TEST(UiShot, HandshakeLessonRendersAtTheRequestedSize) {
  expect_shot(std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/tcp-handshake.toml --size 1280x800",
              "handshake.png", 1280, 800);
}

TEST(UiShot, TcpVersusUdpComparisonWithLossRenders) {
  expect_shot(
      std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/compare-tcp-udp-5pct.toml --size 1280x800 --at 300ms",
      "compare.png", 1280, 800);
}

TEST(UiShot, SelectedPacketInChineseRenders) {
  expect_shot(
      std::string(WIRESTEP_SOURCE_DIR) + "/scenarios/udp-sendto.toml --size 1024x768 --select 1 --lang zh",
      "udp-zh.png", 1024, 768);
}

TEST(UiShot, CorpusCaptureRenders) {
  const std::string capture = std::string(WIRESTEP_CORPUS_DIR) + "/tcpdump/ssh.pcap";
  ASSERT_TRUE(std::filesystem::exists(capture)) << capture;
  expect_shot(capture + " --size 1280x800 --select 4", "capture.png", 1280, 800);
}

TEST(UiShot, MillionPacketTraceRenders) {
  expect_shot("--synthetic-packets 1000000 --size 1280x800", "million.png", 1280, 800);
}

TEST(UiShot, NoDisplayExitsTwoWithOneClearMessage) {
  const auto r = run_command_line("env -u DISPLAY -u WAYLAND_DISPLAY " + std::string(WIRESTEP_BINARY) +
                                  " shot " + std::string(WIRESTEP_SOURCE_DIR) +
                                  "/scenarios/tcp-handshake.toml --out " + tmp_png("never.png"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("no display: run under Xvfb, e.g. xvfb-run -a wirestep shot"), std::string::npos)
      << r.output;
  const auto g =
      run_command_line("env -u DISPLAY -u WAYLAND_DISPLAY " + std::string(WIRESTEP_BINARY) + " gui");
  EXPECT_EQ(g.exit_code, 2);
  EXPECT_NE(g.output.find("no display"), std::string::npos) << g.output;
}

TEST(UiShot, BadArgumentsAreBadInput) {
  const std::string bin = WIRESTEP_BINARY;
  EXPECT_EQ(run_command_line(bin + " shot x.toml --out /tmp/x.png --size 12x").exit_code, 2);
  const auto r = run_command_line(bin + " shot /nonexistent.toml --out " + tmp_png("bad.png"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("nonexistent.toml"), std::string::npos) << r.output;
}

}  // namespace ui_shot_test
}  // namespace wirestep
