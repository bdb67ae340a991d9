#include "sim/analysis/tcp_explain.hpp"

#include <cstdio>

#include "sim/wire/ip_addr.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {
namespace {

namespace tf = wire::tcp_flag;

std::string millis(std::int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(ns) / 1e6);
  return buf;
}

class Explainer {
 public:
  Explainer(const FlaggedPacket& f, const Conversation& c, const Trace& trace, const FrameOf& frame_of,
            Lang lang)
      : f_(f), c_(c), trace_(trace), frame_of_(frame_of), zh_(lang == Lang::Zh), p_(trace.packet(f.packet)) {}

  std::string text() const { return zh_ ? text_zh() : text_en(); }

 private:
  // One sentence per flag and language, side by side in the two functions so a translator sees each whole.
  std::string text_en() const;
  std::string text_zh() const;

  int dir() const { return static_cast<int>(p_.dir); }
  std::uint32_t rel(std::uint32_t seq, int direction) const { return seq - c_.tcp.base_seq[direction & 1]; }
  std::uint32_t rel_seq(std::uint32_t seq) const { return rel(seq, dir()); }
  std::uint32_t rel_ack(std::uint32_t ack) const { return rel(ack, dir() ^ 1); }
  std::string frame(std::uint32_t packet) const {
    if (zh_)
      return packet == kNoPacket ? std::string("更早的一帧")
                                 : "第 " + std::to_string(frame_of_(packet)) + " 帧";
    return packet == kNoPacket ? std::string("an earlier frame")
                               : "frame " + std::to_string(frame_of_(packet));
  }
  // "seq 5001-6000", or what a dataless SYN/FIN occupies.
  std::string range() const {
    const std::uint32_t start = rel_seq(p_.seq);
    if (p_.payload_len == 0) {
      if (p_.tcp_flags & tf::kSyn) return zh_ ? "SYN" : "the SYN";
      if (p_.tcp_flags & tf::kFin)
        return zh_ ? "FIN（seq " + std::to_string(start) + "）"
                   : "the FIN (seq " + std::to_string(start) + ")";
      return "seq " + std::to_string(start);
    }
    return "seq " + std::to_string(start) + "-" + std::to_string(start + p_.payload_len - 1);
  }
  std::string sender() const {
    const TraceFlow& fl = trace_.flows().at(p_.flow);
    return p_.dir == Direction::AtoB ? wire::endpoint_to_string(fl.a, fl.a_port)
                                     : wire::endpoint_to_string(fl.b, fl.b_port);
  }
  std::string first_sent() const {
    if (f_.first_sent == kNoPacket) return "";
    return zh_ ? "；最早在" + frame(f_.first_sent) + "发送" : "; first sent in " + frame(f_.first_sent);
  }

  const FlaggedPacket& f_;
  const Conversation& c_;
  const Trace& trace_;
  const FrameOf& frame_of_;
  const bool zh_;
  const PacketRecord p_;
};

