#include "sim/scenario/call_error_zh.hpp"

#include <cctype>

namespace wirestep {
namespace {

struct Phrase {
  std::string_view en;
  std::string_view zh;
};

// The reasons sim/net/host*.cpp, sim/tcp/*.cpp and sim/app/program.cpp give, longest first where one
// contains another.
constexpr Phrase kPhrases[] = {
    {"connection refused: RST in answer to our SYN", "连接被拒绝：对方以 RST 回应我方 SYN"},
    {"connection refused", "连接被拒绝"},
    {"connection timed out after ", "连接超时：已重传 "},
    {" retransmissions", " 次"},
    {"connection timed out: ", "连接超时："},
    {"connection timed out", "连接超时"},
    {" keep-alive probes unanswered", " 个保活探测无应答"},
    {"connection reset by peer", "连接被对端重置"},
    {"connection closed", "连接已关闭"},
    {"send failed: ", "send 失败："},
    {"recv failed: ", "recv 失败："},
    {"the socket is shut down for writing", "套接字的发送方向已关闭"},
    {"the socket is not connected", "套接字未连接"},
    {"the socket is not listening", "套接字未在监听"},
    {"the socket is already connected or listening", "套接字已连接或正在监听"},
    {"operation now in progress", "操作正在进行中"},
    {"not a TCP socket", "不是 TCP 套接字"},
    {"bad file descriptor", "无效的文件描述符"},
    {"no free ephemeral port", "没有空闲的临时端口"},
    {" is already in use", " 已被占用"},
    {"TCP port ", "TCP 端口 "},
    {"UDP port ", "UDP 端口 "},
    {" bytes exceed the 65507-byte UDP maximum", " 字节超过 UDP 上限 65507 字节"},
    {"sendto the sender: no datagram has been received yet", "无法回发给发送方：尚未收到任何数据报"},
    {"no socket named ", "没有这个名字的套接字："},
    // Routed networks (issue #18): errors ICMP and routing give (host_icmp.cpp, tcp_icmp_error.cpp).
    {"no route to host", "没有到主机的路由"},
    {": network is unreachable", " 的路由：网络不可达"},  // "no route to 10.1.0.2: network is ..."
    {"network is unreachable", "网络不可达"},
    {"protocol not available", "协议不可用"},
    {"no route to ", "没有通往 "},
};

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

}  // namespace

std::string call_error_zh(std::string_view english) {
  std::string s(english);
  // "line 7: " -> "第 7 行："
  if (s.starts_with("line ")) {
    std::size_t end = 5;
    while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end]))) ++end;
    if (end > 5 && s.compare(end, 2, ": ") == 0)
      s = "第 " + s.substr(5, end - 5) + " 行：" + s.substr(end + 2);
  }
  for (const Phrase& p : kPhrases) replace_all(s, p.en, p.zh);
  // The errno name in full-width brackets, and a full-width colon after a call's name ("connect: ").
  for (std::size_t at = s.find(" (E"); at != std::string::npos; at = s.find(" (E", at)) {
    const std::size_t close = s.find(')', at);
    if (close == std::string::npos) break;
    s = s.substr(0, at) + "（" + s.substr(at + 2, close - at - 2) + "）" + s.substr(close + 1);
  }
  replace_all(s, ": ", "：");
  return s;
}

}  // namespace wirestep
