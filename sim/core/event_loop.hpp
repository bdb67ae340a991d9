// The discrete-event core: callbacks ordered by (time, insertion sequence), so equal-time events run in the
// order they were scheduled and a run replays exactly. No wall clock, no threads.
// Two queues, one order: events for exactly now() (35-40% of a TCP run: wake-ups, completions) go to a FIFO,
// the rest to a binary heap; run() always takes the smaller (time, sequence) of the two heads.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/core/inline_callback.hpp"
#include "sim/core/time.hpp"

namespace wirestep {

class EventLoop {
 public:
  // Move-only; lambdas and std::function<void(SimTime)> convert to it. Captures up to 48 bytes are stored
  // without allocating.
  using Callback = InlineCallback<void(SimTime)>;

  SimTime now() const { return now_; }
  // Schedules at an absolute time; times in the past run "now" (never move the clock backwards).
  void at(SimTime when, Callback cb) {
    const std::uint32_t slot = take_slot();
    slots_[slot] = std::move(cb);
    enqueue(when, slot);
  }
  void after(SimDuration delay, Callback cb) { at(now_ + delay, std::move(cb)); }
  // The same for a lambda or std::function: built straight into its slot, never copied (see emplace()).
  template <StorableIn<Callback, void, SimTime> F>
  void at(SimTime when, F&& f) {
    const std::uint32_t slot = take_slot();
    try {
      slots_[slot].emplace(std::forward<F>(f));
    } catch (...) {  // copying a captured std::function can throw bad_alloc; keep the slot reusable
      free_slots_.push_back(slot);
      throw;
    }
    enqueue(when, slot);
  }
  template <StorableIn<Callback, void, SimTime> F>
  void after(SimDuration delay, F&& f) {
    at(now_ + delay, std::forward<F>(f));
  }

  // Runs events until none are left or the next one is later than `until`. Returns events run.
  std::uint64_t run(SimTime until = SimTime::max());
  bool empty() const { return heap_.empty() && now_head_ == now_queue_.size(); }
  std::size_t pending() const { return heap_.size() + (now_queue_.size() - now_head_); }

 private:
  // The heap holds small keys; callbacks stay put in `slots_` (moving callbacks on every sift is what made
  // the first version slow).
  struct Key {
    std::int64_t when;
    std::uint64_t seq;
    std::uint32_t slot;
  };
  // An event due at exactly now_: its time is now_ for as long as it waits (the clock cannot pass it).
  struct NowEntry {
    std::uint64_t seq;
    std::uint32_t slot;
  };
  // One 128-bit comparison (when is never negative here): flag arithmetic the compiler turns into
  // conditional moves, instead of branches the heap's data-dependent comparisons mispredict half the time.
  static bool before(const Key& a, const Key& b) {
    __extension__ using U128 = unsigned __int128;
    return ((U128(static_cast<std::uint64_t>(a.when)) << 64) | a.seq) <
           ((U128(static_cast<std::uint64_t>(b.when)) << 64) | b.seq);
  }

  // An empty slot for a new callback: a freed one if any, so the slot table stays as small as the queue.
  std::uint32_t take_slot() {
    if (free_slots_.empty()) {
      slots_.emplace_back();
      return static_cast<std::uint32_t>(slots_.size() - 1);
    }
    const std::uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  void enqueue(SimTime when, std::uint32_t slot);
  void heap_push(std::int64_t when, std::uint64_t seq, std::uint32_t slot);
  Key heap_pop();

  // Binary min-heap on (when, seq). A 4-ary one measured no faster at the ~70-300 pending events of the
  // benchmarks, so the simpler one stays.
  std::vector<Key> heap_;
  std::vector<NowEntry> now_queue_;
  std::size_t now_head_ = 0;  // entries before it have run
  std::vector<Callback> slots_;
  std::vector<std::uint32_t> free_slots_;
  SimTime now_{};
  std::uint64_t next_seq_ = 0;
};

}  // namespace wirestep
