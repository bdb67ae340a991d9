#include "capture/frame_copy.hpp"

#include <pcap/pcap.h>

#include <filesystem>
#include <memory>
#include <system_error>

#include "capture/capture_error.hpp"

namespace wirestep {
namespace fs = std::filesystem;

Result<std::size_t> replace_with_part(const std::string& part, const std::string& out, std::size_t written) {
  std::error_code ec;
  fs::rename(part, out, ec);
  if (ec) {
    fs::remove(part, ec);
    return file_error(out, "cannot replace the file: " + ec.message(), "无法替换文件：" + ec.message());
  }
  return written;
}

Result<std::size_t> copy_capture_frames(const std::string& source, std::span<const std::uint32_t> frames,
                                        const std::string& out) {
  std::error_code ec;
  if (fs::exists(out, ec) && fs::equivalent(source, out, ec))
    return file_error(out, "this is the capture being shown; choose another name",
                      "这正是当前显示的抓包文件；请换一个文件名");
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  // Nanosecond precision: the copy keeps every timestamp exactly, whatever the source's resolution.
  std::unique_ptr<pcap_t, decltype(&pcap_close)> in(
      pcap_open_offline_with_tstamp_precision(source.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf),
      &pcap_close);
  if (!in)
    return file_error(source, std::string("cannot read the capture again: ") + errbuf,
                      libpcap_zh("无法再次读取这个抓包文件", errbuf));
  const std::string part = out + ".part";
  std::unique_ptr<pcap_dumper_t, decltype(&pcap_dump_close)> dumper(pcap_dump_open(in.get(), part.c_str()),
                                                                    &pcap_dump_close);
  if (!dumper)
    return file_error(out, std::string("cannot write: ") + pcap_geterr(in.get()),
                      libpcap_zh("无法写入文件", pcap_geterr(in.get())));

  std::size_t written = 0;
  std::uint64_t frame = 0;
  pcap_pkthdr* hdr = nullptr;
  const u_char* data = nullptr;
  int rc = 0;
  while (written < frames.size() && (rc = pcap_next_ex(in.get(), &hdr, &data)) == 1) {
    ++frame;
    if (frame < frames[written]) continue;
    pcap_dump(reinterpret_cast<u_char*>(dumper.get()), hdr, data);
    ++written;
  }
  const bool flushed = pcap_dump_flush(dumper.get()) == 0;
  dumper.reset();
  auto fail = [&](std::string reason, std::string reason_zh) -> Result<std::size_t> {
    fs::remove(part, ec);
    return file_error(out, std::move(reason), std::move(reason_zh));
  };
  if (!flushed) return fail(std::string(kWriteFailed), std::string(kWriteFailedZh));
  if (written < frames.size()) {
    if (rc == -1)
      return fail(std::string("reading ") + source + " failed: " + pcap_geterr(in.get()),
                  libpcap_zh("读取 " + source + " 失败", pcap_geterr(in.get())));
    const std::string frame_no = std::to_string(frames[written]);
    return fail(source + " changed since it was opened: frame " + frame_no + " is missing",
                source + " 在打开之后被改动过：第 " + frame_no + " 帧不见了");
  }
  return replace_with_part(part, out, written);
}

}  // namespace wirestep
