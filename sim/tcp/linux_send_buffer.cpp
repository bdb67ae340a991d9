// Linux's send-buffer accounting (linux_send_buffer.hpp): skbs charged their truesize, autotuning.
#include "sim/tcp/linux_send_buffer.hpp"

#include <algorithm>
#include <bit>

namespace wirestep {

void LinuxSendBuffer::start(std::uint32_t sndbuf, std::uint32_t sndbuf_max, bool locked) {
  sndbuf_ = sndbuf;
  sndbuf_max_ = std::max(sndbuf_max, sndbuf);
  locked_ = locked;
}

void LinuxSendBuffer::set_user(std::uint32_t bytes) {
  sndbuf_ = bytes;
  locked_ = true;
}

std::uint32_t LinuxSendBuffer::size_goal(std::uint32_t mss, std::uint32_t max_window) {
  mss = std::max(mss, 1u);
  // tcp_bound_to_half_wnd: half the largest window once it exceeds TCP_MSS_DEFAULT (536).
  std::uint32_t bound = kGsoMaxSize;
  if (max_window > 536)
    bound = std::min(bound, max_window / 2);
  else if (max_window > 0)
    bound = std::min(bound, max_window);
  return std::max(bound / mss * mss, mss);
}

std::uint64_t LinuxSendBuffer::append(std::uint64_t want, std::uint32_t goal, bool* tail_full) {
  *tail_full = false;
  if (want == 0) return 0;
  // Only the unsent tail takes more bytes (tcp_skb_can_collapse_to); a sent skb is never written to.
  if (write_.empty() || write_.back().end - write_.back().start >= goal) {
    if (!memory_free()) return 0;  // new_segment: sk_stream_memory_free, else wait_for_space
    write_.push_back(Skb{end_, end_});
    wmem_ += kSkbOverhead;  // tcp_skb_entail charges the new skb's truesize
  }
  Skb& tail = write_.back();
  const std::uint64_t n = std::min<std::uint64_t>(want, goal - (tail.end - tail.start));
  tail.end += n;
  end_ += n;
  wmem_ += n;  // skb_len_add: the page fragment's bytes join the truesize
  *tail_full = tail.end - tail.start >= goal;
  return n;
}

std::uint64_t LinuxSendBuffer::skb_end(std::uint64_t offset) const {
  // New data is sent from the head of the write queue: that skb is nearly always the one asked about.
  if (!write_.empty() && write_.front().start <= offset && offset < write_.front().end)
    return write_.front().end;
  auto find = [offset](const std::deque<Skb>& q) -> const Skb* {
    const auto it =
        std::upper_bound(q.begin(), q.end(), offset, [](std::uint64_t o, const Skb& s) { return o < s.end; });
    return it != q.end() && it->start <= offset ? &*it : nullptr;
  };
  if (const Skb* s = find(write_)) return s->end;
  if (const Skb* s = find(rtx_)) return s->end;
  return end_;
}

void LinuxSendBuffer::grow_head(std::uint64_t want) {
  if (write_.size() < 2) return;
  Skb& head = write_[0];
  Skb& next = write_[1];
  if (head.end - head.start >= want) return;
  // skb_shift moves the page fragments, and their truesize with them: only the emptied skb's head is freed.
  const std::uint64_t n = std::min(want - (head.end - head.start), next.end - next.start);
  head.end += n;
  next.start += n;
  if (next.start == next.end) {
    write_.erase(write_.begin() + 1);
    wmem_ -= kSkbOverhead;
  }
}

void LinuxSendBuffer::sent_up_to(std::uint64_t sent) {
  sent = std::min(sent, end_);
  while (!write_.empty() && write_.front().start < sent) {
    Skb& head = write_.front();
    if (head.end <= sent) {
      rtx_.push_back(head);
      write_.pop_front();
      continue;
    }
    // tso_fragment: the part sent stays, the rest becomes a new skb with a head of its own.
    rtx_.push_back(Skb{head.start, sent});
    head.start = sent;
    wmem_ += kSkbOverhead;
  }
}

void LinuxSendBuffer::acked_up_to(std::uint64_t acked, std::uint32_t mss) {
  auto release = [&](std::deque<Skb>& q) {
    while (!q.empty() && q.front().start < acked) {
      Skb& head = q.front();
      if (head.end <= acked) {
        wmem_ -= kSkbOverhead + (head.end - head.start);
        q.pop_front();
        continue;
      }
      // tcp_clean_rtx_queue trims only an skb of more than one segment (tcp_tso_acked).
      if (head.end - head.start > std::max(mss, 1u)) {
        wmem_ -= acked - head.start;
        head.start = acked;
      }
      return false;
    }
    return true;
  };
  if (release(rtx_)) release(write_);
}

void LinuxSendBuffer::expand(std::uint32_t mss, std::uint32_t cwnd_segments, std::uint32_t reordering) {
  const std::uint32_t per_mss = std::bit_ceil(mss + kExpandHeadExtra) + kExpandSkbStruct;
  const std::uint32_t segments = std::max({cwnd_segments, 10u, reordering + 1});  // TCP_INIT_CWND
  const std::uint64_t sndmem = 2ull * segments * per_mss;
  if (sndbuf_ < sndmem) sndbuf_ = static_cast<std::uint32_t>(std::min<std::uint64_t>(sndmem, sndbuf_max_));
}

}  // namespace wirestep
