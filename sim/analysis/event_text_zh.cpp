#include "sim/analysis/event_text_zh.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace wirestep {
namespace {

struct Phrase {
  std::string_view en;
  std::string_view zh;
};

// Whole phrases first, then the pieces they are built from: a longer phrase must be replaced before a
// shorter one it contains ("our FIN was acknowledged: ..." before "our FIN was acknowledged").
constexpr Phrase kPhrases[] = {
    // State-change reasons (tcp_connection.cpp, tcp_input.cpp, host_tcp.cpp).
    {"listen() makes a passive socket that waits for clients", "listen() 创建被动套接字，等待客户端连接"},
    {"close() on the listening socket: no new clients", "在监听套接字上调用 close()：不再接受新客户端"},
    {"connect() sends SYN", "connect() 发送 SYN"},
    {"SYN received by a listening socket", "监听套接字收到 SYN"},
    {"close() before the handshake finished", "握手完成前调用了 close()"},
    {"close()/shutdown(): FIN queued after the data", "close()/shutdown()：FIN 排在数据之后发送"},
    {"close() after the peer's FIN: send our FIN", "收到对端 FIN 后调用 close()：发送我方 FIN"},
    {"abort: connection reset by the application", "中止：应用程序重置了连接"},
    {"2*MSL elapsed in TIME-WAIT", "TIME-WAIT 已持续 2*MSL"},
    {"SYN,ACK received in SYN-RECEIVED: the simultaneous open is complete",
     "在 SYN-RECEIVED 状态收到 SYN,ACK：同时打开完成"},
    {"ACK of our SYN,ACK received: the handshake is complete", "收到对我方 SYN,ACK 的 ACK：握手完成"},
    {"SYN,ACK received: the handshake is complete", "收到 SYN,ACK：握手完成"},
    {"SYN received while in SYN-SENT (simultaneous open)", "在 SYN-SENT 状态收到 SYN（同时打开）"},
    {"RST received while closing", "关闭过程中收到 RST"},
    {"FIN received: the peer has finished sending", "收到 FIN：对端已发送完毕"},
    {"FIN received and our FIN is acknowledged", "收到 FIN，且我方 FIN 已被确认"},
    {"FIN received before our FIN was acknowledged (simultaneous close)",
     "我方 FIN 被确认前收到 FIN（同时关闭）"},
    {"FIN received after our FIN was acknowledged", "我方 FIN 被确认后收到 FIN"},
    {"our FIN was acknowledged after the peer's FIN (simultaneous close)",
     "对端 FIN 之后我方 FIN 被确认（同时关闭）"},
    {"our FIN was acknowledged: the connection is closed", "我方 FIN 已被确认：连接关闭"},
    {"our FIN was acknowledged", "我方 FIN 已被确认"},
    // Blocking calls and their returns (host.cpp, host_tcp.cpp, trace.cpp).
    {"recv blocks: no data has arrived yet", "recv 阻塞：尚无数据到达"},
    {"recvfrom blocks: no datagram queued yet", "recvfrom 阻塞：队列中尚无数据报"},
    {"accept blocks: no connection has completed the handshake yet", "accept 阻塞：尚无完成握手的连接"},
    {"connect blocks until the three-way handshake completes", "connect 阻塞，直到三次握手完成"},
    {"recv -> 0 (end of stream: the peer closed)", "recv -> 0（流结束：对端已关闭）"},
    {"connect -> 0 (connected)", "connect -> 0（已连接）"},
    {"-> error: ", "-> 错误："},
    {"accept -> new fd ", "accept -> 新 fd "},
    {" for (\"", "，对端 (\""},
    {" bytes from (", "字节，来自 ("},
    // Errors a call returns (tcp_connection.cpp, tcp_input.cpp, host*.cpp, program.cpp).
    {"connection timed out after ", "连接超时：已重传 "},
    {" retransmissions (ETIMEDOUT)", " 次（ETIMEDOUT）"},
    {" retransmissions: ", " 次："},  // a soft ICMP error named instead of ETIMEDOUT (tcp_icmp_error.cpp)
    {"connection timed out: ", "连接超时："},
    {" keep-alive probes unanswered (ETIMEDOUT)", " 个保活探测无应答（ETIMEDOUT）"},
    {"connection refused: RST in answer to our SYN (ECONNREFUSED)",
     "连接被拒绝：对方以 RST 回应我方 SYN（ECONNREFUSED）"},
    {"connection reset by peer (ECONNRESET)", "连接被对端重置（ECONNRESET）"},
    {"connection closed (EPIPE)", "连接已关闭（EPIPE）"},
    {"connection closed", "连接已关闭"},
    {"send failed: ", "send 失败："},
    {"recv failed: ", "recv 失败："},
    {" stopped: ", " 已停止："},
    {"sendto the sender: no datagram has been received yet", "无法回发给发送方：尚未收到任何数据报"},
    {"no socket named ", "没有这个名字的套接字："},
    {"the socket is shut down for writing", "套接字的发送方向已关闭"},
    {"the socket is not connected", "套接字未连接"},
    {"the socket is not listening", "套接字未在监听"},
    {"the socket is already connected or listening", "套接字已连接或正在监听"},
    {"not a TCP socket", "不是 TCP 套接字"},
    {"bad file descriptor", "无效的文件描述符"},
    {"no free ephemeral port", "没有空闲的临时端口"},
    {" is already in use", " 已被占用"},
    {" is already bound to port ", " 已绑定到端口 "},
    {" bytes exceed the 65507-byte UDP maximum", " 字节超过 UDP 上限 65507 字节"},
    {"bind on fd ", "bind fd "},
    {"sendto on fd ", "sendto fd "},
    {"close on fd ", "close fd "},
    {"listen on fd ", "listen fd "},
    // Routed networks (issue #18: network_routed.cpp, network_arp.cpp, host_icmp.cpp): before "no route to ".
    {": network is unreachable (ENETUNREACH)", " 的路由：网络不可达（ENETUNREACH）"},
    {"no route to host (EHOSTUNREACH)", "没有到主机的路由（EHOSTUNREACH）"},
    {"connection refused (ECONNREFUSED)", "连接被拒绝（ECONNREFUSED）"},
    {"protocol not available (ENOPROTOOPT)", "协议不可用（ENOPROTOOPT）"},
    {"the UDP socket is not connected (EDESTADDRREQ)", "UDP 套接字未连接（EDESTADDRREQ）"},
    {"invalid argument (EINVAL)", "无效参数（EINVAL）"},
    {": ICMP network unreachable to the sender", " 的路由：向发送方回复 ICMP 网络不可达"},
    {"ICMP error (type ", "ICMP 差错（类型 "},
    {", code ", "，代码 "},
    {") from ", "）来自 "},
    {", about ", "，涉及 "},
    {"ICMP rate limit: the error to ", "ICMP 速率限制：发往 "},
    {" is not sent (Linux icmp_ratelimit, icmp_msgs_per_sec)",
     " 的差错报文不发送（Linux icmp_ratelimit、icmp_msgs_per_sec）"},
    {"ARP: who has ", "ARP：谁是 "},
    {"? the packet waits for the answer", "？数据包排队等待回答"},
    {"ARP: no answer from ", "ARP：没有收到 "},
    {" after 3 requests: host unreachable, ", " 的回答（已询问 3 次）：主机不可达，"},
    {" queued packet(s) dropped", " 个排队的数据包被丢弃"},
    {"ARP queue for ", "等待 ARP 回答 "},
    {" full: oldest packet dropped", " 的队列已满：丢弃最早的数据包"},
    {"TTL of a packet to ", "发往 "},
    {" reached 0: discarded, ICMP time exceeded to ",
     " 的数据包 TTL 减到 0：已丢弃，向发送方回复 ICMP 超时："},
    {"network interface ", "网络接口 "},
    {"\" printed \"", "\" 输出 \""},
    {" has no link: the packet is lost", " 没有接链路：数据包丢失"},
    // Notes (host.cpp, host_tcp.cpp, network.cpp).
    {"implicit bind to ephemeral port ", "隐式绑定到临时端口 "},
    {"discarded a corrupted packet: checksum error", "丢弃了一个损坏的数据包：校验和错误"},
    {"datagram to UDP port ", "发往 UDP 端口 "},
    {" dropped: no socket is bound there", " 的数据报被丢弃：该端口没有绑定套接字"},
    {"datagram dropped: receive buffer full (", "数据报被丢弃：接收缓冲区已满（"},
    {"SYN from ", "来自 "},
    {" dropped: the listen backlog (", " 的 SYN 被丢弃：监听队列（backlog "},
    {") is full", "）已满"},
    {"TCP segment to port ", "发往端口 "},
    {": nobody listens there, answering with RST", " 的 TCP 报文段：无人监听，以 RST 回应"},
    // PAWS (tcp_input.cpp, RFC 7323 §5).
    {"PAWS (RFC 7323 §5): segment dropped, its TSval ", "PAWS（RFC 7323 §5）：报文段被丢弃，其 TSval "},
    {" is older than TS.Recent ", " 早于 TS.Recent "},
    {"no route to ", "没有通往 "},
    // SACK loss recovery (sack_recovery.cpp).
    {"SACK loss recovery (RFC 6675, RACK, PRR) until sequence ",
     "SACK 丢包恢复（RFC 6675、RACK、PRR），直到序号 "},
    {": packet dropped", " 的路由：数据包被丢弃"},
    // F-RTO (sack_recovery.cpp, RFC 5682).
    {"F-RTO: the timeout was spurious (RFC 5682 §3 step 3b); cwnd ",
     "F-RTO：这次超时是虚假的（RFC 5682 §3 第 3b 步）；cwnd "},
    {" and ssthresh ", " 和 ssthresh "},
    {" restored", " 已恢复"},
    // Timers (trace.cpp): the name, then what happened to it.
    {"retransmission timer", "重传定时器"},
    {"persist timer", "坚持定时器"},
    {"delayed-ack timer", "延迟确认定时器"},
    {"time-wait timer", "TIME-WAIT 定时器"},
    {"keep-alive timer", "保活定时器"},
    {"sack-compress timer", "SACK 压缩定时器"},
    {" fired", "触发"},
    {" cancelled", "取消"},
    {" set for ", "设为 "},
    // A capture's inferred state change names the frame that showed it (connection_state.cpp).
    {"frame ", "帧 "},
};

// Drop rules (link.cpp, impairment.cpp, network.cpp): short words like " and " are safe only here, never in
// event texts ("send" holds "end").
constexpr Phrase kRulePhrases[] = {
    {"no route: no link leads to the destination address", "无路由：没有链路通往目的地址"},
    {"TTL exceeded: a router discards a packet whose TTL reaches 0",
     "TTL 超时：路由器丢弃 TTL 减到 0 的数据包"},
    {"not for this host, and it does not forward", "不是发给本机的，而本机不转发"},
    {"frame for another MAC address: the card ignores it", "发给其他 MAC 地址的帧：网卡忽略它"},
    {"no ARP answer for the next hop: the router drops the packet",
     "下一跳没有 ARP 回答：路由器丢弃该数据包"},
    {" packets, drop-tail)", " 个数据包，尾部丢弃）"},
    {" queue full (", " 队列已满（"},
    {"link ", "链路 "},
    {" rule ", " 规则 "},
    {"bernoulli loss ", "伯努利丢包 "},
    {"gilbert-elliott loss ", "Gilbert-Elliott 丢包 "},
    {"scripted drop of ", "脚本丢弃："},
    {"scripted delay of ", "脚本延迟："},
    {"scripted copy of ", "脚本复制："},
    {"scripted corruption of ", "脚本损坏："},
    {"duplication ", "复制 "},
    {"reordering ", "乱序 "},
    {"corruption ", "损坏 "},
    {"tcp packets", "TCP 数据包"},
    {"udp packets", "UDP 数据包"},
    {"datagram", "数据报"},
    {"packets", "数据包"},
    {" between start", " 从开始"},
    {" between ", " 从 "},
    {" and end", " 到结束"},
    {" and ", " 到 "},
};

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::string event_text(Lang lang, EventKind kind, std::string_view english) {
  std::string s(english);
  if (lang == Lang::En) return s;
  (void)kind;  // the phrases do not overlap across kinds; kept so a kind-specific rule has a place
  for (const Phrase& p : kPhrases) replace_all(s, p.en, p.zh);
  // "bytes" after a number becomes 字节 with no space, so a wrapped line never separates the number from
  // its unit. Plain scans, not std::regex: a big run translates every event once when it loads.
  if (const auto t = s.find(" (truncated from "); t != std::string::npos) {
    const auto close = s.find(')', t);
    if (close != std::string::npos) s.replace(close, 1, "字节）");
    s.replace(t, 17, "（截断，原长 ");
  }
  for (std::size_t pos = 0; (pos = s.find(" bytes", pos)) != std::string::npos;) {
    if (pos > 0 && is_digit(s[pos - 1]))
      s.replace(pos, 6, "字节");
    else
      ++pos;
  }
  // A phrase opened a full-width parenthesis around a number ("缓冲区已满（100字节)"): close it to match.
  static constexpr std::string_view kOpen = "（", kClose = "）";
  for (std::size_t at = 0; (at = s.find(kOpen, at)) != std::string::npos; at += kOpen.size()) {
    const auto ascii = s.find(')', at), full = s.find(kClose, at), next = s.find(kOpen, at + kOpen.size());
    if (ascii != std::string::npos && ascii < full && ascii < next) s.replace(ascii, 1, kClose);
  }
  // A program's error names its line: "line 7: " (program.cpp).
  if (const auto at = s.find("line "); at != std::string::npos) {
    std::size_t end = at + 5;
    while (end < s.size() && is_digit(s[end])) ++end;
    if (end > at + 5 && s.compare(end, 2, ": ") == 0)
      s = s.substr(0, at) + "第 " + s.substr(at + 5, end - at - 5) + " 行：" + s.substr(end + 2);
  }
  return s;
}

std::string drop_rule_text(Lang lang, std::string_view english) {
  std::string s(english);
  if (lang == Lang::En) return s;
  for (const Phrase& p : kRulePhrases) replace_all(s, p.en, p.zh);
  return s;
}

std::string keep_units_together(std::string s) {
  static constexpr std::string_view kUnits[] = {"ms", "s", "us",   "ns", "bytes", "B", "KB",
                                                "MB", "%", "字节", "个", "次",    "帧"};
  for (std::size_t pos = 1; (pos = s.find(' ', pos)) != std::string::npos; ++pos) {
    if (!is_digit(s[pos - 1])) continue;
    const std::string_view rest = std::string_view(s).substr(pos + 1);
    for (std::string_view u : kUnits) {
      // The unit must end there ("ms", not "msg"): a word boundary is anything but an ASCII letter.
      if (!rest.starts_with(u)) continue;
      const bool ascii = static_cast<unsigned char>(u[0]) < 0x80;
      const bool ends =
          rest.size() == u.size() || !ascii || !std::isalpha(static_cast<unsigned char>(rest[u.size()]));
      if (!ends) continue;
      s.replace(pos, 1, "\xC2\xA0");
      break;
    }
  }
  return s;
}

std::string_view cause_name(Lang lang, Cause c) {
  if (lang == Lang::En) return to_string(c);
  switch (c) {
    case Cause::Datagram:
      return "数据报";
    case Cause::FirstTransmission:
      return "首次发送";
    case Cause::RtoRetransmission:
      return "超时重传";
    case Cause::FastRetransmission:
      return "快速重传";
    case Cause::RecoveryRetransmission:
      return "恢复期重传";
    case Cause::RackRetransmission:
      return "RACK 判定丢失后重传";
    case Cause::TailLossProbe:
      return "尾部丢失探测";
    case Cause::RepeatedSynAnswer:
      return "重复应答 SYN";
    case Cause::ZeroWindowProbe:
      return "零窗口探测";
    case Cause::PureAck:
      return "确认";
    case Cause::DuplicateAck:
      return "重复确认";
    case Cause::WindowUpdate:
      return "窗口更新";
    case Cause::KeepAlive:
      return "保活";
    case Cause::Reset:
      return "重置";
    case Cause::LinkDuplicate:
      return "链路复制";
    case Cause::Captured:
      return "抓包读取";
  }
  return "?";
}

}  // namespace wirestep
