#include "ui/cli/cli_help.hpp"

#include <iterator>
#include <memory>
#include <string>

#include "ui/cli/display_width.hpp"

namespace wirestep {
namespace {

// Option names, file types, units and commands stay ASCII in the Chinese ("--stream", ".pcap", "5%",
// `ip a`), as in the rest of the catalog (cli_text.cpp).
constexpr HelpText kHelp[] = {
    // CLI11's own help flag
    {"Print this help message and exit", "显示此帮助信息并退出"},
    // wirestep (ui/main.cpp)
    {"wirestep: a deterministic TCP/UDP simulator and packet visualizer",
     "wirestep：确定性的 TCP/UDP 模拟器与数据包可视化工具"},
    {"language of the text for people: en or zh (default: $WIRESTEP_LANG, else zh when LC_ALL, LC_MESSAGES "
     "or LANG starts with zh, else en); JSON stays English",
     "给人读的文字的语言：en 或 zh（默认：$WIRESTEP_LANG；否则 LC_ALL、LC_MESSAGES 或 LANG 以 zh 开头时为 "
     "zh，"
     "其余为 en）；JSON 始终为英文"},
    // run
    {"run a scenario headless: ladder diagram, summary, exports", "无界面运行场景：梯形图、汇总、导出"},
    {"scenario file (.toml)", "场景文件 (.toml)"},
    {"override the scenario's seed (0 to 2^63 - 1)", "覆盖场景的随机种子（0 到 2^63 - 1）"},
    {"write the packets as a pcap file", "把数据包写成 pcap 文件"},
    {"write the trace and summary as JSON", "把轨迹和汇总写成 JSON"},
    {"write pcapng with each packet's fate and cause as a comment",
     "写出 pcapng，每个数据包附上其结局和原因的注释"},
    {"write the ladder diagram as an SVG image", "把梯形图写成 SVG 图片"},
    {"events beside the ladder: auto, all (calls, states, timers), verbose (+ TCP variables), notes, none",
     "梯形图旁的事件：auto、all（调用、状态、定时器）、verbose（再加 TCP 变量）、notes、none"},
    {"ladder length limit (0 = no limit)", "梯形图行数上限（0 = 不限）"},
    {"print the summary only", "只打印汇总"},
    {"columns every line fits in (default: the terminal's width, 80 when not a terminal; 0 = no limit)",
     "每行不超过的列数（默认：终端宽度，不是终端时为 80；0 = 不限）"},
    // scenarios
    {"list the bundled scenarios", "列出自带的场景"},
    {"scenario directory", "场景目录"},
    // analyze
    {"load a pcap/pcapng capture and report per-flow TCP/UDP analysis",
     "载入 pcap/pcapng 抓包文件，按流报告 TCP/UDP 分析"},
    {"capture file (.pcap, .pcapng)", "抓包文件 (.pcap, .pcapng)"},
    {"print the analysis as JSON (schema in README.md)", "以 JSON 打印分析结果（格式见 README.md）"},
    {"BPF filter applied while reading (libpcap syntax)", "读取时应用的 BPF 过滤器（libpcap 语法）"},
    // capture
    {"capture live traffic from an interface through libpcap", "通过 libpcap 从网络接口实时抓包"},
    {"interface (see `wirestep interfaces`)", "网络接口（见 `wirestep interfaces`）"},
    {"BPF filter, e.g. \"tcp port 80\"", "BPF 过滤器，例如 \"tcp port 80\""},
    {"write the frames to this pcap file as they arrive", "帧一到达就写入这个 pcap 文件"},
    {"stop after this many frames", "抓到这么多帧后停止"},
    {"stop after this many seconds", "这么多秒后停止"},
    {"bytes kept per frame", "每帧保留的字节数"},
    {"no line per frame, only the summary", "不逐帧打印，只打印汇总"},
    // live
    {"real TCP and UDP sockets between two network namespaces (or on loopback), with loss, captured live",
     "在两个网络命名空间之间（或在环回接口上）使用真实的 TCP 和 UDP 套接字，可加丢包，并实时抓包"},
    {"use 127.0.0.1 instead of namespaces (no loss)", "用 127.0.0.1 代替命名空间（无丢包）"},
    {"only the TCP transfer", "只做 TCP 传输"},
    {"only the UDP datagrams", "只发 UDP 数据报"},
    {"random loss on the data direction, e.g. 5%", "数据方向的随机丢包率，例如 5%"},
    {"drop every n-th data-direction packet (repeatable loss)",
     "数据方向每第 n 个数据包丢弃一次（可重复的丢包）"},
    {"TCP transfer size, e.g. 1MB", "TCP 传输的大小，例如 1MB"},
    {"UDP datagrams to send", "要发送的 UDP 数据报个数"},
    {"pcap file of the run", "本次运行的 pcap 文件"},
    {"give up after this many seconds", "这么多秒后放弃"},
    // interfaces
    {"list interfaces and addresses, with the network and host part of each",
     "列出网络接口和地址，并给出每个地址的网络部分和主机部分"},
    // follow (ui/cli/follow_command.cpp)
    {"print one conversation's payload, both directions, as Wireshark's Follow TCP Stream",
     "像 Wireshark 的“追踪 TCP 流”一样，打印一个会话双向的载荷"},
    {"scenario (.toml) or capture (.pcap, .pcapng)", "场景 (.toml) 或抓包文件 (.pcap, .pcapng)"},
    {"conversation number, as the Flows tab and `analyze` list them",
     "会话编号，与“流”标签页和 `analyze` 列出的一致"},
    {"Wireshark's tcp.stream number (udp.stream with --udp)",
     "Wireshark 的 tcp.stream 编号（加 --udp 时为 udp.stream）"},
    {"--stream is a udp.stream number; a comparison scenario's UDP run",
     "--stream 是 udp.stream 编号；对比场景中的 UDP 那次运行"},
    {"text, hex or raw (tshark's follow modes)", "text、hex 或 raw（tshark 的追踪模式）"},
    {"how --format text decodes the bytes: utf8 or gbk", "--format text 如何解码字节：utf8 或 gbk"},
    {"scenarios: override the scenario's seed", "场景：覆盖场景的随机种子"},
    // packetdrill (ui/cli/packetdrill_command.cpp)
    {"run packetdrill scripts (Linux's TCP tests) against the simulated TCP: pass, fail or unsupported",
     "用模拟的 TCP 运行 packetdrill 脚本（Linux 的 TCP 测试）：通过、失败或不支持"},
    {"packetdrill scripts (.pkt)", "packetdrill 脚本 (.pkt)"},
    {"write every script's result as JSON", "把每个脚本的结果写成 JSON"},
    {"write the run's packets as pcap (with several scripts: a directory, one file each)",
     "把运行的数据包写成 pcap（多个脚本时：一个目录，每个脚本一个文件）"},
    {"write the run's packets as pcapng, each commented with its script line (several scripts: a directory)",
     "把运行的数据包写成 pcapng，每个附上对应的脚本行注释（多个脚本时：一个目录）"},
    {"also the assumptions made and the events run", "同时显示所做的假设和执行的事件"},
    {"diagnosis: compare packets without TCP options, to see what fails after the handshake",
     "诊断：比较数据包时忽略 TCP 选项，以查看握手之后哪里失败"},
    {"the simulated host's TCP: linux (default, what the scripts were written for) or rfc",
     "模拟主机的 TCP：linux（默认，脚本就是为它写的）或 rfc"},
    // hosts (ui/cli/hosts_command.cpp)
    {"print a scenario's hosts as `ip a` (or `ipconfig`) shows them, network and host part explained",
     "像 `ip a`（或 `ipconfig`）那样打印场景中的主机，并解释网络部分和主机部分"},
    {"ip (Linux `ip a`) or ipconfig (Windows)", "ip（Linux 的 `ip a`）或 ipconfig（Windows）"},
    // gui and shot (ui/gui/gui_commands.cpp)
    {"open the desktop UI on a scenario, a pcap/pcapng file, a packetdrill script, or the handshake lesson",
     "打开桌面界面，显示一个场景、一个 pcap/pcapng 文件、一个 packetdrill 脚本或握手课程"},
    {"scenario (.toml), capture (.pcap, .pcapng) or packetdrill script (.pkt)",
     "场景 (.toml)、抓包文件 (.pcap, .pcapng) 或 packetdrill 脚本 (.pkt)"},
    {"render the UI for INPUT into a PNG (needs a display; tests use Xvfb)",
     "把 INPUT 的界面渲染成 PNG（需要显示器；测试使用 Xvfb）"},
    {"PNG file to write", "要写入的 PNG 文件"},
    {"run a scenario in the simulator and with real Linux sockets in network namespaces (root), the same "
     "drops on both, and compare them segment by segment",
     "在模拟器中和用网络命名空间里的真实 Linux 套接字（需要 root）各运行一次场景，两边丢弃相同的报文段，"
     "并逐段比较"},
    {"capture: the ladder or the conversation overview (default: overview when many hosts); a simulated run: "
     "topology adds the network's nodes and links above the ladder",
     "抓包：梯形图或会话总览（主机多时默认总览）；模拟运行：topology 在梯形图上方加上网络的节点和链路"},
    {"with --view topology: open this node's details", "与 --view topology 一起：打开这个节点的详情"},
    {"do not count scaled-window differences (they are still marked ~)", "不计缩放后窗口的差异（仍标 ~）"},
    {"leave PSH out of the flags compared (real Linux pushes wherever send() waited for buffer)",
     "比较标志位时不看 PSH（真实 Linux 在 send() 等待缓冲区的地方都会置 PSH）"},
    {"do not compare how retransmissions were repaired (fast, RACK, TLP, RTO)",
     "不比较重传的方式（快速重传、RACK、TLP、RTO）"},
    {"then open both runs in the desktop UI, one lane each", "然后在桌面界面中打开两次运行，各占一条泳道"},
    {"scenario file (.toml), linux profile, TCP programs", "场景文件（.toml），linux 配置，TCP 程序"},
    {"pcap of the simulated run (default twin-sim.pcap)", "模拟运行的 pcap（默认 twin-sim.pcap）"},
    {"pcap of the real run (default twin-real.pcap)", "真实运行的 pcap（默认 twin-real.pcap）"},
    {"give up on the real run after this many seconds", "真实运行超过这么多秒就放弃"},
    {"run the real side this many times (twin-real.pcap, twin-real-2.pcap, ...): list the one the simulator "
     "agrees with longest and how far the real runs agree with each other; exit 0 when the simulator agrees "
     "with one of them",
     "真实一侧运行这么多次（twin-real.pcap、twin-real-2."
     "pcap……）：列出与模拟一致最长的那一次，以及各次真实运行"
     "彼此一致到哪里；模拟与其中任一次逐段一致时退出码为 0"},
    {"run nothing: compare the pcaps an earlier twin run wrote (--pcap-sim, --pcap-real and, with "
     "--real-runs, "
     "its numbered siblings); needs no root",
     "什么都不运行：比较之前一次 twin 写下的抓包（--pcap-sim、--pcap-real，以及配合 --real-runs 时带编号的"
     "同名文件）；不需要 root"},
    {"the simulated and the real pcap of `wirestep twin`, side by side",
     "`wirestep twin` 的模拟 pcap 和真实 pcap，并排显示"},
    {"instead of INPUT: the simulated and the real pcap of `wirestep twin`, side by side",
     "不用 INPUT：`wirestep twin` 的模拟 pcap 和真实 pcap，并排显示"},
    {"with --twin: leave PSH out of the flags compared, as `wirestep twin --ignore-psh`",
     "与 --twin 一起：比较标志位时不看 PSH，同 `wirestep twin --ignore-psh`"},
    {"with --twin: do not count scaled-window differences", "与 --twin 一起：不计缩放后窗口的差异"},
    {"with --twin: do not compare how retransmissions were repaired", "与 --twin 一起：不比较重传的方式"},
    {"image size WxH (default 1400x900)", "图片尺寸 宽x高（默认 1400x900）"},
    {"put the time cursor here, e.g. 25ms (default: the end of the run)",
     "把时间光标放在这里，例如 25ms（默认：运行结束处）"},
    {"select packet number N (1 = the first) for the inspector", "在检查器中选中第 N 个数据包（1 = 第一个）"},
    {"UI language: en or zh", "界面语言：en 或 zh"},
    {"capture: show only these flows, e.g. 0 or 0,3", "抓包：只显示这些流，例如 0 或 0,3"},
    {"with --flows T,U (a TCP and a UDP flow): draw them as two ladders",
     "配合 --flows T,U（一个 TCP 流和一个 UDP 流）：画成两个并排的梯形图"},
    {"capture: the Flows tab's text filter", "抓包：“流”标签页的文本过滤器"},
    {"capture: the ladder or the conversation overview (default: overview when many hosts)",
     "抓包：梯形图或会话总览（默认：主机多时为总览）"},
    {"timeline: time (proportional) or sequence (a row per step)",
     "时间线：time（按时间比例）或 sequence（每步一行）"},
    {"render with the open or save file dialog open", "渲染时打开“打开文件”或“保存文件”对话框"},
    {"lower right tab: state (default), graphs or truth; or the left column's link tab",
     "右下方标签页：state（默认）、graphs 或 truth；或左栏的 link 标签页"},
    {"with --tab graphs: seq (default), cwnd or throughput",
     "配合 --tab graphs：seq（默认）、cwnd 或 throughput"},
    {"with --select: drop, delay (by 200 ms) or duplicate that packet and replay the run",
     "配合 --select：丢弃、延迟（200 ms）或复制那个数据包，并重新运行"},
    {"open Follow stream on the selected packet's flow (else the first packet's): text, gbk or hex",
     "在选中数据包（否则为第一个数据包）所在的流上打开“追踪流”：text、gbk 或 hex"},
    {"prediction mode on: the next TCP segment after the cursor is hidden until guessed",
     "开启预测模式：光标之后的下一个 TCP 报文段在猜出之前是隐藏的"},
    {"instead of INPUT: run the live lab (real sockets) and render it mid-capture",
     "不用 INPUT：运行实时实验（真实套接字），并在抓包中途渲染"},
    {"with --live-lab: two network namespaces instead of loopback (needs root)",
     "配合 --live-lab：用两个网络命名空间代替环回接口（需要 root）"},
    {"with --live-namespaces: percent of packets A->B dropped",
     "配合 --live-namespaces：A->B 方向丢弃的数据包百分比"},
};

// CLI11's section and marker labels (CLI/Formatter.hpp); type names such as TEXT and UINT stay, as
// placeholders do in a man page.
constexpr HelpText kLabels[] = {
    {"Usage", "用法"},         {"OPTIONS", "选项"},         {"SUBCOMMAND", "子命令"},
    {"SUBCOMMANDS", "子命令"}, {"Positionals", "位置参数"}, {"REQUIRED", "必需"},
    {"Env", "环境变量"},       {"Needs", "需要"},           {"Excludes", "不能与之同用"},
};

// CLI11 pads the option column by bytes; a Chinese label such as "必需" is 6 bytes but 4 columns wide, which
// would pull its description 2 columns left of the others. This pads by display width instead.
class ChineseFormatter : public CLI::Formatter {
 public:
  std::string make_option(const CLI::Option* opt, bool is_positional) const override {
    const std::string name = "  " + make_option_name(opt, is_positional) + make_option_opts(opt);
    const std::string desc = make_option_desc(opt);
    const std::size_t width = display_width(name);
    std::string out = name;
    if (!desc.empty()) {
      if (width >= column_width_)
        out += "\n" + std::string(column_width_, ' ');
      else
        out += std::string(column_width_ - width, ' ');
      out += desc;
    }
    return out + "\n";
  }
};

// CLI11's FailureMessage::simple in Chinese: the error, then where to read more.
std::string failure_message_zh(const CLI::App* app, const CLI::Error& e) {
  std::string out = usage_error_zh(e.what()) + "\n";
  if (app->get_help_ptr() != nullptr)
    out += "运行时加 " + app->get_help_ptr()->get_name() + " 查看更多信息。\n";
  return out;
}

void localize(CLI::App& app, const std::shared_ptr<ChineseFormatter>& formatter) {
  app.failure_message(failure_message_zh);
  if (auto zh = help_text_zh(app.get_description())) app.description(std::string(*zh));
  if (app.get_group() == "Subcommands") app.group("子命令");
  app.formatter(formatter);
  for (CLI::Option* opt : app.get_options()) {
    if (auto zh = help_text_zh(opt->get_description())) opt->description(std::string(*zh));
    if (opt->get_group() == "Options") opt->group("选项");
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) localize(*sub, formatter);
}

bool take_suffix(std::string_view& s, std::string_view suffix) {
  if (!s.ends_with(suffix)) return false;
  s.remove_suffix(suffix.size());
  return true;
}

}  // namespace

std::string usage_error_zh(std::string_view english) {
  std::string_view s = english;
  // The texts of CLI/Error.hpp and CLI/Option.hpp (CLI11 2.1), most specific first.
  for (std::string_view lead :
       {"The following arguments were not expected: ", "The following argument was not expected: "})
    if (s.starts_with(lead)) return "多余的参数：" + std::string(s.substr(lead.size()));
  if (s.starts_with("Could not convert: ")) return "无法转换：" + std::string(s.substr(19));
  if (take_suffix(s, " is required")) return "缺少必需的 " + std::string(s);
  if (const auto at = s.find(" excludes "); at != std::string_view::npos && s.find(' ') == at)
    return std::string(s.substr(0, at)) + " 不能与 " + std::string(s.substr(at + 10)) + " 同用";
  if (const auto at = s.find(" requires "); at != std::string_view::npos && s.find(' ') == at)
    return std::string(s.substr(0, at)) + " 需要 " + std::string(s.substr(at + 10));
  // "--seed: 1 required UINT:SEED missing", "--events: bogus not in {auto,all}"
  if (const auto colon = s.find(": "); colon != std::string_view::npos) {
    const std::string option(s.substr(0, colon));
    std::string_view rest = s.substr(colon + 2);
    if (take_suffix(rest, " missing")) {
      const auto required = rest.find(" required ");
      if (required != std::string_view::npos)
        return option + "：缺少 " + std::string(rest.substr(0, required)) + " 个 " +
               std::string(rest.substr(required + 10)) + " 值";
    }
    if (const auto not_in = rest.rfind(" not in {"); not_in != std::string_view::npos && rest.ends_with("}"))
      return option + "：" + std::string(rest.substr(0, not_in)) + " 不是 " +
             std::string(rest.substr(not_in + 8)) + " 之一";
  }
  return std::string(english);
}

std::span<const HelpText> help_catalog() {
  return kHelp;
}

std::optional<std::string_view> help_text_zh(std::string_view english) {
  for (const HelpText& h : kHelp)
    if (h.en == english) return h.zh;
  return std::nullopt;
}

void localize_help(CLI::App& app, Lang lang) {
  if (lang == Lang::En) return;
  auto formatter = std::make_shared<ChineseFormatter>();
  for (const auto& [en, zh] : kLabels) formatter->label(std::string(en), std::string(zh));
  localize(app, formatter);
}

}  // namespace wirestep
