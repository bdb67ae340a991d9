#include "sim/core/event_loop.hpp"

#include <cstdlib>

namespace wirestep {

void EventLoop::enqueue(SimTime when, std::uint32_t slot) {
  if (when <= now_) {
    // Everything already waiting for now_ was scheduled earlier, so appending keeps sequence order.
    now_queue_.push_back(NowEntry{next_seq_++, slot});
  } else {
    heap_push(when.ns, next_seq_++, slot);
  }
}

// Takes the fields rather than a Key built by the caller: loading a just-written struct as one wide value
// stalls on store forwarding, and that stall was most of this function's time.
void EventLoop::heap_push(std::int64_t when, std::uint64_t seq, std::uint32_t slot) {
  const Key k{when, seq, slot};
  // Sift the hole up rather than swapping: one write per level.
  std::size_t i = heap_.size();
  heap_.push_back(k);
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    if (!before(k, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = k;
}

// Floyd's variant: the hole left by the top walks down to a leaf along the smaller children (one comparison
// per level instead of two), then the last key, which came from the bottom, climbs back from there: rarely
// more than a level. Keys are unique (seq), so the order of pops is the same whatever the heap's shape.
EventLoop::Key EventLoop::heap_pop() {
  const Key top = heap_.front();
  const Key last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return top;
  std::size_t i = 0;
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n) child += before(heap_[child + 1], heap_[child]);
    heap_[i] = heap_[child];
    i = child;
  }
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    if (!before(last, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = last;
  return top;
}

std::uint64_t EventLoop::run(SimTime until) {
  std::uint64_t count = 0;
  for (;;) {
    std::uint32_t slot;
    if (now_head_ < now_queue_.size() &&
        (heap_.empty() || before(Key{now_.ns, now_queue_[now_head_].seq, 0}, heap_.front()))) {
      if (now_ > until) break;
      slot = now_queue_[now_head_].slot;
      if (++now_head_ == now_queue_.size()) {
        now_queue_.clear();
        now_head_ = 0;
      }
    } else if (!heap_.empty() && heap_.front().when <= until.ns) {
      const Key k = heap_pop();
      if (k.when < now_.ns) std::abort();  // invariant: the clock never moves backwards
      now_ = SimTime{k.when};
      slot = k.slot;
    } else {
      break;
    }
    // Move the callback out before running it: it may schedule new events into the freed slot, and may grow
    // `slots_` under it.
    Callback cb = std::move(slots_[slot]);
    free_slots_.push_back(slot);
    cb(now_);
    ++count;
  }
  return count;
}

}  // namespace wirestep
