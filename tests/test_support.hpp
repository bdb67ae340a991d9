// Helpers shared by the test suites: run a command and capture its output, read files, temp paths.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace wirestep::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when it died by a signal
  std::string output;  // stdout and stderr together
};

inline CommandResult run_command_line(const std::string& command) {
  CommandResult r;
  FILE* pipe = popen(("( " + command + " ) 2>&1").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline bool have_tshark() {
  return run_command_line("command -v tshark").exit_code == 0;
}

// tshark is the outside oracle of the capture tests, and the test command installs it
// (scripts/install-deps.sh --test): a missing tshark fails the test instead of passing it unchecked.
#define WIRESTEP_REQUIRE_TSHARK()          \
  if (!::wirestep::testing::have_tshark()) \
  GTEST_FAIL()                             \
      << "tshark is the oracle of this test and is not installed: run ./scripts/install-deps.sh --test"

inline std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh directory under the system temp dir, removed when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "wirestep-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data()) ? tmpl : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::uint64_t fnv1a64(const std::vector<std::uint8_t>& bytes) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (auto b : bytes) {
    h ^= b;
    h *= 0x100000001B3ULL;
  }
  return h;
}

inline std::string source_path(const std::string& relative) {
  return std::string(WIRESTEP_SOURCE_DIR) + "/" + relative;
}
inline std::string wirestep_binary() {
  return WIRESTEP_BINARY;
}

}  // namespace wirestep::testing
