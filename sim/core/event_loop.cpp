#include "sim/core/event_loop.hpp"

namespace wirestep {

void EventLoop::at(SimTime when, Callback cb) {
  if (when < now_) when = now_;
  queue_.push(Entry{when, next_seq_++, std::move(cb)});
}

std::uint64_t EventLoop::run(SimTime until) {
  std::uint64_t count = 0;
  while (!queue_.empty() && queue_.top().when <= until) {
    // Move the callback out before popping: it may schedule new events.
    Entry e = std::move(const_cast<Entry&>(queue_.top()));
    queue_.pop();
    now_ = e.when;
    e.cb(now_);
    ++count;
  }
  return count;
}

}  // namespace wirestep
