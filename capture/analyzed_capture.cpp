#include "capture/analyzed_capture.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace wirestep {
namespace {

// What FlowAnalyzer::add reads of a packet, in 48 bytes rather than a whole PacketRecord.
struct AnalysisItem {
  std::int64_t time_ns = 0;
  std::uint32_t packet = 0, frame = 0, wire_len = 0, flow = 0;
  std::uint32_t seq = 0, ack = 0, payload_len = 0;
  std::uint16_t window = 0;
  std::uint8_t tcp_flags = 0;
  Direction dir = Direction::AtoB;
  Transport proto = Transport::Other;
  bool analyzable = false;
  std::int8_t window_scale = -1;  // SYNs' option; -1 when absent
};

// The analysis on a second thread, fed in batches in packet order: the loader (libpcap, decoding, the
// Trace) and the analysis each keep a core busy. One consumer taking batches in order sees exactly the
// sequence a single thread would, so the results are identical. At most kMaxQueued batches wait, which
// bounds the memory in flight (~1.5 MB).
class AnalysisPipeline {
 public:
  explicit AnalysisPipeline(FlowAnalyzer& analysis) : analysis_(analysis), worker_([this] { run(); }) {
    batch_.reserve(kBatch);
  }
  ~AnalysisPipeline() { finish(); }

  void add(const PacketRecord& rec, const FrameInfo& info) {
    AnalysisItem& it = batch_.emplace_back();
    it.time_ns = info.time_ns;
    it.packet = info.packet;
    it.frame = info.frame;
    it.wire_len = info.wire_len;
    it.flow = rec.flow;
    it.seq = rec.seq;
    it.ack = rec.ack;
    it.payload_len = rec.payload_len;
    it.window = rec.window;
    it.tcp_flags = rec.tcp_flags;
    it.dir = rec.dir;
    it.proto = info.proto;
    it.analyzable = info.analyzable;
    if (rec.options && rec.options->window_scale)
      it.window_scale = static_cast<std::int8_t>(*rec.options->window_scale);
    // ICMP and ARP packets have no TCP fields, so what the analysis reads of them rides in those: ICMP's
    // type in tcp_flags, IPv6 and code in window, the quoted packet's flow in seq; ARP's operation in window.
    if (info.proto == Transport::Icmp && rec.icmp) {
      it.tcp_flags = rec.icmp->message.type;
      it.window = static_cast<std::uint16_t>((rec.icmp->message.v6 ? 0x100 : 0) | rec.icmp->message.code);
      it.seq = rec.icmp->quoted_flow;
    } else if (info.proto == Transport::Arp && rec.arp) {
      it.window = rec.arp->op;
    }
    if (batch_.size() == kBatch) hand_over();
  }

  // Hands over the last batch and waits until the analysis has seen every packet.
  void finish() {
    if (!worker_.joinable()) return;
    if (!batch_.empty()) hand_over();
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    ready_.notify_one();
    worker_.join();
  }

 private:
  static constexpr std::size_t kBatch = 4096;
  static constexpr std::size_t kMaxQueued = 8;

  void hand_over() {
    std::vector<AnalysisItem> next;
    {
      std::unique_lock lock(mutex_);
      room_.wait(lock, [&] { return queue_.size() < kMaxQueued; });
      if (!spare_.empty()) {
        next = std::move(spare_.back());
        spare_.pop_back();
      }
      queue_.push_back(std::move(batch_));
    }
    ready_.notify_one();
    batch_ = std::move(next);
    batch_.clear();
    batch_.reserve(kBatch);
  }

  void run() {
    PacketRecord rec;
    FrameInfo info;
    for (;;) {
      std::vector<AnalysisItem> items;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !queue_.empty() || done_; });
        if (queue_.empty()) return;
        items = std::move(queue_.front());
        queue_.pop_front();
      }
      room_.notify_one();
      for (const AnalysisItem& it : items) {
        rec.time = rec.arrive = SimTime{it.time_ns};
        rec.flow = it.flow;
        rec.dir = it.dir;
        rec.tcp_flags = it.tcp_flags;
        rec.seq = it.seq;
        rec.ack = it.ack;
        rec.payload_len = it.payload_len;
        rec.window = it.window;
        rec.options.reset();
        if (it.window_scale >= 0) {
          rec.options.emplace();
          rec.options->window_scale = static_cast<std::uint8_t>(it.window_scale);
        }
        rec.icmp.reset();
        rec.arp.reset();
        if (it.proto == Transport::Icmp) {
          rec.icmp.emplace();
          rec.icmp->message.type = it.tcp_flags;
          rec.icmp->message.v6 = (it.window & 0x100) != 0;
          rec.icmp->message.code = static_cast<std::uint8_t>(it.window);
          rec.icmp->quoted_flow = it.seq;
        } else if (it.proto == Transport::Arp) {
          rec.arp.emplace();
          rec.arp->op = it.window;
        }
        info.packet = it.packet;
        info.frame = it.frame;
        info.time_ns = it.time_ns;
        info.wire_len = it.wire_len;
        info.proto = it.proto;
        info.analyzable = it.analyzable;
        analysis_.add(rec, info);
      }
      std::lock_guard lock(mutex_);
      if (spare_.size() < 2) spare_.push_back(std::move(items));
    }
  }

  FlowAnalyzer& analysis_;
  std::vector<AnalysisItem> batch_;
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::deque<std::vector<AnalysisItem>> queue_;
  std::vector<std::vector<AnalysisItem>> spare_;
  bool done_ = false;
  std::thread worker_;  // last: starts after everything it uses exists
};

}  // namespace

Result<AnalyzedCapture> load_and_analyze(const std::string& path, const CaptureOptions& options,
                                         FlowAnalyzer::Options analysis_options) {
  FlowAnalyzer analysis(analysis_options);
  Result<LoadedCapture> loaded = Error{path, "", "not loaded", "", "未加载"};
  {
    AnalysisPipeline pipeline(analysis);
    loaded = load_capture(path, options,
                          [&](const PacketRecord& rec, const FrameInfo& info) { pipeline.add(rec, info); });
    pipeline.finish();
  }
  if (!loaded) return loaded.error();
  analysis.finish();
  return AnalyzedCapture{std::move(*loaded), std::move(analysis)};
}

}  // namespace wirestep
