// A packetdrill run in the desktop UI under Xvfb: a failing script's broken packet is drawn red on the ladder
// with its line and reason (in English and in Chinese), a passing script's ladder has no red at all.
// These tests need xvfb-run (scripts/install-deps.sh --test installs it): without it they fail, never skip.
#include <gtest/gtest.h>
#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace wirestep {
namespace ui_script_shot_test {

using testing::run_command_line;

constexpr int kWidth = 1400, kHeight = 900;

// Pixels of the lost-packet red (palette.hpp kLostHex, 0xD62728) inside the timeline, which sits between the
// left tabs and the right panels at this size.
long red_pixels_in_ladder(const std::string& args) {
  if (run_command_line("command -v xvfb-run").exit_code != 0) {
    ADD_FAILURE() << "xvfb-run is missing: install xvfb and xauth (scripts/install-deps.sh --test)";
    return -1;
  }
  const std::string out = (std::filesystem::temp_directory_path() /
                           ("wirestep-script-shot-" + std::to_string(::getpid()) + ".png"))
                              .string();
  const auto r =
      run_command_line("ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 xvfb-run -a -n " +
                       std::to_string(100 + ::getpid() % 800) + " " + std::string(WIRESTEP_BINARY) +
                       " shot " + args + " --size 1400x900 --out " + out);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const auto png = testing::read_bytes(out);
  std::filesystem::remove(out);
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &w, &h, &n, 3);
  if (!px || w != kWidth || h != kHeight) {
    ADD_FAILURE() << "no " << kWidth << "x" << kHeight << " PNG for " << args;
    if (px) stbi_image_free(px);
    return -1;
  }
  long red = 0;
  for (int y = kHeight / 5; y < kHeight - 60; ++y)
    for (int x = kWidth * 22 / 100; x < kWidth * 69 / 100; ++x) {
      const unsigned char* p = px + (static_cast<std::size_t>(y) * kWidth + x) * 3;
      if (std::abs(p[0] - 0xD6) < 12 && std::abs(p[1] - 0x27) < 12 && std::abs(p[2] - 0x28) < 12) ++red;
    }
  stbi_image_free(px);
  return red;
}

std::string shared(const std::string& name) {
  return std::string(WIRESTEP_PACKETDRILL_DIR) + "/" + name;
}

// https_client.pkt with line 32 expecting no PSH where the linux profile (as Linux) pushes: the script fails
// there, so that segment's arrow and the red "line 32: ..." note are drawn. The copy sits beside nothing
// is beside a copy of ../common (defaults.sh), as the script expects.
std::string failing_https_client() {
  std::ifstream in(shared("nagle/https_client.pkt"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string from = "+0 > P. 1543:2517(974) ack 144";
  const std::size_t at = text.find(from);
  if (at == std::string::npos) return {};
  text.replace(at, from.size(), "+0 > . 1543:2517(974) ack 144");
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / "wirestep-ui-script-shot";
  fs::create_directories(root / "nagle");
  fs::copy(fs::path(WIRESTEP_PACKETDRILL_DIR) / "common", root / "common",
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  const fs::path path = root / "nagle" / "https_client.pkt";
  std::ofstream(path) << text;
  return path.string();
}

TEST(UiScriptShot, AFailingScriptsBrokenPacketIsRedOnTheLadderInBothLanguages) {
  const std::string script = failing_https_client();
  ASSERT_FALSE(script.empty()) << "line 32 of https_client.pkt changed";
  EXPECT_GT(red_pixels_in_ladder(script), 800);
  EXPECT_GT(red_pixels_in_ladder(script + " --lang zh"), 800);
}

TEST(UiScriptShot, APassingScriptsLadderHasNoRed) {
  EXPECT_EQ(red_pixels_in_ladder(shared("close/close-remote-fin-then-close.pkt")), 0);
}

}  // namespace ui_script_shot_test
}  // namespace wirestep
