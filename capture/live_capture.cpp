#include "capture/live_capture.hpp"

#include <pcap/pcap.h>
#include <poll.h>

#include <chrono>
#include <memory>

#include "capture/capture_error.hpp"

namespace wirestep {
namespace {

// `what` is libpcap's text (or ours in its words); `step_zh` says in Chinese which step failed.
Error capture_error(const std::string& interface, const std::string& what, std::string_view step_zh) {
  std::string hint, hint_zh;
  if (what.find("ermission") != std::string::npos || what.find("not permitted") != std::string::npos) {
    hint =
        " (capturing needs root or the CAP_NET_RAW capability: run with sudo, or setcap cap_net_raw+ep on "
        "wirestep)";
    hint_zh = "（抓包需要 root 或 CAP_NET_RAW 能力：用 sudo 运行，或对 wirestep 执行 setcap cap_net_raw+ep）";
  } else if (what.find("No such device") != std::string::npos ||
             what.find("doesn't exist") != std::string::npos) {
    hint = " (see `wirestep interfaces` for the interfaces on this machine)";
    hint_zh = "（用 `wirestep interfaces` 查看本机有哪些接口）";
  }
  return Error{"", "interface " + interface, what + hint, "接口 " + interface,
               libpcap_zh(step_zh, what) + hint_zh};
}

Error filter_error(const std::string& filter, const std::string& libpcap, std::string_view step_zh) {
  return Error{"", "filter \"" + filter + "\"", libpcap, "过滤表达式 \"" + filter + "\"",
               libpcap_zh(step_zh, libpcap)};
}

}  // namespace

Result<LiveCaptureStats> run_live_capture(const LiveCaptureOptions& o, const LiveFrameSink& sink,
                                          const std::atomic<bool>* stop) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, decltype(&pcap_close)> pcap(pcap_create(o.interface.c_str(), errbuf), &pcap_close);
  if (!pcap) return capture_error(o.interface, errbuf, "无法创建抓包句柄");
  pcap_set_snaplen(pcap.get(), static_cast<int>(o.snaplen));
  pcap_set_promisc(pcap.get(), o.promiscuous ? 1 : 0);
  pcap_set_timeout(pcap.get(), 100);  // ms: wake up regularly to check the stop conditions
  pcap_set_immediate_mode(pcap.get(), 1);
  pcap_set_tstamp_precision(pcap.get(), PCAP_TSTAMP_PRECISION_NANO);
  if (const int rc = pcap_activate(pcap.get()); rc < 0) {
    std::string what = pcap_geterr(pcap.get());
    if (rc == PCAP_ERROR_PERM_DENIED) what = "permission denied";
    if (rc == PCAP_ERROR_NO_SUCH_DEVICE) what = "No such device";
    return capture_error(o.interface, what, "无法在这个接口上开始抓包");
  }
  const bool nano = pcap_get_tstamp_precision(pcap.get()) == PCAP_TSTAMP_PRECISION_NANO;
  if (!o.bpf_filter.empty()) {
    bpf_program prog{};
    if (pcap_compile(pcap.get(), &prog, o.bpf_filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
      return filter_error(o.bpf_filter, pcap_geterr(pcap.get()), "无法编译过滤表达式");
    const int rc = pcap_setfilter(pcap.get(), &prog);
    pcap_freecode(&prog);
    if (rc != 0) return filter_error(o.bpf_filter, pcap_geterr(pcap.get()), "无法应用过滤表达式");
  }
  std::unique_ptr<pcap_dumper_t, decltype(&pcap_dump_close)> dumper(nullptr, &pcap_dump_close);
  if (!o.write_path.empty()) {
    dumper.reset(pcap_dump_open(pcap.get(), o.write_path.c_str()));
    if (!dumper)
      return file_error(o.write_path, std::string("cannot write: ") + pcap_geterr(pcap.get()),
                        libpcap_zh("无法写入文件", pcap_geterr(pcap.get())));
  }
  // Non-blocking reads plus our own poll with a timeout: a blocking read can sleep forever on an idle
  // interface, and then the stop conditions would never be checked.
  if (pcap_setnonblock(pcap.get(), 1, errbuf) != 0)
    return capture_error(o.interface, errbuf, "无法切换到非阻塞读取");
  const int selectable = pcap_get_selectable_fd(pcap.get());
  LiveCaptureStats stats;
  stats.dlt = pcap_datalink(pcap.get());
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    if (stop && stop->load()) break;
    if (o.count && stats.frames >= *o.count) break;
    if (o.duration_s &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >= *o.duration_s)
      break;
    pcap_pkthdr* hdr = nullptr;
    const std::uint8_t* data = nullptr;
    const int rc = pcap_next_ex(pcap.get(), &hdr, &data);
    if (rc ==
        0) {  // nothing waiting: sleep until a frame arrives or 100 ms pass, then check the stop conditions
      if (selectable >= 0) {
        pollfd pfd{selectable, POLLIN, 0};
        poll(&pfd, 1, 100);
      }
      continue;
    }
    if (rc < 0) {
      if (rc == PCAP_ERROR_BREAK) break;
      return capture_error(o.interface, pcap_geterr(pcap.get()), "抓包时读取失败");
    }
    ++stats.frames;
    if (dumper) {
      pcap_dump(reinterpret_cast<u_char*>(dumper.get()), hdr, data);
      pcap_dump_flush(dumper.get());  // nothing captured is lost if we are interrupted
    }
    LiveFrame f;
    f.epoch_ns =
        std::int64_t{hdr->ts.tv_sec} * 1'000'000'000 + (nano ? hdr->ts.tv_usec : hdr->ts.tv_usec * 1000LL);
    f.caplen = hdr->caplen;
    f.len = hdr->len;
    f.data = data;
    f.dlt = stats.dlt;
    if (sink && !sink(f)) break;
  }
  pcap_stat ps{};
  if (pcap_stats(pcap.get(), &ps) == 0) stats.dropped_by_kernel = ps.ps_drop;
  return stats;
}

}  // namespace wirestep
