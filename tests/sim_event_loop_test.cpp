// The event loop's contract (STYLE.md §7): events run by (time, insertion sequence), past times run now, and
// any callable a caller can write (small, large, move-only, std::function) is kept and destroyed exactly
// once. The randomized test checks the loop against a plain std::multimap keyed by (time, sequence).
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/event_loop.hpp"
#include "sim/core/rng.hpp"

namespace wirestep {
namespace sim_event_loop_test {

// Counts live copies, so a test can see that every stored callable is destroyed exactly once.
struct LiveCount {
  static inline int live = 0;
  LiveCount() { ++live; }
  LiveCount(const LiveCount&) { ++live; }
  LiveCount(LiveCount&&) noexcept { ++live; }
  LiveCount& operator=(const LiveCount&) = default;
  ~LiveCount() { --live; }
};

// Goal: events at one time run in the order they were scheduled, whatever else is queued around them.
TEST(SimEventLoop, EqualTimesRunInSchedulingOrderAmongOtherTimes) {
  EventLoop loop;
  std::vector<int> order;
  for (int i = 0; i < 20; ++i) {
    loop.at(SimTime{100}, [&order, i](SimTime) { order.push_back(i); });
    loop.at(SimTime{50 + 7 * i}, [](SimTime) {});
    loop.at(SimTime{200 - i}, [](SimTime) {});
  }
  loop.run();
  std::vector<int> want(20);
  for (int i = 0; i < 20; ++i) want[i] = i;
  EXPECT_EQ(order, want);
}

// Goal: an event for "now" scheduled while time t runs goes after the events already due at t (including
// those queued before the clock reached t), and before later times.
TEST(SimEventLoop, NowEventsRunAfterEarlierScheduledEventsAtTheSameTime) {
  EventLoop loop;
  std::vector<std::string> order;
  loop.at(SimTime{10}, [&](SimTime t) {
    order.push_back("a");
    loop.at(t, [&](SimTime) { order.push_back("a-now"); });
  });
  loop.at(SimTime{10}, [&](SimTime) { order.push_back("b"); });
  loop.at(SimTime{11}, [&](SimTime) { order.push_back("c"); });
  loop.at(SimTime{10}, [&](SimTime) { order.push_back("d"); });
  EXPECT_EQ(loop.run(), 5u);
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "d", "a-now", "c"}));
}

// Goal: a time in the past runs at now(), after what is already due now; the clock never goes back.
TEST(SimEventLoop, PastTimesRunNow) {
  EventLoop loop;
  std::vector<std::pair<int, std::int64_t>> ran;
  loop.at(SimTime{100}, [&](SimTime) {
    loop.at(SimTime{40}, [&](SimTime t) { ran.push_back({1, t.ns}); });
    loop.after(SimDuration{-5}, [&](SimTime t) { ran.push_back({2, t.ns}); });
    loop.at(SimTime{100}, [&](SimTime t) { ran.push_back({3, t.ns}); });
  });
  loop.at(SimTime{100}, [&](SimTime t) { ran.push_back({0, t.ns}); });
  loop.run();
  EXPECT_EQ(ran, (std::vector<std::pair<int, std::int64_t>>{{0, 100}, {1, 100}, {2, 100}, {3, 100}}));
  EXPECT_EQ(loop.now(), SimTime{100});
  // Scheduled from outside run(), in the past: runs at the current time too.
  SimTime seen{-1};
  loop.at(SimTime{3}, [&](SimTime t) { seen = t; });
  loop.run();
  EXPECT_EQ(seen, SimTime{100});
}

// Goal: run(until) runs events at exactly `until`, keeps later ones, and a later call resumes with them.
TEST(SimEventLoop, RunUntilStopsAndResumes) {
  EventLoop loop;
  std::vector<int> ran;
  loop.at(SimTime{10}, [&](SimTime) { ran.push_back(10); });
  loop.at(SimTime{20}, [&](SimTime) { ran.push_back(20); });
  loop.at(SimTime{30}, [&](SimTime t) {
    ran.push_back(30);
    loop.at(t, [&](SimTime) { ran.push_back(31); });
  });
  EXPECT_EQ(loop.run(SimTime{9}), 0u);
  EXPECT_EQ(loop.run(SimTime{20}), 2u);
  EXPECT_EQ(loop.now(), SimTime{20});
  EXPECT_EQ(loop.pending(), 1u);
  EXPECT_FALSE(loop.empty());
  EXPECT_EQ(loop.run(SimTime{30}), 2u);
  EXPECT_TRUE(loop.empty());
  EXPECT_EQ(loop.pending(), 0u);
  EXPECT_EQ(ran, (std::vector<int>{10, 20, 30, 31}));
  EXPECT_EQ(loop.run(), 0u);
}