std::string Explainer::text_en() const {
  const std::string name(wireshark_name(f_.flag));
  switch (f_.flag) {
    case TcpFlag::Retransmission:
      return "retransmission: " + range() + " was first sent in " + frame(f_.first_sent) +
             "; new data would start at seq " + std::to_string(rel_seq(f_.value));
    case TcpFlag::FastRetransmission:
      // Value 0: the peer's ACK repeated one already reported as ACKing unseen data (Wireshark counts
      // that as enough duplicates).
      return "fast retransmission: " + range() + " resent within 20 ms of " +
             (f_.value ? "duplicate ACK #" + std::to_string(f_.value) : std::string("a repeated ACK")) +
             " asking for it (" + frame(f_.ref_packet) + ")" + first_sent() + " (RFC 5681 §3.2)";
    case TcpFlag::SpuriousRetransmission:
      return "spurious retransmission: " + range() + " had already been acknowledged (ACK " +
             std::to_string(rel(f_.value, dir())) + " in " + frame(f_.ref_packet) + ")" + first_sent();
    case TcpFlag::DuplicateAck:
      return "duplicate ACK #" + std::to_string(f_.value) + " of " + frame(f_.ref_packet) + ": ACK " +
             std::to_string(rel_ack(p_.ack)) +
             " again, no data, same window: the receiver is still missing seq " +
             std::to_string(rel_ack(p_.ack));
    case TcpFlag::OutOfOrder: {
      // Without a positive handshake RTT the window is 3 ms, so a longer gap means the RTT was negative.
      const bool backwards = !c_.tcp.initial_rtt_ns && f_.value >= 3000;
      const std::string threshold =
          c_.tcp.initial_rtt_ns ? "the handshake RTT of " + millis(*c_.tcp.initial_rtt_ns)
          : backwards ? "the handshake RTT, negative here (stamps going backwards), so any gap counts"
                      : "3 ms (no handshake RTT)";
      return "out-of-order: " + range() + " is below the highest sequence number sent, " +
             millis(std::int64_t{f_.value} * 1000) + " after " + frame(f_.ref_packet) + ", within " +
             threshold + first_sent();
    }
    case TcpFlag::LostSegment:
      return "previous segment not captured: " + range() + " starts beyond the next expected seq " +
             std::to_string(rel_seq(f_.value)) + " (after " + frame(f_.ref_packet) + "): seq " +
             std::to_string(rel_seq(f_.value)) + "-" + std::to_string(rel_seq(p_.seq) - 1) +
             " is missing from the capture";
    case TcpFlag::AckLostSegment:
      return "ACKed segment that wasn't captured: ACK " + std::to_string(rel_ack(p_.ack)) +
             " covers data beyond the highest contiguous seq seen from the peer (" +
             std::to_string(rel(f_.value, dir() ^ 1)) + ", " + frame(f_.ref_packet) + ")";
    case TcpFlag::ZeroWindow:
      return "zero window: " + sender() +
             " advertises a window of 0: its receive buffer is full and the peer must stop sending (RFC 9293 "
             "§3.8.6.1)";
    case TcpFlag::ZeroWindowProbe:
      return "zero-window probe: 1 byte at seq " + std::to_string(rel_seq(p_.seq)) +
             " while the peer's window is 0 (" + frame(f_.ref_packet) +
             "), to learn when it opens (RFC 9293 §3.8.6.1)";
    case TcpFlag::ZeroWindowProbeAck:
      return "zero-window probe ACK: answers the probe in " + frame(f_.ref_packet) +
             "; the window is still 0";
    case TcpFlag::WindowFull:
      return "window full: " + range() + " ends at the right edge of the peer's window (ACK + window from " +
             frame(f_.ref_packet) + " = seq " + std::to_string(rel_seq(f_.value)) + "): the sender must wait";
    case TcpFlag::WindowUpdate:
      return "window update: window " + std::to_string(f_.value) + " -> " + std::to_string(p_.window) +
             " (unscaled), no data, same ACK as " + frame(f_.ref_packet);
    case TcpFlag::KeepAlive:
      return "keep-alive: seq " + std::to_string(rel_seq(p_.seq)) +
             " is one below the next sequence number (" + std::to_string(rel_seq(f_.value)) + ", after " +
             frame(f_.ref_packet) + "): a probe that the peer is still there (RFC 1122 §4.2.3.6)";
    case TcpFlag::KeepAliveAck:
      return "keep-alive ACK: answers the keep-alive in " + frame(f_.ref_packet);
    case TcpFlag::Reset:
      return "rst: " + sender() + " resets the connection; both ends drop it at once (RFC 9293 §3.10.7)";
  }
  return name;
}

