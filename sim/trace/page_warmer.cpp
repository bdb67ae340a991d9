#include "sim/trace/page_warmer.hpp"

#include <sys/mman.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

namespace wirestep {
namespace {

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14; older headers lack the name
#endif

// Ranges are populated a huge page at a time, taking turns.
constexpr std::size_t kStep = std::size_t{2} << 20;

class Warmer {
 public:
  Warmer() : thread_([this] { run(); }) {}
  ~Warmer() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  Warmer(const Warmer&) = delete;
  Warmer& operator=(const Warmer&) = delete;

  void add(void* start, std::size_t bytes) {
    {
      std::lock_guard lock(mutex_);
      queue_.emplace_back(static_cast<char*>(start), bytes);
    }
    wake_.notify_one();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      // One step of the oldest range, and the rest of it to the back: a small range queued behind a long
      // one (the arena's next region behind a column's reservation) waits for one step, not the long one.
      auto [start, bytes] = queue_.front();
      queue_.pop_front();
      const std::size_t n = bytes < kStep ? bytes : kStep;
      lock.unlock();
      const bool done = ::madvise(start, n, MADV_POPULATE_WRITE) != 0 || n == bytes;  // refused: drop it
      lock.lock();
      if (!done) queue_.emplace_back(start + n, bytes - n);
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<char*, std::size_t>> queue_;
  bool stop_ = false;
  std::thread thread_;  // last: started after the members it uses
};

}  // namespace

void warm_pages_ahead(void* start, std::size_t bytes) {
  if (bytes == 0) return;
  static Warmer warmer;
  warmer.add(start, bytes);
}

}  // namespace wirestep
