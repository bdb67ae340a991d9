// The discrete-event core: callbacks ordered by (time, insertion sequence), so equal-time events run in the
// order they were scheduled and a run replays exactly. No wall clock, no threads.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/core/time.hpp"

namespace wirestep {

class EventLoop {
 public:
  using Callback = std::function<void(SimTime)>;

  SimTime now() const { return now_; }
  // Schedules at an absolute time; times in the past run "now" (never move the clock backwards).
  void at(SimTime when, Callback cb);
  void after(SimDuration delay, Callback cb) { at(now_ + delay, std::move(cb)); }

  // Runs events until none are left or the next one is later than `until`. Returns events run.
  std::uint64_t run(SimTime until = SimTime::max());
  bool empty() const { return heap_.empty(); }
  std::size_t pending() const { return heap_.size(); }

 private:
  // The heap holds small keys; callbacks stay put in `slots_` (moving std::function on every sift is
  // what made the first version slow).
  struct Key {
    std::int64_t when;
    std::uint64_t seq;
    std::uint32_t slot;
  };
  static bool later(const Key& a, const Key& b) { return a.when != b.when ? a.when > b.when : a.seq > b.seq; }
  std::vector<Key> heap_;
  std::vector<Callback> slots_;
  std::vector<std::uint32_t> free_slots_;
  SimTime now_{};
  std::uint64_t next_seq_ = 0;
};

}  // namespace wirestep