std::string Explainer::text_zh() const {
  const std::string name(wireshark_name(f_.flag));
  switch (f_.flag) {
    case TcpFlag::Retransmission:
      return "重传：" + range() + " 最早在" + frame(f_.first_sent) + "发送过；新数据本应从 seq " +
             std::to_string(rel_seq(f_.value)) + " 开始";
    case TcpFlag::FastRetransmission:
      return "快速重传：在请求它的" +
             (f_.value ? "第 " + std::to_string(f_.value) + " 个重复 ACK" : std::string("一个重复的 ACK")) +
             "（" + frame(f_.ref_packet) + "）之后 20 ms 内重发了 " + range() + first_sent() +
             "（RFC 5681 §3.2）";
    case TcpFlag::SpuriousRetransmission:
      return "虚假重传：" + range() + " 早已被确认（" + frame(f_.ref_packet) + "中的 ACK " +
             std::to_string(rel(f_.value, dir())) + "）" + first_sent();
    case TcpFlag::DuplicateAck:
      return frame(f_.ref_packet) + "的第 " + std::to_string(f_.value) + " 个重复 ACK：再次 ACK " +
             std::to_string(rel_ack(p_.ack)) + "，不带数据，窗口不变：接收方仍缺 seq " +
             std::to_string(rel_ack(p_.ack));
    case TcpFlag::OutOfOrder: {
      const bool backwards = !c_.tcp.initial_rtt_ns && f_.value >= 3000;
      const std::string threshold =
          c_.tcp.initial_rtt_ns ? "握手 RTT（" + millis(*c_.tcp.initial_rtt_ns) + "）"
          : backwards ? std::string("握手 RTT（此处为负：时间戳倒退，所以任何间隔都算）")
                      : std::string("3 ms（没有握手 RTT）");
      return "乱序：" + range() + " 低于已发送的最高序号，在" + frame(f_.ref_packet) + "之后 " +
             millis(std::int64_t{f_.value} * 1000) + "，不超过" + threshold + first_sent();
    }
    case TcpFlag::LostSegment:
      return "前一个报文段未被捕获：" + range() + " 的起点超过了下一个期望的 seq " +
             std::to_string(rel_seq(f_.value)) + "（" + frame(f_.ref_packet) + "之后）：seq " +
             std::to_string(rel_seq(f_.value)) + "-" + std::to_string(rel_seq(p_.seq) - 1) + " 不在捕获中";
    case TcpFlag::AckLostSegment:
      return "确认了未捕获的报文段：ACK " + std::to_string(rel_ack(p_.ack)) +
             " 覆盖的数据超出了从对端看到的最高连续序号（" + std::to_string(rel(f_.value, dir() ^ 1)) + "，" +
             frame(f_.ref_packet) + "）";
    case TcpFlag::ZeroWindow:
      return "零窗口：" + sender() +
             " 通告窗口为 0：它的接收缓冲区已满，对端必须停止发送（RFC 9293 §3.8.6.1）";
    case TcpFlag::ZeroWindowProbe:
      return "零窗口探测：对端窗口为 0 时（" + frame(f_.ref_packet) + "）在 seq " +
             std::to_string(rel_seq(p_.seq)) + " 处发送 1 个字节，以得知窗口何时打开（RFC 9293 §3.8.6.1）";
    case TcpFlag::ZeroWindowProbeAck:
      return "零窗口探测的 ACK：回应" + frame(f_.ref_packet) + "中的探测；窗口仍为 0";
    case TcpFlag::WindowFull:
      return "窗口已满：" + range() + " 到达对端窗口的右边缘（" + frame(f_.ref_packet) +
             "的 ACK + 窗口 = seq " + std::to_string(rel_seq(f_.value)) + "）：发送方必须等待";
    case TcpFlag::WindowUpdate:
      return "窗口更新：窗口 " + std::to_string(f_.value) + " -> " + std::to_string(p_.window) +
             "（未缩放），不带数据，ACK 与" + frame(f_.ref_packet) + "相同";
    case TcpFlag::KeepAlive:
      return "保活：seq " + std::to_string(rel_seq(p_.seq)) + " 比下一个序号（" +
             std::to_string(rel_seq(f_.value)) + "，" + frame(f_.ref_packet) +
             "之后）小 1：用来探测对端是否还在（RFC 1122 §4.2.3.6）";
    case TcpFlag::KeepAliveAck:
      return "保活的 ACK：回应" + frame(f_.ref_packet) + "中的保活";
    case TcpFlag::Reset:
      return "RST：" + sender() + " 重置连接；两端立即丢弃它（RFC 9293 §3.10.7）";
  }
  return name;
}

}  // namespace

std::string explain(const FlaggedPacket& flag, const Conversation& conversation, const Trace& trace,
                    const FrameOf& frame_of, Lang lang) {
  return Explainer(flag, conversation, trace, frame_of, lang).text();
}

}  // namespace wirestep
