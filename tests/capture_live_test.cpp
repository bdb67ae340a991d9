// Live capture on loopback (root in CI): frames appear as they are captured and the pcap is written as it
// goes. Traffic stays on 127.0.0.1, as the project's network rules require.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "test_support.hpp"

namespace wirestep {
namespace capture_live_test {

// Sends UDP datagrams to 127.0.0.1:port every 50 ms until `pid` exits (or 10 s pass).
void send_until_exit(pid_t pid, std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < 200; ++i) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) break;
    const char msg[] = "wirestep live test";
    sendto(fd, msg, sizeof msg - 1, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  close(fd);
}

TEST(CaptureLive, LoopbackCaptureWritesTheFramesItPrints) {
  testing::TempDir dir;
  const std::string pcap = dir.file("live.pcap"), log = dir.file("live.log");
  const std::uint16_t port = 47000 + static_cast<std::uint16_t>(getpid() % 1000);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string cmd = testing::wirestep_binary() + " capture -i lo --filter 'udp port " +
                            std::to_string(port) + "' --count 3 --duration 20 -w " + pcap + " > " + log +
                            " 2>&1";
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  send_until_exit(pid, port);
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string output = testing::read_text(log);
  ASSERT_TRUE(WIFEXITED(status)) << output;
  ASSERT_EQ(WEXITSTATUS(status), 0) << output;
  EXPECT_NE(output.find("3 frames captured, 3 udp"), std::string::npos) << output;
  EXPECT_NE(output.find("> 127.0.0.1:" + std::to_string(port) + "  UDP len=18"), std::string::npos) << output;
  // The file, read by tshark, holds the same three frames.
  auto ports = testing::run_command_line("tshark -r " + pcap + " -T fields -e udp.dstport 2>/dev/null");
  const std::string p = std::to_string(port) + "\n";
  EXPECT_EQ(ports.output, p + p + p);
}

TEST(CaptureLive, UnknownInterfaceIsOneClearMessageAndExitTwo) {
  auto r = testing::run_command_line(testing::wirestep_binary() + " capture -i nosuch0 --count 1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("interface nosuch0: No such device (see `wirestep interfaces`"), std::string::npos)
      << r.output;
}

TEST(CaptureLive, BadFilterIsRejectedWithLibpcapsReason) {
  auto r = testing::run_command_line(testing::wirestep_binary() +
                                     " capture -i lo --filter 'udp prot 9' --count 1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("filter \"udp prot 9\""), std::string::npos) << r.output;
}

}  // namespace capture_live_test
}  // namespace wirestep
