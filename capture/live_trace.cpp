#include "capture/live_trace.hpp"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <streambuf>
#include <utility>
#include <vector>

#include "capture/capture_error.hpp"
#include "capture/link_layer.hpp"

namespace wirestep {

LiveTraceBuilder::LiveTraceBuilder(Trace& trace, bool pcap_written)
    : decoder_(trace, info_,
               [this](const PacketRecord& rec, const FrameInfo& fi) {
                 last_ = fi;
                 if (rec.marks & mark::kMalformed) ++counts_.malformed;
               }),
      pcap_written_(pcap_written) {}

FrameInfo LiveTraceBuilder::add(const LiveFrame& f) {
  if (counts_.frames == 0) {
    info_.dlt = f.dlt;
    info_.link_supported = link_supported(f.dlt);
  }
  ++counts_.frames;
  RawFrame raw;
  raw.epoch_ns = f.epoch_ns;
  raw.caplen = f.caplen;
  raw.len = f.len;
  raw.data = f.data;
  raw.number = static_cast<std::uint32_t>(counts_.frames);
  if (pcap_written_) {
    raw.data_offset = pcap_bytes_ + kPcapRecordHeader;
    raw.stored_len = f.caplen;
  }
  pcap_bytes_ += kPcapRecordHeader + f.caplen;
  decoder_.add(raw);
  switch (last_.proto) {
    case Transport::Tcp:
      ++counts_.tcp;
      break;
    case Transport::Udp:
      ++counts_.udp;
      break;
    case Transport::Other:
    case Transport::Icmp:
    case Transport::Arp:
      ++counts_.other;
      break;
  }
  return last_;
}

Status copy_file_prefix(const std::string& from, const std::string& to, std::uint64_t bytes) {
  std::ifstream in(from, std::ios::binary);
  if (!in) return file_error(from, "cannot read", "无法读取");
  std::ofstream out(to, std::ios::binary | std::ios::trunc);
  if (!out) return file_error(to, "cannot write", "无法写入");
  std::vector<char> buf(1 << 16);
  std::uint64_t left = bytes;
  while (left > 0) {
    const auto want = static_cast<std::streamsize>(std::min<std::uint64_t>(left, buf.size()));
    in.read(buf.data(), want);
    const std::streamsize got = in.gcount();
    if (got <= 0)
      return file_error(from, "ends before byte " + std::to_string(bytes),
                        "文件在第 " + std::to_string(bytes) + " 字节之前就结束了");
    out.write(buf.data(), got);
    left -= static_cast<std::uint64_t>(got);
  }
  out.flush();
  if (!out) return file_error(to, std::string(kWriteFailed), std::string(kWriteFailedZh));
  return Ok{};
}

LiveFrame LiveFrameQueue::Batch::frame(std::size_t i) const {
  const Header& h = headers[i];
  LiveFrame f;
  f.epoch_ns = h.epoch_ns;
  f.caplen = h.caplen;
  f.len = h.len;
  f.dlt = h.dlt;
  f.data = bytes.data() + h.offset;
  return f;
}

void LiveFrameQueue::push(const LiveFrame& f) {
  std::lock_guard lock(mutex_);
  waiting_.headers.push_back({f.epoch_ns, f.caplen, f.len, f.dlt, waiting_.bytes.size()});
  waiting_.bytes.insert(waiting_.bytes.end(), f.data, f.data + f.caplen);
}

void LiveFrameQueue::take(Batch& out) {
  out.clear();
  std::lock_guard lock(mutex_);
  std::swap(out, waiting_);
}

// The lab's progress lines go to the source's status as they are written (a std::ostream over this).
class LiveProgressBuffer : public std::streambuf {
 public:
  explicit LiveProgressBuffer(LiveSource& source) : source_(source) {}

 protected:
  int overflow(int ch) override {
    if (ch == traits_type::eof()) return traits_type::not_eof(ch);
    const char c = static_cast<char>(ch);
    source_.append_progress(std::string(1, c));
    return ch;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    source_.append_progress(std::string(s, static_cast<std::size_t>(n)));
    return n;
  }

 private:
  LiveSource& source_;
};

LiveSource::LiveSource(std::string pcap_path) : pcap_path_(std::move(pcap_path)) {}

LiveSource::~LiveSource() {
  stop();
  std::error_code ec;
  std::filesystem::remove(pcap_path_, ec);
}

void LiveSource::start_capture(LiveCaptureOptions o) {
  if (thread_.joinable()) return;
  o.write_path = pcap_path_;
  {
    std::lock_guard lock(mutex_);
    status_.running = true;
    status_.lab = false;
    status_.what = o.interface + (o.bpf_filter.empty() ? "" : " (" + o.bpf_filter + ")");
    ++status_.version;
    version_.store(status_.version);
  }
  thread_ = std::thread([this, o = std::move(o)] {
    auto r = run_live_capture(
        o,
        [this](const LiveFrame& f) {
          queue_.push(f);
          return true;
        },
        &stop_);
    if (r)
      finish("", std::nullopt, r->dropped_by_kernel);
    else
      finish(r.error().message(), std::nullopt, 0);
  });
}

void LiveSource::start_lab(LiveLabOptions o) {
  if (thread_.joinable()) return;
  o.write_path = pcap_path_;
  o.cancel = &stop_;
  o.on_frame = [this](const LiveFrame& f) {
    queue_.push(f);
    return true;
  };
  {
    std::lock_guard lock(mutex_);
    status_.running = true;
    status_.lab = true;
    status_.what = o.namespaces ? "live lab: two namespaces" : "live lab: loopback";
    ++status_.version;
    version_.store(status_.version);
  }
  thread_ = std::thread([this, o = std::move(o)] {
    LiveProgressBuffer buffer(*this);
    std::ostream progress(&buffer);
    auto r = run_live_lab(o, progress);
    // Stopped on request: what was captured is the result, not an error.
    if (r)
      finish("", *r, 0);
    else
      finish(stop_.load() ? "" : r.error().message(), std::nullopt, 0);
  });
}

void LiveSource::stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

void LiveSource::finish(std::string error, std::optional<LiveLabResult> lab, std::uint64_t dropped) {
  std::lock_guard lock(mutex_);
  status_.running = false;
  status_.error = std::move(error);
  status_.lab_result = std::move(lab);
  status_.dropped_by_kernel = dropped;
  ++status_.version;
  version_.store(status_.version);
}

void LiveSource::append_progress(const std::string& text) {
  std::lock_guard lock(mutex_);
  status_.progress += text;
  ++status_.version;
  version_.store(status_.version);
}

LiveSourceStatus LiveSource::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

bool LiveSource::running() const {
  std::lock_guard lock(mutex_);
  return status_.running;
}

}  // namespace wirestep
