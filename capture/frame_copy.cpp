#include "capture/frame_copy.hpp"

#include <pcap/pcap.h>

#include <filesystem>
#include <memory>
#include <system_error>

namespace wirestep {
namespace fs = std::filesystem;

Result<std::size_t> replace_with_part(const std::string& part, const std::string& out, std::size_t written) {
  std::error_code ec;
  fs::rename(part, out, ec);
  if (ec) {
    fs::remove(part, ec);
    return Error{out, "", "cannot replace the file: " + ec.message()};
  }
  return written;
}

Result<std::size_t> copy_capture_frames(const std::string& source, std::span<const std::uint32_t> frames,
                                        const std::string& out) {
  std::error_code ec;
  if (fs::exists(out, ec) && fs::equivalent(source, out, ec))
    return Error{out, "", "this is the capture being shown; choose another name"};
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  // Nanosecond precision: the copy keeps every timestamp exactly, whatever the source's resolution.
  std::unique_ptr<pcap_t, decltype(&pcap_close)> in(
      pcap_open_offline_with_tstamp_precision(source.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf),
      &pcap_close);
  if (!in) return Error{source, "", std::string("cannot read the capture again: ") + errbuf};
  const std::string part = out + ".part";
  std::unique_ptr<pcap_dumper_t, decltype(&pcap_dump_close)> dumper(pcap_dump_open(in.get(), part.c_str()),
                                                                    &pcap_dump_close);
  if (!dumper) return Error{out, "", std::string("cannot write: ") + pcap_geterr(in.get())};

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
  auto fail = [&](std::string reason) -> Result<std::size_t> {
    fs::remove(part, ec);
    return Error{out, "", std::move(reason)};
  };
  if (!flushed) return fail("write failed (disk full?)");
  if (written < frames.size()) {
    if (rc == -1) return fail(std::string("reading ") + source + " failed: " + pcap_geterr(in.get()));
    return fail(source + " changed since it was opened: frame " + std::to_string(frames[written]) +
                " is missing");
  }
  return replace_with_part(part, out, written);
}

}  // namespace wirestep
