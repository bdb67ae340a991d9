#include "ui/cli/cli_text.hpp"

#include <iterator>

namespace wirestep {
namespace {

// Chinese keeps numbers, units, addresses, flag names and commands in ASCII ("{0} ms", "--events all"), and
// uses full-width punctuation between words.
constexpr MessageText kCatalog[] = {
    // run
    {Msg::SeedLine, "seed {0}  {1}", "种子 {0}  {1}"},
    {Msg::OverTcp, "over TCP", "经由 TCP"},
    {Msg::OverUdp, "over UDP", "经由 UDP"},
    {Msg::SummaryAfter, "Summary after {0} ms simulated", "汇总：模拟了 {0} ms"},
    {Msg::DatagramsOnWire, "datagrams put on the wire", "发上线路的数据报"},
    {Msg::SegmentsOnWire, "segments put on the wire", "发上线路的报文段"},
    {Msg::CopiesByLink, "({0} of them copies made by the link)", "（其中 {0} 个是链路复制的副本）"},
    {Msg::Delivered, "delivered", "已送达"},
    {Msg::LostOnLink, "lost on the link", "在链路上丢失"},
    {Msg::DroppedByQueue, "dropped by a full queue", "被满队列丢弃"},
    {Msg::DroppedByHost, "dropped by the receiving host", "被接收主机丢弃"},
    {Msg::StillInFlight, "still in flight at the end", "结束时仍在途中"},
    {Msg::Reordered, "reordered", "乱序"},
    {Msg::Corrupted, "corrupted", "损坏"},
    {Msg::WireBytes, "bytes on the wire (IP)", "线路上的字节数 (IP)"},
    {Msg::OfWhichHeaders, "of which headers", "其中首部"},
    {Msg::Overhead, "{0} overhead", "开销 {0}"},
    {Msg::OfWhichPayload, "of which payload", "其中载荷"},
    {Msg::DecodedAsGbk, "{0} (decoded as GBK)", "{0}（按 GBK 解码）"},
    {Msg::Bytes, "{0} bytes", "{0} 字节"},
    {Msg::Programs, "Programs", "程序"},
    {Msg::ProgramOnHost, "{0} on {1}:", "{0}（主机 {1}）："},
    {Msg::ListSeparator, "; ", "；"},
    {Msg::SentDatagram, "sent {0} datagram", "发送了 {0} 个数据报"},
    {Msg::SentDatagrams, "sent {0} datagrams", "发送了 {0} 个数据报"},
    {Msg::ConnectedAt, "connected at {0} ms", "在 {0} ms 时连接成功"},
    {Msg::AcceptedConnection, "accepted {0} connection", "接受了 {0} 个连接"},
    {Msg::AcceptedConnections, "accepted {0} connections", "接受了 {0} 个连接"},
    {Msg::SentBytes, "sent {0} bytes", "发送了 {0} 字节"},
    {Msg::ReceivedBytes, "received {0} bytes", "收到 {0} 字节"},
    {Msg::ThenRecvReturnedZero, ", then recv() returned 0 (end of stream)", "，随后 recv() 返回 0（流结束）"},
    {Msg::ReceivedDatagram, "received {0} datagram", "收到 {0} 个数据报"},
    {Msg::ReceivedDatagrams, "received {0} datagrams", "收到 {0} 个数据报"},
    {Msg::TextFrom, "{0} from {1}", "{0}，来自 {1}"},
    {Msg::FailedAt, "FAILED at {0}", "失败：{0}"},
    {Msg::StillBlockedIn, "still blocked in {0} at the end", "结束时仍阻塞在 {0}"},
    {Msg::Finished, "finished", "已结束"},
    {Msg::ComparisonTitle, "TCP versus UDP, same workload, same links, same seed",
     "TCP 与 UDP 对比：相同负载、相同链路、相同种子"},
    {Msg::Expectations, "Expectations", "预期"},
    {Msg::Pass, "PASS", "通过"},
    {Msg::Fail, "FAIL", "失败"},
    {Msg::PassedFailed, "{0} passed, {1} failed", "{0} 项通过，{1} 项失败"},
    {Msg::WrotePackets, "wrote {0} packets to {1}", "已将 {0} 个数据包写入 {1}"},
    {Msg::WrotePcapng, "wrote {0} packets with ground-truth comments to {1}",
     "已将 {0} 个数据包（附真实原因注释）写入 {1}"},
    {Msg::WroteSvg, "wrote the ladder diagram to {0}", "已将梯形图写入 {0}"},
    {Msg::WroteJson, "wrote JSON to {0}", "已将 JSON 写入 {0}"},
    {Msg::CannotWriteSvg, "{0}: cannot write the SVG", "{0}：无法写入 SVG"},
    {Msg::CannotOpenForWriting, "cannot open for writing", "无法打开以写入"},
    {Msg::WriteFailed, "write failed (disk full?)", "写入失败（磁盘已满？）"},
    // the SVG ladder
    {Msg::TitleOverTcp, "{0} (over TCP)", "{0}（经由 TCP）"},
    {Msg::TitleOverUdp, "{0} (over UDP)", "{0}（经由 UDP）"},
    {Msg::SvgTimeAxis, "time (ms)", "时间 (ms)"},
    {Msg::SvgTimeSkipped, "⋮ time skipped", "⋮ 略去一段时间"},
    {Msg::SvgFirstShown, "first {0} of {1} packets shown", "只画出了 {1} 个数据包中的前 {0} 个"},
    {Msg::SvgRtoRetransmission, "retransmission (timeout)", "重传（超时）"},
    {Msg::SvgFastRetransmission, "fast retransmission", "快速重传"},
    {Msg::SvgPartialAckRetransmission, "retransmission (partial ACK)", "重传（部分确认）"},
    {Msg::SvgRackRetransmission, "retransmission (RACK)", "重传（RACK）"},
    {Msg::SvgTailLossProbe, "tail loss probe", "尾部丢包探测"},
    {Msg::SvgSynAckAgain, "SYN,ACK again (the SYN was repeated)", "再次 SYN,ACK（SYN 被重发了）"},
    {Msg::SvgDuplicateAck, "duplicate ACK", "重复 ACK"},
    {Msg::SvgWindowProbe, "window probe / update", "窗口探测 / 窗口更新"},
    {Msg::SvgReset, "reset", "重置"},
    {Msg::SvgLinkCopy, "copy made by the link", "链路复制的副本"},
    {Msg::SvgAcknowledgement, "acknowledgement", "确认"},
    {Msg::SvgUdpDatagram, "UDP datagram", "UDP 数据报"},
    {Msg::SvgTcpSegment, "TCP segment", "TCP 报文段"},
    {Msg::SvgLostX, "lost on the link (X)", "在链路上丢失 (X)"},
    // --seed
    {Msg::SeedNotANumber, "{0} is not a seed: a seed is a whole number from 0 to {1}",
     "{0} 不是种子：种子是 0 到 {1} 之间的整数"},
    {Msg::SeedTooLarge, "{0} is too large: a seed is a whole number from 0 to {1}",
     "{0} 太大：种子是 0 到 {1} 之间的整数"},
    // comparison table
    {Msg::RowDelivered, "messages delivered to the application", "交付给应用程序的消息"},
    {Msg::RowLost, "messages lost", "丢失的消息"},
    {Msg::RowDuplicated, "messages duplicated", "重复的消息"},
    {Msg::RowOutOfOrder, "messages out of order", "乱序的消息"},
    {Msg::RowPackets, "packets on the wire (both directions)", "线路上的数据包（双向）"},
    {Msg::RowWireBytes, "bytes on the wire (IP)", "线路上的字节数 (IP)"},
    {Msg::RowHeaderBytes, "header bytes (IP + TCP 20 / UDP 8 each)",
     "首部字节数（每个包 IP + TCP 20 / UDP 8）"},
    {Msg::RowLastDelivered, "last message delivered at", "最后一条消息送达时间"},
    {Msg::RowLatencyMean, "latency per message: mean", "每条消息的延迟：平均"},
    {Msg::RowLatencyP99, "latency per message: p99", "每条消息的延迟：p99"},
    // ladder
    {Msg::TimeMs, "time (ms)", "时间 (ms)"},
    {Msg::Arrives, "arrives {0}", "{0} 到达"},
    {Msg::LostBecause, "LOST: {0}", "丢失：{0}"},
    {Msg::ArrivesDroppedByReceiver, "arrives {0}, dropped by receiver", "{0} 到达，被接收方丢弃"},
    {Msg::CorruptedBecause, " (corrupted: {0})", "（损坏：{0}）"},
    {Msg::StillInFlightAtEnd, "still in flight at end", "结束时仍在途中"},
    {Msg::LinkDuplicateMark, " [link duplicate]", " [链路复制]"},
    {Msg::ReorderedMark, " [reordered]", " [乱序]"},
    {Msg::MoreLines, "  ... {0} more packets and {1} more events (use --max-lines 0 to print all)",
     "  ... 还有 {0} 个数据包和 {1} 个事件（用 --max-lines 0 显示全部）"},
    {Msg::HiddenEvents, "  ({0} socket calls not shown; --events all shows them)",
     "  （{0} 个套接字调用未显示；--events all 可显示）"},
    {Msg::TagRto, "[RTO retx]", "[超时重传]"},
    {Msg::TagFast, "[fast retx]", "[快速重传]"},
    {Msg::TagPartialAck, "[partial-ACK retx]", "[部分确认后重传]"},
    {Msg::TagRack, "[RACK retx]", "[RACK 重传]"},
    {Msg::TagTlp, "[TLP]", "[尾部丢失探测]"},
    {Msg::TagSynAckAgain, "[SYN,ACK again]", "[重发 SYN,ACK]"},
    {Msg::TagProbe, "[probe]", "[零窗口探测]"},
    {Msg::TagDupAck, "[dup ACK #{0}]", "[重复确认 #{0}]"},
    {Msg::TagWindowUpdate, "[window update]", "[窗口更新]"},
    {Msg::TagKeepAlive, "[keep-alive]", "[保活]"},
    // scenarios
    {Msg::NoScenarioDirectory, "{0}: no scenario directory here (set WIRESTEP_SCENARIOS)",
     "{0}：这里没有场景目录（请设置 WIRESTEP_SCENARIOS）"},
    {Msg::CannotLoad, "(cannot load: {0})", "（无法加载：{0}）"},
    // analyze
    {Msg::InterfaceLine, "  interface {0}{1}: {2} (DLT {3}), {4}, {5}{6}",
     "  接口 {0}{1}：{2} (DLT {3})，{4}，{5}{6}"},
    {Msg::Snaplen, "snaplen {0}", "快照长度 {0}"},
    {Msg::NoSnaplen, "no snaplen", "无快照长度"},
    {Msg::FrameCount, "{0} frame", "{0} 帧"},
    {Msg::FramesCount, "{0} frames", "{0} 帧"},
    {Msg::LinkTypeNotDecoded, ", link type not decoded", "，链路类型未解码"},
    {Msg::OtherLinkFrames, "  {0} frames on link types not decoded (kept, counted as other)",
     "  {0} 帧位于未解码的链路类型上（保留，计为其他）"},
    {Msg::FileHeader, "{0}: {1}, link type {2} (DLT {3})", "{0}：{1}，链路类型 {2} (DLT {3})"},
    {Msg::NotDecodedAll, ", not decoded: every frame counted as other", "，未解码：每帧都计为其他"},
    {Msg::FramesLine, "  {0} frames", "  {0} 帧"},
    {Msg::MatchingFilter, " matching \"{0}\"", "，匹配 \"{0}\""},
    {Msg::FlowsCount, ", {0} flows", "，{0} 个流"},
    {Msg::FramesCutShort, "  {0} frames cut short by the snapshot length", "  {0} 帧被快照长度截短"},
    {Msg::RecordsOverSnaplen,
     "  {0} records longer than the file's snapshot length ({1}): libpcap kept only the first {1} bytes",
     "  {0} 条记录超过文件的快照长度 ({1})：libpcap 只保留了前 {1} 字节"},
    {Msg::NonIpFrames, "  {0} frames without IP (neither ARP nor IP: LLC, ...)",
     "  {0} 帧既非 ARP 也非 IP（LLC 等）"},
    {Msg::Fragments, "  {0} IP fragments (not reassembled)", "  {0} 个 IP 分片（未重组）"},
    {Msg::BadChecksums, "  {0} bad checksums (often checksum offload on the capturing host)",
     "  {0} 个错误校验和（常因抓包主机的校验和卸载）"},
    {Msg::TimeWentBackwards, "  {0} frames stamped earlier than the one before",
     "  {0} 帧的时间戳早于前一帧"},
    {Msg::DecodeErrorsBelow, "  {0} decode errors (listed below)", "  {0} 个解码错误（见下文）"},
    {Msg::Truncated, "TRUNCATED: ", "文件被截断："},
    {Msg::ReadingStopped, "reading stopped: ", "读取中止："},
    {Msg::EveryFrameKept, " (every frame before it was kept)", "（此前的每一帧都已保留）"},
    {Msg::TcpStreamsTitle, "TCP streams (counts of Wireshark's tcp.analysis flags)",
     "TCP 流（Wireshark tcp.analysis 标记的计数）"},
    {Msg::ColStream, "stream", "流"},
    {Msg::ColInitiator, "a (initiator)", "a（发起方）"},
    {Msg::ColPackets, "packets", "包数"},
    {Msg::ColBytes, "bytes", "字节"},
    {Msg::ColInitialRtt, "initial RTT", "初始 RTT"},
    {Msg::UdpFlowsTitle, "UDP flows (payload sizes in bytes, gaps between datagrams in ms)",
     "UDP 流（载荷大小单位为字节，数据报间隔单位为 ms）"},
    {Msg::UdpIcmpErrors, "  ICMP errors: {0}", "  ICMP 差错：{0}"},
    {Msg::IcmpArpTitle, "ICMP and ARP (ICMP: echo requests/replies, errors, other; ARP: requests/replies)",
     "ICMP 与 ARP（ICMP：回显请求/应答、差错、其他；ARP：请求/应答）"},
    {Msg::ColMessages, "messages", "报文"},
    {Msg::IcmpMessages, "echo {0}/{1}, errors {2}, other {3}", "回显 {0}/{1}，差错 {2}，其他 {3}"},
    {Msg::ArpMessages, "requests {0}, replies {1}", "请求 {0}，应答 {1}"},
    {Msg::QuotedByIcmpErrors, ", quoted by {0} ICMP errors", "，被 {0} 个 ICMP 差错报文引用"},
    {Msg::ColFirstSender, "a (first sender)", "a（先发送方）"},
    {Msg::ColDatagrams, "datagrams", "数据报"},
    {Msg::ColSizes, "size min/mean/max", "大小 最小/平均/最大"},
    {Msg::ColGaps, "gap min/mean/max", "间隔 最小/平均/最大"},
    {Msg::NonIpFlow, "non-IP frames", "非 IP 帧"},
    {Msg::OtherFlows, "other: {0} frames in {1} flows (neither TCP nor UDP)",
     "其他：{1} 个流中的 {0} 帧（既非 TCP 也非 UDP）"},
    {Msg::WhyTitle, "Why (first {0} flags of each stream; --json lists all):",
     "原因（每个流的前 {0} 个标记；--json 列出全部）："},
    {Msg::StreamFrame, "  stream {0} frame {1}: {2}", "  流 {0} 帧 {1}：{2}"},
    {Msg::StreamMore, "  stream {0}: {1} more", "  流 {0}：还有 {1} 个"},
    {Msg::DecodeErrorsTitle, "Decode errors (frames kept in the trace, marked malformed):",
     "解码错误（这些帧保留在 Trace 中，标为畸形）："},
    {Msg::FrameAtOffset, "  {0}: frame {1} (offset {2}): {3}", "  {0}：帧 {1}（偏移 {2}）：{3}"},
    {Msg::MoreDecodeErrors, "  ... {0} more (--json lists them)", "  ... 还有 {0} 个（--json 列出全部）"},
    // follow
    {Msg::FollowTitle, "Follow: {0},{1}", "跟踪流：{0},{1}"},
    {Msg::FollowFilter, "Filter: {0}.stream eq {1}", "过滤器：{0}.stream eq {1}"},
    {Msg::FollowNode, "Node {0}: {1}", "节点 {0}：{1}"},
    {Msg::BytesMissing, "[{0} bytes missing]", "[缺少 {0} 字节]"},
    {Msg::TruncatedAt, "[truncated at {0} bytes]", "[在 {0} 字节处截断]"},
    {Msg::NoStream, "{0}: no {1}.stream {2}", "{0}：没有 {1}.stream {2}"},
    {Msg::BadFormat, "--format {0}: expected text, hex or raw", "--format {0}：应为 text、hex 或 raw"},
    {Msg::BadEncoding, "--encoding {0}: expected utf8 or gbk", "--encoding {0}：应为 utf8 或 gbk"},
    {Msg::FlowOrStream, "give exactly one of --flow N and --stream N",
     "--flow N 与 --stream N 须且只能给出一个"},
    // interfaces
    {Msg::ColInterface, "interface", "接口"},
    {Msg::ColState, "state", "状态"},
    {Msg::ColAddress, "address", "地址"},
    {Msg::ColNetworkPart, "network part", "网络部分"},
    {Msg::ColHostPart, "host part", "主机部分"},
    {Msg::StateUp, "up", "启用"},
    {Msg::StateDown, "down", "停用"},
    {Msg::StateRunning, ",running", "，运行中"},
    {Msg::StateLoopback, ",loopback", "，回环"},
    {Msg::StateCapture, ",capture", "，可抓包"},
    {Msg::NoAddress, "(no address)", "（无地址）"},
    {Msg::PrefixExplained,
     "The prefix length says how many leading bits are the network part: hosts with the same network part "
     "reach each other directly; the host part tells them apart.",
     "前缀长度表示开头有多少位是网络部分：网络部分相同的主机可以直接互相通信；主机部分用来区分它们。"},
    // capture
    {Msg::CapturingOn, "capturing on {0}", "正在 {0} 上抓包"},
    {Msg::CaptureFilter, " (filter: {0})", "（过滤器：{0}）"},
    {Msg::CaptureWriting, ", writing {0}", "，写入 {0}"},
    {Msg::CtrlCStops, "; Ctrl-C stops", "；按 Ctrl-C 停止"},
    {Msg::Malformed, "malformed: {0}", "畸形：{0}"},
    {Msg::SeeAnalyze, "see wirestep analyze", "详见 wirestep analyze"},
    {Msg::NotIp, "(not IP: {0} bytes)", "（非 IP：{0} 字节）"},
    {Msg::NotTcpOrUdp, "IP (not TCP or UDP)", "IP（非 TCP 或 UDP）"},
    {Msg::FramesCaptured, "{0} frames captured", "抓到 {0} 帧"},
    {Msg::CountTcp, ", {0} tcp", "，TCP {0}"},
    {Msg::CountUdp, ", {0} udp", "，UDP {0}"},
    {Msg::CountOther, ", {0} other", "，其他 {0}"},
    {Msg::CountMalformed, " ({0} malformed)", "（畸形 {0}）"},
    {Msg::InFlow, " in {0} flow", "，共 {0} 个流"},
    {Msg::InFlows, " in {0} flows", "，共 {0} 个流"},
    {Msg::DroppedByKernel, "; {0} dropped by the kernel (too slow)", "；内核丢弃 {0} 帧（处理太慢）"},
    {Msg::WrittenTo, "written to {0} (analyze it: wirestep analyze {0})",
     "已写入 {0}（分析它：wirestep analyze {0}）"},
    // live
    {Msg::LiveCaptured, "captured {0} frames on {1} into {2}", "在 {1} 上抓到 {0} 帧，写入 {2}"},
    {Msg::LiveTcp, "TCP: sent {0} bytes, the server received {1}", "TCP：发送 {0} 字节，服务器收到 {1} 字节"},
    {Msg::LiveEveryByte, ": every byte arrived, losses were repaired by retransmission",
     "：每个字节都已到达，丢失由重传修复"},
    {Msg::LiveUdp, "UDP: sent {0} datagrams, the server received {1} ({2} lost, never resent)",
     "UDP：发送 {0} 个数据报，服务器收到 {1} 个（丢失 {2} 个，从不重发）"},
    // --lang
    {Msg::BadLang, "{0}: expected en or zh", "{0}：应为 en 或 zh"},
    // hosts
    {Msg::HostsIpTitle, "host {0}$ ip a", "主机 {0}$ ip a"},
    {Msg::HostsIpconfigTitle, "host {0}> ipconfig", "主机 {0}> ipconfig"},
    {Msg::HostsAddressParts, "{0} {1}/{2}: network part {3} ({5}), host part {4} ({6}), mask {7}",
     "{0} {1}/{2}：网络部分 {3}（{5}），主机部分 {4}（{6}），子网掩码 {7}"},
    // A count of bits: "1 bit" for a /1 network part or a /31 host part, "0 bits", "8 bits".
    {Msg::HostsBits, "{0} bits", "{0} 位"},
    {Msg::HostsOneBit, "{0} bit", "{0} 位"},
    {Msg::HostsBroadcast, ", broadcast {0} (every host bit set)", "，广播地址 {0}（主机位全为 1）"},
    {Msg::HostsNoBroadcast31, ", no broadcast: both addresses of a /31 are hosts (RFC 3021)",
     "，没有广播地址：/31 的两个地址都是主机（RFC 3021）"},
    {Msg::HostsNoBroadcast32, ", no broadcast: a /32 is this one host alone",
     "，没有广播地址：/32 只包含这一台主机"},
    {Msg::HostsDifferentSubnets,
     "warning: {0} {1}/{2} and {3} {4}/{5} share a link but not a subnet: on a real network they could not "
     "talk without a router",
     "警告：{0} {1}/{2} 和 {3} {4}/{5} 在同一条链路上，却不在同一个子网："
     "在真实网络中，没有路由器它们无法通信"},
    {Msg::HostsSimulatedNote,
     "Simulated hosts: a loopback and one Ethernet interface each, the MAC address the pcap export writes, "
     "Ethernet's MTU of 1500 bytes, IPv4 only (so no inet6 lines).",
     "模拟的主机：每台有一个环回接口和一个以太网接口，MAC 地址与导出的 pcap 中相同，"
     "MTU 为以太网的 1500 字节，只有 IPv4（所以没有 inet6 行）。"},
    {Msg::IpconfigTitle, "Windows IP Configuration", "Windows IP 配置"},
    {Msg::IpconfigAdapter, "Ethernet adapter {0}:", "以太网适配器 {0}:"},
    {Msg::IpconfigDnsSuffix,
     "   Connection-specific DNS Suffix  . : ", "   连接特定的 DNS 后缀 . . . . . . . : "},
    {Msg::IpconfigIpv4, "   IPv4 Address. . . . . . . . . . . : {0}",
     "   IPv4 地址 . . . . . . . . . . . . : {0}"},
    {Msg::IpconfigMask, "   Subnet Mask . . . . . . . . . . . : {0}",
     "   子网掩码  . . . . . . . . . . . . : {0}"},
    {Msg::IpconfigGateway, "   Default Gateway . . . . . . . . . : {0}",
     "   默认网关. . . . . . . . . . . . . : {0}"},
    {Msg::IpconfigNoGateway, "(none: no router in the scenario)", "（无：场景中没有路由器）"},
};

static_assert(std::size(kCatalog) == static_cast<std::size_t>(Msg::Count), "one catalog entry per Msg id");

}  // namespace

std::span<const MessageText> message_catalog() {
  return kCatalog;
}

std::string_view message_pattern(Lang lang, Msg id) {
  const auto i = static_cast<std::size_t>(id);
  if (i >= std::size(kCatalog)) return {};
  return lang == Lang::Zh ? kCatalog[i].zh : kCatalog[i].en;
}

std::string format_message(std::string_view pattern, std::initializer_list<std::string_view> args) {
  std::string out;
  out.reserve(pattern.size() + 16);
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 1] >= '0' && pattern[i + 1] <= '9' &&
        pattern[i + 2] == '}') {
      const auto n = static_cast<std::size_t>(pattern[i + 1] - '0');
      if (n < args.size()) {
        out += *(args.begin() + n);
        i += 2;
        continue;
      }
    }
    out += pattern[i];
  }
  return out;
}

std::string_view translate_label(Lang lang, std::string_view english) {
  if (lang == Lang::En) return english;
  for (const MessageText& m : kCatalog)
    if (m.en == english && m.en.find('{') == std::string_view::npos) return m.zh;
  return english;
}

}  // namespace wirestep
