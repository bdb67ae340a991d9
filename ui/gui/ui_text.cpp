#include "ui/gui/ui_text.hpp"

#include <array>
#include <utility>

namespace wirestep::gui {
namespace {

struct Entry {
  T id;
  const char* en;
  const char* zh;
};

constexpr Entry kTable[] = {
    {T::MenuFile, "File", "文件"},
    {T::MenuOpen, "Open...", "打开..."},
    {T::MenuQuit, "Quit", "退出"},
    {T::MenuView, "View", "视图"},
    {T::MenuLanguage, "Language", "语言"},
    {T::MenuHelp, "Help", "帮助"},
    {T::ShowEvents, "Socket calls and states beside the lanes", "在时间线旁显示套接字调用和状态"},
    {T::ShowAcks, "Show pure ACKs", "显示纯 ACK"},
    {T::RelativeSeq, "Relative sequence numbers", "相对序号"},
    {T::Scenarios, "Lessons", "课程场景"},
    {T::Timeline, "Timeline", "时间线"},
    {T::Inspector, "Packet", "数据包"},
    {T::TcpState, "TCP state", "TCP 状态"},
    {T::Comparison, "TCP vs UDP", "TCP 与 UDP 对比"},
    {T::Legend, "Legend", "图例"},
    {T::Play, "Play", "播放"},
    {T::Pause, "Pause", "暂停"},
    {T::StepBack, "< Step", "< 上一步"},
    {T::StepForward, "Step >", "下一步 >"},
    {T::Start, "|<", "|<"},
    {T::End, ">|", ">|"},
    {T::Speed, "speed", "速度"},
    {T::Time, "time", "时间"},
    {T::ZoomFit, "Fit", "适应"},
    {T::NoStep, "Press Space to play, or the arrow keys to step.", "按空格键播放，或用方向键单步执行。"},
    {T::KindData, "data", "数据"},
    {T::KindControl, "SYN / FIN / RST", "SYN / FIN / RST"},
    {T::KindAck, "ACK", "ACK"},
    {T::KindRetrans, "retransmission", "重传"},
    {T::KindDupAck, "duplicate ACK", "重复 ACK"},
    {T::KindOutOfOrder, "out of order", "乱序"},
    {T::KindZeroWindow, "zero window", "零窗口"},
    {T::KindLinkCopy, "copy made by the link", "链路复制的副本"},
    {T::KindDatagram, "UDP datagram", "UDP 数据报"},
    {T::KindOther, "other", "其他"},
    {T::Lost, "lost", "丢失"},
    {T::Folded, "packets", "个包"},
    {T::SelectPacketHint, "Click a packet on the timeline to see it layer by layer.",
     "在时间线上点击一个数据包，逐层查看它的内容。"},
    {T::NetworkPart, "network part", "网络号"},
    {T::HostPart, "host part", "主机号"},
    {T::Payload, "Payload", "载荷"},
    {T::DecodedUtf8, "text (UTF-8)", "文本（UTF-8）"},
    {T::DecodedGbk, "text (decoded as GBK)", "文本（按 GBK 解码）"},
    {T::Binary, "binary data", "二进制数据"},
    {T::HexDump, "Bytes on the wire", "线路上的字节"},
    {T::NoPayload, "no payload", "无载荷"},
    {T::Sent, "sent", "发送"},
    {T::Arrived, "arrived", "到达"},
    {T::LostOnLink, "LOST on the link", "在链路上丢失"},
    {T::LostInQueue, "LOST: the link's queue was full", "丢失：链路队列已满"},
    {T::DroppedByHost, "arrived, but the receiving host dropped it", "已到达，但被接收主机丢弃"},
    {T::StillInFlight, "still in flight when the run ended", "运行结束时仍在途中"},
    {T::Cause, "why it was sent", "发送原因"},
    {T::Flight, "in flight", "在途"},
    {T::StateVariables, "Connection variables at the cursor", "光标时刻的连接变量"},
    {T::NoTcp,
     "No TCP state changes recorded here: UDP has no connection states, and a capture shows only packets.",
     "这里没有记录 TCP 状态变化：UDP 没有连接状态，抓包文件只包含数据包。"},
    {T::Endpoint, "endpoint", "端点"},
    {T::TransitionTaken, "last transition", "最近的状态转换"},
    {T::CaptureUnavailable, "capture loading not available yet", "暂不支持加载抓包文件"},
    {T::OpenFailed, "Could not open", "无法打开"},
    {T::NoCjkFont, "Chinese text needs a CJK font: apt-get install fonts-wqy-microhei (or fonts-noto-cjk)",
     "中文界面需要中文字体：apt-get install fonts-wqy-microhei（或 fonts-noto-cjk）"},
    {T::Explanation, "What to watch", "看点"},
    {T::Run, "Run", "运行"},
    {T::Hosts, "hosts", "主机"},
    {T::Loaded, "loaded", "已加载"},
    {T::PacketsWord, "packets", "个数据包"},
    {T::EventsWord, "events", "个事件"},
    {T::OpenPrompt, "Scenario (.toml) or capture (.pcap, .pcapng) to open:",
     "要打开的场景（.toml）或抓包文件（.pcap、.pcapng）："},
    {T::OpenButton, "Open", "打开"},
    {T::Cancel, "Cancel", "取消"},
    {T::KeysHelp,
     "Space play/pause   Left/Right step   Home/End   +/- or wheel zoom   drag to pan   click a packet",
     "空格 播放/暂停   左/右 单步   Home/End   +/- 或滚轮 缩放   拖动 平移   点击数据包"},
    {T::Metric, "", ""},
};

constexpr struct {
  const char* en;
  const char* zh;
    // -- graphs --
    // -- captures and files --
    // -- scenario editing --
    // -- teaching --
    // -- live --
} kRows[] = {
    {"messages delivered to the application", "交付给应用的消息"},
    {"messages lost", "丢失的消息"},
    {"messages duplicated", "重复的消息"},
    {"messages out of order", "乱序的消息"},
    {"packets on the wire (both directions)", "线路上的数据包（双向）"},
    {"bytes on the wire (IP)", "线路上的字节（IP）"},
    {"header bytes (IP + TCP 20 / UDP 8 each)", "首部字节（IP + TCP 20 / UDP 8）"},
    {"last message delivered at", "最后一条消息送达时刻"},
    {"latency per message: mean", "每条消息的延迟：平均"},
    {"latency per message: p99", "每条消息的延迟：p99"},
};

constexpr auto make_index() {
  std::array<std::pair<const char*, const char*>, static_cast<std::size_t>(T::Count)> index{};
  for (const Entry& e : kTable) index[static_cast<std::size_t>(e.id)] = {e.en, e.zh};
  return index;
}
constexpr auto kIndex = make_index();

}  // namespace

const char* tr(Lang lang, T id) {
  const auto& e = kIndex[static_cast<std::size_t>(id)];
  const char* s = lang == Lang::Zh ? e.second : e.first;
  return s ? s : "?";
}

const char* comparison_row_name(const std::string& english, Lang lang) {
  if (lang != Lang::Zh) return english.c_str();
  for (const auto& r : kRows)
    if (english == r.en) return r.zh;
  return english.c_str();
}

std::vector<const char*> all_texts(Lang lang) {
  std::vector<const char*> out;
  for (const Entry& e : kTable) out.push_back(lang == Lang::Zh ? e.zh : e.en);
  for (const auto& r : kRows) out.push_back(lang == Lang::Zh ? r.zh : r.en);
  return out;
}

}  // namespace wirestep::gui
