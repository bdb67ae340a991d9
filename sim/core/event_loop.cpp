#include "sim/core/event_loop.hpp"

#include <algorithm>

namespace wirestep {

void EventLoop::at(SimTime when, Callback cb) {
  if (when < now_) when = now_;
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
    slots_[slot] = std::move(cb);
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(std::move(cb));
  }
  heap_.push_back(Key{when.ns, next_seq_++, slot});
  std::push_heap(heap_.begin(), heap_.end(), later);
}

std::uint64_t EventLoop::run(SimTime until) {
  std::uint64_t count = 0;
  while (!heap_.empty() && heap_.front().when <= until.ns) {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    const Key k = heap_.back();
    heap_.pop_back();
    // Move the callback out before running it: it may schedule new events into the freed slot.
    Callback cb = std::move(slots_[k.slot]);
    free_slots_.push_back(k.slot);
    now_ = SimTime{k.when};
    cb(now_);
    ++count;
  }
  return count;
}

}  // namespace wirestep