// Goal: with events due now but a limit earlier than now, run() runs nothing and keeps them.
TEST(SimEventLoop, LimitBeforeNowRunsNothing) {
  EventLoop loop;
  int ran = 0;
  loop.at(SimTime{50}, [&](SimTime) {});
  loop.run();
  loop.at(SimTime{50}, [&](SimTime) { ++ran; });
  EXPECT_EQ(loop.run(SimTime{49}), 0u);
  EXPECT_EQ(loop.pending(), 1u);
  EXPECT_EQ(loop.run(SimTime{50}), 1u);
  EXPECT_EQ(ran, 1);
}

// Goal: a callback that schedules into the slot it just left still sees its own captures intact afterwards.
TEST(SimEventLoop, CallbackSchedulingIntoItsFreedSlotKeepsItsCaptures) {
  EventLoop loop;
  std::vector<std::string> seen;
  std::function<void(int)> chain = [&](int depth) {
    if (depth == 0) return;
    const std::string name = "event " + std::to_string(depth);
    loop.at(loop.now() + SimDuration{1}, [&, name, depth](SimTime) {
      // The new event most likely takes the slot this callback was stored in; read captures only after.
      chain(depth - 1);
      loop.at(loop.now(), [](SimTime) {});
      seen.push_back(name);
    });
  };
  chain(100);
  loop.run();
  ASSERT_EQ(seen.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(seen[i], "event " + std::to_string(100 - i));
}

// Goal: captures bigger than the inline buffer work and are destroyed once, run or not.
TEST(SimEventLoop, LargeCapturesRunAndAreDestroyed) {
  std::array<std::uint64_t, 64> big{};
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = i * i;
  std::uint64_t sum = 0;
  {
    EventLoop loop;
    loop.at(SimTime{5}, [&sum, big, c = LiveCount{}](SimTime) {
      for (std::uint64_t v : big) sum += v;
    });
    loop.at(SimTime{500}, [&sum, big, c = LiveCount{}](SimTime) { sum += big[1]; });  // never runs
    EXPECT_EQ(loop.run(SimTime{100}), 1u);
    EXPECT_EQ(LiveCount::live, 1);
  }
  EXPECT_EQ(sum, 85344u);  // sum of i^2, i < 64
  EXPECT_EQ(LiveCount::live, 0);
}

// Goal: move-only captures (unique_ptr) can be scheduled, inline and on the heap.
TEST(SimEventLoop, MoveOnlyCapturesWork) {
  EventLoop loop;
  int got = 0;
  auto small = std::make_unique<int>(7);
  loop.at(SimTime{1}, [&got, p = std::move(small)](SimTime) { got += *p; });
  auto large = std::make_unique<int>(35);
  std::array<char, 100> padding{};
  loop.after(SimDuration{2}, [&got, p = std::move(large), padding](SimTime) { got += *p + padding[0]; });
  loop.run();
  EXPECT_EQ(got, 42);
}

// Goal: std::function callbacks are accepted by copy and by move, and a copied one stays usable.
TEST(SimEventLoop, StdFunctionCallbacksAreCopiedOrMoved) {
  EventLoop loop;
  int ticks = 0;
  int once_ran = 0;
  std::function<void(SimTime)> tick = [&](SimTime t) {
    if (++ticks < 10) loop.at(t + SimDuration{100}, tick);
  };
  loop.at(SimTime{0}, tick);
  std::function<void(SimTime)> once = [&](SimTime) { ++once_ran; };
  loop.at(SimTime{50}, std::move(once));
  loop.run();
  EXPECT_EQ(ticks, 10);
  EXPECT_EQ(once_ran, 1);
  EXPECT_EQ(loop.now(), SimTime{900});
  ASSERT_TRUE(tick);
}

// Goal: a Callback object itself can be built, moved and scheduled; destroying pending ones leaks nothing.
TEST(SimEventLoop, CallbackObjectsMoveAndDestroyOnce) {
  {
    EventLoop::Callback a = [c = LiveCount{}](SimTime) {};
    EventLoop::Callback b = [c = LiveCount{}, pad = std::array<char, 200>{}](SimTime) { (void)pad; };
    EXPECT_EQ(LiveCount::live, 2);
    EventLoop::Callback moved = std::move(a);
    EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
    a = std::move(b);
    EXPECT_EQ(LiveCount::live, 2);
    EventLoop loop;
    loop.at(SimTime{1}, std::move(moved));
    loop.after(SimDuration{2}, std::move(a));
    EXPECT_EQ(loop.pending(), 2u);
    EXPECT_EQ(LiveCount::live, 2);
  }
  EXPECT_EQ(LiveCount::live, 0);
}

// The reference: the obvious implementation the loop must agree with, event for event.
class ReferenceLoop {
 public:
  SimTime now() const { return now_; }
  std::size_t pending() const { return queue_.size(); }
  void at(SimTime when, std::function<void(SimTime)> cb) {
    if (when < now_) when = now_;
    queue_.emplace(std::make_pair(when.ns, seq_++), std::move(cb));
  }
  std::uint64_t run(SimTime until) {
    std::uint64_t count = 0;
    while (!queue_.empty() && queue_.begin()->first.first <= until.ns) {
      auto node = queue_.extract(queue_.begin());
      now_ = SimTime{node.key().first};
      node.mapped()(now_);
      ++count;
    }
    return count;
  }

 private:
  std::multimap<std::pair<std::int64_t, std::uint64_t>, std::function<void(SimTime)>> queue_;
  SimTime now_{};
  std::uint64_t seq_ = 0;
};

// Drives a loop through random scheduling (from outside and from callbacks) and random run limits, and
// records what ran when. Every random choice comes from the seed and event ids, so both loops see the same.
template <typename Loop>
struct RandomDriver {
  Loop loop;
  Rng rng;
  std::uint64_t max_events;
  std::uint64_t next_id = 0;
  std::vector<std::pair<std::uint64_t, std::int64_t>> ran;  // (event id, time it ran)
  std::vector<std::uint64_t> run_counts;
  std::vector<std::size_t> pending;

  RandomDriver(std::uint64_t seed, std::uint64_t events) : rng(seed), max_events(events) {}

  // Past (clamped to now), now, near (ties likely) or far.
  static SimTime pick_time(Rng& r, SimTime now) {
    switch (r.below(8)) {
      case 0:
        return SimTime{now.ns - static_cast<std::int64_t>(r.below(50))};
      case 1:
      case 2:
        return now;
      case 3:
      case 4:
        return now + SimDuration{static_cast<std::int64_t>(r.below(3))};
      default:
        return now + SimDuration{static_cast<std::int64_t>(r.below(1000))};
    }
  }

  void on_run(std::uint64_t id, SimTime now) {
    ran.push_back({id, now.ns});
    Rng r(id * 0x9e3779b97f4a7c15ull + 1);
    const std::uint64_t children = r.below(3);
    for (std::uint64_t i = 0; i < children && next_id < max_events; ++i) schedule(pick_time(r, now));
  }

  void schedule(SimTime when) {
    const std::uint64_t id = next_id++;
    if constexpr (std::is_same_v<Loop, EventLoop>) {
      // Vary the capture: small and trivial, large (heap), move-only, std::function.
      switch (id % 4) {
        case 0:
          loop.at(when, [this, id](SimTime t) { on_run(id, t); });
          break;
        case 1:
          loop.at(when,
                  [this, id, pad = std::array<std::uint64_t, 12>{}](SimTime t) { on_run(id + pad[0], t); });
          break;
        case 2:
          loop.at(when, [this, p = std::make_unique<std::uint64_t>(id)](SimTime t) { on_run(*p, t); });
          break;
        default:
          loop.at(when, std::function<void(SimTime)>([this, id](SimTime t) { on_run(id, t); }));
      }
    } else {
      loop.at(when, [this, id](SimTime t) { on_run(id, t); });
    }
  }

  void drive() {
    while (next_id < max_events) {
      const std::uint64_t op = rng.below(10);
      if (op < 6) {
        schedule(pick_time(rng, loop.now()));
      } else if (op < 9) {
        run_counts.push_back(loop.run(loop.now() + SimDuration{static_cast<std::int64_t>(rng.below(300))}));
      } else {
        run_counts.push_back(loop.run(loop.now() - SimDuration{1}));  // a limit already passed
      }
      pending.push_back(loop.pending());
    }
    run_counts.push_back(loop.run(SimTime::max()));
  }
};

// Goal: over 100k random operations per seed, the loop runs exactly the events the reference runs, in the
// same order, at the same times, and reports the same counts.
TEST(SimEventLoop, MatchesMultimapReferenceOnRandomOperations) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    RandomDriver<EventLoop> fast(seed, 100'000);
    RandomDriver<ReferenceLoop> reference(seed, 100'000);
    fast.drive();
    reference.drive();
    ASSERT_EQ(fast.ran.size(), reference.ran.size()) << "seed " << seed;
    for (std::size_t i = 0; i < fast.ran.size(); ++i) {
      ASSERT_EQ(fast.ran[i], reference.ran[i])
          << "seed " << seed << ", event #" << i << " at simulated " << reference.ran[i].second << " ns";
    }
    EXPECT_EQ(fast.run_counts, reference.run_counts) << "seed " << seed;
    EXPECT_EQ(fast.pending, reference.pending) << "seed " << seed;
    EXPECT_TRUE(fast.loop.empty());
    EXPECT_EQ(fast.ran.size(), 100'000u);
  }
}

}  // namespace sim_event_loop_test
}  // namespace wirestep
